//! Seed 003's StockTransferService in its own words: a one-shot
//! `initiate_transfer` and `get_pending_transfers` (its `receive_transfer` is
//! the one receive operation, which takes the seed's flat shape too).

use super::ship::{approve_transfer, request, ship};
use super::{create, list, NewTransferLine, TransferStatus, TransferSummary};
use crate::auth::Permission;
use crate::catalogue::required_text;
use crate::ids::{BatchId, ProductId, StoreId, TransferId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Seed 003's `initiate_transfer`: one batch of one product, from the source store to
/// another, drafted, requested, approved and shipped in one step by a manager (or admin)
/// of the source — so permission `manage_stock` there. Stock leaves the source now (a
/// `transfer_out` event); the events are those of the four steps.
/// - `batch_number` names the product's batch in the source (`not_found` otherwise); it
///   must be sellable (`batch_not_sellable`) with `quantity` free of reservations
///   (`insufficient_stock`). The other rules are `create_transfer`'s and
///   `ship_transfer`'s.
/// - Returns the seed's `{transfer_id, status: "pending", quantity}`: `pending` is the
///   seed's word for "awaiting receipt", which is the workflow's `in_transit`
///   (`workflow_status`). `transfer_id` is the transfer's id (a UUID, not the seed's
///   integer); `number` is its number in the source store.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct InitiateTransfer {
    /// Source store.
    pub from_store_id: StoreId,
    /// Destination store.
    pub to_store_id: StoreId,
    /// Product.
    pub product_id: ProductId,
    /// Batch number in the source store.
    pub batch_number: String,
    /// Quantity.
    pub quantity: Qty,
    /// The acting user (must be the session's user).
    #[ts(optional)]
    pub user_id: Option<UserId>,
}

/// What `initiate_transfer` answers, in the seed's shape.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct InitiatedTransfer {
    /// The transfer.
    pub transfer_id: TransferId,
    /// Always `pending` (awaiting receipt), as the seed says.
    pub status: String,
    /// Quantity shipped.
    pub quantity: Qty,
    /// The workflow's status (`in_transit`).
    pub workflow_status: TransferStatus,
    /// Number in the source store.
    #[ts(type = "number")]
    pub number: i64,
}

impl Operation for InitiateTransfer {
    const NAME: &'static str = "initiate_transfer";
    const SUMMARY: &'static str =
        "Seed 003: send one batch to another store in one step (a manager; awaiting receipt after)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = InitiatedTransfer;

    fn run(self, ctx: &Ctx<'_>) -> Result<InitiatedTransfer> {
        crate::control::check_claimed_user(ctx, self.user_id)?;
        let store = ctx.store(Some(self.from_store_id))?;
        let number = required_text("batch_number", &self.batch_number, 64)?;
        let batch: Option<BatchId> = ctx
            .tx
            .query_row(
                "SELECT id FROM batches WHERE store_id = ?1 AND product_id = ?2 AND batch_number = ?3",
                params![store.id, self.product_id, number],
                |r| r.get(0),
            )
            .optional()?;
        let batch = batch.ok_or_else(|| Error::not_found("batch", &number))?;
        let id = create(
            ctx,
            Some(store.id),
            self.to_store_id,
            &[NewTransferLine {
                product_id: self.product_id,
                quantity: self.quantity,
                batch_id: Some(batch),
            }],
            None,
        )?;
        request(ctx, id)?;
        approve_transfer(ctx, id, None)?;
        ship(ctx, id, None, None)?;
        let (shipped, n): (i64, i64) = ctx.tx.query_row(
            "SELECT SUM(i.shipped_milli), t.number FROM transfer_items i JOIN transfers t ON t.id = i.transfer_id
              WHERE i.transfer_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(InitiatedTransfer {
            transfer_id: id,
            status: "pending".into(),
            quantity: Qty::from_scaled(shipped),
            workflow_status: TransferStatus::InTransit,
            number: n,
        })
    }
}

/// Seed 003's `get_pending_transfers(store_id)`: transfers awaiting receipt at the store
/// (default: the user's), i.e. `in_transit` or `partially_received` to it, oldest first.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetPendingTransfers {
    /// The receiving store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for GetPendingTransfers {
    const NAME: &'static str = "get_pending_transfers";
    const SUMMARY: &'static str = "Seed 003: transfers awaiting receipt at a store";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<TransferSummary>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<TransferSummary>> {
        let store = ctx.store(self.store_id)?;
        let mut out = list(
            ctx,
            "t.to_store_id = ?1 AND t.status IN ('in_transit', 'partially_received')",
            params![store.id, 1000],
        )?;
        out.reverse();
        Ok(out)
    }
}
