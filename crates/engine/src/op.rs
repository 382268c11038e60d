//! The shape of every engine operation, and the one place that runs them.
//!
//! An operation is a typed request (`serde` + `ts-rs`) that names its command,
//! its required permission and whether it writes. [`Db::execute`] opens one
//! transaction (`BEGIN IMMEDIATE` for writes), loads the acting user from the
//! session, checks the permission *in the engine*, runs the operation (which
//! appends its audit events through the same transaction) and commits. Nothing
//! else in the engine opens a transaction for an operation, so there is no
//! hidden nesting and no operation can forget its audit trail's atomicity.

use crate::auth::{Actor, Permission};
use crate::catalogue::stores::StoreInfo;
use crate::ids::{StoreId, UserId};
use crate::{Db, Error, Result};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::Transaction;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;

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
    /// Failed PIN approvals seen by the operation: written to the security
    /// log after the transaction, so they survive its rollback.
    pub(crate) incidents: &'a RefCell<Vec<crate::security::Incident>>,
}

impl Ctx<'_> {
    /// `now` as stored (RFC 3339, UTC, milliseconds).
    pub fn now_str(&self) -> String {
        self.now.to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    /// Loads the store an operation acts on: the one named, else the actor's
    /// home store, else the only store in the file.
    pub fn store(&self, id: Option<StoreId>) -> Result<StoreInfo> {
        let id = match id.or(self.actor.store_id) {
            Some(id) => id,
            None => crate::catalogue::stores::only_store(self.tx)?,
        };
        StoreInfo::load(self.tx, id)
    }

    /// The store's local calendar date now (its IANA time zone).
    pub fn today(&self, store: &StoreInfo) -> NaiveDate {
        self.now.with_timezone(&store.tz).date_naive()
    }

    /// Fails unless the actor's role grants `p`.
    pub fn require(&self, p: Permission) -> Result<()> {
        self.actor.require(p)
    }
}

impl Db {
    /// Runs one operation for the session's user, in one transaction.
    pub fn execute<O: Operation>(&mut self, session: &Session, op: O) -> Result<O::Output> {
        let now = self.now();
        let incidents = RefCell::new(Vec::new());
        let run = |tx: &Transaction<'_>| {
            let actor = Actor::load(tx, session.user_id)?;
            actor.require(O::PERMISSION)?;
            let ctx = Ctx {
                tx,
                actor,
                now,
                incidents: &incidents,
            };
            op.run(&ctx)
        };
        let out = if O::WRITES {
            self.write(run)
        } else {
            self.read(run)
        };
        let incidents = incidents.take();
        if !incidents.is_empty() {
            let logged = self.write(|tx| crate::security::persist(tx, now, &incidents));
            if let (Err(e), true) = (logged, out.is_ok()) {
                return Err(e);
            }
        }
        out
    }
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
