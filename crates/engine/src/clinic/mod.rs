//! The clinic (seed 000): patients, open vial sessions with fractional
//! units per patient, lot usage, waste, the clinic's vial policy, recalls
//! down to the patients, and the trace of a lot.
//!
//! A lot is a batch: clinic stock is the till's stock, under the same
//! ledger and store boundary. An opened vial's units stay on their batch,
//! held by an `open_vial` reservation so the till cannot sell them, and
//! leave it draw by draw (`treatment_use` events, one per lot of a
//! treatment) and as waste (`waste` events). So on-hand, the ledger and
//! `verify` need nothing new, and a vial balances exactly:
//! units in the vial = drawn + wasted + remaining (a CHECK on the row).
//!
//! Patients' details never enter the store's record (which syncs to head
//! office and can never be erased): its events name a patient by id and
//! chart id. Every view or export of a patient's usage is written to the
//! security log.

pub mod patients;
pub mod recalls;
pub mod report;
pub mod settings;
pub mod trace;
pub mod treatments;
pub mod vials;
pub mod waste;

use crate::catalogue::products::InjectableDetails;
use crate::ids::{ProductId, StoreId, UserId};
use crate::op::Ctx;
use crate::{Error, Result};
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Why stock was wasted (seed 000's reasons, and a cold-chain breach).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WasteReason {
    /// Expired before it was used.
    ExpiredUnused,
    /// An opened vial outlived its window.
    StabilityExceeded,
    /// Contaminated.
    Contamination,
    /// Lost drawing up (syringe and needle dead space, spills).
    DrawUpLoss,
    /// Prepared for a patient who did not come.
    PatientNoShow,
    /// Discarded after an adverse reaction.
    AdverseReactionDiscard,
    /// Used for training.
    Training,
    /// Damaged (a vial that lost its vacuum, a broken syringe).
    Damaged,
    /// Recalled.
    Recall,
    /// Kept outside its storage range.
    TemperatureExcursion,
}

impl WasteReason {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WasteReason::ExpiredUnused => "expired_unused",
            WasteReason::StabilityExceeded => "stability_exceeded",
            WasteReason::Contamination => "contamination",
            WasteReason::DrawUpLoss => "draw_up_loss",
            WasteReason::PatientNoShow => "patient_no_show",
            WasteReason::AdverseReactionDiscard => "adverse_reaction_discard",
            WasteReason::Training => "training",
            WasteReason::Damaged => "damaged",
            WasteReason::Recall => "recall",
            WasteReason::TemperatureExcursion => "temperature_excursion",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Result<WasteReason> {
        serde_json::from_value(serde_json::Value::String(s.to_string()))
            .map_err(|_| Error::internal(format!("unknown waste reason '{s}' in the database")))
    }
}

/// What the clinic needs of a product.
pub(crate) struct ClinicProduct {
    pub id: ProductId,
    pub name: String,
    pub unit: String,
    pub allow_fractional: bool,
    pub selling_price_e4: i64,
    pub injectable: Option<InjectableDetails>,
}

impl ClinicProduct {
    pub(crate) fn load(ctx: &Ctx<'_>, id: ProductId) -> Result<ClinicProduct> {
        let row = ctx
            .tx
            .prepare_cached(
                "SELECT name, unit, allow_fractional, selling_price_e4, injectable
                   FROM products WHERE id = ?1 AND deleted_at IS NULL",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, bool>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .optional()?;
        let (name, unit, allow_fractional, selling_price_e4, injectable) =
            row.ok_or_else(|| Error::not_found("product", id))?;
        let injectable = match injectable {
            Some(text) => Some(
                serde_json::from_str(&text).map_err(|e| Error::CorruptRecord {
                    entity: "product",
                    id: id.to_string(),
                    field: "injectable",
                    value: format!("{text} ({e})"),
                })?,
            ),
            None => None,
        };
        Ok(ClinicProduct {
            id,
            name,
            unit,
            allow_fractional,
            selling_price_e4,
            injectable,
        })
    }

    /// Checks a quantity of this product (positive, whole unless fractions
    /// are allowed, at most three places); returns thousandths.
    pub(crate) fn quantity(&self, field: &str, q: crate::num::Qty) -> Result<i64> {
        crate::num::check_quantity(field, q, self.allow_fractional, &self.unit)
    }
}

/// Checks that `user` may be named as the practitioner of a treatment or
/// waste in `store`: an active user with a clinical role there
/// (practitioner, manager or admin).
pub(crate) fn check_practitioner(ctx: &Ctx<'_>, store: StoreId, user: UserId) -> Result<String> {
    let row: Option<(String, bool, Option<String>)> = ctx
        .tx
        .prepare_cached(
            "SELECT u.name, u.is_active, us.role FROM users u
               LEFT JOIN user_stores us ON us.user_id = u.id AND us.store_id = ?2
              WHERE u.id = ?1",
        )?
        .query_row(rusqlite::params![user, store], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?;
    let (name, active, role) = row.ok_or_else(|| Error::not_found("user", user))?;
    if !active {
        return Err(Error::invalid(
            "practitioner_id",
            format!("{name} is deactivated and cannot be named as the practitioner"),
        ));
    }
    match role.as_deref() {
        Some("practitioner" | "manager" | "admin") => Ok(name),
        _ => Err(Error::invalid(
            "practitioner_id",
            format!("{name} is not a practitioner in this store"),
        )),
    }
}
