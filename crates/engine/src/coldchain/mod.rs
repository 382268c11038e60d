//! The cold chain: storage locations holding lots, their temperature
//! readings, and the excursions found in them.
//!
//! - A **storage location** (fridge, freezer, shelf, room) belongs to a store and holds
//!   lots (`batches.storage_location_id`, set by `put_lot_in_location`).
//! - **Readings** are typed in (`record_readings`) or imported from a data logger's CSV
//!   (`import_readings_csv`, format in [`csv`]); temperatures are exact hundredths of a
//!   degree (Decimal in requests and responses, integers in SQLite), never floating point.
//! - After readings are recorded, each lot with stock that is `available` in the location
//!   and whose product has a storage range (`storage.temperature_min_c` / `_max_c`) is
//!   judged against that range ([`detect`]):
//!   - **too hot / too cold**: one reading further than the location's
//!     `instant_margin_c` (default 2.00 °C) above the maximum or below the minimum;
//!   - **cumulative hot / cold**: readings above the maximum (or below the minimum) by
//!     less, each lasting until the next reading, add up to more than the location's
//!     `tolerance_minutes` (default 30) within the `window_minutes` (default 1,440, a
//!     day) ending at a reading.
//!
//!   A lot's exposure counts from when it was put in the location and, after a manager
//!   released it from an excursion, from that release.
//! - A breach records an **excursion** (one per kind found in one recording), puts its
//!   lots in `quarantine` (a `status_change` event per lot, holds released), and raises a
//!   critical `temperature_excursion` alert about the excursion.
//! - A manager decides each held lot (`decide_excursion_lot`): **release** (back to
//!   available, a `status_change` event) or **dispose** (everything left written off as
//!   `waste`). When every lot is decided the excursion closes and its alert resolves.

pub mod csv;
pub mod detect;
pub mod excursions;
pub mod locations;
pub mod readings;

use crate::{Error, Result};
use rust_decimal::prelude::*;

/// Hundredths of a degree from an exact decimal (rounded half away from
/// zero to two places).
pub(crate) fn to_centi(field: &str, c: Decimal) -> Result<i64> {
    if c < Decimal::from(-100) || c > Decimal::from(100) {
        return Err(Error::invalid(
            field,
            format!("{c} °C is not a plausible storage temperature (−100 to 100 °C)"),
        ));
    }
    (c.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero) * Decimal::ONE_HUNDRED)
        .to_i64()
        .ok_or_else(|| Error::invalid(field, "temperature out of range"))
}

/// An exact decimal from hundredths of a degree.
pub(crate) fn from_centi(c: i64) -> Decimal {
    Decimal::new(c, 2)
}
