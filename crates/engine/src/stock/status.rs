//! `set_batch_status`: quarantine a batch, release it back to available,
//! recall it (with the FDA recall class) or mark it damaged. A batch that
//! stops being sellable loses its holds. Quantities are unchanged.

use super::{get_batch_view, BatchRow, BatchStatus, BatchView};
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::BatchId;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::params;
use serde::Deserialize;
use ts_rs::TS;

/// - `status` can be set to `quarantine`, `recalled`, `damaged` or `available`;
///   `available` only releases a quarantined batch, and not one past its expiry
///   (`batch_not_sellable`, reason `expired`). `expired` and `depleted` are set by the
///   engine (`expire_batches_within_days`, stock reaching 0).
/// - `recall_class` (`I`, `II` or `III`) only with `recalled`.
/// - A batch that stops being sellable loses its active holds. Quantities are unchanged.
///   Writes a `recall` or `status_change` audit event; a recall of a lot with stock also
///   raises a critical `recall` alert (resolved by the alert sweep once the lot is empty).
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetBatchStatus {
    /// Batch.
    pub batch_id: BatchId,
    /// `available`, `quarantine`, `recalled` or `damaged`.
    pub status: BatchStatus,
    /// Why (recall notice, inspection…).
    #[ts(optional)]
    pub reason: Option<String>,
    /// FDA recall class `I`, `II` or `III` (recalls only).
    #[ts(optional)]
    pub recall_class: Option<String>,
}

impl Operation for SetBatchStatus {
    const NAME: &'static str = "set_batch_status";
    const SUMMARY: &'static str =
        "Quarantine, release, recall (with class) or mark a batch damaged";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = BatchView;

    fn run(self, ctx: &Ctx<'_>) -> Result<BatchView> {
        let b = BatchRow::load(ctx.tx, self.batch_id)?;
        let store = ctx.store(Some(b.store_id))?;
        let reason = optional_text("reason", self.reason.as_deref(), 500)?;
        if !matches!(
            self.status,
            BatchStatus::Available
                | BatchStatus::Quarantine
                | BatchStatus::Recalled
                | BatchStatus::Damaged
        ) {
            return Err(Error::invalid(
                "status",
                "status can be set to available, quarantine, recalled or damaged",
            ));
        }
        if b.status == self.status {
            return Err(Error::BatchStatusUnchanged {
                batch_id: b.id,
                batch: b.batch_number,
                status: b.status,
            });
        }
        if self.status == BatchStatus::Available {
            if b.status != BatchStatus::Quarantine {
                return Err(Error::BatchNotQuarantined {
                    batch_id: b.id,
                    batch: b.batch_number,
                    status: b.status,
                });
            }
            if b.is_expired_on(ctx.today(&store)) {
                return Err(Error::BatchNotSellable {
                    batch_id: Some(b.id),
                    batch: b.batch_number.clone(),
                    reason: BatchStatus::Expired,
                    expiry_date: Some(b.expiry_date.clone()),
                });
            }
        }
        let class = match (&self.status, self.recall_class.as_deref()) {
            (BatchStatus::Recalled, Some(c @ ("I" | "II" | "III"))) => Some(c.to_string()),
            (BatchStatus::Recalled, None) => None,
            (BatchStatus::Recalled, Some(c)) => {
                return Err(Error::invalid(
                    "recall_class",
                    format!("recall class is I, II or III, not '{c}'"),
                ))
            }
            (_, Some(_)) => {
                return Err(Error::invalid(
                    "recall_class",
                    "a recall class only goes with status recalled",
                ))
            }
            (_, None) => None,
        };
        write_status(ctx, &b, self.status, reason.as_deref(), class.as_deref())?;
        get_batch_view(ctx.tx, b.id, ctx.today(&store))
    }
}

/// Writes a batch's new status and its `recall` or `status_change` event
/// (the caller checked the change is allowed); a batch that stops being
/// sellable loses its holds (but an open vial's, see
/// `reservations::expire_holds_on_batch`).
pub(crate) fn write_status(
    ctx: &Ctx<'_>,
    b: &BatchRow,
    status: BatchStatus,
    reason: Option<&str>,
    class: Option<&str>,
) -> Result<()> {
    if status != BatchStatus::Available && b.reserved_milli > 0 {
        super::reservations::expire_holds_on_batch(ctx, b.id)?;
    }
    let new_status = if status == BatchStatus::Available && b.on_hand_milli == 0 {
        BatchStatus::Depleted
    } else {
        status
    };
    ctx.tx.execute(
        "UPDATE batches SET status = ?2, status_reason = ?3, recall_class = COALESCE(?4, recall_class), updated_at = ?5 WHERE id = ?1",
        params![b.id, new_status.as_str(), reason, class, ctx.now_str()],
    )?;
    let notes = format!(
        "{} -> {}{}",
        b.status.as_str(),
        new_status.as_str(),
        reason.map(|r| format!(": {r}")).unwrap_or_default()
    );
    audit::append(
        ctx,
        NewEvent {
            store_id: b.store_id,
            batch_id: Some(b.id),
            product_id: Some(b.product_id),
            change_type: if status == BatchStatus::Recalled {
                ChangeType::Recall
            } else {
                ChangeType::StatusChange
            },
            previous_milli: Some(b.on_hand_milli),
            new_milli: Some(b.on_hand_milli),
            reference_id: None,
            notes: Some(&notes),
        },
    )?;
    if status == BatchStatus::Recalled && b.on_hand_milli > 0 {
        // The store must find and pull the lot now: an alert (critical for
        // class I), resolved by the sweep once nothing is left on it.
        let name: String = ctx.tx.query_row(
            "SELECT name FROM products WHERE id = ?1",
            [b.product_id],
            |r| r.get(0),
        )?;
        let label = format!("{name} lot {}", b.batch_number);
        crate::alerts::raise(
            ctx,
            crate::alerts::NewAlert {
                store_id: b.store_id,
                alert_type: crate::alerts::AlertType::Recall,
                severity: if class == Some("I") {
                    crate::alerts::Severity::Critical
                } else {
                    crate::alerts::Severity::Warning
                },
                subject_kind: "batch",
                subject_id: &b.id.to_string(),
                subject_name: &label,
                product_id: Some(b.product_id),
                batch_id: Some(b.id),
                message: format!(
                    "{label} is recalled{}",
                    class.map(|c| format!(" (class {c})")).unwrap_or_default()
                ),
            },
        )?;
    }
    Ok(())
}
