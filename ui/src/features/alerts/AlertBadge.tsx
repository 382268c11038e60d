// The navigation's alert badge and desktop notifications for critical
// alerts. One query (the store's open critical alerts, newest first, and
// the open counts by severity) refreshed by the shell's "data-changed"
// events, the sweep's included, and once a minute.
//
// Notifications use the webview's Notification API (docs/ui.md says why):
// each critical alert is announced once per app session; where the webview
// has no notifications or the user refused them, the badge is the signal.
import { useEffect } from "react";
import { useTranslation } from "react-i18next";

import type { SeverityCounts } from "../../bindings/SeverityCounts";
import { useMayRun } from "../../lib/permissions";
import { useCommandQuery } from "../../lib/queries";
import { alertTypeLabel } from "./AlertsScreen";

const announced = new Set<string>();

/** Forgets what was announced (tests). */
export function resetAnnounced() {
  announced.clear();
}

function notify(title: string, body: string) {
  if (typeof window === "undefined" || !("Notification" in window)) return;
  const show = () => {
    try {
      new Notification(title, { body });
    } catch {
      // Some webviews expose the constructor but refuse it: the badge stays.
    }
  };
  if (Notification.permission === "granted") show();
  else if (Notification.permission === "default") {
    void Notification.requestPermission().then((p) => {
      if (p === "granted") show();
    });
  }
}

/** Open alert counts for the badge (undefined for roles that cannot see alerts, or while loading). */
export function useAlertBadge(): SeverityCounts | undefined {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const allowed = mayRun("list_alerts");
  const q = useCommandQuery("list_alerts", { severity: "critical", open_only: true, limit: 5 }, { enabled: allowed, refetchInterval: 60_000 });
  const rows = q.data?.rows;
  useEffect(() => {
    for (const a of rows ?? []) {
      if (a.status !== "active" || announced.has(a.alert_id)) continue;
      announced.add(a.alert_id);
      notify(t("Critical alert: {{type}}", { type: alertTypeLabel(t, a.alert_type) }), a.message);
    }
  }, [rows, t]);
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
