// Products: the catalogue a page at a time (the engine searches, sorts and
// counts), with what each has on hand; create, edit and soft-delete
// (history and batches stay; the product leaves the lists), after a
// confirmation that says so. Deleted products are found with "Show deleted".
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { call } from "../../api";
import type { Product } from "../../bindings/Product";
import type { ProductListRow } from "../../bindings/ProductListRow";
import type { ProductSort } from "../../bindings/ProductSort";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import { ProductForm } from "./ProductForm";
import { ProductList } from "./ProductList";

export function ProductsScreen({ initialSort }: { initialSort?: ProductSort }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [showDeleted, setShowDeleted] = useState(false);
  const [editing, setEditing] = useState<Product | "new" | null>(null);
  const [notice, setNotice] = useState("");
  const [loadError, setLoadError] = useState<unknown>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const remove = useCommandMutation("delete_product");
  const mayRun = useMayRun();
  const canEdit = mayRun("update_product");

  useShortcut("alt+n", () => canEdit && setEditing("new"));
  useShortcut("/", () => searchRef.current?.focus());

  const [confirming, setConfirming] = useState<ProductListRow | null>(null);

  async function edit(row: ProductListRow) {
    setLoadError(null);
    try {
      setEditing(await call("get_product", { id: row.id }));
    } catch (e) {
      setLoadError(e);
    }
  }

  async function softDelete(row: ProductListRow) {
    const deleted = await remove.mutateAsync({ id: row.id }).catch(() => null);
    if (deleted) {
      setConfirming(null);
      setEditing(null);
      setNotice(t("Deleted {{name}}.", { name: deleted.name }));
    }
  }

  const actions = (row: ProductListRow) =>
    canEdit && (
      <>
        <button type="button" onClick={() => void edit(row)} aria-label={t("Edit {{name}}", { name: row.name })}>
          {t("Edit")}
        </button>{" "}
        <button
          type="button"
          className="danger"
          onClick={() => {
            remove.reset();
            setConfirming(row);
          }}
          aria-label={t("Delete {{name}}", { name: row.name })}
        >
          {t("Delete")}
        </button>
      </>
    );

  return (
    <Screen
      title={t("Products")}
      actions={
        canEdit && (
          <button type="button" className="primary" onClick={() => setEditing("new")} aria-keyshortcuts="Alt+N">
            {t("New product")} <Kbd>Alt+N</Kbd>
          </button>
        )
      }
    >
      <Notice>{notice}</Notice>
      <ErrorMessage error={loadError} onDismiss={() => setLoadError(null)} />
      {editing && (
        <ProductForm
          key={editing === "new" ? "new" : editing.id}
          product={editing === "new" ? null : editing}
          onSaved={(p, created) => {
            setEditing(null);
            setNotice(created ? t("Created {{name}} ({{sku}}).", { name: p.name, sku: p.sku }) : t("Saved {{name}} ({{sku}}).", { name: p.name, sku: p.sku }));
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {confirming && (
        <ConfirmDialog
          title={t("Delete {{name}} ({{sku}})?", { name: confirming.name, sku: confirming.sku })}
          confirmLabel={t("Delete product")}
          cancelLabel={t("Keep it")}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => void softDelete(confirming)}
          onCancel={() => setConfirming(null)}
        >
          <p>{t("Its batches and audit history are kept; the product leaves the product lists and cannot be sold or received.")}</p>
          <p>{t("Stock still available: {{quantity}}.", { quantity: fmt.qty(confirming.available, confirming.unit) })}</p>
        </ConfirmDialog>
      )}
      <label className="checkbox">
        <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} />
        {t("Show deleted products")}
      </label>
      {showDeleted ? <DeletedProducts /> : <ProductList actions={canEdit ? actions : undefined} searchRef={searchRef} initialSort={initialSort} />}
    </Screen>
  );
}

/** Soft-deleted products, newest first: kept for their history, never sold. */
function DeletedProducts() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [query, setQuery] = useState("");
  const hits = useCommandQuery("search_products", { query: query.trim(), include_deleted: true, limit: 200 });
  const rows = hits.data?.filter((h) => h.product.deleted_at);
  const columns: readonly Column<NonNullable<typeof rows>[number]>[] = [
    { header: t("SKU"), cell: ({ product: p }) => p.sku },
    { header: t("Name"), cell: ({ product: p }) => p.name },
    { header: t("Deleted"), cell: ({ product: p }) => fmt.instant(p.deleted_at) },
  ];
  return (
    <>
      <Field label={t("Search deleted products")}>
        {(id) => <input id={id} type="search" value={query} onChange={(e) => setQuery(e.target.value)} />}
      </Field>
      <DataTable
        label={t("Deleted products")}
        columns={columns}
        rows={rows}
        rowKey={(h) => h.product.id}
        empty={t("No deleted product matches.")}
        error={hits.error}
        loading={{ pending: hits.isPending, what: t("products") }}
      />
    </>
  );
}
