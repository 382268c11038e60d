// Head office's page: signs in with an admin token (kept in this tab's
// sessionStorage, sent as `Authorization: Bearer`), then reads the admin
// API (/v1/admin/...) and edits head office's catalogue through it (its
// products: catalogue.js; its vendors: vendors.js; both through editor.js).
// Everything a store or an admin wrote is set as text, never as HTML.
// Quantities and prices arrive and leave as decimal strings and are shown
// as they are (digits grouped by string work, never through a JS number).

import { startCatalogue } from "./catalogue.js";
import { startVendors } from "./vendors.js";

const TOKEN_KEY = "pharmapos-ho-token";
const $ = (id) => document.getElementById(id);

/** The stores by id, from the last read of /v1/admin/stores. */
let storesById = new Map();
/** Where the next page of each list starts (null: no more). */
let stockOffset = 0;
let activityBefore = null;
/** The latest load of each list: an answer to an older one is dropped, so
 *  a slow answer never overwrites a newer search. */
let stockLoad = 0;
let activityLoad = 0;

class ApiFailure extends Error {
  constructor(status, kind, message, details = null) {
    super(message);
    this.status = status;
    this.kind = kind;
    this.details = details;
  }
}

/** A request to the admin API: its JSON answer, or an ApiFailure. `send`
 *  (an object) goes as the JSON body, with `method` (PUT). */
async function api(path, { method = "GET", send = undefined } = {}) {
  const token = sessionStorage.getItem(TOKEN_KEY) || "";
  const headers = { Authorization: `Bearer ${token}`, Accept: "application/json" };
  if (send !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(path, { method, headers, body: send === undefined ? undefined : JSON.stringify(send) });
  } catch {
    throw new ApiFailure(0, "unreachable", "The server did not answer. Check the connection and try again.");
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const e = body && body.error;
    if (res.status === 401) {
      signOut("That admin token was not accepted. Check it and try again.");
    }
    throw new ApiFailure(res.status, e ? e.kind : "unavailable", e ? e.message : `The server answered ${res.status}.`,
      e ? e.details : null);
  }
  return body;
}

// ---- text helpers -------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** "12345.5" -> "12,345.5", on the string: no float ever touches it. */
export function groupDigits(decimal) {
  if (typeof decimal !== "string" || !/^-?\d+(\.\d+)?$/.test(decimal)) return decimal ?? "";
  const negative = decimal.startsWith("-");
  const [whole, frac] = (negative ? decimal.slice(1) : decimal).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (negative ? "−" : "") + grouped + (frac ? `.${frac}` : "");
}

function storeZone(storeId) {
  const s = storesById.get(storeId);
  return s ? s.timezone : "UTC";
}

/** An instant as text in a time zone, inside <time> carrying the exact value. */
function when(iso, zone) {
  if (!iso) return el("span", { class: "hint" }, "never");
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return el("span", {}, iso);
  let text;
  try {
    text = new Intl.DateTimeFormat("en-GB", {
      timeZone: zone || "UTC", day: "numeric", month: "short", year: "numeric",
      hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short",
    }).format(d);
  } catch {
    text = iso;
  }
  return el("time", { datetime: iso, title: `${iso} (${zone || "UTC"})` }, text);
}

const ERROR_WORDS = {
  unauthenticated: "Its secret was not accepted",
  store_not_owned: "Another PC (a copied database?) tried to push as this store",
  chain_broken: "Its record did not continue from what the server holds",
  chain_diverged: "Its record was rewritten after the server stored it (a restored backup?)",
  invalid_input: "It sent something the server refuses",
  too_large: "It sent too much at once",
};

/** A stored refusal ("kind: message") in words. */
function errorInWords(note) {
  const i = note.indexOf(": ");
  const kind = i > 0 ? note.slice(0, i) : "";
  const message = i > 0 ? note.slice(i + 2) : note;
  const headline = ERROR_WORDS[kind];
  return headline ? `${headline}: ${message}` : message;
}

function setStatus(id, text, isError = false) {
  const node = $(id);
  node.textContent = text;
  node.classList.toggle("error", isError);
}

// ---- sign-in ------------------------------------------------------------

function showApp(signedIn) {
  $("sign-in").hidden = signedIn;
  $("app").hidden = !signedIn;
  $("sign-out").hidden = !signedIn;
}

function signOut(message = "") {
  sessionStorage.removeItem(TOKEN_KEY);
  catalogue.close();
  vendors.close();
  loaded.clear();
  selectTab("stores");
  showApp(false);
  $("sign-in-error").textContent = message;
  $("token").value = "";
  $("token").focus();
}

async function signIn(event) {
  event.preventDefault();
  const token = $("token").value.trim();
  if (!token) {
    $("sign-in-error").textContent = "Enter your admin token.";
    $("token").focus();
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $("sign-in-error").textContent = "";
  const button = event.submitter || $("sign-in-form").querySelector("button");
  button.disabled = true;
  try {
    await loadStores();
    $("token").value = "";
    showApp(true);
    $("tab-stores").focus();
  } catch (e) {
    if (e.status !== 401) {
      sessionStorage.removeItem(TOKEN_KEY);
      $("sign-in-error").textContent = e.message;
    }
  } finally {
    button.disabled = false;
  }
}

// ---- tabs ---------------------------------------------------------------

const TABS = ["stores", "stock", "activity", "catalogue", "vendors"];
const loaded = new Set();

function selectTab(name, focus = false) {
  for (const t of TABS) {
    const on = t === name;
    const tab = $(`tab-${t}`);
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
  if (!loaded.has(name)) {
    loaded.add(name);
    if (name === "stock") refreshStock();
    if (name === "activity") refreshActivity();
    if (name === "catalogue") catalogue.refresh();
    if (name === "vendors") vendors.refresh();
  }
}

function tabKeys(event) {
  const i = TABS.findIndex((t) => $(`tab-${t}`) === event.target);
  if (i < 0) return;
  let next = null;
  if (event.key === "ArrowRight") next = TABS[(i + 1) % TABS.length];
  if (event.key === "ArrowLeft") next = TABS[(i + TABS.length - 1) % TABS.length];
  if (event.key === "Home") next = TABS[0];
  if (event.key === "End") next = TABS[TABS.length - 1];
  if (next) {
    event.preventDefault();
    selectTab(next, true);
  }
}

// ---- stores -------------------------------------------------------------

function fillStoreFilters(stores) {
  for (const id of ["stock-store", "activity-store"]) {
    const select = $(id);
    const keep = select.value;
    select.replaceChildren(el("option", { value: "" }, "All stores"));
    for (const s of stores) select.append(el("option", { value: s.id }, `${s.code} — ${s.name}`));
    select.value = stores.some((s) => s.id === keep) ? keep : "";
  }
}

function backlogText(s) {
  if (s.backlog === null || s.backlog === undefined) return "unknown (the store has not reported its head)";
  if (s.backlog === 0) return "none";
  return `${count(s.backlog, "event", "events")} waiting`;
}

async function verifyChain(store, button, out) {
  button.disabled = true;
  out.className = "verify-result";
  out.textContent = "Verifying…";
  try {
    const v = await api(`/v1/admin/stores/${encodeURIComponent(store.id)}/verify`);
    if (v.ok) {
      out.classList.add("ok");
      out.textContent = `Chain OK: ${count(v.events_checked, "event", "events")} verified`;
    } else {
      out.classList.add("error");
      out.textContent = `Chain broken at event ${v.problem.seq}: ${v.problem.reason} (${count(v.events_checked, "event", "events")} verified before it)`;
    }
  } catch (e) {
    out.classList.add("error");
    out.textContent = `Could not verify: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

function storeRow(s) {
  const result = el("span", { class: "verify-result", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "secondary", "aria-label": `Verify chain of ${s.code}` }, "Verify chain");
  button.addEventListener("click", () => verifyChain(s, button, result));
  const zone = s.timezone;
  const error = s.last_error
    ? el("span", { class: "error" }, errorInWords(s.last_error), " ", el("span", { class: "hint" }, "(", when(s.last_error_at, zone), ")"))
    : el("span", {}, "none");
  return el("tr", { "data-store-id": s.id },
    el("th", { scope: "row" }, el("span", { class: "code" }, s.code), el("span", { class: "store-name" }, s.name)),
    el("td", { class: "num events" }, String(s.events)),
    el("td", { class: "backlog" }, backlogText(s)),
    el("td", {}, when(s.last_push_at, zone)),
    el("td", {}, when(s.last_pull_at, zone)),
    el("td", { class: "last-error" }, error),
    el("td", {}, button, result),
  );
}

async function loadStores() {
  const answer = await api("/v1/admin/stores");
  storesById = new Map(answer.stores.map((s) => [s.id, s]));
  const body = $("stores-table").tBodies[0];
  body.replaceChildren(...answer.stores.map(storeRow));
  if (answer.stores.length === 0) {
    body.append(el("tr", {}, el("td", { colspan: "7" }, "No stores yet: register one with pharmapos-server store add.")));
  }
  fillStoreFilters(answer.stores);
  setStatus("stores-status", count(answer.stores.length, "store", "stores"));
}

async function refreshStores() {
  const button = $("stores-refresh");
  button.disabled = true;
  try {
    await loadStores();
  } catch (e) {
    setStatus("stores-status", e.message, true);
  } finally {
    button.disabled = false;
  }
}

// ---- stock --------------------------------------------------------------

/** One <tbody> per product: its name heads the group, a row per store, then the total. */
function stockGroups(answer) {
  const groups = [];
  let i = 0;
  for (const total of answer.totals) {
    const name = total.product_name || "(name unknown)";
    const rows = [];
    while (i < answer.rows.length && answer.rows[i].product_id === total.product_id) {
      const r = answer.rows[i++];
      rows.push(el("tr", { "data-product-id": r.product_id, "data-store-id": r.store_id },
        el("td", {}, r.store_code),
        el("td", { class: "num on-hand", "data-value": r.on_hand }, groupDigits(r.on_hand)),
      ));
    }
    rows.push(el("tr", { class: "total", "data-product-id": total.product_id, "data-total": "" },
      el("th", { scope: "row" }, `Total, ${total.stores} ${total.stores === 1 ? "store" : "stores"}`),
      el("td", { class: "num on-hand", "data-value": total.on_hand }, groupDigits(total.on_hand)),
    ));
    const head = el("th", { scope: "rowgroup", rowspan: String(rows.length) },
      name, el("span", { class: "store-name code" }, total.product_id));
    rows[0].prepend(head);
    groups.push(el("tbody", { "data-product-id": total.product_id }, ...rows));
  }
  return groups;
}

async function loadStock(append) {
  const params = new URLSearchParams({ limit: "100", offset: String(append ? stockOffset : 0) });
  const store = $("stock-store").value;
  if (store) params.set("store_id", store);
  setStatus("stock-status", "Loading…");
  const mine = ++stockLoad;
  try {
    const answer = await api(`/v1/admin/stock?${params}`);
    if (mine !== stockLoad) return;
    const table = $("stock-table");
    if (!append) for (const b of [...table.tBodies]) b.remove();
    table.append(...stockGroups(answer));
    stockOffset = answer.offset + answer.totals.length;
    $("stock-more").hidden = !answer.more;
    setStatus("stock-status", answer.products === 0
      ? "No stock events yet."
      : `${stockOffset} of ${count(answer.products, "product", "products")} shown`);
  } catch (e) {
    if (mine === stockLoad) setStatus("stock-status", e.message, true);
  }
}

function refreshStock(event) {
  if (event) event.preventDefault();
  return loadStock(false);
}

// ---- activity -----------------------------------------------------------

function quantityText(e) {
  if (e.previous_quantity === null && e.new_quantity === null) return "";
  return `${groupDigits(e.previous_quantity ?? "")} → ${groupDigits(e.new_quantity ?? "")}`;
}

function kindText(kind) {
  return kind.replaceAll("_", " ");
}

/** "3 events", "1 event". */
function count(n, one, many) {
  return `${n} ${n === 1 ? one : many}`;
}

function eventRow(e) {
  const zone = storeZone(e.store_id);
  let about = e.subject_name ? `${e.subject_type ? `${e.subject_type} ` : ""}${e.subject_name}` : (e.reference_id || "");
  if (e.document_total) {
    const currency = storesById.get(e.store_id)?.currency ?? "";
    about += ` · ${[currency, groupDigits(e.document_total)].filter(Boolean).join(" ")}`;
  }
  return el("tr", { "data-store-id": e.store_id, "data-seq": String(e.seq), "data-change-type": e.change_type },
    el("td", {}, when(e.received_at, zone)),
    el("td", {}, e.store_code),
    el("td", { class: "num" }, String(e.seq)),
    el("td", { class: "kind" }, kindText(e.change_type)),
    el("td", { class: "about" }, about),
    el("td", {}, e.product_name || e.product_id || ""),
    el("td", { class: "num" }, quantityText(e)),
    el("td", { class: "notes" }, e.notes || ""),
    el("td", {}, when(e.created_at, zone)),
  );
}

async function loadActivity(append) {
  const params = new URLSearchParams({ limit: "50" });
  const q = $("activity-q").value.trim();
  const kind = $("activity-kind").value;
  const store = $("activity-store").value;
  if (q) params.set("q", q);
  if (kind) params.set("change_type", kind);
  if (store) params.set("store_id", store);
  if (append && activityBefore) params.set("before", activityBefore);
  setStatus("activity-status", "Loading…");
  const mine = ++activityLoad;
  try {
    const answer = await api(`/v1/admin/events?${params}`);
    if (mine !== activityLoad) return;
    const body = $("activity-table").tBodies[0];
    if (!append) body.replaceChildren();
    body.append(...answer.events.map(eventRow));
    activityBefore = answer.next_before;
    $("activity-more").hidden = !answer.more;
    const shown = body.rows.length;
    setStatus("activity-status", shown === 0 ? "Nothing matches." : `${count(shown, "event", "events")} shown${answer.more ? ", more below" : ""}`);
  } catch (e) {
    if (mine === activityLoad) setStatus("activity-status", e.message, true);
  }
}

async function loadKinds() {
  try {
    const answer = await api("/v1/admin/change-types");
    const select = $("activity-kind");
    const keep = select.value;
    const fixed = [...select.options].slice(0, 3);
    select.replaceChildren(...fixed);
    const group = el("optgroup", { label: "One kind" });
    for (const k of answer.change_types) {
      group.append(el("option", { value: k.change_type }, `${kindText(k.change_type)} (${k.events})`));
    }
    select.append(group);
    select.value = keep;
  } catch {
    // The fixed choices still work.
  }
}

function refreshActivity(event) {
  if (event) event.preventDefault();
  activityBefore = null;
  return loadActivity(false);
}

// ---- start --------------------------------------------------------------

function start() {
  $("sign-in-form").addEventListener("submit", signIn);
  $("sign-out").addEventListener("click", () => signOut(""));
  for (const t of TABS) {
    $(`tab-${t}`).addEventListener("click", () => selectTab(t));
    $(`tab-${t}`).addEventListener("keydown", tabKeys);
  }
  $("stores-refresh").addEventListener("click", refreshStores);
  $("stock-filter").addEventListener("submit", refreshStock);
  $("stock-store").addEventListener("change", () => refreshStock());
  $("stock-more").addEventListener("click", () => loadStock(true));
  $("activity-filter").addEventListener("submit", refreshActivity);
  $("activity-kind").addEventListener("change", () => refreshActivity());
  $("activity-store").addEventListener("change", () => refreshActivity());
  $("activity-more").addEventListener("click", () => loadActivity(true));
  document.body.dataset.ready = "true";
  if (sessionStorage.getItem(TOKEN_KEY)) {
    loadStores()
      .then(() => showApp(true))
      .catch((e) => { if (e.status !== 401) signOut(e.message); });
  } else {
    $("token").focus();
  }
}

// Kinds are read once signed in (they need the token).
const observer = new MutationObserver(() => {
  if (!$("app").hidden && !loaded.has("kinds")) {
    loaded.add("kinds");
    loadKinds();
  }
});

const helpers = { $, el, api, groupDigits, when, count, setStatus };
const catalogue = startCatalogue(helpers);
const vendors = startVendors(helpers);
start();
observer.observe($("app"), { attributes: true, attributeFilter: ["hidden"] });
