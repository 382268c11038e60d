// The till's prompts, in dialogs above the sale: a refused pack (big and
// red, with its sound) and the prescription reference for a
// prescription-only product.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { ScanResult } from "../../bindings/ScanResult";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { i18next } from "../../i18n";
import { TillDialog } from "./TillDialog";

function refusalTitle(refusal: string | null): string {
  switch (refusal) {
    case "expired":
      return i18next.t("EXPIRED — do not sell");
    case "recalled":
      return i18next.t("RECALLED — do not sell");
    case "quarantine":
      return i18next.t("IN QUARANTINE — do not sell");
    case "damaged":
      return i18next.t("DAMAGED — do not sell");
    default:
      return i18next.t("REFUSED — do not sell");
  }
}

/** A refused pack: an alert dialog, so it is seen, and the next scan carries on. */
export function RefusalDialog({ scan, onDismiss }: { scan: ScanResult; onDismiss: () => void }) {
  const { t } = useTranslation();
  const batch = scan.batch?.batch_number ?? scan.parsed?.batch ?? null;
  return (
    <TillDialog
      title={refusalTitle(scan.refusal)}
      onClose={onDismiss}
      role="alertdialog"
      className="refusal"
      testId="scan-refusal"
      data={{ "data-refusal": scan.refusal ?? "" }}
    >
      <div>
        <p className="refusal-product">
          {scan.product.name}
          {batch ? ` · ${t("batch {{batch}}", { batch })}` : ""}
        </p>
        <p>{scan.message}</p>
        <p className="small">{t("Put the pack aside for the pharmacist. Scan another pack to continue.")}</p>
        <div className="form-actions">
          <button type="button" onClick={onDismiss} autoFocus>
            {t("Understood")} <Kbd>{t("Esc")}</Kbd>
          </button>
        </div>
      </div>
    </TillDialog>
  );
}

/** A prescription-only product: its prescription's reference, kept with the sale. */
export function PrescriptionDialog({
  name,
  onSubmit,
  onCancel,
  error,
}: {
  name: string;
  onSubmit: (ref: string) => Promise<void>;
  onCancel: () => void;
  /** Why the line was not added (shown here, where the cashier is looking). */
  error?: unknown;
}) {
  const { t } = useTranslation();
  const [ref, setRef] = useState("");
  return (
    <TillDialog title={t("Prescription needed")} onClose={onCancel} className="approval">
      <form
        aria-label={t("Prescription reference")}
        onSubmit={(e) => {
          e.preventDefault();
          if (ref.trim()) void onSubmit(ref.trim());
        }}
      >
        <p>{t("{{name}} is prescription-only. Enter the prescription's reference; it is kept with the sale.", { name })}</p>
        <Field label={t("Prescription reference")}>{(id) => <input id={id} value={ref} onChange={(e) => setRef(e.target.value)} autoFocus required />}</Field>
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="primary">
            {t("Add to cart")}
          </button>
          <button type="button" onClick={onCancel}>
            {t("Cancel")}
          </button>
        </div>
      </form>
    </TillDialog>
  );
}
