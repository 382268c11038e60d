//! `scan_barcode`: from what the scanner sent to what the till should do.
//!
//! The code is first looked up as-is among the products' barcodes (stores
//! label some goods with their own codes), then parsed as GS1
//! ([`crate::gs1`]); a GTIN matches a product stored under any of its forms
//! (GTIN-14, -13, -12, -8). When the symbol carries a batch (AI 10) that
//! this store holds for the product, the decision is that batch, unless it
//! is expired, recalled, quarantined or damaged: then the pack is refused
//! and the till says why. A pack whose own expiry (AI 17) is past is refused
//! even when its batch is unknown. Otherwise FEFO decides at completion.
//! A refusal is an answer, not an error: the till shows it.
//!
//! A scan reads only; it never writes an expiry or anything else (a pack's
//! printed expiry that disagrees with the stored batch is reported).

use super::cart::{AddCartLine, CartRow, CartView};
use super::m;
use crate::auth::Permission;
use crate::catalogue::barcodes::product_for_code;
use crate::error::tax_rate_in_row;
use crate::gs1::Gs1Data;
use crate::ids::{BatchId, CartId, ProductId, StoreId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::allocate::shown_expiry;
use crate::stock::{BatchRow, BatchStatus};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// - The code is first looked up as it is among the products' barcodes (store labels);
///   otherwise it is parsed as GS1: EAN-8, UPC-A, EAN-13, GTIN-14 (check digit verified),
///   element strings with FNC1 = ASCII 29 and an optional `]C1`, `]d2`, `]Q3` or `]e0`
///   prefix, or the bracket form `(01)…(17)…(10)…`. A GTIN matches a product stored under
///   any of its 14/13/12/8-digit forms. No product: `not_found`; a malformed code or
///   wrong check digit: `invalid_input`.
/// - Expiry dates with day `00` mean the month's last day; two-digit years follow the GS1
///   sliding window against the store's today.
/// - `decision`: `use_batch` when the symbol's batch (AI 10) is held by this store and
///   sellable; `refused` (`refusal`: `expired`, `recalled`, `quarantine`, `damaged`) when
///   that batch cannot be sold or the pack's own expiry (AI 17) is past, known batch or
///   not; otherwise `fefo`. `message` is one sentence for the cashier; a printed expiry
///   that differs from the batch record is reported there, never stored.
/// - `quantity` is the symbol's count (AI 30 or 37), else 1. `available` is the product's
///   sellable quantity in the store. A scan writes nothing.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ScanBarcode {
    /// What the scanner sent (EAN/UPC, GS1 element string with ASCII 29
    /// separators and optional `]C1`/`]d2`/`]Q3` prefix, or the bracket form).
    pub code: String,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

/// What the till should do with the scanned pack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BatchDecision {
    /// Sell from the scanned batch (pass its id to `add_cart_line`).
    UseBatch,
    /// Batch unknown or not given: FEFO picks at completion.
    Fefo,
    /// Do not sell this pack (see `refusal`).
    Refused,
}

/// Why a pack is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Refusal {
    /// Past its expiry (the pack's or the batch's).
    Expired,
    /// The batch is recalled.
    Recalled,
    /// The batch is in quarantine.
    Quarantine,
    /// The batch is damaged.
    Damaged,
}

/// The product scanned.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ScannedProduct {
    /// Id.
    pub id: ProductId,
    /// SKU.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Fractions allowed.
    pub allow_fractional: bool,
    /// Needs a prescription reference.
    pub prescription_only: bool,
    /// Selling price.
    pub price: Money,
    /// Tax rate, percent.
    #[ts(type = "string")]
    pub tax_rate: Decimal,
}

/// The batch the symbol named, as this store holds it.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ScannedBatch {
    /// Id.
    pub batch_id: BatchId,
    /// Number.
    pub batch_number: String,
    /// Stored expiry.
    pub expiry_date: Option<String>,
    /// Status.
    pub status: BatchStatus,
    /// Sellable quantity on it now.
    pub available: Qty,
}

/// The answer to a scan.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ScanResult {
    /// The code as read (trimmed).
    pub code: String,
    /// The GS1 content (None when the code matched a store barcode as-is).
    pub parsed: Option<Gs1Data>,
    /// The product.
    pub product: ScannedProduct,
    /// The batch named by AI (10), when this store holds it.
    pub batch: Option<ScannedBatch>,
    /// Use that batch, let FEFO decide, or refuse the pack.
    pub decision: BatchDecision,
    /// Why refused.
    pub refusal: Option<Refusal>,
    /// One sentence for the cashier.
    pub message: String,
    /// Quantity to add: AI (30)/(37) count, else 1.
    pub quantity: Qty,
    /// Needs a prescription reference.
    pub prescription_only: bool,
    /// Selling price.
    pub price: Money,
    /// Sellable quantity of the product in the store.
    pub available: Qty,
}

impl Operation for ScanBarcode {
    const NAME: &'static str = "scan_barcode";
    const SUMMARY: &'static str = "Resolve a scan (EAN/UPC, GS1-128, DataMatrix, bracket form) to product, batch decision, quantity and price";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = ScanResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<ScanResult> {
        let store = ctx.store(self.store_id)?;
        let today = ctx.today(&store);
        let code = self
            .code
            .trim_matches(|c: char| c.is_whitespace())
            .to_string();
        let (product_id, parsed) = product_for_code(ctx.tx, &code, today)?;
        let product = ctx
            .tx
            .query_row(
                "SELECT sku, name, unit, allow_fractional, prescription_only, selling_price_e4, tax_rate, deleted_at IS NOT NULL
                   FROM products WHERE id = ?1",
                [product_id],
                |r| {
                    Ok((
                        ScannedProduct {
                            id: product_id,
                            sku: r.get(0)?,
                            name: r.get(1)?,
                            unit: r.get(2)?,
                            allow_fractional: r.get(3)?,
                            prescription_only: r.get(4)?,
                            price: m(r.get(5)?),
                            tax_rate: tax_rate_in_row(r, 6, "product", product_id)?,
                        },
                        r.get::<_, bool>(7)?,
                    ))
                },
            )
            .optional()?;
        let product = match product {
            Some((p, false)) => p,
            _ => return Err(Error::not_found("product", product_id)),
        };
        let available: i64 = ctx
            .tx
            .prepare_cached(
                "SELECT COALESCE(SUM(on_hand_milli - reserved_milli), 0) FROM batches
                  WHERE product_id = ?1 AND store_id = ?2 AND status = 'available' AND expiry_date >= ?3",
            )?
            .query_row(params![product_id, store.id, today.to_string()], |r| r.get(0))?;
        let quantity = parsed
            .as_ref()
            .and_then(|p| p.count)
            .and_then(|c| i64::try_from(c).ok())
            .map_or(Qty::from(1), Qty::from);
        let today_s = today.to_string();
        let pack_expired = parsed
            .as_ref()
            .and_then(|p| p.expiry_date.as_deref())
            .is_some_and(|e| e < today_s.as_str());
        let batch_number = parsed.as_ref().and_then(|p| p.batch.clone());
        let stored: Option<BatchRow> = match &batch_number {
            Some(n) => {
                let id: Option<BatchId> = ctx
                    .tx
                    .prepare_cached(
                        "SELECT id FROM batches WHERE store_id = ?1 AND product_id = ?2 AND batch_number = ?3",
                    )?
                    .query_row(params![store.id, product_id, n], |r| r.get(0))
                    .optional()?;
                id.map(|id| BatchRow::load(ctx.tx, id)).transpose()?
            }
            None => None,
        };
        let refuse = |r: Refusal, msg: String| (BatchDecision::Refused, Some(r), msg);
        let (decision, refusal, mut message) = match (&stored, &batch_number) {
            _ if pack_expired => refuse(
                Refusal::Expired,
                format!(
                    "this pack expired on {}: do not sell it",
                    parsed
                        .as_ref()
                        .and_then(|p| p.expiry_date.clone())
                        .unwrap_or_default()
                ),
            ),
            (Some(b), _) => {
                let name = &b.batch_number;
                if b.is_expired_on(today) {
                    refuse(
                        Refusal::Expired,
                        format!("batch {name} expired on {}: do not sell it", b.expiry_date),
                    )
                } else if b.status == BatchStatus::Expired {
                    refuse(
                        Refusal::Expired,
                        format!(
                            "batch {name} was marked expired (its date is {}): do not sell it",
                            b.expiry_date
                        ),
                    )
                } else {
                    match b.status {
                        BatchStatus::Recalled => refuse(
                            Refusal::Recalled,
                            format!("batch {name} is recalled: do not sell it, set it aside"),
                        ),
                        BatchStatus::Quarantine => refuse(
                            Refusal::Quarantine,
                            format!("batch {name} is in quarantine: do not sell it"),
                        ),
                        BatchStatus::Damaged => refuse(
                            Refusal::Damaged,
                            format!("batch {name} is marked damaged: do not sell it"),
                        ),
                        _ if b.on_hand_milli > b.reserved_milli => (
                            BatchDecision::UseBatch,
                            None,
                            format!("sell from batch {name}"),
                        ),
                        _ => (
                            BatchDecision::Fefo,
                            None,
                            format!(
                                "batch {name} shows no free stock here; the sale will take FEFO stock"
                            ),
                        ),
                    }
                }
            }
            (None, Some(n)) => (
                BatchDecision::Fefo,
                None,
                format!("batch {n} is not known in this store; the sale will take FEFO stock"),
            ),
            (None, None) => (
                BatchDecision::Fefo,
                None,
                "the sale will take the batch that expires first (FEFO)".to_string(),
            ),
        };
        if let (Some(b), Some(e)) = (
            &stored,
            parsed.as_ref().and_then(|p| p.expiry_date.as_ref()),
        ) {
            if b.expiry_date != *e {
                message.push_str(&format!(
                    " (the pack says expiry {e}, the batch record says {}; the record is not changed)",
                    shown_expiry(&b.expiry_date).unwrap_or_else(|| "none".into())
                ));
            }
        }
        let batch = stored.map(|b| {
            let sellable = b.ensure_sellable(today).is_ok();
            ScannedBatch {
                batch_id: b.id,
                expiry_date: shown_expiry(&b.expiry_date),
                status: b.status,
                available: Qty::from_scaled(if sellable {
                    b.on_hand_milli - b.reserved_milli
                } else {
                    0
                }),
                batch_number: b.batch_number,
            }
        });
        Ok(ScanResult {
            code,
            parsed,
            prescription_only: product.prescription_only,
            price: product.price,
            product,
            batch,
            decision,
            refusal,
            message,
            quantity,
            available: Qty::from_scaled(available),
        })
    }
}

/// - The till's scan in one step: `scan_barcode` for the cart's store, then, when the pack
///   may be sold and needs no prescription reference, `add_cart_line` with the scan's
///   quantity and batch (`use_batch`) — one transaction, one round trip from the screen.
/// - `cart` is the cart after the line was added; it is absent when nothing was added:
///   the pack was refused (`scan.decision` = `refused`, nothing written) or the product is
///   prescription-only (`scan.prescription_only`: the till asks for the reference and then
///   calls `add_cart_line`).
/// - Errors are those of `scan_barcode` and `add_cart_line`; on any error nothing is written.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ScanToCart {
    /// The open cart the pack goes to.
    pub cart_id: CartId,
    /// What the scanner sent (as `scan_barcode`'s `code`).
    pub code: String,
}

/// The scan and, when a line was added, the cart.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ScanToCartResult {
    /// What the scan resolved to, as `scan_barcode` answers it.
    pub scan: ScanResult,
    /// The cart after the line was added; absent when nothing was added.
    pub cart: Option<CartView>,
}

impl Operation for ScanToCart {
    const NAME: &'static str = "scan_to_cart";
    const SUMMARY: &'static str =
        "Scan a pack into a cart: scan_barcode, then add_cart_line when it may be sold, in one step";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    // A cart is redone by scanning again; the sale that completes it is durable.
    fn deferred_copy(&self) -> Option<Self> {
        Some(self.clone())
    }
    type Output = ScanToCartResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<ScanToCartResult> {
        let store_id = CartRow::load(ctx, self.cart_id)?.store_id;
        let scan = ScanBarcode {
            code: self.code,
            store_id: Some(store_id),
        }
        .run(ctx)?;
        if scan.decision == BatchDecision::Refused || scan.prescription_only {
            return Ok(ScanToCartResult { scan, cart: None });
        }
        let cart = AddCartLine {
            cart_id: self.cart_id,
            product_id: scan.product.id,
            quantity: Some(scan.quantity),
            batch_id: match scan.decision {
                BatchDecision::UseBatch => scan.batch.as_ref().map(|b| b.batch_id),
                _ => None,
            },
            prescription_reference: None,
        }
        .run(ctx)?;
        Ok(ScanToCartResult {
            scan,
            cart: Some(cart),
        })
    }
}
