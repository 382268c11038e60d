// The audit trail's contract with the engine, as agreed for the new audit
// events (every change an event, with a kind, a category, a one-line summary
// and the before → after of each field).
//
// TODO(bindings): these types stand in for the generated ones until the
// engine's audit change is merged. Then replace AuditEntry with
// bindings/AuditEvent, AuditTrailFilter with bindings/GetAuditTrail, the CSV
// types with bindings/ExportAuditCsv and its response, and drop callUntyped
// for the typed `call` (or useCommandQuery).
import { call } from "../../api";
import type { AuditEvent } from "../../bindings/AuditEvent";
import type { GetAuditTrail } from "../../bindings/GetAuditTrail";

/** The area a change belongs to. */
export type AuditCategory = "stock" | "catalogue" | "people" | "sales" | "settings" | "security";

/** One changed field, values already formatted for display ("0.50"). */
export interface AuditChange {
  field: string;
  before: string | null;
  after: string | null;
}

/** One audit event as the engine now reads it back. */
export type AuditEntry = AuditEvent & {
  /** What happened, e.g. "receipt", "price_changed", "user_signed_in". */
  kind: string;
  category: AuditCategory;
  /** One line in words ("Selling price of Paracetamol 500mg changed"). */
  summary: string;
  changes: AuditChange[];
  installation_id: string | null;
};

/** `get_audit_trail`'s filters, with the category, kind and the paging cursor. */
export type AuditTrailFilter = GetAuditTrail & {
  category?: AuditCategory;
  kind?: string;
  /** Only events before this sequence number (the next page, newest first). */
  before_seq?: number;
};

/** `export_audit_csv`: the same filters, the whole match as CSV. */
export type AuditCsvFilter = Omit<AuditTrailFilter, "before_seq">;

/** What `export_audit_csv` answers. */
export interface AuditCsv {
  csv: string;
  rows: number;
}

const callUntyped = call as unknown as (name: string, input: unknown) => Promise<unknown>;

/** One page of the audit trail, newest first. */
export function getAuditTrail(filter: AuditTrailFilter): Promise<AuditEntry[]> {
  return callUntyped("get_audit_trail", filter) as Promise<AuditEntry[]>;
}

/** The events matching the filters as CSV. */
export function exportAuditCsv(filter: AuditCsvFilter): Promise<AuditCsv> {
  return callUntyped("export_audit_csv", filter) as Promise<AuditCsv>;
}
