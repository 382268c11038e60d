//! The catalogue and the people: stores, users, suppliers, categories,
//! products. Head office owns these rows (see ARCHITECTURE "Ownership").

pub mod assignments;
pub mod barcodes;
pub mod categories;
pub mod customers;
pub mod product_list;
pub mod products;
pub mod stores;
pub mod suppliers;
pub mod users;

use crate::{Error, Result};

/// Trims a required text field and refuses it when empty or too long.
pub(crate) fn required_text(field: &str, v: &str, max: usize) -> Result<String> {
    let t = v.trim();
    if t.is_empty() {
        return Err(Error::invalid(field, format!("{field} must not be empty")));
    }
    if t.chars().count() > max {
        return Err(Error::invalid(
            field,
            format!("{field} is longer than {max} characters"),
        ));
    }
    Ok(t.to_string())
}

/// Trims an optional text field; blank becomes `None`.
pub(crate) fn optional_text(field: &str, v: Option<&str>, max: usize) -> Result<Option<String>> {
    match v.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) if t.chars().count() > max => Err(Error::invalid(
            field,
            format!("{field} is longer than {max} characters"),
        )),
        Some(t) => Ok(Some(t.to_string())),
    }
}
