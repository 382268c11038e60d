// Suppliers (vendors): list, search, create, edit, deactivate (after a
// confirmation that says what deactivating does). A vendor of head office's
// catalogue shows head office's fields read-only and never sends them.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Supplier } from "../../bindings/Supplier";
import type { CreateSupplier } from "../../bindings/CreateSupplier";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
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

/**
 * The fields head office owns on a vendor of its catalogue
 * (`catalogue_version` set): the engine refuses local changes to them.
 */
export const HEAD_OFFICE_VENDOR_FIELDS: readonly (keyof Draft)[] = ["name", "contact_person", "email", "phone", "address", "payment_terms", "tax_id", "categories"];

/** `fields` without head office's: what a store may change on head office's vendor. */
function storeOwnFields(fields: SupplierFields): SupplierFields {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !(HEAD_OFFICE_VENDOR_FIELDS as readonly string[]).includes(k))) as SupplierFields;
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
  const { t } = useTranslation();
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
      header: t("Name"),
      cell: (s) => (
        <>
          {s.name} {s.is_preferred && <span className="badge ok">{t("preferred")}</span>}{" "}
          {s.catalogue_version != null && <span className="badge">{t("head office")}</span>}
        </>
      ),
    },
    { header: t("Contact"), cell: (s) => s.contact_person },
    { header: t("Phone"), cell: (s) => s.phone },
    { header: t("Payment terms"), cell: (s) => s.payment_terms },
    {
      header: t("Lead time"),
      className: "num",
      cell: (s) => (s.average_lead_time_days != null ? t("{{count}} days", { count: s.average_lead_time_days }) : ""),
    },
    { header: t("Status"), cell: (s) => (s.is_active ? t("active") : t("deactivated")) },
    {
      label: t("Actions"),
      cell: (s) => (
        <button type="button" onClick={() => setEditing(s)} aria-label={t("Edit {{name}}", { name: s.name })}>
          {t("Edit")}
        </button>
      ),
    },
  ];

  return (
    <Screen
      title={t("Suppliers")}
      actions={
        <button type="button" className="primary" onClick={() => setEditing("new")} aria-keyshortcuts="Alt+N">
          {t("New supplier")} <Kbd>Alt+N</Kbd>
        </button>
      }
    >
      <Notice>{notice}</Notice>
      {editing && (
        <SupplierForm
          key={editing === "new" ? "new" : editing.id}
          supplier={editing === "new" ? null : editing}
          onDone={(message) => {
            setEditing(null);
            setNotice(message);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <div className="toolbar">
        <Field label={t("Search suppliers")}>
          {(id) => <input id={id} type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-search />}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          {t("Show deactivated")}
        </label>
      </div>
      <DataTable
        label={t("Suppliers")}
        columns={columns}
        rows={rows}
        rowKey={(s) => s.id}
        empty={term ? t("No suppliers match.") : t("No suppliers yet.")}
        error={suppliers.error}
        loading={{ pending: suppliers.isPending, what: t("suppliers") }}
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
  const { t } = useTranslation();
  const [draft, setDraft] = useState<Draft>(() => (supplier ? toDraft(supplier) : EMPTY));
  const [confirmingActive, setConfirmingActive] = useState(false);
  const create = useCommandMutation("create_supplier");
  const update = useCommandMutation("update_supplier");
  const busy = create.isPending || update.isPending;
  const error = create.error ?? (confirmingActive ? null : update.error);
  useShortcut("escape", onCancel, !confirmingActive);
  const managed = supplier?.catalogue_version != null;
  const locked = (k: keyof Draft) => managed && HEAD_OFFICE_VENDOR_FIELDS.includes(k);

  const labels: Record<keyof Draft, string> = {
    name: t("Supplier name"),
    contact_person: t("Contact person"),
    phone: t("Phone"),
    email: t("Email"),
    address: t("Address"),
    categories: t("Specialisations"),
    account_number: t("Account number"),
    payment_terms: t("Payment terms"),
    tax_id: t("Tax id"),
    average_lead_time_days: t("Lead time (days)"),
    on_time_delivery_rate: t("On-time delivery rate"),
    quality_rating: t("Quality rating"),
    notes: t("Notes"),
    is_preferred: t("Preferred supplier"),
  };

  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (supplier && managed) {
      const saved = await update.mutateAsync({ id: supplier.id, ...storeOwnFields(toFields(draft)) }).catch(() => null);
      if (saved) onDone(t("Saved supplier {{name}}.", { name: saved.name }));
    } else if (supplier) {
      const saved = await update.mutateAsync({ id: supplier.id, name: draft.name.trim(), ...toFields(draft) }).catch(() => null);
      if (saved) onDone(t("Saved supplier {{name}}.", { name: saved.name }));
    } else {
      const saved = await create.mutateAsync({ name: draft.name.trim(), ...toFields(draft) }).catch(() => null);
      if (saved) onDone(t("Created supplier {{name}}.", { name: saved.name }));
    }
  }

  async function setActive(active: boolean) {
    if (!supplier) return;
    const saved = await update.mutateAsync({ id: supplier.id, is_active: active }).catch(() => null);
    if (saved) {
      setConfirmingActive(false);
      onDone(active ? t("{{name}} reactivated.", { name: saved.name }) : t("{{name}} deactivated.", { name: saved.name }));
    }
  }

  const text = (k: keyof Draft, hint?: string, extra?: { required?: boolean; autoFocus?: boolean }) => (
    <Field label={labels[k]} hint={hint} error={fieldError(error, k, t)}>
      {(id) => (
        <input
          id={id}
          name={k}
          value={String(draft[k])}
          onChange={set(k)}
          required={extra?.required}
          autoFocus={extra?.autoFocus && !locked(k)}
          disabled={locked(k)}
        />
      )}
    </Field>
  );

  return (
    <form className="panel" onSubmit={submit} aria-label={supplier ? t("Edit supplier {{name}}", { name: supplier.name }) : t("New supplier")}>
      <h2>{supplier ? t("Edit {{name}}", { name: supplier.name }) : t("New supplier")}</h2>
      {managed && (
        <p className="notice" data-testid="head-office-vendor">
          {t("Head office manages this vendor (version {{version}}): its name, contacts, payment terms, tax id, specialisations and whether it is active change in head office's catalogue. This store sets its account number, preferred flag, notes and performance figures.", {
            version: supplier.catalogue_version,
          })}
        </p>
      )}
      <fieldset>
        <legend>{t("Contact")}</legend>
        <div className="grid three">
          {text("name", undefined, { required: true, autoFocus: true })}
          {text("contact_person")}
          {text("phone")}
          {text("email")}
          {text("address")}
          {text("categories", t("Comma-separated, e.g. injectables, OTC"))}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("Account and performance")}</legend>
        <div className="grid four">
          {text("account_number")}
          {text("payment_terms", t("e.g. Net 30"))}
          {text("tax_id")}
          {text("average_lead_time_days")}
          {text("on_time_delivery_rate", t("0 to 1, e.g. 0.95"))}
          {text("quality_rating", t("0 to 5"))}
          <label className="checkbox">
            <input type="checkbox" checked={draft.is_preferred} onChange={(e) => setDraft((d) => ({ ...d, is_preferred: e.target.checked }))} />
            {labels.is_preferred}
          </label>
        </div>
      </fieldset>
      <Field label={labels.notes} wide error={fieldError(error, "notes", t)}>
        {(id) => <textarea id={id} name="notes" rows={2} value={draft.notes} onChange={set("notes")} />}
      </Field>
      <ErrorMessage error={error} fields={labels} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Saving…") : t("Save supplier")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("Cancel")} <Kbd>Esc</Kbd>
        </button>
        {supplier && !managed && (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              update.reset();
              setConfirmingActive(true);
            }}
          >
            {supplier.is_active ? t("Deactivate…") : t("Reactivate…")}
          </button>
        )}
      </div>
      {supplier && confirmingActive && (
        <ConfirmDialog
          title={supplier.is_active ? t("Deactivate {{name}}?", { name: supplier.name }) : t("Reactivate {{name}}?", { name: supplier.name })}
          confirmLabel={supplier.is_active ? t("Deactivate") : t("Reactivate")}
          tone={supplier.is_active ? "danger" : "primary"}
          busy={update.isPending}
          error={update.error}
          onConfirm={() => void setActive(!supplier.is_active)}
          onCancel={() => setConfirmingActive(false)}
        >
          <p>
            {supplier.is_active
              ? t("No more stock can be received from {{name}}; it leaves the supplier choices. Its past deliveries and batches stay.", { name: supplier.name })
              : t("Stock can be received from {{name}} again.", { name: supplier.name })}
          </p>
        </ConfirmDialog>
      )}
    </form>
  );
}
