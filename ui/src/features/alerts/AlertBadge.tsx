// The navigation's alert badge and desktop notifications for critical
// alerts. One query (the store's open critical alerts not yet announced,
// newest first, and the open counts by severity) refreshed by the shell's
// "data-changed" events, the sweep's included, and once a minute.
//
// Notifications use the webview's Notification API (docs/ui.md says why).
// Each one shown is recorded (`record_alert_notification`: when, who, which
// till), so an alert is announced once, not again after a restart or on a
// second till; where the webview has no notifications or the user refused
// them, nothing is recorded and the badge is the signal.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import type { SeverityCounts } from "../../bindings/SeverityCounts";
import { useMayRun } from "../../lib/permissions";
import { useCommandMutation, useCommandQuery, useTillConfig } from "../../lib/queries";
import { alertTypeLabel } from "./AlertsScreen";

// Announced in this app session and not yet seen as recorded by the query:
// keeps a refetch that lands before the record from announcing it twice.
const announced = new Set<string>();

/** Forgets what was announced (tests). */
export function resetAnnounced() {
  announced.clear();
}

/** Shows a desktop notification; true when it was shown. */
async function notify(title: string, body: string): Promise<boolean> {
  if (typeof window === "undefined" || !("Notification" in window)) return false;
  let permission = Notification.permission;
  if (permission === "default") permission = await Notification.requestPermission();
  if (permission !== "granted") return false;
  try {
    new Notification(title, { body });
    return true;
  } catch {
    // Some webviews expose the constructor but refuse it: the badge stays.
    return false;
  }
}

/** Open alert counts for the badge (undefined for roles that cannot see alerts, or while loading). */
export function useAlertBadge(): SeverityCounts | undefined {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const allowed = mayRun("list_alerts");
  const q = useCommandQuery(
    "list_alerts",
    { severity: "critical", open_only: true, notified: false, limit: 5 },
    { enabled: allowed, refetchInterval: 60_000 },
  );
  // The till's id goes with the record; a shell without one (or still
  // answering) must not hold the announcement back for long.
  const till = useTillConfig();
  const terminal = till.data?.till_id;
  const tillKnown = !till.isPending;
  const { mutate } = useCommandMutation("record_alert_notification");
  const rows = q.data?.rows;
  useEffect(() => {
    if (!tillKnown) return;
    for (const a of rows ?? []) {
      if (a.status !== "active" || announced.has(a.alert_id)) continue;
      announced.add(a.alert_id);
      void notify(t("Critical alert: {{type}}", { type: alertTypeLabel(t, a.alert_type) }), a.message).then((shown) => {
        if (!shown) return;
        // Unrecorded, it is announced again after a restart: worth a line
        // in the log, not an interruption at the till.
        mutate(
          { alert_id: a.alert_id, channel: "desktop", ...(terminal ? { terminal_id: terminal } : {}) },
          { onError: (e) => console.warn("recording an alert notification failed", e) },
        );
      });
    }
  }, [rows, t, tillKnown, terminal, mutate]);
  return allowed ? q.data?.open : undefined;
}

/** The badge beside "Alerts" in the navigation: critical count (red), else the other open alerts. */
export function AlertNavBadge() {
  const { t } = useTranslation();
  const counts = useAlertBadge();
  if (!counts || counts.critical + counts.warning + counts.info === 0) return null;
  return (
    <span
      className={counts.critical > 0 ? "nav-badge severity-critical" : "nav-badge"}
      role="status"
      aria-label={t("{{critical}} critical, {{warning}} warnings, {{info}} for information", { ...counts })}
    >
      {counts.critical > 0 ? counts.critical : counts.warning + counts.info}
    </span>
  );
}
