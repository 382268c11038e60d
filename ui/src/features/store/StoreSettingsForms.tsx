// What a store configures on its PC: its details (the head of every receipt,
// the locale every screen formats in, the approval thresholds) and how its
// tills sell (tenders, tax mode, rounding, limits, holds, receipt options).
// Each form sends only what changed; the engine validates and records the
// change as a before → after event.
import { useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import type { ReturnDisposition } from "../../bindings/ReturnDisposition";
import type { Store } from "../../bindings/Store";
import type { TillSettings } from "../../bindings/TillSettings";
import type { UpdateStore } from "../../bindings/UpdateStore";
import type { UpdateTillSettings } from "../../bindings/UpdateTillSettings";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useCommandMutation } from "../../lib/queries";

/** The fields of `draft` that differ from `saved` (strings trimmed). */
export function changedFields<T extends Record<string, unknown>>(saved: T, draft: T): Partial<T> {
  const out: Partial<T> = {};
  for (const k of Object.keys(draft) as (keyof T)[]) {
    const a = draft[k];
    const b = saved[k];
    const norm = (v: unknown) => (typeof v === "string" ? v.trim() : Array.isArray(v) ? v.join("\u0000") : v);
    if (norm(a) !== norm(b)) out[k] = (typeof a === "string" ? (a.trim() as T[keyof T]) : a) as T[keyof T];
  }
  return out;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

type StoreDraft = {
  name: string;
  address: string;
  phone: string;
  tax_number: string;
  licence_number: string;
  locale: string;
  timezone: string;
  currency: string;
  adjustment_approval_units: string;
  adjustment_approval_value: string;
};

function storeDraft(s: Store): StoreDraft {
  return {
    name: s.name,
    address: s.address ?? "",
    phone: s.phone ?? "",
    tax_number: s.tax_number ?? "",
    licence_number: s.licence_number ?? "",
    locale: s.locale,
    timezone: s.timezone,
    currency: s.currency,
    adjustment_approval_units: s.adjustment_approval_units,
    adjustment_approval_value: s.adjustment_approval_value,
  };
}

/** The store's details (administrators: manage_stores). */
export function StoreDetailsForm({ store }: { store: Store }) {
  const { t } = useTranslation();
  const saved = storeDraft(store);
  const [draft, setDraft] = useState<StoreDraft>(saved);
  const [notice, setNotice] = useState("");
  const update = useCommandMutation("update_store");
  const set = (k: keyof StoreDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });

  function submit(e: FormEvent) {
    e.preventDefault();
    setNotice("");
    const changes = changedFields(saved, draft);
    if (Object.keys(changes).length === 0) {
      setNotice(t("Nothing to save: no field changed."));
      return;
    }
    const request: UpdateStore = { id: store.id, ...changes };
    update.mutate(request, { onSuccess: () => setNotice(t("Store details saved.")) });
  }

  return (
    <Section title={t("Store details")}>
      <form className="form-grid" aria-label={t("Store details")} onSubmit={submit}>
        <Field label={t("Store name")}>{(id) => <input id={id} value={draft.name} onChange={set("name")} />}</Field>
        <Field label={t("Store code")} hint={t("Fixed: sale numbers and the record carry it.")}>
          {(id) => <input id={id} value={store.code} readOnly aria-readonly="true" />}
        </Field>
        <Field label={t("Address")} hint={t("Printed at the head of receipts.")} wide>
          {(id) => <textarea id={id} value={draft.address} onChange={set("address")} rows={2} />}
        </Field>
        <Field label={t("Phone")}>{(id) => <input id={id} value={draft.phone} onChange={set("phone")} />}</Field>
        <Field label={t("Tax number")} hint={t("Printed on receipts when given.")}>
          {(id) => <input id={id} value={draft.tax_number} onChange={set("tax_number")} />}
        </Field>
        <Field label={t("Licence number")} hint={t("The pharmacy's licence, printed on receipts when given.")}>
          {(id) => <input id={id} value={draft.licence_number} onChange={set("licence_number")} />}
        </Field>
        <Field label={t("Locale")} hint={t("How numbers, money and dates are written, e.g. en-NG.")}>
          {(id) => <input id={id} value={draft.locale} onChange={set("locale")} />}
        </Field>
        <Field label={t("Time zone")} hint={t("Every time is shown in this zone, e.g. Africa/Lagos.")}>
          {(id) => <input id={id} value={draft.timezone} onChange={set("timezone")} />}
        </Field>
        <Field label={t("Currency")} hint={t("ISO 4217 code, e.g. NGN.")}>
          {(id) => <input id={id} value={draft.currency} onChange={set("currency")} maxLength={3} />}
        </Field>
        <Field label={t("Adjustments above this many units need a manager")}>
          {(id) => <input id={id} value={draft.adjustment_approval_units} onChange={set("adjustment_approval_units")} inputMode="decimal" />}
        </Field>
        <Field label={t("Adjustments above this value need a manager")}>
          {(id) => <input id={id} value={draft.adjustment_approval_value} onChange={set("adjustment_approval_value")} inputMode="decimal" />}
        </Field>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={update.isPending}>
            {t("Save store details")}
          </button>
        </div>
      </form>
      <ErrorMessage error={update.error} onDismiss={() => update.reset()} />
      <Notice>{notice}</Notice>
    </Section>
  );
}

type TillDraft = {
  prices_include_tax: boolean;
  rounding_increment: string;
  tenders: string;
  receipt_show_batch: boolean;
  receipt_show_expiry: boolean;
  receipt_header: string;
  receipt_footer: string;
  hold_ttl_minutes: string;
  cashier_discount_limit_percent: string;
  cashier_refund_limit: string;
  sale_prefix: string;
  return_disposition: ReturnDisposition;
};

function tillDraft(s: TillSettings): TillDraft {
  return {
    prices_include_tax: s.prices_include_tax,
    rounding_increment: s.rounding_increment,
    tenders: s.tenders.join(", "),
    receipt_show_batch: s.receipt_show_batch,
    receipt_show_expiry: s.receipt_show_expiry,
    receipt_header: s.receipt_header ?? "",
    receipt_footer: s.receipt_footer ?? "",
    hold_ttl_minutes: String(s.hold_ttl_minutes),
    cashier_discount_limit_percent: s.cashier_discount_limit_percent,
    cashier_refund_limit: s.cashier_refund_limit,
    sale_prefix: s.sale_prefix,
    return_disposition: s.return_disposition,
  };
}

/** "cash, card ,transfer" → ["cash", "card", "transfer"]. */
export function parseTenders(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
}

/** How the store's tills sell (managers: the engine's update_till_settings). */
export function TillSettingsForm({ settings }: { settings: TillSettings }) {
  const { t } = useTranslation();
  const saved = tillDraft(settings);
  const [draft, setDraft] = useState<TillDraft>(saved);
  const [notice, setNotice] = useState("");
  const [holdError, setHoldError] = useState("");
  const update = useCommandMutation("update_till_settings");
  const setText = (k: keyof TillDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const setBool = (k: keyof TillDraft) => (e: { target: { checked: boolean } }) => setDraft({ ...draft, [k]: e.target.checked });

  function submit(e: FormEvent) {
    e.preventDefault();
    setNotice("");
    setHoldError("");
    const changes = changedFields(saved, draft);
    if (Object.keys(changes).length === 0) {
      setNotice(t("Nothing to save: no field changed."));
      return;
    }
    const { tenders, hold_ttl_minutes, ...rest } = changes;
    const request: UpdateTillSettings = { store_id: settings.store_id, ...rest };
    if (tenders !== undefined) request.tenders = parseTenders(tenders);
    if (hold_ttl_minutes !== undefined) {
      if (!/^\d+$/.test(hold_ttl_minutes)) {
        setHoldError(t("Enter whole minutes, e.g. 30."));
        return;
      }
      request.hold_ttl_minutes = Number(hold_ttl_minutes);
    }
    update.mutate(request, { onSuccess: () => setNotice(t("Till settings saved.")) });
  }

  return (
    <Section title={t("Selling and receipts")}>
      <form className="form-grid" aria-label={t("Selling and receipts")} onSubmit={submit}>
        <Field label={t("Tenders")} hint={t("Comma-separated, in the order the till shows them: cash, card, transfer, mobile_money…")} wide>
          {(id) => <input id={id} value={draft.tenders} onChange={setText("tenders")} />}
        </Field>
        <Field label={t("Tax mode")}>
          {(id) => (
            <select
              id={id}
              value={draft.prices_include_tax ? "inclusive" : "exclusive"}
              onChange={(e) => setDraft({ ...draft, prices_include_tax: e.target.value === "inclusive" })}
            >
              <option value="inclusive">{t("Shelf prices include tax")}</option>
              <option value="exclusive">{t("Tax is added at the till")}</option>
            </select>
          )}
        </Field>
        <Field label={t("Round totals to")} hint={t("A multiple such as 0.05 or 1; 0 for no rounding.")}>
          {(id) => <input id={id} value={draft.rounding_increment} onChange={setText("rounding_increment")} inputMode="decimal" />}
        </Field>
        <Field label={t("Largest discount a cashier may give (percent)")}>
          {(id) => (
            <input id={id} value={draft.cashier_discount_limit_percent} onChange={setText("cashier_discount_limit_percent")} inputMode="decimal" />
          )}
        </Field>
        <Field label={t("Largest refund a cashier may give")}>
          {(id) => <input id={id} value={draft.cashier_refund_limit} onChange={setText("cashier_refund_limit")} inputMode="decimal" />}
        </Field>
        <Field label={t("Minutes a held cart keeps its stock")} error={holdError}>
          {(id, a11y) => <input id={id} value={draft.hold_ttl_minutes} onChange={setText("hold_ttl_minutes")} inputMode="numeric" {...a11y} />}
        </Field>
        <Field label={t("Sale number prefix")}>{(id) => <input id={id} value={draft.sale_prefix} onChange={setText("sale_prefix")} maxLength={8} />}</Field>
        <Field label={t("Returned packs go to")}>
          {(id) => (
            <select id={id} value={draft.return_disposition} onChange={(e) => setDraft({ ...draft, return_disposition: e.target.value as ReturnDisposition })}>
              <option value="quarantine">{t("Quarantine (checked before resale)")}</option>
              <option value="restock">{t("Back on the shelf")}</option>
              <option value="waste">{t("Waste")}</option>
            </select>
          )}
        </Field>
        <Field label={t("Receipt header")} hint={t("Extra lines under the store's details.")} wide>
          {(id) => <textarea id={id} value={draft.receipt_header} onChange={setText("receipt_header")} rows={2} />}
        </Field>
        <Field label={t("Receipt footer")} wide>
          {(id) => <textarea id={id} value={draft.receipt_footer} onChange={setText("receipt_footer")} rows={2} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={draft.receipt_show_batch} onChange={setBool("receipt_show_batch")} /> {t("Print batch numbers on receipts")}
        </label>
        <label className="check">
          <input type="checkbox" checked={draft.receipt_show_expiry} onChange={setBool("receipt_show_expiry")} /> {t("Print expiry dates on receipts")}
        </label>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={update.isPending}>
            {t("Save till settings")}
          </button>
        </div>
      </form>
      <ErrorMessage error={update.error} onDismiss={() => update.reset()} />
      <Notice>{notice}</Notice>
    </Section>
  );
}
