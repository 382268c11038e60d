// The clinic's settings (managers): when an open vial raises a reminder,
// and the clinic's window per product (longer than the label, with why),
// which applies to vials opened after it is set.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { VialPolicy } from "../../bindings/VialPolicy";
import { DataTable } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

export function ClinicSettingsPanel() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  return (
    <section aria-labelledby="clinic-settings">
      <h2 id="clinic-settings">{t("Clinic settings")}</h2>
      <ReminderForm />
      <Policies editable={mayRun("set_vial_policy")} />
    </section>
  );
}

function ReminderForm() {
  const { t } = useTranslation();
  const settings = useCommandQuery("get_clinic_settings", {});
  const save = useCommandMutation("update_clinic_settings");
  const [age, setAge] = useState("");
  const [idle, setIdle] = useState("");
  const [notice, setNotice] = useState("");
  useEffect(() => {
    if (settings.data) {
      setAge(String(settings.data.vial_reminder_age_hours));
      setIdle(String(settings.data.vial_reminder_idle_hours));
    }
  }, [settings.data]);

  function submit(e: FormEvent) {
    e.preventDefault();
    setNotice("");
    save.mutate(
      { vial_reminder_age_hours: Number(age), vial_reminder_idle_hours: Number(idle) },
      { onSuccess: () => setNotice(t("Saved when open vials raise a reminder.")) },
    );
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={t("Open vial reminders")} noValidate>
      <h3>{t("Open vial reminders")}</h3>
      <div className="grid two">
        <Field label={t("Hours open before a reminder")} error={fieldError(save.error, "vial_reminder_age_hours", t)}>
          {(id) => <input id={id} value={age} onChange={(e) => setAge(e.target.value)} inputMode="numeric" />}
        </Field>
        <Field label={t("Hours without a draw before a reminder")} error={fieldError(save.error, "vial_reminder_idle_hours", t)}>
          {(id) => <input id={id} value={idle} onChange={(e) => setIdle(e.target.value)} inputMode="numeric" />}
        </Field>
      </div>
      <ErrorMessage error={settings.error ?? save.error} fields={{ vial_reminder_age_hours: "Hours open before a reminder", vial_reminder_idle_hours: "Hours without a draw before a reminder" }} />
      <Notice>{notice}</Notice>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={save.isPending || !settings.data}>
          {t("Save reminders")}
        </button>
      </div>
    </form>
  );
}

function Policies({ editable }: { editable: boolean }) {
  const { t } = useTranslation();
  const f = useFormat();
  const policies = useCommandQuery("list_vial_policies", {});
  const products = useCommandQuery("search_products", { query: "", limit: 500 }, { enabled: editable });
  const injectables = (products.data ?? []).map((h) => h.product).filter((p) => p.injectable !== null);
  const set = useCommandMutation("set_vial_policy");
  const [productId, setProductId] = useState("");
  const [hours, setHours] = useState("");
  const [reason, setReason] = useState("");
  const [notice, setNotice] = useState("");

  function submit(e: FormEvent, clear = false) {
    e.preventDefault();
    setNotice("");
    set.mutate(
      { product_id: productId, window_hours: clear ? undefined : Number(hours), reason: reason.trim() },
      {
        onSuccess: () => {
          setNotice(clear ? t("Cleared the clinic's window: the label's time applies.") : t("Set the clinic's window for vials opened from now on."));
          void policies.refetch();
        },
      },
    );
  }

  return (
    <div className="panel">
      <h3>{t("Clinic windows for opened vials")}</h3>
      <DataTable<VialPolicy>
        label={t("Clinic windows")}
        columns={[
          { header: t("Product"), cell: (p) => p.product_name },
          { header: t("Window"), className: "num", cell: (p) => t("{{hours}} h", { hours: p.window_hours }) },
          { header: t("Label"), className: "num", cell: (p) => (p.label_hours === null ? "—" : t("{{hours}} h", { hours: p.label_hours })) },
          { header: t("Why"), cell: (p) => p.reason },
          { header: t("Set by"), cell: (p) => `${p.set_by_name} · ${f.instant(p.set_at)}` },
        ]}
        rows={policies.data}
        rowKey={(p) => p.product_id}
        empty={t("No clinic window: the label's beyond-use time applies to every vial.")}
        error={policies.error}
      />
      {editable && (
        <form onSubmit={(e) => submit(e)} aria-label={t("Set a clinic window")} noValidate>
          <div className="grid three">
            <Field label={t("Product")} error={fieldError(set.error, "product_id", t)}>
              {(id) => (
                <select id={id} value={productId} onChange={(e) => setProductId(e.target.value)}>
                  <option value="">{t("Choose a product")}</option>
                  {injectables.map((p) => (
                    <option key={p.id} value={p.id} translate="no">
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t("Window (hours)")} hint={t("1 to 1008 (six weeks).")} error={fieldError(set.error, "window_hours", t)}>
              {(id) => <input id={id} value={hours} onChange={(e) => setHours(e.target.value)} inputMode="numeric" />}
            </Field>
            <Field label={t("Why")} hint={t("The consensus or protocol it follows.")} error={fieldError(set.error, "reason", t)}>
              {(id) => <input id={id} value={reason} onChange={(e) => setReason(e.target.value)} />}
            </Field>
          </div>
          <ErrorMessage error={set.error} fields={{ product_id: "Product", window_hours: "Window (hours)", reason: "Why" }} />
          <Notice>{notice}</Notice>
          <div className="form-actions">
            <button type="button" disabled={!productId || set.isPending} onClick={(e) => submit(e, true)}>
              {t("Clear the window")}
            </button>
            <button type="submit" className="primary" disabled={!productId || set.isPending}>
              {t("Set the window")}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
