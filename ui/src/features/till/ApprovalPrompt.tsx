// A manager's approval, asked in a dialog right where the cashier is
// working when the engine answers approval_required. The manager picks
// their name from the store's approvers (never types it) and sees what they
// approve: what it is, the amount, the limit it goes past and the cashier
// asking. The request is sent again with the approver's name and PIN; a
// wrong PIN is said in place and the PIN field cleared.
//
// The engine decides whether approval is needed and says with what: its
// approval_required details carry the amount (money, percent or quantity),
// the limit it goes past and who asked (`approvalFactsOf`); the screen that
// asked only names the action, and its own figures stand in when the engine
// names none (a void's limit is "every void").
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Loading } from "../../components/Screen";
import type { Formatters } from "../../lib/locale";
import { useApprovers } from "./approvers";
import { TillDialog } from "./TillDialog";

/** What approval-gated commands take in addition to their own fields. */
export interface Approver {
  approver_name?: string;
  approver_pin?: string;
}

/** What the screen asking for approval knows about the action, in words. */
export interface ApprovalFacts {
  /** What is being approved ("Discount on Paracetamol 500mg"). */
  what: string;
  /** The amount at stake, formatted ("50% of ₦40.00", "₦5,070.00"). */
  amount?: string;
  /** The limit it goes past, formatted ("10% for a cashier", "every void"). */
  limit?: string;
}

/** The engine's approval_required details (all optional: an older or refused answer may carry none). */
export interface ApprovalDetails {
  reason: string;
  measure?: "money" | "percent" | "quantity" | null;
  amount?: string | null;
  limit?: string | null;
  requested_by?: string | null;
}

/** The amount, limit and requester the engine gave, formatted; only what it gave. */
export function approvalFactsOf(d: ApprovalDetails, fmt: Formatters): { amount?: string; limit?: string; cashier?: string } {
  const shown = (v: string) => (d.measure === "percent" ? fmt.percent(v) : d.measure === "quantity" ? fmt.qty(v) : fmt.money(v));
  return {
    ...(d.amount ? { amount: shown(d.amount) } : {}),
    ...(d.limit ? { limit: shown(d.limit) } : {}),
    ...(d.requested_by ? { cashier: d.requested_by } : {}),
  };
}

/** An operation waiting for a manager. */
export interface PendingApproval extends ApprovalFacts {
  /** The engine's reason in plain words (its details' `reason`). */
  reason: string;
  /** Who is asking (the signed-in user). */
  cashier: string;
  /** Sends the request again with the approver. */
  run: (approver: Approver) => Promise<unknown>;
}

export function ApprovalPrompt({ pending, onDone, onCancel }: { pending: PendingApproval; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const approvers = useApprovers();
  const list = approvers.data ?? [];
  // The picker, or (when the list cannot be had) the name typed as before.
  const typed = approvers.isError;
  const [picked, setPicked] = useState<string | null>(null);
  const only = list.length === 1 ? (list[0]?.name ?? null) : null;
  const chosen = picked ?? only;
  const [typedName, setTypedName] = useState("");
  const [pin, setPin] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  /** Approve was pressed before a manager was chosen. */
  const [missing, setMissing] = useState(false);
  const legendId = useId();
  const name = typed ? typedName.trim() : chosen;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!name) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    setError(null);
    try {
      await pending.run({ approver_name: name, approver_pin: pin });
      onDone();
    } catch (err) {
      setError(err);
      setPin("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <TillDialog title={t("Manager approval needed")} onClose={onCancel} className="approval">
      <form aria-label={t("Manager approval")} onSubmit={submit}>
        <dl className="approval-facts" data-testid="approval-facts">
          <dt>{t("To approve")}</dt>
          <dd>
            <strong>{pending.what}</strong>
          </dd>
          {pending.amount && (
            <>
              <dt>{t("Amount")}</dt>
              <dd data-testid="approval-amount">{pending.amount}</dd>
            </>
          )}
          {pending.limit && (
            <>
              <dt>{t("Limit it goes past")}</dt>
              <dd data-testid="approval-limit">{pending.limit}</dd>
            </>
          )}
          <dt>{t("Cashier")}</dt>
          <dd data-testid="approval-cashier">{pending.cashier}</dd>
        </dl>
        <p className="small">{pending.reason}.</p>

        {approvers.isLoading && <Loading what={t("the managers")} />}
        {typed ? (
          <Field label={t("Approving manager")} hint={t("The list of managers could not be loaded: type the name exactly.")}>
            {(id) => <input id={id} value={typedName} onChange={(e) => setTypedName(e.target.value)} autoFocus required />}
          </Field>
        ) : (
          approvers.isSuccess &&
          (list.length === 0 ? (
            <p className="error-text" role="alert">
              {t("No manager of this store has a PIN yet. An administrator sets one under Users.")}
            </p>
          ) : (
            <fieldset className="approver-picker" aria-describedby={missing && !chosen ? `${legendId}-missing` : undefined}>
              <legend id={legendId}>{t("Approving manager")}</legend>
              <div className="user-picker">
                {list.map((a, i) => (
                  <label key={a.id} className={chosen === a.name ? "user-choice selected" : "user-choice"}>
                    <input
                      type="radio"
                      name={`${legendId}-approver`}
                      value={a.name}
                      checked={chosen === a.name}
                      onChange={() => setPicked(a.name)}
                      aria-invalid={(missing && !chosen) || undefined}
                      autoFocus={!only && i === 0}
                    />
                    <span className="user-name">{a.name}</span>
                  </label>
                ))}
              </div>
              {missing && !chosen && (
                <p className="field-error" id={`${legendId}-missing`} role="alert">
                  {t("Choose the approving manager.")}
                </p>
              )}
            </fieldset>
          ))
        )}
        {/* Mounted once the managers are known, so it can take the focus when there is only one. */}
        {!approvers.isLoading && (
          <Field label={t("Manager PIN")}>
            {(id) => (
              <input
                id={id}
                type="password"
                inputMode="numeric"
                autoComplete="off"
                value={pin}
                onChange={(e) => setPin(e.target.value)}
                required
                autoFocus={!!only}
                aria-invalid={refused(error) || undefined}
                aria-describedby={refused(error) ? `${legendId}-error` : undefined}
              />
            )}
          </Field>
        )}
        {refused(error) ? (
          <div className="error-message" role="alert" data-kind={toApiError(error).kind} id={`${legendId}-error`}>
            <div className="error-head">
              <strong>{toApiError(error).kind === "locked" ? t("Manager locked out") : t("PIN refused")}</strong>
            </div>
            <p className="error-text">{toApiError(error).message}</p>
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || (!typed && list.length === 0)}>
            {busy ? t("Checking…") : t("Approve")}
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")} <Kbd>{t("Esc")}</Kbd>
          </button>
        </div>
      </form>
    </TillDialog>
  );
}

/** A wrong PIN (approval_required again), a non-manager's PIN or a locked manager: said as such, not as a failed sign-in. */
function refused(error: unknown): boolean {
  if (error === null || error === undefined) return false;
  const k = toApiError(error).kind;
  return k === "approval_required" || k === "forbidden" || k === "locked";
}
