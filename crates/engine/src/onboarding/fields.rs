//! The columns each kind of import understands, and how a file's header is
//! matched to them.
//!
//! A header cell matches a field when, lower-cased and with everything but
//! letters and digits dropped (`Internal Reference` → `internalreference`,
//! `Re-order Level` → `reorderlevel`), it equals the field's name or one of
//! its synonyms so normalised. The synonyms are the column titles of the
//! exports of the systems stores come from (Odoo, ERPNext, mSupply) and
//! common spreadsheet words. A column matches at most one field, and the
//! first column matching a field wins; a request's `mapping` overrides the
//! suggestion field by field.

use super::ImportKind;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

/// One column an import understands.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export, rename = "ImportField")]
pub struct FieldSpec {
    /// The field's name (the header the exports write).
    pub name: &'static str,
    /// Whether every row needs it (a column must be mapped to it).
    pub required: bool,
    /// What it holds and in which format.
    pub description: &'static str,
    /// Other header names that map to it (case, spaces and punctuation
    /// ignored).
    pub synonyms: &'static [&'static str],
}

const fn f(
    name: &'static str,
    required: bool,
    description: &'static str,
    synonyms: &'static [&'static str],
) -> FieldSpec {
    FieldSpec {
        name,
        required,
        description,
        synonyms,
    }
}

/// Catalogue (`products`).
pub const PRODUCTS: &[FieldSpec] = &[
    f("sku", true, "unique SKU, ≤ 64 characters", &["default_code", "internal reference", "item code", "item_code", "product code", "code", "reference", "item number"]),
    f("name", true, "product name, ≤ 200 characters", &["product name", "item name", "item_name", "product", "title"]),
    f("generic_name", false, "generic (INN) name", &["generic", "generic name", "inn", "active ingredient"]),
    f("brand", false, "brand", &["manufacturer", "make"]),
    f("description", false, "description, ≤ 2000 characters", &["long description", "details"]),
    f("kind", false, "built-in kind: neurotoxin, filler, skincare, device, consumable, supplement, medicine or other (default other)", &["product kind", "product_kind"]),
    f("category", false, "category name; created when missing", &["category name", "product category", "categ_id", "item group", "item_group", "group", "department"]),
    f("nafdac_number", false, "NAFDAC registration number", &["nafdac", "registration number", "reg no"]),
    f("barcodes", false, "barcodes, separated by | or ; (unique across products)", &["barcode", "ean", "ean13", "gtin", "upc"]),
    f("unit", false, "unit of measure (default unit)", &["uom", "unit of measure", "stock uom", "stock_uom", "uom_id", "units"]),
    f("allow_fractional", false, "yes/no: fractional quantities allowed", &["fractional", "allow fractions"]),
    f("prescription_only", false, "yes/no: sold only against a prescription", &["prescription", "requires prescription", "rx", "rx only", "prescription required", "pom"]),
    f("cost_price", false, "unit cost (money, e.g. 12.50)", &["cost", "standard price", "standard_price", "valuation rate", "valuation_rate", "purchase price", "unit cost", "last purchase rate"]),
    f("selling_price", false, "selling price (money)", &["price", "sales price", "sale price", "list price", "list_price", "standard selling rate", "standard_rate", "sell price", "selling rate"]),
    f("retail_price", false, "retail (list) price (money)", &["retail", "msrp", "rrp"]),
    f("markup_percent", false, "markup, percent 0–10000", &["markup"]),
    f("commission_rate", false, "commission, percent 0–100", &["commission"]),
    f("tax_rate", false, "tax, percent 0–100 (7.5 or 7.5%)", &["tax", "vat", "vat rate", "tax percent", "customer taxes", "taxes", "item tax"]),
    f("reorder_point", false, "reorder point (quantity)", &["reorder level", "re-order level", "reorder_level", "reorder qty", "reorder"]),
    f("min_level", false, "minimum level (quantity)", &["min level", "minimum level", "minimum stock", "min qty", "safety stock"]),
    f("max_level", false, "maximum level (quantity)", &["max level", "maximum level", "maximum stock", "max qty"]),
    f("lead_time_days", false, "supplier lead time, whole days", &["lead time", "lead time days", "lead_time"]),
    f("track_lot", false, "yes/no: track batches (default yes)", &["has batch no", "has_batch_no", "lot tracking", "batch tracked", "tracking"]),
    f("track_serial", false, "yes/no: track serial numbers (default no)", &["has serial no", "has_serial_no", "serial tracking"]),
    f("expiry_required", false, "yes/no: every batch needs an expiry date (default yes)", &["has expiry date", "has_expiry_date", "requires expiry", "expiry tracked"]),
    f("refrigerated", false, "yes/no: keep refrigerated", &["cold chain", "fridge", "fridge item"]),
    f("status", false, "active, discontinued, out_of_stock or pending_approval (default active)", &["state", "product status"]),
];

/// Suppliers and vendors (`suppliers`).
pub const SUPPLIERS: &[FieldSpec] = &[
    f(
        "name",
        true,
        "unique supplier name, ≤ 120 characters",
        &[
            "supplier name",
            "supplier_name",
            "vendor name",
            "vendor",
            "supplier",
            "company name",
            "company",
        ],
    ),
    f(
        "contact_person",
        false,
        "contact person",
        &["contact", "contact name", "contact person name"],
    ),
    f(
        "email",
        false,
        "email address",
        &["email id", "email_id", "e-mail", "email address", "mail"],
    ),
    f(
        "phone",
        false,
        "phone",
        &[
            "telephone",
            "mobile",
            "mobile no",
            "mobile_no",
            "phone number",
            "tel",
        ],
    ),
    f(
        "address",
        false,
        "address",
        &[
            "street",
            "address line 1",
            "address_line1",
            "primary address",
        ],
    ),
    f(
        "account_number",
        false,
        "our account number with them",
        &["account no", "account", "customer number"],
    ),
    f(
        "payment_terms",
        false,
        "payment terms (e.g. Net 30, COD)",
        &[
            "terms",
            "payment terms template",
            "payment_terms_template",
            "property_supplier_payment_term_id",
        ],
    ),
    f(
        "tax_id",
        false,
        "tax id",
        &["vat", "vat number", "tax number", "tin", "tax_id_number"],
    ),
    f(
        "is_preferred",
        false,
        "yes/no: preferred vendor",
        &["preferred", "preferred vendor"],
    ),
    f(
        "categories",
        false,
        "specialisations, separated by | or ;",
        &[
            "specialisations",
            "specializations",
            "supplier group",
            "supplier_group",
            "category",
            "categories supplied",
        ],
    ),
    f(
        "on_time_delivery_rate",
        false,
        "on-time delivery, percent 0–100",
        &["on time delivery", "on time rate"],
    ),
    f(
        "quality_rating",
        false,
        "quality rating 0–5",
        &["quality", "rating"],
    ),
    f(
        "average_lead_time_days",
        false,
        "average lead time, whole days",
        &["lead time", "lead time days", "average lead time"],
    ),
    f(
        "notes",
        false,
        "notes",
        &["comment", "comments", "remarks", "note"],
    ),
    f(
        "is_active",
        false,
        "yes/no (default yes); no imports it deactivated",
        &["active", "enabled"],
    ),
];

/// Customers (`customers`).
pub const CUSTOMERS: &[FieldSpec] = &[
    f(
        "code",
        false,
        "the customer's reference in the old system, unique",
        &[
            "customer code",
            "customer id",
            "customer number",
            "customer no",
            "id",
            "external id",
            "reference",
            "ref",
            "internal reference",
        ],
    ),
    f(
        "name",
        true,
        "full name, ≤ 200 characters",
        &[
            "customer name",
            "customer_name",
            "full name",
            "display name",
            "patient name",
        ],
    ),
    f(
        "phone",
        false,
        "phone",
        &[
            "telephone",
            "mobile",
            "mobile no",
            "mobile_no",
            "phone number",
            "tel",
        ],
    ),
    f(
        "email",
        false,
        "email address",
        &["email id", "email_id", "e-mail", "email address", "mail"],
    ),
    f(
        "date_of_birth",
        false,
        "date of birth, YYYY-MM-DD",
        &[
            "dob",
            "birth date",
            "birthdate",
            "birthday",
            "date of birth",
        ],
    ),
    f(
        "address",
        false,
        "address",
        &[
            "street",
            "address line 1",
            "address_line1",
            "primary address",
        ],
    ),
    f(
        "notes",
        false,
        "notes",
        &["comment", "comments", "remarks", "note"],
    ),
    f(
        "is_active",
        false,
        "yes/no (default yes); no imports it deactivated",
        &["active", "enabled"],
    ),
];

/// Opening stock (`opening_stock`).
pub const OPENING_STOCK: &[FieldSpec] = &[
    f(
        "sku",
        false,
        "the product's SKU (this or barcode)",
        &[
            "item code",
            "item_code",
            "product code",
            "default_code",
            "internal reference",
            "code",
            "product",
        ],
    ),
    f(
        "barcode",
        false,
        "one of the product's barcodes (this or sku)",
        &["ean", "ean13", "gtin", "upc"],
    ),
    f(
        "batch_number",
        true,
        "batch (lot) number printed on the pack",
        &[
            "batch",
            "batch no",
            "batch_no",
            "batch id",
            "lot",
            "lot number",
            "lot no",
            "lot_id",
            "lot/serial number",
        ],
    ),
    f(
        "expiry_date",
        false,
        "expiry date YYYY-MM-DD (required unless the product does not track expiry)",
        &[
            "expiry",
            "expiration date",
            "expiry_date",
            "exp",
            "exp date",
            "best before",
            "use by",
            "expiration",
        ],
    ),
    f(
        "quantity",
        true,
        "quantity on hand (> 0; whole unless the product allows fractions)",
        &[
            "qty",
            "on hand",
            "quantity on hand",
            "qty on hand",
            "stock",
            "available",
            "actual qty",
            "actual_qty",
            "balance qty",
            "stock qty",
        ],
    ),
    f(
        "cost_price",
        false,
        "unit cost paid (money; default the product's cost price)",
        &[
            "unit cost",
            "cost",
            "valuation rate",
            "valuation_rate",
            "purchase price",
            "unit price",
            "cost price",
        ],
    ),
    f(
        "received_date",
        false,
        "date received YYYY-MM-DD (default today)",
        &[
            "received",
            "receipt date",
            "date received",
            "posting date",
            "posting_date",
            "in date",
        ],
    ),
    f(
        "manufacture_date",
        false,
        "manufacture date YYYY-MM-DD",
        &["manufacturing date", "mfg date", "manufacture", "mfd"],
    ),
    f(
        "supplier",
        false,
        "supplier name (must exist and be active)",
        &["supplier name", "vendor", "vendor name", "supplier_name"],
    ),
    f(
        "reference_number",
        false,
        "supplier invoice / reference",
        &["reference", "invoice", "invoice number", "invoice no"],
    ),
    f(
        "location",
        false,
        "shelf or bin, free text",
        &["bin", "shelf", "location name", "warehouse location"],
    ),
];

/// The fields of a kind.
pub fn fields(kind: ImportKind) -> &'static [FieldSpec] {
    match kind {
        ImportKind::Products => PRODUCTS,
        ImportKind::Suppliers => SUPPLIERS,
        ImportKind::Customers => CUSTOMERS,
        ImportKind::OpeningStock => OPENING_STOCK,
    }
}

/// A header cell as compared: lower case, letters and digits only.
pub(crate) fn normalise(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The suggested mapping (field → header cell as written): each field
/// takes the first column whose name, then the first whose synonym,
/// matches; a column serves one field.
pub(crate) fn suggest(kind: ImportKind, header: &[String]) -> BTreeMap<String, String> {
    let norm: Vec<String> = header.iter().map(|h| normalise(h)).collect();
    let mut taken = vec![false; header.len()];
    let mut out = BTreeMap::new();
    let specs = fields(kind);
    // Exact names first, so a `code` column goes to the field named `code`
    // before a synonym elsewhere claims it.
    for pass in 0..2 {
        for spec in specs {
            if out.contains_key(spec.name) {
                continue;
            }
            let wanted: Vec<String> = if pass == 0 {
                vec![normalise(spec.name)]
            } else {
                spec.synonyms.iter().map(|s| normalise(s)).collect()
            };
            if let Some(i) = (0..header.len()).find(|i| !taken[*i] && wanted.contains(&norm[*i])) {
                taken[i] = true;
                out.insert(spec.name.to_string(), header[i].clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odoo_and_erpnext_headers_are_recognised() {
        let header: Vec<String> = [
            "Internal Reference",
            "Name",
            "Sales Price",
            "Cost",
            "Barcode",
            "Product Category",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = suggest(ImportKind::Products, &header);
        assert_eq!(m["sku"], "Internal Reference");
        assert_eq!(m["selling_price"], "Sales Price");
        assert_eq!(m["cost_price"], "Cost");
        assert_eq!(m["barcodes"], "Barcode");
        assert_eq!(m["category"], "Product Category");
        let header: Vec<String> = [
            "Item Code",
            "Batch No",
            "Expiry Date",
            "Actual Qty",
            "Valuation Rate",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = suggest(ImportKind::OpeningStock, &header);
        assert_eq!(m["sku"], "Item Code");
        assert_eq!(m["batch_number"], "Batch No");
        assert_eq!(m["expiry_date"], "Expiry Date");
        assert_eq!(m["quantity"], "Actual Qty");
        assert_eq!(m["cost_price"], "Valuation Rate");
    }
}
