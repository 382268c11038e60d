// Adjustments and write-offs. Pick a product, then one of its batches (FEFO
// order), then adjust it up or down with a reason or write it off. Above the
// store's threshold a non-manager's adjustment waits for approval, unless a
// manager approves on the spot with their name and PIN. Managers approve or
// reject pending adjustments below. The forms show only once a batch of a
// product shown in the picker is selected (a new search clears the choice),
// and every confirmation names product, batch and quantity.
import { useState, type FormEvent } from "react";

import type { AdjustmentReason } from "../../bindings/AdjustmentReason";
import type { BatchView } from "../../bindings/BatchView";
import type { SignedInUser } from "../../bindings/SignedInUser";
import { BatchTable, ExpiryLegend } from "../../components/BatchTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Loading, Notice, Screen } from "../../components/Screen";
import { formatInstant, optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

const REASONS: readonly { reason: AdjustmentReason; label: string }[] = [
  { reason: "correction", label: "Correction (count error)" },
  { reason: "damage", label: "Damage" },
  { reason: "loss", label: "Loss" },
  { reason: "theft", label: "Theft" },
  { reason: "expired", label: "Expired" },
  { reason: "obsolete", label: "Obsolete" },
  { reason: "recall", label: "Recall" },
  { reason: "found", label: "Found" },
  { reason: "other", label: "Other (explain in notes)" },
];

function ReasonSelect({ value, onChange }: { value: AdjustmentReason; onChange: (r: AdjustmentReason) => void }) {
  return (
    <Field label="Reason">
      {(id) => (
        <select id={id} name="reason" value={value} onChange={(e) => onChange(e.target.value as AdjustmentReason)}>
          {REASONS.map((r) => (
            <option key={r.reason} value={r.reason}>
              {r.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function AdjustmentsScreen({ user }: { user: SignedInUser }) {
  const [productId, setProductId] = useState("");
  const [batchId, setBatchId] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const batches = useCommandQuery("get_store_inventory", { product_id: productId }, { enabled: !!productId });
  const batch = batches.data?.find((b) => b.batch_id === batchId) ?? null;
  const isManager = user.role === "manager" || user.role === "admin";

  return (
    <Screen title="Adjustments and write-offs">
      <Notice>{notice}</Notice>
      <div className="toolbar">
        <ProductPicker
          value={productId}
          onChange={(id) => {
            setProductId(id);
            setBatchId(null);
          }}
          autoFocus
        />
        <ExpiryLegend />
      </div>
      {productId && (
        <>
          <ErrorMessage error={batches.error} />
          {batches.isPending ? (
            <Loading what="batches" />
          ) : (
            <BatchTable
              batches={batches.data ?? []}
              label="Batches of the product"
              showProduct={false}
              selectedId={batchId}
              actions={(b) => (
                <button type="button" onClick={() => setBatchId(b.batch_id)} aria-pressed={b.batch_id === batchId} aria-label={`Select batch ${b.batch_number}`}>
                  {b.batch_id === batchId ? "Selected" : "Select"}
                </button>
              )}
            />
          )}
        </>
      )}
      {batch && (
        <div className="split">
          <AdjustForm key={`adj-${batch.batch_id}`} batch={batch} onDone={setNotice} />
          <WriteOffForm key={`wo-${batch.batch_id}`} batch={batch} onDone={setNotice} />
        </div>
      )}
      <PendingApprovals canDecide={isManager} onDone={setNotice} />
      <RecentAdjustments />
    </Screen>
  );
}

function AdjustForm({ batch, onDone }: { batch: BatchView; onDone: (m: string) => void }) {
  const [change, setChange] = useState("");
  const [reason, setReason] = useState<AdjustmentReason>("correction");
  const [notes, setNotes] = useState("");
  const [approver, setApprover] = useState("");
  const [approverPin, setApproverPin] = useState("");
  const adjust = useCommandMutation("adjust_stock");

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await adjust
      .mutateAsync({
        batch_id: batch.batch_id,
        quantity_change: change.trim(),
        reason,
        notes: optional(notes),
        approver_name: optional(approver),
        approver_pin: optional(approverPin),
      })
      .catch(() => null);
    if (result) {
      setChange("");
      setNotes("");
      setApproverPin("");
      onDone(
        result.status === "pending"
          ? `Adjustment of ${result.quantity_change} ${batch.unit} on batch ${result.batch_number} of ${result.product_name} waits for a manager's approval.`
          : `Adjusted batch ${result.batch_number} of ${result.product_name} by ${result.quantity_change} ${batch.unit}: ${result.previous_quantity ?? "?"} → ${result.new_quantity ?? "?"}.`,
      );
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label="Adjust the batch">
      <h2>
        Adjust batch {batch.batch_number} of {batch.product_name}
      </h2>
      <p className="muted small">
        On hand {batch.quantity} {batch.unit}. Use a minus sign to reduce (e.g. -2).
      </p>
      <div className="grid two">
        <Field label="Quantity change">
          {(id) => <input id={id} name="quantity_change" value={change} onChange={(e) => setChange(e.target.value)} required autoFocus />}
        </Field>
        <ReasonSelect value={reason} onChange={setReason} />
        <Field label="Notes" wide>
          {(id) => <input id={id} name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
      </div>
      <details>
        <summary>Manager approval at the till (for large adjustments)</summary>
        <div className="grid two">
          <Field label="Approving manager">
            {(id) => <input id={id} name="approver_name" value={approver} onChange={(e) => setApprover(e.target.value)} />}
          </Field>
          <Field label="Manager PIN">
            {(id) => <input id={id} name="approver_pin" type="password" inputMode="numeric" value={approverPin} onChange={(e) => setApproverPin(e.target.value)} />}
          </Field>
        </div>
      </details>
      <ErrorMessage error={adjust.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={adjust.isPending}>
          {adjust.isPending ? "Saving…" : "Adjust"}
        </button>
      </div>
    </form>
  );
}

function WriteOffForm({ batch, onDone }: { batch: BatchView; onDone: (m: string) => void }) {
  const [reason, setReason] = useState<AdjustmentReason>("damage");
  const [notes, setNotes] = useState("");
  const writeoff = useCommandMutation("writeoff_batch");

  async function submit(e: FormEvent) {
    e.preventDefault();
    const result = await writeoff.mutateAsync({ batch_id: batch.batch_id, reason, notes: optional(notes) }).catch(() => null);
    if (result) {
      setNotes("");
      onDone(
        result.status === "pending"
          ? `Write-off of batch ${result.batch_number} of ${result.product_name} (${result.quantity_change} ${batch.unit}) waits for a manager's approval.`
          : `Wrote off batch ${result.batch_number} of ${result.product_name} (${result.quantity_change} ${batch.unit}): ${result.previous_quantity ?? "?"} → ${result.new_quantity ?? "0"}.`,
      );
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label="Write off the batch">
      <h2>
        Write off batch {batch.batch_number} of {batch.product_name}
      </h2>
      <p className="muted small">
        Removes all {batch.quantity} {batch.unit} left in this batch from stock.
      </p>
      <div className="grid two">
        <ReasonSelect value={reason} onChange={setReason} />
        <Field label="Write-off notes">
          {(id) => <input id={id} name="writeoff_notes" value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
      </div>
      <ErrorMessage error={writeoff.error} />
      <div className="form-actions">
        <button type="submit" className="danger" disabled={writeoff.isPending || batch.quantity === "0"}>
          {writeoff.isPending ? "Writing off…" : "Write off batch"}
        </button>
      </div>
    </form>
  );
}

function kindWord(kind: string): string {
  return kind === "writeoff" ? "write-off" : "adjustment";
}

function PendingApprovals({ canDecide, onDone }: { canDecide: boolean; onDone: (m: string) => void }) {
  const pending = useCommandQuery("list_adjustments", { status: "pending" });
  const approve = useCommandMutation("approve_adjustment");
  const reject = useCommandMutation("reject_adjustment");
  const rows = pending.data ?? [];
  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">Waiting for approval ({rows.length})</h2>
      <ErrorMessage error={pending.error ?? approve.error ?? reject.error} />
      {rows.length === 0 ? (
        <p className="muted">Nothing waits for approval.</p>
      ) : (
        <table aria-label="Adjustments waiting for approval">
          <thead>
            <tr>
              <th>Requested</th>
              <th>Product</th>
              <th>Batch</th>
              <th className="num">Change</th>
              <th>Reason</th>
              <th>By</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>{formatInstant(a.created_at)}</td>
                <td>{a.product_name}</td>
                <td>{a.batch_number}</td>
                <td className="num">{a.quantity_change}</td>
                <td>
                  {a.kind === "writeoff" ? "write-off: " : ""}
                  {a.reason}
                  {a.notes ? ` — ${a.notes}` : ""}
                </td>
                <td>{a.user_name}</td>
                <td>
                  {canDecide && (
                    <>
                      <button
                        type="button"
                        className="primary"
                        onClick={() =>
                          approve
                            .mutateAsync({ adjustment_id: a.id })
                            .then(() => onDone(`Approved the ${kindWord(a.kind)} of ${a.quantity_change} on batch ${a.batch_number} of ${a.product_name}.`), () => undefined)
                        }
                      >
                        Approve
                      </button>{" "}
                      <button
                        type="button"
                        className="danger"
                        onClick={() =>
                          reject
                            .mutateAsync({ adjustment_id: a.id })
                            .then(() => onDone(`Rejected the ${kindWord(a.kind)} of ${a.quantity_change} on batch ${a.batch_number} of ${a.product_name}.`), () => undefined)
                        }
                      >
                        Reject
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function RecentAdjustments() {
  const recent = useCommandQuery("list_adjustments", { limit: 50 });
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">Recent adjustments and write-offs</h2>
      <ErrorMessage error={recent.error} />
      <table aria-label="Recent adjustments">
        <thead>
          <tr>
            <th>When</th>
            <th>Kind</th>
            <th>Product</th>
            <th>Batch</th>
            <th className="num">Change</th>
            <th className="num">Before → after</th>
            <th>Reason</th>
            <th>Status</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {(recent.data ?? []).map((a) => (
            <tr key={a.id}>
              <td>{formatInstant(a.created_at)}</td>
              <td>{a.kind}</td>
              <td>{a.product_name}</td>
              <td>{a.batch_number}</td>
              <td className="num">{a.quantity_change}</td>
              <td className="num">
                {a.previous_quantity ?? ""} → {a.new_quantity ?? ""}
              </td>
              <td>{a.reason}</td>
              <td>{a.status}</td>
              <td>
                {a.user_name}
                {a.approved_by_name ? ` (approved by ${a.approved_by_name})` : ""}
              </td>
            </tr>
          ))}
          {recent.data?.length === 0 && (
            <tr>
              <td colSpan={9} className="empty">
                No adjustments yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
