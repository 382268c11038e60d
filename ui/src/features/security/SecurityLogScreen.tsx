// The security log (managers and admins, `view_audit`): failed sign-ins and
// failed manager approvals at the till, newest first, as the engine's
// `list_security_log` returns them. Its filters are the command's own: from
// a date, and how many of the latest entries. A failed sign-in commits no
// stock change, so no data-changed event refreshes this screen: *Refresh*
// reads it again.
import { useState } from "react";

import type { ListSecurityLog } from "../../bindings/ListSecurityLog";
import type { SecurityLogEntry } from "../../bindings/SecurityLogEntry";
import { DataTable, type Column } from "../../components/DataTable";
import { DateFilter, LatestLimit } from "../../components/Field";
import { Screen } from "../../components/Screen";
import { dayBoundary, formatInstant } from "../../lib/format";
import { useCommandQuery } from "../../lib/queries";

const EVENTS: Record<string, string> = {
  sign_in_failed: "Failed sign-in",
  approval_failed: "Failed approval",
};

const OUTCOMES: Record<string, string> = {
  wrong_pin: "wrong PIN",
  unknown_user: "unknown user",
  locked: "user locked",
  not_a_manager: "not a manager",
  deactivated: "user deactivated",
};

/** The words shown for an entry's event and outcome. */
export function describeEntry(e: SecurityLogEntry): { event: string; outcome: string } {
  return { event: EVENTS[e.event] ?? e.event.replace(/_/g, " "), outcome: OUTCOMES[e.outcome] ?? e.outcome.replace(/_/g, " ") };
}

const COLUMNS: readonly Column<SecurityLogEntry>[] = [
  { header: "When", cell: (e) => formatInstant(e.occurred_at) },
  { header: "Event", cell: (e) => describeEntry(e).event },
  { header: "Name typed", cell: (e) => e.user_name },
  { header: "Outcome", cellClassName: (e) => (e.outcome === "locked" ? "bad" : undefined), cell: (e) => describeEntry(e).outcome },
  { header: "Signed in", cell: (e) => e.actor_name ?? "" },
  { header: "For", cell: (e) => e.action ?? "" },
  { header: "Detail", cellClassName: "small", cell: (e) => e.detail ?? "" },
];

export function SecurityLogScreen() {
  const [from, setFrom] = useState("");
  const [limit, setLimit] = useState(200);
  const filter: ListSecurityLog = { from: dayBoundary(from, false), limit };
  const log = useCommandQuery("list_security_log", filter);

  return (
    <Screen
      title="Security log"
      actions={
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {log.isFetching ? "Refreshing…" : "Refresh"}
        </button>
      }
    >
      <p className="muted">
        Failed sign-ins (wrong PIN, unknown or locked user) and failed manager approvals at the till (a wrong or a non-manager's PIN). After 5 wrong
        PINs a user is locked for a while.
      </p>
      <div className="toolbar">
        <DateFilter label="From" value={from} onChange={setFrom} />
        <LatestLimit value={limit} onChange={setLimit} />
      </div>
      <DataTable
        label="Security log entries"
        columns={COLUMNS}
        rows={log.data}
        rowKey={(e) => e.id}
        rowAttributes={(e) => ({ "data-event": e.event, "data-outcome": e.outcome })}
        empty={<>No failed sign-ins or approvals{from.trim() ? " since then" : ""}.</>}
        error={log.error}
        loading={{ pending: log.isPending, what: "the security log" }}
      />
    </Screen>
  );
}
