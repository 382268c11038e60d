//! Roles, permissions, the acting user and the stores they work in, PINs.
//!
//! Permissions are checked here, in the engine, for every operation: the UI
//! hides what a role cannot do, but the engine is what refuses it. A user
//! holds a role in each store they are assigned to (`user_stores`), and may
//! be head office (reads every store); what they may do is decided by the
//! role in the store an operation addresses ([`Actor::check_at`]). PINs are
//! stored as argon2id hashes; repeated failures lock the user for a while.

use crate::ids::{StoreId, UserId};
use crate::{AuthFailure, Db, Error, Result};
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
    /// Everything in their stores, including those stores' users and details.
    Admin,
    /// Head office: reads every store of the file and edits the shared
    /// catalogue, but writes nothing store-scoped. Held as a user-level flag
    /// (`users.head_office`), never as a role in a store; reported as a
    /// user's role when it is their only standing.
    HeadOffice,
}

impl Role {
    /// Every role, in declaration order (the UI's generated table).
    pub const ALL: &'static [Role] = &[
        Role::Cashier,
        Role::Practitioner,
        Role::Manager,
        Role::Admin,
        Role::HeadOffice,
    ];

    /// The role's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Cashier => "cashier",
            Role::Practitioner => "practitioner",
            Role::Manager => "manager",
            Role::Admin => "admin",
            Role::HeadOffice => "head_office",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Result<Role> {
        match s {
            "cashier" => Ok(Role::Cashier),
            "practitioner" => Ok(Role::Practitioner),
            "manager" => Ok(Role::Manager),
            "admin" => Ok(Role::Admin),
            "head_office" => Ok(Role::HeadOffice),
            _ => Err(Error::internal(format!("unknown role '{s}' in database"))),
        }
    }

    /// True for manager and admin, who approve others' changes.
    pub fn is_manager(self) -> bool {
        matches!(self, Role::Manager | Role::Admin)
    }

    /// Whether the role can be held in a store (every role but head office).
    pub fn is_store_role(self) -> bool {
        !matches!(self, Role::HeadOffice)
    }

    /// Orders the store roles by what they may do (cashier and practitioner
    /// hold the same permissions); head office is not comparable and ranks
    /// lowest, as it writes nothing in a store.
    fn rank(self) -> u8 {
        match self {
            Role::HeadOffice => 0,
            Role::Cashier | Role::Practitioner => 1,
            Role::Manager => 2,
            Role::Admin => 3,
        }
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
    /// Clinical work: patients' records, vial sessions, draws and lot usage,
    /// waste, the trace of a lot to its patients.
    Clinical,
    /// Log fridge and shelf temperatures (every store role).
    RecordReadings,
    /// Draft, submit and follow purchase orders to vendors (managers, and
    /// practitioners who order their clinic's supplies; never cashiers).
    /// Orders over the store's limit wait for a manager.
    OrderStock,
}

impl Permission {
    /// Every permission, in declaration order (the UI's generated table).
    pub const ALL: &'static [Permission] = &[
        Permission::ViewInventory,
        Permission::Sell,
        Permission::ReceiveStock,
        Permission::AdjustStock,
        Permission::ManageStock,
        Permission::ManageCatalogue,
        Permission::ManageUsers,
        Permission::ManageStores,
        Permission::ViewAudit,
        Permission::Clinical,
        Permission::RecordReadings,
        Permission::OrderStock,
    ];

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
            Permission::Clinical => "clinical",
            Permission::RecordReadings => "record_readings",
            Permission::OrderStock => "order_stock",
        }
    }

    /// Whether head office reads what this permission guards in every store:
    /// everything but patients' data, which only the clinic's staff and its
    /// managers see.
    pub fn head_office_reads(self) -> bool {
        self != Permission::Clinical
    }

    /// Whether `role` holds this permission.
    pub fn granted_to(self, role: Role) -> bool {
        use Permission::*;
        match role {
            Role::Admin => true,
            Role::Manager => !matches!(self, ManageUsers | ManageStores),
            Role::Cashier => matches!(self, ViewInventory | Sell | AdjustStock | RecordReadings),
            Role::Practitioner => matches!(
                self,
                ViewInventory | Sell | AdjustStock | Clinical | RecordReadings | OrderStock
            ),
            // Head office owns the shared catalogue; in a store it only
            // reads (see `Actor::check_at`).
            Role::HeadOffice => matches!(self, ViewInventory | ViewAudit | ManageCatalogue),
        }
    }
}

/// A user's role in one store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct StoreRole {
    /// The store.
    pub store_id: StoreId,
    /// The role there (cashier, practitioner, manager or admin).
    pub role: Role,
}

/// A user's assignments, by store id.
pub(crate) fn load_store_roles(
    conn: &rusqlite::Connection,
    user: UserId,
) -> Result<Vec<StoreRole>> {
    let mut stmt = conn.prepare_cached(
        "SELECT store_id, role FROM user_stores WHERE user_id = ?1 ORDER BY store_id",
    )?;
    let rows = stmt.query_map([user], |r| {
        Ok((r.get::<_, StoreId>(0)?, r.get::<_, String>(1)?))
    })?;
    rows.map(|r| {
        let (store_id, role) = r?;
        Ok(StoreRole {
            store_id,
            role: Role::parse(&role)?,
        })
    })
    .collect()
}

/// The one role shown for a user (sign-in, listings): the role at the home
/// store, else the highest role held in a store, else head office. What the
/// user may do in a given store is always decided by the role held there.
pub fn display_role(home: Option<StoreId>, stores: &[StoreRole], head_office: bool) -> Role {
    home.and_then(|h| stores.iter().find(|s| s.store_id == h))
        .or_else(|| stores.iter().max_by_key(|s| s.role.rank()))
        .map(|s| s.role)
        .unwrap_or(if head_office {
            Role::HeadOffice
        } else {
            Role::Cashier
        })
}

/// Who acts when head office's catalogue is applied by sync: no user of
/// the file (the nil UUID), named "Head office" in the record.
pub const HEAD_OFFICE_USER: UserId = UserId(uuid::Uuid::nil());

/// The acting user of an operation, with every store they are assigned to.
///
/// What the user may do is decided per store: [`Actor::check_at`] asks the
/// role held in the store an operation addresses. `role` and `store_id` keep
/// their older meaning for code that has no store at hand.
#[derive(Clone, Debug)]
pub struct Actor {
    /// Id.
    pub id: UserId,
    /// Display name.
    pub name: String,
    /// The least role the user holds in any of their stores (head office
    /// when that is their only standing): a check against it never grants
    /// more than every one of their stores would. For the role in a given
    /// store, use [`Actor::role_in`] (or `Ctx::role_in`).
    pub role: Role,
    /// Home store, used when a request names none.
    pub store_id: Option<StoreId>,
    /// Reads every store of the file; writes nothing store-scoped.
    pub head_office: bool,
    /// The user's role in each store they are assigned to.
    pub stores: Vec<StoreRole>,
}

impl Actor {
    /// Loads an active user and their assignments.
    pub fn load(tx: &Transaction<'_>, id: UserId) -> Result<Actor> {
        let row = tx
            .prepare_cached(
                "SELECT name, store_id, is_active, head_office FROM users WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<StoreId>>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, bool>(3)?,
                ))
            })
            .optional()?;
        let (name, store_id, active, head_office) = row.ok_or_else(|| {
            Error::unauthenticated(AuthFailure::NoSession, format!("user {id} does not exist"))
        })?;
        if !active {
            return Err(Error::unauthenticated(
                AuthFailure::Deactivated,
                format!("user '{name}' is deactivated"),
            ));
        }
        let stores = load_store_roles(tx, id)?;
        let role = stores
            .iter()
            .map(|s| s.role)
            .min_by_key(|r| r.rank())
            .unwrap_or(if head_office {
                Role::HeadOffice
            } else {
                Role::Cashier
            });
        Ok(Actor {
            id,
            name,
            role,
            store_id,
            head_office,
            stores,
        })
    }

    /// The user's role in `store`, if they are assigned to it.
    pub fn role_in(&self, store: StoreId) -> Option<Role> {
        self.stores
            .iter()
            .find(|s| s.store_id == store)
            .map(|s| s.role)
    }

    /// Fails with `forbidden` unless every standing of the user grants `p`
    /// (see [`Actor::role`]). Prefer `Ctx::require`, which asks the role in
    /// the store the operation addresses.
    pub fn require(&self, p: Permission) -> Result<()> {
        let granted = if self.stores.is_empty() {
            self.head_office && p.granted_to(Role::HeadOffice)
        } else {
            self.stores.iter().all(|s| p.granted_to(s.role))
        };
        if granted {
            Ok(())
        } else {
            Err(self.forbidden(self.role, p))
        }
    }

    /// Fails with `forbidden` unless some standing of the user could allow
    /// an operation needing `p` (`writes` for a write): the early refusal
    /// before an operation runs. The store it addresses is checked when the
    /// operation resolves it ([`Actor::check_at`]).
    pub fn require_somewhere(&self, p: Permission, writes: bool) -> Result<()> {
        let in_a_store = self.stores.iter().any(|s| p.granted_to(s.role));
        let as_head_office = self.head_office
            && ((!writes && p.head_office_reads()) || p.granted_to(Role::HeadOffice));
        if in_a_store || as_head_office {
            Ok(())
        } else {
            Err(self.forbidden(self.role, p))
        }
    }

    /// Fails with `forbidden` unless the user may run an operation needing
    /// `p` (`writes` for a write) in `store` (named `store_name` in the
    /// message): their role there grants it, or they are head office and the
    /// operation only reads.
    pub fn check_at(
        &self,
        store: StoreId,
        store_name: &str,
        p: Permission,
        writes: bool,
    ) -> Result<()> {
        match self.role_in(store) {
            Some(role) if p.granted_to(role) => Ok(()),
            _ if self.head_office && !writes && p.head_office_reads() => Ok(()),
            Some(role) => Err(self.forbidden(role, p)),
            None if self.head_office => Err(self.forbidden(Role::HeadOffice, p)),
            None => Err(Error::NotInStore {
                user: self.name.clone(),
                store: store_name.to_string(),
            }),
        }
    }

    fn forbidden(&self, role: Role, p: Permission) -> Error {
        Error::Forbidden {
            user: self.name.clone(),
            role: role.as_str().into(),
            permission: p.as_str().into(),
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
        .map_err(|e| Error::internal(format!("hashing PIN: {e}")))
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
    /// The role shown for the user ([`display_role`]): the role at the home
    /// store, else the highest store role, else head office. The engine
    /// checks the role held in the store each operation addresses.
    pub role: Role,
    /// Home store.
    pub store_id: Option<StoreId>,
    /// Reads every store; writes nothing store-scoped.
    pub head_office: bool,
    /// The user's role in each store they are assigned to.
    pub stores: Vec<StoreRole>,
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
    let installation = db.installation();
    db.write(|tx| {
        // Sign-ins and lockouts are events of the user's home store's chain
        // (head office, with no store, is in the security log only).
        let in_chain = |user: &SignedInUser, kind: crate::audit::ChangeType| -> Result<()> {
            let Some(store) = user.store_id else {
                return Ok(());
            };
            let stamp = crate::audit::Stamp {
                tx,
                user_id: user.id,
                created_at: now.to_rfc3339_opts(SecondsFormat::Millis, true),
                installation,
            };
            let payload = crate::audit::Payload::about("user", user.id, &user.name);
            crate::audit::record_stamped(&stamp, store, kind, &payload).map(|_| ())
        };
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
            Err(e @ Error::Unauthenticated { reason, .. }) => {
                let outcome = if reason == AuthFailure::Deactivated {
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
            in_chain(&user, crate::audit::ChangeType::UserSignedIn)?;
            return Ok(Ok(user));
        }
        let e = match count_failed_pin(tx, user.id, failed, now)? {
            Some(until) => {
                in_chain(&user, crate::audit::ChangeType::UserLockedOut)?;
                Error::Locked {
                    user: user.name.clone(),
                    until,
                }
            }
            None => Error::unauthenticated(AuthFailure::BadCredentials, "wrong name or PIN"),
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

/// [`check_manager_pin`] for an approval in `store`: the approver must be a
/// manager or admin there (a manager of another store approves nothing
/// here). Without a store, a manager of any of their stores is accepted.
pub fn check_manager_pin_at(
    tx: &Transaction<'_>,
    name: &str,
    pin: &str,
    now: DateTime<Utc>,
    store: Option<StoreId>,
) -> std::result::Result<SignedInUser, Box<PinFailure>> {
    let user = check_manager_pin(tx, name, pin, now)?;
    let Some(store) = store else {
        return Ok(user);
    };
    let role_there = user
        .stores
        .iter()
        .find(|s| s.store_id == store)
        .map(|s| s.role);
    if role_there.is_some_and(Role::is_manager) {
        return Ok(user);
    }
    Err(Box::new(PinFailure {
        error: Error::Forbidden {
            user: user.name.clone(),
            role: role_there.unwrap_or(Role::HeadOffice).as_str().into(),
            permission: "approve in this store".into(),
        },
        outcome: "not_a_manager",
        user_id: Some(user.id),
    }))
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
        reason: format!("approval refused: {why}"),
        ask_approver: false,
        measure: None,
        amount: None,
        limit: None,
        requested_by: None,
    };
    let (user, pin_hash, failed, locked_until) = match find_for_pin(tx, name) {
        Ok(found) => found,
        Err(e) => {
            let deactivated = matches!(
                e,
                Error::Unauthenticated {
                    reason: AuthFailure::Deactivated,
                    ..
                }
            );
            let (outcome, why) = if deactivated {
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
    if !user.stores.iter().any(|s| s.role.is_manager()) {
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
            "SELECT id, name, head_office, store_id, pin_hash, failed_pin_attempts, locked_until, is_active FROM users WHERE name = ?1",
            [name.trim()],
            |r| {
                Ok((
                    r.get::<_, UserId>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, Option<StoreId>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, bool>(7)?,
                ))
            },
        )
        .optional()?;
    let Some((id, name, head_office, store_id, hash, failed, locked, active)) = row else {
        return Err(Error::unauthenticated(
            AuthFailure::BadCredentials,
            "wrong name or PIN",
        ));
    };
    if !active {
        return Err(Error::unauthenticated(
            AuthFailure::Deactivated,
            format!("user '{name}' is deactivated"),
        ));
    }
    let stores = load_store_roles(tx, id)?;
    Ok((
        SignedInUser {
            id,
            name,
            role: display_role(store_id, &stores, head_office),
            store_id,
            head_office,
            stores,
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
    let mut stmt = db.conn.prepare(
        "SELECT id, name, store_id, head_office FROM users WHERE is_active = 1 ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, UserId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<StoreId>>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    rows.map(|r| {
        let (id, name, home, head_office) = r?;
        let stores = load_store_roles(&db.conn, id)?;
        Ok(UserSummary {
            id,
            name,
            role: display_role(home, &stores, head_office),
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
    id.map(|user_id| crate::Session { user_id }).ok_or_else(|| {
        Error::unauthenticated(
            AuthFailure::BadCredentials,
            format!("no active user named '{name}'"),
        )
    })
}
