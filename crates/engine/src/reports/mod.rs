//! Reports: read-only figures derived from the store's documents (sales,
//! returns, adjustments) and stock, for managers. Reports use the areas
//! below them and never write.

pub mod dashboard;
