// Sign-in and lock screen: pick a user (arrow keys move through the list),
// type the PIN, Enter. After an idle lock the last user is preselected.
import { useEffect, useRef, useState, type FormEvent } from "react";

import { listSignInUsers, signIn } from "../../api";
import type { SignedInUser } from "../../bindings/SignedInUser";
import type { UserSummary } from "../../bindings/UserSummary";
import type { AppStatus } from "../../bindings/shell/AppStatus";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";

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
  const [users, setUsers] = useState<UserSummary[] | null>(null);
  const [name, setName] = useState(lastUser ?? "");
  const [pin, setPin] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
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

  return (
    <main className="centered">
      <form className="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{lastUser ? "Locked" : "Sign in"}</h1>
        {notice && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <fieldset className="user-picker">
          <legend>Who are you?</legend>
          {users === null && <p role="status">Loading users…</p>}
          {users?.map((u) => (
            <label key={u.id} className={u.name === name ? "user-choice selected" : "user-choice"}>
              <input type="radio" name="user" value={u.name} checked={u.name === name} onChange={() => setName(u.name)} />
              <span className="user-name">{u.name}</span>
              <span className="user-role">{u.role}</span>
            </label>
          ))}
        </fieldset>
        <Field label="PIN">
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
        <ErrorMessage error={error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy || !name}>
            {busy ? "Checking…" : "Sign in"}
          </button>
        </div>
        <p className="muted small">
          Database: <code>{status.db_path}</code>
        </p>
      </form>
    </main>
  );
}
