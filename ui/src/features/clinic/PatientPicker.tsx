// Picks a patient by name, chart id or phone, or registers a new one in
// place (name, chart id, date of birth, phone) and picks them.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import type { Patient } from "../../bindings/Patient";
import { DateField } from "../../components/DateField";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

/** "Ada Obi (CH-001)". */
export function patientLabel(p: Pick<Patient, "name" | "chart_id">): string {
  return p.chart_id ? `${p.name} (${p.chart_id})` : p.name;
}

export function PatientPicker({ value, onChange, error }: { value: string; onChange: (id: string) => void; error?: string }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const found = useCommandQuery("list_patients", { query: optional(query), limit: 50 });
  const [adding, setAdding] = useState(false);
  const rows = found.data?.rows ?? [];
  return (
    <fieldset>
      <legend>{t("Patient")}</legend>
      <Field label={t("Find patient")} hint={t("Name, chart id or phone.")}>
        {(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} autoFocus />}
      </Field>
      <Field label={t("Patient")} error={error}>
        {(id) => (
          <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{rows.length ? t("Choose a patient") : t("No patient matches")}</option>
            {rows.map((p) => (
              <option key={p.patient_id} value={p.patient_id} translate="no">
                {patientLabel(p)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {adding ? (
        <NewPatient
          initialName={query}
          onCancel={() => setAdding(false)}
          onCreated={(p) => {
            setAdding(false);
            setQuery(p.name);
            onChange(p.patient_id);
          }}
        />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          {t("New patient…")}
        </button>
      )}
    </fieldset>
  );
}

const FIELDS = { name: "Full name", chart_id: "Chart id", date_of_birth: "Date of birth", phone: "Phone", email: "Email" };

/** The new-patient form, inline (inside another form: it submits by its own button). */
export function NewPatient({ initialName = "", onCancel, onCreated }: { initialName?: string; onCancel: () => void; onCreated: (p: Patient) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(initialName);
  const [chart, setChart] = useState("");
  const [dob, setDob] = useState("");
  const [phone, setPhone] = useState("");
  const create = useCommandMutation("create_patient");
  const err = (f: string) => fieldError(create.error, f, t);
  return (
    <div className="grid two" role="group" aria-label={t("New patient")}>
      <Field label={t("Full name")} error={err("name")}>
        {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Field label={t("Chart id")} error={err("chart_id")}>
        {(id) => <input id={id} value={chart} onChange={(e) => setChart(e.target.value)} />}
      </Field>
      <DateField label={t("Date of birth")} value={dob} onChange={setDob} error={err("date_of_birth")} />
      <Field label={t("Phone")} error={err("phone")}>
        {(id) => <input id={id} value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />}
      </Field>
      <ErrorMessage error={create.error} fields={FIELDS} />
      <div className="form-actions">
        <button type="button" onClick={onCancel}>
          {t("Cancel")}
        </button>
        <button
          type="button"
          className="primary"
          disabled={create.isPending}
          onClick={() =>
            create.mutate({ name: name.trim(), chart_id: optional(chart), date_of_birth: optional(dob), phone: optional(phone) }, { onSuccess: onCreated })
          }
        >
          {t("Register patient")}
        </button>
      </div>
    </div>
  );
}
