//! The store's purchase-order limit: above it an order waits for a manager
//! (`submit_purchase_order`). A store setting of its own, beside the
//! adjustment thresholds of `update_store`, so that a change to it is an
//! event with its before → after.

use crate::audit::{self, ChangeType, Payload};
use crate::auth::Permission;
use crate::ids::StoreId;
use crate::num::Money;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A store's purchase-order limit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PurchaseOrderLimit {
    /// The store.
    pub store_id: StoreId,
    /// Orders whose total is above this wait for a manager.
    pub purchase_order_limit: Money,
}

/// Sets the store's purchase-order limit (default 500.00): a non-manager's order whose total
/// is above it waits for a manager's approval when submitted. Not negative
/// (`invalid_input`); 0 sends every order by a non-manager to a manager. Permission
/// `manage_stores` (admins), like the adjustment thresholds; a `store_updated` event with
/// the limit before → after.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct SetPurchaseOrderLimit {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// The new limit (the store's currency).
    pub limit: Money,
}

impl Operation for SetPurchaseOrderLimit {
    const NAME: &'static str = "set_purchase_order_limit";
    const SUMMARY: &'static str =
        "Set the order total above which a purchase order waits for a manager";
    const PERMISSION: Permission = Permission::ManageStores;
    const WRITES: bool = true;
    type Output = PurchaseOrderLimit;

    fn run(self, ctx: &Ctx<'_>) -> Result<PurchaseOrderLimit> {
        let store = ctx.store(self.store_id)?;
        if self.limit.is_negative() {
            return Err(Error::invalid(
                "limit",
                "the purchase-order limit cannot be negative",
            ));
        }
        let limit = self.limit.to_scaled("limit")?;
        let before: i64 = ctx.tx.query_row(
            "SELECT po_approval_e4 FROM stores WHERE id = ?1",
            [store.id],
            |r| r.get(0),
        )?;
        ctx.tx.execute(
            "UPDATE stores SET po_approval_e4 = ?2, updated_at = ?3 WHERE id = ?1",
            params![store.id, limit, ctx.now_str()],
        )?;
        let shown = |e4: i64| PurchaseOrderLimit {
            store_id: store.id,
            purchase_order_limit: Money::from_scaled(e4),
        };
        let payload = Payload::about("store", store.id, &store.name)
            .with_changes(audit::diff(&shown(before), &shown(limit))?);
        audit::record(ctx, store.id, ChangeType::StoreUpdated, &payload)?;
        Ok(shown(limit))
    }
}
