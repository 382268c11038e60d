//! A store's link to the central server: where its record is pushed and how
//! far the server has acknowledged it (issue 13).
//!
//! Two operations, for people: [`ConfigureSync`] (a store's admin names the
//! server; a `sync_configured` event) and [`GetSyncStatus`] (how far behind
//! the server is, the last success and the last error). The rest is for the
//! sync client (`pharmapos-sync`), which runs no operation and has no acting
//! user: [`push_start`] reads where a push starts, [`events_after`] reads a
//! batch of the record in a read transaction that ends before anything is
//! sent, and [`note_attempt`], [`note_ack`] and [`note_error`] write the
//! outcome in one short write transaction each.
//!
//! Acknowledgements and errors are bookkeeping of the client, kept on the
//! `sync_links` row (migration V17), not events of the store's record:
//! writing an event per acknowledgement would itself need pushing, so the
//! record would never be fully pushed. The backlog (local head − acknowledged)
//! is computed on reading, never stored.

use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::ids::{InstallationId, StoreId};
use crate::op::{Ctx, Operation};
use crate::{Db, Error, Result};
use chrono::SecondsFormat;
use pharmapos_protocol::{RecordEvent, GENESIS_HASH};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod pull;
pub use pull::{
    apply_staged, note_pulled, pull_start, stage, stage_catalogue, update_directory, ApplyReport,
    DirectoryReport, PullStart, CATALOGUE_PRODUCT, CATALOGUE_VENDOR, HEAD_OFFICE,
};

/// Longest server URL accepted.
const MAX_URL_LEN: usize = 500;

/// Sets the central server a store pushes its record to (its sync link).
///
/// - `server_url`: `http://` or `https://` with a host (and optionally a port and a
///   path), e.g. `https://sync.example.com`; anything else is `invalid_input`. A trailing
///   `/` is dropped. Credentials never go in the URL: the store's secret is given to the
///   client apart (the desktop app's keyring, the CLI's `PHARMAPOS_SYNC_SECRET`).
/// - For the store's admins (`manage_stores`), and only for a store this file owns
///   (`store_not_owned`: a store synced from another installation is not pushed from here).
/// - Naming another server starts its acknowledged position again from 0 (the next push
///   asks the new server where it stands); the same URL again changes nothing (no
///   event) and answers the status, so an admin can register the store's secret again.
/// - Recorded as a `sync_configured` event (the URL before → after).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ConfigureSync {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// The central server's base URL.
    pub server_url: String,
}

/// Where a store's record goes and how far it got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncStatus {
    /// The store.
    pub store_id: StoreId,
    /// Whether a server is configured (`configure_sync`).
    pub configured: bool,
    /// The central server's base URL.
    pub server_url: Option<String>,
    /// The last event of the record the server has acknowledged (0: none).
    #[ts(type = "number")]
    pub acknowledged_seq: i64,
    /// The newest event of the store's record here.
    #[ts(type = "number")]
    pub local_head_seq: i64,
    /// Events not yet acknowledged: `local_head_seq − acknowledged_seq`.
    #[ts(type = "number")]
    pub backlog: i64,
    /// When the client last tried to push.
    pub last_attempt_at: Option<String>,
    /// When the server last acknowledged a push.
    pub last_success_at: Option<String>,
    /// Why the last attempt failed (cleared by the next success).
    pub last_error: Option<SyncErrorNote>,
    /// When changes addressed to the store (transfers, receipts) were last pulled.
    pub last_pull_at: Option<String>,
    /// Pulled changes not applied yet (waiting, or failed and to be tried again).
    #[ts(type = "number")]
    pub inbox_waiting: i64,
    /// The pulled changes that could not be applied, with why (the oldest 20).
    pub inbox_failures: Vec<SyncInboxFailure>,
}

/// A pulled change that could not be applied: kept, tried again on every sync.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncInboxFailure {
    /// The other store's event.
    pub event_id: String,
    /// The store that sent it.
    pub from_store_id: String,
    /// Its name, when this file knows the store.
    pub from_store_name: Option<String>,
    /// The step (`transfer_shipped`, `transfer_received`, …).
    pub change_type: String,
    /// The transfer it concerns, as the sender labels it.
    pub subject: Option<String>,
    /// Why it could not be applied (`not_found`, `invalid_input`, …).
    pub error_kind: String,
    /// In words.
    pub error_message: String,
    /// How many times it was tried.
    #[ts(type = "number")]
    pub attempts: i64,
    /// When last tried.
    pub last_attempt_at: Option<String>,
}

/// A failed push as the store sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SyncErrorNote {
    /// The server's error kind (`unauthenticated`, `store_not_owned`, `chain_broken`, …),
    /// or the client's (`unreachable`, `chain_diverged`, …).
    pub kind: String,
    /// Plain words.
    pub message: String,
    /// Whether trying again later can help (the network, a busy server) or never will
    /// until someone acts (a wrong secret, a copied file).
    pub retryable: bool,
    /// When.
    pub at: String,
}

/// The status of a store's sync with the central server: its URL, how far the server has
/// acknowledged the store's record, the backlog, the last success and the last error.
///
/// For every role of the store (a till shows "not synced since …"). A store with no link
/// answers `configured: false`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetSyncStatus {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

/// The stores of this file that sync, with their server: what the desktop
/// app's background task pushes.
pub fn linked_stores(db: &mut Db) -> Result<Vec<(StoreId, String)>> {
    let mut stmt = db
        .conn
        .prepare("SELECT store_id, server_url FROM sync_links ORDER BY store_id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Checks and normalises a server URL: `http(s)://host[:port][/path]`, no
/// credentials, query or fragment, no trailing `/`.
pub fn normalize_server_url(raw: &str) -> Result<String> {
    let bad = |why: &str| {
        Error::invalid(
            "server_url",
            format!("'{raw}' is not a server URL ({why}): write e.g. https://sync.example.com"),
        )
    };
    let url = raw.trim();
    if url.is_empty() || url.len() > MAX_URL_LEN {
        return Err(bad("empty or too long"));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad("it contains spaces"));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("no http:// or https://"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(bad("only http and https"));
    }
    if rest.contains(['?', '#']) {
        return Err(bad("no query or fragment"));
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(bad("no credentials in the URL; the secret is given apart"));
    }
    let host = match authority.rsplit_once(':') {
        // An IPv6 literal's colons are inside brackets.
        Some((host, port)) if !port.contains(']') => {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) || port.len() > 5 {
                return Err(bad("the port is not a number"));
            }
            host
        }
        _ => authority,
    };
    let valid_host = if let Some(inner) = host.strip_prefix('[') {
        inner.strip_suffix(']').is_some_and(|ip| {
            !ip.is_empty()
                && ip
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        })
    } else {
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
            && !host.starts_with(['.', '-'])
    };
    if !valid_host {
        return Err(bad("no host"));
    }
    Ok(format!(
        "{scheme}://{}{}",
        authority.to_ascii_lowercase(),
        path.trim_end_matches('/')
    ))
}

impl Operation for ConfigureSync {
    const NAME: &'static str = "configure_sync";
    const SUMMARY: &'static str = "Set the central server a store pushes its record to";
    const PERMISSION: Permission = Permission::ManageStores;
    const WRITES: bool = true;
    type Output = SyncStatus;

    fn run(self, ctx: &Ctx<'_>) -> Result<SyncStatus> {
        let info = ctx.store(self.store_id)?;
        let url = normalize_server_url(&self.server_url)?;
        let owner: Option<InstallationId> = ctx
            .tx
            .prepare_cached("SELECT installation_id FROM stores WHERE id = ?1")?
            .query_row([info.id], |r| r.get(0))?;
        if owner != Some(ctx.installation) {
            return Err(Error::StoreNotOwned {
                store: info.id.to_string(),
                owner: owner.map_or_else(|| "none".to_string(), |o| o.to_string()),
            });
        }
        let before: Option<String> = ctx
            .tx
            .prepare_cached("SELECT server_url FROM sync_links WHERE store_id = ?1")?
            .query_row([info.id], |r| r.get(0))
            .optional()?;
        if before.as_deref() == Some(url.as_str()) {
            // Registering again (a new secret for the same server) keeps
            // what the server acknowledged; nothing changes, no event.
            return status(ctx.tx, info.id);
        }
        // Another server knows nothing of what the old one acknowledged.
        ctx.tx.execute(
            "INSERT INTO sync_links (store_id, server_url, acked_seq, acked_hash, configured_at, configured_by)
             VALUES (?1, ?2, 0, ?3, ?4, ?5)
             ON CONFLICT (store_id) DO UPDATE SET
                server_url = excluded.server_url, acked_seq = 0, acked_hash = excluded.acked_hash,
                configured_at = excluded.configured_at, configured_by = excluded.configured_by,
                last_attempt_at = NULL, last_success_at = NULL, last_error_kind = NULL,
                last_error_message = NULL, last_error_retryable = NULL, last_error_at = NULL",
            params![info.id, url, GENESIS_HASH, ctx.now_str(), ctx.actor.id],
        )?;
        let payload =
            Payload::about("store", info.id, &info.name).with_changes(vec![audit::FieldChange {
                field: "server_url".into(),
                before,
                after: Some(url),
            }]);
        audit::record(ctx, info.id, ChangeType::SyncConfigured, &payload)?;
        status(ctx.tx, info.id)
    }
}

impl Operation for GetSyncStatus {
    const NAME: &'static str = "get_sync_status";
    const SUMMARY: &'static str =
        "A store's sync with the central server: how far it is acknowledged, the backlog, the last error";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = SyncStatus;

    fn run(self, ctx: &Ctx<'_>) -> Result<SyncStatus> {
        let info = ctx.store(self.store_id)?;
        status(ctx.tx, info.id)
    }
}

/// The sync link's row, if the store has one.
struct LinkRow {
    server_url: String,
    acked_seq: i64,
    acked_hash: String,
    last_attempt_at: Option<String>,
    last_success_at: Option<String>,
    last_error: Option<SyncErrorNote>,
    last_pull_at: Option<String>,
}

fn link_row(tx: &Transaction<'_>, store: StoreId) -> Result<Option<LinkRow>> {
    Ok(tx
        .prepare_cached(
            "SELECT server_url, acked_seq, acked_hash, last_attempt_at, last_success_at,
                    last_error_kind, last_error_message, last_error_retryable, last_error_at, last_pull_at
               FROM sync_links WHERE store_id = ?1",
        )?
        .query_row([store], |r| {
            let kind: Option<String> = r.get(5)?;
            let last_error = match kind {
                Some(kind) => Some(SyncErrorNote {
                    kind,
                    message: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                    retryable: r.get::<_, Option<bool>>(7)?.unwrap_or(false),
                    at: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
                }),
                None => None,
            };
            Ok(LinkRow {
                server_url: r.get(0)?,
                acked_seq: r.get(1)?,
                acked_hash: r.get(2)?,
                last_attempt_at: r.get(3)?,
                last_success_at: r.get(4)?,
                last_error,
                last_pull_at: r.get(9)?,
            })
        })
        .optional()?)
}

fn local_head(tx: &Transaction<'_>, store: StoreId) -> Result<(i64, String)> {
    Ok(audit::chain_head(tx, store)?
        .map(|h| (h.seq, h.hash))
        .unwrap_or((0, GENESIS_HASH.to_string())))
}

/// The oldest 20 pulled changes of `store` that could not be applied.
pub(crate) fn inbox_failures(
    tx: &Transaction<'_>,
    store: StoreId,
) -> Result<Vec<SyncInboxFailure>> {
    let mut stmt = tx.prepare_cached(
        "SELECT i.event_id, i.from_store_id,
                COALESCE(s.name, CASE WHEN i.from_store_id = 'head-office' THEN 'Head office' END), i.change_type,
                COALESCE(json_extract(json_extract(i.event, '$.payload'), '$.subject.name'),
                         json_extract(i.event, '$.name')),
                i.error_kind, i.error_message, i.attempts, i.last_attempt_at
           FROM sync_inbox i LEFT JOIN stores s ON s.id = i.from_store_id
          WHERE i.store_id = ?1 AND i.status = 'failed'
          ORDER BY i.position LIMIT 20",
    )?;
    let rows = stmt.query_map([store], |r| {
        Ok(SyncInboxFailure {
            event_id: r.get(0)?,
            from_store_id: r.get(1)?,
            from_store_name: r.get(2)?,
            change_type: r.get(3)?,
            subject: r.get(4)?,
            error_kind: r.get(5)?,
            error_message: r.get(6)?,
            attempts: r.get(7)?,
            last_attempt_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Fails unless `store` is this file's (`store_not_owned`) and has a sync
/// link (`not_found`).
fn owned_link(tx: &Transaction<'_>, store: StoreId, installation: InstallationId) -> Result<()> {
    let owner: Option<InstallationId> = tx
        .prepare_cached("SELECT installation_id FROM stores WHERE id = ?1")?
        .query_row([store], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("store", store))?;
    if owner != Some(installation) {
        return Err(Error::StoreNotOwned {
            store: store.to_string(),
            owner: owner.map_or_else(|| "none".to_string(), |o| o.to_string()),
        });
    }
    let linked: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM sync_links WHERE store_id = ?1)",
        [store],
        |r| r.get(0),
    )?;
    if !linked {
        return Err(Error::not_found("sync_link", store));
    }
    Ok(())
}

fn status(tx: &Transaction<'_>, store: StoreId) -> Result<SyncStatus> {
    let (head, _) = local_head(tx, store)?;
    let link = link_row(tx, store)?;
    let inbox_waiting: i64 = tx
        .prepare_cached(
            "SELECT COUNT(*) FROM sync_inbox WHERE store_id = ?1 AND status <> 'applied'",
        )?
        .query_row([store], |r| r.get(0))?;
    let inbox_failures = inbox_failures(tx, store)?;
    Ok(match link {
        Some(l) => SyncStatus {
            store_id: store,
            configured: true,
            server_url: Some(l.server_url),
            acknowledged_seq: l.acked_seq,
            local_head_seq: head,
            backlog: (head - l.acked_seq).max(0),
            last_attempt_at: l.last_attempt_at,
            last_success_at: l.last_success_at,
            last_error: l.last_error,
            last_pull_at: l.last_pull_at,
            inbox_waiting,
            inbox_failures,
        },
        None => SyncStatus {
            store_id: store,
            configured: false,
            server_url: None,
            acknowledged_seq: 0,
            local_head_seq: head,
            backlog: head,
            last_attempt_at: None,
            last_success_at: None,
            last_error: None,
            last_pull_at: None,
            inbox_waiting,
            inbox_failures,
        },
    })
}

/// Where a push of a store starts: read by the sync client before it asks
/// the server anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushStart {
    /// The server to push to.
    pub server_url: String,
    /// This file's installation (sent with every request).
    pub installation_id: InstallationId,
    /// The last event the server acknowledged, as noted here.
    pub acked_seq: i64,
    /// Its hash.
    pub acked_hash: String,
    /// The newest event of the store's record here.
    pub local_head_seq: i64,
    /// Its hash ([`GENESIS_HASH`] before the first).
    pub local_head_hash: String,
}

/// The link and the local head of `store`. `not_found` (entity `sync_link`)
/// when the store was never configured; `store_not_owned` when another
/// installation owns it (a copied file must not push as the store).
pub fn push_start(db: &mut Db, store: StoreId) -> Result<PushStart> {
    let installation = db.installation();
    db.read(|tx| {
        owned_link(tx, store, installation)?;
        let link = link_row(tx, store)?.ok_or_else(|| Error::not_found("sync_link", store))?;
        let (head, head_hash) = local_head(tx, store)?;
        Ok(PushStart {
            server_url: link.server_url,
            installation_id: installation,
            acked_seq: link.acked_seq,
            acked_hash: link.acked_hash,
            local_head_seq: head,
            local_head_hash: head_hash,
        })
    })
}

/// The hash of event `seq` of `store`'s record here ([`GENESIS_HASH`] for
/// 0; `None` past the local head): to check that the server's head is this
/// record's.
pub fn hash_at(db: &mut Db, store: StoreId, seq: i64) -> Result<Option<String>> {
    if seq == 0 {
        return Ok(Some(GENESIS_HASH.to_string()));
    }
    db.read(|tx| {
        Ok(tx
            .prepare_cached("SELECT hash FROM inventory_audit WHERE store_id = ?1 AND seq = ?2")?
            .query_row(params![store, seq], |r| r.get(0))
            .optional()?)
    })
}

/// At most `limit` events of `store`'s record after `after_seq`, oldest
/// first, read in one read transaction that ends before this returns (the
/// client sends them with no SQLite lock held).
pub fn events_after(
    db: &mut Db,
    store: StoreId,
    after_seq: i64,
    limit: usize,
) -> Result<Vec<RecordEvent>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    db.read(|tx| audit::record_after(tx, store, after_seq, limit))
}

fn now_str(db: &Db) -> String {
    db.now().to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Notes that a push of `store` starts now.
pub fn note_attempt(db: &mut Db, store: StoreId) -> Result<()> {
    let now = now_str(db);
    db.write(|tx| {
        let n = tx.execute(
            "UPDATE sync_links SET last_attempt_at = ?2 WHERE store_id = ?1",
            params![store, now],
        )?;
        if n == 0 {
            return Err(Error::not_found("sync_link", store));
        }
        Ok(())
    })
}

/// Notes that the server acknowledged `store`'s record up to `seq`, whose
/// hash it gave as `hash`, and clears the last error. Refused
/// (`conflict`) when `seq` is past the local head or `hash` is not the
/// local event's: the server's record is not this one, and nothing is
/// noted as pushed that was not.
pub fn note_ack(db: &mut Db, store: StoreId, seq: i64, hash: &str) -> Result<()> {
    let now = now_str(db);
    db.write(|tx| {
        let local: Option<String> = if seq == 0 {
            Some(GENESIS_HASH.to_string())
        } else {
            tx.prepare_cached("SELECT hash FROM inventory_audit WHERE store_id = ?1 AND seq = ?2")?
                .query_row(params![store, seq], |r| r.get(0))
                .optional()?
        };
        if local.as_deref() != Some(hash) {
            return Err(Error::Conflict {
                message: format!(
                    "the server acknowledged event {seq} of store {store} with a hash this record does not have"
                ),
            });
        }
        let n = tx.execute(
            "UPDATE sync_links SET acked_seq = ?2, acked_hash = ?3, last_success_at = ?4,
                    last_error_kind = NULL, last_error_message = NULL, last_error_retryable = NULL,
                    last_error_at = NULL
              WHERE store_id = ?1",
            params![store, seq, hash, now],
        )?;
        if n == 0 {
            return Err(Error::not_found("sync_link", store));
        }
        Ok(())
    })
}

/// Notes why a push of `store` failed; the acknowledged position is left
/// as it was.
pub fn note_error(
    db: &mut Db,
    store: StoreId,
    kind: &str,
    message: &str,
    retryable: bool,
) -> Result<()> {
    let now = now_str(db);
    db.write(|tx| {
        let n = tx.execute(
            "UPDATE sync_links SET last_error_kind = ?2, last_error_message = ?3,
                    last_error_retryable = ?4, last_error_at = ?5
              WHERE store_id = ?1",
            params![store, kind, message, retryable, now],
        )?;
        if n == 0 {
            return Err(Error::not_found("sync_link", store));
        }
        Ok(())
    })
}

/// The status of `store` without an acting user (the client's report, the
/// CLI after a push).
pub fn status_of(db: &mut Db, store: StoreId) -> Result<SyncStatus> {
    db.read(|tx| status(tx, store))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_are_http_with_a_host() {
        for (raw, want) in [
            ("https://sync.example.com", "https://sync.example.com"),
            (
                "HTTP://Sync.Example.com:8750/",
                "http://sync.example.com:8750",
            ),
            (
                "  https://10.0.0.5/pharmapos/ ",
                "https://10.0.0.5/pharmapos",
            ),
            ("http://[::1]:8750", "http://[::1]:8750"),
        ] {
            assert_eq!(normalize_server_url(raw).unwrap(), want, "{raw}");
        }
        for raw in [
            "",
            "sync.example.com",
            "ftp://sync.example.com",
            "https://",
            "https:///path",
            "https://:8750",
            "https://user:pw@sync.example.com",
            "https://sync.example.com:port",
            "https://sync example.com",
            "https://sync.example.com/?a=1",
            "https://-bad",
        ] {
            let e = normalize_server_url(raw).unwrap_err();
            assert_eq!(e.kind(), "invalid_input", "{raw}");
        }
    }
}
