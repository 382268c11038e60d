//! Stock control: what keeps a store's books true beyond the till.
//!
//! - [`approvals`]: the one queue of stock-changing requests that wait for a
//!   manager (adjustments, write-offs, returns to supplier, count variances,
//!   transfer discrepancies).
//! - [`freeze`]: the stock freeze date (nothing dated before it).
//! - `counts`: physical counts taken while the shop keeps selling, and seed
//!   003's one-shot `reconcile_inventory`.
//! - `transfers`: stock moved between stores, each transition an event of
//!   the side that owns it.
//!
//! The area sits above `stock` and beside `clinic`: it moves stock only
//! through `stock::move_stock`, and asks the core approval service
//! ([`crate::approval`]) whenever a request goes past a non-manager's limits.

pub mod approvals;
pub mod counts;
pub mod freeze;
pub mod transfers;

use crate::ids::UserId;
use crate::op::Ctx;
use crate::{Error, Result};

/// Seed 003 names the acting user (`user_id`) in the calls of this area
/// (`reconcile_inventory`, `initiate_transfer`, `receive_transfer`), which
/// declare it as a field, so the reference lists it. The acting user is
/// always the session (or the CLI's `--user`), never a field a caller can
/// forge: a `user_id` that comes with a request must name them, anything
/// else is `invalid_input`. (The older seed operations take it through
/// [`crate::op::Operation::NAMES_ACTING_USER`] instead, with the same rule.)
pub(crate) fn check_claimed_user(ctx: &Ctx<'_>, user_id: Option<UserId>) -> Result<()> {
    match user_id {
        Some(id) if id != ctx.actor.id => Err(Error::invalid(
            "user_id",
            format!(
                "user_id must be the acting user ({}); the request acts as whoever is signed in",
                ctx.actor.name
            ),
        )),
        _ => Ok(()),
    }
}
