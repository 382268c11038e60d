//! Users: name, role, home store, hashed PIN, active flag. Only admins
//! manage users; nobody can deactivate or demote the last active admin.

use super::required_text;
use crate::auth::{hash_pin, Permission, Role};
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
    /// Role.
    pub role: Role,
    /// Home store.
    pub store_id: Option<StoreId>,
    /// Active.
    pub is_active: bool,
    /// Whether a PIN is set (a user without one cannot sign in).
    pub has_pin: bool,
    /// When created.
    pub created_at: String,
}

/// `role` is `cashier`, `practitioner`, `manager` or `admin`; `name` is unique; `pin` is
/// 4–12 digits (stored as an argon2id hash; a user without a PIN can still act through
/// the CLI's `--user`). `store_id` defaults to the creator's home store.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateUser {
    /// Unique name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// PIN (4–12 digits).
    #[ts(optional)]
    pub pin: Option<String>,
    /// Home store (default: the creator's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl CreateUser {
    /// Inserts the user (shared with first-time setup).
    pub(crate) fn insert(
        self,
        tx: &Transaction<'_>,
        created_by: Option<UserId>,
        now: &str,
    ) -> Result<User> {
        let name = required_text("name", &self.name, 80)?;
        let pin_hash = self.pin.as_deref().map(hash_pin).transpose()?;
        if let Some(s) = self.store_id {
            crate::catalogue::stores::get_store(tx, s)?;
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
            "INSERT INTO users (id, name, role, store_id, pin_hash, created_at, updated_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
            params![id, name, self.role.as_str(), self.store_id, pin_hash, now, created_by],
        )?;
        get_user(tx, id)
    }
}

impl Operation for CreateUser {
    const NAME: &'static str = "create_user";
    const SUMMARY: &'static str =
        "Create a user with a role (cashier, practitioner, manager, admin) and PIN";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = true;
    type Output = User;

    fn run(mut self, ctx: &Ctx<'_>) -> Result<User> {
        self.store_id = self.store_id.or(ctx.actor.store_id);
        self.insert(ctx.tx, Some(ctx.actor.id), &ctx.now_str())
    }
}

/// The last active admin can be neither demoted nor deactivated (`conflict`). A new PIN
/// clears failed attempts and any lock.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateUser {
    /// The user.
    pub id: UserId,
    /// New role.
    #[ts(optional)]
    pub role: Option<Role>,
    /// New PIN.
    #[ts(optional)]
    pub pin: Option<String>,
    /// New home store.
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Activate or deactivate.
    #[ts(optional)]
    pub is_active: Option<bool>,
}

impl Operation for UpdateUser {
    const NAME: &'static str = "update_user";
    const SUMMARY: &'static str = "Change a user's role, PIN, home store or active flag";
    const PERMISSION: Permission = Permission::ManageUsers;
    const WRITES: bool = true;
    type Output = User;

    fn run(self, ctx: &Ctx<'_>) -> Result<User> {
        let cur = get_user(ctx.tx, self.id)?;
        let role = self.role.unwrap_or(cur.role);
        let active = self.is_active.unwrap_or(cur.is_active);
        if cur.role == Role::Admin && cur.is_active && (role != Role::Admin || !active) {
            let admins: i64 = ctx.tx.query_row(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND is_active = 1",
                [],
                |r| r.get(0),
            )?;
            if admins <= 1 {
                return Err(Error::conflict(
                    "this is the last active admin; make another admin first",
                ));
            }
        }
        if let Some(s) = self.store_id {
            crate::catalogue::stores::get_store(ctx.tx, s)?;
        }
        let pin_hash = self.pin.as_deref().map(hash_pin).transpose()?;
        ctx.tx.execute(
            "UPDATE users SET role = ?2, is_active = ?3, store_id = COALESCE(?4, store_id),
                    pin_hash = COALESCE(?5, pin_hash), failed_pin_attempts = CASE WHEN ?5 IS NULL THEN failed_pin_attempts ELSE 0 END,
                    locked_until = CASE WHEN ?5 IS NULL THEN locked_until ELSE NULL END, updated_at = ?6
              WHERE id = ?1",
            params![self.id, role.as_str(), active, self.store_id, pin_hash, ctx.now_str()],
        )?;
        get_user(ctx.tx, self.id)
    }
}

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
    const SUMMARY: &'static str = "Users with their roles";
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
        ids.into_iter().map(|id| get_user(ctx.tx, id)).collect()
    }
}

/// Reads one user.
pub fn get_user(tx: &Transaction<'_>, id: UserId) -> Result<User> {
    let row = tx
        .query_row(
            "SELECT id, name, role, store_id, is_active, pin_hash IS NOT NULL, created_at FROM users WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, UserId>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<StoreId>>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                    r.get::<_, String>(6)?,
                ))
            },
        )
        .optional()?;
    let (id, name, role, store_id, is_active, has_pin, created_at) =
        row.ok_or_else(|| Error::not_found("user", id))?;
    Ok(User {
        id,
        name,
        role: Role::parse(&role)?,
        store_id,
        is_active,
        has_pin,
        created_at,
    })
}
