//! Recalls and the disposal of held lots.
//!
//! A recall covers one or more lots with its FDA class (I, II, III),
//! reason, source, recall number and date: the lots become `recalled` (never
//! sold, drawn or transferred again), their open vials close, and the trace
//! ([`super::trace`]) lists the patients and sales they reached. FDA
//! enforcement reports (openFDA `drug/enforcement` JSON) can be matched
//! against the lots a store holds; the match only proposes, a manager
//! confirms by recording the recall.

use super::vials::{close, CloseReason, SessionRow};
use super::waste::insert_lot_waste;
use super::WasteReason;
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{BatchId, ProductId, RecallId, StoreId, UserId, VialSessionId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::stock::adjust::AdjustmentReason;
use crate::stock::status::write_status;
use crate::stock::writeoff::{return_stock, Return};
use crate::stock::{BatchRow, BatchStatus};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A recorded recall.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Recall {
    /// Id.
    pub recall_id: RecallId,
    /// Store.
    pub store_id: StoreId,
    /// The authority's number (e.g. FDA `D-0123-2026`).
    pub recall_number: Option<String>,
    /// FDA class: `I`, `II` or `III`.
    pub fda_class: String,
    /// Why.
    pub reason: String,
    /// Who issued it (FDA, the manufacturer, NAFDAC…).
    pub source: String,
    /// Date of the notice.
    pub recall_date: String,
    /// Lots covered.
    pub lots: Vec<RecalledLot>,
    /// Recorded at.
    pub recorded_at: String,
    /// By.
    pub recorded_by: UserId,
}

/// A lot a recall covers.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct RecalledLot {
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// On hand now.
    pub on_hand: Qty,
}

/// Records a recall of one or more lots of the store.
///
/// - `batch_ids`: one or more lots of one store; none already recalled. `fda_class` `I`,
///   `II` or `III` (a market withdrawal is not a recall); `reason` and `source` required;
///   `recall_date` `YYYY-MM-DD`, not in the future; `recall_number` unique in the store.
/// - Each lot becomes `recalled` with the class (its sale holds end; a `recall` event),
///   and its open vials close (`recall`), what was left in them wasted as `recall`.
///   On-hand stays until disposed of (`dispose_batch`).
/// - Writes a `recall_recorded` event. Managers only.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RecordRecall {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Lots.
    pub batch_ids: Vec<BatchId>,
    /// `I`, `II` or `III`.
    pub fda_class: String,
    /// Why.
    pub reason: String,
    /// Issued by.
    pub source: String,
    /// The recall number.
    #[ts(optional)]
    pub recall_number: Option<String>,
    /// Date of the notice.
    #[ts(type = "string")]
    pub recall_date: NaiveDate,
}

impl Operation for RecordRecall {
    const NAME: &'static str = "record_recall";
    const SUMMARY: &'static str =
        "Recall lots with their FDA class: they can never be sold or drawn, their open vials close";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = Recall;

    fn run(self, ctx: &Ctx<'_>) -> Result<Recall> {
        let store = ctx.store(self.store_id)?;
        let class = match self.fda_class.trim() {
            c @ ("I" | "II" | "III") => c.to_string(),
            other => {
                return Err(Error::invalid(
                    "fda_class",
                    format!("the FDA class is I, II or III, not '{other}'"),
                ))
            }
        };
        let reason = required_text("reason", &self.reason, 1000)?;
        let source = required_text("source", &self.source, 200)?;
        let number = optional_text("recall_number", self.recall_number.as_deref(), 64)?;
        if self.recall_date > ctx.today(&store) {
            return Err(Error::invalid(
                "recall_date",
                format!("the recall date {} is in the future", self.recall_date),
            ));
        }
        if self.batch_ids.is_empty() {
            return Err(Error::invalid("batch_ids", "name at least one lot"));
        }
        if let Some(n) = &number {
            let taken: bool = ctx.tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM recalls WHERE store_id = ?1 AND recall_number = ?2)",
                params![store.id, n],
                |r| r.get(0),
            )?;
            if taken {
                return Err(Error::conflict(format!(
                    "recall {n} is already recorded in this store"
                )));
            }
        }
        let mut lots = Vec::new();
        for (i, id) in self.batch_ids.iter().enumerate() {
            let b = BatchRow::load(ctx.tx, *id)?;
            if b.store_id != store.id {
                return Err(Error::invalid(
                    &format!("batch_ids[{i}]"),
                    format!("lot {} is not in this store", b.batch_number),
                ));
            }
            if b.status == BatchStatus::Recalled {
                return Err(Error::BatchStatusUnchanged {
                    batch_id: b.id,
                    batch: b.batch_number,
                    status: b.status,
                });
            }
            if lots.iter().any(|l: &BatchRow| l.id == b.id) {
                return Err(Error::invalid(
                    &format!("batch_ids[{i}]"),
                    "the same lot is named twice",
                ));
            }
            lots.push(b);
        }
        let id = RecallId::new();
        ctx.tx.execute(
            "INSERT INTO recalls (id, store_id, recall_number, fda_class, reason, source, recall_date, recorded_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![id, store.id, number, class, reason, source, self.recall_date.to_string(), ctx.now_str(), ctx.actor.id],
        )?;
        let mut closed: Vec<VialSessionId> = Vec::new();
        for b in &lots {
            // Open vials first: their holds end with them, and what is left
            // in them is wasted as `recall`.
            let sessions = ctx
                .tx
                .prepare_cached(
                    "SELECT id FROM vial_sessions WHERE batch_id = ?1 AND status = 'active'",
                )?
                .query_map([b.id], |r| r.get::<_, VialSessionId>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for sid in sessions {
                let mut s = SessionRow::load(ctx, sid)?;
                close(
                    ctx,
                    &mut s,
                    CloseReason::Recall,
                    None,
                    Some(&format!("recall {}", number.as_deref().unwrap_or(&reason))),
                )?;
                closed.push(sid);
            }
            let b = BatchRow::load(ctx.tx, b.id)?;
            write_status(
                ctx,
                &b,
                BatchStatus::Recalled,
                Some(&format!(
                    "recall {}: {reason}",
                    number.as_deref().unwrap_or("(no number)")
                )),
                Some(&class),
            )?;
            ctx.tx.execute(
                "INSERT INTO recall_lots (recall_id, batch_id) VALUES (?1, ?2)",
                params![id, b.id],
            )?;
        }
        let payload = Payload::about("recall", id, number.as_deref().unwrap_or(&reason))
            .with_data(serde_json::json!({
                "fda_class": class,
                "reason": reason,
                "source": source,
                "recall_number": number,
                "recall_date": self.recall_date.to_string(),
                "batch_ids": self.batch_ids,
                "vials_closed": closed,
            }))?;
        audit::record(ctx, store.id, ChangeType::RecallRecorded, &payload)?;
        load(ctx, id)
    }
}

fn load(ctx: &Ctx<'_>, id: RecallId) -> Result<Recall> {
    let r = ctx
        .tx
        .prepare_cached(
            "SELECT store_id, recall_number, fda_class, reason, source, recall_date, recorded_at, recorded_by
               FROM recalls WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Recall {
                recall_id: id,
                store_id: r.get(0)?,
                recall_number: r.get(1)?,
                fda_class: r.get(2)?,
                reason: r.get(3)?,
                source: r.get(4)?,
                recall_date: r.get(5)?,
                lots: Vec::new(),
                recorded_at: r.get(6)?,
                recorded_by: r.get(7)?,
            })
        })
        .optional()?
        .ok_or_else(|| Error::not_found("recall", id))?;
    ctx.check_store(r.store_id)?;
    let lots = ctx
        .tx
        .prepare_cached(
            "SELECT b.id, b.batch_number, b.product_id, p.name, b.on_hand_milli
               FROM recall_lots rl JOIN batches b ON b.id = rl.batch_id JOIN products p ON p.id = b.product_id
              WHERE rl.recall_id = ?1 ORDER BY p.name, b.batch_number",
        )?
        .query_map([id], |r| {
            Ok(RecalledLot {
                batch_id: r.get(0)?,
                batch_number: r.get(1)?,
                product_id: r.get(2)?,
                product_name: r.get(3)?,
                on_hand: Qty::from_scaled(r.get(4)?),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Recall { lots, ..r })
}

/// A store's recalls, newest notice first (at most 500).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListRecalls {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for ListRecalls {
    const NAME: &'static str = "list_recalls";
    const SUMMARY: &'static str = "A store's recalls with their lots, newest first";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Recall>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Recall>> {
        let store = ctx.store(self.store_id)?;
        let ids = ctx
            .tx
            .prepare(
                "SELECT id FROM recalls WHERE store_id = ?1 ORDER BY recall_date DESC, recorded_at DESC LIMIT 500",
            )?
            .query_map([store.id], |r| r.get::<_, RecallId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter().map(|id| load(ctx, id)).collect()
    }
}

/// One recall of an FDA enforcement report, with the lots of the store it
/// matches.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct RecallProposal {
    /// FDA recall number.
    pub recall_number: String,
    /// `I`, `II` or `III`.
    pub fda_class: String,
    /// The report's status (Ongoing, Terminated…).
    pub status: Option<String>,
    /// Reason for the recall.
    pub reason: String,
    /// Product description as published.
    pub product_description: String,
    /// Lot text as published.
    pub code_info: String,
    /// Recalling firm.
    pub recalling_firm: Option<String>,
    /// Date the recall began (`YYYY-MM-DD`).
    pub recall_date: Option<String>,
    /// Already recorded in this store.
    pub already_recorded: bool,
    /// Lots of the store matching the report.
    pub matches: Vec<LotMatch>,
}

/// A held lot that matches a report.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct LotMatch {
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Expiry.
    pub expiry_date: String,
    /// Status.
    pub status: BatchStatus,
    /// On hand.
    pub on_hand: Qty,
}

/// Matches an openFDA `drug/enforcement` report (the JSON as downloaded: `{"results":
/// [...]}`, or a bare array of results) against the store's lots, and proposes recalls
/// for a manager to confirm with `record_recall`. Changes nothing.
///
/// - Each result needs `recall_number`, `classification` (`Class I`/`II`/`III`),
///   `product_description` and `code_info`; `reason_for_recall`, `status`,
///   `recalling_firm`, `recall_initiation_date` (`YYYYMMDD`) are used when present. A
///   result that lacks one is reported as `invalid_input` naming `results[i].field`.
/// - A lot matches when its lot number appears as a whole word in `code_info`
///   (case-insensitive) and a word of its product's name, generic name or brand (four
///   letters or more) appears in `product_description`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ImportFdaRecalls {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// The report's JSON text.
    pub report: String,
}

impl Operation for ImportFdaRecalls {
    const NAME: &'static str = "import_fda_recalls";
    const SUMMARY: &'static str =
        "Match an openFDA enforcement report against the store's lots and propose recalls";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = false;
    type Output = Vec<RecallProposal>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<RecallProposal>> {
        let store = ctx.store(self.store_id)?;
        let doc: serde_json::Value = serde_json::from_str(&self.report)
            .map_err(|e| Error::invalid("report", format!("the report is not valid JSON: {e}")))?;
        let results =
            match &doc {
                serde_json::Value::Array(a) => a,
                serde_json::Value::Object(o) => match o.get("results") {
                    Some(serde_json::Value::Array(a)) => a,
                    _ => return Err(Error::invalid(
                        "report",
                        "the report has no `results` list (expected openFDA drug/enforcement JSON)",
                    )),
                },
                _ => {
                    return Err(Error::invalid(
                        "report",
                        "expected openFDA drug/enforcement JSON: an object with `results`",
                    ))
                }
            };
        let mut out = Vec::with_capacity(results.len());
        for (i, r) in results.iter().enumerate() {
            let text = |field: &str, required: bool| -> Result<Option<String>> {
                match r.get(field) {
                    Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                        Ok(Some(s.trim().to_string()))
                    }
                    _ if required => Err(Error::invalid(
                        &format!("results[{i}].{field}"),
                        format!("result {} has no {field}", i + 1),
                    )),
                    _ => Ok(None),
                }
            };
            let number = text("recall_number", true)?.unwrap_or_default();
            let classification = text("classification", true)?.unwrap_or_default();
            let class = match classification
                .trim_start_matches("Class")
                .trim()
                .to_ascii_uppercase()
                .as_str()
            {
                c @ ("I" | "II" | "III") => c.to_string(),
                _ => {
                    return Err(Error::invalid(
                        &format!("results[{i}].classification"),
                        format!(
                        "result {} has classification '{classification}', not Class I, II or III",
                        i + 1
                    ),
                    ))
                }
            };
            let description = text("product_description", true)?.unwrap_or_default();
            let code_info = text("code_info", true)?.unwrap_or_default();
            let date = text("recall_initiation_date", false)?
                .map(|d| {
                    NaiveDate::parse_from_str(&d, "%Y%m%d")
                        .or_else(|_| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
                        .map(|d| d.to_string())
                        .map_err(|_| {
                            Error::invalid(
                                &format!("results[{i}].recall_initiation_date"),
                                format!("result {} has an unreadable date '{d}'", i + 1),
                            )
                        })
                })
                .transpose()?;
            let already: bool = ctx.tx.query_row(
                "SELECT EXISTS(SELECT 1 FROM recalls WHERE store_id = ?1 AND recall_number = ?2)",
                params![store.id, number],
                |r| r.get(0),
            )?;
            out.push(RecallProposal {
                matches: match_lots(ctx, store.id, &description, &code_info)?,
                recall_number: number,
                fda_class: class,
                status: text("status", false)?,
                reason: text("reason_for_recall", false)?
                    .unwrap_or_else(|| "see the FDA enforcement report".into()),
                product_description: description,
                code_info,
                recalling_firm: text("recalling_firm", false)?,
                recall_date: date,
                already_recorded: already,
            });
        }
        Ok(out)
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '/' || c == '.'))
        .map(|w| w.trim_matches(|c: char| c == '.' || c == '-' || c == '/'))
        .filter(|w| !w.is_empty())
        .map(str::to_uppercase)
        .collect()
}

fn match_lots(
    ctx: &Ctx<'_>,
    store: StoreId,
    description: &str,
    code_info: &str,
) -> Result<Vec<LotMatch>> {
    let mut lot_words = words(code_info);
    lot_words.sort();
    lot_words.dedup();
    let desc = description.to_uppercase();
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT b.id, b.batch_number, b.product_id, p.name, COALESCE(p.generic_name, ''), COALESCE(p.brand, ''),
                b.expiry_date, b.status, b.on_hand_milli
           FROM batches b JOIN products p ON p.id = b.product_id
          WHERE b.store_id = ?1 AND b.batch_number = ?2 COLLATE NOCASE",
    )?;
    let mut out = Vec::new();
    for w in lot_words {
        let rows = stmt
            .query_map(params![store, w], |r| {
                Ok((
                    LotMatch {
                        batch_id: r.get(0)?,
                        batch_number: r.get(1)?,
                        product_id: r.get(2)?,
                        product_name: r.get(3)?,
                        expiry_date: r.get(6)?,
                        status: BatchStatus::Available,
                        on_hand: Qty::from_scaled(r.get(8)?),
                    },
                    format!(
                        "{} {} {}",
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?
                    ),
                    r.get::<_, String>(7)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (mut m, names, status) in rows {
            let named = words(&names)
                .into_iter()
                .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
                .any(|w| desc.contains(&w));
            if named {
                m.status = BatchStatus::parse(&status)?;
                out.push(m);
            }
        }
    }
    Ok(out)
}

/// How a held lot leaves the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Disposal {
    /// Destroyed: a waste record with its reason and cost.
    Waste,
    /// Sent back to the supplier.
    ReturnToSupplier,
}

/// Disposes of a held lot — quarantined, recalled, damaged or expired — as waste or by
/// returning it to its supplier.
///
/// - `quantity`: how much (default: everything free on the lot, i.e. on hand − held).
/// - `waste`: needs `waste_reason`; writes a waste record (`waste` event, cost).
///   `return_to_supplier`: goes through `return_to_supplier`'s writer — an applied
///   `supplier_return` adjustment and event to the lot's supplier (`invalid_input` when the
///   lot has none), reason from the lot's status (recall, damage, expired; other for a
///   quarantined lot), `notes` for the return note.
/// - An available lot is refused (`invalid_input`): quarantine it first. Managers only.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DisposeBatch {
    /// The lot.
    pub batch_id: BatchId,
    /// How.
    pub method: Disposal,
    /// Quantity (default: all that is free).
    #[ts(optional)]
    pub quantity: Option<Qty>,
    /// Waste reason (waste only).
    #[ts(optional)]
    pub waste_reason: Option<WasteReason>,
    /// Notes (the return note, the destruction certificate…).
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for DisposeBatch {
    const NAME: &'static str = "dispose_batch";
    const SUMMARY: &'static str =
        "Dispose of a held lot (quarantined, recalled, damaged, expired): waste or return to supplier";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = crate::stock::BatchView;

    fn run(self, ctx: &Ctx<'_>) -> Result<crate::stock::BatchView> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        let today = ctx.today(&store);
        let held = matches!(
            b.status,
            BatchStatus::Quarantine
                | BatchStatus::Recalled
                | BatchStatus::Damaged
                | BatchStatus::Expired
        ) || (b.status == BatchStatus::Available && b.is_expired_on(today));
        if !held {
            return Err(Error::invalid(
                "batch_id",
                format!(
                    "lot {} is {}: only a quarantined, recalled, damaged or expired lot is disposed of",
                    b.batch_number,
                    b.status.as_str()
                ),
            ));
        }
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let free = b.on_hand_milli - b.reserved_milli;
        let q = match self.quantity {
            Some(q) => super::ClinicProduct::load(ctx, b.product_id)?.quantity("quantity", q)?,
            None => free,
        };
        if q == 0 {
            return Err(Error::BatchEmpty {
                batch_id: b.id,
                batch: b.batch_number,
            });
        }
        if q > free {
            return Err(Error::InsufficientStock {
                product_id: Some(b.product_id.to_string()),
                batch_id: Some(b.id.to_string()),
                requested: Qty::from_scaled(q).to_string(),
                available: Qty::from_scaled(free).to_string(),
            });
        }
        match self.method {
            Disposal::Waste => {
                let reason = self.waste_reason.ok_or_else(|| {
                    Error::invalid("waste_reason", "say why the lot is wasted (waste_reason)")
                })?;
                insert_lot_waste(ctx, &b, q, reason, None, None, notes.as_deref())?;
            }
            Disposal::ReturnToSupplier => {
                if self.waste_reason.is_some() {
                    return Err(Error::invalid(
                        "waste_reason",
                        "a waste reason only goes with method waste",
                    ));
                }
                // One writer for every return (`return_to_supplier`'s): a
                // supplier_return record and event; a manager's own, so it
                // applies at once.
                let reason = match b.status {
                    BatchStatus::Recalled => AdjustmentReason::Recall,
                    BatchStatus::Damaged => AdjustmentReason::Damage,
                    BatchStatus::Quarantine if !b.is_expired_on(today) => AdjustmentReason::Other,
                    _ => AdjustmentReason::Expired,
                };
                let unit = super::ClinicProduct::load(ctx, b.product_id)?.unit;
                return_stock(
                    ctx,
                    &store,
                    &b,
                    Return {
                        quantity_milli: q,
                        supplier_id: None,
                        reason,
                        notes: Some(notes.as_deref().unwrap_or("disposal of a held lot")),
                        unit: &unit,
                        approver_name: None,
                        approver_pin: None,
                    },
                )?;
            }
        }
        crate::stock::get_batch_view(ctx.tx, b.id, today)
    }
}
