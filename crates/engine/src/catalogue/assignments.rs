//! Which stores a user works in, and the role in each (`user_stores`).
//!
//! The role a user holds in a store is what the engine checks for every
//! operation addressing that store (`Ctx::check_store`). An assignment is
//! given, changed and removed by an admin of that store. Two rules hold
//! after every change, or the change is refused (`conflict`):
//! - every active store keeps at least one active admin, so no store is
//!   left that nobody can manage;
//! - every user keeps a standing (a store, or head office): a user who
//!   should work nowhere is deactivated, which keeps their history readable.

use super::users::{get_user, User};
use crate::auth::{Permission, Role, StoreRole};
use crate::ids::{StoreId, UserId};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user's role in one store, as listed.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct UserStore {
    /// The store.
    pub store_id: StoreId,
    /// Its code.
    pub store_code: String,
    /// Its name.
    pub store_name: String,
    /// The user's role there.
    pub role: Role,
    /// Since when.
    pub created_at: String,
}

/// A user's assignments, by store name.
pub(crate) fn user_stores(tx: &Transaction<'_>, user: UserId) -> Result<Vec<UserStore>> {
    let mut stmt = tx.prepare_cached(
        "SELECT us.store_id, s.code, s.name, us.role, us.created_at
           FROM user_stores us JOIN stores s ON s.id = us.store_id
          WHERE us.user_id = ?1 ORDER BY s.name",
    )?;
    let rows = stmt.query_map([user], |r| {
        Ok((
            r.get::<_, StoreId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    rows.map(|r| {
        let (store_id, store_code, store_name, role, created_at) = r?;
        Ok(UserStore {
            store_id,
            store_code,
            store_name,
            role: Role::parse(&role)?,
            created_at,
        })
    })
    .collect()
}

/// Refuses head office as a role in a store (it is a user-level standing).
pub(crate) fn check_store_role(role: Role) -> Result<()> {
    if role.is_store_role() {
        Ok(())
    } else {
        Err(Error::invalid(
            "role",
            "head office is not a role in a store: set head_office on the user instead",
        ))
    }
}

/// Gives `user` `s.role` in `s.store_id`, or changes the role they hold there.
pub(crate) fn upsert(
    tx: &Transaction<'_>,
    user: UserId,
    s: StoreRole,
    by: Option<UserId>,
    now: &str,
) -> Result<()> {
    check_store_role(s.role)?;
    crate::catalogue::stores::get_store(tx, s.store_id)?;
    tx.execute(
        "INSERT INTO user_stores (user_id, store_id, role, created_at, created_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?4)
         ON CONFLICT (user_id, store_id) DO UPDATE SET role = excluded.role, updated_at = excluded.updated_at",
        params![user, s.store_id, s.role.as_str(), now, by],
    )?;
    Ok(())
}

/// Keeps `users.role` (no longer read for permissions, see migration V7)
/// equal to the role shown for the user, for older readers of the file;
/// head office, which V1's CHECK does not know, is written as the least
/// role, 'cashier'. A home store the user left is replaced by one they
/// still work in.
pub(crate) fn sync_user_row(tx: &Transaction<'_>, user: UserId) -> Result<()> {
    tx.execute(
        "UPDATE users SET store_id = (
                SELECT us.store_id FROM user_stores us
                 WHERE us.user_id = users.id
                 ORDER BY us.created_at, us.store_id LIMIT 1)
          WHERE id = ?1 AND (store_id IS NULL OR store_id NOT IN (SELECT store_id FROM user_stores WHERE user_id = ?1))",
        [user],
    )?;
    let u = get_user(tx, user)?;
    let legacy = if u.role.is_store_role() {
        u.role
    } else {
        Role::Cashier
    };
    tx.execute(
        "UPDATE users SET role = ?2 WHERE id = ?1 AND role <> ?2",
        params![user, legacy.as_str()],
    )?;
    Ok(())
}

/// Refuses a change that leaves an active store among `stores` without an
/// active admin.
pub(crate) fn check_stores_keep_admin(tx: &Transaction<'_>, stores: &[StoreId]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "SELECT s.name, EXISTS(SELECT 1 FROM user_stores us JOIN users u ON u.id = us.user_id
                                WHERE us.store_id = s.id AND us.role = 'admin' AND u.is_active = 1)
           FROM stores s WHERE s.id = ?1 AND s.is_active = 1",
    )?;
    for store in stores {
        let mut rows = stmt.query([store])?;
        if let Some(r) = rows.next()? {
            let (name, has_admin): (String, bool) = (r.get(0)?, r.get(1)?);
            if !has_admin {
                return Err(Error::conflict(format!(
                    "store '{name}' would have no active admin left; make another admin there first"
                )));
            }
        }
    }
    Ok(())
}

/// Refuses a change that leaves an active user with no store and no head
/// office.
pub(crate) fn check_has_standing(tx: &Transaction<'_>, user: UserId) -> Result<()> {
    let u = get_user(tx, user)?;
    if u.is_active && u.stores.is_empty() && !u.head_office {
        return Err(Error::conflict(format!(
            "'{}' would work in no store; deactivate the user instead",
            u.name
        )));
    }
    Ok(())
}

/// Fails unless the actor may change `user` as a whole (PIN, active flag):
/// they manage users in every store the user works in, and in every store
/// of the file when the user is head office (who reads them all).
pub(crate) fn check_may_manage(ctx: &Ctx<'_>, user: &User) -> Result<()> {
    for s in &user.stores {
        ctx.check_store(s.store_id)?;
    }
    if user.head_office {
        ctx.check_every_store()?;
    }
    Ok(())
}

/// `assign_user_store`: gives a user a role in a store, or changes it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct AssignUserStore {
    /// The user.
    pub user_id: UserId,
    /// The store.
    pub store_id: StoreId,
    /// The role there (cashier, practitioner, manager, admin).
    pub role: Role,
}

impl Operation for AssignUserStore {
    const NAME: &'static str = "assign_user_store";
    const SUMMARY: &'static str =
        "Give a user a role in a store, or change it (admin of that store)";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = true;
    type Output = User;

    fn run(self, ctx: &Ctx<'_>) -> Result<User> {
        check_store_role(self.role)?;
        ctx.check_store(self.store_id)?;
        let before = get_user(ctx.tx, self.user_id)?;
        upsert(
            ctx.tx,
            self.user_id,
            StoreRole {
                store_id: self.store_id,
                role: self.role,
            },
            Some(ctx.actor.id),
            &ctx.now_str(),
        )?;
        sync_user_row(ctx.tx, self.user_id)?;
        check_stores_keep_admin(ctx.tx, &[self.store_id])?;
        let after = get_user(ctx.tx, self.user_id)?;
        record_role_change(ctx, self.store_id, &before, &after)?;
        Ok(after)
    }
}

/// Records a change of a user's role in a store (given, changed or taken
/// away) in that store's chain: "who made this cashier a manager here".
fn record_role_change(ctx: &Ctx<'_>, store: StoreId, before: &User, after: &User) -> Result<()> {
    let role_at = |u: &User| {
        u.stores
            .iter()
            .find(|s| s.store_id == store)
            .map(|s| s.role.as_str().to_string())
    };
    let (b, a) = (role_at(before), role_at(after));
    if b == a {
        return Ok(());
    }
    let payload = crate::audit::Payload::about("user", after.id, &after.name).with_changes(vec![
        crate::audit::FieldChange {
            field: "role".into(),
            before: b,
            after: a,
        },
    ]);
    crate::audit::record(
        ctx,
        store,
        crate::audit::ChangeType::UserRoleChanged,
        &payload,
    )
    .map(|_| ())
}

/// `remove_user_store`: takes a user out of a store.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RemoveUserStore {
    /// The user.
    pub user_id: UserId,
    /// The store.
    pub store_id: StoreId,
}

impl Operation for RemoveUserStore {
    const NAME: &'static str = "remove_user_store";
    const SUMMARY: &'static str =
        "Take a user out of a store (admin of that store; never the store's last admin nor the user's last store)";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = true;
    type Output = User;

    fn run(self, ctx: &Ctx<'_>) -> Result<User> {
        ctx.check_store(self.store_id)?;
        let before = get_user(ctx.tx, self.user_id)?;
        let removed = ctx.tx.execute(
            "DELETE FROM user_stores WHERE user_id = ?1 AND store_id = ?2",
            params![self.user_id, self.store_id],
        )?;
        if removed == 0 {
            return Err(Error::not_found(
                "assignment",
                format!("{} at {}", self.user_id, self.store_id),
            ));
        }
        check_has_standing(ctx.tx, self.user_id)?;
        sync_user_row(ctx.tx, self.user_id)?;
        check_stores_keep_admin(ctx.tx, &[self.store_id])?;
        let after = get_user(ctx.tx, self.user_id)?;
        record_role_change(ctx, self.store_id, &before, &after)?;
        Ok(after)
    }
}

/// `list_user_stores`: the stores a user works in, with the role in each.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListUserStores {
    /// The user.
    pub user_id: UserId,
}

impl Operation for ListUserStores {
    const NAME: &'static str = "list_user_stores";
    const SUMMARY: &'static str =
        "The stores a user works in and the role in each (those you manage users of)";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = false;
    type Output = Vec<UserStore>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<UserStore>> {
        let user = get_user(ctx.tx, self.user_id)?;
        let visible: Vec<UserStore> = user
            .stores
            .iter()
            .filter(|s| ctx.may_at(s.store_id))
            .cloned()
            .collect();
        match user.stores.first() {
            // Someone who shares no store with the actor: say so.
            Some(first) if visible.is_empty() => ctx.check_store(first.store_id).map(|_| visible),
            None if !user.head_office => Ok(visible),
            None => ctx.check_every_store().map(|_| visible),
            Some(_) => Ok(visible),
        }
    }
}
