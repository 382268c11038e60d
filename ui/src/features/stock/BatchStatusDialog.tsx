// Quarantine, recall or release one batch (managers). The dialog says what
// the change does before it is made: a quarantined or recalled batch can no
// longer be sold or reserved; only a quarantined batch can be released.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { BatchStatus } from "../../bindings/BatchStatus";
import type { BatchView } from "../../bindings/BatchView";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { useFormat } from "../../lib/locale";
import { useCommandMutation } from "../../lib/queries";

/** The status changes a manager can make to a batch in `status`. */
export function statusActions(status: BatchStatus): BatchStatus[] {
  switch (status) {
    case "available":
      return ["quarantine", "recalled", "damaged"];
    case "quarantine":
      return ["available", "recalled", "damaged"];
    case "depleted":
    case "expired":
      return ["recalled"];
    default:
      return [];
  }
}

export function BatchStatusDialog({
  batch,
  target,
  onClose,
  onDone,
}: {
  batch: BatchView;
  target: BatchStatus;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [reason, setReason] = useState("");
  const [recallClass, setRecallClass] = useState("");
  const [reasonError, setReasonError] = useState("");
  const change = useCommandMutation("set_batch_status");

  const title =
    target === "available"
      ? t("Release batch")
      : target === "quarantine"
        ? t("Quarantine batch")
        : target === "recalled"
          ? t("Recall batch")
          : t("Mark batch damaged");
  const effect =
    target === "available"
      ? t("The batch can be sold again, first expiry first.")
      : t("The batch can no longer be sold, reserved or given out until it is released.");

  function confirm() {
    setReasonError("");
    if (target !== "available" && !reason.trim()) {
      setReasonError(t("Say why, for the record."));
      return;
    }
    change.mutate(
      {
        batch_id: batch.batch_id,
        status: target,
        reason: reason.trim() || undefined,
        recall_class: target === "recalled" && recallClass ? recallClass : undefined,
      },
      { onSuccess: () => onDone(t("{{title}}: {{product}}, batch {{batch}}.", { title, product: batch.product_name, batch: batch.batch_number })) },
    );
  }

  return (
    <Dialog title={title} onClose={onClose} size="small">
      <dl className="preview">
        <dt>{t("Product")}</dt>
        <dd>{batch.product_name}</dd>
        <dt>{t("Batch")}</dt>
        <dd>{batch.batch_number}</dd>
        <dt>{t("Expiry")}</dt>
        <dd>{f.date(batch.expiry_date)}</dd>
        <dt>{t("On hand")}</dt>
        <dd>{f.qty(batch.quantity, batch.unit)}</dd>
      </dl>
      <p>{effect}</p>
      {target !== "available" && (
        <Field label={t("Reason")} error={reasonError}>
          {(id, a11y) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus {...a11y} />}
        </Field>
      )}
      {target === "recalled" && (
        <Field label={t("Recall class")}>
          {(id) => (
            <select id={id} value={recallClass} onChange={(e) => setRecallClass(e.target.value)}>
              <option value="">{t("(not given)")}</option>
              <option value="I">{t("Class I — may cause serious harm")}</option>
              <option value="II">{t("Class II — may cause temporary harm")}</option>
              <option value="III">{t("Class III — unlikely to cause harm")}</option>
            </select>
          )}
        </Field>
      )}
      <ErrorMessage error={change.error} />
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
        <button type="button" className={target === "available" ? "primary" : "danger"} onClick={confirm} disabled={change.isPending}>
          {title}
        </button>
      </div>
    </Dialog>
  );
}
