//! Reports: read-only figures derived from the store's documents (sales,
//! returns, adjustments, transfers, counts, waste) and its batches, for
//! managers. Reports use the areas below them and never write.
//!
//! Every report reads one store (`store_id`, default the user's, checked
//! through [`crate::op::Ctx::store`]) and needs `view_audit`, the
//! permission the dashboard needs: each carries costs or margins, which are
//! a manager's figures. Sums are SQL over scaled integers, never f64, and
//! never a stored total; days are the store's local days.

mod common;

pub mod aging;
pub mod dashboard;
pub mod expiry;
pub mod export;
pub mod movements;
pub mod sales;
pub mod valuation;
pub mod waste;

pub use common::{DEFAULT_PERIOD_DAYS, MAX_PERIOD_DAYS};
