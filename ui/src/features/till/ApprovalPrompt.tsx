// The manager's PIN, asked right where the cashier is working when the
// engine answers approval_required. The request is sent again with the
// approver's name and PIN; a wrong PIN is shown in place.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { toApiError } from "../../api";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";

/** What approval-gated commands take in addition to their own fields. */
export interface Approver {
  approver_name?: string;
  approver_pin?: string;
}

/** An operation waiting for a manager. */
export interface PendingApproval {
  /** What is being approved, in words. */
  what: string;
  /** The engine's reason in plain words (its details' `reason`). */
  reason: string;
  /** Sends the request again with the approver. */
  run: (approver: Approver) => Promise<unknown>;
}

export function ApprovalPrompt({ pending, onDone, onCancel }: { pending: PendingApproval; onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [pin, setPin] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await pending.run({ approver_name: name.trim(), approver_pin: pin });
      onDone();
    } catch (err) {
      setError(err);
      setPin("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel approval" aria-label={t("Manager approval")} onSubmit={submit} onKeyDown={(e) => e.key === "Escape" && onCancel()}>
      <h2>{t("Manager approval needed")}</h2>
      <p>
        <strong>{pending.what}</strong>: {pending.reason}.
      </p>
      <div className="grid three">
        <Field label={t("Approving manager")}>{(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} autoFocus required />}</Field>
        <Field label={t("Manager PIN")}>
          {(id) => <input id={id} type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} required />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("Checking…") : t("Approve")}
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")}
          </button>
        </div>
      </div>
      {refused(error) ? (
        <div className="error-message" role="alert" data-kind={toApiError(error).kind}>
          <div className="error-head">
            <strong>{toApiError(error).kind === "locked" ? t("Manager locked out") : t("PIN refused")}</strong>
          </div>
          <p className="error-text">{toApiError(error).message}</p>
        </div>
      ) : (
        <ErrorMessage error={error} />
      )}
    </form>
  );
}

/** A wrong PIN (approval_required again), a non-manager's PIN or a locked manager: said as such, not as a failed sign-in. */
function refused(error: unknown): boolean {
  if (error === null || error === undefined) return false;
  const k = toApiError(error).kind;
  return k === "approval_required" || k === "forbidden" || k === "locked";
}
