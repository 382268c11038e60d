// Drafts a count (create_count). The type decides the scope the engine
// takes: full (nothing more), cycle (products, or one shelf location),
// spot (products and/or named batches, empty ones included) or category
// (one category). Blind hides system quantities from counters until the
// count is completed. The draft opens in its sheet, where it is started.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { CountSummary } from "../../bindings/CountSummary";
import type { CountType } from "../../bindings/CountType";
import { Dialog } from "../../components/Dialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { TYPES, TYPE_LABEL } from "./countWords";

/** One entry of the scope: a product (all its batches) or one batch of it. */
interface ScopeItem {
  product_id: string;
  name: string;
  batch_id: string;
  batch_number: string;
}

export function NewCountDialog({ onClose, onDone }: { onClose: () => void; onDone: (c: CountSummary) => void }) {
  const { t } = useTranslation();
  const create = useCommandMutation("create_count");
  const [type, setType] = useState<CountType>("cycle");
  const [byLocation, setByLocation] = useState(false);
  const [location, setLocation] = useState("");
  const [categoryId, setCategoryId] = useState("");
  const [items, setItems] = useState<ScopeItem[]>([]);
  const [productId, setProductId] = useState("");
  const [productName, setProductName] = useState("");
  const [batchId, setBatchId] = useState("");
  const [blind, setBlind] = useState(false);
  const [notes, setNotes] = useState("");
  const categories = useCommandQuery("list_categories", {}, { enabled: type === "category" });
  const batches = useCommandQuery("get_store_inventory", { product_id: productId, include_empty: true }, { enabled: type === "spot" && !!productId });
  const listsProducts = type === "spot" || (type === "cycle" && !byLocation);

  function addItem() {
    if (!productId) return;
    const batch = (batches.data ?? []).find((b) => b.batch_id === batchId);
    const item = { product_id: productId, name: productName, batch_id: batch?.batch_id ?? "", batch_number: batch?.batch_number ?? "" };
    if (!items.some((i) => i.product_id === item.product_id && i.batch_id === item.batch_id)) setItems([...items, item]);
    setBatchId("");
  }

  const ready =
    type === "full" ||
    (type === "category" && categoryId !== "") ||
    (type === "cycle" && byLocation && location.trim() !== "") ||
    (listsProducts && items.length > 0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const productIds = items.filter((i) => !i.batch_id).map((i) => i.product_id);
    const batchIds = items.filter((i) => i.batch_id).map((i) => i.batch_id);
    const done = await create
      .mutateAsync({
        count_type: type,
        product_ids: listsProducts && productIds.length > 0 ? productIds : undefined,
        batch_ids: type === "spot" && batchIds.length > 0 ? batchIds : undefined,
        location: type === "cycle" && byLocation ? optional(location) : undefined,
        category_id: type === "category" ? optional(categoryId) : undefined,
        blind,
        notes: optional(notes),
      })
      .catch(() => null);
    if (done) onDone(done);
  }

  return (
    <Dialog title={t("New count")} onClose={onClose} size="large">
      <form onSubmit={submit} aria-label={t("New count")}>
        <Field label={t("Type of count")} error={fieldError(create.error, "count_type", t)}>
          {(id) => (
            <select id={id} value={type} onChange={(e) => setType(e.target.value as CountType)}>
              {TYPES.map((ty) => (
                <option key={ty} value={ty}>
                  {t(TYPE_LABEL[ty])}
                </option>
              ))}
            </select>
          )}
        </Field>
        <p className="muted">
          {type === "full" && t("Every batch of the store with stock, or emptied in the last 30 days.")}
          {type === "cycle" && t("The batches of some products, or of one shelf location: this round of a rotation.")}
          {type === "spot" && t("Named batches (empty ones too) and the batches of named products.")}
          {type === "category" && t("The batches of the products of one category.")}
        </p>
        {type === "cycle" && (
          <label className="checkbox">
            <input type="checkbox" checked={byLocation} onChange={(e) => setByLocation(e.target.checked)} /> {t("Count one shelf location instead of products")}
          </label>
        )}
        {type === "cycle" && byLocation && (
          <Field label={t("Shelf location")} error={fieldError(create.error, "location", t)}>
            {(id) => <input id={id} value={location} onChange={(e) => setLocation(e.target.value)} required />}
          </Field>
        )}
        {type === "category" && (
          <Field label={t("Category")} error={fieldError(create.error, "category_id", t)}>
            {(id) => (
              <select id={id} value={categoryId} onChange={(e) => setCategoryId(e.target.value)} required>
                <option value="">{t("Choose a category")}</option>
                {(categories.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.path}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        {listsProducts && (
          <fieldset>
            <legend>{type === "spot" ? t("Products and batches to count") : t("Products to count")}</legend>
            <ProductPicker
              value={productId}
              onChange={(id, hit) => {
                setProductId(id);
                setProductName(hit?.product.name ?? "");
                setBatchId("");
              }}
            />
            {type === "spot" && (
              <Field label={t("Batch (optional)")}>
                {(id) => (
                  <select id={id} value={batchId} onChange={(e) => setBatchId(e.target.value)} disabled={!productId}>
                    <option value="">{t("Every batch of the product")}</option>
                    {(batches.data ?? []).map((b) => (
                      <option key={b.batch_id} value={b.batch_id}>
                        {b.batch_number}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <button type="button" onClick={addItem} disabled={!productId}>
              {t("Add to the count")}
            </button>
            <ul aria-label={t("To count")}>
              {items.map((i, n) => (
                <li key={`${i.product_id}-${i.batch_id}`}>
                  {i.batch_id ? t("{{product}}, batch {{batch}}", { product: i.name, batch: i.batch_number }) : i.name}{" "}
                  <button type="button" onClick={() => setItems(items.filter((_, j) => j !== n))} aria-label={t("Remove {{name}}", { name: i.name })}>
                    {t("Remove")}
                  </button>
                </li>
              ))}
            </ul>
          </fieldset>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> {t("Blind count (counters do not see system quantities)")}
        </label>
        <Field label={t("Notes")}>{(id) => <input id={id} value={notes} onChange={(e) => setNotes(e.target.value)} />}</Field>
        <ErrorMessage error={create.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!ready || create.isPending}>
            {t("Create count")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
