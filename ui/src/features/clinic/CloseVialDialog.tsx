// Closing a vial: the reason, and for a close by hand with units left, what
// the remainder is wasted as (required). Used up only when nothing is left.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { CloseReason } from "../../bindings/CloseReason";
import type { VialSession } from "../../bindings/VialSession";
import type { WasteReason } from "../../bindings/WasteReason";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { isZeroDecimal } from "../../lib/decimal";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";
import { closeReasonLabel, WASTE_REASONS, wasteReasonLabel } from "./labels";

const FIELDS = { reason: "Reason", waste_reason: "Remainder wasted as", notes: "Notes" };

export function CloseVialDialog({ session, onClose, onDone }: { session: VialSession; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const empty = isZeroDecimal(session.remaining);
  const reasons: CloseReason[] = empty ? ["depleted", "manual_close"] : ["manual_close", "contamination", "stability_exceeded"];
  const [reason, setReason] = useState<CloseReason>(reasons[0] ?? "manual_close");
  const [wasteReason, setWasteReason] = useState<WasteReason | "">("");
  const [notes, setNotes] = useState("");
  const [missing, setMissing] = useState(false);
  const close = useCommandMutation("close_vial_session");
  const asksWasteReason = reason === "manual_close" && !empty;

  function submit(e: FormEvent) {
    e.preventDefault();
    if (asksWasteReason && !wasteReason) {
      setMissing(true);
      return;
    }
    setMissing(false);
    close.mutate(
      { session_id: session.session_id, reason, waste_reason: asksWasteReason && wasteReason ? wasteReason : undefined, notes: optional(notes) },
      { onSuccess: onDone },
    );
  }

  return (
    <Dialog title={t("Close the vial of {{product}}, lot {{lot}}", { product: session.product_name, lot: session.batch_number })} onClose={onClose} size="small" role="alertdialog">
      <form onSubmit={submit} className="grid">
        <p>
          {empty
            ? t("Nothing is left in the vial.")
            : t("{{remaining}} left in the vial will be recorded as waste.", { remaining: f.qty(session.remaining, session.unit) })}
        </p>
        <Field label={t("Reason")} error={fieldError(close.error, "reason", t)}>
          {(id) => (
            <select id={id} value={reason} onChange={(e) => setReason(e.target.value as CloseReason)}>
              {reasons.map((r) => (
                <option key={r} value={r}>
                  {closeReasonLabel(t, r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        {asksWasteReason && (
          <Field
            label={t("Remainder wasted as")}
            error={missing ? t("Choose what the remainder is wasted as.") : fieldError(close.error, "waste_reason", t)}
          >
            {(id) => (
              <select id={id} value={wasteReason} onChange={(e) => setWasteReason(e.target.value as WasteReason | "")}>
                <option value="">{t("Choose a reason")}</option>
                {WASTE_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {wasteReasonLabel(t, r)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={t("Notes")}>{(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
        <ErrorMessage error={close.error} fields={FIELDS} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Back")}
          </button>
          <button type="submit" className="danger" disabled={close.isPending}>
            {t("Close the vial")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
