//! Roles, permissions, the acting user, PINs.
//!
//! Permissions are checked here, in the engine, for every operation: the UI
//! hides what a role cannot do, but the engine is what refuses it. PINs are
//! stored as argon2id hashes; repeated failures lock the user for a while.

use crate::ids::{StoreId, UserId};
use crate::{Db, Error, Result};
use argon2::Argon2;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Failed PIN attempts before a user is locked.
pub const MAX_PIN_ATTEMPTS: i64 = 5;
/// How long a locked user stays locked.
pub const LOCK_MINUTES: i64 = 5;

/// A user's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// Sells at the till.
    Cashier,
    /// Clinic staff: vial sessions, treatment use, waste.
    Practitioner,
    /// Receives, approves, counts, transfers, orders.
    Manager,
    /// Everything, including users and stores.
    Admin,
}

impl Role {
    /// The role's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Practitioner => "practitioner",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Result<Role> {
        match s {
            "cashier" => Ok(Role::Cashier),
            "practitioner" => Ok(Role::Practitioner),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            _ => Err(Error::Internal(format!("unknown role '{s}' in database"))),
        }
    }

    /// True for manager and admin, who approve others' changes.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Manager | Role::Admin)
    }
}

/// What an operation needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Permission {
    /// See products, stock, batches (every role).
    ViewInventory,
    /// Sell and reserve at the till.
    Sell,
    /// Record stock arrivals.
    ReceiveStock,
    /// Submit stock adjustments (large ones wait for approval).
    AdjustStock,
    /// Approve or reject adjustments; write off batches; expire batches.
    ManageStock,
    /// Create and edit products, categories, suppliers.
    ManageCatalogue,
    /// Create and edit users.
    ManageUsers,
    /// Create and edit stores.
    ManageStores,
    /// Read the audit trail and verify the ledger.
    ViewAudit,
}

impl Permission {
    /// The permission's name in messages and listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::ViewInventory => "view_inventory",
            Permission::Sell => "sell",
            Permission::ReceiveStock => "receive_stock",
            Permission::AdjustStock => "adjust_stock",
            Permission::ManageStock => "manage_stock",
            Permission::ManageCatalogue => "manage_catalogue",
            Permission::ManageUsers => "manage_users",
            Permission::ManageStores => "manage_stores",
            Permission::ViewAudit => "view_audit",
        }
    }

    /// Whether `role` holds this permission.
    pub fn granted_to(self, role: Role) -> bool {
        use Permission::*;
        match role {
            Role::Admin => true,
            Role::Manager => !matches!(self, ManageUsers | ManageStores),
            Role::Cashier => matches!(self, ViewInventory | Sell | AdjustStock),
            Role::Practitioner => matches!(self, ViewInventory | Sell | AdjustStock),
        }
    }
}

/// The acting user of an operation.
#[derive(Clone, Debug)]
pub struct Actor {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Home store, used when a request names none.
    pub store_id: Option<StoreId>,
}

impl Actor {
    /// Loads an active user.
    pub fn load(tx: &Transaction<'_>, id: UserId) -> Result<Actor> {
        let row = tx
            .prepare_cached("SELECT name, role, store_id, is_active FROM users WHERE id = ?1")?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<StoreId>>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })
            .optional()?;
        let (name, role, store_id, active) = row.ok_or_else(|| Error::Unauthenticated {
            message: format!("user {id} does not exist"),
        })?;
        if !active {
            return Err(Error::Unauthenticated {
                message: format!("user '{name}' is deactivated"),
            });
        }
        Ok(Actor {
            id,
            name,
            role: Role::parse(&role)?,
            store_id,
        })
    }

    /// Fails with `forbidden` unless the role grants `p`.
    pub fn require(&self, p: Permission) -> Result<()> {
        if p.granted_to(self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden {
                user: self.name.clone(),
                role: self.role.as_str().into(),
                permission: p.as_str().into(),
            })
        }
    }
}

/// Whether the session's user holds `p`, as the database holds them now:
/// active, with their current role (not the role a front end remembers from
/// sign-in). For a front end deciding whether to start something it runs on
/// its own, like a background timer; a user who no longer exists or is
/// deactivated may do nothing.
pub fn may(db: &mut Db, session: &crate::Session, p: Permission) -> Result<bool> {
    db.read(|tx| match Actor::load(tx, session.user_id) {
        Ok(actor) => Ok(p.granted_to(actor.role)),
        Err(Error::Unauthenticated { .. }) => Ok(false),
        Err(e) => Err(e),
    })
}

/// Hashes a PIN with argon2id and a random salt.
pub fn hash_pin(pin: &str) -> Result<String> {
    check_pin_format(pin)?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing PIN: {e}")))
}

/// PINs are 4 to 12 digits: typed on a till keypad.
pub fn check_pin_format(pin: &str) -> Result<()> {
    if !(4..=12).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid("pin", "a PIN is 4 to 12 digits"));
    }
    Ok(())
}

fn pin_matches(hash: &str, pin: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A sign-in request.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SignInRequest {
    /// User name (case-insensitive).
    pub name: String,
    /// The user's PIN.
    pub pin: String,
}

/// The user a session belongs to.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SignedInUser {
    /// Id.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Home store.
    pub store_id: Option<StoreId>,
}

/// An entry of the sign-in picker.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct UserSummary {
    /// Id.
    pub id: UserId,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
}

/// Checks a name and PIN; counts failures and locks after [`MAX_PIN_ATTEMPTS`].
/// Failures are committed (the attempt counter must survive the error), and
/// each one is written to the security log.
pub fn sign_in(db: &mut Db, req: &SignInRequest) -> Result<SignedInUser> {
    let now = db.now();
    db.write(|tx| {
        let fail = |outcome: &'static str,
                    user_id: Option<UserId>,
                    e: Error|
         -> Result<Result<SignedInUser>> {
            crate::security::record(
                tx,
                now,
                &crate::security::Incident::sign_in(&req.name, user_id, outcome, &e),
            )?;
            Ok(Err(e))
        };
        let (user, pin_hash, failed, locked_until) = match find_for_pin(tx, &req.name) {
            Ok(found) => found,
            Err(e @ Error::Unauthenticated { .. }) => {
                let outcome = if e.to_string().contains("deactivated") {
                    "deactivated"
                } else {
                    "unknown_user"
                };
                return fail(outcome, None, e);
            }
            Err(e) => return Err(e),
        };
        if let Err(e) = check_not_locked(&user.name, locked_until.as_deref(), now) {
            return fail("locked", Some(user.id), e);
        }
        let ok = pin_hash
            .as_deref()
            .is_some_and(|h| pin_matches(h, &req.pin));
        if ok {
            tx.execute(
                "UPDATE users SET failed_pin_attempts = 0, locked_until = NULL WHERE id = ?1",
                [user.id],
            )?;
            return Ok(Ok(user));
        }
        let e = match count_failed_pin(tx, user.id, failed, now)? {
            Some(until) => Error::Locked {
                user: user.name.clone(),
                until,
            },
            None => Error::Unauthenticated {
                message: "wrong name or PIN".into(),
            },
        };
        fail("wrong_pin", Some(user.id), e)
    })?
}

/// Counts one more failed PIN for a user (`failed` failures so far) and
/// locks them at [`MAX_PIN_ATTEMPTS`]; returns the lock's end when it locks.
pub(crate) fn count_failed_pin(
    tx: &Transaction<'_>,
    user_id: UserId,
    failed: i64,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let failed = failed + 1;
    let lock = (failed >= MAX_PIN_ATTEMPTS).then(|| {
        (now + Duration::minutes(LOCK_MINUTES)).to_rfc3339_opts(SecondsFormat::Secs, true)
    });
    tx.execute(
        "UPDATE users SET failed_pin_attempts = ?2, locked_until = ?3 WHERE id = ?1",
        params![user_id, if lock.is_some() { 0 } else { failed }, lock],
    )?;
    Ok(lock)
}

/// Counts a failed approval PIN against the approver named (when that name
/// is a user), as a failed sign-in would be: approvals cannot be used to
/// guess a manager's PIN without limit. Returns the lock's end if it locks.
pub(crate) fn count_failed_approval(
    tx: &Transaction<'_>,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    match find_for_pin(tx, name) {
        Ok((user, _, failed, _)) => count_failed_pin(tx, user.id, failed, now),
        Err(_) => Ok(None),
    }
}

/// Why a manager's PIN was not accepted, for the security log.
#[derive(Debug)]
pub struct PinFailure {
    /// The error to return.
    pub error: Error,
    /// `unknown_user`, `deactivated`, `locked`, `wrong_pin` or `not_a_manager`.
    pub outcome: &'static str,
    /// The user the name matched, if any.
    pub user_id: Option<UserId>,
}

/// Verifies a manager's PIN for an approval at the till; returns the manager.
pub fn verify_manager_pin(
    tx: &Transaction<'_>,
    name: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> Result<SignedInUser> {
    check_manager_pin(tx, name, pin, now).map_err(|f| f.error)
}

/// [`verify_manager_pin`] that says why it failed. A success clears the
/// manager's failed-attempt counter, as a sign-in does.
pub fn check_manager_pin(
    tx: &Transaction<'_>,
    name: &str,
    pin: &str,
    now: DateTime<Utc>,
) -> std::result::Result<SignedInUser, Box<PinFailure>> {
    let fail = |error: Error, outcome, user_id| {
        Box::new(PinFailure {
            error,
            outcome,
            user_id,
        })
    };
    // A refused approver is `approval_required` (the action still waits for a
    // valid approval), never `unauthenticated`: that kind means the signed-in
    // session itself is gone, and front ends lock the screen on it.
    let refused = |why: &str| Error::ApprovalRequired {
        message: format!("approval refused: {why}"),
    };
    let (user, pin_hash, failed, locked_until) = match find_for_pin(tx, name) {
        Ok(found) => found,
        Err(e) => {
            let (outcome, why) = if e.to_string().contains("deactivated") {
                (
                    "deactivated",
                    format!("the approver '{}' is deactivated", name.trim()),
                )
            } else {
                ("unknown_user", "wrong approver name or PIN".to_string())
            };
            return Err(fail(refused(&why), outcome, None));
        }
    };
    if let Err(e) = check_not_locked(&user.name, locked_until.as_deref(), now) {
        return Err(fail(e, "locked", Some(user.id)));
    }
    if !pin_hash.as_deref().is_some_and(|h| pin_matches(h, pin)) {
        return Err(fail(
            refused("wrong approver name or PIN"),
            "wrong_pin",
            Some(user.id),
        ));
    }
    if !user.role.is_manager() {
        return Err(fail(
            Error::Forbidden {
                user: user.name.clone(),
                role: user.role.as_str().into(),
                permission: "approve".into(),
            },
            "not_a_manager",
            Some(user.id),
        ));
    }
    if failed > 0 {
        tx.execute(
            "UPDATE users SET failed_pin_attempts = 0, locked_until = NULL WHERE id = ?1",
            [user.id],
        )
        .map_err(|e| fail(e.into(), "storage", Some(user.id)))?;
    }
    Ok(user)
}

type PinRow = (SignedInUser, Option<String>, i64, Option<String>);

fn find_for_pin(tx: &Transaction<'_>, name: &str) -> Result<PinRow> {
    let row = tx
        .query_row(
            "SELECT id, name, role, store_id, pin_hash, failed_pin_attempts, locked_until, is_active FROM users WHERE name = ?1",
            [name.trim()],
            |r| {
                Ok((
                    r.get::<_, UserId>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<StoreId>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, bool>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((id, name, role, store_id, hash, failed, locked, active)) = row else {
        return Err(Error::Unauthenticated {
            message: "wrong name or PIN".into(),
        });
    };
    if !active {
        return Err(Error::Unauthenticated {
            message: format!("user '{name}' is deactivated"),
        });
    }
    Ok((
        SignedInUser {
            id,
            name,
            role: Role::parse(&role)?,
            store_id,
        },
        hash,
        failed,
        locked,
    ))
}

fn check_not_locked(user: &str, locked_until: Option<&str>, now: DateTime<Utc>) -> Result<()> {
    if let Some(until) = locked_until {
        if let Ok(t) = DateTime::parse_from_rfc3339(until) {
            if t.with_timezone(&Utc) > now {
                return Err(Error::Locked {
                    user: user.to_string(),
                    until: until.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// Active users for the sign-in picker, by name.
pub fn list_active_users(db: &Db) -> Result<Vec<UserSummary>> {
    let mut stmt = db
        .conn
        .prepare("SELECT id, name, role FROM users WHERE is_active = 1 ORDER BY name")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, UserId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    rows.map(|r| {
        let (id, name, role) = r?;
        Ok(UserSummary {
            id,
            name,
            role: Role::parse(&role)?,
        })
    })
    .collect()
}

/// Looks a user up by name for the CLI's `--user`.
pub fn session_for_name(db: &Db, name: &str) -> Result<crate::Session> {
    let id: Option<UserId> = db
        .conn
        .query_row(
            "SELECT id FROM users WHERE name = ?1 AND is_active = 1",
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?;
    id.map(|user_id| crate::Session { user_id })
        .ok_or_else(|| Error::Unauthenticated {
            message: format!("no active user named '{name}'"),
        })
}
