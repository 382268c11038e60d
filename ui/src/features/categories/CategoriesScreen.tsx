// Categories: the tree products are filed under (reports group by it).
// Managers add categories; each shows its full path ("Medicines / Analgesics").
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Category } from "../../bindings/Category";
import type { CreateCategory } from "../../bindings/CreateCategory";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

export function CategoriesScreen() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const categories = useCommandQuery("list_categories", {});
  const create = useCommandMutation("create_category");
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [description, setDescription] = useState("");
  const [parent, setParent] = useState("");
  const [notice, setNotice] = useState("");
  const [nameError, setNameError] = useState("");

  const columns: readonly Column<Category>[] = [
    { header: t("Path"), cell: (c) => c.path },
    { header: t("Name"), cell: (c) => c.name },
    { header: t("Shown as"), cell: (c) => c.display_name },
    { header: t("Description"), cell: (c) => c.description },
  ];

  function submit(e: FormEvent) {
    e.preventDefault();
    setNotice("");
    setNameError("");
    const n = name.trim();
    if (!n) {
      setNameError(t("Enter the category's name."));
      return;
    }
    const request: CreateCategory = {
      name: n,
      display_name: optional(displayName),
      description: optional(description),
      parent_id: parent || undefined,
    };
    create.mutate(request, {
      onSuccess: (c) => {
        setNotice(t("Added {{path}}.", { path: c.path }));
        setName("");
        setDisplayName("");
        setDescription("");
      },
    });
  }

  const rows = categories.data ? [...categories.data].sort((a, b) => a.path.localeCompare(b.path)) : undefined;

  return (
    <Screen title={t("Categories")}>
      {mayRun("create_category") && (
        <form className="panel form-grid" aria-label={t("New category")} onSubmit={submit}>
          <h2>{t("New category")}</h2>
          <Field label={t("Name")} error={nameError}>
            {(id, a11y) => <input id={id} value={name} onChange={(e) => setName(e.target.value)} {...a11y} />}
          </Field>
          <Field label={t("Shown as")} hint={t("Optional: the name on screens and receipts.")}>
            {(id) => <input id={id} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
          </Field>
          <Field label={t("Inside")}>
            {(id) => (
              <select id={id} value={parent} onChange={(e) => setParent(e.target.value)}>
                <option value="">{t("(top level)")}</option>
                {(rows ?? []).map((c) => (
                  <option key={c.id} value={c.id} translate="no">
                    {c.path}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t("Description")} wide>
            {(id) => <input id={id} value={description} onChange={(e) => setDescription(e.target.value)} />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              {t("Add category")}
            </button>
          </div>
          <ErrorMessage error={create.error} onDismiss={() => create.reset()} />
          <Notice>{notice}</Notice>
        </form>
      )}
      <p className="muted" role="status">
        {t("{{count}} categories", { count: rows?.length ?? 0 })}
      </p>
      <DataTable
        label={t("Categories")}
        columns={columns}
        rows={rows}
        rowKey={(c) => c.id}
        empty={t("No categories yet.")}
        error={categories.error}
        loading={{ pending: categories.isLoading, what: t("categories") }}
      />
    </Screen>
  );
}
