//! Alerts: what needs a person's attention in a store — low or no stock,
//! lots expiring or expired, recalls, temperature excursions, count
//! variances, reorder recommendations.
//!
//! An alert is about one subject (kind + id + name as it read when raised)
//! and moves active → acknowledged → resolved, or is dismissed. There is at
//! most one open (active or acknowledged) alert per store, type and subject
//! (a partial unique index, migration V12), so `raise` called again for the
//! same subject returns the open alert (raising its severity if the new one
//! is higher) and a sweep never duplicates. `resolve_subject` closes it
//! when its cause is gone. Every state change is an event of the store's
//! record (`audit::record`).

use crate::audit::{self, ChangeType, Payload};
use crate::ids::{AlertId, BatchId, ProductId, StoreId};
use crate::op::Ctx;
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod list;
pub mod reorder;
pub mod sweep;

/// What an alert is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AlertType {
    /// Available stock at or below the product's reorder point.
    LowStock,
    /// Nothing available.
    OutOfStock,
    /// A lot with stock expires within the store's alert window.
    ExpiringSoon,
    /// A lot with stock is past its expiry date.
    Expired,
    /// A lot was recalled.
    Recall,
    /// A storage location went outside its products' temperature range.
    TemperatureExcursion,
    /// A count found a difference.
    VarianceDetected,
    /// Usage says it is time to order.
    ReorderRecommended,
}

impl AlertType {
    /// Every type.
    pub const ALL: &'static [AlertType] = &[
        AlertType::LowStock,
        AlertType::OutOfStock,
        AlertType::ExpiringSoon,
        AlertType::Expired,
        AlertType::Recall,
        AlertType::TemperatureExcursion,
        AlertType::VarianceDetected,
        AlertType::ReorderRecommended,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertType::LowStock => "low_stock",
            AlertType::OutOfStock => "out_of_stock",
            AlertType::ExpiringSoon => "expiring_soon",
            AlertType::Expired => "expired",
            AlertType::Recall => "recall",
            AlertType::TemperatureExcursion => "temperature_excursion",
            AlertType::VarianceDetected => "variance_detected",
            AlertType::ReorderRecommended => "reorder_recommended",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<AlertType> {
        Self::ALL
            .iter()
            .copied()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| Error::internal(format!("unknown alert type '{s}'")))
    }

    /// A short English title (the UI words it from the type itself).
    pub fn title(self) -> &'static str {
        match self {
            AlertType::LowStock => "Low stock",
            AlertType::OutOfStock => "Out of stock",
            AlertType::ExpiringSoon => "Expiring soon",
            AlertType::Expired => "Expired stock",
            AlertType::Recall => "Recall",
            AlertType::TemperatureExcursion => "Temperature excursion",
            AlertType::VarianceDetected => "Count variance",
            AlertType::ReorderRecommended => "Reorder recommended",
        }
    }
}

/// How urgent an alert is (ordered: info < warning < critical).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    /// For information.
    Info,
    /// Needs attention soon.
    Warning,
    /// Needs attention now.
    Critical,
}

impl Severity {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<Severity> {
        match s {
            "info" => Ok(Severity::Info),
            "warning" => Ok(Severity::Warning),
            "critical" => Ok(Severity::Critical),
            _ => Err(Error::internal(format!("unknown alert severity '{s}'"))),
        }
    }
}

/// Where an alert is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AlertStatus {
    /// Raised, nobody has looked at it yet.
    Active,
    /// Someone has seen it and is dealing with it.
    Acknowledged,
    /// Dealt with, or its cause went away.
    Resolved,
    /// Closed as not needing action.
    Dismissed,
}

impl AlertStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Active => "active",
            AlertStatus::Acknowledged => "acknowledged",
            AlertStatus::Resolved => "resolved",
            AlertStatus::Dismissed => "dismissed",
        }
    }

    /// Parses the stored name.
    pub fn parse(s: &str) -> Result<AlertStatus> {
        match s {
            "active" => Ok(AlertStatus::Active),
            "acknowledged" => Ok(AlertStatus::Acknowledged),
            "resolved" => Ok(AlertStatus::Resolved),
            "dismissed" => Ok(AlertStatus::Dismissed),
            _ => Err(Error::internal(format!("unknown alert status '{s}'"))),
        }
    }

    /// Active or acknowledged.
    pub fn is_open(self) -> bool {
        matches!(self, AlertStatus::Active | AlertStatus::Acknowledged)
    }
}

/// An alert to raise (see `raise`).
pub struct NewAlert<'a> {
    /// Store.
    pub store_id: StoreId,
    /// Type.
    pub alert_type: AlertType,
    /// Severity.
    pub severity: Severity,
    /// What it is about: `product`, `batch`, `excursion`, `vial`…
    pub subject_kind: &'a str,
    /// The subject's id.
    pub subject_id: &'a str,
    /// The subject's name as it reads now.
    pub subject_name: &'a str,
    /// Product concerned, if any.
    pub product_id: Option<ProductId>,
    /// Batch concerned, if any.
    pub batch_id: Option<BatchId>,
    /// Plain words.
    pub message: String,
}

/// The open alert of this type on this subject: id, severity.
fn open_alert(
    ctx: &Ctx<'_>,
    store: StoreId,
    t: AlertType,
    subject_kind: Option<&str>,
    subject_id: &str,
) -> Result<Option<(AlertId, Severity, String)>> {
    // One statement per shape, each an index seek: with the kind, the
    // unique index of open alerts; without it, V21's index by subject id
    // (an "or kind is null" in one statement made SQLite scan every open
    // alert of the type).
    let sql = if subject_kind.is_some() {
        "SELECT id, severity, subject_kind FROM alerts
          WHERE store_id = ?1 AND alert_type = ?2 AND subject_kind = ?4 AND subject_id = ?3
            AND status IN ('active', 'acknowledged')"
    } else {
        "SELECT id, severity, subject_kind FROM alerts INDEXED BY ix_alerts_open_subject_id
          WHERE store_id = ?1 AND alert_type = ?2 AND subject_id = ?3 AND ?4 IS NULL
            AND status IN ('active', 'acknowledged')"
    };
    let row = ctx
        .tx
        .prepare_cached(sql)?
        .query_row(params![store, t.as_str(), subject_id, subject_kind], |r| {
            Ok((
                r.get::<_, AlertId>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .optional()?;
    row.map(|(id, sev, kind)| Ok((id, Severity::parse(&sev)?, kind)))
        .transpose()
}

/// Raises or returns the open alert for this subject (raising the severity if the new one is higher).
pub(crate) fn raise(ctx: &Ctx<'_>, a: NewAlert<'_>) -> Result<AlertId> {
    raise_counted(ctx, a).map(|(id, _)| id)
}

/// `raise`, telling whether a new alert was raised.
pub(crate) fn raise_counted(ctx: &Ctx<'_>, a: NewAlert<'_>) -> Result<(AlertId, bool)> {
    let now = ctx.now_str();
    if let Some((id, severity, _)) = open_alert(
        ctx,
        a.store_id,
        a.alert_type,
        Some(a.subject_kind),
        a.subject_id,
    )? {
        if a.severity > severity {
            ctx.tx
                .prepare_cached(
                    "UPDATE alerts SET severity = ?2, message = ?3, updated_at = ?4 WHERE id = ?1",
                )?
                .execute(params![id, a.severity.as_str(), a.message, now])?;
            let payload = Payload::about(a.subject_kind, a.subject_id, a.subject_name)
                .with_changes(vec![audit::FieldChange {
                    field: "severity".into(),
                    before: Some(severity.as_str().into()),
                    after: Some(a.severity.as_str().into()),
                }])
                .with_data(serde_json::json!({
                    "alert_id": id,
                    "alert_type": a.alert_type,
                    "message": a.message,
                }))?;
            audit::record(ctx, a.store_id, ChangeType::AlertEscalated, &payload)?;
        }
        return Ok((id, false));
    }
    let id = AlertId::new();
    let title = format!("{}: {}", a.alert_type.title(), a.subject_name);
    ctx.tx
        .prepare_cached(
            "INSERT INTO alerts (id, store_id, alert_type, severity, status, subject_kind, subject_id,
                subject_name, product_id, batch_id, title, message, raised_at, raised_by, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?12)",
        )?
        .execute(params![
            id,
            a.store_id,
            a.alert_type.as_str(),
            a.severity.as_str(),
            a.subject_kind,
            a.subject_id,
            a.subject_name,
            a.product_id,
            a.batch_id,
            title,
            a.message,
            now,
            ctx.actor.id,
        ])?;
    let payload = Payload::about(a.subject_kind, a.subject_id, a.subject_name).with_data(
        serde_json::json!({
            "alert_id": id,
            "alert_type": a.alert_type,
            "severity": a.severity,
            "product_id": a.product_id,
            "batch_id": a.batch_id,
            "message": a.message,
        }),
    )?;
    audit::record(ctx, a.store_id, ChangeType::AlertRaised, &payload)?;
    Ok((id, true))
}

/// Resolves the open alert of this type on this subject, if any ("cause went away").
pub(crate) fn resolve_subject(
    ctx: &Ctx<'_>,
    store: StoreId,
    t: AlertType,
    subject_id: &str,
    why: &str,
) -> Result<bool> {
    let Some((id, _, _)) = open_alert(ctx, store, t, None, subject_id)? else {
        return Ok(false);
    };
    close(ctx, id, AlertStatus::Resolved, Some(why))?;
    Ok(true)
}

/// Moves an alert to `to` (acknowledged, resolved or dismissed) with a note,
/// recording who and when, and the event.
pub(crate) fn close(ctx: &Ctx<'_>, id: AlertId, to: AlertStatus, note: Option<&str>) -> Result<()> {
    let (store_id, status, kind, subject_id, subject_name, alert_type): (
        StoreId,
        String,
        String,
        String,
        String,
        String,
    ) = ctx
        .tx
        .prepare_cached(
            "SELECT store_id, status, subject_kind, subject_id, subject_name, alert_type FROM alerts WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("alert", id))?;
    let from = AlertStatus::parse(&status)?;
    let (sql, change) = match to {
        AlertStatus::Acknowledged => (
            "UPDATE alerts SET status = 'acknowledged', acknowledged_at = ?2, acknowledged_by = ?3, acknowledged_note = ?4, updated_at = ?2 WHERE id = ?1",
            ChangeType::AlertAcknowledged,
        ),
        AlertStatus::Resolved => (
            "UPDATE alerts SET status = 'resolved', resolved_at = ?2, resolved_by = ?3, resolved_note = ?4, updated_at = ?2 WHERE id = ?1",
            ChangeType::AlertResolved,
        ),
        AlertStatus::Dismissed => (
            "UPDATE alerts SET status = 'dismissed', dismissed_at = ?2, dismissed_by = ?3, dismissed_note = ?4, updated_at = ?2 WHERE id = ?1",
            ChangeType::AlertDismissed,
        ),
        AlertStatus::Active => {
            return Err(Error::internal("an alert is never moved back to active"))
        }
    };
    let allowed = match to {
        AlertStatus::Acknowledged => from == AlertStatus::Active,
        _ => from.is_open(),
    };
    if !allowed {
        return Err(Error::AlertNotOpen {
            alert_id: id,
            status: from,
            wanted: to,
        });
    }
    let now = ctx.now_str();
    ctx.tx
        .prepare_cached(sql)?
        .execute(params![id, now, ctx.actor.id, note])?;
    let payload = Payload::about(&kind, &subject_id, &subject_name)
        .with_changes(vec![audit::FieldChange {
            field: "status".into(),
            before: Some(from.as_str().into()),
            after: Some(to.as_str().into()),
        }])
        .with_data(serde_json::json!({
            "alert_id": id,
            "alert_type": alert_type,
            "note": note,
        }))?;
    audit::record(ctx, store_id, change, &payload)?;
    Ok(())
}
