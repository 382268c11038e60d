//! Held carts: "put this aside, I'll be back" at the counter.
//!
//! Holding a cart reserves its stock with the seed's `reserve_stock`
//! semantics (reason `pending_sale`, reference = the cart id, lifetime from
//! the store's `hold_ttl_minutes`), planned exactly as the sale will take it
//! (the scanned batch, else FEFO), so a second till cannot sell it. One hold
//! per batch per cart: lines of one product that fall on the same batch are
//! added up first, which keeps the "no duplicate active hold for the same
//! reference" rule. Lapsed holds are released by
//! `release_expired_reservations` (also run here and at completion); the
//! cart itself stays held and can still be resumed and sold from free stock.

use super::cart::{self, CartRow, CartView, HOLD_REASON};
use super::plan::{self, Need};
use super::{settings, terminal};
use crate::auth::Permission;
use crate::catalogue::optional_text;
use crate::ids::{BatchId, CartId, StoreId, UserId};
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::stock::reservations::{ReleaseExpiredReservations, ReserveStock};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// - Reserves each line's stock exactly as the sale would take it (the pinned batch, else
///   FEFO) with reason `pending_sale` and the cart id as reference, one reservation per
///   batch, for the store's `hold_ttl_minutes`; a second till cannot sell it meanwhile.
///   An empty cart cannot be held (`empty_cart`).
/// - Lapsed holds are released by `release_expired_reservations` (also run by
///   `hold_cart`, `resume_cart` and `complete_sale`); the cart stays held and can still
///   be resumed and sold from free stock.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct HoldCart {
    /// Cart.
    pub cart_id: CartId,
    /// Customer's name, to find the cart again.
    #[ts(optional)]
    pub customer_name: Option<String>,
    /// Note.
    #[ts(optional)]
    pub note: Option<String>,
}

impl Operation for HoldCart {
    const NAME: &'static str = "hold_cart";
    const SUMMARY: &'static str =
        "Put a cart aside and reserve its stock (scanned batch or FEFO) until the hold lapses";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = CartRow::load(ctx, self.cart_id)?;
        cart.ensure_editable(ctx)?;
        cart::release_holds(ctx, cart.id)?;
        let store = ctx.store(Some(cart.store_id))?;
        let settings = settings::load(ctx.tx, store.id)?;
        let lines = cart::load_lines(ctx, cart.id)?;
        if lines.is_empty() {
            return Err(Error::EmptyCart { cart_id: cart.id });
        }
        ReleaseExpiredReservations {
            store_id: Some(store.id),
        }
        .run(ctx)?;
        let needs: Vec<Need> = lines
            .iter()
            .map(|l| Need {
                product_id: l.product_id,
                batch_id: l.batch_id,
                milli: l.quantity_milli,
            })
            .collect();
        let takes = plan::plan(ctx, store.id, ctx.today(&store), &needs, &HashMap::new())?;
        let mut per_batch: Vec<(BatchId, i64)> = Vec::new();
        for t in &takes {
            match per_batch.iter_mut().find(|(b, _)| *b == t.batch.id) {
                Some((_, q)) => *q += t.milli,
                None => per_batch.push((t.batch.id, t.milli)),
            }
        }
        for (batch, q) in per_batch {
            ReserveStock {
                product_batch_id: batch,
                quantity: Qty::from_scaled(q),
                reason: HOLD_REASON.into(),
                reference_id: Some(cart.id.to_string()),
                ttl_minutes: Some(settings.hold_ttl_minutes),
            }
            .run(ctx)?;
        }
        let expires = (ctx.now + chrono::Duration::minutes(i64::from(settings.hold_ttl_minutes)))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        ctx.tx.execute(
            "UPDATE carts SET status = 'held', held_at = ?2, hold_expires_at = ?3, updated_at = ?2,
                    customer_name = COALESCE(?4, customer_name), note = COALESCE(?5, note)
              WHERE id = ?1",
            params![
                cart.id,
                ctx.now_str(),
                expires,
                optional_text("customer_name", self.customer_name.as_deref(), 120)?,
                optional_text("note", self.note.as_deref(), 500)?
            ],
        )?;
        cart::view(ctx, cart.id)
    }
}

/// Only a `held` cart. It becomes the acting user's open cart on `terminal_id`, keeping
/// its holds until a line changes. The user's current cart on that till must be empty (it
/// is cancelled), else `conflict`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ResumeCart {
    /// Cart.
    pub cart_id: CartId,
    /// The till it resumes on.
    pub terminal_id: String,
}

impl Operation for ResumeCart {
    const NAME: &'static str = "resume_cart";
    const SUMMARY: &'static str =
        "Bring a held cart back to this till as the user's open cart (its holds stay until it changes)";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = true;
    type Output = CartView;

    fn run(self, ctx: &Ctx<'_>) -> Result<CartView> {
        let cart = CartRow::load(ctx, self.cart_id)?;
        if cart.status != "held" {
            return Err(Error::CartNotHeld {
                cart_id: cart.id,
                status: cart.status,
            });
        }
        let term = terminal("terminal_id", &self.terminal_id)?;
        ReleaseExpiredReservations {
            store_id: Some(cart.store_id),
        }
        .run(ctx)?;
        let current: Option<(CartId, i64)> = ctx
            .tx
            .query_row(
                "SELECT c.id, (SELECT COUNT(*) FROM cart_lines WHERE cart_id = c.id) FROM carts c
                  WHERE c.store_id = ?1 AND c.terminal_id = ?2 AND c.user_id = ?3 AND c.status = 'open'",
                params![cart.store_id, term, ctx.actor.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match current {
            Some((_, n)) if n > 0 => {
                return Err(Error::conflict(
                    "finish, hold or cancel the cart on this till before resuming another",
                ))
            }
            Some((empty, _)) => {
                ctx.tx.execute(
                    "UPDATE carts SET status = 'cancelled', updated_at = ?2 WHERE id = ?1",
                    params![empty, ctx.now_str()],
                )?;
            }
            None => {}
        }
        ctx.tx.execute(
            "UPDATE carts SET status = 'open', terminal_id = ?2, user_id = ?3, updated_at = ?4 WHERE id = ?1",
            params![cart.id, term, ctx.actor.id, ctx.now_str()],
        )?;
        cart::view(ctx, cart.id)
    }
}

/// A held cart in the list.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct HeldCart {
    /// Cart.
    pub cart_id: CartId,
    /// Who held it.
    pub user_id: UserId,
    /// Their name.
    pub user_name: String,
    /// Till it was held on.
    pub terminal_id: String,
    /// Customer.
    pub customer_name: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// When held.
    pub held_at: Option<String>,
    /// When the hold lapses.
    pub hold_expires_at: Option<String>,
    /// True when the hold has lapsed (the stock is no longer reserved).
    pub hold_lapsed: bool,
    /// Number of lines.
    #[ts(type = "number")]
    pub lines: i64,
    /// Cart total.
    pub total: Money,
}

/// `hold_lapsed` is true once the hold's time is past or its reservations are gone.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListHeldCarts {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl Operation for ListHeldCarts {
    const NAME: &'static str = "list_held_carts";
    const SUMMARY: &'static str = "Held carts of the store, oldest first, with totals";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = Vec<HeldCart>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<HeldCart>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare(
            "SELECT id FROM carts WHERE store_id = ?1 AND status = 'held' ORDER BY held_at, id",
        )?;
        let ids = stmt
            .query_map([store.id], |r| r.get::<_, CartId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let now = ctx.now_str();
        ids.into_iter()
            .map(|id| {
                let v = cart::view(ctx, id)?;
                Ok(HeldCart {
                    cart_id: v.cart_id,
                    user_id: v.user_id,
                    user_name: v.user_name,
                    terminal_id: v.terminal_id,
                    customer_name: v.customer_name,
                    note: v.note,
                    hold_lapsed: v
                        .hold_expires_at
                        .as_deref()
                        .is_some_and(|e| e <= now.as_str())
                        || v.holds.is_empty(),
                    held_at: v.held_at,
                    hold_expires_at: v.hold_expires_at,
                    lines: i64::try_from(v.lines.len()).unwrap_or(i64::MAX),
                    total: v.totals.total,
                })
            })
            .collect()
    }
}
