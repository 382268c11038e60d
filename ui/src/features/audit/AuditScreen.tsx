// The audit trail (the compliance record) with filters, and the ledger
// verification: the hash chain is intact and every batch's on-hand equals
// what its events say.
import { useState } from "react";

import type { AuditEvent } from "../../bindings/AuditEvent";
import type { ChangeType } from "../../bindings/ChangeType";
import type { GetAuditTrail } from "../../bindings/GetAuditTrail";
import type { VerifyReport } from "../../bindings/VerifyReport";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DateFilter, Field, LatestLimit } from "../../components/Field";
import { ProductPicker } from "../../components/ProductPicker";
import { Screen } from "../../components/Screen";
import { dayBoundary, formatInstant } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";

const CHANGE_TYPES: readonly ChangeType[] = [
  "receipt",
  "allocated",
  "reserved",
  "release",
  "confirm_reserve",
  "adjustment",
  "adjustment_requested",
  "adjustment_rejected",
  "writeoff",
  "expired",
  "transfer_out",
  "transfer_in",
  "reconciliation",
  "treatment_use",
  "waste",
  "recall",
  "status_change",
  "backorder_created",
  "backorder_fulfilled",
];

const AUDIT_COLUMNS: readonly Column<AuditEvent>[] = [
  { header: "Seq", className: "num", cell: (e) => e.seq },
  { header: "When", cell: (e) => formatInstant(e.created_at) },
  { header: "Change", cell: (e) => e.change_type.replace(/_/g, " ") },
  { header: "Product", cell: (e) => e.product_name },
  { header: "Batch", cell: (e) => e.batch_number },
  { header: "Before", className: "num", cell: (e) => e.previous_quantity },
  { header: "After", className: "num", cell: (e) => e.new_quantity },
  { header: "By", cell: (e) => e.user_name },
  { header: "Notes", cell: (e) => e.notes },
  { header: "Hash", cell: (e) => <code title={e.hash}>{e.hash.slice(0, 10)}…</code> },
];

export function AuditScreen() {
  const [productId, setProductId] = useState("");
  const [changeType, setChangeType] = useState<ChangeType | "">("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [limit, setLimit] = useState(200);
  const filter: GetAuditTrail = {
    product_id: productId || undefined,
    change_type: changeType || undefined,
    from: dayBoundary(from, false),
    to: dayBoundary(to, true),
    limit,
  };
  const trail = useCommandQuery("get_audit_trail", filter);

  return (
    <Screen title="Audit trail">
      <Verification />
      <div className="toolbar">
        <ProductPicker value={productId} onChange={setProductId} allowAll />
        <Field label="Change type">
          {(id) => (
            <select id={id} value={changeType} onChange={(e) => setChangeType(e.target.value as ChangeType | "")}>
              <option value="">All</option>
              {CHANGE_TYPES.map((c) => (
                <option key={c} value={c}>
                  {c.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          )}
        </Field>
        <DateFilter label="From" value={from} onChange={setFrom} />
        <DateFilter label="To" value={to} onChange={setTo} />
        <LatestLimit value={limit} onChange={setLimit} />
      </div>
      <DataTable
        label="Audit events"
        columns={AUDIT_COLUMNS}
        rows={trail.data}
        rowKey={(e) => e.id}
        rowAttributes={(e) => ({ "data-change": e.change_type })}
        empty="No events match."
        error={trail.error}
        loading={{ pending: trail.isPending, what: "audit events" }}
      />
    </Screen>
  );
}

function Verification() {
  const verify = useCommandMutation("verify");
  const report: VerifyReport | undefined = verify.data;
  return (
    <div className="panel" aria-label="Ledger verification">
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => verify.mutate({})} disabled={verify.isPending}>
          {verify.isPending ? "Verifying…" : "Verify ledger"}
        </button>
        {report && (
          <p role="status" data-testid="verify-result" className={report.ok ? "badge ok" : "badge bad"}>
            {report.ok
              ? `Ledger verified: ${report.events_checked} events, ${report.batches_checked} batches — hash chain intact, stock matches.`
              : `Ledger verification FAILED: ${report.problems.length} problem(s).`}
          </p>
        )}
      </div>
      <ErrorMessage error={verify.error} />
      {report && report.problems.length > 0 && (
        <ul aria-label="Verification problems">
          {report.problems.map((p, i) => (
            <li key={i}>
              <strong>{p.kind}</strong>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
