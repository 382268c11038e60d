//! Patients: just enough for traceability (name, date of birth, chart id,
//! contact). Only clinical roles and managers see them (`clinical`); the
//! record names a patient by id and chart id, never by their details.

use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::catalogue::{optional_text, required_text};
use crate::ids::{PatientId, StoreId};
use crate::op::{Ctx, Operation};
use crate::page::{limit_offset, Filter};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A patient.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Patient {
    /// Id.
    pub patient_id: PatientId,
    /// The clinic (store) that registered them.
    pub store_id: StoreId,
    /// Full name.
    pub name: String,
    /// Date of birth (`YYYY-MM-DD`).
    pub date_of_birth: Option<String>,
    /// The clinic's chart id (unique in the store).
    pub chart_id: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// False once archived.
    pub active: bool,
    /// Registered at.
    pub created_at: String,
}

/// Registers a patient in a store.
///
/// - `name` required (1–200 characters); `date_of_birth` `YYYY-MM-DD`, not in the
///   future; `chart_id` unique in the store (`conflict`); `phone`, `email` optional.
/// - Writes a `patient_created` event naming the patient by id and chart id only.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreatePatient {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Full name.
    pub name: String,
    /// Date of birth.
    #[ts(optional, type = "string")]
    pub date_of_birth: Option<NaiveDate>,
    /// Chart id.
    #[ts(optional)]
    pub chart_id: Option<String>,
    /// Phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// Email.
    #[ts(optional)]
    pub email: Option<String>,
}

impl Operation for CreatePatient {
    const NAME: &'static str = "create_patient";
    const SUMMARY: &'static str = "Register a patient (name, date of birth, chart id, contact)";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = true;
    type Output = Patient;

    fn run(self, ctx: &Ctx<'_>) -> Result<Patient> {
        let store = ctx.store(self.store_id)?;
        let name = required_text("name", &self.name, 200)?;
        let dob = check_dob(ctx, &store, self.date_of_birth)?;
        let chart = optional_text("chart_id", self.chart_id.as_deref(), 64)?;
        let phone = optional_text("phone", self.phone.as_deref(), 40)?;
        let email = optional_text("email", self.email.as_deref(), 200)?;
        check_chart_free(ctx, store.id, chart.as_deref(), None)?;
        let id = PatientId::new();
        ctx.tx.execute(
            "INSERT INTO patients (id, store_id, name, date_of_birth, chart_id, phone, email, created_at, updated_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
            params![id, store.id, name, dob, chart, phone, email, ctx.now_str(), ctx.actor.id],
        )?;
        let payload = Payload::about("patient", id, chart.as_deref().unwrap_or("patient"));
        audit::record(ctx, store.id, ChangeType::PatientCreated, &payload)?;
        load(ctx, id)
    }
}

/// Changes a patient's details; fields left out stay as they are, `active`
/// false archives them (their history stays). Writes a `patient_updated`
/// event naming which fields changed, not their values.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdatePatient {
    /// Patient.
    pub patient_id: PatientId,
    /// Full name.
    #[ts(optional)]
    pub name: Option<String>,
    /// Date of birth.
    #[ts(optional, type = "string")]
    pub date_of_birth: Option<NaiveDate>,
    /// Chart id.
    #[ts(optional)]
    pub chart_id: Option<String>,
    /// Phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// Email.
    #[ts(optional)]
    pub email: Option<String>,
    /// Active.
    #[ts(optional)]
    pub active: Option<bool>,
}

impl Operation for UpdatePatient {
    const NAME: &'static str = "update_patient";
    const SUMMARY: &'static str = "Change a patient's details, or archive them";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = true;
    type Output = Patient;

    fn run(self, ctx: &Ctx<'_>) -> Result<Patient> {
        let before = load(ctx, self.patient_id)?;
        let store = ctx.store(Some(before.store_id))?;
        let mut after = before.clone();
        if let Some(n) = &self.name {
            after.name = required_text("name", n, 200)?;
        }
        if self.date_of_birth.is_some() {
            after.date_of_birth = check_dob(ctx, &store, self.date_of_birth)?;
        }
        if let Some(c) = &self.chart_id {
            after.chart_id = optional_text("chart_id", Some(c), 64)?;
            check_chart_free(
                ctx,
                store.id,
                after.chart_id.as_deref(),
                Some(before.patient_id),
            )?;
        }
        if let Some(p) = &self.phone {
            after.phone = optional_text("phone", Some(p), 40)?;
        }
        if let Some(e) = &self.email {
            after.email = optional_text("email", Some(e), 200)?;
        }
        if let Some(a) = self.active {
            after.active = a;
        }
        if after == before {
            return Ok(before);
        }
        ctx.tx.execute(
            "UPDATE patients SET name = ?2, date_of_birth = ?3, chart_id = ?4, phone = ?5, email = ?6, active = ?7, updated_at = ?8
              WHERE id = ?1",
            params![after.patient_id, after.name, after.date_of_birth, after.chart_id, after.phone, after.email, after.active, ctx.now_str()],
        )?;
        // Which fields changed, never their values: the record outlives any
        // request to erase a patient's details.
        let fields: Vec<String> = audit::diff(&before, &after)?
            .into_iter()
            .map(|c| c.field)
            .collect();
        let payload = Payload::about(
            "patient",
            after.patient_id,
            after.chart_id.as_deref().unwrap_or("patient"),
        )
        .with_data(serde_json::json!({ "fields": fields }))?;
        audit::record(ctx, store.id, ChangeType::PatientUpdated, &payload)?;
        load(ctx, after.patient_id)
    }
}

/// A page of patients.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct PatientPage {
    /// The page, by name.
    pub rows: Vec<Patient>,
    /// Patients passing the filters.
    #[ts(type = "number")]
    pub total: i64,
}

/// Finds patients of a store by name (start of any word, or the whole name's
/// start), chart id or phone; by name; archived ones only with
/// `include_inactive`. Paged (`limit` 1–500, default 50).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListPatients {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Name, chart id or phone.
    #[ts(optional)]
    pub query: Option<String>,
    /// Also archived patients.
    #[ts(optional)]
    pub include_inactive: Option<bool>,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

impl Operation for ListPatients {
    const NAME: &'static str = "list_patients";
    const SUMMARY: &'static str = "Find a store's patients by name, chart id or phone";
    const PERMISSION: Permission = Permission::Clinical;
    const WRITES: bool = false;
    type Output = PatientPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<PatientPage> {
        let store = ctx.store(self.store_id)?;
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        let mut f = Filter::default();
        f.and("store_id = :store")
            .bind(":store", store.id.to_string());
        if !self.include_inactive.unwrap_or(false) {
            f.and("active = 1");
        }
        if let Some(q) = self
            .query
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
        {
            let like = format!("{}%", q.replace(['%', '_'], ""));
            f.and(
                "(name LIKE :q COLLATE NOCASE OR name LIKE :qw COLLATE NOCASE OR chart_id LIKE :q COLLATE NOCASE OR phone LIKE :q)",
            )
            .bind(":q", like.clone())
            .bind(":qw", format!("% {like}"));
        }
        let where_sql = f.where_sql();
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) FROM patients {where_sql}"),
            f.params(&[]).as_slice(),
            |r| r.get(0),
        )?;
        let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
        let params = f.params(&extra);
        let mut stmt = ctx.tx.prepare(&format!(
            "SELECT {COLUMNS} FROM patients {where_sql} ORDER BY name COLLATE NOCASE, id LIMIT :limit OFFSET :offset"
        ))?;
        let rows = stmt
            .query_map(params.as_slice(), read)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(PatientPage { rows, total })
    }
}

const COLUMNS: &str =
    "id, store_id, name, date_of_birth, chart_id, phone, email, active, created_at";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Patient> {
    Ok(Patient {
        patient_id: r.get(0)?,
        store_id: r.get(1)?,
        name: r.get(2)?,
        date_of_birth: r.get(3)?,
        chart_id: r.get(4)?,
        phone: r.get(5)?,
        email: r.get(6)?,
        active: r.get(7)?,
        created_at: r.get(8)?,
    })
}

/// Loads a patient and checks the actor may see them in their store.
pub(crate) fn load(ctx: &Ctx<'_>, id: PatientId) -> Result<Patient> {
    let p = ctx
        .tx
        .prepare_cached(&format!("SELECT {COLUMNS} FROM patients WHERE id = ?1"))?
        .query_row([id], read)
        .optional()?
        .ok_or_else(|| Error::not_found("patient", id))?;
    ctx.check_store(p.store_id)?;
    Ok(p)
}

fn check_dob(
    ctx: &Ctx<'_>,
    store: &crate::catalogue::stores::StoreInfo,
    dob: Option<NaiveDate>,
) -> Result<Option<String>> {
    match dob {
        Some(d) if d > ctx.today(store) => Err(Error::invalid(
            "date_of_birth",
            format!("date of birth {d} is in the future"),
        )),
        Some(d) => Ok(Some(d.to_string())),
        None => Ok(None),
    }
}

fn check_chart_free(
    ctx: &Ctx<'_>,
    store: StoreId,
    chart: Option<&str>,
    except: Option<PatientId>,
) -> Result<()> {
    let Some(chart) = chart else { return Ok(()) };
    let taken: Option<String> = ctx
        .tx
        .query_row(
            "SELECT name FROM patients WHERE store_id = ?1 AND chart_id = ?2 COLLATE NOCASE AND (?3 IS NULL OR id <> ?3)",
            params![store, chart, except],
            |r| r.get(0),
        )
        .optional()?;
    match taken {
        Some(_) => Err(Error::conflict(format!(
            "chart id {chart} is already used by another patient of this store"
        ))),
        None => Ok(()),
    }
}
