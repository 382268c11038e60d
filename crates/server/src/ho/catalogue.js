// Head office's page, the Catalogue tab: head office's products and prices
// (GET /v1/admin/products, searched by name or SKU) and the form that
// publishes one (PUT /v1/admin/products/{id}). The list, the form, versions,
// conflicts and errors by their field are editor.js's; here are the
// product's fields, its row and its words.
//
// Prices and tax rates stay strings from the input to the request and from
// the answer to the table: no JS number ever holds one.

import { itemEditor, sentence } from "./editor.js";

/** The form's fields, by the API's names, with their labels in words. */
const FIELDS = {
  sku: "SKU",
  name: "Name",
  generic_name: "Generic name",
  brand: "Brand",
  description: "Description",
  category: "Kind",
  nafdac_number: "NAFDAC number",
  barcodes: "Barcodes",
  unit: "Unit",
  allow_fractional: "Fractional quantities",
  prescription_only: "Prescription only",
  selling_price: "Selling price",
  tax_rate: "Tax rate",
  status: "Status",
};
const TEXT_FIELDS = ["sku", "name", "generic_name", "brand", "description", "nafdac_number", "unit",
  "selling_price", "tax_rate"];
const OPTIONAL = ["generic_name", "brand", "description", "nafdac_number"];

export function startCatalogue(helpers) {
  const { $ } = helpers;

  function row(p, edit, { el, groupDigits, when, localZone }) {
    const name = el("th", { scope: "row" }, p.name);
    if (p.generic_name) name.append(el("span", { class: "store-name" }, p.generic_name));
    return el("tr", { "data-product-id": p.id, "data-sku": p.sku },
      name,
      el("td", { class: "code sku" }, p.sku),
      el("td", {}, p.unit),
      el("td", { class: "num price", "data-value": p.selling_price }, groupDigits(p.selling_price)),
      el("td", { class: "num tax", "data-value": p.tax_rate }, p.tax_rate),
      el("td", { class: `status-${p.status}` }, p.status),
      el("td", { class: "num version" }, String(p.version)),
      el("td", { class: "edited" }, p.updated_by, el("span", { class: "store-name" }, when(p.updated_at, localZone))),
      el("td", {}, edit),
    );
  }

  function fill(p) {
    for (const f of TEXT_FIELDS) $(`pf-${f}`).value = p ? (p[f] ?? "") : "";
    $("pf-category").value = p ? p.category : "medicine";
    $("pf-status").value = p ? p.status : "active";
    $("pf-barcodes").value = p ? p.barcodes.join(", ") : "";
    $("pf-allow_fractional").checked = p ? p.allow_fractional : false;
    $("pf-prescription_only").checked = p ? p.prescription_only : false;
    if (!p) $("pf-tax_rate").value = "0";
  }

  /** What the form says, as the API reads it: text as typed (trimmed),
   *  prices as strings, blanks of optional fields as null. */
  function input() {
    const v = (f) => $(`pf-${f}`).value.trim();
    const body = {
      sku: v("sku"),
      name: v("name"),
      category: $("pf-category").value,
      unit: v("unit"),
      selling_price: v("selling_price"),
      tax_rate: v("tax_rate") || "0",
      status: $("pf-status").value,
      barcodes: $("pf-barcodes").value.split(",").map((b) => b.trim()).filter(Boolean),
      allow_fractional: $("pf-allow_fractional").checked,
      prescription_only: $("pf-prescription_only").checked,
    };
    for (const f of OPTIONAL) body[f] = v(f) || null;
    return body;
  }

  /** The server's words name the SKU or barcode as typed: not reworded. */
  function clash(e) {
    const what = e.details.field === "sku" ? "An SKU" : "A barcode";
    return `${sentence(e.message)} ${what} belongs to one product only.`;
  }

  return itemEditor({
    what: "product",
    plural: "products",
    list: "catalogue",
    form: "pf",
    dialog: "product-dialog",
    formId: "product-form",
    title: "product-dialog-title",
    idKey: "productId",
    labels: FIELDS,
    first: "sku",
    row,
    fill,
    input,
    clash,
    none: "No products yet: add one with New product.",
    noMatch: "No product matches.",
    newAbout: "A new product of head office's catalogue: every store receives it at its next sync.",
  }, helpers);
}
