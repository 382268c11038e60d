// Head office's page, the Vendors tab: head office's vendors (GET
// /v1/admin/vendors, searched by name) and the form that publishes one
// (PUT /v1/admin/vendors/{id}). The list, the form, versions, conflicts and
// errors by their field are editor.js's, as for products; here are the
// vendor's fields, its row and its words.

import { itemEditor } from "./editor.js";

/** The form's fields, by the API's names, with their labels in words. */
const FIELDS = {
  name: "Name",
  contact_person: "Contact person",
  email: "Email",
  phone: "Phone",
  address: "Address",
  payment_terms: "Payment terms",
  tax_id: "Tax ID",
  categories: "Specialisations",
  status: "Status",
};
const OPTIONAL = ["contact_person", "email", "phone", "address", "payment_terms", "tax_id"];

export function startVendors(helpers) {
  const { $ } = helpers;

  function row(v, edit, { el, when, localZone }) {
    const name = el("th", { scope: "row" }, v.name);
    if (v.contact_person) name.append(el("span", { class: "store-name" }, v.contact_person));
    return el("tr", { "data-vendor-id": v.id, "data-name": v.name },
      name,
      el("td", { class: "phone" }, v.phone || ""),
      el("td", { class: "email" }, v.email || ""),
      el("td", { class: "terms" }, v.payment_terms || ""),
      el("td", { class: "categories" }, v.categories.join(", ")),
      el("td", { class: `status status-${v.status}` }, v.status),
      el("td", { class: "num version" }, String(v.version)),
      el("td", { class: "edited" }, v.updated_by, el("span", { class: "store-name" }, when(v.updated_at, localZone))),
      el("td", {}, edit),
    );
  }

  function fill(v) {
    $("vf-name").value = v ? v.name : "";
    for (const f of OPTIONAL) $(`vf-${f}`).value = v ? (v[f] ?? "") : "";
    $("vf-categories").value = v ? v.categories.join(", ") : "";
    $("vf-status").value = v ? v.status : "active";
  }

  /** What the form says, as the API reads it: text as typed (trimmed),
   *  blanks of optional fields as null. */
  function input() {
    const v = (f) => $(`vf-${f}`).value.trim();
    const body = {
      name: v("name"),
      categories: $("vf-categories").value.split(",").map((c) => c.trim()).filter(Boolean),
      status: $("vf-status").value,
    };
    for (const f of OPTIONAL) body[f] = v(f) || null;
    return body;
  }

  /** Another vendor has the name (compared case aside). */
  function clash(_error, sent) {
    return `Another vendor is already called “${sent.name}” (capitals aside). A name belongs to one vendor only: choose another, or edit that vendor instead.`;
  }

  return itemEditor({
    what: "vendor",
    plural: "vendors",
    list: "vendors",
    form: "vf",
    dialog: "vendor-dialog",
    formId: "vendor-form",
    title: "vendor-dialog-title",
    idKey: "vendorId",
    labels: FIELDS,
    first: "name",
    row,
    fill,
    input,
    clash,
    none: "No vendors yet: add one with New vendor.",
    noMatch: "No vendor matches.",
    newAbout: "A new vendor of head office's catalogue: every store receives it at its next sync.",
  }, helpers);
}
