// Users and roles (admins): create users, change role or PIN, deactivate,
// and the stores each user works in with the role in each. The engine
// decides who may manage whom (an admin of every store the user works in)
// and refuses to leave a store without an active admin.
import { useState, type FormEvent } from "react";

import type { Role } from "../../bindings/Role";
import type { User } from "../../bindings/User";
import type { UserStore } from "../../bindings/UserStore";
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
  { role: "admin", label: "Admin", help: "everything in the store, including its users" },
  { role: "head_office", label: "Head office", help: "reads every store, edits the catalogue" },
];

/** The roles a user can hold in one store (head office is not one). */
const STORE_ROLES = ROLES.filter((r) => r.role !== "head_office");

function storesText(u: User): string {
  const stores = u.stores.map((s: UserStore) => `${s.store_name}: ${s.role}`);
  if (u.head_office) stores.unshift("head office");
  return stores.join(", ");
}

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
              <th>Stores</th>
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
                <td>{storesText(u)}</td>
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
      // Head office is a standing of the user, not a role in their home store.
      const change = role === "head_office" ? { head_office: true } : role === user.role ? {} : { role };
      const saved = await update.mutateAsync({ id: user.id, ...change, pin: optional(pin) }).catch(() => null);
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
      {user && <UserStores user={user} onDone={onDone} />}
    </form>
  );
}

/** The stores a user works in: remove one, or assign another (or change the role in one). */
function UserStores({ user, onDone }: { user: User; onDone: (m: string) => void }) {
  const stores = useCommandQuery("list_stores", {});
  const assign = useCommandMutation("assign_user_store");
  const remove = useCommandMutation("remove_user_store");
  const [storeId, setStoreId] = useState("");
  const [role, setRole] = useState<Role>("cashier");
  const busy = assign.isPending || remove.isPending;
  const target = storeId || stores.data?.[0]?.id || "";

  async function add() {
    if (!target) return;
    const saved = await assign.mutateAsync({ user_id: user.id, store_id: target, role }).catch(() => null);
    if (saved) onDone(`${saved.name} now works in: ${storesText(saved)}.`);
  }

  async function drop(s: UserStore) {
    const saved = await remove.mutateAsync({ user_id: user.id, store_id: s.store_id }).catch(() => null);
    if (saved) onDone(`${saved.name} no longer works in ${s.store_name}.`);
  }

  return (
    <section aria-label={`Stores of ${user.name}`}>
      <h3>Stores</h3>
      <ul>
        {user.stores.map((s) => (
          <li key={s.store_id}>
            {s.store_name} ({s.store_code}): {s.role}{" "}
            <button type="button" disabled={busy} onClick={() => void drop(s)} aria-label={`Remove ${user.name} from ${s.store_name}`}>
              Remove
            </button>
          </li>
        ))}
      </ul>
      <div className="grid three">
        <Field label="Store">
          {(id) => (
            <select id={id} name="assign_store" value={target} onChange={(e) => setStoreId(e.target.value)}>
              {(stores.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({s.code})
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Role in that store">
          {(id) => (
            <select id={id} name="assign_role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {STORE_ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {r.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions">
          <button type="button" disabled={busy || !target} onClick={() => void add()}>
            Assign
          </button>
        </div>
      </div>
      <ErrorMessage error={assign.error ?? remove.error} />
    </section>
  );
}
