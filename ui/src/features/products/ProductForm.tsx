// Create or edit a product. Fields are grouped as a pharmacist thinks of
// them: identity, units and pricing, stock control, storage, injectable.
import { useState, type ChangeEvent, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import type { Product } from "../../bindings/Product";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field, Kbd } from "../../components/Field";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";
import {
  CATEGORIES,
  categoryWords,
  draftFromProduct,
  EMPTY_PRODUCT,
  fieldsFromDraft,
  isHeadOfficeField,
  STATUSES,
  statusWords,
  storeOwnFields,
  type ProductDraft,
} from "./productDraft";

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
  const { t } = useTranslation();
  const [d, setD] = useState<ProductDraft>(() => (product ? draftFromProduct(product) : EMPTY_PRODUCT));
  const categories = useCommandQuery("list_categories", {});
  const create = useCommandMutation("create_product");
  const update = useCommandMutation("update_product");
  const busy = create.isPending || update.isPending;
  const error = create.error ?? update.error;
  useShortcut("escape", onCancel);
  // A product of head office's catalogue: its identity, units, selling price,
  // tax and status are head office's (read-only here, never sent).
  const managed = product?.catalogue_version != null;
  const locked = (k: string) => managed && isHeadOfficeField(k);
  // The fields the engine may name in an error, with their labels.
  const labels: Partial<Record<keyof ProductDraft | "sku" | "name", string>> = {};

  const text = (k: TextKey, label: string, hint?: string, extra?: { required?: boolean; autoFocus?: boolean; inputMode?: "decimal" | "numeric" }) => {
    labels[k] = label;
    return (
      <Field label={label} hint={hint} error={fieldError(error, k, t)}>
        {(id) => (
          <input
            id={id}
            name={k}
            value={d[k]}
            onChange={(e: ChangeEvent<HTMLInputElement>) => setD((x) => ({ ...x, [k]: e.target.value }))}
            required={extra?.required}
            autoFocus={extra?.autoFocus && !locked(k)}
            disabled={locked(k)}
            inputMode={extra?.inputMode}
          />
        )}
      </Field>
    );
  };
  const select = (k: "category" | "category_id" | "status", label: string, options: readonly { value: string; label: string }[]) => {
    labels[k] = label;
    return (
      <Field label={label} error={fieldError(error, k, t)}>
        {(id) => (
          <select id={id} name={k} value={d[k]} disabled={locked(k)} onChange={(e) => setD((x) => ({ ...x, [k]: e.target.value }))}>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
    );
  };
  const flag = (k: FlagKey, label: string) => (
    <label className="checkbox">
      <input type="checkbox" name={k} checked={d[k]} disabled={locked(k)} onChange={(e) => setD((x) => ({ ...x, [k]: e.target.checked }))} />
      {label}
    </label>
  );

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields = fieldsFromDraft(d);
    if (product && managed) {
      const saved = await update.mutateAsync({ id: product.id, ...storeOwnFields(fields) }).catch(() => null);
      if (saved) onSaved(saved, false);
    } else if (product) {
      const saved = await update.mutateAsync({ id: product.id, sku: d.sku.trim(), name: d.name.trim(), ...fields }).catch(() => null);
      if (saved) onSaved(saved, false);
    } else {
      const saved = await create.mutateAsync({ sku: d.sku.trim(), name: d.name.trim(), ...fields }).catch(() => null);
      if (saved) onSaved(saved, true);
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={product ? t("Edit product {{name}}", { name: product.name }) : t("New product")}>
      <h2>{product ? t("Edit {{name}}", { name: product.name }) : t("New product")}</h2>
      {managed && (
        <p className="notice" data-testid="head-office-product">
          {t("Head office manages this product (version {{version}}): its name, codes, unit, selling price, tax and status change in head office's catalogue. This store sets its cost, reorder levels, storage and tracking.", {
            version: product.catalogue_version,
          })}
        </p>
      )}
      <fieldset>
        <legend>{t("Identity")}</legend>
        <div className="grid four">
          {text("sku", t("SKU"), undefined, { required: true, autoFocus: true })}
          {text("name", t("Name"), undefined, { required: true })}
          {text("generic_name", t("Generic name"))}
          {text("brand", t("Brand"))}
          {select(
            "category",
            t("Kind"),
            CATEGORIES.map((c) => ({ value: c, label: categoryWords(c, t) })),
          )}
          {select("category_id", t("Category"), [
            { value: "", label: t("(none)") },
            ...(categories.data ?? []).map((c) => ({ value: c.id, label: c.path || c.display_name || c.name })),
          ])}
          {text("nafdac_number", t("NAFDAC number"), t("Regulatory registration number"))}
          {text("barcodes", t("Barcodes"), t("Separate several with commas"))}
          <Field label={t("Description")} wide error={fieldError(error, "description", t)}>
            {(id) => (
              <textarea id={id} name="description" rows={2} value={d.description} disabled={locked("description")} onChange={(e) => setD((x) => ({ ...x, description: e.target.value }))} />
            )}
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("Units and pricing")}</legend>
        <div className="grid four">
          {text("unit", t("Unit"), t("tablet, ml, unit, syringe…"), { required: true })}
          {text("cost_price", t("Cost price"), undefined, { inputMode: "decimal" })}
          {text("selling_price", t("Selling price"), undefined, { inputMode: "decimal" })}
          {text("retail_price", t("Retail price"), undefined, { inputMode: "decimal" })}
          {text("markup_percent", t("Markup %"), undefined, { inputMode: "decimal" })}
          {text("commission_rate", t("Commission rate"), t("0 to 1"), { inputMode: "decimal" })}
          {text("tax_rate", t("Tax rate"), t("Percent, 0 to 100, e.g. 7.5 (the till charges this)"), { inputMode: "decimal" })}
          <div className="field">
            {flag("allow_fractional", t("Fractional quantities (e.g. 12.5 units)"))}
            {flag("prescription_only", t("Prescription only"))}
          </div>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("Stock control")}</legend>
        <div className="grid four">
          {text("reorder_point", t("Reorder point"), undefined, { inputMode: "decimal" })}
          {text("min_level", t("Minimum level"), undefined, { inputMode: "decimal" })}
          {text("max_level", t("Maximum level"), undefined, { inputMode: "decimal" })}
          {text("lead_time_days", t("Lead time (days)"), undefined, { inputMode: "numeric" })}
          <div className="field">
            {flag("track_lot", t("Track lots / batches"))}
            {flag("track_serial", t("Track serial numbers"))}
            {flag("expiry_required", t("Expiry date required"))}
          </div>
          {select(
            "status",
            t("Status"),
            STATUSES.map((x) => ({ value: x, label: statusWords(x, t) })),
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t("Storage")}</legend>
        {flag("has_storage", t("Has storage requirements"))}
        {d.has_storage && (
          <div className="grid four">
            {text("temperature_min_c", t("Min temperature °C"), undefined, { inputMode: "decimal" })}
            {text("temperature_max_c", t("Max temperature °C"), undefined, { inputMode: "decimal" })}
            <div className="field">
              {flag("refrigerated", t("Refrigerated"))}
              {flag("light_sensitive", t("Light sensitive"))}
            </div>
            {text("storage_notes", t("Storage notes"))}
          </div>
        )}
      </fieldset>
      <fieldset>
        <legend>{t("Injectable")}</legend>
        {flag("has_injectable", t("Injectable (neurotoxin, filler…)"))}
        {d.has_injectable && (
          <div className="grid four">
            {text("concentration", t("Concentration"))}
            {text("dilution_ratio", t("Dilution ratio"))}
            {text("units_per_vial", t("Units per vial"), undefined, { inputMode: "decimal" })}
            {text("stability_hours", t("Stability after opening (hours)"), undefined, { inputMode: "numeric" })}
            {flag("reconstitution_required", t("Reconstitution required"))}
          </div>
        )}
      </fieldset>
      <ErrorMessage error={error} fields={{ ...labels, description: t("Description") }} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Saving…") : t("Save product")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("Cancel")} <Kbd>Esc</Kbd>
        </button>
      </div>
    </form>
  );
}
