// Sign-in and lock screen: pick a user (arrow keys move through the list),
// type the PIN, Enter. After an idle lock the last user is preselected. A
// refused PIN is said at the PIN field, in plain words.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { listSignInUsers, signIn, toApiError } from "../../api";
import type { SignedInUser } from "../../bindings/SignedInUser";
import type { UserSummary } from "../../bindings/UserSummary";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { plainSentence } from "../../components/errorText";
import { Field } from "../../components/Field";
import { AppearanceDialog } from "../shell/AppearanceDialog";
import { useFormat } from "../../lib/locale";
import { roleWords } from "../../lib/roles";

/** The User Timing mark set when the sign-in screen first lists its users. */
export const SIGN_IN_READY = "pharmapos:sign-in-ready";

export function SignInScreen({
  status,
  lastUser,
  notice,
  onSignedIn,
}: {
  status: AppStatus;
  lastUser?: string;
  notice?: string;
  onSignedIn: (user: SignedInUser) => void;
}) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [name, setName] = useState(lastUser ?? "");
  const [pin, setPin] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [showAppearance, setShowAppearance] = useState(false);
  const pinRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    listSignInUsers()
      .then((list) => {
        setUsers(list);
        setName((current) => (current || list.length !== 1 ? current : (list[0]?.name ?? "")));
      })
      .catch(setError);
  }, []);

  useEffect(() => {
    if (name) pinRef.current?.focus();
  }, [name, users]);

  // When the screen first becomes usable (its users listed), as a User
  // Timing mark: the start-up benchmark reads it (scripts/bench-till-ui.sh).
  useEffect(() => {
    if (users !== null && performance.getEntriesByName(SIGN_IN_READY).length === 0) performance.mark(SIGN_IN_READY);
  }, [users]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const user = await signIn({ name, pin });
      onSignedIn(user);
    } catch (err) {
      setError(err);
      setPin("");
      pinRef.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  // A wrong PIN or a locked user is about the PIN: said there.
  const apiError = error ? toApiError(error) : null;
  const pinError = apiError && (apiError.kind === "unauthenticated" || apiError.kind === "locked") ? plainSentence(apiError, t, fmt.instant) : undefined;

  return (
    <main className="centered">
      <form className="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{lastUser ? t("Locked") : t("Sign in")}</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <fieldset className="user-picker">
          <legend>{t("Who are you?")}</legend>
          {users === null && <p role="status">{t("Loading users…")}</p>}
          {users?.map((u) => (
            <label key={u.id} className={u.name === name ? "user-choice selected" : "user-choice"}>
              <input type="radio" name="user" value={u.name} checked={u.name === name} onChange={() => setName(u.name)} />
              <span className="user-name">{u.name}</span>
              <span className="user-role">{roleWords(u.role, t)}</span>
            </label>
          ))}
        </fieldset>
        <Field label={t("PIN")} error={pinError}>
          {(id) => (
            <input
              id={id}
              ref={pinRef}
              name="pin"
              type="password"
              inputMode="numeric"
              autoComplete="current-password"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
              required
            />
          )}
        </Field>
        <ErrorMessage error={error} shownAt={pinError ? t("PIN") : undefined} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !name}>
            {busy ? t("Checking…") : t("Sign in")}
          </button>
        </div>
        <p className="muted small">
          {t("Database:")} <code>{status.db_path}</code>
        </p>
        <button type="button" className="link small" onClick={() => setShowAppearance(true)} aria-haspopup="dialog">
          {t("Appearance")}
        </button>
        {showAppearance && <AppearanceDialog onClose={() => setShowAppearance(false)} />}
      </form>
    </main>
  );
}
