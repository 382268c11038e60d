// Create or edit a product. Fields are grouped as a pharmacist thinks of
// them: identity, units and pricing, stock control, storage, injectable.
import { useState, type ChangeEvent, type FormEvent } from "react";

import type { Product } from "../../bindings/Product";
import type { ProductCategory } from "../../bindings/ProductCategory";
import type { ProductStatus } from "../../bindings/ProductStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import { CATEGORIES, draftFromProduct, EMPTY_PRODUCT, fieldsFromDraft, STATUSES, type ProductDraft } from "./productDraft";

type TextKey = { [K in keyof ProductDraft]: ProductDraft[K] extends string ? K : never }[keyof ProductDraft];
type FlagKey = { [K in keyof ProductDraft]: ProductDraft[K] extends boolean ? K : never }[keyof ProductDraft];

export function ProductForm({
  product,
  onSaved,
  onCancel,
}: {
  product: Product | null;
  onSaved: (p: Product, created: boolean) => void;
  onCancel: () => void;
}) {
  const [d, setD] = useState<ProductDraft>(() => (product ? draftFromProduct(product) : EMPTY_PRODUCT));
  const categories = useCommandQuery("list_categories", {});
  const create = useCommandMutation("create_product");
  const update = useCommandMutation("update_product");
  const busy = create.isPending || update.isPending;
  useShortcut("escape", onCancel);

  const text = (k: TextKey, label: string, hint?: string, extra?: { required?: boolean; autoFocus?: boolean; inputMode?: "decimal" | "numeric" }) => (
    <Field label={label} hint={hint}>
      {(id) => (
        <input
          id={id}
          name={k}
          value={d[k]}
          onChange={(e: ChangeEvent<HTMLInputElement>) => setD((x) => ({ ...x, [k]: e.target.value }))}
          required={extra?.required}
          autoFocus={extra?.autoFocus}
          inputMode={extra?.inputMode}
          aria-invalid={(create.error ?? update.error)?.field === k || undefined}
        />
      )}
    </Field>
  );
  const flag = (k: FlagKey, label: string) => (
    <label className="checkbox">
      <input type="checkbox" name={k} checked={d[k]} onChange={(e) => setD((x) => ({ ...x, [k]: e.target.checked }))} />
      {label}
    </label>
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = fieldsFromDraft(d);
    if (product) {
      const saved = await update.mutateAsync({ id: product.id, sku: d.sku.trim(), name: d.name.trim(), ...fields }).catch(() => null);
      if (saved) onSaved(saved, false);
    } else {
      const saved = await create.mutateAsync({ sku: d.sku.trim(), name: d.name.trim(), ...fields }).catch(() => null);
      if (saved) onSaved(saved, true);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={product ? `Edit product ${product.name}` : "New product"}>
      <h2>{product ? `Edit ${product.name}` : "New product"}</h2>
      <fieldset>
        <legend>Identity</legend>
        <div className="grid four">
          {text("sku", "SKU", undefined, { required: true, autoFocus: true })}
          {text("name", "Name", undefined, { required: true })}
          {text("generic_name", "Generic name")}
          {text("brand", "Brand")}
          <Field label="Kind">
            {(id) => (
              <select id={id} name="category" value={d.category} onChange={(e) => setD((x) => ({ ...x, category: e.target.value as ProductCategory }))}>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Category">
            {(id) => (
              <select id={id} name="category_id" value={d.category_id} onChange={(e) => setD((x) => ({ ...x, category_id: e.target.value }))}>
                <option value="">(none)</option>
                {(categories.data ?? []).map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.path || c.display_name || c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {text("nafdac_number", "NAFDAC number", "Regulatory registration number")}
          {text("barcodes", "Barcodes", "Separate several with commas")}
          <Field label="Description" wide>
            {(id) => <textarea id={id} name="description" rows={2} value={d.description} onChange={(e) => setD((x) => ({ ...x, description: e.target.value }))} />}
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Units and pricing</legend>
        <div className="grid four">
          {text("unit", "Unit", "tablet, ml, unit, syringe…", { required: true })}
          {text("cost_price", "Cost price", undefined, { inputMode: "decimal" })}
          {text("selling_price", "Selling price", undefined, { inputMode: "decimal" })}
          {text("retail_price", "Retail price", undefined, { inputMode: "decimal" })}
          {text("markup_percent", "Markup %", undefined, { inputMode: "decimal" })}
          {text("commission_rate", "Commission rate", "0 to 1", { inputMode: "decimal" })}
          {text("tax_rate", "Tax rate", "Percent, 0 to 100, e.g. 7.5 (the till charges this)", { inputMode: "decimal" })}
          <div className="field">
            {flag("allow_fractional", "Fractional quantities (e.g. 12.5 units)")}
            {flag("prescription_only", "Prescription only")}
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>Stock control</legend>
        <div className="grid four">
          {text("reorder_point", "Reorder point", undefined, { inputMode: "decimal" })}
          {text("min_level", "Minimum level", undefined, { inputMode: "decimal" })}
          {text("max_level", "Maximum level", undefined, { inputMode: "decimal" })}
          {text("lead_time_days", "Lead time (days)", undefined, { inputMode: "numeric" })}
          <div className="field">
            {flag("track_lot", "Track lots / batches")}
            {flag("track_serial", "Track serial numbers")}
            {flag("expiry_required", "Expiry date required")}
          </div>
          <Field label="Status">
            {(id) => (
              <select id={id} name="status" value={d.status} onChange={(e) => setD((x) => ({ ...x, status: e.target.value as ProductStatus }))}>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {s.replace(/_/g, " ")}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Storage</legend>
        {flag("has_storage", "Has storage requirements")}
        {d.has_storage && (
          <div className="grid four">
            {text("temperature_min_c", "Min temperature °C", undefined, { inputMode: "decimal" })}
            {text("temperature_max_c", "Max temperature °C", undefined, { inputMode: "decimal" })}
            <div className="field">
              {flag("refrigerated", "Refrigerated")}
              {flag("light_sensitive", "Light sensitive")}
            </div>
            {text("storage_notes", "Storage notes")}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>Injectable</legend>
        {flag("has_injectable", "Injectable (neurotoxin, filler…)")}
        {d.has_injectable && (
          <div className="grid four">
            {text("concentration", "Concentration")}
            {text("dilution_ratio", "Dilution ratio")}
            {text("units_per_vial", "Units per vial", undefined, { inputMode: "decimal" })}
            {text("stability_hours", "Stability after opening (hours)", undefined, { inputMode: "numeric" })}
            {flag("reconstitution_required", "Reconstitution required")}
          </div>
        )}
      </fieldset>
      <ErrorMessage error={create.error ?? update.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : "Save product"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel <Kbd>Esc</Kbd>
        </button>
      </div>
    </form>
  );
}
