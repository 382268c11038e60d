//! Users: name, hashed PIN, active flag, home store, and a role in each
//! store they are assigned to (see `assignments` for the assignment
//! operations and the rules that keep every store with an admin).
//!
//! An admin manages the users of the stores they are admin of: creating a
//! user in a store, or changing anything about a user, takes the
//! `manage_users` permission in every store that user works in (a PIN or a
//! deactivation reaches all of them). Head office reads every store, so
//! granting it, or managing a head-office user, takes an admin of every
//! store of the file.

use super::assignments::{self, UserStore};
use super::required_text;
use crate::auth::{hash_pin, Permission, Role, StoreRole};
use crate::ids::{StoreId, UserId};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A user as returned to callers (never the PIN hash).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct User {
    /// Id.
    pub id: UserId,
    /// Unique name (case-insensitive).
    pub name: String,
    /// The role shown for the user (`auth::display_role`): the role at the
    /// home store, else the highest store role, else head office.
    pub role: Role,
    /// Home store (the default when a request names none).
    pub store_id: Option<StoreId>,
    /// Reads every store; writes nothing store-scoped.
    pub head_office: bool,
    /// The stores the user is assigned to, with the role in each.
    pub stores: Vec<UserStore>,
    /// Active.
    pub is_active: bool,
    /// Whether a PIN is set (a user without one cannot sign in).
    pub has_pin: bool,
    /// When created.
    pub created_at: String,
}

/// `create_user`: `role` at `store_id` is the user's first assignment (and
/// home store); `stores` adds more. A `head_office` role (or flag) makes a
/// user who reads every store.
///
/// `role` is `cashier`, `practitioner`, `manager`, `admin` or `head_office`; `name` is unique; `pin` is
/// 4–12 digits (stored as an argon2id hash; a user without a PIN can still act through
/// the CLI's `--user`). `store_id` defaults to the creator's home store (or only store).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateUser {
    /// Unique name.
    pub name: String,
    /// Role at `store_id` (cashier, practitioner, manager, admin), or
    /// `head_office` for a user who reads every store and sells nowhere.
    pub role: Role,
    /// PIN (4–12 digits).
    #[ts(optional)]
    pub pin: Option<String>,
    /// Home store, where `role` applies (default: the creator's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// More stores and the role in each.
    #[ts(optional)]
    pub stores: Option<Vec<StoreRole>>,
    /// Head office: reads every store of the file.
    #[ts(optional)]
    pub head_office: Option<bool>,
}

/// A new user with their assignments resolved (shared with setup).
pub(crate) struct NewUser<'a> {
    pub name: &'a str,
    pub pin: Option<&'a str>,
    pub home: Option<StoreId>,
    pub stores: &'a [StoreRole],
    pub head_office: bool,
}

impl NewUser<'_> {
    /// Inserts the user and their assignments.
    pub(crate) fn insert(
        &self,
        tx: &Transaction<'_>,
        created_by: Option<UserId>,
        now: &str,
    ) -> Result<User> {
        let name = required_text("name", self.name, 80)?;
        let pin_hash = self.pin.map(hash_pin).transpose()?;
        if self.stores.is_empty() && !self.head_office {
            return Err(Error::invalid(
                "store_id",
                "give the user a role in a store, or make them head office",
            ));
        }
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM users WHERE name = ?1)",
            [&name],
            |r| r.get(0),
        )?;
        if exists {
            return Err(Error::conflict(format!(
                "a user named '{name}' already exists"
            )));
        }
        let id = UserId::new();
        tx.execute(
            "INSERT INTO users (id, name, role, store_id, pin_hash, head_office, created_at, updated_at, created_by)
             VALUES (?1, ?2, 'cashier', ?3, ?4, ?5, ?6, ?6, ?7)",
            params![id, name, self.home, pin_hash, self.head_office, now, created_by],
        )?;
        for s in self.stores {
            assignments::upsert(tx, id, *s, created_by, now)?;
        }
        assignments::sync_user_row(tx, id)?;
        get_user(tx, id)
    }
}

impl Operation for CreateUser {
    const NAME: &'static str = "create_user";
    const SUMMARY: &'static str =
        "Create a user with a role in a store (cashier, practitioner, manager, admin) or head office, and a PIN";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = true;
    type Output = User;

    fn run(self, ctx: &Ctx<'_>) -> Result<User> {
        let head_office = self.head_office.unwrap_or(false) || self.role == Role::HeadOffice;
        let mut stores: Vec<StoreRole> = Vec::new();
        if self.role.is_store_role() {
            let store_id = match self.store_id.or(ctx.actor.store_id) {
                Some(s) => s,
                None => match ctx.actor.stores.as_slice() {
                    [only] => only.store_id,
                    _ => {
                        return Err(Error::invalid(
                            "store_id",
                            "name the store_id the user's role applies to",
                        ))
                    }
                },
            };
            stores.push(StoreRole {
                store_id,
                role: self.role,
            });
        } else if self.store_id.is_some() {
            return Err(Error::invalid(
                "role",
                "head office is not a role in a store: give a store role with store_id",
            ));
        }
        for s in self.stores.unwrap_or_default() {
            match stores.iter().find(|x| x.store_id == s.store_id) {
                Some(x) if x.role != s.role => {
                    return Err(Error::invalid(
                        "stores",
                        "a store is given twice with different roles",
                    ))
                }
                Some(_) => {}
                None => stores.push(s),
            }
        }
        for s in &stores {
            assignments::check_store_role(s.role)?;
            ctx.check_store(s.store_id)?;
        }
        if head_office {
            ctx.check_every_store()?;
        }
        let user = NewUser {
            name: &self.name,
            pin: self.pin.as_deref(),
            home: stores.first().map(|s| s.store_id),
            stores: &stores,
            head_office,
        }
        .insert(ctx.tx, Some(ctx.actor.id), &ctx.now_str())?;
        let store = ctx.store(user.store_id)?.id;
        record_created(&ctx.stamp(), store, &user)?;
        Ok(user)
    }
}

/// Records a new user (never their PIN) in `store`'s chain.
pub(crate) fn record_created(
    stamp: &crate::audit::Stamp<'_>,
    store: StoreId,
    user: &User,
) -> Result<()> {
    let payload = crate::audit::Payload::about("user", user.id, &user.name).with_data(user)?;
    crate::audit::record_stamped(
        stamp,
        store,
        crate::audit::ChangeType::UserCreated,
        &payload,
    )
    .map(|_| ())
}

/// `update_user`: change the role at the home store, the PIN, the home
/// store, head office or the active flag.
///
/// No store may lose its last active admin (`conflict`). A new PIN
/// clears failed attempts and any lock.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateUser {
    /// The user.
    pub id: UserId,
    /// New role at the home store (or at `store_id` when given).
    #[ts(optional)]
    pub role: Option<Role>,
    /// New PIN.
    #[ts(optional)]
    pub pin: Option<String>,
    /// New home store; the user is assigned there (with `role`, else their
    /// current role) if they are not yet.
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Grant or withdraw head office.
    #[ts(optional)]
    pub head_office: Option<bool>,
    /// Activate or deactivate.
    #[ts(optional)]
    pub is_active: Option<bool>,
}

impl Operation for UpdateUser {
    const NAME: &'static str = "update_user";
    const SUMMARY: &'static str =
        "Change a user's role at their home store, PIN, home store, head office or active flag";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = true;
    type Output = User;

    fn run(self, ctx: &Ctx<'_>) -> Result<User> {
        let cur = get_user(ctx.tx, self.id)?;
        assignments::check_may_manage(ctx, &cur)?;
        let now = ctx.now_str();
        if let Some(h) = self.head_office {
            if h != cur.head_office {
                ctx.check_every_store()?;
            }
        }
        let home = self.store_id.or(cur.store_id);
        if let Some(role) = self.role {
            assignments::check_store_role(role)?;
        }
        let mut touched: Vec<StoreId> = cur.stores.iter().map(|s| s.store_id).collect();
        if self.role.is_some() || self.store_id.is_some() {
            let store = home.ok_or_else(|| {
                Error::invalid("store_id", "the user has no home store: name the store_id")
            })?;
            ctx.check_store(store)?;
            let role = self
                .role
                .or_else(|| {
                    cur.stores
                        .iter()
                        .find(|s| s.store_id == store)
                        .map(|s| s.role)
                })
                .unwrap_or(cur.role);
            assignments::check_store_role(role)?;
            assignments::upsert(
                ctx.tx,
                self.id,
                StoreRole {
                    store_id: store,
                    role,
                },
                Some(ctx.actor.id),
                &now,
            )?;
            touched.push(store);
        }
        let active = self.is_active.unwrap_or(cur.is_active);
        let head_office = self.head_office.unwrap_or(cur.head_office);
        let pin_hash = self.pin.as_deref().map(hash_pin).transpose()?;
        ctx.tx.execute(
            "UPDATE users SET is_active = ?2, store_id = ?3, head_office = ?4,
                    pin_hash = COALESCE(?5, pin_hash), failed_pin_attempts = CASE WHEN ?5 IS NULL THEN failed_pin_attempts ELSE 0 END,
                    locked_until = CASE WHEN ?5 IS NULL THEN locked_until ELSE NULL END, updated_at = ?6
              WHERE id = ?1",
            params![self.id, active, home, head_office, pin_hash, now],
        )?;
        assignments::check_has_standing(ctx.tx, self.id)?;
        assignments::sync_user_row(ctx.tx, self.id)?;
        assignments::check_stores_keep_admin(ctx.tx, &touched)?;
        let after = get_user(ctx.tx, self.id)?;
        // One event per aspect, so "who made this cashier a manager" and
        // "who reset this PIN" are each a filter away.
        use crate::audit::{diff, ChangeType, FieldChange, Payload};
        let store = ctx.store(after.store_id)?.id;
        let about = || Payload::about("user", self.id, &after.name);
        // `has_pin` is the PIN reset, recorded as its own kind below.
        let all: Vec<FieldChange> = diff(&cur, &after)?
            .into_iter()
            .filter(|c| c.field != "has_pin")
            .collect();
        let (role_changes, rest): (Vec<FieldChange>, Vec<FieldChange>) = all
            .into_iter()
            .partition(|c| matches!(c.field.as_str(), "role" | "stores" | "head_office"));
        let (active_changes, rest): (Vec<FieldChange>, Vec<FieldChange>) =
            rest.into_iter().partition(|c| c.field == "is_active");
        if !role_changes.is_empty() {
            crate::audit::record(
                ctx,
                store,
                ChangeType::UserRoleChanged,
                &about().with_changes(role_changes),
            )?;
        }
        if !active_changes.is_empty() {
            let kind = if after.is_active {
                ChangeType::UserReactivated
            } else {
                ChangeType::UserDeactivated
            };
            crate::audit::record(ctx, store, kind, &about().with_changes(active_changes))?;
        }
        if pin_hash.is_some() {
            crate::audit::record(ctx, store, ChangeType::UserPinReset, &about())?;
        }
        if !rest.is_empty() {
            crate::audit::record(
                ctx,
                store,
                ChangeType::UserUpdated,
                &about().with_changes(rest),
            )?;
        }
        Ok(after)
    }
}

/// `list_users`: the users of the stores where the acting user manages
/// users (every user for head office).
///
/// Active users (all with `include_inactive: true`), with `has_pin`; never PIN hashes.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListUsers {
    /// Include deactivated users.
    #[ts(optional)]
    pub include_inactive: Option<bool>,
}

impl Operation for ListUsers {
    const NAME: &'static str = "list_users";
    const SUMMARY: &'static str = "Users of the stores you manage, with their stores and roles";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = false;
    type Output = Vec<User>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<User>> {
        let mut stmt = ctx
            .tx
            .prepare("SELECT id FROM users WHERE is_active = 1 OR ?1 ORDER BY name")?;
        let ids = stmt
            .query_map([self.include_inactive.unwrap_or(false)], |r| {
                r.get::<_, UserId>(0)
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let every_store = ctx.check_every_store().is_ok();
        let mut users = Vec::with_capacity(ids.len());
        for id in ids {
            let u = get_user(ctx.tx, id)?;
            let visible = if u.stores.is_empty() {
                every_store
            } else {
                u.stores.iter().any(|s| ctx.may_at(s.store_id))
            };
            if visible {
                users.push(u);
            }
        }
        Ok(users)
    }
}

/// Reads one user.
pub fn get_user(tx: &Transaction<'_>, id: UserId) -> Result<User> {
    let row = tx
        .query_row(
            "SELECT id, name, store_id, head_office, is_active, pin_hash IS NOT NULL, created_at FROM users WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, UserId>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<StoreId>>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                ))
            },
        )
        .optional()?;
    let (id, name, store_id, head_office, is_active, has_pin, created_at) =
        row.ok_or_else(|| Error::not_found("user", id))?;
    let stores = assignments::user_stores(tx, id)?;
    let roles: Vec<StoreRole> = stores
        .iter()
        .map(|s| StoreRole {
            store_id: s.store_id,
            role: s.role,
        })
        .collect();
    Ok(User {
        id,
        name,
        role: crate::auth::display_role(store_id, &roles, head_office),
        store_id,
        head_office,
        stores,
        is_active,
        has_pin,
        created_at,
    })
}
