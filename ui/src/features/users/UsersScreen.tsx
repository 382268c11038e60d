// Users and roles (admins): create users, change role or PIN, deactivate,
// and the stores each user works in with the role in each. The engine
// decides who may manage whom (an admin of every store the user works in)
// and refuses to leave a store without an active admin.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { Role } from "../../bindings/Role";
import type { User } from "../../bindings/User";
import type { UserStore } from "../../bindings/UserStore";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field, Kbd } from "../../components/Field";
import { Loading, Notice, Screen } from "../../components/Screen";
import { optional } from "../../lib/format";
import { useFormat } from "../../lib/locale";
import { ROLES, roleWords } from "../../lib/roles";
import { useCommandMutation, useCommandQuery } from "../../lib/queries";
import { useShortcut } from "../../lib/useShortcut";

/** The roles a user can hold in one store (head office is not one). */
const STORE_ROLES = ROLES.filter((r) => r.role !== "head_office");

function storesText(u: User, t: TFunction): string {
  const stores = u.stores.map((s: UserStore) => t("{{store}}: {{role}}", { store: s.store_name, role: roleWords(s.role, t).toLowerCase() }));
  if (u.head_office) stores.unshift(t("head office"));
  return stores.join(", ");
}

export function UsersScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [includeInactive, setIncludeInactive] = useState(false);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [notice, setNotice] = useState("");
  const users = useCommandQuery("list_users", { include_inactive: includeInactive });
  useShortcut("alt+n", () => setEditing("new"));

  return (
    <Screen
      title={t("Users and roles")}
      actions={
        <button type="button" className="primary" onClick={() => setEditing("new")} aria-keyshortcuts="Alt+N">
          {t("New user")} <Kbd>Alt+N</Kbd>
        </button>
      }
    >
      <Notice>{notice}</Notice>
      {editing && (
        <UserForm
          key={editing === "new" ? "new" : editing.id}
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
          {t("Show deactivated")}
        </label>
      </div>
      <ErrorMessage error={users.error} />
      {users.isPending ? (
        <Loading what={t("users")} />
      ) : (
        <table aria-label={t("Users")}>
          <thead>
            <tr>
              <th>{t("Name")}</th>
              <th>{t("Role")}</th>
              <th>{t("Stores")}</th>
              <th>{t("PIN set")}</th>
              <th>{t("Status")}</th>
              <th>{t("Created")}</th>
              <th aria-label={t("Actions")} />
            </tr>
          </thead>
          <tbody>
            {(users.data ?? []).map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>{roleWords(u.role, t)}</td>
                <td>{storesText(u, t)}</td>
                <td>{u.has_pin ? t("yes") : t("no")}</td>
                <td>{u.is_active ? t("active") : t("deactivated")}</td>
                <td>{fmt.instant(u.created_at)}</td>
                <td>
                  <button type="button" onClick={() => setEditing(u)} aria-label={t("Edit {{name}}", { name: u.name })}>
                    {t("Edit")}
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
  const { t } = useTranslation();
  const [name, setName] = useState(user?.name ?? "");
  const [role, setRole] = useState<Role>(user?.role ?? "cashier");
  const [pin, setPin] = useState("");
  const [confirmingActive, setConfirmingActive] = useState(false);
  const create = useCommandMutation("create_user");
  const update = useCommandMutation("update_user");
  const busy = create.isPending || update.isPending;
  const error = create.error ?? (confirmingActive ? null : update.error);
  // Esc closes the form, but not while a confirmation is open over it.
  useShortcut("escape", onCancel, !confirmingActive);
  const fields = { name: t("Name"), role: t("Role"), pin: user ? t("New PIN") : t("PIN") };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (user) {
      // Head office is a standing of the user, not a role in their home store.
      const change = role === "head_office" ? { head_office: true } : role === user.role ? {} : { role };
      const saved = await update.mutateAsync({ id: user.id, ...change, pin: optional(pin) }).catch(() => null);
      if (saved) onDone(t("Saved {{name}}.", { name: saved.name }));
    } else {
      const saved = await create.mutateAsync({ name: name.trim(), role, pin: optional(pin) }).catch(() => null);
      if (saved) onDone(t("Created {{name}} ({{role}}).", { name: saved.name, role: roleWords(saved.role, t) }));
    }
  }

  async function toggleActive() {
    if (!user) return;
    const saved = await update.mutateAsync({ id: user.id, is_active: !user.is_active }).catch(() => null);
    if (saved) {
      setConfirmingActive(false);
      onDone(saved.is_active ? t("{{name}} reactivated.", { name: saved.name }) : t("{{name}} deactivated.", { name: saved.name }));
    }
  }

  return (
    <form className="panel" onSubmit={submit} aria-label={user ? t("Edit user {{name}}", { name: user.name }) : t("New user")}>
      <h2>{user ? t("Edit {{name}}", { name: user.name }) : t("New user")}</h2>
      <div className="grid three">
        <Field label={fields.name} error={fieldError(error, "name", t)}>
          {(id) => <input id={id} name="name" value={name} onChange={(e) => setName(e.target.value)} disabled={!!user} autoFocus={!user} required />}
        </Field>
        <Field label={fields.role} error={fieldError(error, "role", t)}>
          {(id) => (
            <select id={id} name="role" value={role} onChange={(e) => setRole(e.target.value as Role)} autoFocus={!!user}>
              {ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {t("{{role}} — {{help}}", { role: t(r.label), help: t(r.help) })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={fields.pin} hint={user ? t("Leave empty to keep the current PIN") : t("4 to 12 digits")} error={fieldError(error, "pin", t)}>
          {(id) => <input id={id} name="pin" type="password" inputMode="numeric" autoComplete="new-password" value={pin} onChange={(e) => setPin(e.target.value)} />}
        </Field>
      </div>
      <ErrorMessage error={error} fields={fields} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("Saving…") : t("Save user")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("Cancel")} <Kbd>Esc</Kbd>
        </button>
        {user && (
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              update.reset();
              setConfirmingActive(true);
            }}
          >
            {user.is_active ? t("Deactivate…") : t("Reactivate…")}
          </button>
        )}
      </div>
      {user && <UserStores user={user} onDone={onDone} />}
      {user && confirmingActive && (
        <ConfirmDialog
          title={user.is_active ? t("Deactivate {{name}}?", { name: user.name }) : t("Reactivate {{name}}?", { name: user.name })}
          confirmLabel={user.is_active ? t("Deactivate") : t("Reactivate")}
          tone={user.is_active ? "danger" : "primary"}
          busy={update.isPending}
          error={update.error}
          onConfirm={() => void toggleActive()}
          onCancel={() => setConfirmingActive(false)}
        >
          <p>
            {user.is_active
              ? t("{{name}} ({{role}}) will no longer be able to sign in or approve anything. Their sales, adjustments and audit history stay.", {
                  name: user.name,
                  role: roleWords(user.role, t),
                })
              : t("{{name}} ({{role}}) will be able to sign in again with their PIN.", { name: user.name, role: roleWords(user.role, t) })}
          </p>
          {user.stores.length > 0 && <p>{t("Stores: {{stores}}", { stores: storesText(user, t) })}</p>}
        </ConfirmDialog>
      )}
    </form>
  );
}

/** The stores a user works in: remove one, or assign another (or change the role in one). */
function UserStores({ user, onDone }: { user: User; onDone: (m: string) => void }) {
  const { t } = useTranslation();
  const stores = useCommandQuery("list_stores", {});
  const assign = useCommandMutation("assign_user_store");
  const remove = useCommandMutation("remove_user_store");
  const [storeId, setStoreId] = useState("");
  const [role, setRole] = useState<Role>("cashier");
  const [removing, setRemoving] = useState<UserStore | null>(null);
  const busy = assign.isPending || remove.isPending;
  const target = storeId || stores.data?.[0]?.id || "";

  async function add() {
    if (!target) return;
    const saved = await assign.mutateAsync({ user_id: user.id, store_id: target, role }).catch(() => null);
    if (saved) onDone(t("{{name}} now works in: {{stores}}.", { name: saved.name, stores: storesText(saved, t) }));
  }

  async function drop(s: UserStore) {
    const saved = await remove.mutateAsync({ user_id: user.id, store_id: s.store_id }).catch(() => null);
    if (saved) {
      setRemoving(null);
      onDone(t("{{name}} no longer works in {{store}}.", { name: saved.name, store: s.store_name }));
    }
  }

  return (
    <section aria-label={t("Stores of {{name}}", { name: user.name })}>
      <h3>{t("Stores")}</h3>
      <ul>
        {user.stores.map((s) => (
          <li key={s.store_id}>
            {t("{{store}} ({{code}}): {{role}}", { store: s.store_name, code: s.store_code, role: roleWords(s.role, t) })}{" "}
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                remove.reset();
                setRemoving(s);
              }}
              aria-label={t("Remove {{name}} from {{store}}", { name: user.name, store: s.store_name })}
            >
              {t("Remove")}
            </button>
          </li>
        ))}
      </ul>
      <div className="grid three">
        <Field label={t("Store")}>
          {(id) => (
            <select id={id} name="assign_store" value={target} onChange={(e) => setStoreId(e.target.value)}>
              {(stores.data ?? []).map((s) => (
                <option key={s.id} value={s.id}>
                  {t("{{store}} ({{code}})", { store: s.name, code: s.code })}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t("Role in that store")}>
          {(id) => (
            <select id={id} name="assign_role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {STORE_ROLES.map((r) => (
                <option key={r.role} value={r.role}>
                  {t(r.label)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="form-actions">
          <button type="button" disabled={busy || !target} onClick={() => void add()}>
            {t("Assign")}
          </button>
        </div>
      </div>
      <ErrorMessage error={assign.error} />
      {removing && (
        <ConfirmDialog
          title={t("Remove {{name}} from {{store}}?", { name: user.name, store: removing.store_name })}
          confirmLabel={t("Remove from {{store}}", { store: removing.store_name })}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => void drop(removing)}
          onCancel={() => setRemoving(null)}
        >
          <p>
            {t("{{name}} will no longer work in {{store}} (now {{role}} there). Their history in that store stays.", {
              name: user.name,
              store: removing.store_name,
              role: roleWords(removing.role, t).toLowerCase(),
            })}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
