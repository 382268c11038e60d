//! The shape of every engine operation, and the one place that runs them.
//!
//! An operation is a typed request (`serde` + `ts-rs`) that names its command,
//! its required permission and whether it writes. [`Db::execute`] opens one
//! transaction (`BEGIN IMMEDIATE` for writes), loads the acting user from the
//! session, checks the permission *in the engine*, runs the operation (which
//! appends its audit events through the same transaction) and commits. Nothing
//! else in the engine opens a transaction for an operation, so there is no
//! hidden nesting and no operation can forget its audit trail's atomicity.
//!
//! A store is a boundary. The permission is checked twice: before the
//! operation runs, that some standing of the user (a role in one of their
//! stores, or head office) could allow it; then, as the operation resolves
//! each store it touches — named in the request or owning the batch, sale,
//! shift, cart, hold, adjustment or backorder it loads — that the role the
//! user holds *in that store* grants it ([`Ctx::store`],
//! [`Ctx::check_store`]). Head office passes the second check for reads
//! only. Stock never moves in a store that was not checked: the batch
//! writer checks its batch's store itself. Catalogue rows (products,
//! categories, suppliers) are file-wide and need only the first check.

use crate::auth::{Actor, Permission, Role};
use crate::catalogue::stores::StoreInfo;
use crate::ids::{InstallationId, StoreId, UserId};
use crate::{Db, Error, Result};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{OptionalExtension, Transaction};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::{Cell, RefCell};

/// Who is acting: the signed-in user (desktop) or `--user` (CLI). Never a
/// field of a request, so the UI cannot forge it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Session {
    /// The acting user.
    pub user_id: UserId,
}

/// One engine operation.
pub trait Operation: DeserializeOwned {
    /// The command name (snake_case), as used by the CLI and the UI.
    const NAME: &'static str;
    /// One line for `pharmapos commands` and the reference.
    const SUMMARY: &'static str;
    /// The permission the acting user needs.
    const PERMISSION: Permission;
    /// Whether the operation changes the database.
    const WRITES: bool;
    /// Seed 003 writes this operation with the acting user as an argument
    /// (`adjust_stock(batch_id, quantity_change, reason, user_id, notes)`).
    /// The acting user is always the session, never a field a caller could
    /// forge; for these operations a JSON request may still carry `user_id`,
    /// so the seed's calls work as written, and [`parse_request_for`] accepts
    /// it only when it names the session's user.
    const NAMES_ACTING_USER: bool = false;
    /// For a write whose loss in a power cut costs only doing it again (a
    /// cart's lines): a copy of the request. [`Db::execute`] then commits
    /// it without waiting for the disk ([`Db::write_deferred`]); should it
    /// write to the store's record after all (a resumed cart giving its
    /// holds back), that attempt is rolled back and the copy runs durably.
    fn deferred_copy(&self) -> Option<Self>
    where
        Self: Sized,
    {
        None
    }
    /// The response.
    type Output: Serialize;
    /// Runs inside the transaction opened by [`Db::execute`].
    fn run(self, ctx: &Ctx<'_>) -> Result<Self::Output>;
}

/// Everything an operation may use: the transaction, the checked actor and
/// the instant the operation happens at (one instant for all its events).
pub struct Ctx<'a> {
    /// The operation's transaction.
    pub tx: &'a Transaction<'a>,
    /// The acting user, already loaded and checked active.
    pub actor: Actor,
    /// "Now", from the injected clock.
    pub now: DateTime<Utc>,
    /// This file's installation, named by every event written.
    pub installation: InstallationId,
    /// Failed PIN approvals seen by the operation: written to the security
    /// log after the transaction, so they survive its rollback.
    pub(crate) incidents: &'a RefCell<Vec<crate::security::Incident>>,
    /// The operation's permission and whether it writes: what a store the
    /// operation addresses must allow the actor.
    permission: Permission,
    writes: bool,
    /// The store the operation was last checked against ([`Ctx::require`]
    /// asks the role held there).
    at: Cell<Option<StoreId>>,
    /// The store whose stock freeze date this operation's "today" already
    /// passed ([`Ctx::check_not_frozen`]): one lookup per operation, not per
    /// line of a sale.
    unfrozen: Cell<Option<StoreId>>,
}

impl<'a> Ctx<'a> {
    /// The context of what head office does to a store through sync (its
    /// catalogue applied): no signed-in user; the actor is
    /// [`crate::auth::HEAD_OFFICE_USER`], managing the catalogue of `store`
    /// only, and its events go to `store`'s record.
    pub(crate) fn head_office(
        tx: &'a Transaction<'a>,
        now: DateTime<Utc>,
        installation: InstallationId,
        incidents: &'a RefCell<Vec<crate::security::Incident>>,
        store: StoreId,
    ) -> Ctx<'a> {
        Ctx {
            tx,
            actor: Actor {
                id: crate::auth::HEAD_OFFICE_USER,
                name: "Head office".into(),
                role: Role::Admin,
                store_id: Some(store),
                head_office: false,
                stores: vec![crate::auth::StoreRole {
                    store_id: store,
                    role: Role::Admin,
                }],
            },
            now,
            installation,
            incidents,
            permission: Permission::ManageCatalogue,
            writes: true,
            at: Cell::new(None),
            unfrozen: Cell::new(None),
        }
    }

    /// Whether head office itself acts (its catalogue applied by sync).
    pub(crate) fn is_head_office(&self) -> bool {
        self.actor.id == crate::auth::HEAD_OFFICE_USER
    }
}

impl Ctx<'_> {
    /// `now` as stored (RFC 3339, UTC, milliseconds).
    pub fn now_str(&self) -> String {
        self.now.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Loads the store an operation acts on (the one named, else the actor's
    /// home store, else the only store the actor is assigned to, else the
    /// only store in the file) and checks the actor may run this operation
    /// there ([`Ctx::check_store`]).
    pub fn store(&self, id: Option<StoreId>) -> Result<StoreInfo> {
        let id = match id.or(self.actor.store_id) {
            Some(id) => id,
            None => match self.actor.stores.as_slice() {
                [only] => only.store_id,
                _ => crate::catalogue::stores::only_store(self.tx)?,
            },
        };
        self.check_store(id)?;
        StoreInfo::load(self.tx, id)
    }

    /// Fails unless the actor may run this operation in `store`: assigned
    /// there with a role that grants the operation's permission, or head
    /// office and the operation only reads (`not_found` for no such store,
    /// `forbidden` otherwise). Every operation calls it (or [`Ctx::store`])
    /// with the store of each store-owned record it loads — batch, sale,
    /// shift, cart, reservation, backorder, adjustment, receipt — before it
    /// changes anything.
    pub fn check_store(&self, store: StoreId) -> Result<()> {
        // The operation's permission and kind are fixed, so a store that
        // passed once passes again (a sale moves many batches of one store).
        if self.at.get() == Some(store) {
            return Ok(());
        }
        // An assignment names an existing store (foreign key), so a role
        // there that grants the permission needs no lookup: the till's path.
        if self
            .actor
            .role_in(store)
            .is_some_and(|r| self.permission.granted_to(r))
        {
            self.at.set(Some(store));
            return Ok(());
        }
        let name: Option<String> = self
            .tx
            .prepare_cached("SELECT name FROM stores WHERE id = ?1")?
            .query_row([store], |r| r.get(0))
            .optional()?;
        let name = name.ok_or_else(|| Error::not_found("store", store))?;
        self.actor
            .check_at(store, &name, self.permission, self.writes)?;
        self.at.set(Some(store));
        Ok(())
    }

    /// Fails unless the actor may run this operation in every store of the
    /// file: for what reads or changes the whole file at once (verifying the
    /// ledger, an audit trail that names no store).
    pub fn check_every_store(&self) -> Result<()> {
        // The stores this file owns: another installation's store (the
        // directory) holds nothing here to read or change.
        let mut stmt = self.tx.prepare_cached(
            "SELECT id, name FROM stores WHERE installation_id IS (SELECT id FROM installation)",
        )?;
        let stores = stmt
            .query_map([], |r| {
                Ok((r.get::<_, StoreId>(0)?, r.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (id, name) in stores {
            self.actor
                .check_at(id, &name, self.permission, self.writes)?;
        }
        Ok(())
    }

    /// Whether the actor may run this operation in `store` (for listings
    /// that show only what the actor may see).
    pub fn may_at(&self, store: StoreId) -> bool {
        self.actor
            .check_at(store, "", self.permission, self.writes)
            .is_ok()
    }

    /// The stores of the file where the actor may run this operation, as a
    /// JSON array for `json_each` (listings that span stores show only
    /// those).
    pub fn stores_json(&self) -> Result<String> {
        let mut stmt = self.tx.prepare_cached("SELECT id FROM stores")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, StoreId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let ids: Vec<String> = ids
            .into_iter()
            .filter(|id| self.may_at(*id))
            .map(|id| id.to_string())
            .collect();
        serde_json::to_string(&ids).map_err(|e| Error::internal(format!("encoding store ids: {e}")))
    }

    /// The actor's role in `store` (head office when they are not assigned
    /// there but are head office), or `None`.
    pub fn role_in(&self, store: StoreId) -> Option<Role> {
        self.actor
            .role_in(store)
            .or(self.actor.head_office.then_some(Role::HeadOffice))
    }

    /// True when the actor is a manager or admin in `store` (approves
    /// others' changes there).
    pub fn is_manager_at(&self, store: StoreId) -> bool {
        self.actor.role_in(store).is_some_and(Role::is_manager)
    }

    /// The store's local calendar date now (its IANA time zone).
    pub fn today(&self, store: &StoreInfo) -> NaiveDate {
        self.now.with_timezone(&store.tz).date_naive()
    }

    /// Fails with `stock_frozen` when `date` is before the store's stock
    /// freeze date (`set_stock_freeze_date`): the books are closed up to it.
    pub fn check_date_not_frozen(&self, store: &StoreInfo, date: NaiveDate) -> Result<()> {
        match store.stock_freeze_date {
            Some(freeze) if date < freeze => Err(Error::StockFrozen {
                store_id: store.id,
                freeze_date: freeze.to_string(),
                date: date.to_string(),
            }),
            _ => Ok(()),
        }
    }

    /// Fails with `stock_frozen` when the store's local today is before its
    /// stock freeze date: every stock movement passes here (the stock
    /// writer), so nothing moves dated inside the closed period, whatever
    /// the clock says.
    pub(crate) fn check_not_frozen(&self, store: StoreId) -> Result<()> {
        if self.unfrozen.get() == Some(store) {
            return Ok(());
        }
        let (freeze, tz): (Option<String>, String) = self
            .tx
            .prepare_cached("SELECT stock_freeze_date, timezone FROM stores WHERE id = ?1")?
            .query_row([store], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or_else(|| Error::not_found("store", store))?;
        if let Some(freeze) = freeze {
            let tz = tz
                .parse::<chrono_tz::Tz>()
                .map_err(|_| Error::corrupt("store", store, "timezone", tz))?;
            let today = self.now.with_timezone(&tz).date_naive();
            // Dates are stored `YYYY-MM-DD`, so text order is date order.
            if today.to_string() < freeze {
                return Err(Error::StockFrozen {
                    store_id: store,
                    freeze_date: freeze,
                    date: today.to_string(),
                });
            }
        }
        self.unfrozen.set(Some(store));
        Ok(())
    }

    /// Fails unless the actor holds `p` in the store the operation was
    /// checked against ([`Ctx::store`] / [`Ctx::check_store`]), or, before
    /// any store is resolved, in every store they are assigned to.
    pub fn require(&self, p: Permission) -> Result<()> {
        match self.at.get() {
            Some(store) => self.actor.check_at(store, "", p, self.writes),
            None => self.actor.require(p),
        }
    }
}

impl Db {
    /// Runs one operation for the session's user, in one transaction.
    pub fn execute<O: Operation>(&mut self, session: &Session, op: O) -> Result<O::Output> {
        if let Some(again) = op.deferred_copy() {
            match self.run_op::<O, _>(session, Commit::Deferred, |ctx| op.run(ctx)) {
                Err(e) if crate::db::is_deferred_refusal(&e) => {
                    return self.execute_as::<O, _>(session, |ctx| again.run(ctx));
                }
                other => return other,
            }
        }
        self.execute_as::<O, _>(session, |ctx| op.run(ctx))
    }

    /// Runs `f` exactly as [`Db::execute`] runs operation `O` — one
    /// transaction, the acting user loaded and checked for `O`'s permission,
    /// the security log kept — for an entry point that needs more than the
    /// request, such as a progress sink
    /// ([`crate::onboarding::run_import_with_progress`]). `f` must do what
    /// `O::run` does.
    pub(crate) fn execute_as<O: Operation, T>(
        &mut self,
        session: &Session,
        f: impl FnOnce(&Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let commit = if O::WRITES {
            Commit::Durable
        } else {
            Commit::Read
        };
        self.run_op::<O, T>(session, commit, f)
    }

    /// Runs `f` as [`Db::execute_as`] does, checked for `O`'s permission,
    /// but in a read transaction: the first step of an operation split in
    /// two ([`crate::alerts::sweep::SweepPlan`]).
    pub(crate) fn read_as<O: Operation, T>(
        &mut self,
        session: &Session,
        f: impl FnOnce(&Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        self.run_op::<O, T>(session, Commit::Read, f)
    }

    fn run_op<O: Operation, T>(
        &mut self,
        session: &Session,
        commit: Commit,
        f: impl FnOnce(&Ctx<'_>) -> Result<T>,
    ) -> Result<T> {
        let now = self.now();
        let installation = self.installation();
        let incidents = RefCell::new(Vec::new());
        let run = |tx: &Transaction<'_>| {
            let actor = Actor::load(tx, session.user_id)?;
            actor.require_somewhere(O::PERMISSION, O::WRITES)?;
            let ctx = Ctx {
                tx,
                actor,
                now,
                installation,
                incidents: &incidents,
                permission: O::PERMISSION,
                writes: O::WRITES,
                at: Cell::new(None),
                unfrozen: Cell::new(None),
            };
            f(&ctx)
        };
        let out = match commit {
            Commit::Deferred => self.write_deferred(run),
            Commit::Durable => self.write(run),
            Commit::Read => self.read(run),
        };
        self.last_deferred = matches!(commit, Commit::Deferred) && out.is_ok();
        let incidents = incidents.take();
        if matches!(&out, Err(e) if crate::db::is_deferred_refusal(e)) {
            // Rolled back, to be run again durably: its incidents come again.
            return out;
        }
        if !incidents.is_empty() {
            let logged =
                self.write(|tx| crate::security::persist(tx, now, installation, &incidents));
            if let (Err(e), true) = (logged, out.is_ok()) {
                return Err(e);
            }
        }
        out
    }
}

/// How an operation's transaction ends.
#[derive(Clone, Copy)]
enum Commit {
    /// A read: nothing to commit.
    Read,
    /// Committed and on the disk before the answer ([`Db::write`]).
    Durable,
    /// Committed without waiting for the disk ([`Db::write_deferred`]).
    Deferred,
}

/// Parses a JSON request sent by `session`'s user: [`parse_request`], after
/// taking out the `user_id` of an operation seed 003 writes with one
/// ([`Operation::NAMES_ACTING_USER`]) — `invalid_input` unless it is the
/// session's user.
pub fn parse_request_for<O: Operation>(
    mut input: serde_json::Value,
    session: &Session,
) -> Result<O> {
    if O::NAMES_ACTING_USER {
        if let Some(claimed) = input.as_object_mut().and_then(|o| o.remove("user_id")) {
            let acting = session.user_id.to_string();
            if claimed.as_str() != Some(acting.as_str()) {
                return Err(Error::invalid(
                    "user_id",
                    format!(
                        "user_id must be the acting user's id ({acting}): {} runs as whoever is signed in (the CLI's --user)",
                        O::NAME
                    ),
                ));
            }
        }
    }
    parse_request(input)
}

/// Parses a JSON request into an operation, turning serde's message into an
/// `invalid_input` error that names the command and, where serde can tell,
/// the field (`payments[0].amount`), so a form can point at it.
pub fn parse_request<O: Operation>(input: serde_json::Value) -> Result<O> {
    let input = if input.is_null() {
        serde_json::Value::Object(Default::default())
    } else {
        input
    };
    serde_path_to_error::deserialize(input).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        // A missing field is reported at the object that lacks it.
        let missing = inner
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(|name| match path.as_str() {
                "." => name.to_string(),
                parent => format!("{parent}.{name}"),
            });
        let field = missing.or_else(|| (path != ".").then_some(path));
        Error::InvalidInput {
            message: match &field {
                Some(f) if !inner.contains(&format!("`{f}`")) => {
                    format!("invalid request for {}: {f}: {inner}", O::NAME)
                }
                _ => format!("invalid request for {}: {inner}", O::NAME),
            },
            field,
        }
    })
}
