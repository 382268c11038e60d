// Printing at the counter: with a receipt printer set for this till, the
// shell prints ESC/POS itself (and opens the drawer after a cash sale);
// without one, or when the printer fails, the system print dialog prints
// the receipt on screen (see @media print). A4 documents always use it.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { printReceipt, printShiftReport, toApiError } from "../../api";
import { usePrinterSettings } from "../../lib/queries";

/** Whether this till has a receipt printer set. */
export function useHasReceiptPrinter(): boolean {
  const printer = usePrinterSettings();
  return printer.data !== undefined && printer.data.connection.kind !== "none";
}

/**
 * A "Print" button for a sale's receipt or a shift's report. `auto` prints
 * once when it first shows (a completed sale), on the receipt printer only.
 */
export function CounterPrint({
  document: kind,
  id,
  label,
  auto = false,
  reprint = false,
}: {
  document: "receipt" | "shift";
  id: string;
  label: string;
  auto?: boolean;
  reprint?: boolean;
}) {
  const { t } = useTranslation();
  const hasPrinter = useHasReceiptPrinter();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const printed = useRef(false);

  async function print(again: boolean) {
    if (!hasPrinter) {
      window.print();
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      const r = kind === "receipt" ? await printReceipt(id, again) : await printShiftReport(id);
      setStatus({
        ok: true,
        text: r.drawer_opened ? t("Printed on {{printer}}; the cash drawer is open.", { printer: r.printer }) : t("Printed on {{printer}}.", { printer: r.printer }),
      });
    } catch (e) {
      setStatus({ ok: false, text: toApiError(e).message });
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    if (auto && hasPrinter && !printed.current) {
      printed.current = true;
      void print(reprint);
    }
    // Print once per document, when the printer setting is known.
  }, [auto, hasPrinter]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <>
      <button type="button" onClick={() => void print(true)} disabled={busy}>
        {label}
      </button>
      {status && (
        <span className={status.ok ? "print-status ok" : "print-status bad"} role={status.ok ? "status" : "alert"}>
          {status.text}{" "}
          {!status.ok && (
            <button type="button" className="link" onClick={() => window.print()}>
              {t("Use the system print dialog")}
            </button>
          )}
        </span>
      )}
    </>
  );
}
