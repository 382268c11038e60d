//! Physical counts, taken as observations while the shop keeps selling.
//!
//! A count (seed 000's InventoryCount: full, cycle, spot or category) moves
//! draft → in_progress → completed → approved → posted, or is cancelled from
//! draft, in_progress or completed. Its lines are batches of one store.
//!
//! Nothing is locked while counting. Each line keeps the system quantity it
//! is compared with (`snapshot`) and the batch's newest audit event at that
//! instant: taken for every line when counting starts, and taken again
//! whenever the line is counted, because the shelf a person counts already
//! reflects every sale made before they counted it. Posting then sets
//! on-hand to `counted + (on-hand now − snapshot)`: whatever moved after the
//! line was counted — sales, receipts, transfers — is kept. Because every
//! change to on-hand goes through `stock::move_stock`, which writes an event
//! with the previous and new quantity and links it to the batch's previous
//! event, `on-hand now − snapshot` is exactly the sum of the batch's stock
//! events after `snapshot_seq` (the ledger's movements; a property test in
//! `tests/counts.rs` checks it against the ledger).
//!
//! Seed 003's one-shot `reconcile_inventory` ([`reconcile`]) and a count's
//! posting leave the same record: an `inventory_reconciliations` row with
//! its items, and one `reconciliation` stock event per line that moved.
//!
//! - [`lifecycle`]: create, start, complete, approve, cancel.
//! - [`record`]: counting a line, by hand or by scanning.
//! - [`post`]: posting a count.
//! - [`reconcile`]: seed 003's `reconcile_inventory`.
//! - this module: the views, `list_counts`, `get_count` and the approvals
//!   queue's pending counts.

pub mod lifecycle;
pub mod post;
pub mod reconcile;
pub mod record;

use crate::approval::ApprovalMeasure;
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::control::approvals::{ApprovalKind, ApprovalRequest};
use crate::ids::{BatchId, CategoryId, CountId, CountItemId, ProductId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::page::{limit_offset, Filter};
use crate::stock::allocate::shown_expiry;
use crate::{Error, Result};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a count covers (seed 000's count types).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CountType {
    /// Every batch of the store with stock, or emptied in the last 30 days.
    Full,
    /// A subset counted in rotation: the batches of some products, or of one location.
    Cycle,
    /// A few products or batches checked on the spot.
    Spot,
    /// The batches of one product category.
    Category,
}

impl CountType {
    fn as_str(self) -> &'static str {
        match self {
            CountType::Full => "full",
            CountType::Cycle => "cycle",
            CountType::Spot => "spot",
            CountType::Category => "category",
        }
    }

    fn parse(s: &str) -> Result<CountType> {
        serde_json::from_value(serde_json::Value::String(s.into()))
            .map_err(|_| Error::internal(format!("unknown count type '{s}'")))
    }
}

/// Where a count is in its workflow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CountStatus {
    /// Created; lines chosen, nothing snapshotted.
    Draft,
    /// Counting: lines take counted quantities.
    InProgress,
    /// Counting finished; variances computed.
    Completed,
    /// Variances approved by a manager.
    Approved,
    /// Adjustments written; final.
    Posted,
    /// Abandoned, with a reason; final.
    Cancelled,
}

impl CountStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CountStatus::Draft => "draft",
            CountStatus::InProgress => "in_progress",
            CountStatus::Completed => "completed",
            CountStatus::Approved => "approved",
            CountStatus::Posted => "posted",
            CountStatus::Cancelled => "cancelled",
        }
    }

    fn parse(s: &str) -> Result<CountStatus> {
        serde_json::from_value(serde_json::Value::String(s.into()))
            .map_err(|_| Error::internal(format!("unknown count status '{s}'")))
    }

    fn words(self) -> &'static str {
        match self {
            CountStatus::Draft => "a draft",
            CountStatus::InProgress => "in progress",
            CountStatus::Completed => "completed",
            CountStatus::Approved => "approved",
            CountStatus::Posted => "posted",
            CountStatus::Cancelled => "cancelled",
        }
    }
}

/// Where a line is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineStatus {
    /// Not counted yet.
    Pending,
    /// Counted.
    Counted,
    /// Posted (its variance, if any, applied).
    Posted,
    /// Not applied at posting: the batch would have gone below zero or below
    /// its reservations (see `flag_reason`).
    Flagged,
}

impl LineStatus {
    fn parse(s: &str) -> LineStatus {
        match s {
            "counted" => LineStatus::Counted,
            "posted" => LineStatus::Posted,
            "flagged" => LineStatus::Flagged,
            _ => LineStatus::Pending,
        }
    }
}

/// The header fields the operations need.
#[derive(Clone, Debug)]
pub(crate) struct CountRow {
    pub id: CountId,
    pub store_id: StoreId,
    pub number: i64,
    pub count_type: CountType,
    pub status: CountStatus,
    pub blind: bool,
    pub needs_approval: bool,
}

impl CountRow {
    /// Loads a count and checks the actor may run the operation in its store.
    pub(crate) fn load(ctx: &Ctx<'_>, id: CountId) -> Result<CountRow> {
        let row = ctx
            .tx
            .prepare_cached(
                "SELECT store_id, number, count_type, status, blind, needs_approval FROM inventory_counts WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, StoreId>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, bool>(4)?,
                    r.get::<_, bool>(5)?,
                ))
            })
            .optional()?
            .ok_or_else(|| Error::not_found("count", id))?;
        ctx.check_store(row.0)?;
        Ok(CountRow {
            id,
            store_id: row.0,
            number: row.1,
            count_type: CountType::parse(&row.2)?,
            status: CountStatus::parse(&row.3)?,
            blind: row.4,
            needs_approval: row.5,
        })
    }

    /// "Count 3 (cycle)": how people and the record name it.
    pub(crate) fn name(&self) -> String {
        format!("Count {} ({})", self.number, self.count_type.as_str())
    }

    /// Raises (or keeps) the count's one `variance_detected` alert with `message`.
    pub(crate) fn raise_variance_alert(&self, ctx: &Ctx<'_>, message: String) -> Result<()> {
        let name = self.name();
        crate::alerts::raise(
            ctx,
            crate::alerts::NewAlert {
                store_id: self.store_id,
                alert_type: crate::alerts::AlertType::VarianceDetected,
                severity: crate::alerts::Severity::Warning,
                subject_kind: "count",
                subject_id: &self.id.to_string(),
                subject_name: &name,
                product_id: None,
                batch_id: None,
                message,
            },
        )?;
        Ok(())
    }

    /// Fails with `conflict` unless the count is in one of `allowed`.
    pub(crate) fn expect(&self, allowed: &[CountStatus], doing: &str) -> Result<()> {
        if allowed.contains(&self.status) {
            return Ok(());
        }
        Err(Error::conflict(format!(
            "{} is {}: it cannot {doing}",
            self.name(),
            self.status.words()
        )))
    }

    /// Writes the count's lifecycle event with `data`.
    pub(crate) fn event(
        &self,
        ctx: &Ctx<'_>,
        kind: ChangeType,
        data: serde_json::Value,
    ) -> Result<()> {
        let payload = Payload::about("count", self.id, self.name()).with_data(data)?;
        audit::record(ctx, self.store_id, kind, &payload)?;
        Ok(())
    }
}

/// Whether the actor sees a count's system quantities and variances: always
/// for an open count, else only managers until the count is completed.
fn reveals(ctx: &Ctx<'_>, store: StoreId, blind: bool, completed: bool) -> bool {
    !blind || completed || ctx.is_manager_at(store)
}

/// An earlier count of a recounted line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PreviousCount {
    /// What was counted.
    pub counted: Qty,
    /// By whom.
    pub counted_by: UserId,
    /// When (RFC 3339, UTC).
    pub counted_at: String,
}

/// One line of a count sheet.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CountLine {
    /// Line id.
    pub id: CountItemId,
    /// Position on the sheet (1, 2, 3…; lines found while counting come last).
    #[ts(type = "number")]
    pub line_no: i64,
    /// Batch.
    pub batch_id: BatchId,
    /// Batch number.
    pub batch_number: String,
    /// Expiry date (None: never expires).
    pub expiry_date: Option<String>,
    /// Shelf location written on the batch.
    pub location: Option<String>,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// SKU.
    pub sku: String,
    /// Unit of measure.
    pub unit: String,
    /// System quantity the count is compared with (hidden in a blind count
    /// from non-managers until it is completed; None before counting starts).
    pub system_quantity: Option<Qty>,
    /// Counted quantity (None: not counted yet).
    pub counted: Option<Qty>,
    /// Who counted it.
    pub counted_by_name: Option<String>,
    /// When (RFC 3339, UTC).
    pub counted_at: Option<String>,
    /// Earlier counts of a recounted line, oldest first.
    pub recounts: Vec<PreviousCount>,
    /// Found on the shelf while counting, not on the sheet.
    pub added: bool,
    /// counted − system quantity (hidden like the system quantity).
    pub variance: Option<Qty>,
    /// The variance as a percentage of the system quantity, one decimal
    /// (None when the system quantity is zero or hidden).
    pub variance_percent: Option<String>,
    /// The variance at the batch's cost.
    pub variance_cost: Option<Money>,
    /// What moved on the batch after it was counted (set at posting).
    pub movement: Option<Qty>,
    /// Line status.
    pub status: LineStatus,
    /// Why a line was not applied at posting.
    pub flag_reason: Option<String>,
}

/// A count's header and figures.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CountSummary {
    /// Id.
    pub id: CountId,
    /// The store's count number.
    #[ts(type = "number")]
    pub number: i64,
    /// "Count 3 (cycle)".
    pub name: String,
    /// Store.
    pub store_id: StoreId,
    /// Type.
    pub count_type: CountType,
    /// Category counted (category counts).
    pub category_id: Option<CategoryId>,
    /// How the lines were chosen (`all`, `products`, `batches`, `location:<name>`, `category`).
    pub scope: String,
    /// Status.
    pub status: CountStatus,
    /// System quantities hidden from counters.
    pub blind: bool,
    /// When it is planned (YYYY-MM-DD).
    pub scheduled_date: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Some variance goes past the store's thresholds: a manager approves before posting.
    pub needs_approval: bool,
    /// Who created it.
    pub created_by_name: String,
    /// When.
    pub created_at: String,
    /// When counting started.
    pub started_at: Option<String>,
    /// When counting finished.
    pub completed_at: Option<String>,
    /// Who approved.
    pub approved_by_name: Option<String>,
    /// When.
    pub approved_at: Option<String>,
    /// When posted.
    pub posted_at: Option<String>,
    /// When cancelled.
    pub cancelled_at: Option<String>,
    /// Why.
    pub cancel_reason: Option<String>,
    /// Lines on the sheet.
    #[ts(type = "number")]
    pub lines: i64,
    /// Lines counted so far.
    #[ts(type = "number")]
    pub counted_lines: i64,
    /// Counted lines whose count differs from the system (hidden like variances).
    #[ts(type = "number | null")]
    pub variance_lines: Option<i64>,
    /// Sum of the variances at cost (hidden like variances).
    pub variance_cost: Option<Money>,
    /// Whether this user sees system quantities and variances.
    pub reveals: bool,
}

const SUMMARY_SQL: &str = "SELECT c.id, c.number, c.store_id, c.count_type, c.category_id, c.scope, c.status, c.blind,
        c.scheduled_date, c.notes, c.needs_approval, u.name, c.created_at, c.started_at, c.completed_at, a.name,
        c.approved_at, c.posted_at, c.cancelled_at, c.cancel_reason
   FROM inventory_counts c JOIN users u ON u.id = c.created_by LEFT JOIN users a ON a.id = c.approved_by";

fn read_summary(ctx: &Ctx<'_>, r: &rusqlite::Row<'_>) -> rusqlite::Result<CountSummary> {
    let id: CountId = r.get(0)?;
    let number: i64 = r.get(1)?;
    let store_id: StoreId = r.get(2)?;
    let count_type: String = r.get(3)?;
    let status: String = r.get(6)?;
    let blind: bool = r.get(7)?;
    let completed_at: Option<String> = r.get(14)?;
    let show = reveals(ctx, store_id, blind, completed_at.is_some());
    let count_type = CountType::parse(&count_type).unwrap_or(CountType::Spot);
    // The sheet's four figures in one pass over its lines (four correlated
    // subqueries read a 50,000-line sheet four times on every page).
    let (lines, counted_lines, variance_lines, variance_cost): (i64, i64, i64, i64) = ctx
        .tx
        .prepare_cached(
            "SELECT COUNT(*), COUNT(counted_milli), COALESCE(SUM(counted_milli <> snapshot_milli), 0),
                    COALESCE(SUM((counted_milli - snapshot_milli) * cost_e4 / 1000), 0)
               FROM count_items WHERE count_id = ?1",
        )?
        .query_row([id], |f| Ok((f.get(0)?, f.get(1)?, f.get(2)?, f.get(3)?)))?;
    Ok(CountSummary {
        id,
        number,
        name: format!("Count {number} ({})", count_type.as_str()),
        store_id,
        count_type,
        category_id: r.get(4)?,
        scope: r.get(5)?,
        status: CountStatus::parse(&status).unwrap_or(CountStatus::Draft),
        blind,
        scheduled_date: r.get(8)?,
        notes: r.get(9)?,
        needs_approval: r.get(10)?,
        created_by_name: r.get(11)?,
        created_at: r.get(12)?,
        started_at: r.get(13)?,
        completed_at,
        approved_by_name: r.get(15)?,
        approved_at: r.get(16)?,
        posted_at: r.get(17)?,
        cancelled_at: r.get(18)?,
        cancel_reason: r.get(19)?,
        lines,
        counted_lines,
        variance_lines: show.then_some(variance_lines),
        variance_cost: show.then(|| Money::from_scaled(variance_cost)),
        reveals: show,
    })
}

/// One count's summary.
pub(crate) fn summary(ctx: &Ctx<'_>, id: CountId) -> Result<CountSummary> {
    ctx.tx
        .prepare_cached(&format!("{SUMMARY_SQL} WHERE c.id = ?1"))?
        .query_row([id], |r| read_summary(ctx, r))
        .optional()?
        .ok_or_else(|| Error::not_found("count", id))
}

const LINE_SQL: &str = "SELECT i.id, i.line_no, i.batch_id, b.batch_number, b.expiry_date, b.location, i.product_id, p.name, p.sku,
        p.unit, i.snapshot_milli, i.counted_milli, u.name, i.counted_at, i.recounts, i.added, i.cost_e4,
        i.movement_milli, i.status, i.flag_reason
   FROM count_items i JOIN batches b ON b.id = i.batch_id JOIN products p ON p.id = i.product_id
   LEFT JOIN users u ON u.id = i.counted_by";

/// A variance as a percentage of `of`, one decimal, rounded half away from zero.
fn percent(variance: i64, of: i64) -> Option<String> {
    if of == 0 {
        return None;
    }
    let tenths = (i128::from(variance) * 2000 / i128::from(of) + i128::from(variance.signum())) / 2;
    let sign = if tenths < 0 { "-" } else { "" };
    let t = tenths.abs();
    Some(format!("{sign}{}.{}", t / 10, t % 10))
}

fn read_line(r: &rusqlite::Row<'_>, show: bool) -> rusqlite::Result<CountLine> {
    let snapshot: Option<i64> = r.get(10)?;
    let counted: Option<i64> = r.get(11)?;
    let cost_e4: i64 = r.get(16)?;
    let variance = match (show, snapshot, counted) {
        (true, Some(s), Some(c)) => Some(c - s),
        _ => None,
    };
    let recounts: Option<String> = r.get(14)?;
    let recounts = recounts
        .and_then(|t| serde_json::from_str::<Vec<PreviousCount>>(&t).ok())
        .unwrap_or_default();
    let expiry: String = r.get(4)?;
    let status: String = r.get(18)?;
    Ok(CountLine {
        id: r.get(0)?,
        line_no: r.get(1)?,
        batch_id: r.get(2)?,
        batch_number: r.get(3)?,
        expiry_date: shown_expiry(&expiry),
        location: r.get(5)?,
        product_id: r.get(6)?,
        product_name: r.get(7)?,
        sku: r.get(8)?,
        unit: r.get(9)?,
        system_quantity: if show {
            snapshot.map(Qty::from_scaled)
        } else {
            None
        },
        counted: counted.map(Qty::from_scaled),
        counted_by_name: r.get(12)?,
        counted_at: r.get(13)?,
        recounts,
        added: r.get(15)?,
        variance: variance.map(Qty::from_scaled),
        variance_percent: variance.and_then(|v| percent(v, snapshot.unwrap_or(0))),
        variance_cost: variance.map(|v| Money::from_scaled(v * cost_e4 / 1000)),
        movement: r.get::<_, Option<i64>>(17)?.map(Qty::from_scaled),
        status: LineStatus::parse(&status),
        flag_reason: r.get(19)?,
    })
}

/// One line as the actor may see it.
pub(crate) fn line(ctx: &Ctx<'_>, c: &CountRow, id: CountItemId) -> Result<CountLine> {
    let completed: bool = ctx.tx.query_row(
        "SELECT completed_at IS NOT NULL FROM inventory_counts WHERE id = ?1",
        [c.id],
        |r| r.get(0),
    )?;
    let show = reveals(ctx, c.store_id, c.blind, completed);
    ctx.tx
        .prepare_cached(&format!("{LINE_SQL} WHERE i.id = ?1"))?
        .query_row([id], |r| read_line(r, show))
        .optional()?
        .ok_or_else(|| Error::not_found("count line", id))
}

/// `status` filters (`draft`, `in_progress`, `completed`, `approved`, `posted`, `cancelled`);
/// newest first; `limit` 1–500 (default 50). Blind counts show their variance figures only
/// to managers until completed.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListCounts {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this status.
    #[ts(optional)]
    pub status: Option<CountStatus>,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A page of counts.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CountPage {
    /// The page, newest first.
    pub rows: Vec<CountSummary>,
    /// Counts passing the filter, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListCounts {
    const NAME: &'static str = "list_counts";
    const SUMMARY: &'static str = "The store's physical counts, newest first (filter by status)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = CountPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        let mut f = Filter::default();
        f.and("c.store_id = :store")
            .bind(":store", store.id.to_string());
        if let Some(s) = self.status {
            f.and("c.status = :status")
                .bind(":status", s.as_str().to_string());
        }
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) FROM inventory_counts c {}", f.where_sql()),
            f.params(&[]).as_slice(),
            |r| r.get(0),
        )?;
        let mut stmt = ctx.tx.prepare(&format!(
            "{SUMMARY_SQL} {} ORDER BY c.created_at DESC, c.number DESC LIMIT :limit OFFSET :offset",
            f.where_sql()
        ))?;
        let rows = stmt
            .query_map(
                f.params(&[(":limit", &limit), (":offset", &offset)])
                    .as_slice(),
                |r| read_summary(ctx, r),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CountPage { rows, total })
    }
}

/// Which lines of a sheet to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineFilter {
    /// Not counted yet.
    Uncounted,
    /// Counted.
    Counted,
    /// Counted and different from the system (only for those who see variances).
    Variance,
    /// Not applied at posting.
    Flagged,
}

/// - The count's header and figures, and one page of its lines in sheet order (`limit`
///   1–500, default 100; `offset`), filtered by `lines` (`uncounted`, `counted`,
///   `variance`, `flagged`) and `search` (product name, SKU or batch number, prefix).
/// - Blind counts: system quantities and variances are hidden (None) from users who are
///   not managers of the store until the count is completed; `variance` filtering is then
///   `invalid_input`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetCount {
    /// The count.
    pub count_id: CountId,
    /// Which lines.
    #[ts(optional)]
    pub lines: Option<LineFilter>,
    /// Product name, SKU or batch number (starts with).
    #[ts(optional)]
    pub search: Option<String>,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Lines to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A count with a page of its sheet.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CountSheet {
    /// Header and figures.
    pub count: CountSummary,
    /// The page of lines.
    pub lines: Vec<CountLine>,
    /// Lines passing the filters, all pages together.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for GetCount {
    const NAME: &'static str = "get_count";
    const SUMMARY: &'static str =
        "A count's header and figures with one page of its sheet (blind counts hide system quantities)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = CountSheet;

    fn run(self, ctx: &Ctx<'_>) -> Result<CountSheet> {
        let c = CountRow::load(ctx, self.count_id)?;
        let count = summary(ctx, c.id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 100)?;
        let mut f = Filter::default();
        f.and("i.count_id = :count")
            .bind(":count", c.id.to_string());
        match self.lines {
            None => {}
            Some(LineFilter::Uncounted) => {
                f.and("i.counted_milli IS NULL");
            }
            Some(LineFilter::Counted) => {
                f.and("i.counted_milli IS NOT NULL");
            }
            Some(LineFilter::Variance) if !count.reveals => {
                return Err(Error::invalid(
                    "lines",
                    "this is a blind count: variances show once it is completed",
                ))
            }
            Some(LineFilter::Variance) => {
                f.and("i.counted_milli <> i.snapshot_milli");
            }
            Some(LineFilter::Flagged) => {
                f.and("i.status = 'flagged'");
            }
        }
        let search = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(s) = search {
            let like = format!("{}%", s.replace(['%', '_', '\\'], ""));
            f.and("(p.name LIKE :q OR p.sku LIKE :q OR b.batch_number LIKE :q)")
                .bind(":q", like);
        }
        // Only a search reads the batch and product: without one the total is
        // counted from the sheet's own index.
        let from = if search.is_some() {
            "FROM count_items i JOIN batches b ON b.id = i.batch_id JOIN products p ON p.id = i.product_id"
        } else {
            "FROM count_items i"
        };
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) {from} {}", f.where_sql()),
            f.params(&[]).as_slice(),
            |r| r.get(0),
        )?;
        let show = count.reveals;
        let mut stmt = ctx.tx.prepare(&format!(
            "{LINE_SQL} {} ORDER BY i.line_no LIMIT :limit OFFSET :offset",
            f.where_sql()
        ))?;
        let lines = stmt
            .query_map(
                f.params(&[(":limit", &limit), (":offset", &offset)])
                    .as_slice(),
                |r| read_line(r, show),
            )?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CountSheet {
            count,
            lines,
            total,
        })
    }
}

/// Completed counts of `store` whose variances wait for a manager, for the approvals
/// queue: the figure is the sum of the absolute variances at cost.
pub fn pending_approvals(ctx: &Ctx<'_>, store: StoreId) -> Result<Vec<ApprovalRequest>> {
    let limit_e4: i64 = ctx.tx.query_row(
        "SELECT adjustment_approval_e4 FROM stores WHERE id = ?1",
        [store],
        |r| r.get(0),
    )?;
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT c.id, c.number, c.count_type, c.completed_by, u.name, c.completed_at,
                (SELECT COUNT(*) FROM count_items i WHERE i.count_id = c.id AND i.variance_milli <> 0),
                (SELECT COALESCE(SUM(ABS(i.variance_milli) * i.cost_e4 / 1000), 0) FROM count_items i WHERE i.count_id = c.id)
           FROM inventory_counts c JOIN users u ON u.id = c.completed_by
          WHERE c.store_id = ?1 AND c.status = 'completed' AND c.needs_approval = 1
          ORDER BY c.completed_at",
    )?;
    let rows = stmt.query_map([store], |r| {
        let number: i64 = r.get(1)?;
        let kind: String = r.get(2)?;
        let lines: i64 = r.get(6)?;
        let value = Money::from_scaled(r.get(7)?);
        Ok(ApprovalRequest {
            kind: ApprovalKind::Count,
            id: r.get::<_, CountId>(0)?.to_string(),
            store_id: store,
            summary: format!(
                "Count {number} ({kind}): {lines} line{} differ, {value} at cost",
                if lines == 1 { "" } else { "s" }
            ),
            requested_by: r.get(3)?,
            requested_by_name: r.get(4)?,
            requested_at: r.get(5)?,
            measure: Some(ApprovalMeasure::Money),
            amount: Some(value.to_string()),
            limit: Some(Money::from_scaled(limit_e4).to_string()),
            approve_command: "approve_count".into(),
            reject_command: "cancel_count".into(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// A quantity a person counted: zero or more, whole unless the product allows fractions.
pub(crate) fn counted_milli(
    field: &str,
    q: Qty,
    allow_fractional: bool,
    unit: &str,
) -> Result<i64> {
    if q.is_negative() {
        return Err(Error::invalid(
            field,
            format!("{field} cannot be negative (got {q})"),
        ));
    }
    if q.is_zero() {
        return Ok(0);
    }
    crate::num::check_quantity(field, q, allow_fractional, unit)
}

/// The store's thresholds: whether a variance of `variance_milli` at `cost_e4` goes past
/// the units (`approval_milli`) or value (`approval_e4`) threshold.
pub(crate) fn past_threshold(
    variance_milli: i64,
    cost_e4: i64,
    approval_milli: i64,
    approval_e4: i64,
) -> bool {
    let value = i128::from(variance_milli).abs() * i128::from(cost_e4) / 1000;
    variance_milli.abs() > approval_milli || value > i128::from(approval_e4)
}
