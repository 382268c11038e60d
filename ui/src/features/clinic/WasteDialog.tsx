// Waste from an open vial: reason (seed 000's), quantity, notes.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { VialSession } from "../../bindings/VialSession";
import type { WasteReason } from "../../bindings/WasteReason";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";
import { WASTE_REASONS, wasteReasonLabel } from "./labels";

const FIELDS = { quantity: "Quantity", reason: "Reason", notes: "Notes" };

export function WasteDialog({ session, onClose, onDone }: { session: VialSession; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [reason, setReason] = useState<WasteReason>("draw_up_loss");
  const [quantity, setQuantity] = useState("");
  const [notes, setNotes] = useState("");
  const waste = useCommandMutation("record_waste");

  function submit(e: FormEvent) {
    e.preventDefault();
    waste.mutate({ session_id: session.session_id, quantity: quantity.trim(), reason, notes: optional(notes) }, { onSuccess: onDone });
  }

  return (
    <Dialog title={t("Record waste from {{product}}, lot {{lot}}", { product: session.product_name, lot: session.batch_number })} onClose={onClose} size="small">
      <form onSubmit={submit} className="grid">
        <p>{t("{{remaining}} left in the vial.", { remaining: f.qty(session.remaining, session.unit) })}</p>
        <Field label={t("Reason")} error={fieldError(waste.error, "reason", t)}>
          {(id) => (
            <select id={id} value={reason} onChange={(e) => setReason(e.target.value as WasteReason)}>
              {WASTE_REASONS.map((r) => (
                <option key={r} value={r}>
                  {wasteReasonLabel(t, r)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("Quantity")} error={fieldError(waste.error, "quantity", t)}>
          {(id) => <input id={id} value={quantity} onChange={(e) => setQuantity(e.target.value)} inputMode="decimal" required autoFocus />}
        </Field>
        <Field label={t("Notes")} error={fieldError(waste.error, "notes", t)}>
          {(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}
        </Field>
        <ErrorMessage error={waste.error} fields={FIELDS} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Back")}
          </button>
          <button type="submit" className="primary" disabled={waste.isPending}>
            {t("Record waste")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
