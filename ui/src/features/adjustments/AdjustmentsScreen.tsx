// Adjustments and write-offs. Pick a product, then one of its batches (FEFO
// order), then adjust it up or down with a reason or write it off. Above the
// store's threshold a non-manager's adjustment waits for approval, unless a
// manager approves on the spot with their name and PIN. Managers approve or
// reject pending adjustments below (a rejection needs a reason). Cashiers may
// write a batch off too: above the threshold the write-off waits like an
// adjustment. The forms show only once a batch of a
// product shown in the picker is selected (a new search clears the choice),
// and every confirmation names product, batch and quantity. A write-off, an
// approval and a rejection first show what they will do (batch, quantity,
// value at cost) and ask. A pending adjustment says what it waits for: its
// size or value at cost and the store's limit it goes past (the engine's
// `waiting_for`, from the thresholds as they stand).
import { approvalFactsOf } from "../till/ApprovalPrompt";
import { useApprovers } from "../till/approvers";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { Adjustment } from "../../bindings/Adjustment";
import type { AdjustmentReason } from "../../bindings/AdjustmentReason";
import type { ApprovalWait } from "../../bindings/ApprovalWait";
import type { BatchView } from "../../bindings/BatchView";
import { BatchTable, batchValue, ExpiryLegend } from "../../components/BatchTable";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Loading, Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useMayRun } from "../../lib/permissions";

/** The reasons, each with an English label that is its t() key. */
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

/** A reason in words. */
function reasonWords(reason: string, t: TFunction): string {
  const r = REASONS.find((x) => x.reason === reason);
  return r ? t(r.label) : reason.replace(/_/g, " ");
}

/** An adjustment's kind in words. */
function kindWords(kind: string, t: TFunction): string {
  if (kind === "writeoff") return t("write-off");
  if (kind === "supplier_return") return t("return to supplier");
  return t("adjustment");
}

/** An adjustment's status in words. */
function statusWords(status: string, t: TFunction): string {
  switch (status) {
    case "pending":
      return t("waiting for approval");
    case "applied":
      return t("applied");
    case "approved":
      return t("approved");
    case "rejected":
      return t("rejected");
    default:
      return status.replace(/_/g, " ");
  }
}

/**
 * What a pending adjustment waits for, in words: each limit of the store it
 * goes past with the figure that passes it; when the thresholds were raised
 * since, that it goes past none any more.
 */
function waitWords(w: ApprovalWait, fmt: ReturnType<typeof useFormat>, t: TFunction): string {
  const over: string[] = [];
  if (w.quantity_limit !== null)
    over.push(t("{{quantity}}, over the limit of {{limit}}", { quantity: fmt.qty(w.quantity), limit: fmt.qty(w.quantity_limit) }));
  if (w.value_limit !== null)
    over.push(t("{{value}} at cost, over the limit of {{limit}}", { value: fmt.money(w.value), limit: fmt.money(w.value_limit) }));
  if (over.length === 0) return t("{{quantity}} worth {{value}} at cost: within the limits now", { quantity: fmt.qty(w.quantity), value: fmt.money(w.value) });
  return over.join("; ");
}

function ReasonSelect({ value, onChange, error }: { value: AdjustmentReason; onChange: (r: AdjustmentReason) => void; error?: unknown }) {
  const { t } = useTranslation();
  return (
    <Field label={t("Reason")} error={fieldError(error, "reason", t)}>
      {(id) => (
        <select id={id} name="reason" value={value} onChange={(e) => onChange(e.target.value as AdjustmentReason)}>
          {REASONS.map((r) => (
            <option key={r.reason} value={r.reason}>
              {t(r.label)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function AdjustmentsScreen() {
  const { t } = useTranslation();
  const [productId, setProductId] = useState("");
  const [batchId, setBatchId] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const batches = useCommandQuery("get_store_inventory", { product_id: productId }, { enabled: !!productId });
  const batch = batches.data?.find((b) => b.batch_id === batchId) ?? null;
  const mayRun = useMayRun();

  return (
    <Screen title={t("Adjustments and write-offs")}>
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
            <Loading what={t("batches")} />
          ) : (
            <BatchTable
              batches={batches.data ?? []}
              label={t("Batches of the product")}
              showProduct={false}
              showValue
              selectedId={batchId}
              actions={(b) => (
                <button
                  type="button"
                  onClick={() => setBatchId(b.batch_id)}
                  aria-pressed={b.batch_id === batchId}
                  aria-label={t("Select batch {{batch}}", { batch: b.batch_number })}
                >
                  {b.batch_id === batchId ? t("Selected") : t("Select")}
                </button>
              )}
            />
          )}
        </>
      )}
      {batch && (
        <div className="split">
          <AdjustForm key={`adj-${batch.batch_id}`} batch={batch} onDone={setNotice} />
          {mayRun("writeoff_batch") && <WriteOffForm key={`wo-${batch.batch_id}`} batch={batch} onDone={setNotice} />}
        </div>
      )}
      <PendingApprovals canDecide={mayRun("approve_adjustment")} onDone={setNotice} />
      <RecentAdjustments />
    </Screen>
  );
}

function AdjustForm({ batch, onDone }: { batch: BatchView; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [change, setChange] = useState("");
  const [reason, setReason] = useState<AdjustmentReason>("correction");
  const [notes, setNotes] = useState("");
  const [approver, setApprover] = useState("");
  const [approverPin, setApproverPin] = useState("");
  const adjust = useCommandMutation("adjust_stock");
  const approvers = useApprovers();
  const err = adjust.error;
  // A refused approval says what was to be approved (the engine's figures).
  const approval = err?.is("approval_required") ? approvalFactsOf(err.details, fmt) : null;
  const fields = {
    quantity_change: t("Quantity change"),
    reason: t("Reason"),
    notes: t("Notes"),
    approver_name: t("Approving manager"),
    approver_pin: t("Manager PIN"),
  };

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
      const facts = {
        change: fmt.qty(result.quantity_change, batch.unit),
        batch: result.batch_number,
        product: result.product_name,
        before: fmt.qty(result.previous_quantity) || "?",
        after: fmt.qty(result.new_quantity) || "?",
      };
      onDone(
        result.status === "pending"
          ? t("Adjustment of {{change}} on batch {{batch}} of {{product}} waits for a manager's approval.", facts)
          : t("Adjusted batch {{batch}} of {{product}} by {{change}}: {{before}} → {{after}}.", facts),
      );
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={t("Adjust the batch")}>
      <h2>{t("Adjust batch {{batch}} of {{product}}", { batch: batch.batch_number, product: batch.product_name })}</h2>
      <p className="muted small">
        {t("On hand {{quantity}}. Use a minus sign to reduce (e.g. -2).", { quantity: fmt.qty(batch.quantity, batch.unit) })}
      </p>
      <div className="grid two">
        <Field label={fields.quantity_change} error={fieldError(err, "quantity_change", t)}>
          {(id) => <input id={id} name="quantity_change" value={change} onChange={(e) => setChange(e.target.value)} required autoFocus />}
        </Field>
        <ReasonSelect value={reason} onChange={setReason} error={err} />
        <Field label={fields.notes} wide error={fieldError(err, "notes", t)}>
          {(id) => <input id={id} name="notes" value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
      </div>
      <details open={Boolean(fieldError(err, "approver_name") ?? fieldError(err, "approver_pin")) || undefined}>
        <summary>{t("Manager approval at the till (for large adjustments)")}</summary>
        <div className="grid two">
          <Field label={fields.approver_name} error={fieldError(err, "approver_name", t)}>
            {(id) => (
              <select id={id} name="approver_name" value={approver} onChange={(e) => setApprover(e.target.value)}>
                <option value="">{t("No one now (above the threshold it waits for a manager)")}</option>
                {(approvers.data ?? []).map((a) => (
                  <option key={a.id} value={a.name}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={fields.approver_pin} error={fieldError(err, "approver_pin", t)}>
            {(id) => <input id={id} name="approver_pin" type="password" inputMode="numeric" value={approverPin} onChange={(e) => setApproverPin(e.target.value)} />}
          </Field>
        </div>
      </details>
      <ErrorMessage error={err} fields={fields} />
      {approval && (
        <dl className="approval-facts" data-testid="approval-facts">
          {approval.amount && (
            <>
              <dt>{t("Amount")}</dt>
              <dd>{approval.amount}</dd>
            </>
          )}
          {approval.limit && (
            <>
              <dt>{t("Limit it goes past")}</dt>
              <dd>{approval.limit}</dd>
            </>
          )}
          {approval.cashier && (
            <>
              <dt>{t("Asked by")}</dt>
              <dd>{approval.cashier}</dd>
            </>
          )}
        </dl>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={adjust.isPending}>
          {adjust.isPending ? t("Saving…") : t("Adjust")}
        </button>
      </div>
    </form>
  );
}

function WriteOffForm({ batch, onDone }: { batch: BatchView; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [reason, setReason] = useState<AdjustmentReason>("damage");
  const [notes, setNotes] = useState("");
  const [confirming, setConfirming] = useState(false);
  const writeoff = useCommandMutation("writeoff_batch");

  function ask(e: FormEvent) {
    e.preventDefault();
    writeoff.reset();
    setConfirming(true);
  }

  async function run() {
    const result = await writeoff.mutateAsync({ batch_id: batch.batch_id, reason, notes: optional(notes) }).catch(() => null);
    if (result) {
      setConfirming(false);
      setNotes("");
      const facts = {
        batch: result.batch_number,
        product: result.product_name,
        quantity: fmt.qty(result.quantity_change, batch.unit),
        before: fmt.qty(result.previous_quantity) || "?",
        after: fmt.qty(result.new_quantity ?? "0"),
      };
      onDone(
        result.status === "pending"
          ? t("Write-off of batch {{batch}} of {{product}} ({{quantity}}) waits for a manager's approval.", facts)
          : t("Wrote off batch {{batch}} of {{product}} ({{quantity}}): {{before}} → {{after}}.", facts),
      );
    }
  }

  const quantity = fmt.qty(batch.quantity, batch.unit);
  const value = fmt.money(batchValue(batch));
  return (
    <form className="panel" onSubmit={ask} aria-label={t("Write off the batch")}>
      <h2>{t("Write off batch {{batch}} of {{product}}", { batch: batch.batch_number, product: batch.product_name })}</h2>
      <p className="muted small">{t("Removes all {{quantity}} left in this batch from stock.", { quantity })}</p>
      <div className="grid two">
        <ReasonSelect value={reason} onChange={setReason} />
        <Field label={t("Write-off notes")}>
          {(id) => <input id={id} name="writeoff_notes" value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
      </div>
      <div className="form-actions">
        <button type="submit" className="danger" disabled={writeoff.isPending || batch.quantity === "0"}>
          {t("Write off batch…")}
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={t("Write off batch {{batch}}?", { batch: batch.batch_number })}
          confirmLabel={t("Write off {{quantity}}", { quantity })}
          busyLabel={t("Writing off…")}
          busy={writeoff.isPending}
          error={writeoff.error}
          onConfirm={() => void run()}
          onCancel={() => setConfirming(false)}
        >
          <dl className="facts" data-testid="writeoff-preview">
            <dt>{t("Product")}</dt>
            <dd>{batch.product_name}</dd>
            <dt>{t("Batch")}</dt>
            <dd>{batch.batch_number}</dd>
            <dt>{t("Quantity written off")}</dt>
            <dd>{quantity}</dd>
            <dt>{t("Value at cost")}</dt>
            <dd>{value}</dd>
            <dt>{t("Reason")}</dt>
            <dd>
              {reasonWords(reason, t)}
              {notes.trim() ? ` — ${notes.trim()}` : ""}
            </dd>
          </dl>
          <p>{t("The stock leaves the batch for good; above the store's threshold the write-off waits for a manager's approval.")}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}

type Decision = { adjustment: Adjustment; approve: boolean };

function PendingApprovals({ canDecide, onDone }: { canDecide: boolean; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const pending = useCommandQuery("list_adjustments", { status: "pending" });
  const approve = useCommandMutation("approve_adjustment");
  const reject = useCommandMutation("reject_adjustment");
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const [notes, setNotes] = useState("");
  const rows = pending.data ?? [];

  function open(adjustment: Adjustment, yes: boolean) {
    approve.reset();
    reject.reset();
    setNotes("");
    setDeciding({ adjustment, approve: yes });
  }

  async function decide({ adjustment: a, approve: yes }: Decision) {
    const facts = { kind: kindWords(a.kind, t), change: fmt.qty(a.quantity_change), batch: a.batch_number, product: a.product_name };
    const done = await (yes ? approve : reject)
      .mutateAsync({ adjustment_id: a.id, notes: optional(notes) })
      .then(() => true, () => false);
    if (done) {
      setDeciding(null);
      onDone(
        yes
          ? t("Approved the {{kind}} of {{change}} on batch {{batch}} of {{product}}.", facts)
          : t("Rejected the {{kind}} of {{change}} on batch {{batch}} of {{product}}.", facts),
      );
    }
  }

  return (
    <section aria-labelledby="pending-title">
      <h2 id="pending-title">{t("Waiting for approval ({{count}})", { count: rows.length })}</h2>
      <ErrorMessage error={pending.error} />
      {rows.length === 0 ? (
        <p className="muted">{t("Nothing waits for approval.")}</p>
      ) : (
        <table aria-label={t("Adjustments waiting for approval")}>
          <thead>
            <tr>
              <th>{t("Requested")}</th>
              <th>{t("Product")}</th>
              <th>{t("Batch")}</th>
              <th className="num">{t("Change")}</th>
              <th>{t("Waits for approval of")}</th>
              <th>{t("Reason")}</th>
              <th>{t("By")}</th>
              <th aria-label={t("Actions")} />
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.id}>
                <td>{fmt.instant(a.created_at)}</td>
                <td>{a.product_name}</td>
                <td>{a.batch_number}</td>
                <td className="num">{fmt.qty(a.quantity_change)}</td>
                <td data-testid="waiting-for">{a.waiting_for ? waitWords(a.waiting_for, fmt, t) : ""}</td>
                <td>
                  {a.kind !== "adjustment" ? `${kindWords(a.kind, t)}: ` : ""}
                  {reasonWords(a.reason, t)}
                  {a.notes ? ` — ${a.notes}` : ""}
                </td>
                <td>{a.user_name}</td>
                <td>
                  {canDecide && (
                    <>
                      <button type="button" className="primary" onClick={() => open(a, true)}>
                        {t("Approve")}
                      </button>{" "}
                      <button type="button" className="danger" onClick={() => open(a, false)}>
                        {t("Reject")}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {deciding && (
        <DecisionDialog
          decision={deciding}
          notes={notes}
          onNotes={setNotes}
          busy={approve.isPending || reject.isPending}
          error={approve.error ?? reject.error}
          onConfirm={() => void decide(deciding)}
          onCancel={() => setDeciding(null)}
        />
      )}
    </section>
  );
}

/** What approving (the stock changes) or rejecting (nothing changes) will do. */
function DecisionDialog({
  decision: { adjustment: a, approve },
  notes,
  onNotes,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  decision: Decision;
  notes: string;
  onNotes: (notes: string) => void;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const facts = { kind: kindWords(a.kind, t), change: fmt.qty(a.quantity_change), batch: a.batch_number, product: a.product_name };
  return (
    <ConfirmDialog
      title={approve ? t("Approve this {{kind}}?", facts) : t("Reject this {{kind}}?", facts)}
      confirmLabel={approve ? t("Approve") : t("Reject")}
      tone={approve ? "primary" : "danger"}
      busy={busy}
      error={error}
      confirmDisabled={!approve && notes.trim() === ""}
      focusCancel={false}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <dl className="facts">
        <dt>{t("Product")}</dt>
        <dd>{a.product_name}</dd>
        <dt>{t("Batch")}</dt>
        <dd>{a.batch_number}</dd>
        <dt>{t("Change")}</dt>
        <dd>{fmt.qty(a.quantity_change)}</dd>
        {a.waiting_for && (
          <>
            <dt>{t("Waits for approval of")}</dt>
            <dd>{waitWords(a.waiting_for, fmt, t)}</dd>
          </>
        )}
        <dt>{t("Reason")}</dt>
        <dd>
          {reasonWords(a.reason, t)}
          {a.notes ? ` — ${a.notes}` : ""}
        </dd>
        <dt>{t("Requested by")}</dt>
        <dd>
          {a.user_name}, {fmt.instant(a.created_at)}
        </dd>
      </dl>
      <Field label={approve ? t("Note (optional)") : t("Reason for rejecting (required)")} wide error={fieldError(error, "notes", t)}>
        {(id) => <input id={id} name="decision_notes" value={notes} onChange={(e) => onNotes(e.target.value)} required={!approve} autoFocus />}
      </Field>
      <p>
        {approve
          ? t("The batch's stock changes by {{change}} now.", facts)
          : t("The stock stays as it is; the request is kept in the audit trail as rejected.")}
      </p>
    </ConfirmDialog>
  );
}

function RecentAdjustments() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const recent = useCommandQuery("list_adjustments", { limit: 50 });
  return (
    <section aria-labelledby="recent-title">
      <h2 id="recent-title">{t("Recent adjustments and write-offs")}</h2>
      <ErrorMessage error={recent.error} />
      <table aria-label={t("Recent adjustments")}>
        <thead>
          <tr>
            <th>{t("When")}</th>
            <th>{t("Kind")}</th>
            <th>{t("Product")}</th>
            <th>{t("Batch")}</th>
            <th className="num">{t("Change")}</th>
            <th className="num">{t("Before → after")}</th>
            <th>{t("Reason")}</th>
            <th>{t("Status")}</th>
            <th>{t("By")}</th>
          </tr>
        </thead>
        <tbody>
          {(recent.data ?? []).map((a) => (
            <tr key={a.id} data-kind={a.kind}>
              <td>{fmt.instant(a.created_at)}</td>
              <td>{kindWords(a.kind, t)}</td>
              <td>{a.product_name}</td>
              <td>{a.batch_number}</td>
              <td className="num">{fmt.qty(a.quantity_change)}</td>
              <td className="num">
                {fmt.qty(a.previous_quantity)} → {fmt.qty(a.new_quantity)}
              </td>
              <td>{reasonWords(a.reason, t)}</td>
              <td>{statusWords(a.status, t)}</td>
              <td>
                {a.user_name}
                {a.approved_by_name
                  ? ` ${a.status === "rejected" ? t("(rejected by {{name}})", { name: a.approved_by_name }) : t("(approved by {{name}})", { name: a.approved_by_name })}`
                  : ""}
              </td>
            </tr>
          ))}
          {recent.data?.length === 0 && (
            <tr>
              <td colSpan={9} className="empty">
                {t("No adjustments yet.")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
