//! Backorders: demand that could not be met, fulfilled later (partly or
//! fully) from FEFO stock when it arrives.

use super::allocate::{plan_fefo, shown_expiry, AllocatedBatch};
use super::move_stock;
use crate::audit::{self, ChangeType, NewEvent};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::catalogue::products::ProductRules;
use crate::ids::{BackorderId, ProductId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A backorder.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Backorder {
    /// Id.
    pub backorder_id: BackorderId,
    /// Product.
    pub product_id: ProductId,
    /// Product name.
    pub product_name: String,
    /// Store.
    pub store_id: StoreId,
    /// Quantity owed in all.
    pub quantity: Qty,
    /// Quantity handed over so far.
    pub fulfilled_quantity: Qty,
    /// Customer reference.
    pub customer_id: Option<String>,
    /// Customer name.
    pub customer_name: Option<String>,
    /// Customer phone.
    pub customer_phone: Option<String>,
    /// `pending`, `partial`, `fulfilled` or `cancelled`.
    pub status: String,
    /// Notes.
    pub notes: Option<String>,
    /// Who recorded it.
    pub user_id: UserId,
    /// When.
    pub created_at: String,
    /// When completed.
    pub fulfilled_date: Option<String>,
}

/// The quantity follows the product's unit rules (whole unless fractional). Writes a
/// `backorder_created` audit event (no stock moves). Status starts `pending`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateBackorder {
    /// Product.
    pub product_id: ProductId,
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Quantity owed (> 0).
    pub quantity: Qty,
    /// Customer reference.
    #[ts(optional)]
    pub customer_id: Option<String>,
    /// Customer name.
    #[ts(optional)]
    pub customer_name: Option<String>,
    /// Customer phone.
    #[ts(optional)]
    pub customer_phone: Option<String>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for CreateBackorder {
    const NAME: &'static str = "create_backorder";
    const SUMMARY: &'static str =
        "Record unmet demand for a customer, to fulfil when stock arrives";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = Backorder;

    fn run(self, ctx: &Ctx<'_>) -> Result<Backorder> {
        let store = ctx.store(self.store_id)?;
        let q = ProductRules::load(ctx.tx, self.product_id)?.quantity("quantity", self.quantity)?;
        let id = BackorderId::new();
        let notes = optional_text("notes", self.notes.as_deref(), 1000)?;
        ctx.tx.execute(
            "INSERT INTO backorders (id, product_id, store_id, quantity_milli, customer_id, customer_name, customer_phone, notes, user_id, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![
                id,
                self.product_id,
                store.id,
                q,
                optional_text("customer_id", self.customer_id.as_deref(), 64)?,
                optional_text("customer_name", self.customer_name.as_deref(), 120)?,
                optional_text("customer_phone", self.customer_phone.as_deref(), 40)?,
                notes,
                ctx.actor.id,
                ctx.now_str()
            ],
        )?;
        audit::append(
            ctx,
            NewEvent {
                store_id: store.id,
                batch_id: None,
                product_id: Some(self.product_id),
                change_type: ChangeType::BackorderCreated,
                previous_milli: None,
                new_milli: None,
                reference_id: Some(&id.to_string()),
                notes: Some(&format!("backorder of {}", Qty::from_scaled(q))),
            },
        )?;
        get(ctx, id)
    }
}

/// Takes the quantity from FEFO stock (all or nothing: `insufficient_stock` when short),
/// writes `backorder_fulfilled` audit events and moves the backorder to `partial` or
/// `fulfilled`. More than is still owed is `invalid_input`; a fulfilled or cancelled
/// backorder is `backorder_closed`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct FulfillBackorder {
    /// The backorder.
    pub backorder_id: BackorderId,
    /// Quantity handed over now (default: all that is still owed).
    #[ts(optional)]
    pub fulfilled_quantity: Option<Qty>,
}

/// What fulfilment did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct FulfillResult {
    /// The backorder after fulfilment.
    pub backorder: Backorder,
    /// Batches the stock came from (FEFO).
    pub batches: Vec<AllocatedBatch>,
}

impl Operation for FulfillBackorder {
    const NAME: &'static str = "fulfill_backorder";
    const SUMMARY: &'static str = "Hand over (part of) a backorder from FEFO stock";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    const NAMES_ACTING_USER: bool = true;
    type Output = FulfillResult;

    fn run(self, ctx: &Ctx<'_>) -> Result<FulfillResult> {
        let bo = get(ctx, self.backorder_id)?;
        ctx.check_store(bo.store_id)?;
        if !matches!(bo.status.as_str(), "pending" | "partial") {
            return Err(Error::BackorderClosed {
                backorder_id: self.backorder_id,
                status: bo.status,
            });
        }
        let product = ProductRules::load(ctx.tx, bo.product_id)?;
        let owed =
            bo.quantity.to_scaled("quantity")? - bo.fulfilled_quantity.to_scaled("quantity")?;
        let q = match self.fulfilled_quantity {
            Some(q) => product.quantity("fulfilled_quantity", q)?,
            None => owed,
        };
        if q > owed {
            return Err(Error::invalid(
                "fulfilled_quantity",
                format!(
                    "only {} is still owed on this backorder",
                    Qty::from_scaled(owed)
                ),
            ));
        }
        let store = ctx.store(Some(bo.store_id))?;
        let plan = plan_fefo(ctx, bo.product_id, store.id, ctx.today(&store), q)?;
        if plan.allocated_milli < q {
            return Err(Error::InsufficientStock {
                product_id: Some(bo.product_id.to_string()),
                batch_id: None,
                requested: Qty::from_scaled(q).to_string(),
                available: Qty::from_scaled(plan.allocated_milli).to_string(),
            });
        }
        let reference = self.backorder_id.to_string();
        let mut batches = Vec::new();
        for (b, take) in &plan.takes {
            move_stock(
                ctx,
                b,
                b.on_hand_milli - take,
                ChangeType::BackorderFulfilled,
                Some(&reference),
                None,
            )?;
            batches.push(AllocatedBatch {
                batch_id: b.id,
                batch_number: b.batch_number.clone(),
                quantity: Qty::from_scaled(*take),
                expiry_date: shown_expiry(&b.expiry_date),
                cost_price: Money::from_scaled(b.cost_e4),
            });
        }
        let done = q == owed;
        ctx.tx.execute(
            "UPDATE backorders SET fulfilled_milli = fulfilled_milli + ?2, status = ?3, updated_at = ?4,
                    fulfilled_date = CASE WHEN ?3 = 'fulfilled' THEN ?4 ELSE fulfilled_date END WHERE id = ?1",
            params![self.backorder_id, q, if done { "fulfilled" } else { "partial" }, ctx.now_str()],
        )?;
        Ok(FulfillResult {
            backorder: get(ctx, self.backorder_id)?,
            batches,
        })
    }
}

/// Only `pending` or `partial` backorders; what was already handed over stays recorded in
/// `fulfilled_quantity`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CancelBackorder {
    /// The backorder.
    pub backorder_id: BackorderId,
}

impl Operation for CancelBackorder {
    const NAME: &'static str = "cancel_backorder";
    const SUMMARY: &'static str = "Cancel what is still owed on a backorder";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = Backorder;

    fn run(self, ctx: &Ctx<'_>) -> Result<Backorder> {
        let bo = get(ctx, self.backorder_id)?;
        ctx.check_store(bo.store_id)?;
        if !matches!(bo.status.as_str(), "pending" | "partial") {
            return Err(Error::BackorderClosed {
                backorder_id: self.backorder_id,
                status: bo.status,
            });
        }
        ctx.tx.execute(
            "UPDATE backorders SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
            params![self.backorder_id, ctx.now_str()],
        )?;
        audit::append(
            ctx,
            NewEvent {
                store_id: bo.store_id,
                batch_id: None,
                product_id: Some(bo.product_id),
                change_type: ChangeType::BackorderCancelled,
                previous_milli: None,
                new_milli: None,
                reference_id: Some(&self.backorder_id.to_string()),
                notes: Some(&format!(
                    "cancelled; {} of {} handed over",
                    bo.fulfilled_quantity, bo.quantity
                )),
            },
        )?;
        get(ctx, self.backorder_id)
    }
}

/// `open_only` defaults to true (`pending` and `partial`); at most 1000, oldest first.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListBackorders {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Only open ones (pending or partial; default true).
    #[ts(optional)]
    pub open_only: Option<bool>,
}

impl Operation for ListBackorders {
    const NAME: &'static str = "list_backorders";
    const SUMMARY: &'static str = "Backorders in a store (default: the open ones), oldest first";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Backorder>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Backorder>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare(&format!(
            "{SQL} WHERE b.store_id = ?1 AND (?2 IS NULL OR b.product_id = ?2)
                AND (NOT ?3 OR b.status IN ('pending', 'partial')) ORDER BY b.created_at LIMIT 1000"
        ))?;
        let rows = stmt.query_map(
            params![store.id, self.product_id, self.open_only.unwrap_or(true)],
            read,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

const SQL: &str = "SELECT b.id, b.product_id, p.name, b.store_id, b.quantity_milli, b.fulfilled_milli, b.customer_id, b.customer_name,
        b.customer_phone, b.status, b.notes, b.user_id, b.created_at, b.fulfilled_date
   FROM backorders b JOIN products p ON p.id = b.product_id";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Backorder> {
    Ok(Backorder {
        backorder_id: r.get(0)?,
        product_id: r.get(1)?,
        product_name: r.get(2)?,
        store_id: r.get(3)?,
        quantity: Qty::from_scaled(r.get(4)?),
        fulfilled_quantity: Qty::from_scaled(r.get(5)?),
        customer_id: r.get(6)?,
        customer_name: r.get(7)?,
        customer_phone: r.get(8)?,
        status: r.get(9)?,
        notes: r.get(10)?,
        user_id: r.get(11)?,
        created_at: r.get(12)?,
        fulfilled_date: r.get(13)?,
    })
}

fn get(ctx: &Ctx<'_>, id: BackorderId) -> Result<Backorder> {
    ctx.tx
        .query_row(&format!("{SQL} WHERE b.id = ?1"), [id], read)
        .optional()?
        .ok_or_else(|| Error::not_found("backorder", id))
}
