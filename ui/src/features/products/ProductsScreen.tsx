// Products: search the catalogue, see what is available, create, edit and
// soft-delete (history and batches stay; the product leaves the lists).
import { useRef, useState } from "react";

import type { Product } from "../../bindings/Product";
import type { ProductHit } from "../../bindings/ProductHit";
import type { SignedInUser } from "../../bindings/SignedInUser";
import { DataTable, type Column } from "../../components/DataTable";
import { Field, Kbd } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import { ProductForm } from "./ProductForm";

export function ProductsScreen({ user }: { user: SignedInUser }) {
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

  const [confirming, setConfirming] = useState<Product | null>(null);
  useShortcut("escape", () => setConfirming(null), confirming !== null);

  async function softDelete(p: Product) {
    setConfirming(null);
    const deleted = await remove.mutateAsync({ id: p.id }).catch(() => null);
    if (deleted) {
      setEditing(null);
      setNotice(`Deleted ${deleted.name}.`);
    }
  }

  const columns: readonly Column<ProductHit>[] = [
    { header: "SKU", cell: ({ product: p }) => p.sku },
    {
      header: "Name",
      cell: ({ product: p }) => (
        <>
          {p.name} {p.prescription_only && <span className="badge">Rx</span>}
        </>
      ),
    },
    { header: "Generic", cell: ({ product: p }) => p.generic_name },
    { header: "Kind", cell: ({ product: p }) => p.category },
    {
      header: "Available",
      className: "num",
      cell: ({ product: p, available }) => (
        <>
          {available} {p.unit}
        </>
      ),
    },
    { header: "Nearest expiry", cell: ({ nearest_expiry }) => nearest_expiry ?? "" },
    { header: "Price", className: "num", cell: ({ product: p }) => p.selling_price },
    { header: "Status", cell: ({ product: p }) => (p.deleted_at ? "deleted" : p.status.replace(/_/g, " ")) },
    {
      label: "Actions",
      cell: ({ product: p }) =>
        canEdit &&
        !p.deleted_at && (
          <>
            <button type="button" onClick={() => setEditing(p)} aria-label={`Edit ${p.name}`}>
              Edit
            </button>{" "}
            <button type="button" className="danger" onClick={() => setConfirming(p)} aria-label={`Delete ${p.name}`}>
              Delete
            </button>
          </>
        ),
    },
  ];

  return (
    <Screen
      title="Products"
      actions={
        canEdit && (
          <button type="button" className="primary" onClick={() => setEditing("new")} aria-keyshortcuts="Alt+N">
            New product <Kbd>Alt+N</Kbd>
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
            setNotice(`${created ? "Created" : "Saved"} ${p.name} (${p.sku}).`);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {confirming && (
        <div className="panel" role="alertdialog" aria-labelledby="confirm-delete-title">
          <h2 id="confirm-delete-title">
            Delete {confirming.name} ({confirming.sku})?
          </h2>
          <p>Its batches and audit history are kept; the product leaves the product lists and cannot be sold or received.</p>
          <div className="form-actions">
            <button type="button" className="danger" onClick={() => void softDelete(confirming)} autoFocus>
              Delete product
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Keep it <Kbd>Esc</Kbd>
            </button>
          </div>
        </div>
      )}
      <div className="toolbar">
        <Field label="Search products" hint="Name, SKU, generic name or barcode">
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
          Show deleted
        </label>
        <span className="muted small">
          <Kbd>/</Kbd> search
        </span>
      </div>
      <DataTable
        label="Products"
        columns={columns}
        rows={hits.data}
        rowKey={(h) => h.product.id}
        rowAttributes={(h) => ({ "data-sku": h.product.sku })}
        empty={query ? "No product matches." : "No products yet. Press Alt+N to create one."}
        error={hits.error ?? remove.error}
        loading={{ pending: hits.isPending, what: "products" }}
      />
    </Screen>
  );
}
