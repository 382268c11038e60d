// This till's receipt printer: how it is connected (USB, serial, network,
// or a file for tests), the paper width, and whether a cash sale opens the
// drawer. The shell prints ESC/POS itself; "Print a test page" tries the
// settings on the form before they are saved. With no printer, receipts
// go through the system print dialog.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";

import { setPrinterSettings, testPrint } from "../../api";
import type { PrinterConnection } from "../../bindings/shell/PrinterConnection";
import type { PrinterSettings } from "../../bindings/shell/PrinterSettings";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { PRINTER_KEY } from "../../lib/queries";

type Kind = PrinterConnection["kind"];

interface Draft {
  kind: Kind;
  device: string;
  baud: string;
  host: string;
  port: string;
  path: string;
  width: string;
  drawer: boolean;
}

function toDraft(s: PrinterSettings): Draft {
  const c = s.connection;
  return {
    kind: c.kind,
    device: c.kind === "usb" || c.kind === "serial" ? c.device : "",
    baud: c.kind === "serial" ? String(c.baud) : "9600",
    host: c.kind === "network" ? c.host : "",
    port: c.kind === "network" ? String(c.port) : "9100",
    path: c.kind === "file" ? c.path : "",
    width: String(s.paper_width_mm),
    drawer: s.cash_drawer,
  };
}

/** The settings the draft describes, or the field that is wrong and why. */
export function fromDraft(d: Draft): { settings: PrinterSettings } | { field: keyof Draft; message: string } {
  let connection: PrinterConnection;
  const whole = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : null);
  switch (d.kind) {
    case "none":
      connection = { kind: "none" };
      break;
    case "usb":
      if (!d.device.trim()) return { field: "device", message: "Enter the printer's device, e.g. /dev/usb/lp0." };
      connection = { kind: "usb", device: d.device.trim() };
      break;
    case "serial": {
      const baud = whole(d.baud);
      if (!d.device.trim()) return { field: "device", message: "Enter the serial port, e.g. /dev/ttyUSB0." };
      if (!baud) return { field: "baud", message: "Enter the speed in baud, e.g. 9600." };
      connection = { kind: "serial", device: d.device.trim(), baud };
      break;
    }
    case "network": {
      const port = whole(d.port);
      if (!d.host.trim()) return { field: "host", message: "Enter the printer's address, e.g. 192.168.1.50." };
      if (!port || port > 65535) return { field: "port", message: "Enter a port from 1 to 65535 (printers use 9100)." };
      connection = { kind: "network", host: d.host.trim(), port };
      break;
    }
    case "file":
      if (!d.path.trim()) return { field: "path", message: "Enter the file to print into." };
      connection = { kind: "file", path: d.path.trim() };
      break;
  }
  return { settings: { connection, paper_width_mm: Number(d.width), cash_drawer: d.drawer } };
}

export function PrinterSettingsForm({ settings, canChange }: { settings: PrinterSettings; canChange: boolean }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [fieldError, setFieldError] = useState<{ field: keyof Draft; message: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const errorOf = (k: keyof Draft) => (fieldError?.field === k ? t(fieldError.message) : undefined);

  async function run(action: "save" | "test", e?: FormEvent) {
    e?.preventDefault();
    setError(null);
    setNotice("");
    const parsed = fromDraft(draft);
    if ("field" in parsed) {
      setFieldError(parsed);
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      if (action === "save") {
        const saved = await setPrinterSettings(parsed.settings);
        qc.setQueryData(PRINTER_KEY, saved);
        setNotice(t("Printer saved."));
      } else {
        const r = await testPrint(parsed.settings);
        setNotice(t("Sent a test page to {{printer}} ({{bytes}} bytes).", { printer: r.printer, bytes: r.bytes }));
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel" aria-label={t("Receipt printer")}>
      <h2>{t("Receipt printer")}</h2>
      <form className="form-grid" aria-label={t("Receipt printer")} onSubmit={(e) => void run("save", e)}>
        <fieldset disabled={!canChange} className="form-grid plain">
          <Field label={t("Connection")}>
            {(id) => (
              <select id={id} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Kind })}>
                <option value="none">{t("No receipt printer (use the system print dialog)")}</option>
                <option value="usb">{t("USB")}</option>
                <option value="serial">{t("Serial")}</option>
                <option value="network">{t("Network")}</option>
                <option value="file">{t("File (for tests)")}</option>
              </select>
            )}
          </Field>
          {(draft.kind === "usb" || draft.kind === "serial") && (
            <Field label={t("Device")} error={errorOf("device")}>
              {(id, a11y) => <input id={id} value={draft.device} onChange={set("device")} {...a11y} />}
            </Field>
          )}
          {draft.kind === "serial" && (
            <Field label={t("Speed (baud)")} error={errorOf("baud")}>
              {(id, a11y) => <input id={id} value={draft.baud} onChange={set("baud")} inputMode="numeric" {...a11y} />}
            </Field>
          )}
          {draft.kind === "network" && (
            <>
              <Field label={t("Address")} error={errorOf("host")}>
                {(id, a11y) => <input id={id} value={draft.host} onChange={set("host")} {...a11y} />}
              </Field>
              <Field label={t("Port")} error={errorOf("port")}>
                {(id, a11y) => <input id={id} value={draft.port} onChange={set("port")} inputMode="numeric" {...a11y} />}
              </Field>
            </>
          )}
          {draft.kind === "file" && (
            <Field label={t("File")} error={errorOf("path")} wide>
              {(id, a11y) => <input id={id} value={draft.path} onChange={set("path")} {...a11y} />}
            </Field>
          )}
          {draft.kind !== "none" && (
            <>
              <Field label={t("Paper width")}>
                {(id) => (
                  <select id={id} value={draft.width} onChange={set("width")}>
                    <option value="80">{t("80 mm (48 characters)")}</option>
                    <option value="58">{t("58 mm (32 characters)")}</option>
                  </select>
                )}
              </Field>
              <label className="check">
                <input type="checkbox" checked={draft.drawer} onChange={(e) => setDraft({ ...draft, drawer: e.target.checked })} />{" "}
                {t("Open the cash drawer after a cash sale")}
              </label>
            </>
          )}
        </fieldset>
        {canChange && (
          <div className="form-actions">
            {draft.kind !== "none" && (
              <button type="button" onClick={() => void run("test")} disabled={busy}>
                {t("Print a test page")}
              </button>
            )}
            <button type="submit" className="primary" disabled={busy}>
              {t("Save printer")}
            </button>
          </div>
        )}
      </form>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      <Notice>{notice}</Notice>
    </section>
  );
}
