//! The trace of a lot: every patient it was used on and every sale it left
//! in, with dates, quantities and practitioners — the list a clinic calls
//! in a recall. Patient uses come from `lot_usages` (indexed by lot);
//! sales, returns and voids from the lot's own chain of ledger events
//! (each event links to the lot's previous one), so the till's hot path
//! pays for no extra index.

use super::waste::WasteRecord;
use crate::auth::Permission;
use crate::csv_out::CsvOut;
use crate::ids::{BatchId, PatientId, ProductId, StoreId, UserId, VialSessionId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::{BatchRow, BatchStatus};
use crate::Result;
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A patient use of the lot.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TracedUse {
    /// When.
    pub used_at: String,
    /// Patient.
    pub patient_id: PatientId,
    /// Name.
    pub patient_name: String,
    /// Date of birth.
    pub date_of_birth: Option<String>,
    /// Chart id.
    pub chart_id: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Units.
    pub quantity: Qty,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// Their name.
    pub practitioner_name: String,
    /// Appointment.
    pub appointment_ref: Option<String>,
    /// The vial.
    pub session_id: Option<VialSessionId>,
    /// The treatment.
    pub treatment_id: String,
}

/// A sale (or its return or void) of the lot.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TracedSale {
    /// When.
    pub at: String,
    /// `allocated` (sold), `confirm_reserve` (a hold sold), `return` or `void`.
    pub change: String,
    /// Sale number (or reference).
    pub reference: Option<String>,
    /// Quantity out of the lot (negative when it came back).
    pub quantity: Qty,
    /// Who.
    pub user_id: UserId,
    /// Their name.
    pub user_name: String,
}

/// The trace of one lot.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct LotTrace {
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// Store.
    pub store_id: StoreId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Expiry.
    pub expiry_date: String,
    /// Status.
    pub status: BatchStatus,
    /// Recall class, when recalled.
    pub recall_class: Option<String>,
    /// Units received.
    pub received: Qty,
    /// On hand now.
    pub on_hand: Qty,
    /// Patients it was used on, newest first.
    pub uses: Vec<TracedUse>,
    /// Distinct patients.
    pub patients: u32,
    /// Sales, returns and voids, newest first.
    pub sales: Vec<TracedSale>,
    /// Waste, newest first.
    pub waste: Vec<WasteRecord>,
    /// Cost of the waste.
    pub waste_cost: Money,
}

/// Every patient a lot was used on and every sale it left in, with dates, quantities and
/// practitioners; its waste too. Patient details are shown, so the view is written to
/// the security log. `export_lot_trace_csv` gives the same as CSV.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TraceLot {
    /// The lot.
    pub batch_id: BatchId,
}

impl Operation for TraceLot {
    const NAME: &'static str = "trace_lot";
    const SUMMARY: &'static str =
        "Every patient a lot was used on and every sale it left in (logged as a view)";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = LotTrace;

    fn run(self, ctx: &Ctx<'_>) -> Result<LotTrace> {
        let t = trace(ctx, self.batch_id)?;
        crate::security::patient_data(
            ctx,
            t.store_id,
            format!("trace of lot {} ({})", t.batch_number, t.product_name),
            false,
        );
        Ok(t)
    }
}

pub(crate) fn trace(ctx: &Ctx<'_>, batch_id: BatchId) -> Result<LotTrace> {
    let b = BatchRow::load(ctx.tx, batch_id)?;
    ctx.check_store(b.store_id)?;
    let (product_name, initial, recall_class): (String, i64, Option<String>) = ctx.tx.query_row(
        "SELECT p.name, b.initial_milli, b.recall_class FROM batches b JOIN products p ON p.id = b.product_id WHERE b.id = ?1",
        [batch_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let uses = ctx
        .tx
        .prepare_cached(
            "SELECT l.used_at, l.patient_id, p.name, p.date_of_birth, p.chart_id, p.phone, p.email, l.quantity_milli,
                    l.practitioner_id, u.name, t.appointment_ref, l.session_id, l.treatment_id
               FROM lot_usages l JOIN patients p ON p.id = l.patient_id JOIN users u ON u.id = l.practitioner_id
               JOIN treatments t ON t.id = l.treatment_id
              WHERE l.batch_id = ?1 ORDER BY l.used_at DESC, l.id DESC",
        )?
        .query_map([batch_id], |r| {
            Ok(TracedUse {
                used_at: r.get(0)?,
                patient_id: r.get(1)?,
                patient_name: r.get(2)?,
                date_of_birth: r.get(3)?,
                chart_id: r.get(4)?,
                phone: r.get(5)?,
                email: r.get(6)?,
                quantity: Qty::from_scaled(r.get(7)?),
                practitioner_id: r.get(8)?,
                practitioner_name: r.get(9)?,
                appointment_ref: r.get(10)?,
                session_id: r.get(11)?,
                treatment_id: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut distinct: Vec<PatientId> = uses.iter().map(|u| u.patient_id).collect();
    distinct.sort();
    distinct.dedup();
    // The lot's chain of events, newest first, through its back-links.
    let sales = ctx
        .tx
        .prepare_cached(
            "WITH RECURSIVE chain(seq) AS (
                 SELECT last_event_seq FROM batches WHERE id = ?1 AND last_event_seq IS NOT NULL
                 UNION ALL
                 SELECT a.batch_prev_seq FROM chain JOIN inventory_audit a ON a.store_id = ?2 AND a.seq = chain.seq
                  WHERE a.batch_prev_seq IS NOT NULL)
             SELECT a.created_at, a.change_type, a.reference_id, a.previous_milli - a.new_milli, a.user_id, u.name
               FROM chain JOIN inventory_audit a ON a.store_id = ?2 AND a.seq = chain.seq
               JOIN users u ON u.id = a.user_id
              WHERE a.change_type IN ('allocated', 'confirm_reserve', 'return', 'void')
              ORDER BY a.seq DESC",
        )?
        .query_map(params![batch_id, b.store_id], |r| {
            Ok(TracedSale {
                at: r.get(0)?,
                change: r.get(1)?,
                reference: r.get(2)?,
                quantity: Qty::from_scaled(r.get(3)?),
                user_id: r.get(4)?,
                user_name: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let waste = ctx
        .tx
        .prepare_cached(&format!(
            "{} WHERE w.batch_id = ?1 ORDER BY w.recorded_at DESC, w.id DESC",
            super::waste::SELECT
        ))?
        .query_map([batch_id], super::waste::read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let waste_cost = waste.iter().fold(Money::ZERO, |acc, w| acc + w.cost);
    Ok(LotTrace {
        batch_id,
        batch_number: b.batch_number,
        store_id: b.store_id,
        product_id: b.product_id,
        product_name,
        expiry_date: b.expiry_date,
        status: b.status,
        recall_class,
        received: Qty::from_scaled(initial),
        on_hand: Qty::from_scaled(b.on_hand_milli),
        patients: u32::try_from(distinct.len()).unwrap_or(u32::MAX),
        uses,
        sales,
        waste,
        waste_cost,
    })
}

/// A lot's trace as CSV (one row per patient use and per sale), headed by a line saying
/// it holds patient data. The export is written to the security log.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ExportLotTraceCsv {
    /// The lot.
    pub batch_id: BatchId,
}

impl Operation for ExportLotTraceCsv {
    const NAME: &'static str = "export_lot_trace_csv";
    const SUMMARY: &'static str =
        "A lot's trace as CSV, marked as containing patient data (logged as an export)";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = crate::audit::CsvExport;

    fn run(self, ctx: &Ctx<'_>) -> Result<crate::audit::CsvExport> {
        let t = trace(ctx, self.batch_id)?;
        let note = format!(
            "CONFIDENTIAL: contains patient data. Trace of lot {} of {} (status {}), exported {} by {}.",
            t.batch_number,
            t.product_name,
            t.status.as_str(),
            ctx.now_str(),
            ctx.actor.name
        );
        let mut out = CsvOut::with_note(
            &note,
            [
                "kind",
                "at",
                "patient",
                "date_of_birth",
                "chart_id",
                "phone",
                "email",
                "quantity",
                "practitioner_or_user",
                "appointment_or_reference",
            ],
        )?;
        for u in &t.uses {
            out.row([
                "patient_use",
                &u.used_at,
                &u.patient_name,
                u.date_of_birth.as_deref().unwrap_or(""),
                u.chart_id.as_deref().unwrap_or(""),
                u.phone.as_deref().unwrap_or(""),
                u.email.as_deref().unwrap_or(""),
                &u.quantity.to_string(),
                &u.practitioner_name,
                u.appointment_ref.as_deref().unwrap_or(""),
            ])?;
        }
        for s in &t.sales {
            out.row([
                s.change.as_str(),
                &s.at,
                "",
                "",
                "",
                "",
                "",
                &s.quantity.to_string(),
                &s.user_name,
                s.reference.as_deref().unwrap_or(""),
            ])?;
        }
        crate::security::patient_data(
            ctx,
            t.store_id,
            format!(
                "CSV export of the trace of lot {} ({})",
                t.batch_number, t.product_name
            ),
            true,
        );
        out.finish()
    }
}
