//! The approvals queue: every stock-changing request that waits for a
//! manager, whatever area made it, in one list for the store PC.
//!
//! Each area keeps its own pending records (an adjustment's row, a count's
//! status, a transfer discrepancy) and answers for them with a
//! `pending_approvals(ctx, store)` function returning [`ApprovalRequest`]s;
//! `list_approvals` gathers them. Approving or refusing stays with the
//! area's own operation (`approve_adjustment`, `approve_count`, …), named in
//! each request so the UI never guesses.

use crate::approval::ApprovalMeasure;
use crate::ids::{StoreId, UserId};
use serde::Serialize;
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
