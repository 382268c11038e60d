// Every batch of the store, a page at a time: the engine filters (text on
// product, SKU or batch number; status; expiry window; empty batches),
// sorts and counts in SQL, so a store of a million batches opens as fast as
// one of ten. Managers quarantine, recall or release a batch from its row.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { BatchListRow } from "../../bindings/BatchListRow";
import type { BatchSort } from "../../bindings/BatchSort";
import type { BatchStatus } from "../../bindings/BatchStatus";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { PagedTable, type PagedColumn, type PageState } from "../../components/PagedTable";
import { bandClass, expiryLabel } from "../../lib/expiry";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandQuery } from "../../lib/queries";
import { BatchStatusDialog, statusActions } from "./BatchStatusDialog";
import { DisposeBatchDialog, mayDispose } from "./DisposeBatchDialog";
import { TraceDialog } from "../clinic/TraceDialog";

/** "YYYY-MM-DD" `days` after `today` ("YYYY-MM-DD"), calendar arithmetic in UTC. */
export function addDays(today: string, days: number): string {
  const [y, m, d] = today.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

const STATUSES: readonly BatchStatus[] = ["available", "quarantine", "recalled", "expired", "damaged", "depleted"];

export function BatchList({ initialWithinDays = "" }: { initialWithinDays?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<BatchStatus | "">("");
  const [within, setWithin] = useState(initialWithinDays);
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const [state, setState] = useState<PageState<BatchSort>>({ sort: "expiry", descending: false, limit: 100, offset: 0 });
  const [acting, setActing] = useState<{ batch: BatchListRow; target: BatchStatus } | null>(null);
  const [disposing, setDisposing] = useState<BatchListRow | null>(null);
  const [traced, setTraced] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const today = f.today();
  const page = useCommandQuery(
    "list_batches",
    {
      query: query.trim() || undefined,
      status: status || undefined,
      expiring_before: within ? addDays(today, Number(within)) : undefined,
      include_empty: includeEmpty,
      sort: state.sort,
      descending: state.descending,
      limit: state.limit,
      offset: state.offset,
    },
    { placeholderData: (previous) => previous },
  );
  const first = (fn: () => void) => {
    fn();
    setState((s) => ({ ...s, offset: 0 }));
  };

  const statusName: Record<BatchStatus, string> = {
    available: t("Available"),
    quarantine: t("Quarantined"),
    recalled: t("Recalled"),
    expired: t("Expired"),
    damaged: t("Damaged"),
    depleted: t("Depleted"),
  };
  const actionName: Partial<Record<BatchStatus, string>> = {
    available: t("Release"),
    quarantine: t("Quarantine"),
    recalled: t("Recall"),
    damaged: t("Damaged"),
  };

  const columns: readonly PagedColumn<BatchListRow, BatchSort>[] = [
    {
      header: t("Product"),
      sortKey: "product",
      cell: (b) => (
        <>
          {b.product_name} <span className="muted small">{b.sku}</span>
        </>
      ),
    },
    { header: t("Batch"), sortKey: "batch_number", cell: (b) => b.batch_number },
    {
      header: t("Expiry"),
      sortKey: "expiry",
      cell: (b) => (
        <>
          {f.date(b.expiry_date)} <span className={`badge ${bandClass(b.expiry_band)}`}>{expiryLabel(b.expiry_band, b.days_to_expiry)}</span>
        </>
      ),
    },
    { header: t("Status"), cell: (b) => statusName[b.status] },
    { header: t("On hand"), sortKey: "on_hand", className: "num", cell: (b) => f.qty(b.quantity, b.unit) },
    { header: t("Available"), className: "num", cell: (b) => f.qty(b.available) },
    { header: t("Unit cost"), className: "num", cell: (b) => f.money(b.cost_price) },
    { header: t("Value"), sortKey: "value", className: "num", cell: (b) => f.money(b.value) },
    ...(mayRun("set_batch_status") || mayRun("trace_lot")
      ? [
          {
            label: t("Actions"),
            cell: (b: BatchListRow) => (
              <span className="row-actions">
                {mayRun("set_batch_status") &&
                  statusActions(b.status).map((target) => (
                    <button key={target} type="button" className={target === "available" ? undefined : "danger"} onClick={() => setActing({ batch: b, target })}>
                      {actionName[target] ?? target}
                    </button>
                  ))}
                {mayRun("dispose_batch") && mayDispose(b.status) && (
                  <button type="button" className="danger" onClick={() => setDisposing(b)}>
                    {t("Dispose…")}
                  </button>
                )}
                {mayRun("trace_lot") && (
                  <button type="button" onClick={() => setTraced(b.batch_id)}>
                    {t("Trace")}
                  </button>
                )}
              </span>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <div className="toolbar">
        <Field label={t("Find")} hint={t("Product, SKU or batch number")}>
          {(id) => <input id={id} type="search" value={query} onChange={(e) => first(() => setQuery(e.target.value))} />}
        </Field>
        <Field label={t("Status")}>
          {(id) => (
            <select id={id} value={status} onChange={(e) => first(() => setStatus(e.target.value as BatchStatus | ""))}>
              <option value="">{t("Any")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {statusName[s]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("Expiring")}>
          {(id) => (
            <select id={id} value={within} onChange={(e) => first(() => setWithin(e.target.value))}>
              <option value="">{t("Any time")}</option>
              {["7", "14", "30", "60", "90"].map((d) => (
                <option key={d} value={d}>
                  {t("Within {{days}} days", { days: d })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={includeEmpty} onChange={(e) => first(() => setIncludeEmpty(e.target.checked))} />
          {t("Show empty batches")}
        </label>
      </div>
      <Notice>{notice}</Notice>
      <PagedTable
        label={t("Batches")}
        columns={columns}
        page={page.data}
        state={state}
        onState={setState}
        rowKey={(b) => b.batch_id}
        rowAttributes={(b) => ({ className: bandClass(b.expiry_band), "data-band": b.expiry_band, "data-batch": b.batch_number })}
        empty={t("No batches match.")}
        error={page.error}
        loading={{ pending: page.isPending && !page.data, what: t("batches") }}
      />
      {disposing && (
        <DisposeBatchDialog
          batch={disposing}
          onClose={() => setDisposing(null)}
          onDone={(m) => {
            setDisposing(null);
            setNotice(m);
          }}
        />
      )}
      {traced && <TraceDialog batchId={traced} onClose={() => setTraced(null)} />}
      {acting && (
        <BatchStatusDialog
          batch={acting.batch}
          target={acting.target}
          onClose={() => setActing(null)}
          onDone={(m) => {
            setActing(null);
            setNotice(m);
          }}
        />
      )}
    </>
  );
}
