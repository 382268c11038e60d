// Errors in plain words. The engine's kind and details say what happened;
// here each kind becomes a sentence through t() (so it is translated) that
// says what happened and what to do. Where the engine's own message carries
// the one specific reason (a bad value, a clash), that message is the
// "reason" shown under the sentence; otherwise the message is only kept for
// support, behind "Technical details".
import i18next, { type TFunction } from "i18next";

import { toApiError, type ApiError, type AppErrorKind } from "../api";

type T = TFunction;

/** Kinds whose engine message is the specific reason, in plain words. */
const REASON_IN_MESSAGE: ReadonlySet<AppErrorKind> = new Set<AppErrorKind>(["invalid_input", "conflict", "approval_required"]);

/** The form field each kind is about when the engine names none. */
const KIND_FIELD: Partial<Record<AppErrorKind, string>> = {
  keyring_unavailable: "secret",
  no_cost_price: "cost_price",
  supplier_inactive: "supplier_id",
  prescription_required: "prescription_ref",
};

const words = (s: string) => s.replace(/_/g, " ");

function text(d: Record<string, unknown>, key: string): string {
  const v = d[key];
  return typeof v === "string" || typeof v === "number" || typeof v === "bigint" ? String(v) : "";
}

/** The plain sentence for an error. `instant` formats a time (the store's zone). */
export function plainSentence(e: ApiError, t: T = i18next.t, instant: (iso: string) => string = (s) => s): string {
  const d = e.details;
  const s = (k: string) => text(d, k);
  const status = (k = "status") => t(words(s(k)));
  switch (e.kind) {
    case "not_found":
      return t("The {{entity}} could not be found. It may have been removed: refresh and try again.", { entity: t(words(s("entity"))) });
    case "invalid_input":
      return t("Something entered cannot be used. Correct it and try again.");
    case "conflict":
      return t("This clashes with what is already saved. Nothing was changed.");
    case "database_rule":
      return t("The database refused this change, so nothing was saved. Please tell support what you were doing.");
    case "corrupt_record":
      return t("A saved {{entity}} record is damaged and cannot be read. Ask support to repair it.", { entity: t(words(s("entity"))) });
    case "forbidden":
      if (s("store") && !s("permission")) return t("You do not work in this store. Ask an administrator to add you to it.");
      return s("role")
        ? t("Your role ({{role}}) does not allow this. Ask a manager or an administrator.", { role: t(words(s("role"))) })
        : t("You are not allowed to do this. Ask a manager or an administrator.");
    case "store_not_owned":
      return t("This store belongs to another installation; it cannot be changed from this computer.");
    case "approval_required":
      return t("A manager needs to approve this.");
    case "unauthenticated":
      switch (s("reason")) {
        case "deactivated":
          return t("This user is deactivated. Ask an administrator.");
        case "no_session":
          return t("You are not signed in any more. Sign in again.");
        default:
          return t("The name or PIN is wrong. Try again.");
      }
    case "locked":
      return t("{{user}} is locked after too many wrong PINs. Try again after {{until}}.", { user: s("user"), until: instant(s("until")) });
    case "not_set_up":
      return t("The store is not set up yet.");
    case "already_set_up":
      return t("This database is already set up. Sign in instead.");
    case "store_closed":
      return t("The store {{name}} is closed.", { name: s("name") });
    case "stock_frozen":
      return t("Stock is frozen before {{freeze}}: nothing may be dated {{date}}.", { freeze: s("freeze_date"), date: s("date") });
    case "product_deleted":
      return t("Product {{sku}} has been deleted.", { sku: s("sku") });
    case "product_pending_approval":
      return t("Product {{sku}} waits for a manager's approval and cannot be sold yet.", { sku: s("sku") });
    case "product_discontinued":
      return t("Product {{sku}} is discontinued: no more stock can be received.", { sku: s("sku") });
    case "prescription_required":
      return t("{{sku}} needs a prescription. Enter the prescription reference.", { sku: s("sku") });
    case "supplier_inactive":
      return t("The supplier {{name}} is deactivated. Reactivate it or choose another.", { name: s("name") });
    case "no_cost_price":
      return t("Product {{sku}} has no cost price. Enter this delivery's cost price.", { sku: s("sku") });
    case "insufficient_stock":
      return t("Not enough stock: {{requested}} asked for, {{available}} available.", { requested: s("requested"), available: s("available") });
    case "batch_not_sellable":
      return s("reason") === "expired"
        ? t("Batch {{batch}} has expired and cannot be sold.", { batch: s("batch") })
        : t("Batch {{batch}} cannot be sold: it is {{status}}.", { batch: s("batch"), status: status("reason") });
    case "batch_status_unchanged":
      return t("Batch {{batch}} is already {{status}}.", { batch: s("batch"), status: status() });
    case "batch_not_quarantined":
      return t("Batch {{batch}} is not in quarantine (it is {{status}}).", { batch: s("batch"), status: status() });
    case "batch_empty":
      return t("Batch {{batch}} is empty.", { batch: s("batch") });
    case "reservation_not_active":
      return t("This hold on stock has already ended ({{status}}).", { status: status() });
    case "adjustment_not_pending":
      return t("This adjustment was already decided ({{status}}).", { status: status() });
    case "backorder_closed":
      return t("This backorder is already closed ({{status}}).", { status: status() });
    case "receipt_not_reversible":
      switch (s("reason")) {
        case "already_reversed":
          return t("The receipt into batch {{batch}} was already reversed; there is nothing left to undo.", { batch: s("batch") });
        case "stock_left":
          return t("The receipt into batch {{batch}} cannot be reversed: stock has left the batch since. Correct the batch with a stock adjustment or a write-off instead.", { batch: s("batch") });
        case "reserved":
          return t("The receipt into batch {{batch}} cannot be reversed while part of the batch is reserved for customers.", { batch: s("batch") });
        default:
          return t("The receipt into batch {{batch}} cannot be reversed.", { batch: s("batch") });
      }
    case "no_open_shift":
      return t("No shift is open on this till. Open a shift first.");
    case "cart_not_open":
    case "cart_not_held":
    case "cart_closed":
      return t("This cart can no longer be changed ({{status}}). Start a new sale.", { status: status() });
    case "empty_cart":
      return t("The cart is empty. Add an item first.");
    case "no_selling_price":
      return t("{{name}} has no selling price. Set one on the product first.", { name: s("name") });
    case "sale_not_completed":
      return t("Sale {{number}} is not completed ({{status}}).", { number: s("number"), status: status() });
    case "sale_shift_closed":
      return t("Sale {{number}} belongs to a closed shift: make a return instead.", { number: s("number") });
    case "sale_has_returns":
      return t("Sale {{number}} has returns, so it cannot be voided.", { number: s("number") });
    case "vial_beyond_use":
      return s("clock") === "policy"
        ? t("The vial of {{product}} (lot {{batch}}) passed the clinic's window at {{until}}. A manager may approve an override, or close the vial.", { product: s("product"), batch: s("batch"), until: instant(s("until")) })
        : t("The vial of {{product}} (lot {{batch}}) passed the label's beyond-use time at {{until}}. A manager may approve an override, or close the vial.", { product: s("product"), batch: s("batch"), until: instant(s("until")) });
    case "vial_not_active":
      return t("This vial is no longer open ({{status}}).", { status: status() });
    case "alert_not_open":
      return t("This alert was already dealt with ({{status}}); the list shows it as it is now.", { status: status() });
    case "lot_already_decided":
      return t("Lot {{batch}} was already {{decision}}.", { batch: s("batch"), decision: t(s("decision")) });
    case "csv_rejected": {
      const problems = (d as { problems?: { line: number; message: string }[] }).problems ?? [];
      return t("Nothing was imported: {{lines}}.", {
        lines: problems.map((p) => t("line {{line}}: {{message}}", { line: p.line, message: p.message })).join("; "),
      });
    }
    case "schema_too_new":
      return t("This database was written by a newer PharmaPOS. Install that version or newer.");
    case "not_a_database":
      return t("This file is not a PharmaPOS database.");
    case "storage":
      switch (s("problem")) {
        case "disk_full":
          return t("The disk is full, so nothing was saved. Free some space and try again.");
        case "read_only":
          return t("The database file cannot be written (read-only). Nothing was saved.");
        case "busy":
          return t("The database is busy. Wait a moment and try again.");
        default:
          return t("The database could not be read or written. Check the disk and try again.");
      }
    case "internal":
      return t("Something went wrong inside PharmaPOS. Try again; if it keeps happening, tell support.");
    case "keyring_unavailable":
      if (s("reason") === "secret_file_not_private") {
        return t("The sync secret file {{path}} can be read by other users, so it is not used. Make it private (chmod 600), or register the store again to save the secret afresh.", { path: s("path") });
      }
      return t(
        "This computer has no working keyring to keep the sync secret in. Start one (GNOME Keyring or KWallet), or start PharmaPOS with PHARMAPOS_SYNC_SECRET_DIR set to a folder only you can read, to keep the secret in a private file there; then register again.",
      );
    case "sync_secret_missing":
      return t("No sync secret is saved on this computer, so nothing can be sent. An administrator registers the store again (Settings → Sync) with the secret head office gave.");
  }
}

/** The engine's specific reason to show under the sentence, when it has one. */
export function reasonOf(e: ApiError): string | undefined {
  if (!REASON_IN_MESSAGE.has(e.kind)) return undefined;
  const m = e.message.trim();
  if (!m) return undefined;
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** The field an error is about: the engine's `field` (a dotted path's last part), or the kind's field. */
export function errorField(error: unknown): string | undefined {
  if (error === null || error === undefined) return undefined;
  const e = toApiError(error);
  const f = e.field;
  if (f) return f.includes(".") ? f.slice(f.lastIndexOf(".") + 1) : f;
  return KIND_FIELD[e.kind];
}

/** The plain words to show at the field `name` when `error` is about it. */
export function fieldError(error: unknown, name: string, t: T = i18next.t): string | undefined {
  if (errorField(error) !== name) return undefined;
  const e = toApiError(error);
  return reasonOf(e) ?? plainSentence(e, t);
}
