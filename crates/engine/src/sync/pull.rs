//! Pull: what other stores sent a store through the central server, staged
//! and applied here (issue 13).
//!
//! The sync client (`pharmapos-sync`) runs no operation and has no acting
//! user; it calls these, each one short transaction of its own:
//! - [`pull_start`]: where the store's pull stands (the server's cursor);
//! - [`update_directory`]: head office's directory of stores, so that a
//!   transfer can be addressed to a store of another file (such a store is
//!   a `stores` row with no installation of this file: read, never written);
//! - [`stage_catalogue`]: a page of head office's catalogue (products and
//!   prices, and vendors, each at its newest version) lands in `sync_inbox` together with
//!   the catalogue cursor;
//! - [`stage`]: a page of changes lands in `sync_inbox` **together with the
//!   cursor** (migration V23), so a crash before or after loses and doubles
//!   nothing;
//! - [`apply_staged`]: each staged change is applied in a transaction of its
//!   own that also marks it applied. A change that cannot be applied (a
//!   product this file does not have yet) stays `failed` with its typed
//!   reason, is tried again on every run, and does not hold up the rest.
//!
//! The directory and the staging are bookkeeping of the client, not events:
//! the directory is head office's data and an inbox row is another store's
//! event. What applying changes in this store's data is an event of its
//! record (`transfer_incoming`, `transfer_synced`).

use super::{now_str, owned_link, SyncInboxFailure};
use crate::ids::{InstallationId, StoreId};
use crate::op::Ctx;
use crate::{Db, Error, Result};
use pharmapos_protocol::{
    addressed_to, CatalogueEntry, CatalogueItem, CatalogueProduct, CatalogueVendor, DirectoryEntry,
    PulledChange, RecordEvent,
};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use std::cell::RefCell;

/// Where a store's pull starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullStart {
    /// The server to pull from.
    pub server_url: String,
    /// This file's installation (sent with every request).
    pub installation_id: InstallationId,
    /// The server's cursor of the last change taken.
    pub cursor: String,
    /// The server's cursor of the last catalogue product taken.
    pub catalogue_cursor: String,
    /// The server's cursor of the last store of the directory taken.
    pub directory_cursor: String,
}

/// The link and the pull cursor of `store` (`not_found` when never
/// configured, `store_not_owned` when another installation owns it).
pub fn pull_start(db: &mut Db, store: StoreId) -> Result<PullStart> {
    let installation = db.installation();
    db.read(|tx| {
        owned_link(tx, store, installation)?;
        let (server_url, cursor, catalogue_cursor, directory_cursor) = tx.query_row(
            "SELECT server_url, pull_cursor, catalogue_cursor, directory_cursor FROM sync_links WHERE store_id = ?1",
            [store],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
        Ok(PullStart {
            server_url,
            installation_id: installation,
            cursor,
            catalogue_cursor,
            directory_cursor,
        })
    })
}

/// What [`update_directory`] changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DirectoryReport {
    /// Stores of other files new here.
    pub added: usize,
    /// Stores of other files whose code, name, zone or currency changed.
    pub updated: usize,
}

/// Takes a page of head office's directory (pulled by `store`, whose
/// directory cursor moves to `next_cursor` in the same transaction): every
/// store not in this file is added
/// (owned by no installation of this file, so it is never written), every
/// one added before is kept up to date, and this file's own stores are left
/// as they are (this file is their writer). A code already used here by
/// another store gets the store's id's first digits after it. Refused
/// whole, changing nothing, when an entry is malformed.
pub fn update_directory(
    db: &mut Db,
    store: StoreId,
    entries: &[DirectoryEntry],
    next_cursor: &str,
) -> Result<DirectoryReport> {
    let installation = db.installation();
    let now = now_str(db);
    db.write(|tx| {
        owned_link(tx, store, installation)?;
        tx.execute(
            "UPDATE sync_links SET directory_cursor = ?2 WHERE store_id = ?1",
            params![store, next_cursor],
        )?;
        let mut report = DirectoryReport::default();
        for e in entries {
            let id: StoreId = e.id.parse().map_err(|_| {
                Error::invalid("directory.id", format!("'{}' is not a store id", e.id))
            })?;
            let name = e.name.trim();
            if name.is_empty() || e.code.trim().is_empty() {
                return Err(Error::invalid(
                    "directory",
                    format!("store {id} has no name or code"),
                ));
            }
            let timezone = crate::catalogue::stores::parse_timezone(&e.timezone)?;
            let currency = crate::catalogue::stores::parse_currency(&e.currency)?;
            let here: Option<Option<String>> = tx
                .query_row(
                    "SELECT installation_id FROM stores WHERE id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            let code = free_code(tx, id, e.code.trim())?;
            match here {
                Some(Some(_)) => {} // a store of a file: never rewritten from outside
                Some(None) => {
                    report.updated += tx.execute(
                        "UPDATE stores SET code = ?2, name = ?3, timezone = ?4, currency = ?5, updated_at = ?6
                          WHERE id = ?1 AND (code, name, timezone, currency) IS NOT (?2, ?3, ?4, ?5)",
                        params![id, code, name, timezone, currency, now],
                    )?;
                }
                None => {
                    tx.execute(
                        "INSERT INTO stores (id, code, name, timezone, currency, created_at, updated_at, installation_id)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, NULL)",
                        params![id, code, name, timezone, currency, now],
                    )?;
                    report.added += 1;
                }
            }
        }
        Ok(report)
    })
}

/// `code`, or `code~<first digits of the id>` when another store here has it.
fn free_code(tx: &Transaction<'_>, id: StoreId, code: &str) -> Result<String> {
    let code = code.to_ascii_uppercase();
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM stores WHERE code = ?1 AND id <> ?2)",
        params![code, id],
        |r| r.get(0),
    )?;
    if !taken {
        return Ok(code);
    }
    let digits: String = id
        .to_string()
        .chars()
        .filter(|c| *c != '-')
        .take(6)
        .collect();
    Ok(format!("{code}~{digits}"))
}

/// Stages a page of pulled changes for `store` and moves its cursor to
/// `next_cursor`, in one transaction. A change already staged (a page
/// fetched again after a lost answer) is kept once. Refused whole when a
/// change is not addressed to `store`. Returns how many were new.
pub fn stage(
    db: &mut Db,
    store: StoreId,
    changes: &[PulledChange],
    next_cursor: &str,
) -> Result<usize> {
    let installation = db.installation();
    let now = now_str(db);
    let store_text = store.to_string();
    for c in changes {
        let to = addressed_to(&c.event).map_err(|reason| Error::invalid("event", reason))?;
        if to.as_deref() != Some(store_text.as_str()) {
            return Err(Error::invalid(
                "event",
                format!(
                    "the server sent event {} of store {} ({}), which is not addressed to this store",
                    c.event.seq, c.event.store_id, c.event.change_type
                ),
            ));
        }
    }
    db.write(|tx| {
        owned_link(tx, store, installation)?;
        let mut new = 0;
        for c in changes {
            let text = serde_json::to_string(&c.event)
                .map_err(|e| Error::internal(format!("encoding a pulled event: {e}")))?;
            new += insert_staged(
                tx,
                store,
                &c.cursor,
                &c.event.id,
                &c.event.store_id,
                &c.event.change_type,
                &text,
                &now,
            )?;
        }
        tx.execute(
            "UPDATE sync_links SET pull_cursor = ?2, last_pull_at = ?3 WHERE store_id = ?1",
            params![store, next_cursor, now],
        )?;
        Ok(new)
    })
}

/// The sender of head office's catalogue in `sync_inbox`.
pub const HEAD_OFFICE: &str = "head-office";
/// The inbox kind of a catalogue product.
pub const CATALOGUE_PRODUCT: &str = "catalogue_product";
/// The inbox kind of a catalogue vendor.
pub const CATALOGUE_VENDOR: &str = "catalogue_vendor";

/// Stages a page of head office's catalogue (products and vendors) for
/// `store` and moves its catalogue cursor, in one transaction (as
/// [`stage`]); each version is staged once. Returns how many were new.
pub fn stage_catalogue(
    db: &mut Db,
    store: StoreId,
    entries: &[CatalogueEntry],
    next_cursor: &str,
) -> Result<usize> {
    let installation = db.installation();
    let now = now_str(db);
    db.write(|tx| {
        owned_link(tx, store, installation)?;
        let mut new = 0;
        for e in entries {
            let (kind, text) = match &e.item {
                CatalogueItem::Product(p) => (CATALOGUE_PRODUCT, serde_json::to_string(p)),
                CatalogueItem::Vendor(v) => (CATALOGUE_VENDOR, serde_json::to_string(v)),
            };
            let text =
                text.map_err(|err| Error::internal(format!("encoding a catalogue entry: {err}")))?;
            new += insert_staged(
                tx,
                store,
                &e.cursor,
                &e.item.key(),
                HEAD_OFFICE,
                kind,
                &text,
                &now,
            )?;
        }
        tx.execute(
            "UPDATE sync_links SET catalogue_cursor = ?2, last_pull_at = ?3 WHERE store_id = ?1",
            params![store, next_cursor, now],
        )?;
        Ok(new)
    })
}

/// Stages one change after the store's last (kept once per event id).
#[allow(clippy::too_many_arguments)]
fn insert_staged(
    tx: &Transaction<'_>,
    store: StoreId,
    cursor: &str,
    event_id: &str,
    from: &str,
    kind: &str,
    text: &str,
    now: &str,
) -> Result<usize> {
    Ok(tx.execute(
        "INSERT INTO sync_inbox (store_id, cursor, position, event_id, from_store_id, change_type, event, received_at)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(position), 0) + 1 FROM sync_inbox WHERE store_id = ?1), ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (store_id, event_id) DO NOTHING",
        params![store, cursor, event_id, from, kind, text, now],
    )?)
}

/// Notes that a pull of `store` ended well now (Settings → Sync, head
/// office's view), whether or not anything was addressed to it.
pub fn note_pulled(db: &mut Db, store: StoreId) -> Result<()> {
    let now = now_str(db);
    db.write(|tx| {
        tx.execute(
            "UPDATE sync_links SET last_pull_at = ?2 WHERE store_id = ?1",
            params![store, now],
        )?;
        Ok(())
    })
}

/// What [`apply_staged`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Changes applied this run.
    pub applied: usize,
    /// Changes that could not be applied this run (kept, with their reason).
    pub failed: usize,
    /// Their reasons.
    pub failures: Vec<SyncInboxFailure>,
}

/// Applies every staged change of `store` not applied yet — head office's
/// products first, then the other stores' steps, each group oldest first —
/// each in a transaction of its own that also marks it applied. A change
/// refused by the store's rules is marked failed with its kind and words
/// (its attempts counted) and the next one is tried; a failure of the file
/// itself (storage) stops the run and is returned.
pub fn apply_staged(db: &mut Db, store: StoreId) -> Result<ApplyReport> {
    let installation = db.installation();
    let waiting: Vec<(i64, String, String)> = db.read(|tx| {
        owned_link(tx, store, installation)?;
        let mut stmt = tx.prepare(
            // Head office's catalogue first: a shipment staged before its
            // product arrived then finds it.
            "SELECT position, change_type, event FROM sync_inbox WHERE store_id = ?1 AND status <> 'applied'
              ORDER BY change_type NOT IN ('catalogue_product', 'catalogue_vendor'), position",
        )?;
        let rows = stmt.query_map([store], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut report = ApplyReport::default();
    for (position, kind, text) in waiting {
        let at = db.now();
        let now = now_str(db);
        let outcome = db.write(|tx| {
            let unreadable =
                |e: serde_json::Error| Error::invalid("event", format!("a staged change cannot be read: {e}"));
            let incidents = RefCell::new(Vec::new());
            let did = if kind == CATALOGUE_PRODUCT {
                let product: CatalogueProduct = serde_json::from_str(&text).map_err(unreadable)?;
                let ctx = Ctx::head_office(tx, at, installation, &incidents, store);
                crate::catalogue::products::apply_catalogue(&ctx, &product)?
            } else if kind == CATALOGUE_VENDOR {
                let vendor: CatalogueVendor = serde_json::from_str(&text).map_err(unreadable)?;
                let ctx = Ctx::head_office(tx, at, installation, &incidents, store);
                crate::catalogue::suppliers::apply_catalogue(&ctx, &vendor)?
            } else {
                let event: RecordEvent = serde_json::from_str(&text).map_err(unreadable)?;
                crate::control::transfers::apply_remote(tx, installation, &now, store, &event)?
            };
            tx.execute(
                "UPDATE sync_inbox SET status = 'applied', attempts = attempts + 1, error_kind = NULL,
                        error_message = NULL, last_attempt_at = ?3, applied_at = ?3, outcome = ?4
                  WHERE store_id = ?1 AND position = ?2",
                params![store, position, now, did],
            )?;
            Ok(())
        });
        match outcome {
            Ok(()) => report.applied += 1,
            Err(e) if matches!(e.kind(), "storage" | "internal") => return Err(e),
            Err(e) => {
                let (kind, message) = (e.kind().to_string(), e.to_string());
                db.write(|tx| {
                    tx.execute(
                        "UPDATE sync_inbox SET status = 'failed', attempts = attempts + 1, error_kind = ?3,
                                error_message = ?4, last_attempt_at = ?5
                          WHERE store_id = ?1 AND position = ?2",
                        params![store, position, kind, message, now],
                    )?;
                    Ok(())
                })?;
                report.failed += 1;
            }
        }
    }
    report.failures = db.read(|tx| super::inbox_failures(tx, store))?;
    Ok(report)
}
