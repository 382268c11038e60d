// Head office's page, the Catalogue tab: head office's products and prices
// (GET /v1/admin/products, searched by name or SKU, 50 a page) and the
// form that publishes one (PUT /v1/admin/products/{id}).
//
// - A new product gets a UUID v7 made here; an edit sends the version it
//   showed as `expected_version`, so a change someone made meanwhile is
//   refused (version_conflict) instead of overwritten, and "Reload" brings
//   the product as it now is.
// - Prices and tax rates stay strings from the input to the request and
//   from the answer to the table: no JS number ever holds one.
// - The API's refusals are shown beside their field (aria-invalid,
//   aria-describedby), every problem of an invalid_input answer at once.
// - One save at a time: the form ignores a second submit while one runs.

const PAGE = 50;

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

/** A UUID v7 (RFC 9562): 48 bits of milliseconds, then random bits. Made
 *  with getRandomValues, which (unlike randomUUID) works on plain http too. */
export function uuidV7(now = Date.now()) {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  let ms = BigInt(now);
  for (let i = 5; i >= 0; i--) {
    b[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The API's words for a field's problem, with the fields' own labels:
 *  "give the sku" -> "Give the SKU." */
export function plainWords(message) {
  let text = String(message || "").trim();
  for (const [key, label] of Object.entries(FIELDS)) {
    text = text.replace(new RegExp(`\\b${key}\\b`, "g"), key === "sku" ? label : label.toLowerCase());
  }
  return sentence(text.replace(/\bnafdac\b/g, "NAFDAC"));
}

/** Capitalised, with a full stop. */
function sentence(text) {
  if (!text) return "";
  text = text[0].toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

export function startCatalogue({ $, el, api, groupDigits, when, count, setStatus }) {
  let offset = 0;
  let load = 0;
  /** The product in the form: {id, version (0: new), opener}. */
  let editing = null;
  let saving = false;
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  // ---- the list ---------------------------------------------------------

  function productRow(p) {
    const edit = el("button", { type: "button", class: "secondary edit", "aria-label": `Edit ${p.name}` }, "Edit");
    edit.addEventListener("click", () => openProduct(p.id, edit));
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

  async function loadCatalogue(append) {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(append ? offset : 0) });
    const q = $("catalogue-q").value.trim();
    if (q) params.set("q", q);
    setStatus("catalogue-status", "Loading…");
    const mine = ++load;
    try {
      const answer = await api(`/v1/admin/products?${params}`);
      if (mine !== load) return;
      const body = $("catalogue-table").tBodies[0];
      if (!append) body.replaceChildren();
      // Pages are by name and offset: a product renamed meanwhile may come
      // again on the next page; it is listed once.
      const listed = new Set([...body.rows].map((r) => r.dataset.productId));
      body.append(...answer.products.filter((p) => !listed.has(p.id)).map(productRow));
      offset = (append ? offset : 0) + answer.products.length;
      const shown = body.rows.length;
      $("catalogue-more").hidden = shown >= answer.total || answer.products.length === 0;
      setStatus("catalogue-status", answer.total === 0
        ? (q ? "No product matches." : "No products yet: add one with New product.")
        : `${shown} of ${count(answer.total, "product", "products")} shown`);
    } catch (e) {
      if (mine === load) setStatus("catalogue-status", e.message, true);
    }
  }

  function refreshCatalogue(event) {
    if (event) event.preventDefault();
    return loadCatalogue(false);
  }

  // ---- the form ---------------------------------------------------------

  function clearErrors() {
    for (const f of Object.keys(FIELDS)) {
      $(`pf-${f}`).removeAttribute("aria-invalid");
      $(`pf-${f}-error`).textContent = "";
    }
    $("pf-error").textContent = "";
    $("pf-reload").hidden = true;
    setStatus("pf-progress", "");
  }

  function fieldError(field, text) {
    const input = $(`pf-${field}`);
    const out = $(`pf-${field}-error`);
    if (!input || !out) return false;
    input.setAttribute("aria-invalid", "true");
    out.textContent = out.textContent ? `${out.textContent} ${text}` : text;
    return true;
  }

  function describe(p) {
    $("product-dialog-title").textContent = p ? `Edit ${p.name}` : "New product";
    $("pf-about").textContent = p
      ? `Version ${p.version}, last edited by ${p.updated_by} on ${when(p.updated_at, localZone).textContent}. Saving makes version ${p.version + 1}.`
      : "A new product of head office's catalogue: every store receives it at its next sync.";
  }

  function fill(p) {
    for (const f of TEXT_FIELDS) $(`pf-${f}`).value = p ? (p[f] ?? "") : "";
    $("pf-category").value = p ? p.category : "medicine";
    $("pf-status").value = p ? p.status : "active";
    $("pf-barcodes").value = p ? p.barcodes.join(", ") : "";
    $("pf-allow_fractional").checked = p ? p.allow_fractional : false;
    $("pf-prescription_only").checked = p ? p.prescription_only : false;
    if (!p) $("pf-tax_rate").value = "0";
    describe(p);
  }

  function busy(on, text = "") {
    saving = on;
    $("pf-save").disabled = on;
    $("pf-reload").disabled = on;
    $("product-form").setAttribute("aria-busy", String(on));
    setStatus("pf-progress", text);
  }

  async function openProduct(id, opener) {
    const dialog = $("product-dialog");
    if (dialog.open) return;
    editing = { id: id || uuidV7(), version: 0, opener };
    clearErrors();
    fill(null);
    busy(false);
    dialog.showModal();
    if (id) {
      busy(true, "Loading…");
      try {
        const p = await api(`/v1/admin/products/${encodeURIComponent(id)}`);
        if (!editing || editing.id !== id) return;
        editing.version = p.version;
        fill(p);
        busy(false);
      } catch (e) {
        busy(false);
        $("pf-save").disabled = true;
        $("pf-error").textContent = `This product could not be read: ${e.message}`;
        return;
      }
    }
    $("pf-sku").focus();
  }

  /** What the form says, as the API reads it: text as typed (trimmed),
   *  prices as strings, blanks of optional fields as null. */
  function input() {
    const v = (f) => $(`pf-${f}`).value.trim();
    const body = {
      expected_version: editing.version,
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

  function showFailure(e) {
    const d = e.details || {};
    if (e.kind === "version_conflict") {
      const now = d.current_version ?? "?";
      $("pf-error").textContent =
        `Someone changed this product meanwhile (now version ${now}). Reload it and make your change again.`;
      $("pf-reload").hidden = false;
      $("pf-reload").focus();
      return;
    }
    let first = null;
    if (e.kind === "invalid_input" && Array.isArray(d.problems)) {
      for (const p of d.problems) {
        if (fieldError(p.field, plainWords(p.message))) first ??= p.field;
      }
    } else if (e.kind === "conflict" && d.field) {
      // The server's words name the SKU or barcode as typed: not reworded.
      const what = d.field === "sku" ? "An SKU" : "A barcode";
      if (fieldError(d.field, `${sentence(e.message)} ${what} belongs to one product only.`)) first = d.field;
    } else if (e.kind === "invalid_input" && d.field) {
      if (fieldError(d.field, plainWords(e.message))) first = d.field;
    }
    if (first) {
      $("pf-error").textContent = "Not saved: check the fields marked below.";
      $(`pf-${first}`).focus();
    } else {
      $("pf-error").textContent = `Not saved: ${e.message}`;
    }
  }

  async function saveProduct(event) {
    event.preventDefault();
    if (saving || !editing) return;
    const target = editing;
    clearErrors();
    busy(true, "Saving…");
    try {
      const p = await api(`/v1/admin/products/${encodeURIComponent(target.id)}`, { method: "PUT", send: input() });
      // The list shows the new version even if the form was closed meanwhile.
      const row = [...$("catalogue-table").tBodies[0].rows].find((r) => r.dataset.productId === p.id);
      if (row) {
        row.replaceWith(productRow(p));
      } else {
        await loadCatalogue(false);
      }
      setStatus("catalogue-status", p.version === target.version
        ? `Nothing changed in ${p.name}: still version ${p.version}.`
        : `Saved ${p.name}: version ${p.version}.`);
      if (editing !== target) return;
      busy(false);
      $("product-dialog").close();
    } catch (e) {
      busy(false);
      if (editing === target) showFailure(e);
    }
  }

  async function reloadProduct() {
    if (!editing || saving) return;
    const target = editing;
    busy(true, "Loading…");
    try {
      const p = await api(`/v1/admin/products/${encodeURIComponent(target.id)}`);
      if (editing !== target) return;
      clearErrors();
      target.version = p.version;
      fill(p);
      busy(false, `Reloaded: version ${p.version}.`);
      $("pf-sku").focus();
    } catch (e) {
      busy(false);
      $("pf-error").textContent = `This product could not be read: ${e.message}`;
    }
  }

  /** Back to the button that opened the form (its row may be new). */
  function productClosed() {
    const was = editing;
    editing = null;
    busy(false);
    if (!was) return;
    let back = was.opener;
    if (!back || !back.isConnected) {
      const row = [...$("catalogue-table").tBodies[0].rows].find((r) => r.dataset.productId === was.id);
      back = row ? row.querySelector("button.edit") : $("catalogue-new");
    }
    if (back && !$("app").hidden) back.focus();
  }

  $("catalogue-filter").addEventListener("submit", refreshCatalogue);
  $("catalogue-more").addEventListener("click", () => loadCatalogue(true));
  $("catalogue-new").addEventListener("click", (e) => openProduct(null, e.currentTarget));
  $("product-form").addEventListener("submit", saveProduct);
  $("pf-cancel").addEventListener("click", () => $("product-dialog").close());
  $("pf-reload").addEventListener("click", reloadProduct);
  $("product-dialog").addEventListener("close", productClosed);

  return {
    refresh: () => refreshCatalogue(),
    close: () => {
      if ($("product-dialog").open) $("product-dialog").close();
    },
  };
}
