//! The approvals queue: every stock-changing request that waits for a
//! manager, whatever area made it, in one list for the store PC.
//!
//! Each area keeps its own pending records (an adjustment's row, a count's
//! status, a transfer discrepancy) and answers for them with a
//! `pending_approvals(ctx, store)` function returning [`ApprovalRequest`]s;
//! `list_approvals` gathers them. Approving or refusing stays with the
//! area's own operation (`approve_adjustment`, `approve_count`, …), named in
//! each request so the UI never guesses.
//!
//! The queue is for those who decide: `list_approvals` needs `manage_stock`
//! (managers and admins of the store; head office reads it too). Cashiers
//! follow their own requests in `list_adjustments`.

use crate::approval::ApprovalMeasure;
use crate::auth::Permission;
use crate::ids::{StoreId, UserId};
use crate::op::{Ctx, Operation};
use crate::Result;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of request waits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApprovalKind {
    /// A stock adjustment over the store's threshold.
    Adjustment,
    /// A write-off over the store's threshold.
    Writeoff,
    /// A return of stock to its supplier over the store's threshold.
    SupplierReturn,
    /// A completed count whose variance goes past the store's threshold.
    Count,
    /// A transfer requested from this store, waiting for the source's approval.
    Transfer,
    /// A transfer's short or damaged receipt whose resolution goes past the threshold.
    TransferDiscrepancy,
    /// A purchase order whose total goes past the store's purchase-order limit.
    PurchaseOrder,
}

/// One request waiting for a manager.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ApprovalRequest {
    /// What kind of request.
    pub kind: ApprovalKind,
    /// The id of the waiting record (adjustment, count, transfer or discrepancy).
    pub id: String,
    /// The store it waits in.
    pub store_id: StoreId,
    /// One line a manager reads ("Amoxicillin 500 mg, batch A123: −40 tablet (damage)").
    pub summary: String,
    /// Who asked.
    pub requested_by: UserId,
    /// Their name.
    pub requested_by_name: String,
    /// When they asked (RFC 3339, UTC).
    pub requested_at: String,
    /// What the figures measure, when the request has one.
    pub measure: Option<ApprovalMeasure>,
    /// The figure to approve (a decimal string).
    pub amount: Option<String>,
    /// The threshold it goes past, when there is one.
    pub limit: Option<String>,
    /// The operation that approves it (e.g. `approve_adjustment`).
    pub approve_command: String,
    /// The operation that refuses it (e.g. `reject_adjustment`).
    pub reject_command: String,
}

/// Every request waiting in one store, oldest first: the one query behind
/// `list_approvals` and the dashboard's count.
pub(crate) fn pending_in_store(ctx: &Ctx<'_>, store: StoreId) -> Result<Vec<ApprovalRequest>> {
    let mut out = crate::stock::adjust::pending_approvals(ctx, store)?;
    out.extend(super::counts::pending_approvals(ctx, store)?);
    out.extend(super::transfers::pending_approvals(ctx, store)?);
    out.extend(crate::purchasing::pending_approvals(ctx, store)?);
    sort_oldest_first(&mut out);
    Ok(out)
}

/// Oldest first; RFC 3339 UTC instants of one format sort as text. Ties by
/// kind and id, so the order is stable.
fn sort_oldest_first(list: &mut [ApprovalRequest]) {
    list.sort_by(|a, b| {
        (a.requested_at.as_str(), a.id.as_str()).cmp(&(b.requested_at.as_str(), b.id.as_str()))
    });
}

/// The approvals queue: every request waiting for a manager — adjustments, write-offs and
/// returns to supplier over the store's thresholds (then count variances, transfer
/// discrepancies and purchase orders over the store's limit) — oldest first.
///
/// - `store_id` given: that store's queue (`forbidden` unless the actor may manage stock
///   there). Omitted: the queues of every store where the actor may (a manager of two
///   stores sees both; another store's requests never show).
/// - Each request names the operations that decide it (`approve_command`,
///   `reject_command`), who asked and when, and the figure it goes past (`measure`,
///   `amount`, `limit`; no `limit` when the thresholds were raised above it since — a
///   manager still decides).
/// - Needs `manage_stock`: the queue is for those who decide.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListApprovals {
    /// Only this store (default: every store the actor manages).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for ListApprovals {
    const NAME: &'static str = "list_approvals";
    const SUMMARY: &'static str =
        "The approvals queue: every request waiting for a manager, oldest first";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = false;
    type Output = Vec<ApprovalRequest>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<ApprovalRequest>> {
        let stores = match self.store_id {
            Some(id) => vec![ctx.store(Some(id))?.id],
            None => {
                let mut stmt = ctx
                    .tx
                    .prepare_cached("SELECT id FROM stores WHERE is_active = 1 ORDER BY name")?;
                let ids = stmt
                    .query_map([], |r| r.get::<_, StoreId>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                ids.into_iter().filter(|id| ctx.may_at(*id)).collect()
            }
        };
        let mut out = Vec::new();
        for store in stores {
            out.extend(pending_in_store(ctx, store)?);
        }
        sort_oldest_first(&mut out);
        Ok(out)
    }
}
