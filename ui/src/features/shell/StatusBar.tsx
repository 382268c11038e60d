// The status bar: store, this till, signed-in user, database health, sync state.
import type { SignedInUser } from "../../bindings/SignedInUser";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { useCommandQuery, useTillConfig } from "../../lib/queries";

export function StatusBar({ status, user }: { status: AppStatus; user: SignedInUser }) {
  const stores = useCommandQuery("list_stores", {});
  const store = stores.data?.find((s) => s.id === user.store_id) ?? stores.data?.[0];
  const till = useTillConfig();
  const dbOk = status.state === "ready";
  return (
    <footer className="status-bar" aria-label="Status">
      <span data-testid="status-store">
        Store: <strong>{store ? `${store.name} (${store.code})` : "…"}</strong>
      </span>
      <span data-testid="status-till" title={till.data ? `From ${till.data.source.replace(/_/g, " ")}` : undefined}>
        Till: <strong>{till.data?.till_id ?? (till.error ? "not set" : "…")}</strong>
      </span>
      <span data-testid="status-user">
        User: <strong>{user.name}</strong> · {user.role}
      </span>
      <span data-testid="status-db" className={dbOk ? "ok" : "bad"} title={status.db_path}>
        Database: {dbOk ? "OK" : "problem"} · <code>{status.db_path}</code>
      </span>
      <span data-testid="status-sync">Sync: not configured (offline)</span>
      <span className="muted">v{status.version}</span>
    </footer>
  );
}
