// Settings: this workstation's till id, its printer, sync with the central
// server (SyncSettings) and the store's own settings. The shell keeps the till id
// (--till-id, PHARMAPOS_TILL_ID, or the config file beside the database);
// only the config file's id can be renamed here, and not while the till's
// shift is open (the shell refuses; the shift and its cash are filed under
// the old id).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";

import { ApiError, renameTill } from "../../api";
import type { TillIdSource } from "../../bindings/shell/TillIdSource";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { TILL_CONFIG_KEY, useCommandQuery, usePrinterSettings, useTillConfig } from "../../lib/queries";
import { useMayRun } from "../../lib/permissions";
import { StoreDetailsForm, TillSettingsForm } from "../store/StoreSettingsForms";
import { StockFreezeForm } from "../store/StockFreezeForm";
import { PrinterSettingsForm } from "./PrinterSettingsForm";
import { SyncSettings } from "./SyncSettings";

/** The shell's rule: 1–32 letters, digits, "-" or "_". */
export function validTillId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,32}$/.test(id);
}

/** Where the till id comes from, as English t() keys. */
const SOURCES: Record<TillIdSource, string> = {
  argument: "set by --till-id on the command line that started PharmaPOS",
  environment: "set by the PHARMAPOS_TILL_ID environment variable",
  config_file: "kept in this computer's till config file",
};

export function SettingsScreen() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const till = useTillConfig();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const id = name.trim();
    if (!validTillId(id)) {
      setError(new ApiError("invalid_input", t("A till id is 1 to 32 letters, digits, “-” or “_” (e.g. FRONT-1)."), { field: "till_id" }));
      return;
    }
    setBusy(true);
    try {
      const config = await renameTill(id);
      qc.setQueryData(TILL_CONFIG_KEY, config);
      setName("");
      setNotice(t("This till is now {{id}}.", { id: config.till_id }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const fields = { till_id: t("New till id") };
  return (
    <Screen title={t("Settings")}>
      <section className="panel" aria-label={t("This till")}>
        <h2>{t("This till")}</h2>
        {till.isLoading && <Loading what={t("this till's id")} />}
        {till.data && (
          <>
            <p>
              {t("Till id:")} <strong data-testid="settings-till-id">{till.data.till_id}</strong> — {t(SOURCES[till.data.source])}.
            </p>
            <p className="muted small">
              {t("Config file:")} <code>{till.data.config_path}</code>. {t("Shifts, carts, sales and returns are filed under the till id.")}
            </p>
          </>
        )}
        <ErrorMessage error={till.error} />
        {!mayRun("update_store") ? null : (till.data?.renamable ?? Boolean(till.error)) ? (
          <form className="inline-form" aria-label={t("Rename this till")} onSubmit={submit}>
            <Field label={fields.till_id} hint={t("1–32 letters, digits, “-” or “_”; close the till's shift first")} error={fieldError(error, "till_id", t)}>
              {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={40} />}
            </Field>
            <button type="submit" className="primary" disabled={busy}>
              {t("Rename till")}
            </button>
          </form>
        ) : (
          till.data && <p className="muted">{t("Change it where it is set, then restart PharmaPOS.")}</p>
        )}
        <ErrorMessage error={error} onDismiss={() => setError(null)} fields={fields} />
        <Notice>{notice}</Notice>
      </section>
      <PrinterSection />
      <SyncSettings />
      <StoreSections />
    </Screen>
  );
}

function PrinterSection() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const printer = usePrinterSettings();
  if (printer.error) return <ErrorMessage error={printer.error} />;
  if (!printer.data) return <Loading what={t("the printer settings")} />;
  // The shell asks the engine (manage_stock) before saving; the form is read-only otherwise.
  return <PrinterSettingsForm settings={printer.data} canChange={mayRun("approve_adjustment")} />;
}

/** The store's details (admins), its stock freeze date and how it sells (managers). */
function StoreSections() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const stores = useCommandQuery("list_stores", {});
  const settings = useCommandQuery("get_till_settings", {});
  const store = stores.data?.find((s) => s.id === settings.data?.store_id);
  return (
    <>
      <ErrorMessage error={stores.error ?? settings.error} />
      {(stores.isPending || settings.isPending) && <Loading what={t("the store's settings")} />}
      {store && mayRun("update_store") && <StoreDetailsForm key={store.id} store={store} />}
      {store && mayRun("set_stock_freeze_date") && <StockFreezeForm key={`${store.id}-${store.stock_freeze_date ?? ""}`} store={store} />}
      {settings.data && <TillSettingsForm key={settings.data.store_id} settings={settings.data} />}
    </>
  );
}
