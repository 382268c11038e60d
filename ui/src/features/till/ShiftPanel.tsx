// Shifts: open with a cash float, the X report while open, close with the
// counted cash → Z report with over/short (printable).
import { useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";

import { call } from "../../api";
import type { ShiftReport } from "../../bindings/ShiftReport";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Loading } from "../../components/Screen";
import { useCommandQuery } from "../../lib/queries";
import { ShiftReportView } from "./ReceiptView";
import { TillDialog } from "./TillDialog";

export function OpenShiftForm({ terminalId }: { terminalId: string }) {
  const { t } = useTranslation();
  const [float, setFloat] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await call("open_shift", { terminal_id: terminalId, opening_float: float.trim() || "0" });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel" aria-label={t("Open the shift")} onSubmit={submit}>
      <h2>{t("Open the shift")}</h2>
      <p>
        <Trans
          i18nKey="Till <1>{{till}}</1> has no open shift. Count the cash float in the drawer to start selling."
          values={{ till: terminalId }}
          components={{ 1: <strong data-testid="open-shift-till" /> }}
        />{" "}
        <span className="muted small">{t("(The till id is this workstation's; an administrator renames it under Settings.)")}</span>
      </p>
      <div className="grid three">
        <Field label={t("Opening float")}>{(id) => <input id={id} value={float} onChange={(e) => setFloat(e.target.value)} inputMode="decimal" autoFocus required />}</Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {t("Open shift")}
          </button>
        </div>
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}

export function ShiftPanel({ terminalId, onClosed }: { terminalId: string; onClosed: (z: ShiftReport) => void }) {
  const { t } = useTranslation();
  const x = useCommandQuery("get_shift_report", { terminal_id: terminalId }, { retry: false });
  const [counted, setCounted] = useState("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<unknown>(null);

  async function close(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      onClosed(await call("close_shift", { terminal_id: terminalId, counted_cash: counted.trim(), notes: notes.trim() || undefined }));
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section className="panel" aria-label={t("Shift")}>
      <h2>{t("Shift — X report")}</h2>
      {x.isLoading && <Loading what={t("the X report")} />}
      <ErrorMessage error={x.error} />
      {x.data && <ShiftReportView report={x.data} />}
      <form aria-label={t("Close the shift")} onSubmit={close} className="no-print">
        <h3>{t("Close the shift")}</h3>
        <div className="grid three">
          <Field label={t("Counted cash")} hint={t("Everything in the drawer, float included")}>
            {(id) => <input id={id} value={counted} onChange={(e) => setCounted(e.target.value)} inputMode="decimal" required />}
          </Field>
          <Field label={t("Closing notes")}>{(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
          <div className="form-actions">
            <button type="submit" className="primary">
              {t("Close shift")}
            </button>
            <button type="button" onClick={() => window.print()}>
              {t("Print X report")}
            </button>
          </div>
        </div>
        <ErrorMessage error={error} />
      </form>
    </section>
  );
}

/** A dialog after closing (the shift query then says "no open shift"): print it, then Done or Esc. */
export function ZReport({ report, onDismiss }: { report: ShiftReport; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <TillDialog title={t("Shift closed — Z report")} onClose={onDismiss} className="z-report-dialog">
      <ShiftReportView report={report} />
      <div className="form-actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t("Print Z report")}
        </button>
        <button type="button" onClick={onDismiss} autoFocus>
          {t("Done")} <Kbd>{t("Esc")}</Kbd>
        </button>
      </div>
    </TillDialog>
  );
}
