// Shifts: open with a cash float; close with a blind count (the counted
// cash first, the expected cash and the difference only in the Z report);
// the X report while open, on request; the Z report in a dialog
// (printable).
import { useId, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";

import { call, toApiError } from "../../api";
import type { ShiftReport } from "../../bindings/ShiftReport";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Loading } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";
import { parseMoney } from "./money";
import { ShiftReportView } from "./ReceiptView";
import { TillDialog } from "./TillDialog";
import { CounterPrint } from "./CounterPrint";

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

/**
 * The open shift: close it with a blind count (the cashier counts the
 * drawer before the expected cash is shown; the Z report then shows the
 * variance), and the X report on request (it shows the expected cash).
 */
export function ShiftPanel({ terminalId, onClosed }: { terminalId: string; onClosed: (z: ShiftReport) => void }) {
  const { t } = useTranslation();
  const [showX, setShowX] = useState(false);
  const [counted, setCounted] = useState("");
  const [notes, setNotes] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const err = error ? toApiError(error) : null;
  // The engine names the field at fault; the counted cash's own error sits by it.
  const countedError = err && (err.field === "counted_cash" || (err.kind === "invalid_input" && err.field !== "notes")) ? err : null;

  async function close(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      onClosed(await call("close_shift", { terminal_id: terminalId, counted_cash: counted.trim(), notes: notes.trim() || undefined }));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-label={t("Shift")}>
      <form aria-label={t("Close the shift")} onSubmit={close} className="no-print">
        <h2>{t("Close the shift")}</h2>
        <p>{t("Count everything in the drawer, float included, and enter it. The expected cash and any difference are shown once the shift is closed.")}</p>
        <div className="grid three">
          <Field label={t("Counted cash")}>
            {(id) => (
              <>
                <input
                  id={id}
                  value={counted}
                  onChange={(e) => setCounted(e.target.value)}
                  inputMode="decimal"
                  required
                  autoFocus
                  aria-invalid={countedError ? true : undefined}
                  aria-describedby={countedError ? errorId : undefined}
                />
                {countedError && (
                  <p className="field-error" id={errorId} role="alert">
                    {countedError.message}
                  </p>
                )}
              </>
            )}
          </Field>
          <Field label={t("Closing notes")}>{(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={busy}>
              {t("Close shift")}
            </button>
          </div>
        </div>
        {!countedError && <ErrorMessage error={error} />}
      </form>
      {showX ? (
        <XReport terminalId={terminalId} onHide={() => setShowX(false)} />
      ) : (
        <p className="no-print">
          <button type="button" onClick={() => setShowX(true)}>
            {t("Show the X report (it shows the expected cash)")}
          </button>
        </p>
      )}
    </section>
  );
}

/** The X report of the open shift, printable. */
function XReport({ terminalId, onHide }: { terminalId: string; onHide: () => void }) {
  const { t } = useTranslation();
  const x = useCommandQuery("get_shift_report", { terminal_id: terminalId }, { retry: false });
  return (
    <section aria-label={t("X report")}>
      <h3>{t("X report")}</h3>
      {x.isLoading && <Loading what={t("the X report")} />}
      <ErrorMessage error={x.error} />
      {x.data && <ShiftReportView report={x.data} />}
      <div className="form-actions no-print">
        <button type="button" onClick={() => window.print()} disabled={!x.data}>
          {t("Print X report")}
        </button>
        <button type="button" onClick={onHide}>
          {t("Hide the X report")}
        </button>
      </div>
    </section>
  );
}

/** The count against the expectation, after the close: short, over or exact. */
export function Variance({ report }: { report: ShiftReport }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (report.over_short === null || report.counted_cash === null) return null;
  const diff = parseMoney(report.over_short) ?? 0n;
  // The engine's over/short without its sign, as a string: no arithmetic here.
  const size = report.over_short.replace(/^-/, "");
  const kind = diff < 0n ? "short" : diff > 0n ? "over" : "exact";
  return (
    <div className="variance-box" data-testid="variance">
      <dl className="approval-facts">
        <dt>{t("Counted cash")}</dt>
        <dd>{f.money(report.counted_cash)}</dd>
        <dt>{t("Expected cash")}</dt>
        <dd>{f.money(report.expected_cash)}</dd>
      </dl>
      <p className={`variance ${kind}`} data-variance={kind}>
        {kind === "short"
          ? t("Short by {{amount}}", { amount: f.money(size) })
          : kind === "over"
            ? t("Over by {{amount}}", { amount: f.money(size) })
            : t("The drawer matches exactly")}
      </p>
    </div>
  );
}

/** A dialog after closing (the shift query then says "no open shift"): print it, then Done or Esc. */
export function ZReport({ report, onDismiss }: { report: ShiftReport; onDismiss: () => void }) {
  const { t } = useTranslation();
  return (
    <TillDialog title={t("Shift closed — Z report")} onClose={onDismiss} className="z-report-dialog">
      <Variance report={report} />
      <ShiftReportView report={report} />
      <div className="form-actions no-print">
        <CounterPrint document="shift" id={report.shift_id} label={t("Print Z report")} auto />
        <button type="button" onClick={onDismiss} autoFocus>
          {t("Done")} <Kbd>{t("Esc")}</Kbd>
        </button>
      </div>
    </TillDialog>
  );
}
