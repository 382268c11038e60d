// Suppliers (vendors): list, search, create, edit, deactivate.
import { useState, type FormEvent } from "react";

import type { Supplier } from "../../bindings/Supplier";
import type { CreateSupplier } from "../../bindings/CreateSupplier";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";

type SupplierFields = Omit<CreateSupplier, "name">;

type Draft = Record<
  "name" | "contact_person" | "email" | "phone" | "address" | "account_number" | "payment_terms" | "tax_id" | "categories" | "on_time_delivery_rate" | "quality_rating" | "average_lead_time_days" | "notes",
  string
> & { is_preferred: boolean };

const EMPTY: Draft = {
  name: "",
  contact_person: "",
  email: "",
  phone: "",
  address: "",
  account_number: "",
  payment_terms: "",
  tax_id: "",
  categories: "",
  on_time_delivery_rate: "",
  quality_rating: "",
  average_lead_time_days: "",
  notes: "",
  is_preferred: false,
};

function toDraft(s: Supplier): Draft {
  return {
    name: s.name,
    contact_person: s.contact_person ?? "",
    email: s.email ?? "",
    phone: s.phone ?? "",
    address: s.address ?? "",
    account_number: s.account_number ?? "",
    payment_terms: s.payment_terms ?? "",
    tax_id: s.tax_id ?? "",
    categories: s.categories.join(", "),
    on_time_delivery_rate: s.on_time_delivery_rate ?? "",
    quality_rating: s.quality_rating ?? "",
    average_lead_time_days: s.average_lead_time_days?.toString() ?? "",
    notes: s.notes ?? "",
    is_preferred: s.is_preferred,
  };
}

function toFields(d: Draft): SupplierFields {
  const lead = optional(d.average_lead_time_days);
  return {
    contact_person: optional(d.contact_person),
    email: optional(d.email),
    phone: optional(d.phone),
    address: optional(d.address),
    account_number: optional(d.account_number),
    payment_terms: optional(d.payment_terms),
    tax_id: optional(d.tax_id),
    categories: d.categories
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean),
    on_time_delivery_rate: optional(d.on_time_delivery_rate),
    quality_rating: optional(d.quality_rating),
    average_lead_time_days: lead === undefined ? undefined : Number(lead),
    notes: optional(d.notes),
    is_preferred: d.is_preferred,
  };
}

export function SuppliersScreen() {
  const [includeInactive, setIncludeInactive] = useState(false);
  const [search, setSearch] = useState("");
  const [editing, setEditing] = useState<Supplier | "new" | null>(null);
  const [notice, setNotice] = useState("");
  const suppliers = useCommandQuery("list_suppliers", { include_inactive: includeInactive });
  useShortcut("alt+n", () => setEditing("new"));

  const term = search.trim().toLowerCase();
  const rows = (suppliers.data ?? []).filter(
    (s) => !term || [s.name, s.contact_person, s.phone, s.email].some((v) => v?.toLowerCase().includes(term)),
  );

  const columns: readonly Column<Supplier>[] = [
    {
      header: "Name",
      cell: (s) => (
        <>
          {s.name} {s.is_preferred && <span className="badge ok">preferred</span>}
        </>
      ),
    },
    { header: "Contact", cell: (s) => s.contact_person },
    { header: "Phone", cell: (s) => s.phone },
    { header: "Payment terms", cell: (s) => s.payment_terms },
    { header: "Lead time", cell: (s) => (s.average_lead_time_days != null ? `${s.average_lead_time_days} d` : "") },
    { header: "Status", cell: (s) => (s.is_active ? "active" : "deactivated") },
    {
      label: "Actions",
      cell: (s) => (
        <button type="button" onClick={() => setEditing(s)}>
          Edit
        </button>
      ),
    },
  ];

  return (
    <Screen
      title="Suppliers"
      actions={
        <button type="button" className="primary" onClick={() => setEditing("new")} aria-keyshortcuts="Alt+N">
          New supplier <Kbd>Alt+N</Kbd>
        </button>
      }
    >
      <Notice>{notice}</Notice>
      {editing && (
        <SupplierForm
          supplier={editing === "new" ? null : editing}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <div className="toolbar">
        <Field label="Search suppliers">
          {(id) => <input id={id} type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-search />}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          Show deactivated
        </label>
      </div>
      <DataTable
        label="Suppliers"
        columns={columns}
        rows={rows}
        rowKey={(s) => s.id}
        empty={`No suppliers${term ? " match" : " yet"}.`}
        error={suppliers.error}
        loading={{ pending: suppliers.isPending, what: "suppliers" }}
      />
    </Screen>
  );
}

function SupplierForm({
  supplier,
  onDone,
  onCancel,
}: {
  supplier: Supplier | null;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<Draft>(() => (supplier ? toDraft(supplier) : EMPTY));
  const create = useCommandMutation("create_supplier");
  const update = useCommandMutation("update_supplier");
  const busy = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  useShortcut("escape", onCancel);

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (supplier) {
      const saved = await update.mutateAsync({ id: supplier.id, name: draft.name.trim(), ...toFields(draft) }).catch(() => null);
      if (saved) onDone(`Saved supplier ${saved.name}.`);
    } else {
      const saved = await create.mutateAsync({ name: draft.name.trim(), ...toFields(draft) }).catch(() => null);
      if (saved) onDone(`Created supplier ${saved.name}.`);
    }
  }

  async function setActive(active: boolean) {
    if (!supplier) return;
    const saved = await update.mutateAsync({ id: supplier.id, is_active: active }).catch(() => null);
    if (saved) onDone(`${saved.name} ${active ? "reactivated" : "deactivated"}.`);
  }

  const text = (k: keyof Draft, label: string, hint?: string) => (
    <Field label={label} hint={hint}>
      {(id) => <input id={id} name={k} value={String(draft[k])} onChange={set(k)} />}
    </Field>
  );

  return (
    <form className="panel" onSubmit={submit} aria-label={supplier ? `Edit supplier ${supplier.name}` : "New supplier"}>
      <h2>{supplier ? `Edit ${supplier.name}` : "New supplier"}</h2>
      <fieldset>
        <legend>Contact</legend>
        <div className="grid three">
          <Field label="Supplier name">
            {(id) => <input id={id} name="name" value={draft.name} onChange={set("name")} autoFocus required />}
          </Field>
          {text("contact_person", "Contact person")}
          {text("phone", "Phone")}
          {text("email", "Email")}
          {text("address", "Address")}
          {text("categories", "Specialisations", "Comma-separated, e.g. injectables, OTC")}
        </div>
      </fieldset>
      <fieldset>
        <legend>Account and performance</legend>
        <div className="grid four">
          {text("account_number", "Account number")}
          {text("payment_terms", "Payment terms", "e.g. Net 30")}
          {text("tax_id", "Tax id")}
          {text("average_lead_time_days", "Lead time (days)")}
          {text("on_time_delivery_rate", "On-time delivery rate", "0 to 1, e.g. 0.95")}
          {text("quality_rating", "Quality rating", "0 to 5")}
          <label className="checkbox">
            <input type="checkbox" checked={draft.is_preferred} onChange={(e) => setDraft((d) => ({ ...d, is_preferred: e.target.checked }))} />
            Preferred supplier
          </label>
        </div>
      </fieldset>
      <Field label="Notes" wide>
        {(id) => <textarea id={id} name="notes" rows={2} value={draft.notes} onChange={set("notes")} />}
      </Field>
      <ErrorMessage error={error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : "Save supplier"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel <Kbd>Esc</Kbd>
        </button>
        {supplier && (
          <button type="button" className="danger" disabled={busy} onClick={() => void setActive(!supplier.is_active)}>
            {supplier.is_active ? "Deactivate" : "Reactivate"}
          </button>
        )}
      </div>
    </form>
  );
}
