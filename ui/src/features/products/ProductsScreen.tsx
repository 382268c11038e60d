// Products: search the catalogue, see what is available, create, edit and
// soft-delete (history and batches stay; the product leaves the lists),
// after a confirmation that says so.
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import type { Product } from "../../bindings/Product";
import type { ProductHit } from "../../bindings/ProductHit";
import type { SignedInUser } from "../../bindings/SignedInUser";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { DataTable, type Column } from "../../components/DataTable";
import { Field, Kbd } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import { ProductForm } from "./ProductForm";
import { categoryWords, statusWords } from "./productDraft";

export function ProductsScreen({ user }: { user: SignedInUser }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [query, setQuery] = useState("");
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [editing, setEditing] = useState<Product | "new" | null>(null);
  const [notice, setNotice] = useState("");
  const searchRef = useRef<HTMLInputElement>(null);
  const hits = useCommandQuery("search_products", { query: query.trim(), include_deleted: includeDeleted, limit: 200 });
  const remove = useCommandMutation("delete_product");
  const canEdit = user.role === "admin" || user.role === "manager";

  useShortcut("alt+n", () => canEdit && setEditing("new"));
  useShortcut("/", () => searchRef.current?.focus());

  const [confirming, setConfirming] = useState<ProductHit | null>(null);

  async function softDelete(p: Product) {
    const deleted = await remove.mutateAsync({ id: p.id }).catch(() => null);
    if (deleted) {
      setConfirming(null);
      setEditing(null);
      setNotice(t("Deleted {{name}}.", { name: deleted.name }));
    }
  }

  const columns: readonly Column<ProductHit>[] = [
    { header: t("SKU"), cell: ({ product: p }) => p.sku },
    {
      header: t("Name"),
      cell: ({ product: p }) => (
        <>
          {p.name}{" "}
          {p.prescription_only && (
            <abbr className="badge" title={t("Prescription only")}>
              {t("Rx")}
            </abbr>
          )}
        </>
      ),
    },
    { header: t("Generic"), cell: ({ product: p }) => p.generic_name },
    { header: t("Kind"), cell: ({ product: p }) => categoryWords(p.category, t) },
    { header: t("Available"), className: "num", cell: ({ product: p, available }) => fmt.qty(available, p.unit) },
    { header: t("Nearest expiry"), cell: ({ nearest_expiry }) => fmt.date(nearest_expiry) },
    { header: t("Price"), className: "num", cell: ({ product: p }) => fmt.money(p.selling_price) },
    { header: t("Status"), cell: ({ product: p }) => (p.deleted_at ? t("deleted") : statusWords(p.status, t)) },
    {
      label: t("Actions"),
      cell: (hit) =>
        canEdit &&
        !hit.product.deleted_at && (
          <>
            <button type="button" onClick={() => setEditing(hit.product)} aria-label={t("Edit {{name}}", { name: hit.product.name })}>
              {t("Edit")}
            </button>{" "}
            <button
              type="button"
              className="danger"
              onClick={() => {
                remove.reset();
                setConfirming(hit);
              }}
              aria-label={t("Delete {{name}}", { name: hit.product.name })}
            >
              {t("Delete")}
            </button>
          </>
        ),
    },
  ];

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
          title={t("Delete {{name}} ({{sku}})?", { name: confirming.product.name, sku: confirming.product.sku })}
          confirmLabel={t("Delete product")}
          cancelLabel={t("Keep it")}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => void softDelete(confirming.product)}
          onCancel={() => setConfirming(null)}
        >
          <p>{t("Its batches and audit history are kept; the product leaves the product lists and cannot be sold or received.")}</p>
          <p>
            {t("Stock still available: {{quantity}}.", { quantity: fmt.qty(confirming.available, confirming.product.unit) })}
          </p>
        </ConfirmDialog>
      )}
      <div className="toolbar">
        <Field label={t("Search products")} hint={t("Name, SKU, generic name or barcode")}>
          {(id) => (
            <input
              id={id}
              ref={searchRef}
              type="search"
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-keyshortcuts="/"
              autoFocus={!editing}
            />
          )}
        </Field>
        <label className="checkbox">
          <input type="checkbox" checked={includeDeleted} onChange={(e) => setIncludeDeleted(e.target.checked)} />
          {t("Show deleted")}
        </label>
        <span className="muted small">
          <Kbd>/</Kbd> {t("search")}
        </span>
      </div>
      <DataTable
        label={t("Products")}
        columns={columns}
        rows={hits.data}
        rowKey={(h) => h.product.id}
        rowAttributes={(h) => ({ "data-sku": h.product.sku })}
        empty={query ? t("No product matches.") : t("No products yet. Press Alt+N to create one.")}
        error={hits.error}
        loading={{ pending: hits.isPending, what: t("products") }}
      />
    </Screen>
  );
}
