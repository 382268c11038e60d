// The store's recent receipt lines. A manager can reverse one booked in
// error: the dialog first shows exactly what the reversal will do (product,
// batch, quantity) and asks why; the engine refuses when stock has left the
// batch since, and its message says what to do instead.
import { useState, type FormEvent } from "react";

import type { ReceivedLine } from "../../bindings/ReceivedLine";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { formatInstant } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

export function RecentReceipts({ canReverse }: { canReverse: boolean }) {
  const receipts = useCommandQuery("list_receipts", { limit: 20 });
  const [reversing, setReversing] = useState<ReceivedLine | null>(null);
  const [notice, setNotice] = useState("");

  const columns: Column<ReceivedLine>[] = [
    { header: "When", cell: (r) => formatInstant(r.received_at) },
    { header: "Product", cell: (r) => r.product_name },
    { header: "Batch", cell: (r) => r.batch_number },
    { header: "Quantity", className: "num", cell: (r) => `${r.quantity} ${r.unit}` },
    { header: "Supplier", cell: (r) => r.supplier_name },
    { header: "Reference", cell: (r) => r.reference_number },
    { header: "By", cell: (r) => r.user_name },
    {
      header: "Status",
      cell: (r) =>
        r.reversed ? `Reversed${r.reversed_by ? ` by ${r.reversed_by}` : ""}${r.reversal_reason ? `: ${r.reversal_reason}` : ""}` : "Booked",
    },
  ];
  if (canReverse) {
    columns.push({
      label: "Actions",
      cell: (r) =>
        r.reversed ? null : (
          <button type="button" onClick={() => setReversing(r)} aria-label={`Reverse the receipt of batch ${r.batch_number}`}>
            Reverse
          </button>
        ),
    });
  }

  return (
    <section aria-labelledby="recent-receipts-title">
      <h2 id="recent-receipts-title">Recent receipts</h2>
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
        label="Recent receipts"
        columns={columns}
        rows={receipts.data}
        rowKey={(r) => r.receipt_id}
        rowAttributes={(r) => ({ "data-batch": r.batch_number, className: r.reversed ? "muted" : undefined })}
        empty="Nothing received yet."
        error={receipts.error}
        loading={{ pending: receipts.isPending, what: "receipts" }}
      />
    </section>
  );
}

function ReverseDialog({ line, onClose, onDone }: { line: ReceivedLine; onClose: () => void; onDone: (message: string) => void }) {
  const [reason, setReason] = useState("");
  const reverse = useCommandMutation("reverse_receipt");

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reason.trim() || reverse.isPending) return;
    const done = await reverse.mutateAsync({ receipt_id: line.receipt_id, reason: reason.trim() }).catch(() => null);
    if (done) {
      onDone(
        `Reversed the receipt of ${done.quantity} ${done.unit} of ${done.product_name} into batch ${done.batch_number}: ${done.previous_quantity} → ${done.on_hand} on hand.`,
      );
    }
  }

  return (
    <form
      className="panel"
      role="alertdialog"
      aria-labelledby="reverse-title"
      aria-describedby="reverse-preview"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") onClose();
      }}
    >
      <h2 id="reverse-title">Reverse this receipt?</h2>
      <p id="reverse-preview">
        Takes {line.quantity} {line.unit} of {line.product_name} back off batch {line.batch_number}, received{" "}
        {formatInstant(line.received_at)}
        {line.supplier_name ? ` from ${line.supplier_name}` : ""}. The receipt stays in the audit trail, marked reversed.
      </p>
      <Field label="Reason for the reversal" wide>
        {(id) => <input id={id} name="reversal_reason" value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />}
      </Field>
      <ErrorMessage error={reverse.error} />
      <div className="form-actions">
        <button type="submit" className="danger" disabled={!reason.trim() || reverse.isPending}>
          {reverse.isPending ? "Reversing…" : `Reverse ${line.quantity} ${line.unit}`}
        </button>
        <button type="button" onClick={onClose}>
          Keep it <Kbd>Esc</Kbd>
        </button>
      </div>
    </form>
  );
}
