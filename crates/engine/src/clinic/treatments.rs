//! Treatments and lot usage: units drawn for a patient, from open vials or
//! straight from a lot (a filler syringe, a skincare sample), with the
//! practitioner, the appointment, the chart id and units per treatment
//! area. One treatment may span two vials and records both lots.

use super::patients::{self, Patient};
use super::vials::{close_if_empty, take, SessionRow};
use super::{check_practitioner, ClinicProduct};
use crate::approval::{approve, Approval, ApprovalMeasure, IfMissing, Over};
use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{BatchId, LotUsageId, PatientId, ProductId, StoreId, UserId, VialSessionId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::{move_stock, BatchRow};
use crate::{Error, Result};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Units given in one treatment area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TreatmentArea {
    /// The area (glabellar lines, forehead, lateral canthal lines…).
    pub area: String,
    /// Units there.
    pub units: Qty,
}

/// Where a treatment's units come from: an open vial or a lot.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TreatmentSource {
    /// An open vial.
    #[ts(optional)]
    pub session_id: Option<VialSessionId>,
    /// Or a lot (single-use items: a filler syringe, a sample).
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Units taken from it.
    pub units: Qty,
}

/// Records a treatment: units drawn for a patient from one or more open vials or lots.
///
/// - `patient_id`: an active patient of the store. `practitioner_id`: a practitioner,
///   manager or admin of the store (default: the acting user). `appointment_ref`,
///   `service` optional; `chart_id` defaults to the patient's.
/// - `sources`: one or more, each an open vial (`session_id`) or a lot (`batch_id`) with
///   the `units` taken from it, all of one product (units never convert between
///   products), no vial or lot twice. A vial gives at most what is left in it
///   (`insufficient_stock`) and must be open (`vial_not_active`); a lot at most its free
///   stock. Either's lot must be sellable today (`batch_not_sellable`: a quarantined,
///   recalled or expired lot is never used on a patient).
/// - A vial past the window that applies (label or clinic) is refused with
///   `vial_beyond_use`, unless `override_beyond_use` is true and a manager approves (the
///   acting manager, or `approver_name` + `approver_pin`): the override is in the record.
/// - `areas` (optional): units per treatment area, adding up to the units drawn.
/// - Revenue per unit: `price_per_unit`, else the product's selling price.
/// - Writes a `treatment_use` stock event per source and a `treatment_recorded` event
///   (patient by id and chart id). A vial emptied by the draw closes as `depleted`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RecordTreatment {
    /// Patient.
    pub patient_id: PatientId,
    /// Practitioner (default: the acting user).
    #[ts(optional)]
    pub practitioner_id: Option<UserId>,
    /// Appointment reference.
    #[ts(optional)]
    pub appointment_ref: Option<String>,
    /// Chart id (default: the patient's).
    #[ts(optional)]
    pub chart_id: Option<String>,
    /// Service (e.g. "Botox — glabellar lines").
    #[ts(optional)]
    pub service: Option<String>,
    /// Units per treatment area.
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<TreatmentArea>>")]
    pub areas: Vec<TreatmentArea>,
    /// Vials or lots drawn from.
    pub sources: Vec<TreatmentSource>,
    /// Price of one unit for this treatment (default: the product's selling price).
    #[ts(optional)]
    pub price_per_unit: Option<Money>,
    /// Draw from a vial past its window (needs a manager's approval).
    #[ts(optional)]
    pub override_beyond_use: Option<bool>,
    /// Approving manager's name.
    #[ts(optional)]
    pub approver_name: Option<String>,
    /// Their PIN.
    #[ts(optional)]
    pub approver_pin: Option<String>,
}

/// One lot's part of a treatment (seed 000's LotUsage).
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct LotUsage {
    /// Id.
    pub usage_id: LotUsageId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Lot.
    pub batch_id: BatchId,
    /// Lot number.
    pub batch_number: String,
    /// The vial, when drawn from one.
    pub session_id: Option<VialSessionId>,
    /// Units.
    pub quantity: Qty,
    /// Price of one unit.
    pub price_per_unit: Money,
    /// Revenue.
    pub revenue: Money,
    /// Cost (units × the lot's unit cost).
    pub cost: Money,
}

/// A treatment with its lots.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Treatment {
    /// Id.
    pub treatment_id: String,
    /// Store.
    pub store_id: StoreId,
    /// Patient.
    pub patient_id: PatientId,
    /// Their name.
    pub patient_name: String,
    /// Chart id.
    pub chart_id: Option<String>,
    /// Practitioner.
    pub practitioner_id: UserId,
    /// Their name.
    pub practitioner_name: String,
    /// Appointment.
    pub appointment_ref: Option<String>,
    /// Service.
    pub service: Option<String>,
    /// Units per area.
    pub areas: Vec<TreatmentArea>,
    /// Units in all.
    pub total: Qty,
    /// Revenue in all.
    pub revenue: Money,
    /// When.
    pub treated_at: String,
    /// The lots used.
    pub lots: Vec<LotUsage>,
}

impl Operation for RecordTreatment {
    const NAME: &'static str = "record_treatment";
    const SUMMARY: &'static str =
        "Draw units for a patient from open vials or lots (12.5 U), by treatment area";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = true;
    type Output = Treatment;

    fn run(self, ctx: &Ctx<'_>) -> Result<Treatment> {
        let patient = patients::load(ctx, self.patient_id)?;
        let store = ctx.store(Some(patient.store_id))?;
        let today = ctx.today(&store);
        if !patient.active {
            return Err(Error::invalid(
                "patient_id",
                "this patient is archived: reactivate them first",
            ));
        }
        let practitioner = self.practitioner_id.unwrap_or(ctx.actor.id);
        let practitioner_name = check_practitioner(ctx, store.id, practitioner)?;
        let appointment = optional_text("appointment_ref", self.appointment_ref.as_deref(), 64)?;
        let service = optional_text("service", self.service.as_deref(), 200)?;
        let chart =
            optional_text("chart_id", self.chart_id.as_deref(), 64)?.or(patient.chart_id.clone());
        if self.sources.is_empty() {
            return Err(Error::invalid(
                "sources",
                "say which open vial or lot the units come from",
            ));
        }
        // Resolve every source first: one product, nothing twice, each usable.
        enum Src {
            Vial(SessionRow),
            Lot(BatchRow),
        }
        let mut resolved: Vec<(Src, i64)> = Vec::new();
        let mut product: Option<ClinicProduct> = None;
        let mut beyond: Vec<(VialSessionId, String, String)> = Vec::new();
        for (i, src) in self.sources.iter().enumerate() {
            let field = format!("sources[{i}]");
            let (s, product_id, batch_id) = match (src.session_id, src.batch_id) {
                (Some(sid), None) => {
                    let s = SessionRow::load(ctx, sid)?;
                    s.ensure_active()?;
                    let (p, b) = (s.product_id, s.batch_id);
                    if let Some((clock, until)) = s.past_window(ctx.now) {
                        let clock = match clock {
                            super::vials::VialClock::Policy => "policy",
                            _ => "label",
                        };
                        beyond.push((sid, clock.to_string(), until));
                    }
                    (Src::Vial(s), p, b)
                }
                (None, Some(bid)) => {
                    let b = BatchRow::load(ctx.tx, bid)?;
                    let p = b.product_id;
                    (Src::Lot(b), p, bid)
                }
                _ => {
                    return Err(Error::invalid(
                        &field,
                        "each source is an open vial (session_id) or a lot (batch_id)",
                    ))
                }
            };
            let lot = match &s {
                Src::Lot(b) => b.clone(),
                Src::Vial(_) => BatchRow::load(ctx.tx, batch_id)?,
            };
            if lot.store_id != store.id {
                return Err(Error::invalid(
                    &field,
                    "the vial or lot is not in the patient's store",
                ));
            }
            ctx.check_store(lot.store_id)?;
            lot.ensure_sellable(today)?;
            let p = match &product {
                Some(p) if p.id != product_id => {
                    return Err(Error::invalid(
                        &field,
                        format!(
                        "a treatment draws one product ({}); units never convert between products",
                        p.name
                    ),
                    ))
                }
                Some(p) => p,
                None => product.insert(ClinicProduct::load(ctx, product_id)?),
            };
            let q = p.quantity(&format!("{field}.units"), src.units)?;
            let dup = resolved.iter().any(|(r, _)| match (r, &s) {
                (Src::Vial(a), Src::Vial(b)) => a.id == b.id,
                (Src::Lot(a), Src::Lot(b)) => a.id == b.id,
                _ => false,
            });
            if dup {
                return Err(Error::invalid(
                    &field,
                    "the same vial or lot is named twice",
                ));
            }
            match &s {
                Src::Vial(v) if q > v.remaining_milli => {
                    return Err(Error::InsufficientStock {
                        product_id: Some(product_id.to_string()),
                        batch_id: Some(batch_id.to_string()),
                        requested: Qty::from_scaled(q).to_string(),
                        available: Qty::from_scaled(v.remaining_milli).to_string(),
                    })
                }
                Src::Lot(b) if q > b.on_hand_milli - b.reserved_milli => {
                    return Err(Error::InsufficientStock {
                        product_id: Some(product_id.to_string()),
                        batch_id: Some(batch_id.to_string()),
                        requested: Qty::from_scaled(q).to_string(),
                        available: Qty::from_scaled(b.on_hand_milli - b.reserved_milli).to_string(),
                    })
                }
                _ => {}
            }
            resolved.push((s, q));
        }
        let product = product.ok_or_else(|| Error::internal("a treatment without a product"))?;
        let total: i64 = resolved.iter().map(|(_, q)| q).sum();
        // Areas: each named, positive, adding up to what was drawn.
        let mut areas = Vec::with_capacity(self.areas.len());
        let mut area_sum = 0i64;
        for (i, a) in self.areas.iter().enumerate() {
            let name = required_text(&format!("areas[{i}].area"), &a.area, 100)?;
            let q = product.quantity(&format!("areas[{i}].units"), a.units)?;
            area_sum += q;
            areas.push(TreatmentArea {
                area: name,
                units: Qty::from_scaled(q),
            });
        }
        if !areas.is_empty() && area_sum != total {
            return Err(Error::invalid(
                "areas",
                format!(
                    "the areas add up to {} units but {} are drawn",
                    Qty::from_scaled(area_sum),
                    Qty::from_scaled(total)
                ),
            ));
        }
        // A vial past its window: refused unless asked for and approved.
        let mut override_note = None;
        if let Some((sid, clock, until)) = beyond.first().cloned() {
            if self.override_beyond_use != Some(true) {
                let s = resolved
                    .iter()
                    .find_map(|(s, _)| match s {
                        Src::Vial(v) if v.id == sid => Some(v),
                        _ => None,
                    })
                    .ok_or_else(|| Error::internal("vial not among the sources"))?;
                let b = BatchRow::load(ctx.tx, s.batch_id)?;
                return Err(Error::VialBeyondUse {
                    session_id: sid,
                    product: product.name.clone(),
                    batch: b.batch_number,
                    clock,
                    until,
                });
            }
            // The figure a manager sees: the units drawn past the window.
            let over = Over::always(ApprovalMeasure::Quantity, Qty::from_scaled(total));
            let approver = approve(
                ctx,
                Approval {
                    over: Some(&over),
                    action: "a draw from a vial past its window",
                    store_id: Some(store.id),
                    needed: true,
                    approver_name: self.approver_name.as_deref(),
                    approver_pin: self.approver_pin.as_deref(),
                    if_missing: IfMissing::Refuse,
                },
            )?
            .ok_or_else(|| Error::internal("an approval that returned no approver"))?;
            override_note = Some(serde_json::json!({
                "approver_id": approver.id,
                "approver": approver.name,
                "vials": beyond.iter().map(|(s, c, u)| serde_json::json!({"session_id": s, "clock": c, "until": u})).collect::<Vec<_>>(),
            }));
        }
        let price = match self.price_per_unit {
            Some(p) if p.is_negative() => {
                return Err(Error::invalid(
                    "price_per_unit",
                    "the price per unit cannot be negative",
                ))
            }
            Some(p) => {
                p.to_scaled("price_per_unit")?;
                p
            }
            None => Money::from_scaled(product.selling_price_e4),
        };
        let treatment_id = uuid::Uuid::now_v7().to_string();
        let now = ctx.now_str();
        let revenue_total = price.times(Qty::from_scaled(total));
        ctx.tx.execute(
            "INSERT INTO treatments (id, store_id, patient_id, practitioner_id, appointment_ref, chart_id, service, areas,
                                     total_milli, revenue_e4, treated_at, recorded_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                treatment_id,
                store.id,
                patient.patient_id,
                practitioner,
                appointment,
                chart,
                service,
                serde_json::to_string(&areas)?,
                total,
                revenue_total.to_scaled("revenue")?,
                now,
                ctx.actor.id
            ],
        )?;
        let mut lots = Vec::new();
        for (src, q) in resolved {
            let revenue = price.times(Qty::from_scaled(q));
            let revenue_e4 = revenue.to_scaled("revenue")?;
            let (batch_id, session_id, cpu) = match src {
                Src::Vial(mut s) => {
                    take(
                        ctx,
                        &mut s,
                        q,
                        ChangeType::TreatmentUse,
                        &treatment_id,
                        revenue_e4,
                    )?;
                    close_if_empty(ctx, &mut s)?;
                    (s.batch_id, Some(s.id), s.cost_per_unit_e4)
                }
                Src::Lot(b) => {
                    // Read again: an earlier source of this treatment may
                    // have drawn from the same lot.
                    let b = BatchRow::load(ctx.tx, b.id)?;
                    move_stock(
                        ctx,
                        &b,
                        b.on_hand_milli - q,
                        ChangeType::TreatmentUse,
                        Some(&treatment_id),
                        None,
                    )?;
                    (b.id, None, b.cost_e4)
                }
            };
            let cost = Money::from_scaled(cpu).times(Qty::from_scaled(q));
            let usage_id = LotUsageId::new();
            ctx.tx.execute(
                "INSERT INTO lot_usages (id, treatment_id, store_id, product_id, batch_id, session_id, patient_id, practitioner_id,
                                         quantity_milli, price_per_unit_e4, revenue_e4, cost_e4, used_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                params![
                    usage_id,
                    treatment_id,
                    store.id,
                    product.id,
                    batch_id,
                    session_id,
                    patient.patient_id,
                    practitioner,
                    q,
                    price.to_scaled("price_per_unit")?,
                    revenue_e4,
                    cost.to_scaled("cost")?,
                    now
                ],
            )?;
            lots.push(serde_json::json!({
                "batch_id": batch_id,
                "session_id": session_id,
                "units": Qty::from_scaled(q),
                "revenue": revenue,
            }));
        }
        let payload = Payload::about(
            "treatment",
            &treatment_id,
            chart.as_deref().unwrap_or("patient"),
        )
        .with_data(serde_json::json!({
            "patient_id": patient.patient_id,
            "chart_id": chart,
            "practitioner_id": practitioner,
            "practitioner": practitioner_name,
            "appointment_ref": appointment,
            "service": service,
            "product_id": product.id,
            "areas": areas,
            "lots": lots,
            "price_per_unit": price,
            "override": override_note,
        }))?;
        audit::record(ctx, store.id, ChangeType::TreatmentRecorded, &payload)?;
        let mut t = load_treatments(ctx, "t.id = ?1", &treatment_id)?;
        t.pop()
            .ok_or_else(|| Error::internal("treatment not found after insert"))
    }
}

/// Treatments matching `cond` (on `treatments t`, one parameter), newest
/// first, with their lots.
pub(crate) fn load_treatments(ctx: &Ctx<'_>, cond: &str, param: &str) -> Result<Vec<Treatment>> {
    let mut stmt = ctx.tx.prepare(&format!(
        "SELECT t.id, t.store_id, t.patient_id, p.name, t.chart_id, t.practitioner_id, u.name, t.appointment_ref,
                t.service, t.areas, t.total_milli, t.revenue_e4, t.treated_at
           FROM treatments t JOIN patients p ON p.id = t.patient_id JOIN users u ON u.id = t.practitioner_id
          WHERE {cond} ORDER BY t.treated_at DESC, t.id DESC"
    ))?;
    let rows = stmt
        .query_map([param], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, StoreId>(1)?,
                r.get::<_, PatientId>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, UserId>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<String>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, String>(9)?,
                r.get::<_, i64>(10)?,
                r.get::<_, i64>(11)?,
                r.get::<_, String>(12)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    let mut lots_stmt = ctx.tx.prepare_cached(
        "SELECT l.id, l.product_id, pr.name, l.batch_id, b.batch_number, l.session_id, l.quantity_milli,
                l.price_per_unit_e4, l.revenue_e4, l.cost_e4
           FROM lot_usages l JOIN products pr ON pr.id = l.product_id JOIN batches b ON b.id = l.batch_id
          WHERE l.treatment_id = ?1 ORDER BY l.rowid",
    )?;
    for (
        id,
        store_id,
        patient_id,
        patient_name,
        chart_id,
        pid,
        pname,
        appt,
        service,
        areas,
        total,
        revenue,
        at,
    ) in rows
    {
        let areas: Vec<TreatmentArea> =
            serde_json::from_str(&areas).map_err(|e| Error::CorruptRecord {
                entity: "treatment",
                id: id.clone(),
                field: "areas",
                value: format!("{areas} ({e})"),
            })?;
        let lots = lots_stmt
            .query_map([&id], |r| {
                Ok(LotUsage {
                    usage_id: r.get(0)?,
                    product_id: r.get(1)?,
                    product_name: r.get(2)?,
                    batch_id: r.get(3)?,
                    batch_number: r.get(4)?,
                    session_id: r.get(5)?,
                    quantity: Qty::from_scaled(r.get(6)?),
                    price_per_unit: Money::from_scaled(r.get(7)?),
                    revenue: Money::from_scaled(r.get(8)?),
                    cost: Money::from_scaled(r.get(9)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        out.push(Treatment {
            treatment_id: id,
            store_id,
            patient_id,
            patient_name,
            chart_id,
            practitioner_id: pid,
            practitioner_name: pname,
            appointment_ref: appt,
            service,
            areas,
            total: Qty::from_scaled(total),
            revenue: Money::from_scaled(revenue),
            treated_at: at,
            lots,
        });
    }
    Ok(out)
}

/// A patient with every treatment they had, newest first.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PatientHistory {
    /// The patient.
    pub patient: Patient,
    /// Their treatments, with lots.
    pub treatments: Vec<Treatment>,
}

/// A patient's details and treatments with the lots used (what a recall needs).
/// The view is written to the security log.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetPatientHistory {
    /// Patient.
    pub patient_id: PatientId,
}

impl Operation for GetPatientHistory {
    const NAME: &'static str = "get_patient_history";
    const SUMMARY: &'static str = "A patient's details and treatments with lots (logged as a view)";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = PatientHistory;

    fn run(self, ctx: &Ctx<'_>) -> Result<PatientHistory> {
        let patient = patients::load(ctx, self.patient_id)?;
        let treatments =
            load_treatments(ctx, "t.patient_id = ?1", &patient.patient_id.to_string())?;
        crate::security::patient_data(
            ctx,
            patient.store_id,
            format!(
                "treatment history of patient {}",
                patient
                    .chart_id
                    .as_deref()
                    .unwrap_or(&patient.patient_id.to_string())
            ),
            false,
        );
        Ok(PatientHistory {
            patient,
            treatments,
        })
    }
}

/// The draws from one vial, oldest first (the caller logs the view).
pub(crate) fn of_session(ctx: &Ctx<'_>, id: VialSessionId) -> Result<Vec<Treatment>> {
    let mut t = load_treatments(
        ctx,
        "t.id IN (SELECT treatment_id FROM lot_usages WHERE session_id = ?1)",
        &id.to_string(),
    )?;
    t.reverse();
    Ok(t)
}

/// One user who may be named as a treatment's practitioner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Practitioner {
    /// The user.
    pub id: UserId,
    /// Their name.
    pub name: String,
    /// `practitioner`, `manager` or `admin`.
    pub role: String,
}

/// The store's active practitioners, managers and admins (who may be named as the
/// practitioner of a treatment or waste), by name: for the draw's picker.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListPractitioners {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for ListPractitioners {
    const NAME: &'static str = "list_practitioners";
    const SUMMARY: &'static str =
        "The store's practitioners (and managers, admins) who may be named on a treatment";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = Vec<Practitioner>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Practitioner>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT u.id, u.name, us.role FROM user_stores us JOIN users u ON u.id = us.user_id
              WHERE us.store_id = ?1 AND us.role IN ('practitioner', 'manager', 'admin') AND u.is_active = 1
              ORDER BY u.name COLLATE NOCASE, u.id",
        )?;
        let rows = stmt
            .query_map([store.id], |r| {
                Ok(Practitioner {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
