// The security log (managers and admins, `view_audit`): failed sign-ins and
// failed manager approvals at the till, newest first, as the engine's
// `list_security_log` returns them. Its filters are the command's own: from
// a date, and how many of the latest entries. A failed sign-in commits no
// stock change, so no data-changed event refreshes this screen: *Refresh*
// reads it again.
import { useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { ListSecurityLog } from "../../bindings/ListSecurityLog";
import type { SecurityLogEntry } from "../../bindings/SecurityLogEntry";
import { DataTable, type Column } from "../../components/DataTable";
import { DateFilter, LatestLimit } from "../../components/Field";
import { Screen } from "../../components/Screen";
import { useFormat, type Formatters } from "../../lib/locale";
import { useCommandQuery } from "../../lib/queries";

/** English t() keys for the engine's event and outcome codes. */
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
export function describeEntry(e: SecurityLogEntry, t: TFunction): { event: string; outcome: string } {
  return { event: t(EVENTS[e.event] ?? e.event.replace(/_/g, " ")), outcome: t(OUTCOMES[e.outcome] ?? e.outcome.replace(/_/g, " ")) };
}

function columns(t: TFunction, fmt: Formatters): Column<SecurityLogEntry>[] {
  return [
    { header: t("When"), cell: (e) => fmt.instant(e.occurred_at) },
    { header: t("Event"), cell: (e) => describeEntry(e, t).event },
    { header: t("Name typed"), cell: (e) => e.user_name },
    { header: t("Outcome"), cellClassName: (e) => (e.outcome === "locked" ? "bad" : undefined), cell: (e) => describeEntry(e, t).outcome },
    { header: t("Signed in"), cell: (e) => e.actor_name ?? "" },
    { header: t("For"), cell: (e) => e.action ?? "" },
    { header: t("Detail"), cellClassName: "small", cell: (e) => e.detail ?? "" },
  ];
}

export function SecurityLogScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const cols = useMemo(() => columns(t, fmt), [t, fmt]);
  const [from, setFrom] = useState("");
  const [limit, setLimit] = useState(200);
  const filter: ListSecurityLog = { from: fmt.dayStart(from), limit };
  const log = useCommandQuery("list_security_log", filter);

  return (
    <Screen
      title={t("Security log")}
      actions={
        <button type="button" onClick={() => void log.refetch()} disabled={log.isFetching}>
          {log.isFetching ? t("Refreshing…") : t("Refresh")}
        </button>
      }
    >
      <p className="muted">
        {t(
          "Failed sign-ins (wrong PIN, unknown or locked user) and failed manager approvals at the till (a wrong or a non-manager's PIN). After 5 wrong PINs a user is locked for a while.",
        )}
      </p>
      <div className="toolbar">
        <DateFilter label={t("From")} value={from} onChange={setFrom} />
        <LatestLimit value={limit} onChange={setLimit} />
      </div>
      <DataTable
        label={t("Security log entries")}
        columns={cols}
        rows={log.data}
        rowKey={(e) => e.id}
        rowAttributes={(e) => ({ "data-event": e.event, "data-outcome": e.outcome })}
        empty={from ? t("No failed sign-ins or approvals since then.") : t("No failed sign-ins or approvals.")}
        error={log.error}
        loading={{ pending: log.isPending, what: t("the security log") }}
      />
    </Screen>
  );
}
