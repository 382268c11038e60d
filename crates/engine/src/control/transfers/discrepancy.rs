//! Resolving what a transfer lost: the source decides, a manager approves
//! past the source's value threshold.

use super::{load, read_discrepancy, record, value_e4, TransferDiscrepancy, DISC_SQL};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::ChangeType;
use crate::auth::Permission;
use crate::catalogue::stores::StoreInfo;
use crate::catalogue::{optional_text, required_text};
use crate::control::approvals::{ApprovalKind, ApprovalRequest};
use crate::ids::{BatchId, StoreId, TransferDiscrepancyId, TransferId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::{move_stock, BatchRow};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How a short or damaged quantity is settled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiscrepancyResolution {
    /// Gone on the way: a loss of the source; no stock moves.
    LostInTransit,
    /// Came back to the source: the quantity is put back on its source batch.
    Returned,
    /// Disposed of (damaged goods): a loss of the source; no stock moves.
    WrittenOff,
}

impl DiscrepancyResolution {
    fn as_str(self) -> &'static str {
        match self {
            DiscrepancyResolution::LostInTransit => "lost_in_transit",
            DiscrepancyResolution::Returned => "returned",
            DiscrepancyResolution::WrittenOff => "written_off",
        }
    }
}

/// A discrepancy with what deciding it needs.
struct Row {
    id: TransferDiscrepancyId,
    transfer: TransferId,
    from: StoreId,
    status: String,
    resolution: Option<String>,
    qty: i64,
    cost_e4: i64,
    source_batch: BatchId,
}

fn load_row(ctx: &Ctx<'_>, id: TransferDiscrepancyId) -> Result<Row> {
    let r = ctx
        .tx
        .query_row(
            "SELECT d.transfer_id, t.from_store_id, d.status, d.resolution, d.quantity_milli, l.cost_e4, l.source_batch_id
               FROM transfer_discrepancies d JOIN transfers t ON t.id = d.transfer_id JOIN transfer_lots l ON l.id = d.lot_id
              WHERE d.id = ?1",
            [id],
            |r| {
                Ok(Row {
                    id,
                    transfer: r.get(0)?,
                    from: r.get(1)?,
                    status: r.get(2)?,
                    resolution: r.get(3)?,
                    qty: r.get(4)?,
                    cost_e4: r.get(5)?,
                    source_batch: r.get(6)?,
                })
            },
        )
        .optional()?
        .ok_or_else(|| Error::not_found("transfer discrepancy", id))?;
    // Resolutions are the source's: it shipped the stock and bears the loss.
    ctx.check_store(r.from)?;
    Ok(r)
}

fn expect(r: &Row, status: &str, action: &str) -> Result<()> {
    if r.status == status {
        return Ok(());
    }
    Err(Error::conflict(format!(
        "the discrepancy is {}; only one that is {status} can be {action}",
        r.status.replace('_', " ")
    )))
}

fn get(ctx: &Ctx<'_>, id: TransferDiscrepancyId) -> Result<TransferDiscrepancy> {
    Ok(ctx.tx.query_row(
        &format!("{DISC_SQL} WHERE d.id = ?1"),
        [id],
        read_discrepancy,
    )?)
}

/// Settles the discrepancy now: `resolved`, and for `returned` the quantity
/// back on the source batch (a `transfer_in` of the source's record).
fn apply(ctx: &Ctx<'_>, r: &Row, resolution: &str, by: UserId, notes: Option<&str>) -> Result<()> {
    ctx.tx.execute(
        "UPDATE transfer_discrepancies SET status = 'resolved', resolution = ?2, resolved_by = ?3, resolved_at = ?4,
                resolution_notes = COALESCE(?5, resolution_notes) WHERE id = ?1",
        params![r.id, resolution, by, ctx.now_str(), notes],
    )?;
    if resolution == DiscrepancyResolution::Returned.as_str() {
        let b = BatchRow::load(ctx.tx, r.source_batch)?;
        let number: i64 = ctx.tx.query_row(
            "SELECT number FROM transfers WHERE id = ?1",
            [r.transfer],
            |row| row.get(0),
        )?;
        move_stock(
            ctx,
            &b,
            b.on_hand_milli + r.qty,
            ChangeType::TransferIn,
            Some(&r.transfer.to_string()),
            Some(&format!("returned from transfer {number}")),
        )?;
    }
    let t = load(ctx, r.transfer)?;
    record(
        ctx,
        r.from,
        ChangeType::TransferDiscrepancyResolved,
        &t,
        Some(serde_json::json!({
            "discrepancy_id": r.id,
            "status": "resolved",
            "resolution": resolution,
            "resolved_by": by,
            "notes": notes,
        })),
    )
}

/// Resolves an `open` discrepancy of a transfer (`conflict` otherwise) at its source:
/// `lost_in_transit` or `written_off` (a loss of the source; no stock moves) or `returned`
/// (the quantity goes back on the source batch it shipped from: a `transfer_in` of the
/// source). Permission `adjust_stock` at the source (`forbidden` for the destination's
/// staff).
/// - A manager's or admin's resolution applies at once; anyone else's applies at once only
///   within the source's `adjustment_approval_value` (quantity × the lot's cost); above it
///   the discrepancy waits as `pending_approval` in the approvals queue until a manager
///   approves (`approve_discrepancy`) or refuses (`reject_discrepancy`) it, unless a
///   manager approves at once with `approver_name` + `approver_pin` (as `adjust_stock`).
/// - A `transfer_discrepancy_resolved` event in the source's record (its data says
///   `resolved` or `pending_approval`).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ResolveDiscrepancy {
    /// The discrepancy.
    pub discrepancy_id: TransferDiscrepancyId,
    /// How it is settled.
    pub resolution: DiscrepancyResolution,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// A manager approving at once: their name…
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// …and PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

impl Operation for ResolveDiscrepancy {
    const NAME: &'static str = "resolve_discrepancy";
    const SUMMARY: &'static str = "Resolve a transfer's short or damaged quantity (lost in transit, returned, written off) at the source";
    const PERMISSION: Permission = Permission::AdjustStock;
    const WRITES: bool = true;
    type Output = TransferDiscrepancy;

    fn run(self, ctx: &Ctx<'_>) -> Result<TransferDiscrepancy> {
        let r = load_row(ctx, self.discrepancy_id)?;
        expect(&r, "open", "resolved")?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let store = StoreInfo::load(ctx.tx, r.from)?;
        let value = value_e4(r.qty, r.cost_e4);
        let needed = value > store.approval_e4;
        let over = Over::by(
            ApprovalMeasure::Money,
            Money::from_scaled(value),
            Money::from_scaled(store.approval_e4),
        );
        let approver = approve(
            ctx,
            Approval {
                action: "a transfer discrepancy resolution",
                store_id: Some(r.from),
                needed,
                approver_name: self.approver_name.as_deref(),
                approver_pin: self.approver_pin.as_deref(),
                if_missing: IfMissing::Wait,
                over: Some(&over),
            },
        )?;
        let by = match approver {
            Some(a) => Some(a.id),
            None if !needed => Some(ctx.actor.id),
            None => None,
        };
        let resolution = self.resolution.as_str();
        match by {
            Some(by) => apply(ctx, &r, resolution, by, notes.as_deref())?,
            None => {
                ctx.tx.execute(
                    "UPDATE transfer_discrepancies SET status = 'pending_approval', resolution = ?2, requested_by = ?3,
                            requested_at = ?4, resolution_notes = ?5 WHERE id = ?1",
                    params![r.id, resolution, ctx.actor.id, ctx.now_str(), notes],
                )?;
                let t = load(ctx, r.transfer)?;
                record(
                    ctx,
                    r.from,
                    ChangeType::TransferDiscrepancyResolved,
                    &t,
                    Some(serde_json::json!({
                        "discrepancy_id": r.id,
                        "status": "pending_approval",
                        "resolution": resolution,
                        "value": Money::from_scaled(value),
                        "limit": Money::from_scaled(store.approval_e4),
                    })),
                )?;
            }
        }
        get(ctx, r.id)
    }
}

/// A manager of the source approves a discrepancy's `pending_approval` resolution
/// (`conflict` otherwise): it applies as [`ResolveDiscrepancy`] would (for `returned`,
/// stock back on the source batch). The approver is the acting user.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ApproveDiscrepancy {
    /// The discrepancy.
    pub discrepancy_id: TransferDiscrepancyId,
    /// Remark.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for ApproveDiscrepancy {
    const NAME: &'static str = "approve_discrepancy";
    const SUMMARY: &'static str = "Approve a transfer discrepancy's pending resolution";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = TransferDiscrepancy;

    fn run(self, ctx: &Ctx<'_>) -> Result<TransferDiscrepancy> {
        let r = load_row(ctx, self.discrepancy_id)?;
        expect(&r, "pending_approval", "approved")?;
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        let resolution = r
            .resolution
            .clone()
            .ok_or_else(|| Error::internal("a pending discrepancy without its resolution"))?;
        apply(ctx, &r, &resolution, ctx.actor.id, notes.as_deref())?;
        get(ctx, r.id)
    }
}

/// A manager of the source refuses a discrepancy's `pending_approval` resolution
/// (`conflict` otherwise), with a `reason` (required): it is `open` again, nothing moved.
/// A `transfer_discrepancy_rejected` event in the source's record.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RejectDiscrepancy {
    /// The discrepancy.
    pub discrepancy_id: TransferDiscrepancyId,
    /// Why.
    pub reason: String,
}

impl Operation for RejectDiscrepancy {
    const NAME: &'static str = "reject_discrepancy";
    const SUMMARY: &'static str =
        "Refuse a transfer discrepancy's pending resolution (it is open again)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = TransferDiscrepancy;

    fn run(self, ctx: &Ctx<'_>) -> Result<TransferDiscrepancy> {
        let r = load_row(ctx, self.discrepancy_id)?;
        expect(&r, "pending_approval", "refused")?;
        let reason = required_text("reason", &self.reason, 1000)?;
        ctx.tx.execute(
            "UPDATE transfer_discrepancies SET status = 'open', resolution = NULL, requested_by = NULL, requested_at = NULL,
                    resolution_notes = ?2 WHERE id = ?1",
            params![r.id, reason],
        )?;
        let t = load(ctx, r.transfer)?;
        record(
            ctx,
            r.from,
            ChangeType::TransferDiscrepancyRejected,
            &t,
            Some(serde_json::json!({ "discrepancy_id": r.id, "reason": reason })),
        )?;
        get(ctx, r.id)
    }
}

/// The source store's transfer requests that wait for a manager: transfers `requested`
/// (approved by `approve_transfer`, refused by `cancel_transfer`) and discrepancy
/// resolutions `pending_approval` (`approve_discrepancy` / `reject_discrepancy`).
#[allow(dead_code)] // gathered by `list_approvals` once wired
pub(crate) fn pending_approvals(ctx: &Ctx<'_>, store: StoreId) -> Result<Vec<ApprovalRequest>> {
    let mut out = Vec::new();
    let mut stmt = ctx.tx.prepare(
        "SELECT t.id, t.number, ts.name, t.requested_by, u.name, t.requested_at,
                (SELECT group_concat(p.name, ', ') FROM transfer_items i JOIN products p ON p.id = i.product_id
                  WHERE i.transfer_id = t.id)
           FROM transfers t JOIN stores ts ON ts.id = t.to_store_id JOIN users u ON u.id = t.requested_by
          WHERE t.from_store_id = ?1 AND t.status = 'requested' ORDER BY t.requested_at",
    )?;
    let rows = stmt.query_map([store], |r| {
        let id: TransferId = r.get(0)?;
        let number: i64 = r.get(1)?;
        let to: String = r.get(2)?;
        let contents: Option<String> = r.get(6)?;
        Ok(ApprovalRequest {
            kind: ApprovalKind::Transfer,
            id: id.to_string(),
            store_id: store,
            summary: format!(
                "Transfer {number} to {to}: {}",
                contents.unwrap_or_default()
            ),
            requested_by: r.get(3)?,
            requested_by_name: r.get(4)?,
            requested_at: r.get(5)?,
            measure: None,
            amount: None,
            limit: None,
            approve_command: "approve_transfer".into(),
            reject_command: "cancel_transfer".into(),
        })
    })?;
    for r in rows {
        out.push(r?);
    }
    let limit: i64 = ctx.tx.query_row(
        "SELECT adjustment_approval_e4 FROM stores WHERE id = ?1",
        [store],
        |r| r.get(0),
    )?;
    let mut stmt = ctx.tx.prepare(
        "SELECT d.id, t.number, p.name, l.batch_number, d.kind, d.quantity_milli, p.unit, l.cost_e4, d.resolution,
                d.requested_by, u.name, d.requested_at
           FROM transfer_discrepancies d JOIN transfers t ON t.id = d.transfer_id JOIN transfer_lots l ON l.id = d.lot_id
           JOIN transfer_items i ON i.id = l.item_id JOIN products p ON p.id = i.product_id
           JOIN users u ON u.id = d.requested_by
          WHERE t.from_store_id = ?1 AND d.status = 'pending_approval' ORDER BY d.requested_at",
    )?;
    let rows = stmt.query_map([store], |r| {
        let id: TransferDiscrepancyId = r.get(0)?;
        let number: i64 = r.get(1)?;
        let (product, batch, kind): (String, String, String) = (r.get(2)?, r.get(3)?, r.get(4)?);
        let qty: i64 = r.get(5)?;
        let unit: String = r.get(6)?;
        let resolution: String = r.get(8)?;
        Ok(ApprovalRequest {
            kind: ApprovalKind::TransferDiscrepancy,
            id: id.to_string(),
            store_id: store,
            summary: format!(
                "Transfer {number}, {product} batch {batch}: {} {unit} {kind}, {}",
                Qty::from_scaled(qty),
                resolution.replace('_', " ")
            ),
            requested_by: r.get(9)?,
            requested_by_name: r.get(10)?,
            requested_at: r.get(11)?,
            measure: Some(ApprovalMeasure::Money),
            amount: Some(Money::from_scaled(value_e4(qty, r.get(7)?)).to_string()),
            limit: Some(Money::from_scaled(limit).to_string()),
            approve_command: "approve_discrepancy".into(),
            reject_command: "reject_discrepancy".into(),
        })
    })?;
    for r in rows {
        out.push(r?);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::catalogue::products::{CreateProduct, ProductFields};
    use crate::catalogue::stores::CreateStore;
    use crate::catalogue::suppliers::{CreateSupplier, SupplierFields};
    use crate::catalogue::users::CreateUser;
    use crate::control::transfers::*;
    use crate::setup::{initialize, InitRequest};
    use crate::stock::receive::ReceiveStock;
    use crate::{Db, Session};

    /// `pending_approvals` of a store, as an operation (the test's door into a `Ctx`).
    #[derive(Deserialize)]
    struct Pending(StoreId);

    impl Operation for Pending {
        const NAME: &'static str = "pending";
        const SUMMARY: &'static str = "";
        const PERMISSION: Permission = Permission::ViewInventory;
        const WRITES: bool = false;
        type Output = Vec<ApprovalRequest>;
        fn run(self, ctx: &Ctx<'_>) -> Result<Vec<ApprovalRequest>> {
            pending_approvals(ctx, self.0)
        }
    }

    #[test]
    fn the_source_queue_holds_requested_transfers_and_pending_resolutions() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("store.db")).unwrap();
        let init = initialize(
            &mut db,
            InitRequest {
                store_name: "Store A".into(),
                store_code: Some("STA".into()),
                timezone: Some("Africa/Lagos".into()),
                currency: None,
                locale: None,
                admin_name: "ada".into(),
                admin_pin: Some("1111".into()),
            },
        )
        .unwrap();
        let (a, admin) = (
            init.store_id,
            Session {
                user_id: init.user_id,
            },
        );
        let b = db
            .execute(
                &admin,
                CreateStore {
                    name: "Store B".into(),
                    code: Some("STB".into()),
                    ..Default::default()
                },
            )
            .unwrap()
            .id;
        let cashier = Session {
            user_id: db
                .execute(
                    &admin,
                    CreateUser {
                        name: "cate".into(),
                        role: Role::Cashier,
                        pin: Some("3333".into()),
                        store_id: Some(a),
                        stores: None,
                        head_office: None,
                    },
                )
                .unwrap()
                .id,
        };
        let supplier = db
            .execute(
                &admin,
                CreateSupplier {
                    name: "Emzor".into(),
                    fields: SupplierFields::default(),
                },
            )
            .unwrap()
            .id;
        let product = db
            .execute(
                &admin,
                CreateProduct {
                    sku: "PCM".into(),
                    name: "Paracetamol".into(),
                    fields: ProductFields {
                        cost_price: Some("5".parse().unwrap()),
                        ..Default::default()
                    },
                },
            )
            .unwrap()
            .id;
        db.execute(
            &admin,
            ReceiveStock {
                product_id: product,
                store_id: Some(a),
                batch_number: "A1".into(),
                quantity: Qty::from(100),
                expiry_date: chrono::NaiveDate::from_ymd_opt(2099, 12, 31),
                manufacture_date: None,
                serial_number: None,
                cost_price: None,
                supplier_id: supplier,
                reference_number: None,
                location: None,
                storage_location_id: None,
                notes: None,
            },
        )
        .unwrap();
        let draft = |db: &mut Db| {
            db.execute(
                &cashier,
                CreateTransfer {
                    from_store_id: None,
                    to_store_id: b,
                    lines: vec![NewTransferLine {
                        product_id: product,
                        quantity: Qty::from(30),
                        batch_id: None,
                    }],
                    notes: None,
                    user_id: None,
                },
            )
            .unwrap()
            .id
        };
        let waiting = draft(&mut db);
        db.execute(
            &cashier,
            RequestTransfer {
                transfer_id: waiting,
            },
        )
        .unwrap();
        let short = draft(&mut db);
        db.execute(&cashier, RequestTransfer { transfer_id: short })
            .unwrap();
        db.execute(
            &admin,
            ApproveTransfer {
                transfer_id: short,
                notes: None,
            },
        )
        .unwrap();
        let shipped = db
            .execute(
                &admin,
                ShipTransfer {
                    transfer_id: short,
                    carrier: None,
                    tracking_number: None,
                },
            )
            .unwrap();
        db.execute(
            &admin,
            ReceiveTransfer {
                transfer_id: short,
                received_quantity: None,
                lines: Some(vec![ReceiveTransferLine {
                    lot_id: shipped.lots[0].id,
                    received: Qty::from(5),
                    damaged: None,
                }]),
                close: Some(true),
                notes: None,
                user_id: None,
            },
        )
        .unwrap();
        let d = db
            .execute(&admin, GetTransfer { transfer_id: short })
            .unwrap()
            .discrepancies[0]
            .id;
        // 25 short at 5.00 is 125.00, over the default 100.00.
        let r = db
            .execute(
                &cashier,
                ResolveDiscrepancy {
                    discrepancy_id: d,
                    resolution: DiscrepancyResolution::LostInTransit,
                    notes: None,
                    approver_name: None,
                    approver_pin: None,
                },
            )
            .unwrap();
        assert_eq!(r.status, super::super::DiscrepancyStatus::PendingApproval);

        let queue = db.execute(&admin, Pending(a)).unwrap();
        let seen: Vec<(ApprovalKind, String, &str, Option<&str>)> = queue
            .iter()
            .map(|q| {
                (
                    q.kind,
                    q.id.clone(),
                    q.approve_command.as_str(),
                    q.amount.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (
                    ApprovalKind::Transfer,
                    waiting.to_string(),
                    "approve_transfer",
                    None
                ),
                (
                    ApprovalKind::TransferDiscrepancy,
                    d.to_string(),
                    "approve_discrepancy",
                    Some("125.00")
                ),
            ]
        );
        assert!(queue.iter().all(|q| q.requested_by == cashier.user_id));
        assert!(queue[1].summary.contains("25"), "{}", queue[1].summary);
        // The destination's queue holds none of the source's requests.
        assert!(db.execute(&admin, Pending(b)).unwrap().is_empty());
    }
}
