//! `list_alerts` (the alert centre and the navigation's counts), the
//! steps a manager takes on an alert (`acknowledge_alert`, `resolve_alert`,
//! `dismiss_alert`) and notification tracking (`record_alert_notification`).

use super::{close, AlertStatus, AlertType, Severity};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{AlertId, BatchId, ProductId, StoreId};
use crate::op::{Ctx, Operation};
use crate::page::{limit_offset, Filter};
use crate::{Error, Result};
use rusqlite::{OptionalExtension, Row, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One alert as the alert centre shows it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AlertView {
    /// Id.
    pub alert_id: AlertId,
    /// Store.
    pub store_id: StoreId,
    /// Type.
    pub alert_type: AlertType,
    /// Severity.
    pub severity: Severity,
    /// Status.
    pub status: AlertStatus,
    /// What it is about: `product`, `batch`, `excursion`…
    pub subject_kind: String,
    /// The subject's id.
    pub subject_id: String,
    /// The subject's name when the alert was raised.
    pub subject_name: String,
    /// Product concerned, if any.
    pub product_id: Option<ProductId>,
    /// Its name now (the alert's screen links to its stock).
    pub product_name: Option<String>,
    /// Its SKU now.
    pub product_sku: Option<String>,
    /// Batch concerned, if any.
    pub batch_id: Option<BatchId>,
    /// Title in English (type and subject; the UI words it from the type).
    pub title: String,
    /// Plain words.
    pub message: String,
    /// Raised at.
    pub raised_at: String,
    /// Raised by (the user whose operation or sweep raised it).
    pub raised_by: Option<String>,
    /// Last change.
    pub updated_at: String,
    /// Acknowledged at.
    pub acknowledged_at: Option<String>,
    /// Acknowledged by (name).
    pub acknowledged_by: Option<String>,
    /// Note given when acknowledging.
    pub acknowledged_note: Option<String>,
    /// Resolved at.
    pub resolved_at: Option<String>,
    /// Resolved by (name).
    pub resolved_by: Option<String>,
    /// Note given when resolving (or why it resolved on its own).
    pub resolved_note: Option<String>,
    /// Dismissed at.
    pub dismissed_at: Option<String>,
    /// Dismissed by (name).
    pub dismissed_by: Option<String>,
    /// Note given when dismissing.
    pub dismissed_note: Option<String>,
    /// First announced outside the alert centre (`record_alert_notification`).
    pub notified_at: Option<String>,
    /// Last announced.
    pub last_notified_at: Option<String>,
    /// Times announced.
    #[ts(type = "number")]
    pub notified_count: i64,
}

const VIEW_SQL: &str = "SELECT a.id, a.store_id, a.alert_type, a.severity, a.status, a.subject_kind, a.subject_id,
        a.subject_name, a.product_id, a.batch_id, a.title, a.message, a.raised_at, ur.name, a.updated_at,
        a.acknowledged_at, ua.name, a.acknowledged_note, a.resolved_at, uv.name, a.resolved_note,
        a.dismissed_at, ud.name, a.dismissed_note, p.name, p.sku,
        a.notified_at, a.last_notified_at, a.notified_count
   FROM alerts a
   LEFT JOIN products p ON p.id = a.product_id
   LEFT JOIN users ur ON ur.id = a.raised_by
   LEFT JOIN users ua ON ua.id = a.acknowledged_by
   LEFT JOIN users uv ON uv.id = a.resolved_by
   LEFT JOIN users ud ON ud.id = a.dismissed_by";

fn read_view(r: &Row<'_>) -> rusqlite::Result<AlertView> {
    let text = |i: usize| r.get::<_, String>(i);
    let bad = |i: usize, field: &'static str, v: String| {
        crate::error::corrupt_in_row(
            i,
            "alert",
            r.get::<_, String>(0).unwrap_or_default(),
            field,
            v,
        )
    };
    let t = text(2)?;
    let s = text(3)?;
    let st = text(4)?;
    Ok(AlertView {
        alert_id: r.get(0)?,
        store_id: r.get(1)?,
        alert_type: AlertType::parse(&t).map_err(|_| bad(2, "alert_type", t))?,
        severity: Severity::parse(&s).map_err(|_| bad(3, "severity", s))?,
        status: AlertStatus::parse(&st).map_err(|_| bad(4, "status", st))?,
        subject_kind: r.get(5)?,
        subject_id: r.get(6)?,
        subject_name: r.get(7)?,
        product_id: r.get(8)?,
        product_name: r.get(24)?,
        product_sku: r.get(25)?,
        batch_id: r.get(9)?,
        title: r.get(10)?,
        message: r.get(11)?,
        raised_at: r.get(12)?,
        raised_by: r.get(13)?,
        updated_at: r.get(14)?,
        acknowledged_at: r.get(15)?,
        acknowledged_by: r.get(16)?,
        acknowledged_note: r.get(17)?,
        resolved_at: r.get(18)?,
        resolved_by: r.get(19)?,
        resolved_note: r.get(20)?,
        dismissed_at: r.get(21)?,
        dismissed_by: r.get(22)?,
        dismissed_note: r.get(23)?,
        notified_at: r.get(26)?,
        last_notified_at: r.get(27)?,
        notified_count: r.get(28)?,
    })
}

/// Loads one alert.
pub(crate) fn get_alert(ctx: &Ctx<'_>, id: AlertId) -> Result<AlertView> {
    ctx.tx
        .prepare_cached(&format!("{VIEW_SQL} WHERE a.id = ?1"))?
        .query_row([id], read_view)
        .optional()?
        .ok_or_else(|| Error::not_found("alert", id))
}

/// Open alerts by severity (the navigation's badge).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SeverityCounts {
    /// Open critical alerts.
    pub critical: u32,
    /// Open warnings.
    pub warning: u32,
    /// Open information alerts.
    pub info: u32,
}

/// Lists a store's alerts, newest first, a page at a time.
///
/// - `alert_type`, `severity`, `status` filter; `open_only` (default false) keeps active
///   and acknowledged ones (ignored when `status` is given).
/// - Paging by `limit` (1–500, default 100) and `offset`; `total` counts every alert
///   passing the filters. `open` counts the store's open alerts by severity whatever the
///   filters (the navigation's badge). Critical first within a page is the UI's choice:
///   rows come newest first.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListAlerts {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this type.
    #[ts(optional)]
    pub alert_type: Option<AlertType>,
    /// Only this severity.
    #[ts(optional)]
    pub severity: Option<Severity>,
    /// Only this status.
    #[ts(optional)]
    pub status: Option<AlertStatus>,
    /// Only active and acknowledged alerts.
    #[ts(optional)]
    pub open_only: Option<bool>,
    /// Only alerts already announced (true) or never announced (false).
    #[ts(optional)]
    pub notified: Option<bool>,
    /// Page size (1–500, default 100).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A page of alerts.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AlertPage {
    /// The page, newest first.
    pub rows: Vec<AlertView>,
    /// Alerts passing the filters, all pages together.
    #[ts(type = "number")]
    pub total: i64,
    /// The store's open alerts by severity.
    pub open: SeverityCounts,
}

impl Operation for ListAlerts {
    const NAME: &'static str = "list_alerts";
    const SUMMARY: &'static str =
        "List a store's alerts (filters, paged) with its open alerts counted by severity";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = AlertPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<AlertPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        let mut f = Filter::default();
        f.and("a.store_id = :store")
            .bind(":store", store.id.to_string());
        if let Some(t) = self.alert_type {
            f.and("a.alert_type = :type")
                .bind(":type", t.as_str().to_string());
        }
        if let Some(s) = self.severity {
            f.and("a.severity = :severity")
                .bind(":severity", s.as_str().to_string());
        }
        match (self.status, self.open_only.unwrap_or(false)) {
            (Some(s), _) => {
                f.and("a.status = :status")
                    .bind(":status", s.as_str().to_string());
            }
            (None, true) => {
                f.and("a.status IN ('active', 'acknowledged')");
            }
            (None, false) => {}
        }
        match self.notified {
            Some(true) => {
                f.and("a.notified_count > 0");
            }
            Some(false) => {
                f.and("a.notified_count = 0");
            }
            None => {}
        }
        let where_sql = f.where_sql();
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) FROM alerts a {where_sql}"),
            &*f.params(&[]),
            |r| r.get(0),
        )?;
        let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
        let mut stmt = ctx.tx.prepare(&format!(
            "{VIEW_SQL} {where_sql} ORDER BY a.raised_at DESC, a.id DESC LIMIT :limit OFFSET :offset"
        ))?;
        let rows = stmt
            .query_map(&*f.params(&extra), read_view)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let open = open_counts(ctx, store.id)?;
        Ok(AlertPage { rows, total, open })
    }
}

/// A store's open alerts by severity: V26's running counts, which triggers keep
/// with the alerts (counting half a million open alerts took 55 ms).
pub(crate) fn open_counts(ctx: &Ctx<'_>, store: StoreId) -> Result<SeverityCounts> {
    let mut open = SeverityCounts::default();
    let mut stmt = ctx
        .tx
        .prepare_cached("SELECT severity, n FROM alert_open_counts WHERE store_id = ?1")?;
    let counts = stmt
        .query_map([store], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (s, n) in counts {
        match Severity::parse(&s)? {
            Severity::Critical => open.critical = n,
            Severity::Warning => open.warning = n,
            Severity::Info => open.info = n,
        }
    }
    Ok(open)
}

/// Loads an alert for a step, checking the actor may act in its store. A
/// temperature excursion's alert closes when a manager has decided each of
/// its held lots (`decide_excursion_lot`), not by hand.
fn load_for_step(ctx: &Ctx<'_>, id: AlertId, to: AlertStatus) -> Result<StoreId> {
    let (store, alert_type, subject_kind, subject_id): (StoreId, String, String, String) = ctx
        .tx
        .prepare_cached(
            "SELECT store_id, alert_type, subject_kind, subject_id FROM alerts WHERE id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .optional()?
        .ok_or_else(|| Error::not_found("alert", id))?;
    ctx.check_store(store)?;
    if to != AlertStatus::Acknowledged
        && alert_type == AlertType::TemperatureExcursion.as_str()
        && subject_kind == "excursion"
    {
        let undecided: i64 = ctx.tx.query_row(
            "SELECT COUNT(*) FROM excursion_lots WHERE excursion_id = ?1 AND decision IS NULL",
            [&subject_id],
            |r| r.get(0),
        )?;
        if undecided > 0 {
            return Err(Error::conflict(format!(
                "{undecided} lot(s) of this excursion are still on hold: release or dispose of each first"
            )));
        }
    }
    Ok(store)
}

macro_rules! alert_step {
    ($name:ident, $cmd:literal, $summary:literal, $to:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone, Debug, Deserialize, TS)]
        #[serde(deny_unknown_fields)]
        #[ts(export)]
        pub struct $name {
            /// Alert.
            pub alert_id: AlertId,
            /// A note (what was done, why).
            #[ts(optional)]
            pub note: Option<String>,
        }

        impl Operation for $name {
            const NAME: &'static str = $cmd;
            const SUMMARY: &'static str = $summary;
            const PERMISSION: Permission = Permission::ManageStock;
            const WRITES: bool = true;
            type Output = AlertView;

            fn run(self, ctx: &Ctx<'_>) -> Result<AlertView> {
                load_for_step(ctx, self.alert_id, $to)?;
                let note = optional_text("note", self.note.as_deref(), 1000)?;
                close(ctx, self.alert_id, $to, note.as_deref())?;
                get_alert(ctx, self.alert_id)
            }
        }
    };
}

alert_step!(
    AcknowledgeAlert,
    "acknowledge_alert",
    "Acknowledge an active alert (someone is dealing with it), with a note",
    AlertStatus::Acknowledged,
    "Acknowledges an active alert: who and when are kept with the note. Only an active alert can be acknowledged (`alert_not_open`). Writes an `alert_acknowledged` event."
);
alert_step!(
    ResolveAlert,
    "resolve_alert",
    "Resolve an open alert (dealt with), with a note",
    AlertStatus::Resolved,
    "Resolves an open (active or acknowledged) alert, with who, when and the note; otherwise `alert_not_open`. A sweep that finds the cause still there raises a new alert. Writes an `alert_resolved` event."
);
alert_step!(
    DismissAlert,
    "dismiss_alert",
    "Dismiss an open alert (needs no action), with a note",
    AlertStatus::Dismissed,
    "Dismisses an open alert as needing no action, with who, when and the note; otherwise `alert_not_open`. Writes an `alert_dismissed` event."
);

/// Where an alert was announced.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum NotificationChannel {
    /// A desktop notification from the app, in the PC's notification area.
    Desktop,
}

impl NotificationChannel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationChannel::Desktop => "desktop",
        }
    }
}

/// Records that an alert was announced to the signed-in user outside the alert centre (a
/// desktop notification): the alert keeps when it was first and last announced and how many
/// times (`notified_at`, `last_notified_at`, `notified_count`), and an `alert_notified` event
/// says to whom, on which channel and at which till. The desktop announces a critical alert
/// only while it has none recorded, so a restart or a second till does not announce it
/// again; `list_alerts` filters on `notified`. The alert may be in any status: the record says
/// what was shown, and an alert can close between the announcement and this call.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RecordAlertNotification {
    /// Alert.
    pub alert_id: AlertId,
    /// Where it was shown.
    pub channel: NotificationChannel,
    /// The till it was shown on (up to 64 characters).
    #[ts(optional)]
    pub terminal_id: Option<String>,
}

impl Operation for RecordAlertNotification {
    const NAME: &'static str = "record_alert_notification";
    const SUMMARY: &'static str =
        "Record that an alert was announced to the signed-in user (a desktop notification)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = true;
    type Output = AlertView;

    fn run(self, ctx: &Ctx<'_>) -> Result<AlertView> {
        let terminal = optional_text("terminal_id", self.terminal_id.as_deref(), 64)?;
        let alert = get_alert(ctx, self.alert_id)?;
        ctx.check_store(alert.store_id)?;
        let now = ctx.now_str();
        ctx.tx
            .prepare_cached(
                "UPDATE alerts SET notified_at = COALESCE(notified_at, ?2), last_notified_at = ?2,
                    notified_count = notified_count + 1 WHERE id = ?1",
            )?
            .execute(rusqlite::params![self.alert_id, now])?;
        let payload = crate::audit::Payload::about(
            &alert.subject_kind,
            &alert.subject_id,
            &alert.subject_name,
        )
        .with_data(serde_json::json!({
            "alert_id": self.alert_id,
            "alert_type": alert.alert_type.as_str(),
            "severity": alert.severity.as_str(),
            "channel": self.channel.as_str(),
            "terminal_id": terminal,
            "times": alert.notified_count + 1,
        }))?;
        crate::audit::record(
            ctx,
            alert.store_id,
            crate::audit::ChangeType::AlertNotified,
            &payload,
        )?;
        get_alert(ctx, self.alert_id)
    }
}
