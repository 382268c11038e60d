// The audit trail's calls, typed by the bindings generated from the engine
// (every change an event, with a kind, a category, a one-line summary and
// the before → after of each field).
import { call } from "../../api";
import type { AuditEvent } from "../../bindings/AuditEvent";
import type { CsvExport } from "../../bindings/CsvExport";
import type { EventCategory } from "../../bindings/EventCategory";
import type { FieldChange } from "../../bindings/FieldChange";
import type { GetAuditTrail } from "../../bindings/GetAuditTrail";

/** The area a change belongs to. */
export type AuditCategory = EventCategory;

/** One changed field, values already formatted for display ("0.50"). */
export type AuditChange = FieldChange;

/** One audit event as the engine reads it back. */
export type AuditEntry = AuditEvent;

/** `get_audit_trail`'s filters, with the category and the paging cursor. */
export type AuditTrailFilter = GetAuditTrail;

/** `export_audit_csv`: the same filters, the whole match as CSV. */
export type AuditCsvFilter = Omit<AuditTrailFilter, "before_seq">;

/** What `export_audit_csv` answers. */
export type AuditCsv = CsvExport;

/** One page of the audit trail, newest first. */
export function getAuditTrail(filter: AuditTrailFilter): Promise<AuditEntry[]> {
  return call("get_audit_trail", filter);
}

/** The events matching the filters as CSV. */
export function exportAuditCsv(filter: AuditCsvFilter): Promise<AuditCsv> {
  return call("export_audit_csv", filter);
}
