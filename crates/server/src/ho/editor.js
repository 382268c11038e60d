// Head office's page: what the Catalogue and Vendors tabs share. Each tab
// lists one kind of head office's catalogue items (GET /v1/admin/{plural},
// searched, 50 a page, with a count) and edits one in a modal form that
// publishes it (PUT /v1/admin/{plural}/{id}); `itemEditor` is that list
// and that form, and each tab gives it its fields, its row and its words
// (catalogue.js: products; vendors.js: vendors).
//
// - A new item gets a UUID v7 made here; an edit sends the version it
//   showed as `expected_version`, so a change someone made meanwhile is
//   refused (version_conflict) instead of overwritten, and "Reload" brings
//   the item as it now is.
// - The API's refusals are shown beside their field (aria-invalid,
//   aria-describedby), every problem of an invalid_input answer at once.
// - One save at a time: the form ignores a second submit while one runs.
// - Nothing is checked here (beyond the fields' maximum lengths): the
//   server's checks are the only ones, so the page cannot disagree.

const PAGE = 50;

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

/** Capitalised, with a full stop. */
export function sentence(text) {
  if (!text) return "";
  text = text[0].toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}

/** The API's words for a field's problem, with the fields' own labels
 *  (`labels`: the API's name -> the label): "give the sku" -> "Give the
 *  SKU."; a label is lower-cased mid-sentence unless it starts with an
 *  acronym ("SKU", "NAFDAC number"). */
export function plainWords(message, labels) {
  let text = String(message || "").trim();
  for (const [key, label] of Object.entries(labels)) {
    const first = label.split(" ")[0];
    const inline = first.length > 1 && first === first.toUpperCase() ? label : label[0].toLowerCase() + label.slice(1);
    text = text.replace(new RegExp(`\\b${key}\\b`, "g"), inline);
  }
  return sentence(text);
}

/** A list of one kind of item and the form that publishes one.
 *
 *  `kind`: what differs between tabs:
 *  - `what` ("product"), `plural` ("products": the API's path and answer);
 *  - `list`: the prefix of the tab's ids (`{list}-q`, `-filter`, `-new`,
 *    `-status`, `-table`, `-more`); `form`: the form's (`{form}-{field}`
 *    and `-{field}-error` for each of `labels`, `-error`, `-reload`,
 *    `-about`, `-save`, `-cancel`, `-progress`), in the dialog `dialog`
 *    holding the form `formId` and its title `title`;
 *  - `idKey`: the row's dataset key holding the item's id ("productId");
 *  - `labels`: the form's fields by the API's names, and their labels;
 *    `first`: the field the form opens on;
 *  - `row(item, editButton, helpers)`: the table row; `fill(item|null)`:
 *    the form's fields (null: a new item); `input()`: the form as the API
 *    reads it (without `expected_version`);
 *  - `clash(error, sent)`: the words for a 409 `conflict` at
 *    `error.details.field` (`sent`: what was sent);
 *  - `none`, `noMatch`, `newAbout`: the words for an empty catalogue, an
 *    empty search, and a new item's form.
 *
 *  `helpers`: app.js's ($, el, api, when, count, setStatus…).
 *  Returns {refresh, close}. */
export function itemEditor(kind, helpers) {
  const { $, api, when, count, setStatus } = helpers;
  const path = `/v1/admin/${kind.plural}`;
  const id = (suffix) => $(`${kind.form}-${suffix}`);
  let offset = 0;
  let load = 0;
  /** The item in the form: {id, version (0: new), opener}. */
  let editing = null;
  let saving = false;
  const localZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  // ---- the list ---------------------------------------------------------

  function row(item) {
    const edit = helpers.el("button", { type: "button", class: "secondary edit", "aria-label": `Edit ${item.name}` }, "Edit");
    edit.addEventListener("click", () => open(item.id, edit));
    return kind.row(item, edit, { ...helpers, localZone });
  }

  function rowOf(itemId) {
    return [...$(`${kind.list}-table`).tBodies[0].rows].find((r) => r.dataset[kind.idKey] === itemId);
  }

  async function loadList(append) {
    const params = new URLSearchParams({ limit: String(PAGE), offset: String(append ? offset : 0) });
    const q = $(`${kind.list}-q`).value.trim();
    if (q) params.set("q", q);
    setStatus(`${kind.list}-status`, "Loading…");
    const mine = ++load;
    try {
      const answer = await api(`${path}?${params}`);
      if (mine !== load) return;
      const items = answer[kind.plural];
      const body = $(`${kind.list}-table`).tBodies[0];
      if (!append) body.replaceChildren();
      // Pages are by name and offset: an item renamed meanwhile may come
      // again on the next page; it is listed once.
      const listed = new Set([...body.rows].map((r) => r.dataset[kind.idKey]));
      body.append(...items.filter((p) => !listed.has(p.id)).map(row));
      offset = (append ? offset : 0) + items.length;
      const shown = body.rows.length;
      $(`${kind.list}-more`).hidden = shown >= answer.total || items.length === 0;
      setStatus(`${kind.list}-status`, answer.total === 0
        ? (q ? kind.noMatch : kind.none)
        : `${shown} of ${count(answer.total, kind.what, kind.plural)} shown`);
    } catch (e) {
      if (mine === load) setStatus(`${kind.list}-status`, e.message, true);
    }
  }

  function refresh(event) {
    if (event) event.preventDefault();
    return loadList(false);
  }

  // ---- the form ---------------------------------------------------------

  function clearErrors() {
    for (const f of Object.keys(kind.labels)) {
      id(f).removeAttribute("aria-invalid");
      id(`${f}-error`).textContent = "";
    }
    id("error").textContent = "";
    id("reload").hidden = true;
    setStatus(`${kind.form}-progress`, "");
  }

  function fieldError(field, text) {
    const input = id(field);
    const out = id(`${field}-error`);
    if (!field || !input || !out) return false;
    input.setAttribute("aria-invalid", "true");
    out.textContent = out.textContent ? `${out.textContent} ${text}` : text;
    return true;
  }

  function describe(item) {
    $(kind.title).textContent = item ? `Edit ${item.name}` : `New ${kind.what}`;
    id("about").textContent = item
      ? `Version ${item.version}, last edited by ${item.updated_by} on ${when(item.updated_at, localZone).textContent}. Saving makes version ${item.version + 1}.`
      : kind.newAbout;
  }

  function fill(item) {
    kind.fill(item);
    describe(item);
  }

  function busy(on, text = "") {
    saving = on;
    id("save").disabled = on;
    id("reload").disabled = on;
    $(kind.formId).setAttribute("aria-busy", String(on));
    setStatus(`${kind.form}-progress`, text);
  }

  async function open(itemId, opener) {
    const dialog = $(kind.dialog);
    if (dialog.open) return;
    editing = { id: itemId || uuidV7(), version: 0, opener };
    clearErrors();
    fill(null);
    busy(false);
    dialog.showModal();
    if (itemId) {
      busy(true, "Loading…");
      try {
        const item = await api(`${path}/${encodeURIComponent(itemId)}`);
        if (!editing || editing.id !== itemId) return;
        editing.version = item.version;
        fill(item);
        busy(false);
      } catch (e) {
        busy(false);
        id("save").disabled = true;
        id("error").textContent = `This ${kind.what} could not be read: ${e.message}`;
        return;
      }
    }
    id(kind.first).focus();
  }

  function showFailure(e, sent) {
    const d = e.details || {};
    if (e.kind === "version_conflict") {
      const now = d.current_version ?? "?";
      id("error").textContent =
        `Someone changed this ${kind.what} meanwhile (now version ${now}). Reload it and make your change again.`;
      id("reload").hidden = false;
      id("reload").focus();
      return;
    }
    let first = null;
    if (e.kind === "invalid_input" && Array.isArray(d.problems)) {
      for (const p of d.problems) {
        if (fieldError(p.field, plainWords(p.message, kind.labels))) first ??= p.field;
      }
    } else if (e.kind === "conflict" && d.field) {
      if (fieldError(d.field, kind.clash(e, sent))) first = d.field;
    } else if (e.kind === "invalid_input" && d.field) {
      if (fieldError(d.field, plainWords(e.message, kind.labels))) first = d.field;
    }
    if (first) {
      id("error").textContent = "Not saved: check the fields marked below.";
      id(first).focus();
    } else {
      id("error").textContent = `Not saved: ${e.message}`;
    }
  }

  async function save(event) {
    event.preventDefault();
    if (saving || !editing) return;
    const target = editing;
    clearErrors();
    busy(true, "Saving…");
    const sent = { expected_version: target.version, ...kind.input() };
    try {
      const item = await api(`${path}/${encodeURIComponent(target.id)}`, { method: "PUT", send: sent });
      // The list shows the new version even if the form was closed meanwhile.
      const listed = rowOf(item.id);
      if (listed) {
        listed.replaceWith(row(item));
      } else {
        await loadList(false);
      }
      setStatus(`${kind.list}-status`, item.version === target.version
        ? `Nothing changed in ${item.name}: still version ${item.version}.`
        : `Saved ${item.name}: version ${item.version}.`);
      if (editing !== target) return;
      busy(false);
      $(kind.dialog).close();
    } catch (e) {
      busy(false);
      if (editing === target) showFailure(e, sent);
    }
  }

  async function reload() {
    if (!editing || saving) return;
    const target = editing;
    busy(true, "Loading…");
    try {
      const item = await api(`${path}/${encodeURIComponent(target.id)}`);
      if (editing !== target) return;
      clearErrors();
      target.version = item.version;
      fill(item);
      busy(false, `Reloaded: version ${item.version}.`);
      id(kind.first).focus();
    } catch (e) {
      busy(false);
      id("error").textContent = `This ${kind.what} could not be read: ${e.message}`;
    }
  }

  /** Back to the button that opened the form (its row may be new). */
  function closed() {
    const was = editing;
    editing = null;
    busy(false);
    if (!was) return;
    let back = was.opener;
    if (!back || !back.isConnected) {
      const listed = rowOf(was.id);
      back = listed ? listed.querySelector("button.edit") : $(`${kind.list}-new`);
    }
    if (back && !$("app").hidden) back.focus();
  }

  $(`${kind.list}-filter`).addEventListener("submit", refresh);
  $(`${kind.list}-more`).addEventListener("click", () => loadList(true));
  $(`${kind.list}-new`).addEventListener("click", (e) => open(null, e.currentTarget));
  $(kind.formId).addEventListener("submit", save);
  id("cancel").addEventListener("click", () => $(kind.dialog).close());
  id("reload").addEventListener("click", reload);
  $(kind.dialog).addEventListener("close", closed);

  return {
    refresh: () => refresh(),
    close: () => {
      if ($(kind.dialog).open) $(kind.dialog).close();
    },
  };
}
