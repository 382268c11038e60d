// Settings → Sync: where this store's record goes and how far it got (the
// engine's get_sync_status and the shell's sync_view), "Sync now" for
// everyone signed in, and, for those who may link the store
// (`configure_sync`: manage_stores), the register form: the server's URL
// and the store's secret from head office. The shell keeps the secret in
// the OS keyring (or a private file under PHARMAPOS_SYNC_SECRET_DIR); it is
// never read back, and the field is cleared once it is saved.
import { useState, type FormEvent } from "react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";

import { ApiError, registerSync, syncNow, toApiError } from "../../api";
import type { SyncInboxFailure } from "../../bindings/SyncInboxFailure";
import type { SyncStatus } from "../../bindings/SyncStatus";
import type { SyncView } from "../../bindings/shell/SyncView";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Loading, Notice } from "../../components/Screen";
import { useFormat } from "../../lib/locale";
import { useMayRun } from "../../lib/permissions";
import { SYNC_STATUS_KEY, SYNC_VIEW_KEY, useSyncStatus, useSyncView } from "../../lib/queries";
import { isOffline, secretStoreWords, syncErrorSentence } from "../../lib/sync";
import { useOnUnauthenticated } from "../shell/session";

export function SyncSettings() {
  const { t } = useTranslation();
  const mayRun = useMayRun();
  const status = useSyncStatus();
  const view = useSyncView();
  return (
    <section className="panel" aria-label={t("Sync")}>
      <h2>{t("Sync")}</h2>
      <p className="muted small">{t("The store's record is sent to head office's central server whenever there is something new and the server can be reached. Selling never waits for it.")}</p>
      {status.isPending && <Loading what={t("the sync status")} />}
      <ErrorMessage error={status.error} />
      {status.data && <SyncFacts status={status.data} view={view.data} />}
      {view.error && !status.error && <ErrorMessage error={view.error} />}
      {status.data && <SyncNow status={status.data} view={view.data} />}
      {mayRun("configure_sync") && status.data && <RegisterForm status={status.data} />}
    </section>
  );
}

function SyncFacts({ status, view }: { status: SyncStatus; view: SyncView | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const note = status.last_error;
  const connection = !status.configured
    ? t("not registered")
    : view?.running
      ? t("sending now…")
      : view?.online === null && !note && !status.last_success_at
        ? t("not tried yet")
        : isOffline(status, view)
          ? t("offline")
          : t("online");
  return (
    <>
      <dl className="facts" data-testid="sync-facts">
        <>
          <dt>{t("Central server")}</dt>
          <dd data-testid="sync-server">{status.server_url ?? t("not registered")}</dd>
        </>
        <>
          <dt>{t("Connection")}</dt>
          <dd data-testid="sync-connection">{connection}</dd>
        </>
        <>
          <dt>{t("Last sent")}</dt>
          <dd data-testid="sync-last-success">{status.last_success_at ? fmt.instant(status.last_success_at) : t("never")}</dd>
        </>
        <>
          <dt>{t("Events waiting")}</dt>
          <dd data-testid="sync-backlog">{fmt.qty(String(status.backlog))}</dd>
        </>
        {status.configured && (
          <>
            <dt>{t("Last received")}</dt>
            <dd data-testid="sync-last-pull">{status.last_pull_at ? fmt.instant(status.last_pull_at) : t("never")}</dd>
          </>
        )}
        {status.inbox_waiting > 0 && (
          <>
            <dt>{t("Changes from other stores not applied yet")}</dt>
            <dd data-testid="sync-inbox-waiting">{fmt.qty(String(status.inbox_waiting))}</dd>
          </>
        )}
        {view && (
          <>
            <dt>{t("Secret kept")}</dt>
            <dd data-testid="sync-secret-store">{secretStoreWords(view.secret_store, t)}</dd>
          </>
        )}
        {view && view.failures > 0 && view.next_attempt_at && (
          <>
            <dt>{t("Next attempt")}</dt>
            <dd data-testid="sync-next-attempt">
              {t("after {{when}} ({{count}} failed in a row)", { when: fmt.instant(view.next_attempt_at), count: view.failures })}
            </dd>
          </>
        )}
      </dl>
      {note && (
        <div className="sync-last-error" data-testid="sync-last-error">
          <p>
            <strong>{t("Last error ({{when}}):", { when: fmt.instant(note.at) })}</strong> {syncErrorSentence(note, t)}
          </p>
          <details className="error-technical">
            <summary>{t("Technical details")}</summary>
            <dl className="error-details">
              <div>
                <dt>{t("Code")}</dt>
                <dd>
                  <code>{note.kind}</code>
                </dd>
              </div>
              <div>
                <dt>{t("Message")}</dt>
                <dd>{note.message}</dd>
              </div>
            </dl>
          </details>
        </div>
      )}
      {view?.problem && <ErrorMessage error={view.problem} />}
      {status.inbox_failures.length > 0 && <InboxFailures failures={status.inbox_failures} />}
    </>
  );
}

/** What another store's step is, in words. */
function stepWords(changeType: string, t: TFunction): string {
  switch (changeType) {
    case "transfer_shipped":
      return t("a shipment to this store");
    case "transfer_received":
      return t("the receipt of a transfer this store sent");
    case "catalogue_product":
      return t("a product of head office's catalogue");
    case "catalogue_vendor":
      return t("a vendor of head office's catalogue");
    default:
      return t("how a transfer's discrepancy was resolved");
  }
}

/**
 * Changes other stores sent that could not be applied here (most often a
 * product this store's catalogue lacks). Each is kept and tried again on
 * every sync; none holds up the others.
 */
function InboxFailures({ failures }: { failures: SyncInboxFailure[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (
    <div className="sync-inbox-failures" data-testid="sync-inbox-failures">
      <h3>{t("Not applied yet")}</h3>
      <p className="muted small">{t("These changes from other stores are kept and tried again at every sync. Fix the cause (a product missing from this store's catalogue, one of the store's own products with head office's SKU, or one of its own suppliers with the name of head office's vendor), then press Sync now.")}</p>
      <ul>
        {failures.map((f) => (
          <li key={f.event_id} data-testid="sync-inbox-failure">
            <strong>
              {t("{{step}} from {{store}}", { step: stepWords(f.change_type, t), store: f.from_store_name ?? f.from_store_id })}
              {f.subject ? ` (${f.subject})` : ""}
            </strong>
            : {f.error_message}{" "}
            <span className="muted small">
              {t("tried {{count}} times, last {{when}}", { count: f.attempts, when: f.last_attempt_at ? fmt.instant(f.last_attempt_at) : t("never") })}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SyncNow({ status, view }: { status: SyncStatus; view: SyncView | undefined }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onUnauthenticated = useOnUnauthenticated();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<{ text: string; failed: boolean } | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const after = await syncNow();
      qc.setQueryData(SYNC_VIEW_KEY, after);
      const failed = Boolean(after.problem) || after.failures > 0;
      setNotice({
        text: failed ? t("The sync did not finish: see above.") : t("Sync finished: {{count}} events sent.", { count: after.last_events_sent }),
        failed,
      });
    } catch (err) {
      const e = toApiError(err);
      if (e.kind === "unauthenticated") onUnauthenticated(e);
      setError(e);
    } finally {
      setBusy(false);
      void qc.invalidateQueries({ queryKey: SYNC_STATUS_KEY });
    }
  }

  const running = busy || Boolean(view?.running);
  return (
    <div className="actions">
      <button type="button" onClick={() => void run()} disabled={running || !status.configured} aria-busy={running || undefined}>
        {running ? t("Syncing…") : t("Sync now")}
      </button>
      <ErrorMessage error={error} onDismiss={() => setError(null)} />
      <Notice tone={notice?.failed ? "warn" : "ok"}>{notice?.text}</Notice>
    </div>
  );
}

function RegisterForm({ status }: { status: SyncStatus }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const onUnauthenticated = useOnUnauthenticated();
  const [url, setUrl] = useState(status.server_url ?? "");
  const [secret, setSecret] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice(null);
    const serverUrl = url.trim();
    if (!serverUrl) {
      setError(new ApiError("invalid_input", t("Enter the central server's address, as head office gave it (e.g. https://sync.example.com)."), { field: "server_url" }));
      return;
    }
    if (!secret.trim()) {
      setError(new ApiError("invalid_input", t("Enter the store's secret, as head office gave it."), { field: "secret" }));
      return;
    }
    setBusy(true);
    try {
      const view = await registerSync(serverUrl, secret);
      qc.setQueryData(SYNC_VIEW_KEY, view);
      setSecret("");
      setNotice(t("Registered with {{url}}. The secret is kept {{where}}.", { url: serverUrl, where: secretStoreWords(view.secret_store, t) }));
    } catch (err) {
      const apiError = toApiError(err);
      if (apiError.kind === "unauthenticated") onUnauthenticated(apiError);
      setError(apiError);
    } finally {
      setBusy(false);
      // The link may be saved even when the secret was not (no keyring).
      void qc.invalidateQueries({ queryKey: SYNC_STATUS_KEY });
      void qc.invalidateQueries({ queryKey: SYNC_VIEW_KEY });
    }
  }

  const fields = { server_url: t("Server address"), secret: t("Store secret") };
  return (
    <form className="inline-form" aria-label={t("Register with the central server")} onSubmit={(e) => void submit(e)}>
      <Field label={fields.server_url} hint={t("From head office, e.g. https://sync.example.com")} error={fieldError(error, "server_url", t)}>
        {(id) => <input id={id} inputMode="url" value={url} onChange={(e) => setUrl(e.target.value)} autoComplete="off" spellCheck={false} />}
      </Field>
      <Field label={fields.secret} hint={t("From head office; kept on this computer and never shown again")} error={fieldError(error, "secret", t)}>
        {(id) => <input id={id} type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" />}
      </Field>
      <button type="submit" className="primary" disabled={busy}>
        {t("Register")}
      </button>
      <ErrorMessage error={error} onDismiss={() => setError(null)} fields={fields} />
      <Notice>{notice}</Notice>
    </form>
  );
}
