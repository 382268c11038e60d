// Backorders: what customers are owed when stock ran out. Fulfil takes the
// stock by FEFO (all that is owed, or part of it); cancel closes it. Both
// confirm first and say what they will do.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Backorder } from "../../bindings/Backorder";
import { DataTable, type Column } from "../../components/DataTable";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { subtractQty } from "../till/money";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

/** A backorder's status in words. */
function statusLabel(t: (s: string) => string, status: string): string {
  switch (status) {
    case "pending":
      return t("Owed");
    case "partial":
      return t("Partly fulfilled");
    case "fulfilled":
      return t("Fulfilled");
    case "cancelled":
      return t("Cancelled");
    default:
      return status;
  }
}

type Pending = { action: "fulfil" | "cancel"; backorder: Backorder };

export function BackordersScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const [openOnly, setOpenOnly] = useState(true);
  const [pending, setPending] = useState<Pending | null>(null);
  const [notice, setNotice] = useState("");
  const list = useCommandQuery("list_backorders", { open_only: openOnly });

  const columns: readonly Column<Backorder>[] = [
    { header: t("Created"), cell: (b) => f.instant(b.created_at) },
    { header: t("Product"), cell: (b) => b.product_name },
    { header: t("Customer"), cell: (b) => [b.customer_name, b.customer_phone].filter(Boolean).join(" · ") },
    { header: t("Owed"), className: "num", cell: (b) => f.qty(b.quantity) },
    { header: t("Fulfilled"), className: "num", cell: (b) => f.qty(b.fulfilled_quantity) },
    { header: t("Status"), cell: (b) => statusLabel(t, b.status) },
    {
      label: t("Actions"),
      cell: (b) =>
        b.status === "pending" || b.status === "partial" ? (
          <span className="row-actions">
            {mayRun("fulfill_backorder") && (
              <button type="button" onClick={() => setPending({ action: "fulfil", backorder: b })}>
                {t("Fulfil…")}
              </button>
            )}
            {mayRun("cancel_backorder") && (
              <button type="button" className="danger" onClick={() => setPending({ action: "cancel", backorder: b })}>
                {t("Cancel…")}
              </button>
            )}
          </span>
        ) : null,
    },
  ];

  const rows = list.data;
  return (
    <Screen title={t("Backorders")}>
      <div className="toolbar">
        <label className="check">
          <input type="checkbox" checked={openOnly} onChange={(e) => setOpenOnly(e.target.checked)} /> {t("Open only")}
        </label>
        <span className="muted" role="status">
          {t("{{count}} backorders", { count: rows?.length ?? 0 })}
        </span>
      </div>
      <Notice>{notice}</Notice>
      <DataTable
        label={t("Backorders")}
        columns={columns}
        rows={rows}
        rowKey={(b) => b.backorder_id}
        empty={openOnly ? t("Nothing is owed to customers.") : t("No backorders yet.")}
        error={list.error}
        loading={{ pending: list.isLoading, what: t("backorders") }}
      />
      {pending && (
        <BackorderDialog
          pending={pending}
          onClose={() => setPending(null)}
          onDone={(message) => {
            setPending(null);
            setNotice(message);
          }}
        />
      )}
    </Screen>
  );
}

function BackorderDialog({ pending, onClose, onDone }: { pending: Pending; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const b = pending.backorder;
  const owed = subtractQty(b.quantity, b.fulfilled_quantity) ?? b.quantity;
  const [quantity, setQuantity] = useState(owed);
  const fulfil = useCommandMutation("fulfill_backorder");
  const cancel = useCommandMutation("cancel_backorder");
  const busy = fulfil.isPending || cancel.isPending;

  function confirm() {
    if (pending.action === "fulfil") {
      fulfil.mutate(
        { backorder_id: b.backorder_id, fulfilled_quantity: quantity.trim() || undefined },
        {
          onSuccess: (r) =>
            onDone(t("Fulfilled {{qty}} of {{product}} from {{count}} batches.", { qty: f.qty(quantity), product: b.product_name, count: r.batches.length })),
        },
      );
    } else {
      cancel.mutate({ backorder_id: b.backorder_id }, { onSuccess: () => onDone(t("Cancelled the backorder for {{product}}.", { product: b.product_name })) });
    }
  }

  return (
    <Dialog title={pending.action === "fulfil" ? t("Fulfil backorder") : t("Cancel backorder")} onClose={onClose} size="small">
      <dl className="preview">
        <dt>{t("Product")}</dt>
        <dd>{b.product_name}</dd>
        <dt>{t("Customer")}</dt>
        <dd>{b.customer_name ?? t("(none recorded)")}</dd>
        <dt>{t("Still owed")}</dt>
        <dd>{f.qty(owed)}</dd>
      </dl>
      {pending.action === "fulfil" ? (
        <>
          <p>{t("Stock leaves the shelf by first expiry, never from an expired, quarantined or recalled batch.")}</p>
          <Field label={t("Quantity to hand over")}>
            {(id) => <input id={id} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="decimal" autoFocus />}
          </Field>
        </>
      ) : (
        <p>{t("The customer is owed nothing more; no stock moves.")}</p>
      )}
      <ErrorMessage error={fulfil.error ?? cancel.error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        <button type="button" className={pending.action === "cancel" ? "danger" : "primary"} onClick={confirm} disabled={busy}>
          {pending.action === "fulfil" ? t("Fulfil") : t("Cancel backorder")}
        </button>
      </div>
    </Dialog>
  );
}
