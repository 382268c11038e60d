// The security log (managers and admins, `view_audit`): failed sign-ins and
// failed manager approvals at the till, newest first, as the engine's
// `list_security_log` returns them. Its filters are the command's own: from
// a date, and how many of the latest entries. A failed sign-in commits no
// stock change, so no data-changed event refreshes this screen: *Refresh*
// reads it again.
import { useState } from "react";

import type { ListSecurityLog } from "../../bindings/ListSecurityLog";
import type { SecurityLogEntry } from "../../bindings/SecurityLogEntry";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Loading, Screen } from "../../components/Screen";
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
        <Field label="From" hint="YYYY-MM-DD">
          {(id) => <input id={id} value={from} onChange={(e) => setFrom(e.target.value)} size={11} />}
        </Field>
        <Field label="Show">
          {(id) => (
            <select id={id} value={limit} onChange={(e) => setLimit(Number(e.target.value))}>
              {[50, 200, 1000, 5000].map((n) => (
                <option key={n} value={n}>
                  latest {n}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <ErrorMessage error={log.error} />
      {log.isPending ? (
        <Loading what="the security log" />
      ) : (
        <div className="table-wrap">
          <table aria-label="Security log entries">
            <thead>
              <tr>
                <th>When</th>
                <th>Event</th>
                <th>Name typed</th>
                <th>Outcome</th>
                <th>Signed in</th>
                <th>For</th>
                <th>Detail</th>
              </tr>
            </thead>
            <tbody>
              {(log.data ?? []).map((e) => {
                const d = describeEntry(e);
                return (
                  <tr key={e.id} data-event={e.event} data-outcome={e.outcome}>
                    <td>{formatInstant(e.occurred_at)}</td>
                    <td>{d.event}</td>
                    <td>{e.user_name}</td>
                    <td className={e.outcome === "locked" ? "bad" : undefined}>{d.outcome}</td>
                    <td>{e.actor_name ?? ""}</td>
                    <td>{e.action ?? ""}</td>
                    <td className="small">{e.detail ?? ""}</td>
                  </tr>
                );
              })}
              {log.data?.length === 0 && (
                <tr>
                  <td colSpan={7} className="empty">
                    No failed sign-ins or approvals{from.trim() ? " since then" : ""}.
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </Screen>
  );
}
