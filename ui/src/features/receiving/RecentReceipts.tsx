// The store's recent receipt lines. A manager can reverse one booked in
// error: the dialog first shows exactly what the reversal will do (product,
// batch, quantity) and asks why; the engine refuses when stock has left the
// batch since, and the dialog says what to do instead.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { ReceivedLine } from "../../bindings/ReceivedLine";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable, type Column } from "../../components/DataTable";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

export function RecentReceipts({ canReverse }: { canReverse: boolean }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const receipts = useCommandQuery("list_receipts", { limit: 20 });
  const [reversing, setReversing] = useState<ReceivedLine | null>(null);
  const [notice, setNotice] = useState("");

  const columns: Column<ReceivedLine>[] = [
    { header: t("When"), cell: (r) => fmt.instant(r.received_at) },
    { header: t("Product"), cell: (r) => r.product_name },
    { header: t("Batch"), cell: (r) => r.batch_number },
    { header: t("Quantity"), className: "num", cell: (r) => fmt.qty(r.quantity, r.unit) },
    { header: t("Supplier"), cell: (r) => r.supplier_name },
    { header: t("Reference"), cell: (r) => r.reference_number },
    { header: t("By"), cell: (r) => r.user_name },
    {
      header: t("Status"),
      cell: (r) => {
        if (!r.reversed) return t("Booked");
        const by = r.reversed_by ? t("Reversed by {{name}}", { name: r.reversed_by }) : t("Reversed");
        return r.reversal_reason ? `${by}: ${r.reversal_reason}` : by;
      },
    },
  ];
  if (canReverse) {
    columns.push({
      label: t("Actions"),
      cell: (r) =>
        r.reversed ? null : (
          <button type="button" onClick={() => setReversing(r)} aria-label={t("Reverse the receipt of batch {{batch}}", { batch: r.batch_number })}>
            {t("Reverse")}
          </button>
        ),
    });
  }

  return (
    <section aria-labelledby="recent-receipts-title">
      <h2 id="recent-receipts-title">{t("Recent receipts")}</h2>
      <Notice>{notice}</Notice>
      {reversing && (
        <ReverseDialog
          key={reversing.receipt_id}
          line={reversing}
          onClose={() => setReversing(null)}
          onDone={(message) => {
            setReversing(null);
            setNotice(message);
          }}
        />
      )}
      <DataTable
        label={t("Recent receipts")}
        columns={columns}
        rows={receipts.data}
        rowKey={(r) => r.receipt_id}
        rowAttributes={(r) => ({ "data-batch": r.batch_number, className: r.reversed ? "muted" : undefined })}
        empty={t("Nothing received yet.")}
        error={receipts.error}
        loading={{ pending: receipts.isPending, what: t("receipts") }}
      />
    </section>
  );
}

function ReverseDialog({ line, onClose, onDone }: { line: ReceivedLine; onClose: () => void; onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [reason, setReason] = useState("");
  const reverse = useCommandMutation("reverse_receipt");
  const quantity = fmt.qty(line.quantity, line.unit);

  async function submit() {
    if (!reason.trim() || reverse.isPending) return;
    const done = await reverse.mutateAsync({ receipt_id: line.receipt_id, reason: reason.trim() }).catch(() => null);
    if (done) {
      onDone(
        t("Reversed the receipt of {{quantity}} of {{product}} into batch {{batch}}: {{before}} → {{after}} on hand.", {
          quantity: fmt.qty(done.quantity, done.unit),
          product: done.product_name,
          batch: done.batch_number,
          before: fmt.qty(done.previous_quantity),
          after: fmt.qty(done.on_hand),
        }),
      );
    }
  }

  const facts = {
    quantity,
    product: line.product_name,
    batch: line.batch_number,
    when: fmt.instant(line.received_at),
    supplier: line.supplier_name ?? "",
  };
  return (
    <ConfirmDialog
      title={t("Reverse this receipt?")}
      confirmLabel={t("Reverse {{quantity}}", { quantity })}
      busyLabel={t("Reversing…")}
      cancelLabel={t("Keep it")}
      busy={reverse.isPending}
      error={fieldError(reverse.error, "reason") ? null : reverse.error}
      confirmDisabled={!reason.trim()}
      focusCancel={false}
      onConfirm={() => void submit()}
      onCancel={onClose}
    >
      <p>
        {line.supplier_name
          ? t("Takes {{quantity}} of {{product}} back off batch {{batch}}, received {{when}} from {{supplier}}.", facts)
          : t("Takes {{quantity}} of {{product}} back off batch {{batch}}, received {{when}}.", facts)}{" "}
        {t("The receipt stays in the audit trail, marked reversed.")}
      </p>
      <Field label={t("Reason for the reversal")} wide error={fieldError(reverse.error, "reason", t)}>
        {(id) => <input id={id} name="reversal_reason" value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />}
      </Field>
    </ConfirmDialog>
  );
}
