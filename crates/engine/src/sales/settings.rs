//! Till settings per store: tax-inclusive prices or not, cash rounding,
//! tenders, receipt options, hold lifetime, the cashier's limits, where
//! returned packs go by default, and how sale numbers read.
//!
//! Settings live in `store_settings`, one row per store, created with the
//! defaults the first time anything needs it, so a store made before the
//! till existed needs no migration step. The same row carries the store's
//! sale-number counter, so numbering is one `UPDATE … RETURNING` inside the
//! sale's own transaction: sequential, gap-free, never duplicated.
//!
//! A sale number is `<store code>-<prefix>-<number>` (`LEK-S-000123`):
//! head office reads every store's events side by side, and the store's
//! unique code keeps two stores from printing the same number. The prefix
//! is letters and digits only, so a number splits one way only.

use super::returns::ReturnDisposition;
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::StoreId;
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A store's till settings.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct TillSettings {
    /// Store.
    pub store_id: StoreId,
    /// Shelf prices include tax (true) or tax is added at the till (false).
    pub prices_include_tax: bool,
    /// The total is rounded to a multiple of this (e.g. "0.05", "1"); "0"
    /// means no rounding.
    pub rounding_increment: Money,
    /// Enabled tenders: `cash`, `card` and any configured others
    /// (`transfer`, `mobile_money`…).
    pub tenders: Vec<String>,
    /// Print batch numbers on receipts.
    pub receipt_show_batch: bool,
    /// Print expiry dates on receipts.
    pub receipt_show_expiry: bool,
    /// Extra header lines on receipts.
    pub receipt_header: Option<String>,
    /// Footer on receipts.
    pub receipt_footer: Option<String>,
    /// Minutes a held cart keeps its stock reserved.
    pub hold_ttl_minutes: u32,
    /// Largest discount (percent of the amount) a cashier may give alone.
    #[ts(type = "string")]
    pub cashier_discount_limit_percent: Decimal,
    /// Largest refund a cashier may give alone.
    pub cashier_refund_limit: Money,
    /// Sale numbers are `<store code>-<prefix>-000123` (default prefix `S`).
    pub sale_prefix: String,
    /// Where a returned pack goes when the return does not say (default
    /// `quarantine`: dispensed medicine is checked before it is resold).
    pub return_disposition: ReturnDisposition,
}

/// The sale-number prefix when the store has not chosen one.
pub const DEFAULT_SALE_PREFIX: &str = "S";

const COLS: &str = "s.prices_include_tax, s.rounding_increment_e4, s.tenders, s.receipt_show_batch, s.receipt_show_expiry,
    s.receipt_header, s.receipt_footer, s.hold_ttl_minutes, s.cashier_discount_limit_percent, s.cashier_refund_limit_e4,
    s.sale_prefix, s.return_disposition";

/// Creates the store's settings row with defaults if it is missing.
fn ensure_row(tx: &Transaction<'_>, store_id: StoreId, now: &str) -> Result<()> {
    tx.prepare_cached(
        "INSERT OR IGNORE INTO store_settings (store_id, updated_at) VALUES (?1, ?2)",
    )?
    .execute(params![store_id, now])?;
    Ok(())
}

/// Loads a store's settings (defaults when never set).
pub fn load(tx: &Transaction<'_>, store_id: StoreId) -> Result<TillSettings> {
    let row = tx
        .prepare_cached(&format!(
            "SELECT {COLS} FROM stores st LEFT JOIN store_settings s ON s.store_id = st.id WHERE st.id = ?1"
        ))?
        .query_row([store_id], |r| {
            Ok((
                r.get::<_, Option<bool>>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<bool>>(3)?,
                r.get::<_, Option<bool>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, Option<u32>>(7)?,
                r.get::<_, Option<String>>(8)?,
                r.get::<_, Option<i64>>(9)?,
                r.get::<_, Option<String>>(10)?,
                r.get::<_, Option<String>>(11)?,
            ))
        })
        .optional()?
        .ok_or_else(|| Error::not_found("store", store_id))?;
    let (
        incl,
        inc,
        tenders,
        batch,
        expiry,
        header,
        footer,
        ttl,
        limit,
        refund,
        prefix,
        disposition,
    ) = row;
    // Missing settings take their defaults; stored ones that do not read back
    // are named, never replaced by a default.
    let bad = |field: &'static str, value: String| {
        Error::corrupt("store settings", store_id, field, value)
    };
    let tenders = match tenders {
        None => vec!["cash".into(), "card".into()],
        Some(t) => serde_json::from_str(&t).map_err(|_| bad("tenders", t))?,
    };
    let limit = match limit {
        None => Decimal::from(10),
        Some(l) => l
            .parse()
            .map_err(|_| bad("cashier_discount_limit_percent", l))?,
    };
    Ok(TillSettings {
        store_id,
        prices_include_tax: incl.unwrap_or(true),
        rounding_increment: Money::from_scaled(inc.unwrap_or(0)),
        tenders,
        receipt_show_batch: batch.unwrap_or(true),
        receipt_show_expiry: expiry.unwrap_or(true),
        receipt_header: header,
        receipt_footer: footer,
        hold_ttl_minutes: ttl.unwrap_or(60),
        cashier_discount_limit_percent: limit,
        cashier_refund_limit: Money::from_scaled(refund.unwrap_or(0)),
        sale_prefix: prefix.unwrap_or_else(|| DEFAULT_SALE_PREFIX.into()),
        return_disposition: match disposition {
            None => ReturnDisposition::Quarantine,
            Some(d) => ReturnDisposition::parse(&d).ok_or_else(|| bad("return_disposition", d))?,
        },
    })
}

/// Takes the store's next sale number, e.g. `STA-S-000123`.
pub(crate) fn next_sale_number(ctx: &Ctx<'_>, store_id: StoreId) -> Result<String> {
    ensure_row(ctx.tx, store_id, &ctx.now_str())?;
    let (n, prefix, code): (i64, Option<String>, String) = ctx
        .tx
        .prepare_cached(
            "UPDATE store_settings SET last_sale_number = last_sale_number + 1 WHERE store_id = ?1
             RETURNING last_sale_number, sale_prefix, (SELECT code FROM stores WHERE id = ?1)",
        )?
        .query_row([store_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(sale_number(
        &code,
        prefix.as_deref().unwrap_or(DEFAULT_SALE_PREFIX),
        n,
    ))
}

/// `<store code>-<prefix>-<number, 6 digits or more>`.
pub(crate) fn sale_number(code: &str, prefix: &str, n: i64) -> String {
    format!("{code}-{prefix}-{n:06}")
}

/// Defaults until a manager changes them: prices include tax, no cash rounding (`"0"`),
/// tenders `cash` and `card`, batch and expiry printed on receipts, holds kept 60
/// minutes, cashier discount limit 10 %, cashier refund limit 0 (every cashier refund
/// needs a manager), sale numbers prefixed with the store code (`LEK-01-000001`).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetTillSettings {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for GetTillSettings {
    const NAME: &'static str = "get_till_settings";
    const SUMMARY: &'static str =
        "A store's till settings: tax-inclusive prices, rounding, tenders, receipts, limits";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = TillSettings;

    fn run(self, ctx: &Ctx<'_>) -> Result<TillSettings> {
        let store = ctx.store(self.store_id)?;
        load(ctx.tx, store.id)
    }
}

/// - Omitted fields are kept. `rounding_increment` is 0–1000: the total is rounded (half
///   away from zero) to a multiple of it and the difference shown as `rounding`.
///   `tenders` are lower-case codes (letters, digits, `_`; at least one).
///   `hold_ttl_minutes` is 1–43200; `cashier_discount_limit_percent` 0–100 (a
///   **string**); `cashier_refund_limit` ≥ 0; `sale_prefix` letters, digits and `-`
///   (upper-cased).
/// - Sale numbers are `<prefix>-000001`, sequential per store, never reused.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateTillSettings {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Shelf prices include tax.
    #[ts(optional)]
    pub prices_include_tax: Option<bool>,
    /// Cash rounding increment ("0" for none).
    #[ts(optional)]
    pub rounding_increment: Option<Money>,
    /// Enabled tenders (lower-case codes; e.g. ["cash","card","transfer"]).
    #[ts(optional)]
    pub tenders: Option<Vec<String>>,
    /// Print batch numbers.
    #[ts(optional)]
    pub receipt_show_batch: Option<bool>,
    /// Print expiry dates.
    #[ts(optional)]
    pub receipt_show_expiry: Option<bool>,
    /// Receipt header ("" clears).
    #[ts(optional)]
    pub receipt_header: Option<String>,
    /// Receipt footer ("" clears).
    #[ts(optional)]
    pub receipt_footer: Option<String>,
    /// Hold lifetime, minutes (1–43200).
    #[ts(optional)]
    pub hold_ttl_minutes: Option<u32>,
    /// Cashier discount limit, percent (0–100).
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub cashier_discount_limit_percent: Option<Decimal>,
    /// Cashier refund limit.
    #[ts(optional)]
    pub cashier_refund_limit: Option<Money>,
    /// Sale number prefix after the store code (letters and digits).
    #[ts(optional)]
    pub sale_prefix: Option<String>,
    /// Where returned packs go when a return does not say.
    #[ts(optional)]
    pub return_disposition: Option<ReturnDisposition>,
}

/// Checks a tender code: lower-case letters, digits and '_', 1–20 long.
pub(crate) fn tender_code(t: &str) -> Result<String> {
    let t = t.trim().to_ascii_lowercase();
    if t.is_empty()
        || t.len() > 20
        || !t
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Err(Error::invalid(
            "tenders",
            format!("tender '{t}' must be 1-20 lower-case letters, digits or '_'"),
        ));
    }
    Ok(t)
}

impl Operation for UpdateTillSettings {
    const NAME: &'static str = "update_till_settings";
    const SUMMARY: &'static str = "Change a store's till settings (manager)";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = true;
    type Output = TillSettings;

    fn run(self, ctx: &Ctx<'_>) -> Result<TillSettings> {
        let store = ctx.store(self.store_id)?;
        let cur = load(ctx.tx, store.id)?;
        let before = cur.clone();
        let inc = self.rounding_increment.unwrap_or(cur.rounding_increment);
        if inc.is_negative() || inc > Money::from(1000) {
            return Err(Error::invalid(
                "rounding_increment",
                "the rounding increment is between 0 and 1000",
            ));
        }
        let tenders = match self.tenders {
            Some(list) => {
                let mut out: Vec<String> = Vec::new();
                for t in &list {
                    let t = tender_code(t)?;
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
                if out.is_empty() {
                    return Err(Error::invalid("tenders", "enable at least one tender"));
                }
                out
            }
            None => cur.tenders,
        };
        let ttl = self.hold_ttl_minutes.unwrap_or(cur.hold_ttl_minutes);
        if !(1..=43_200).contains(&ttl) {
            return Err(Error::invalid(
                "hold_ttl_minutes",
                "hold_ttl_minutes must be between 1 and 43200 (30 days)",
            ));
        }
        let limit = self
            .cashier_discount_limit_percent
            .unwrap_or(cur.cashier_discount_limit_percent);
        if limit < Decimal::ZERO || limit > Decimal::from(100) {
            return Err(Error::invalid(
                "cashier_discount_limit_percent",
                "the discount limit is between 0 and 100 percent",
            ));
        }
        let refund = self
            .cashier_refund_limit
            .unwrap_or(cur.cashier_refund_limit);
        if refund.is_negative() {
            return Err(Error::invalid(
                "cashier_refund_limit",
                "the refund limit cannot be negative",
            ));
        }
        let prefix = match self.sale_prefix {
            Some(p) => {
                let p =
                    crate::catalogue::required_text("sale_prefix", &p, 12)?.to_ascii_uppercase();
                // No '-': the number must split one way only (see above).
                if !p.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(Error::invalid(
                        "sale_prefix",
                        "the sale prefix is letters and digits (the store code and '-' are added)",
                    ));
                }
                p
            }
            None => cur.sale_prefix,
        };
        let text = |field: &str, new: Option<String>, old: Option<String>| match new {
            Some(v) => optional_text(field, Some(&v), 500),
            None => Ok(old),
        };
        let header = text("receipt_header", self.receipt_header, cur.receipt_header)?;
        let footer = text("receipt_footer", self.receipt_footer, cur.receipt_footer)?;
        ensure_row(ctx.tx, store.id, &ctx.now_str())?;
        ctx.tx.execute(
            "UPDATE store_settings SET prices_include_tax = ?2, rounding_increment_e4 = ?3, tenders = ?4,
                    receipt_show_batch = ?5, receipt_show_expiry = ?6, receipt_header = ?7, receipt_footer = ?8,
                    hold_ttl_minutes = ?9, cashier_discount_limit_percent = ?10, cashier_refund_limit_e4 = ?11,
                    sale_prefix = ?12, updated_at = ?13, updated_by = ?14, return_disposition = ?15
              WHERE store_id = ?1",
            params![
                store.id,
                self.prices_include_tax.unwrap_or(cur.prices_include_tax),
                inc.to_scaled("rounding_increment")?,
                serde_json::to_string(&tenders)?,
                self.receipt_show_batch.unwrap_or(cur.receipt_show_batch),
                self.receipt_show_expiry.unwrap_or(cur.receipt_show_expiry),
                header,
                footer,
                ttl,
                limit.normalize().to_string(),
                refund.to_scaled("cashier_refund_limit")?,
                prefix,
                ctx.now_str(),
                ctx.actor.id,
                self.return_disposition
                    .unwrap_or(cur.return_disposition)
                    .as_str()
            ],
        )?;
        let after = load(ctx.tx, store.id)?;
        let changes = crate::audit::diff(&before, &after)?;
        if !changes.is_empty() {
            let payload = crate::audit::Payload::about("store_settings", store.id, &store.name)
                .with_changes(changes);
            crate::audit::record(
                ctx,
                store.id,
                crate::audit::ChangeType::SettingsChanged,
                &payload,
            )?;
        }
        Ok(after)
    }
}

/// Whether the acting user may see and change this workstation's receipt
/// printer (kept by the desktop shell beside the database, not in it). Not
/// a command of its own: the shell asks the engine before it reads or
/// writes those settings, so that the permission is the engine's. Like the
/// store's till settings, they are a manager's (`manage_stock`: managers
/// and administrators).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorizePrinterSettings {}

impl Operation for AuthorizePrinterSettings {
    const NAME: &'static str = "authorize_printer_settings";
    const SUMMARY: &'static str =
        "Check that the acting user may see and change this till's receipt printer";
    const PERMISSION: Permission = Permission::ManageStock;
    const WRITES: bool = false;
    type Output = ();

    fn run(self, _ctx: &Ctx<'_>) -> Result<()> {
        Ok(())
    }
}
