//! Stock control: what keeps a store's books true beyond the till.
//!
//! - [`approvals`]: the one queue of stock-changing requests that wait for a
//!   manager (adjustments, write-offs, returns to supplier, count variances,
//!   transfer discrepancies), and the stock freeze date.
//! - `counts`: physical counts taken while the shop keeps selling, and seed
//!   003's one-shot `reconcile_inventory`.
//! - `transfers`: stock moved between stores, each transition an event of
//!   the side that owns it.
//!
//! The area sits above `stock` and beside `clinic`: it moves stock only
//! through `stock::move_stock`, and asks the core approval service
//! ([`crate::approval`]) whenever a request goes past a non-manager's limits.

pub mod approvals;
