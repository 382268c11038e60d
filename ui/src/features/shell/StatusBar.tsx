// The status bar: store, this till, signed-in user, database health, sync state.
import { useTranslation } from "react-i18next";

import type { SignedInUser } from "../../bindings/SignedInUser";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { useCommandQuery, useTillConfig } from "../../lib/queries";
import { roleWords } from "../../lib/roles";

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
      <span data-testid="status-sync">{t("Sync: not configured (offline)")}</span>
      <span className="muted">{t("v{{version}}", { version: status.version })}</span>
    </footer>
  );
}
