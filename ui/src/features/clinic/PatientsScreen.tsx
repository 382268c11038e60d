// Patients: paged search by name, chart id or phone; register, edit,
// archive (history stays); a patient's history with the lots of every
// treatment (the engine logs each view of it).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Patient } from "../../bindings/Patient";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable } from "../../components/DataTable";
import { DateField } from "../../components/DateField";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { PagedTable, type PagedColumn, type PageState } from "../../components/PagedTable";
import { Loading, Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { areasText } from "./VialDetailDialog";

type Editing = { patient: Patient | null };

export function PatientsScreen() {
  const { t } = useTranslation();
  const f = useFormat();
  const mayRun = useMayRun();
  const [query, setQuery] = useState("");
  const [archived, setArchived] = useState(false);
  const [state, setState] = useState<PageState<"name">>({ sort: "name", descending: false, limit: 50, offset: 0 });
  const page = useCommandQuery(
    "list_patients",
    { query: optional(query), include_inactive: archived, limit: state.limit, offset: state.offset },
    { placeholderData: (previous) => previous },
  );
  const [editing, setEditing] = useState<Editing | null>(null);
  const [archiving, setArchiving] = useState<Patient | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  const [notice, setNotice] = useState("");
  const archive = useCommandMutation("update_patient");

  const columns: readonly PagedColumn<Patient, "name">[] = [
    { header: t("Name"), cell: (p) => p.name },
    { header: t("Chart id"), cell: (p) => p.chart_id ?? "" },
    { header: t("Date of birth"), cell: (p) => f.date(p.date_of_birth) },
    { header: t("Phone"), cell: (p) => p.phone ?? "" },
    { header: t("Email"), cell: (p) => p.email ?? "" },
    { header: t("Status"), cell: (p) => (p.active ? t("Active") : t("Archived")) },
    {
      label: t("Actions"),
      cell: (p) => (
        <span className="row-actions">
          <button type="button" onClick={() => setHistory(p.patient_id)} aria-label={t("History of {{name}}", { name: p.name })}>
            {t("History")}
          </button>
          {mayRun("update_patient") && (
            <button type="button" onClick={() => setEditing({ patient: p })} aria-label={t("Edit {{name}}", { name: p.name })}>
              {t("Edit")}
            </button>
          )}
          {mayRun("update_patient") && p.active && (
            <button type="button" className="danger" onClick={() => setArchiving(p)} aria-label={t("Archive {{name}}", { name: p.name })}>
              {t("Archive…")}
            </button>
          )}
        </span>
      ),
    },
  ];

  return (
    <Screen
      title={t("Patients")}
      actions={
        mayRun("create_patient") && (
          <button type="button" className="primary" onClick={() => setEditing({ patient: null })}>
            {t("New patient…")}
          </button>
        )
      }
    >
      <div className="toolbar">
        <Field label={t("Find")} hint={t("Name, chart id or phone.")}>
          {(id) => (
            <input
              id={id}
              type="search"
              value={query}
              onChange={(e) => {
                setQuery(e.target.value);
                setState((s) => ({ ...s, offset: 0 }));
              }}
            />
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={archived} onChange={(e) => setArchived(e.target.checked)} /> {t("Show archived patients")}
        </label>
      </div>
      <Notice>{notice}</Notice>
      <PagedTable
        label={t("Patients")}
        columns={columns}
        page={page.data}
        state={state}
        onState={setState}
        rowKey={(p) => p.patient_id}
        empty={t("No patient matches.")}
        error={page.error}
        loading={{ pending: page.isPending && !page.data, what: t("patients") }}
      />
      {editing && (
        <PatientDialog
          patient={editing.patient}
          onClose={() => setEditing(null)}
          onDone={(p) => {
            setEditing(null);
            setNotice(editing.patient ? t("Saved {{name}}.", { name: p.name }) : t("Registered {{name}}.", { name: p.name }));
            void page.refetch();
          }}
        />
      )}
      {archiving && (
        <ConfirmDialog
          title={t("Archive {{name}}?", { name: archiving.name })}
          confirmLabel={t("Archive")}
          onCancel={() => setArchiving(null)}
          busy={archive.isPending}
          error={archive.error}
          onConfirm={() =>
            archive.mutate(
              { patient_id: archiving.patient_id, active: false },
              {
                onSuccess: () => {
                  setNotice(t("Archived {{name}}; their history stays.", { name: archiving.name }));
                  setArchiving(null);
                  void page.refetch();
                },
              },
            )
          }
        >
          <p>{t("They will no longer be offered for treatments. Their history and lots stay for recalls.")}</p>
        </ConfirmDialog>
      )}
      {history && <HistoryDialog patientId={history} onClose={() => setHistory(null)} />}
    </Screen>
  );
}

const FIELDS = { name: "Full name", chart_id: "Chart id", date_of_birth: "Date of birth", phone: "Phone", email: "Email" };

function PatientDialog({ patient, onClose, onDone }: { patient: Patient | null; onClose: () => void; onDone: (p: Patient) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(patient?.name ?? "");
  const [chart, setChart] = useState(patient?.chart_id ?? "");
  const [dob, setDob] = useState(patient?.date_of_birth ?? "");
  const [phone, setPhone] = useState(patient?.phone ?? "");
  const [email, setEmail] = useState(patient?.email ?? "");
  const create = useCommandMutation("create_patient");
  const update = useCommandMutation("update_patient");
  const error = create.error ?? update.error;
  const err = (n: string) => fieldError(error, n, t);

  function submit(e: FormEvent) {
    e.preventDefault();
    const fields = { name: name.trim(), chart_id: optional(chart), date_of_birth: optional(dob), phone: optional(phone), email: optional(email) };
    if (patient) update.mutate({ patient_id: patient.patient_id, ...fields }, { onSuccess: onDone });
    else create.mutate(fields, { onSuccess: onDone });
  }

  return (
    <Dialog title={patient ? t("Edit {{name}}", { name: patient.name }) : t("New patient")} onClose={onClose}>
      <form onSubmit={submit} className="grid two" noValidate>
        <Field label={t("Full name")} error={err("name")}>
          {(id) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} autoFocus />}
        </Field>
        <Field label={t("Chart id")} error={err("chart_id")}>
          {(id) => <input id={id} value={chart} onChange={(e) => setChart(e.target.value)} />}
        </Field>
        <DateField label={t("Date of birth")} value={dob} onChange={setDob} error={err("date_of_birth")} />
        <Field label={t("Phone")} error={err("phone")}>
          {(id) => <input id={id} value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" />}
        </Field>
        <Field label={t("Email")} error={err("email")}>
          {(id) => <input id={id} type="email" value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <ErrorMessage error={error} fields={FIELDS} />
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("Cancel")}
          </button>
          <button type="submit" className="primary" disabled={create.isPending || update.isPending}>
            {patient ? t("Save") : t("Register patient")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function HistoryDialog({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const history = useCommandQuery("get_patient_history", { patient_id: patientId });
  const h = history.data;
  return (
    <Dialog title={h ? t("History of {{name}}", { name: h.patient.name }) : t("History")} onClose={onClose} size="large">
      {history.isLoading && <Loading what={t("the history")} />}
      <ErrorMessage error={history.error} />
      {h && (
        <DataTable
          label={t("Treatments")}
          columns={[
            { header: t("When"), cell: (x) => f.instant(x.treated_at) },
            { header: t("Practitioner"), cell: (x) => x.practitioner_name },
            { header: t("Areas"), cell: (x) => areasText(f, x.areas) },
            { header: t("Units"), className: "num", cell: (x) => f.qty(x.total) },
            {
              header: t("Lots"),
              cell: (x) => x.lots.map((l) => t("{{product}} lot {{lot}}: {{units}}", { product: l.product_name, lot: l.batch_number, units: f.qty(l.quantity) })).join("; "),
            },
            { header: t("Revenue"), className: "num", cell: (x) => f.money(x.revenue) },
          ]}
          rows={h.treatments}
          rowKey={(x) => x.treatment_id}
          empty={t("No treatment yet.")}
        />
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("Back")}
        </button>
      </div>
    </Dialog>
  );
}
