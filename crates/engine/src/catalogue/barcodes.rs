//! Which product a scanned code names: the one lookup the till's
//! `scan_barcode` and receiving's `parse_scan` share, so a pack that sells
//! is a pack that can be received, and the other way round.
//!
//! The code is first looked up as it is among the products' barcodes
//! (stores label some goods with their own codes), then parsed as GS1
//! ([`crate::gs1`]); a GTIN matches a product stored under any of its
//! forms (GTIN-14, -13, -12, -8).

use crate::gs1::{self, Gs1Data};
use crate::ids::ProductId;
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Transaction};

/// The product a code names and, when the code is GS1, what it says.
///
/// Errors: `invalid_input` (field `code`) for an empty or malformed code, a
/// wrong check digit or a GS1 string without a GTIN; `not_found` when no
/// product carries the code or its GTIN.
pub fn product_for_code(
    tx: &Transaction<'_>,
    code: &str,
    today: NaiveDate,
) -> Result<(ProductId, Option<Gs1Data>)> {
    if code.is_empty() {
        return Err(Error::invalid("code", "the barcode is empty"));
    }
    let by_barcode = |c: &str| -> Result<Option<ProductId>> {
        Ok(tx
            .prepare_cached("SELECT product_id FROM product_barcodes WHERE barcode = ?1")?
            .query_row([c], |r| r.get(0))
            .optional()?)
    };
    match by_barcode(code)? {
        Some(p) if !code.starts_with('(') => Ok((p, gs1::parse(code, today).ok())),
        _ => {
            let parsed = gs1::parse(code, today)?;
            let gtin = parsed
                .gtin
                .clone()
                .ok_or_else(|| Error::invalid("code", "the barcode carries no GTIN (AI 01)"))?;
            for form in gs1::gtin_forms(&gtin) {
                if let Some(p) = by_barcode(&form)? {
                    return Ok((p, Some(parsed)));
                }
            }
            Err(Error::not_found("product with barcode", &gtin))
        }
    }
}
