// The demo store: sample products, stock and a day of sales in a file of
// its own beside the store's (the shell makes it on first use and never
// writes the store's file while in it). Newcomers explore from the setup or
// sign-in screen; while it is open every screen says so.
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { leaveDemo, openDemo } from "../../api";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { ErrorMessage } from "../../components/ErrorMessage";

/** "Explore a demo store": switches to the demo file, then `onSwitched` reloads the app. */
export function ExploreDemo({ onSwitched }: { onSwitched: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function go() {
    setBusy(true);
    setError(null);
    try {
      // The demo's days are counted in this PC's zone.
      await openDemo({ timezone: Intl.DateTimeFormat().resolvedOptions().timeZone });
      onSwitched();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="demo-invite" aria-label={t("Demo store")}>
      <p className="muted small">{t("Just looking? A demo store has sample products, stock and a day of sales, kept apart from your store's file. Sign in to it as Demo Admin (PIN 1111), Demo Manager (2222) or Demo Cashier (3333).")}</p>
      <button type="button" onClick={() => void go()} disabled={busy}>
        {busy ? t("Opening the demo store…") : t("Explore a demo store")}
      </button>
      <ErrorMessage error={error} />
    </section>
  );
}

/** Shown on every screen while the demo is open, with the way back. */
export function DemoBanner({ status, onSwitched }: { status: AppStatus; onSwitched: () => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!status.demo) return null;
  async function leave() {
    setBusy(true);
    setError(null);
    try {
      await leaveDemo();
      onSwitched();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="demo-banner" role="note" aria-label={t("Demo store")} data-testid="demo-banner">
      <strong>{t("Demo store")}</strong> <span>{t("Sample data to explore, not your store: nothing here reaches your store's file.")}</span>{" "}
      <button type="button" className="link" onClick={() => void leave()} disabled={busy}>
        {t("Leave the demo")}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
