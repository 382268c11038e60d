// First start: create the store and its first administrator. The store's
// time zone and currency start from what this PC says (its zone; the
// currency of its region, when one can be told) and are picked from lists:
// every IANA zone, searchable, and the common currency codes by name.
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { setupStore } from "../../api";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { ComboField, type ComboOption } from "../../components/ComboField";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { allTimeZones, COMMON_CURRENCIES, pcLanguages, pcTimeZone, suggestCurrency, suggestLocale } from "../../lib/pcLocale";
import { makeFormatters } from "../../lib/locale";

/** The currency's name in the UI language ("Nigerian Naira"), when Intl knows it. */
function currencyNames(language: string): (code: string) => string | undefined {
  try {
    const names = new Intl.DisplayNames([language], { type: "currency" });
    return (code) => {
      const name = names.of(code);
      return name && name !== code ? name : undefined;
    };
  } catch {
    return () => undefined;
  }
}

/** "₦5,070.00" in the locale and currency being chosen (the code as typed while it is not valid). */
function preview(locale: string, currency: string, timeZone: string): string {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return "5,070.00";
  try {
    return makeFormatters({ locale: locale.trim() || "en", currency: code, timeZone: timeZone || "UTC" }).money("5070");
  } catch {
    return `${code} 5,070.00`;
  }
}

export function SetupScreen({ status, onDone, children }: { status: AppStatus; onDone: () => void; children?: ReactNode }) {
  const { t, i18n } = useTranslation();
  const [pc] = useState(() => {
    const zone = pcTimeZone();
    return { zone, currency: suggestCurrency(pcLanguages(), zone), locale: suggestLocale(pcLanguages(), zone) };
  });
  const [storeName, setStoreName] = useState("");
  const [storeCode, setStoreCode] = useState("");
  const [timezone, setTimezone] = useState(pc.zone);
  const [currency, setCurrency] = useState(pc.currency);
  const [locale, setLocale] = useState(pc.locale);
  const [adminName, setAdminName] = useState("");
  const [pin, setPin] = useState("");
  const [pinAgain, setPinAgain] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const zones = useMemo<ComboOption[]>(() => allTimeZones(pc.zone).map((id) => ({ id })), [pc.zone]);
  const currencies = useMemo<ComboOption[]>(() => {
    const name = currencyNames(i18n.language === "pseudo" ? "en" : i18n.language);
    return COMMON_CURRENCIES.map((id) => ({ id, detail: name(id) }));
  }, [i18n.language]);

  const labels = {
    store_name: t("Store name"),
    store_code: t("Store code"),
    timezone: t("Time zone"),
    currency: t("Currency"),
    locale: t("Number and date format"),
    admin_name: t("Administrator name"),
    admin_pin: t("PIN"),
    admin_pin_again: t("PIN again"),
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const code = currency.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) {
      setError({ kind: "invalid_input", message: t("Choose the store's currency (a 3-letter code such as NGN)."), details: { field: "currency" } });
      return;
    }
    if (pin !== pinAgain) {
      setError({ kind: "invalid_input", message: t("The two PINs differ. Type the same PIN twice."), details: { field: "admin_pin_again" } });
      return;
    }
    setBusy(true);
    try {
      await setupStore({
        store_name: storeName.trim(),
        store_code: optional(storeCode),
        timezone: optional(timezone),
        currency: code,
        locale: optional(locale),
        admin_name: adminName.trim(),
        admin_pin: pin,
      });
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="centered">
      <form className="card wide" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t("Welcome to PharmaPOS")}</h1>
        <p>{t("Set up this store. You can change the details later.")}</p>
        <fieldset>
          <legend>{t("Store")}</legend>
          <div className="grid two">
            <Field label={labels.store_name} error={fieldError(error, "store_name", t)}>
              {(id) => <input id={id} name="store_name" value={storeName} onChange={(e) => setStoreName(e.target.value)} autoFocus required />}
            </Field>
            <Field label={labels.store_code} hint={t("Short code on receipts; made from the name if empty")} error={fieldError(error, "store_code", t)}>
              {(id) => <input id={id} name="store_code" value={storeCode} onChange={(e) => setStoreCode(e.target.value)} />}
            </Field>
            <ComboField
              label={labels.timezone}
              value={timezone}
              onChange={setTimezone}
              options={zones}
              hint={t("This computer's zone is {{zone}}. Type a city to search; the store's dates and expiry follow this zone.", { zone: pc.zone })}
              error={fieldError(error, "timezone", t)}
              isRequired
            />
            <ComboField
              label={labels.currency}
              value={currency}
              onChange={setCurrency}
              options={currencies}
              hint={pc.currency ? t("Suggested from this computer's region: {{currency}}.", { currency: pc.currency }) : t("Type a code or a name, e.g. NGN or Naira.")}
              error={fieldError(error, "currency", t)}
              isRequired
            />
            <Field
              label={labels.locale}
              hint={t("A language and region such as en-NG. Amounts will read {{example}}.", { example: preview(locale, currency, timezone) })}
              error={fieldError(error, "locale", t)}
            >
              {(id) => <input id={id} name="locale" value={locale} onChange={(e) => setLocale(e.target.value)} />}
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("First administrator")}</legend>
          <div className="grid three">
            <Field label={labels.admin_name} error={fieldError(error, "admin_name", t)}>
              {(id) => <input id={id} name="admin_name" value={adminName} onChange={(e) => setAdminName(e.target.value)} required />}
            </Field>
            <Field label={labels.admin_pin} hint={t("4 to 12 digits")} error={fieldError(error, "admin_pin", t) ?? fieldError(error, "pin", t)}>
              {(id) => (
                <input id={id} name="admin_pin" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} required />
              )}
            </Field>
            <Field label={labels.admin_pin_again} error={fieldError(error, "admin_pin_again", t)}>
              {(id) => (
                <input
                  id={id}
                  name="admin_pin_again"
                  type="password"
                  inputMode="numeric"
                  autoComplete="new-password"
                  value={pinAgain}
                  onChange={(e) => setPinAgain(e.target.value)}
                  required
                />
              )}
            </Field>
          </div>
        </fieldset>
        <ErrorMessage error={error} fields={{ ...labels, pin: labels.admin_pin }} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t("Creating the store…") : t("Create store")}
          </button>
        </div>
        <p className="muted small">
          {t("Database:")} <code>{status.db_path}</code>
        </p>
      </form>
      {children}
    </main>
  );
}
