// The status bar: store, this till, signed-in user, database health, sync state.
import { useTranslation } from "react-i18next";

import type { SignedInUser } from "../../bindings/SignedInUser";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { plainSentence } from "../../components/errorText";
import { toApiError } from "../../api";
import { useFormat } from "../../lib/locale";
import { useCommandQuery, useSyncStatus, useSyncView, useTillConfig } from "../../lib/queries";
import { roleWords } from "../../lib/roles";
import { syncErrorSentence, syncState } from "../../lib/sync";

/** Where the till id was set, as English t() keys. */
const SOURCE_WORDS: Record<string, string> = {
  argument: "From the command line",
  environment: "From the PHARMAPOS_TILL_ID environment variable",
  config_file: "From this computer's till config file",
};

export function StatusBar({ status, user }: { status: AppStatus; user: SignedInUser }) {
  const { t } = useTranslation();
  const stores = useCommandQuery("list_stores", {});
  const store = stores.data?.find((s) => s.id === user.store_id) ?? stores.data?.[0];
  const till = useTillConfig();
  const dbOk = status.state === "ready";
  return (
    <footer className="status-bar" aria-label={t("Status")}>
      <span data-testid="status-store">
        {t("Store:")} <strong>{store ? t("{{store}} ({{code}})", { store: store.name, code: store.code }) : "…"}</strong>
      </span>
      <span data-testid="status-till" title={till.data ? t(SOURCE_WORDS[till.data.source] ?? till.data.source) : undefined}>
        {t("Till:")} <strong>{till.data?.till_id ?? (till.error ? t("not set") : "…")}</strong>
      </span>
      <span data-testid="status-user">
        {t("User:")} <strong>{user.name}</strong> · {roleWords(user.role, t).toLocaleLowerCase()}
      </span>
      <span data-testid="status-db" className={dbOk ? "ok" : "bad"}>
        {t("Database:")} {dbOk ? t("OK") : t("problem")} · <code title={status.db_path}>{status.db_path}</code>
      </span>
      <SyncStatusItem />
      <span className="muted">{t("v{{version}}", { version: status.version })}</span>
    </footer>
  );
}

/** "Sync: up to date · 10:42", "Sync: offline · 120 waiting", …; the title says more. */
export function SyncStatusItem() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const status = useSyncStatus();
  const view = useSyncView();
  if (!status.data) {
    return (
      <span data-testid="status-sync" title={status.error ? plainSentence(toApiError(status.error), t, fmt.instant) : undefined}>
        {status.error ? t("Sync: unknown") : t("Sync: …")}
      </span>
    );
  }
  const s = status.data;
  const v = view.data;
  const state = syncState(s, v);
  const lastSent = s.last_success_at ? t("Last sent to the central server: {{when}}.", { when: fmt.instant(s.last_success_at) }) : t("Nothing sent to the central server yet.");
  let text: string;
  let title: string;
  switch (state) {
    case "not_configured":
      text = t("Sync: not configured");
      title = t("This store is not linked to a central server. An administrator registers it in Settings → Sync.");
      break;
    case "syncing":
      text = t("Sync: syncing…");
      title = t("Sending the store's record to the central server.");
      break;
    case "up_to_date":
      text = s.last_success_at ? t("Sync: up to date · {{time}}", { time: fmt.time(s.last_success_at) }) : t("Sync: up to date");
      title = lastSent;
      break;
    case "offline":
      text = s.backlog > 0 ? t("Sync: offline · {{count}} waiting", { count: s.backlog }) : t("Sync: offline");
      title = `${s.last_error ? syncErrorSentence(s.last_error, t) : t("The central server cannot be reached. Sales are kept here and sent when it can be.")} ${lastSent}`;
      break;
    case "waiting":
      text = t("Sync: {{count}} waiting", { count: s.backlog });
      title = `${s.last_error ? syncErrorSentence(s.last_error, t) : t("Events not yet sent go with the next push.")} ${lastSent}`;
      break;
    case "problem":
      text = t("Sync: problem");
      title = v?.problem ? plainSentence(toApiError(v.problem), t, fmt.instant) : s.last_error ? syncErrorSentence(s.last_error, t) : "";
      break;
  }
  return (
    <span data-testid="status-sync" data-sync-state={state} className={state === "problem" ? "bad" : state === "up_to_date" ? "ok" : undefined} title={title}>
      {text}
    </span>
  );
}
