//! The audit ledger: every inventory change as an immutable, hash-chained event.
//!
//! Events are appended in the same transaction as the change they record.
//! Each store's events form a chain: `seq` counts 1, 2, 3… per store and
//! `hash = SHA-256(previous hash ‖ canonical event bytes)`, so an edited, deleted
//! or reordered event breaks every hash after it. The table's triggers refuse
//! UPDATE and DELETE; corrections are new events. `seq` is also the sync cursor.

use crate::auth::Permission;
use crate::ids::{BatchId, EventId, ProductId, StoreId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use ts_rs::TS;

/// The hash a store's first event chains from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What kind of change an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChangeType {
    /// Stock received from a supplier.
    Receipt,
    /// Stock taken by a sale (FEFO).
    Allocated,
    /// A hold placed on a batch.
    Reserved,
    /// A hold released.
    Release,
    /// A hold turned into a sale.
    ConfirmReserve,
    /// A manual adjustment (approved or below the threshold).
    Adjustment,
    /// A whole batch written off.
    Writeoff,
    /// A batch marked expired.
    Expired,
    /// Sent to another store.
    TransferOut,
    /// Received from another store.
    TransferIn,
    /// A physical count's variance.
    Reconciliation,
    /// Clinical use on a patient.
    TreatmentUse,
    /// Recorded waste.
    Waste,
    /// A batch recalled.
    Recall,
    /// A batch put in or out of quarantine.
    StatusChange,
    /// Stock returned by a customer onto its batch.
    Return,
    /// Stock put back by voiding a sale.
    Void,
    /// A backorder recorded.
    BackorderCreated,
    /// A backorder cancelled.
    BackorderCancelled,
    /// A backorder (partly) fulfilled.
    BackorderFulfilled,
    /// An adjustment waiting for approval.
    AdjustmentRequested,
    /// A pending adjustment rejected.
    AdjustmentRejected,
}

impl ChangeType {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Receipt => "receipt",
            ChangeType::Allocated => "allocated",
            ChangeType::Reserved => "reserved",
            ChangeType::Release => "release",
            ChangeType::ConfirmReserve => "confirm_reserve",
            ChangeType::Adjustment => "adjustment",
            ChangeType::Writeoff => "writeoff",
            ChangeType::Expired => "expired",
            ChangeType::TransferOut => "transfer_out",
            ChangeType::TransferIn => "transfer_in",
            ChangeType::Reconciliation => "reconciliation",
            ChangeType::TreatmentUse => "treatment_use",
            ChangeType::Waste => "waste",
            ChangeType::Recall => "recall",
            ChangeType::StatusChange => "status_change",
            ChangeType::Return => "return",
            ChangeType::Void => "void",
            ChangeType::BackorderCreated => "backorder_created",
            ChangeType::BackorderCancelled => "backorder_cancelled",
            ChangeType::BackorderFulfilled => "backorder_fulfilled",
            ChangeType::AdjustmentRequested => "adjustment_requested",
            ChangeType::AdjustmentRejected => "adjustment_rejected",
        }
    }
}

/// An event to append.
pub struct NewEvent<'a> {
    /// Store whose chain it joins.
    pub store_id: StoreId,
    /// Batch concerned, if any.
    pub batch_id: Option<BatchId>,
    /// Product concerned, if any.
    pub product_id: Option<ProductId>,
    /// Kind of change.
    pub change_type: ChangeType,
    /// On-hand before, in thousandths (None for events that move no stock).
    pub previous_milli: Option<i64>,
    /// On-hand after, in thousandths.
    pub new_milli: Option<i64>,
    /// Sale, receipt, adjustment… this event belongs to.
    pub reference_id: Option<&'a str>,
    /// Reason or remark.
    pub notes: Option<&'a str>,
}

/// Appends one event to its store's chain, inside the operation's transaction.
/// An event naming a batch links back to that batch's previous event and
/// becomes the batch's newest (`batches.last_event_seq`).
pub fn append(ctx: &Ctx<'_>, e: NewEvent<'_>) -> Result<EventId> {
    let batch_prev_seq: Option<i64> = match e.batch_id {
        Some(b) => ctx
            .tx
            .prepare_cached("SELECT last_event_seq FROM batches WHERE id = ?1")?
            .query_row([b], |r| r.get(0))
            .optional()?
            .flatten(),
        None => None,
    };
    let batch_id = e.batch_id;
    let (id, seq) = insert_event(ctx, e, batch_prev_seq)?;
    if let Some(b) = batch_id {
        ctx.tx
            .prepare_cached("UPDATE batches SET last_event_seq = ?2 WHERE id = ?1")?
            .execute(params![b, seq])?;
    }
    Ok(id)
}

/// Appends an event whose batch's previous event the caller knows (read
/// with the batch row in this operation); the caller then stores the
/// returned sequence as the batch's `last_event_seq`.
pub(crate) fn append_linked(
    ctx: &Ctx<'_>,
    e: NewEvent<'_>,
    batch_prev_seq: Option<i64>,
) -> Result<i64> {
    insert_event(ctx, e, batch_prev_seq).map(|(_, seq)| seq)
}

fn insert_event(
    ctx: &Ctx<'_>,
    e: NewEvent<'_>,
    batch_prev_seq: Option<i64>,
) -> Result<(EventId, i64)> {
    let tx = ctx.tx;
    let (last_seq, prev_hash): (i64, String) = tx
        .prepare_cached(
            "SELECT seq, hash FROM inventory_audit WHERE store_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([e.store_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((0, GENESIS_HASH.to_string()));
    let id = EventId::new();
    let seq = last_seq + 1;
    let created_at = ctx.now_str();
    let canon = Canonical {
        id,
        store_id: e.store_id,
        seq,
        batch_id: e.batch_id,
        product_id: e.product_id,
        change_type: e.change_type.as_str(),
        previous_milli: e.previous_milli,
        new_milli: e.new_milli,
        user_id: ctx.actor.id,
        reference_id: e.reference_id,
        notes: e.notes,
        created_at: &created_at,
        batch_prev_seq,
    };
    let hash = chain_hash(&prev_hash, &canon)?;
    tx.prepare_cached(
        "INSERT INTO inventory_audit (store_id, seq, id, batch_id, product_id, change_type, previous_milli, new_milli,
                                      user_id, reference_id, notes, created_at, batch_prev_seq, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?
    .execute(params![
        e.store_id,
        seq,
        id,
        e.batch_id,
        e.product_id,
        canon.change_type,
        e.previous_milli,
        e.new_milli,
        ctx.actor.id,
        e.reference_id,
        e.notes,
        created_at,
        batch_prev_seq,
        hash
    ])?;
    Ok((id, seq))
}

/// The fields an event's hash covers, in a fixed order. Serialised as a JSON
/// array so that no two different events share bytes.
#[derive(Serialize)]
struct Canonical<'a> {
    id: EventId,
    store_id: StoreId,
    seq: i64,
    batch_id: Option<BatchId>,
    product_id: Option<ProductId>,
    change_type: &'a str,
    previous_milli: Option<i64>,
    new_milli: Option<i64>,
    user_id: UserId,
    reference_id: Option<&'a str>,
    notes: Option<&'a str>,
    created_at: &'a str,
    batch_prev_seq: Option<i64>,
}

fn chain_hash(prev_hash: &str, c: &Canonical<'_>) -> Result<String> {
    let bytes = serde_json::to_vec(&(
        "pharmapos-audit-v1",
        c.id,
        c.store_id,
        c.seq,
        c.batch_id,
        c.product_id,
        c.change_type,
        c.previous_milli,
        c.new_milli,
        c.user_id,
        c.reference_id,
        c.notes,
        c.created_at,
        c.batch_prev_seq,
    ))
    .map_err(|e| Error::Internal(format!("encoding audit event: {e}")))?;
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(&bytes);
    Ok(hex::encode(h.finalize()))
}

/// One event as read back.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AuditEvent {
    /// Event id.
    pub id: EventId,
    /// Store.
    pub store_id: StoreId,
    /// Position in the store's chain (1, 2, …).
    #[ts(type = "number")]
    pub seq: i64,
    /// Batch, if any.
    pub batch_id: Option<BatchId>,
    /// Batch number, for display.
    pub batch_number: Option<String>,
    /// Product, if any.
    pub product_id: Option<ProductId>,
    /// Product name, for display.
    pub product_name: Option<String>,
    /// Kind of change.
    pub change_type: String,
    /// On-hand before.
    pub previous_quantity: Option<Qty>,
    /// On-hand after.
    pub new_quantity: Option<Qty>,
    /// Acting user.
    pub user_id: UserId,
    /// Acting user's name.
    pub user_name: Option<String>,
    /// Linked record (sale, receipt, adjustment…).
    pub reference_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When (UTC, RFC 3339).
    pub created_at: String,
    /// Chain hash of this event.
    pub hash: String,
}

/// - Unlike other commands, an omitted `store_id` means **every** store (not the home
///   store).
/// - `change_type` is one of `receipt`, `allocated`, `reserved`, `release`,
///   `confirm_reserve`, `adjustment`, `writeoff`, `expired`, `transfer_out`,
///   `transfer_in`, `reconciliation`, `treatment_use`, `waste`, `recall`,
///   `status_change`, `return`, `void`, `backorder_created`, `backorder_cancelled`,
///   `backorder_fulfilled`, `adjustment_requested`, `adjustment_rejected`. Till sales,
///   returns and voids reference the sale number (`LEK-01-000001`).
/// - `from` (inclusive) and `to` (exclusive) are RFC 3339 instants. Newest first unless
///   `oldest_first`; `limit` 1–5000 (default 200).
/// - Every event has `seq` (1, 2, 3… per store) and `hash` = SHA-256(previous hash ‖
///   canonical event), so editing, deleting or reordering an event breaks the chain; the
///   table refuses UPDATE and DELETE.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetAuditTrail {
    /// Only this store's events.
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Only this batch.
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Only this change type (e.g. "receipt").
    #[ts(optional)]
    pub change_type: Option<ChangeType>,
    /// From this instant (inclusive).
    #[ts(optional, type = "string")]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    #[ts(optional, type = "string")]
    pub to: Option<DateTime<Utc>>,
    /// Maximum events (default 200, at most 5000).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Oldest first (default: newest first).
    #[ts(optional)]
    pub oldest_first: Option<bool>,
}

impl Operation for GetAuditTrail {
    const NAME: &'static str = "get_audit_trail";
    const SUMMARY: &'static str =
        "Audit events filtered by store, product, batch, change type and time";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = Vec<AuditEvent>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<AuditEvent>> {
        let limit = i64::from(self.limit.unwrap_or(200).clamp(1, 5000));
        let ts = |t: Option<DateTime<Utc>>| {
            t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        };
        let order = if self.oldest_first.unwrap_or(false) {
            "ASC"
        } else {
            "DESC"
        };
        // With a batch or product filter, the events are found through the
        // per-batch back-links (no index on batch_id: see the migration).
        let source = if self.batch_id.is_some() || self.product_id.is_some() {
            "(WITH RECURSIVE chain(store_id, seq) AS (
                  SELECT store_id, last_event_seq FROM batches
                   WHERE last_event_seq IS NOT NULL AND (id = ?3 OR (?3 IS NULL AND product_id = ?2))
                  UNION ALL
                  SELECT e.store_id, e.batch_prev_seq FROM chain
                    JOIN inventory_audit e ON e.store_id = chain.store_id AND e.seq = chain.seq
                   WHERE e.batch_prev_seq IS NOT NULL)
              SELECT e.* FROM chain JOIN inventory_audit e ON e.store_id = chain.store_id AND e.seq = chain.seq
              UNION ALL
              SELECT e.* FROM inventory_audit e WHERE ?3 IS NULL AND e.batch_id IS NULL AND e.product_id = ?2)"
        } else {
            "inventory_audit"
        };
        let sql = format!(
            "SELECT a.id, a.store_id, a.seq, a.batch_id, b.batch_number, a.product_id, p.name, a.change_type,
                    a.previous_milli, a.new_milli, a.user_id, u.name, a.reference_id, a.notes, a.created_at, a.hash
               FROM {source} a
               LEFT JOIN batches b ON b.id = a.batch_id
               LEFT JOIN products p ON p.id = a.product_id
               LEFT JOIN users u ON u.id = a.user_id
              WHERE (?1 IS NULL OR a.store_id = ?1) AND (?2 IS NULL OR a.product_id = ?2)
                AND (?3 IS NULL OR a.batch_id = ?3) AND (?4 IS NULL OR a.change_type = ?4)
                AND (?5 IS NULL OR a.created_at >= ?5) AND (?6 IS NULL OR a.created_at < ?6)
              ORDER BY a.created_at {order}, a.seq {order} LIMIT ?7"
        );
        let mut stmt = ctx.tx.prepare_cached(&sql)?;
        let rows = stmt.query_map(
            params![
                self.store_id,
                self.product_id,
                self.batch_id,
                self.change_type.map(|c| c.as_str()),
                ts(self.from),
                ts(self.to),
                limit
            ],
            |r| {
                Ok(AuditEvent {
                    id: r.get(0)?,
                    store_id: r.get(1)?,
                    seq: r.get(2)?,
                    batch_id: r.get(3)?,
                    batch_number: r.get(4)?,
                    product_id: r.get(5)?,
                    product_name: r.get(6)?,
                    change_type: r.get(7)?,
                    previous_quantity: r.get::<_, Option<i64>>(8)?.map(Qty::from_scaled),
                    new_quantity: r.get::<_, Option<i64>>(9)?.map(Qty::from_scaled),
                    user_id: r.get(10)?,
                    user_name: r.get(11)?,
                    reference_id: r.get(12)?,
                    notes: r.get(13)?,
                    created_at: r.get(14)?,
                    hash: r.get(15)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// One problem found by [`verify`].
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VerifyProblem {
    /// `chain` (hash or sequence broken), `conservation` (on-hand differs
    /// from the ledger), `reservation` (held quantity differs from holds) or
    /// `status` (a batch with stock marked depleted).
    pub kind: String,
    /// Store concerned.
    pub store_id: Option<StoreId>,
    /// Event sequence number concerned.
    #[ts(type = "number | null")]
    pub seq: Option<i64>,
    /// Batch concerned.
    pub batch_id: Option<BatchId>,
    /// What is wrong.
    pub message: String,
}

/// The result of a ledger verification.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VerifyReport {
    /// True when no problem was found.
    pub ok: bool,
    /// Events re-hashed.
    #[ts(type = "number")]
    pub events_checked: i64,
    /// Batches whose on-hand was recomputed.
    #[ts(type = "number")]
    pub batches_checked: i64,
    /// Every mismatch found (empty when ok).
    pub problems: Vec<VerifyProblem>,
}

/// Re-hashes every store's chain (`chain` problems), replays every batch's on-hand from
/// the ledger and compares it with the batch (`conservation`), and compares each batch's
/// reserved quantity with its active holds (`reservation`). At most 1000 problems are
/// listed. `pharmapos verify` (no `--user`) does the same plus SQLite's `PRAGMA
/// integrity_check`, and exits non-zero when anything is wrong.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Verify {}

impl Operation for Verify {
    const NAME: &'static str = "verify";
    const SUMMARY: &'static str =
        "Re-hash the audit chain and recompute every batch's on-hand from the ledger";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = VerifyReport;

    fn run(self, ctx: &Ctx<'_>) -> Result<VerifyReport> {
        verify(ctx.tx)
    }
}

/// Checks the chain and conservation over the whole file. At most 1000
/// problems are reported (a broken chain breaks every later hash).
pub fn verify(tx: &Transaction<'_>) -> Result<VerifyReport> {
    const MAX_PROBLEMS: usize = 1000;
    let mut problems = Vec::new();
    let mut events_checked = 0i64;
    // Per batch, replayed in chain order: running on-hand and its latest event.
    let mut running: HashMap<BatchId, i64> = HashMap::new();
    let mut last_of_batch: HashMap<BatchId, i64> = HashMap::new();
    let mut expected: Option<(StoreId, i64, String)> = None;
    let mut stmt = tx.prepare(
        "SELECT store_id, seq, id, batch_id, product_id, change_type, previous_milli, new_milli, user_id,
                reference_id, notes, created_at, batch_prev_seq, hash
           FROM inventory_audit ORDER BY store_id, seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        events_checked += 1;
        let store_id: StoreId = r.get(0)?;
        let seq: i64 = r.get(1)?;
        let change_type: String = r.get(5)?;
        let reference_id: Option<String> = r.get(9)?;
        let notes: Option<String> = r.get(10)?;
        let created_at: String = r.get(11)?;
        let batch_prev_seq: Option<i64> = r.get(12)?;
        let hash: String = r.get(13)?;
        let batch_id: Option<BatchId> = r.get(3)?;
        let previous_milli: Option<i64> = r.get(6)?;
        let new_milli: Option<i64> = r.get(7)?;
        let (want_seq, want_prev) = match &expected {
            Some((s, last_seq, last_hash)) if *s == store_id => (last_seq + 1, last_hash.clone()),
            _ => (1, GENESIS_HASH.to_string()),
        };
        let mut problem = |kind: &str, message: String| {
            if problems.len() < MAX_PROBLEMS {
                problems.push(VerifyProblem {
                    kind: kind.into(),
                    store_id: Some(store_id),
                    seq: Some(seq),
                    batch_id,
                    message,
                });
            }
        };
        if seq != want_seq {
            problem(
                "chain",
                format!("expected sequence {want_seq}, found {seq}"),
            );
        }
        if let Some(b) = batch_id {
            let linked = last_of_batch.insert(b, seq);
            if linked != batch_prev_seq {
                problem(
                    "chain",
                    format!("event {seq} does not link back to its batch's previous event"),
                );
            }
        }
        let canon = Canonical {
            id: r.get(2)?,
            store_id,
            seq,
            batch_id,
            product_id: r.get(4)?,
            change_type: &change_type,
            previous_milli,
            new_milli,
            user_id: r.get(8)?,
            reference_id: reference_id.as_deref(),
            notes: notes.as_deref(),
            created_at: &created_at,
            batch_prev_seq,
        };
        if chain_hash(&want_prev, &canon)? != hash {
            problem("chain", format!("event {seq} ({change_type}) has been altered: its hash does not match its content"));
        }
        if let (Some(b), Some(prev), Some(new)) = (batch_id, previous_milli, new_milli) {
            let cur = running.entry(b).or_insert(0);
            if *cur != prev {
                problem(
                    "conservation",
                    format!(
                        "event {seq} ({change_type}) starts from {} but the ledger stood at {}",
                        Qty::from_scaled(prev),
                        Qty::from_scaled(*cur)
                    ),
                );
            }
            *cur = new;
        }
        expected = Some((store_id, seq, hash));
    }
    drop(rows);
    let mut batches_checked = 0i64;
    let mut stmt = tx.prepare(
        "SELECT b.id, b.store_id, b.batch_number, b.on_hand_milli, b.reserved_milli,
                COALESCE((SELECT SUM(quantity_milli) FROM stock_reservations r WHERE r.batch_id = b.id AND r.status = 'active'), 0),
                b.last_event_seq, b.status
           FROM batches b",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        batches_checked += 1;
        let id: BatchId = r.get(0)?;
        let store_id: StoreId = r.get(1)?;
        let number: String = r.get(2)?;
        let on_hand: i64 = r.get(3)?;
        let reserved: i64 = r.get(4)?;
        let holds: i64 = r.get(5)?;
        let last_event_seq: Option<i64> = r.get(6)?;
        let status: String = r.get(7)?;
        let ledger = running.get(&id).copied().unwrap_or(0);
        if problems.len() >= MAX_PROBLEMS {
            continue;
        }
        if status == "depleted" && on_hand > 0 {
            // Expiry lists find live batches through an index that leaves
            // depleted ones out: one with stock would be invisible there.
            problems.push(VerifyProblem {
                kind: "status".into(),
                store_id: Some(store_id),
                seq: None,
                batch_id: Some(id),
                message: format!(
                    "batch {number} is marked depleted but holds {}",
                    Qty::from_scaled(on_hand)
                ),
            });
        }
        if last_event_seq != last_of_batch.get(&id).copied() {
            problems.push(VerifyProblem {
                kind: "chain".into(),
                store_id: Some(store_id),
                seq: last_event_seq,
                batch_id: Some(id),
                message: format!("batch {number} does not point at its latest audit event"),
            });
        }
        if ledger != on_hand {
            problems.push(VerifyProblem {
                kind: "conservation".into(),
                store_id: Some(store_id),
                seq: None,
                batch_id: Some(id),
                message: format!(
                    "batch {number} shows {} on hand but its ledger adds up to {}",
                    Qty::from_scaled(on_hand),
                    Qty::from_scaled(ledger)
                ),
            });
        }
        if reserved != holds {
            problems.push(VerifyProblem {
                kind: "reservation".into(),
                store_id: Some(store_id),
                seq: None,
                batch_id: Some(id),
                message: format!(
                    "batch {number} shows {} reserved but its active holds add up to {}",
                    Qty::from_scaled(reserved),
                    Qty::from_scaled(holds)
                ),
            });
        }
    }
    Ok(VerifyReport {
        ok: problems.is_empty(),
        events_checked,
        batches_checked,
        problems,
    })
}
