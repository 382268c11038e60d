// Users and roles (admins): create users, change role or PIN, deactivate.
// The engine refuses to demote or deactivate the last active admin.
import { useState, type FormEvent } from "react";

import type { Role } from "../../bindings/Role";
import type { User } from "../../bindings/User";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field, Kbd } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { formatInstant, optional } from "../../lib/format";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";

const ROLES: readonly { role: Role; label: string; help: string }[] = [
  { role: "cashier", label: "Cashier", help: "sells at the till" },
  { role: "practitioner", label: "Practitioner", help: "clinic: vials, treatment use, waste" },
  { role: "manager", label: "Manager", help: "receives, approves, counts, transfers" },
  { role: "admin", label: "Admin", help: "everything, including users" },
];

export function UsersScreen() {
  const [includeInactive, setIncludeInactive] = useState(false);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [notice, setNotice] = useState("");
  const users = useCommandQuery("list_users", { include_inactive: includeInactive });
  useShortcut("alt+n", () => setEditing("new"));

  return (
    <Screen
      title="Users and roles"
      actions={
        <button type="button" className="primary" onClick={() => setEditing("new")} aria-keyshortcuts="Alt+N">
          New user <Kbd>Alt+N</Kbd>
        </button>
      }
    >
      <Notice>{notice}</Notice>
      {editing && (
        <UserForm
          user={editing === "new" ? null : editing}
          onDone={(m) => {
            setEditing(null);
            setNotice(m);
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <div className="toolbar">
        <label className="checkbox">
          <input type="checkbox" checked={includeInactive} onChange={(e) => setIncludeInactive(e.target.checked)} />
          Show deactivated
        </label>
      </div>
      <ErrorMessage error={users.error} />
      {users.isPending ? (
        <Loading what="users" />
      ) : (
        <table aria-label="Users">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>PIN set</th>
              <th>Status</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{u.role}</td>
                <td>{u.has_pin ? "yes" : "no"}</td>
                <td>{u.is_active ? "active" : "deactivated"}</td>
                <td>{formatInstant(u.created_at)}</td>
                <td>
                  <button type="button" onClick={() => setEditing(u)}>
                    Edit
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Screen>
  );
}

function UserForm({ user, onDone, onCancel }: { user: User | null; onDone: (m: string) => void; onCancel: () => void }) {
  const [name, setName] = useState(user?.name ?? "");
  const [role, setRole] = useState<Role>(user?.role ?? "cashier");
  const [pin, setPin] = useState("");
  const create = useCommandMutation("create_user");
  const update = useCommandMutation("update_user");
  const busy = create.isPending || update.isPending;
  useShortcut("escape", onCancel);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (user) {
      const saved = await update.mutateAsync({ id: user.id, role, pin: optional(pin) }).catch(() => null);
      if (saved) onDone(`Saved ${saved.name}.`);
    } else {
      const saved = await create.mutateAsync({ name: name.trim(), role, pin: optional(pin) }).catch(() => null);
      if (saved) onDone(`Created ${saved.name} (${saved.role}).`);
    }
  }

  async function toggleActive() {
    if (!user) return;
    const saved = await update.mutateAsync({ id: user.id, is_active: !user.is_active }).catch(() => null);
    if (saved) onDone(`${saved.name} ${saved.is_active ? "reactivated" : "deactivated"}.`);
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={user ? `Edit user ${user.name}` : "New user"}>
      <h2>{user ? `Edit ${user.name}` : "New user"}</h2>
      <div className="grid three">
        <Field label="Name">
          {(id) => <input id={id} name="name" value={name} onChange={(e) => setName(e.target.value)} disabled={!!user} autoFocus={!user} required />}
        </Field>
        <Field label="Role">
          {(id) => (
            <select id={id} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} autoFocus={!!user}>
              {ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label} — {r.help}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={user ? "New PIN" : "PIN"} hint={user ? "Leave empty to keep the current PIN" : "4 to 12 digits"}>
          {(id) => <input id={id} name="pin" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />}
        </Field>
      </div>
      <ErrorMessage error={create.error ?? update.error} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Saving…" : "Save user"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel <Kbd>Esc</Kbd>
        </button>
        {user && (
          <button type="button" className="danger" disabled={busy} onClick={() => void toggleActive()}>
            {user.is_active ? "Deactivate" : "Reactivate"}
          </button>
        )}
      </div>
    </form>
  );
}
