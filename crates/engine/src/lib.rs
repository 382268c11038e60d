//! # pharmapos-engine
//!
//! The PharmaPOS inventory engine: every domain rule of the pharmacy and the
//! medical spa, over one local SQLite file. It is a plain synchronous library:
//! no Tauri, no tokio, no HTTP, so the desktop shell, the CLI, the server's
//! tools and the tests all use the very same code.
//!
//! Contract:
//! - every operation is a typed request implementing [`op::Operation`], run by
//!   [`Db::execute`] in exactly one SQLite transaction (`BEGIN IMMEDIATE` when
//!   it writes) together with its audit events;
//! - permissions are checked here for the acting [`Session`] user, and a
//!   manager's approval at the point of action goes through one core
//!   service ([`approval`]) that logs refusals ([`security`]);
//! - quantities and money are exact ([`num::Qty`], [`num::Money`]);
//! - stock never goes negative (checked by the operation and by a `CHECK`);
//! - every change — stock, catalogue, people, settings, shifts, sale
//!   documents, approvals, sign-ins, backups — is an event of the store's
//!   append-only, hash-chained record ([`audit`]) with a kind, a category
//!   and a canonical before → after payload, naming the installation (this
//!   file) that wrote it; [`audit::verify`] re-hashes it, re-derives on-hand
//!   from it and checks heads printed on Z reports;
//! - a store is a boundary: users are assigned to stores with a role in
//!   each, every store-addressed operation refuses others (`forbidden`), and
//!   only the installation that owns a store writes its record
//!   (`store_not_owned`);
//! - failures are named kinds with data ([`Error`], [`ErrorKind`]), never
//!   free text a caller must parse.

#![forbid(unsafe_code)]

pub mod alerts;
pub mod approval;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod catalogue;
pub mod clinic;
pub mod clock;
pub mod coldchain;
pub mod control;
mod csv_out;
mod db;
pub mod demo;
mod error;
pub mod gs1;
pub mod ids;
pub mod num;
pub mod onboarding;
pub mod op;
pub mod page;
pub mod purchasing;
pub mod reports;
pub mod sales;
pub mod security;
pub mod setup;
pub mod stock;
pub mod sync;

pub use db::{program_schema_version, Db, OpenOptions, SyncMode, WalCheckpoint};
pub use error::{AuthFailure, CsvProblem, Error, ErrorKind, KindDoc, Result, StorageProblem};
pub use op::{Ctx, Operation, Session};

/// Catch-all for request fields that do not exist, used where a request
/// flattens a group of fields (serde's `deny_unknown_fields` cannot be
/// combined with `flatten`).
pub type UnknownFields = std::collections::BTreeMap<String, serde_json::Value>;

/// Refuses a request that named fields that do not exist.
pub(crate) fn refuse_unknown(unknown: &UnknownFields) -> Result<()> {
    match unknown.keys().next() {
        None => Ok(()),
        Some(k) => Err(Error::invalid(k, format!("unknown field '{k}'"))),
    }
}
