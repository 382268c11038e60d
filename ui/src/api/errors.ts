// Errors from Rust arrive as {kind, message, details}. This module turns any
// rejection into an ApiError so that screens can branch on `kind` and always
// have a plain-words message to show.
import type { ApiError as ApiErrorShape } from "../bindings/shell/ApiError";

/** Every kind the engine and the shell can report. */
export type ErrorKind =
  | "not_found"
  | "invalid_input"
  | "insufficient_stock"
  | "expired_batch"
  | "batch_unavailable"
  | "forbidden"
  | "approval_required"
  | "conflict"
  | "invalid_state"
  | "receipt_not_reversible"
  | "unauthenticated"
  | "locked"
  | "schema_too_new"
  | "not_a_database"
  | "storage"
  | "internal";

const KINDS: ReadonlySet<string> = new Set<ErrorKind>([
  "not_found",
  "invalid_input",
  "insufficient_stock",
  "expired_batch",
  "batch_unavailable",
  "forbidden",
  "approval_required",
  "conflict",
  "invalid_state",
  "receipt_not_reversible",
  "unauthenticated",
  "locked",
  "schema_too_new",
  "not_a_database",
  "storage",
  "internal",
]);

/** A failure reported by the app, with a stable kind. */
export class ApiError extends Error {
  readonly kind: ErrorKind;
  readonly details: Record<string, unknown>;

  constructor(kind: ErrorKind, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "ApiError";
    this.kind = kind;
    this.details = details;
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
    const kind = KINDS.has(raw.kind) ? (raw.kind as ErrorKind) : "internal";
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
