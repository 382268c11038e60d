// Errors from Rust arrive as {kind, message, details}. This module turns any
// rejection into an ApiError so that screens can branch on `kind` (never on
// the message, which is for people) and always have a plain-words message to
// show. The kinds and each kind's details are generated from the engine's
// error type (bindings/ErrorKind.ts, bindings/ErrorDetails.ts).
import type { ApiError as ApiErrorShape } from "../bindings/shell/ApiError";
import type { ErrorDetails } from "../bindings/ErrorDetails";
import type { ErrorKind } from "../bindings/ErrorKind";

export type { ErrorDetails, ErrorKind };

/**
 * Kinds only the Tauri shell reports (never the engine): the OS keyring is
 * missing (`keyring_unavailable`), or a store is linked to a sync server
 * with no secret saved on this computer (`sync_secret_missing`).
 */
export type ShellErrorKind = "keyring_unavailable" | "sync_secret_missing";

/** Every kind the UI can meet: the engine's and the shell's. */
export type AppErrorKind = ErrorKind | ShellErrorKind;

/** The details that come with errors of kind `K`. */
export type DetailsOf<K extends ErrorKind> = Extract<ErrorDetails, { kind: K }>["details"];

/**
 * A short title for every kind. Typed as a full record so that a kind added
 * in Rust fails the type check here until it has a title.
 */
export const ERROR_TITLES: Record<AppErrorKind, string> = {
  not_found: "Not found",
  invalid_input: "Please check what you entered",
  conflict: "Conflict",
  database_rule: "Refused by the database",
  corrupt_record: "Damaged record",
  forbidden: "Not allowed",
  store_not_owned: "Another installation's store",
  approval_required: "Needs a manager's approval",
  unauthenticated: "Sign-in failed",
  locked: "Account locked",
  not_set_up: "Not set up yet",
  already_set_up: "Already set up",
  store_closed: "Store closed",
  stock_frozen: "Stock frozen",
  product_deleted: "Product deleted",
  product_pending_approval: "Product awaiting approval",
  product_discontinued: "Product discontinued",
  prescription_required: "Prescription needed",
  supplier_inactive: "Supplier inactive",
  no_cost_price: "Cost price needed",
  insufficient_stock: "Not enough stock",
  batch_not_sellable: "Batch cannot be sold",
  batch_status_unchanged: "Nothing to change",
  batch_not_quarantined: "Batch not in quarantine",
  batch_empty: "Batch is empty",
  reservation_not_active: "Hold already ended",
  adjustment_not_pending: "Adjustment already decided",
  backorder_closed: "Backorder closed",
  receipt_not_reversible: "Cannot reverse this receipt",
  no_open_shift: "No open shift",
  cart_not_open: "Cart not open",
  cart_not_held: "Cart not held",
  cart_closed: "Cart closed",
  empty_cart: "Empty cart",
  no_selling_price: "No selling price",
  sale_not_completed: "Sale not completed",
  alert_not_open: "Alert already closed",
  lot_already_decided: "Lot already decided",
  csv_rejected: "Some lines of the file are wrong",
  sale_shift_closed: "Shift already closed",
  sale_has_returns: "Sale has returns",
  vial_beyond_use: "Vial past its window",
  vial_not_active: "Vial closed",
  schema_too_new: "Database from a newer PharmaPOS",
  not_a_database: "Not a PharmaPOS database",
  storage: "Database problem",
  internal: "Something went wrong",
  keyring_unavailable: "No keyring for the sync secret",
  sync_secret_missing: "Sync secret missing",
};

const KINDS: ReadonlySet<string> = new Set(Object.keys(ERROR_TITLES));

/** True when `kind` is one the engine or the shell reports. */
export function isErrorKind(kind: string): kind is AppErrorKind {
  return KINDS.has(kind);
}

/** A failure reported by the app, with a stable kind. */
export class ApiError extends Error {
  readonly kind: AppErrorKind;
  readonly details: Record<string, unknown>;

  constructor(kind: AppErrorKind, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.details = details;
  }

  /** Narrows on the kind: inside `if (e.is("insufficient_stock"))`, `e.details` has that kind's fields. */
  is<K extends ErrorKind>(kind: K): this is ApiError & { readonly kind: K; readonly details: DetailsOf<K> } {
    return this.kind === kind;
  }

  /** The field the error is about, when the engine names one. */
  get field(): string | undefined {
    const f = this.details["field"];
    return typeof f === "string" ? f : undefined;
  }
}

function isShape(value: unknown): value is ApiErrorShape {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v["kind"] === "string" && typeof v["message"] === "string";
}

/** Turns whatever `invoke` rejected with into an ApiError. */
export function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (isShape(raw)) {
    const kind = isErrorKind(raw.kind) ? raw.kind : "internal";
    const details =
      typeof raw.details === "object" && raw.details !== null ? (raw.details as Record<string, unknown>) : {};
    return new ApiError(kind, raw.message, details);
  }
  // Tauri itself rejects with a string when the command or its arguments are
  // wrong (e.g. a missing field); that is a bug in the UI, not the user's.
  const message = raw instanceof Error ? raw.message : typeof raw === "string" ? raw : "Unknown error";
  return new ApiError("internal", message);
}

/** True for errors the user can fix by changing what they typed. */
export function isUserError(e: ApiError): boolean {
  return e.kind !== "internal" && e.kind !== "storage";
}
