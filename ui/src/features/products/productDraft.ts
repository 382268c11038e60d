// The product form's draft (all strings and booleans, as typed) and its
// conversion to and from the engine's product fields. Numbers stay strings:
// the engine parses and validates them and names the field when one is wrong.
import type { InjectableDetails } from "../../bindings/InjectableDetails";
import type { Product } from "../../bindings/Product";
import type { ProductCategory } from "../../bindings/ProductCategory";
import type { CreateProduct } from "../../bindings/CreateProduct";
import type { ProductStatus } from "../../bindings/ProductStatus";
import type { StorageRequirements } from "../../bindings/StorageRequirements";
import type { TFunction } from "i18next";

import { optional } from "../../lib/format";

/** The product fields besides its identity (sku, name). */
export type ProductFields = Omit<CreateProduct, "sku" | "name">;

export const CATEGORIES: readonly ProductCategory[] = [
  "medicine",
  "supplement",
  "skincare",
  "neurotoxin",
  "filler",
  "device",
  "consumable",
  "other",
];

export const STATUSES: readonly ProductStatus[] = ["active", "discontinued", "out_of_stock", "pending_approval"];

/** English t() keys for the product kinds. */
const CATEGORY_WORDS: Record<ProductCategory, string> = {
  medicine: "medicine",
  supplement: "supplement",
  skincare: "skincare",
  neurotoxin: "neurotoxin",
  filler: "filler",
  device: "device",
  consumable: "consumable",
  other: "other",
};

/** English t() keys for the product statuses. */
const STATUS_WORDS: Record<ProductStatus, string> = {
  active: "active",
  discontinued: "discontinued",
  out_of_stock: "out of stock",
  pending_approval: "waiting for approval",
};

/** A product kind in words. */
export function categoryWords(c: ProductCategory, t: TFunction): string {
  return t(CATEGORY_WORDS[c] ?? c);
}

/** A product status in words. */
export function statusWords(s: ProductStatus, t: TFunction): string {
  return t(STATUS_WORDS[s] ?? s.replace(/_/g, " "));
}

export interface ProductDraft {
  sku: string;
  name: string;
  generic_name: string;
  brand: string;
  description: string;
  category: ProductCategory;
  category_id: string;
  nafdac_number: string;
  barcodes: string;
  unit: string;
  allow_fractional: boolean;
  prescription_only: boolean;
  cost_price: string;
  selling_price: string;
  retail_price: string;
  markup_percent: string;
  commission_rate: string;
  tax_rate: string;
  reorder_point: string;
  min_level: string;
  max_level: string;
  lead_time_days: string;
  track_lot: boolean;
  track_serial: boolean;
  expiry_required: boolean;
  status: ProductStatus;
  has_storage: boolean;
  temperature_min_c: string;
  temperature_max_c: string;
  refrigerated: boolean;
  light_sensitive: boolean;
  storage_notes: string;
  has_injectable: boolean;
  concentration: string;
  dilution_ratio: string;
  reconstitution_required: boolean;
  units_per_vial: string;
  stability_hours: string;
}

export const EMPTY_PRODUCT: ProductDraft = {
  sku: "",
  name: "",
  generic_name: "",
  brand: "",
  description: "",
  category: "medicine",
  category_id: "",
  nafdac_number: "",
  barcodes: "",
  unit: "unit",
  allow_fractional: false,
  prescription_only: false,
  cost_price: "",
  selling_price: "",
  retail_price: "",
  markup_percent: "",
  commission_rate: "",
  tax_rate: "",
  reorder_point: "",
  min_level: "",
  max_level: "",
  lead_time_days: "",
  track_lot: true,
  track_serial: false,
  expiry_required: true,
  status: "active",
  has_storage: false,
  temperature_min_c: "",
  temperature_max_c: "",
  refrigerated: false,
  light_sensitive: false,
  storage_notes: "",
  has_injectable: false,
  concentration: "",
  dilution_ratio: "",
  reconstitution_required: false,
  units_per_vial: "",
  stability_hours: "",
};

export function draftFromProduct(p: Product): ProductDraft {
  return {
    sku: p.sku,
    name: p.name,
    generic_name: p.generic_name ?? "",
    brand: p.brand ?? "",
    description: p.description ?? "",
    category: p.category,
    category_id: p.category_id ?? "",
    nafdac_number: p.nafdac_number ?? "",
    barcodes: p.barcodes.join(", "),
    unit: p.unit,
    allow_fractional: p.allow_fractional,
    prescription_only: p.prescription_only,
    cost_price: p.cost_price,
    selling_price: p.selling_price,
    retail_price: p.retail_price ?? "",
    markup_percent: p.markup_percent ?? "",
    commission_rate: p.commission_rate ?? "",
    tax_rate: p.tax_rate,
    reorder_point: p.thresholds.reorder_point ?? "",
    min_level: p.thresholds.min_level ?? "",
    max_level: p.thresholds.max_level ?? "",
    lead_time_days: p.thresholds.lead_time_days?.toString() ?? "",
    track_lot: p.tracking.lot,
    track_serial: p.tracking.serial,
    expiry_required: p.tracking.expiry_required,
    status: p.status,
    has_storage: p.storage != null,
    temperature_min_c: p.storage?.temperature_min_c ?? "",
    temperature_max_c: p.storage?.temperature_max_c ?? "",
    refrigerated: p.storage?.refrigerated ?? false,
    light_sensitive: p.storage?.light_sensitive ?? false,
    storage_notes: p.storage?.notes ?? "",
    has_injectable: p.injectable != null,
    concentration: p.injectable?.concentration ?? "",
    dilution_ratio: p.injectable?.dilution_ratio ?? "",
    reconstitution_required: p.injectable?.reconstitution_required ?? false,
    units_per_vial: p.injectable?.units_per_vial ?? "",
    stability_hours: p.injectable?.stability_hours?.toString() ?? "",
  };
}

function int(value: string): number | undefined {
  const v = optional(value);
  return v === undefined ? undefined : Number(v);
}

/** The engine fields for a draft (identity fields sku/name are separate). */
export function fieldsFromDraft(d: ProductDraft): ProductFields {
  const storage: StorageRequirements | undefined = d.has_storage
    ? {
        temperature_min_c: optional(d.temperature_min_c),
        temperature_max_c: optional(d.temperature_max_c),
        refrigerated: d.refrigerated,
        light_sensitive: d.light_sensitive,
        notes: optional(d.storage_notes),
      }
    : undefined;
  const injectable: InjectableDetails | undefined = d.has_injectable
    ? {
        concentration: optional(d.concentration),
        dilution_ratio: optional(d.dilution_ratio),
        reconstitution_required: d.reconstitution_required,
        units_per_vial: optional(d.units_per_vial),
        stability_hours: int(d.stability_hours),
      }
    : undefined;
  return {
    generic_name: optional(d.generic_name),
    brand: optional(d.brand),
    description: optional(d.description),
    category: d.category,
    category_id: optional(d.category_id),
    nafdac_number: optional(d.nafdac_number),
    barcodes: d.barcodes
      .split(/[,\s]+/)
      .map((b) => b.trim())
      .filter(Boolean),
    unit: optional(d.unit),
    allow_fractional: d.allow_fractional,
    prescription_only: d.prescription_only,
    cost_price: optional(d.cost_price),
    selling_price: optional(d.selling_price),
    retail_price: optional(d.retail_price),
    markup_percent: optional(d.markup_percent),
    commission_rate: optional(d.commission_rate),
    tax_rate: optional(d.tax_rate),
    thresholds: {
      reorder_point: optional(d.reorder_point),
      min_level: optional(d.min_level),
      max_level: optional(d.max_level),
      lead_time_days: int(d.lead_time_days),
    },
    tracking: { lot: d.track_lot, serial: d.track_serial, expiry_required: d.expiry_required },
    status: d.status,
    storage,
    injectable,
  };
}

/**
 * The fields head office owns on a product of its catalogue
 * (`catalogue_version` set): the engine refuses local changes to them, so
 * the form shows them read-only and never sends them.
 */
export const HEAD_OFFICE_FIELDS = [
  "sku",
  "name",
  "generic_name",
  "brand",
  "description",
  "category",
  "nafdac_number",
  "barcodes",
  "unit",
  "allow_fractional",
  "prescription_only",
  "selling_price",
  "tax_rate",
  "status",
] as const;

/** Whether head office owns `field` of a product managed by head office. */
export function isHeadOfficeField(field: string): boolean {
  return (HEAD_OFFICE_FIELDS as readonly string[]).includes(field);
}

/** `fields` without head office's: what the store may change on a product of head office's catalogue. */
export function storeOwnFields(fields: ProductFields): ProductFields {
  return Object.fromEntries(Object.entries(fields).filter(([k]) => !isHeadOfficeField(k))) as ProductFields;
}
