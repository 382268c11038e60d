// Purchase orders (issue 14): the store's orders to its vendors, paged and
// filtered by the engine (status, vendor), with "New order", "Drafts from
// reorder" (one draft per vendor from the reorder recommendations, and the
// products skipped) and a tab with each vendor's performance. An order opens
// in OrderDetail; totals are always the engine's.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { DraftedOrders } from "../../bindings/DraftedOrders";
import type { PurchaseOrderStatus } from "../../bindings/PurchaseOrderStatus";
import type { PurchaseOrderSummary } from "../../bindings/PurchaseOrderSummary";
import type { Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { PagedTable, type PageState } from "../../components/PagedTable";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { OrderDetail } from "./OrderDetail";
import { OrderDialog } from "./OrderDialog";
import { PO_STATUS_LABEL, PoStatusBadge } from "./status";
import { VendorPerformanceTable } from "./VendorPerformanceTable";

type Tab = "orders" | "vendors";

function columns(t: TFunction, fmt: ReturnType<typeof useFormat>, open: (id: string) => void): Column<PurchaseOrderSummary>[] {
  return [
    { header: t("Order"), cell: (r) => r.label },
    { header: t("Supplier"), cell: (r) => r.supplier_name },
    { header: t("Status"), cell: (r) => <PoStatusBadge status={r.status} /> },
    { header: t("Expected"), cell: (r) => (r.expected_date ? fmt.date(r.expected_date) : "") },
    { header: t("Total"), className: "num", cell: (r) => fmt.money(r.total) },
    {
      header: t("Lines received"),
      className: "num",
      cell: (r) => t("{{received}} of {{lines}}", { received: r.lines - r.lines_pending, lines: r.lines }),
    },
    {
      label: t("Actions"),
      cell: (r) => (
        <button type="button" onClick={() => open(r.id)} aria-label={t("Open order {{label}}", { label: r.label })}>
          {t("Open")}
        </button>
      ),
    },
  ];
}

export function PurchaseOrdersScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const mayRun = useMayRun();
  const [tab, setTab] = useState<Tab>("orders");
  const [status, setStatus] = useState<PurchaseOrderStatus | "">("");
  const [supplier, setSupplier] = useState("");
  const [page, setPage] = useState<PageState<"number">>({ sort: "number", descending: true, limit: 100, offset: 0 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState("");
  const [drafted, setDrafted] = useState<DraftedOrders | null>(null);
  const suppliers = useCommandQuery("list_suppliers", {});
  const list = useCommandQuery("list_purchase_orders", {
    status: status || undefined,
    supplier_id: supplier || undefined,
    limit: page.limit,
    offset: page.offset,
  });
  const draft = useCommandMutation("draft_orders_from_reorder");
  const done = (message: string) => {
    setNotice(message);
    void list.refetch();
  };

  return (
    <Screen
      title={t("Purchase orders")}
      actions={
        <>
          {mayRun("create_purchase_order") && (
            <button type="button" onClick={() => setCreating(true)}>
              {t("New order")}
            </button>
          )}
          {mayRun("draft_orders_from_reorder") && (
            <button
              type="button"
              disabled={draft.isPending}
              onClick={() =>
                draft.mutateAsync({}).then((d) => {
                  setDrafted(d);
                  void list.refetch();
                }, () => null)
              }
            >
              {t("Drafts from reorder")}
            </button>
          )}
        </>
      }
    >
      <Notice>{notice}</Notice>
      <ErrorMessage error={draft.error} />
      {drafted && (
        <section aria-label={t("Drafts from reorder")}>
          <p>
            {drafted.orders.length === 0
              ? t("Nothing to order: no draft was made.")
              : t("Drafted: {{labels}}", { labels: drafted.orders.map((o) => `${o.label} (${o.supplier_name})`).join(", ") })}
          </p>
          {drafted.skipped.length > 0 && (
            <ul aria-label={t("Skipped products")}>
              {drafted.skipped.map((s) => (
                <li key={s.product_id}>
                  {s.name} ({s.sku}): {s.reason}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <div className="tabs" role="tablist" aria-label={t("Purchasing")}>
        <button type="button" role="tab" aria-selected={tab === "orders"} onClick={() => setTab("orders")}>
          {t("Orders")}
        </button>
        <button type="button" role="tab" aria-selected={tab === "vendors"} onClick={() => setTab("vendors")}>
          {t("Vendor performance")}
        </button>
      </div>
      {tab === "orders" ? (
        <PagedTable
          label={t("Purchase orders")}
          columns={columns(t, fmt, setOpenId)}
          page={list.data}
          state={page}
          onState={setPage}
          rowKey={(r) => r.id}
          rowAttributes={(r) => ({ "data-order": r.label })}
          empty={t("No purchase orders.")}
          error={list.error}
          loading={{ pending: list.isPending, what: t("purchase orders") }}
          toolbar={
            <>
              <Field label={t("Status")}>
                {(id) => (
                  <select
                    id={id}
                    value={status}
                    onChange={(e) => {
                      setStatus(e.target.value as PurchaseOrderStatus | "");
                      setPage({ ...page, offset: 0 });
                    }}
                  >
                    <option value="">{t("Any status")}</option>
                    {(Object.keys(PO_STATUS_LABEL) as PurchaseOrderStatus[]).map((s) => (
                      <option key={s} value={s}>
                        {t(PO_STATUS_LABEL[s])}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label={t("Supplier")}>
                {(id) => (
                  <select
                    id={id}
                    value={supplier}
                    onChange={(e) => {
                      setSupplier(e.target.value);
                      setPage({ ...page, offset: 0 });
                    }}
                  >
                    <option value="">{t("Any supplier")}</option>
                    {(suppliers.data ?? []).map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </>
          }
        />
      ) : (
        <VendorPerformanceTable />
      )}
      {creating && (
        <OrderDialog
          onClose={() => setCreating(false)}
          onDone={(o) => {
            setCreating(false);
            done(t("Order {{label}} drafted.", { label: o.label }));
            setOpenId(o.id);
          }}
        />
      )}
      {openId && <OrderDetail id={openId} onClose={() => setOpenId(null)} onDone={done} />}
    </Screen>
  );
}

