//! Suppliers (seed 003) and vendors (seed 000) are one record: contact,
//! address, account, payment terms, tax id, preferred flag, specialisations,
//! performance metrics. Every receipt must link to an active supplier.
//!
//! A vendor of head office's catalogue (`catalogue_version` set, applied by
//! sync's pull with `apply_catalogue`) is head office's for its name,
//! contacts, terms, tax id, specialisations and status; the store keeps its
//! account number, preferred flag, notes and measured performance.

use super::{optional_text, required_text};
use crate::auth::Permission;
use crate::ids::SupplierId;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Row, Transaction};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A supplier.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Supplier {
    /// Id.
    pub id: SupplierId,
    /// Unique name.
    pub name: String,
    /// Contact person.
    pub contact_person: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Our account number with them.
    pub account_number: Option<String>,
    /// e.g. "Net 30", "COD".
    pub payment_terms: Option<String>,
    /// Tax id.
    pub tax_id: Option<String>,
    /// Preferred vendor.
    pub is_preferred: bool,
    /// Specialisations (product categories they supply).
    pub categories: Vec<String>,
    /// On-time delivery rate, percent.
    #[ts(type = "string | null")]
    pub on_time_delivery_rate: Option<Decimal>,
    /// Quality rating, 0–5.
    #[ts(type = "string | null")]
    pub quality_rating: Option<Decimal>,
    /// Average lead time in days.
    pub average_lead_time_days: Option<u32>,
    /// Notes.
    pub notes: Option<String>,
    /// Active (inactive suppliers cannot receive).
    pub is_active: bool,
    /// Created.
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
    /// The version of head office's catalogue this vendor is at; `None` for
    /// the store's own suppliers. Head office's fields are then read-only here.
    #[ts(type = "number | null")]
    pub catalogue_version: Option<i64>,
}

/// The editable fields of a supplier (all optional for updates).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[ts(export)]
pub struct SupplierFields {
    /// Contact person.
    #[ts(optional)]
    pub contact_person: Option<String>,
    /// Email.
    #[ts(optional)]
    pub email: Option<String>,
    /// Phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// Address.
    #[ts(optional)]
    pub address: Option<String>,
    /// Account number.
    #[ts(optional)]
    pub account_number: Option<String>,
    /// Payment terms.
    #[ts(optional)]
    pub payment_terms: Option<String>,
    /// Tax id.
    #[ts(optional)]
    pub tax_id: Option<String>,
    /// Preferred.
    #[ts(optional)]
    pub is_preferred: Option<bool>,
    /// Specialisations.
    #[ts(optional)]
    pub categories: Option<Vec<String>>,
    /// On-time delivery rate, percent (0–100).
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub on_time_delivery_rate: Option<Decimal>,
    /// Quality rating (0–5).
    #[ts(optional, type = "string")]
    #[serde(default, deserialize_with = "crate::num::opt_decimal")]
    pub quality_rating: Option<Decimal>,
    /// Average lead time, days.
    #[ts(optional)]
    pub average_lead_time_days: Option<u32>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// Fields the request named that do not exist (refused).
    #[serde(flatten)]
    #[ts(skip)]
    pub unknown: crate::UnknownFields,
}

/// `name` is unique. `email` must look like an address; `on_time_delivery_rate` (0–100)
/// and `quality_rating` (0–5) are decimal strings. Unknown fields are refused.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct CreateSupplier {
    /// Unique name.
    pub name: String,
    /// Everything else.
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: SupplierFields,
}

/// Omitted fields are kept; a blank text clears a field. `is_active: false` deactivates
/// the supplier (it can no longer receive).
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct UpdateSupplier {
    /// The supplier.
    pub id: SupplierId,
    /// New name.
    #[ts(optional)]
    pub name: Option<String>,
    /// Activate or deactivate.
    #[ts(optional)]
    pub is_active: Option<bool>,
    /// Fields to change (blank text clears a field).
    #[serde(flatten)]
    #[ts(flatten)]
    pub fields: SupplierFields,
}

/// Longest supplier name, and longest of its other texts, in characters.
pub(crate) const MAX_NAME: usize = 120;
const MAX_TEXT: usize = 300;

/// Every rule `create_supplier` applies that needs no database (the
/// name's uniqueness is looked up by the caller): each failure, as an
/// `invalid_input` naming its field. The onboarding import checks each row
/// with it.
pub(crate) fn check_supplier(name: &str, f: &SupplierFields) -> Vec<Error> {
    let mut errors = Vec::new();
    if let Err(e) = required_text("name", name, MAX_NAME) {
        errors.push(e);
    }
    if let Err(e) = check_fields(f) {
        errors.push(e);
    }
    for (field, v) in [
        ("contact_person", &f.contact_person),
        ("email", &f.email),
        ("phone", &f.phone),
        ("address", &f.address),
        ("account_number", &f.account_number),
        ("payment_terms", &f.payment_terms),
        ("tax_id", &f.tax_id),
        ("notes", &f.notes),
    ] {
        if let Err(e) = optional_text(field, v.as_deref(), MAX_TEXT) {
            errors.push(e);
        }
    }
    errors
}

pub(crate) fn check_fields(f: &SupplierFields) -> Result<()> {
    crate::refuse_unknown(&f.unknown)?;
    if let Some(e) = f.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        if !e.contains('@') || e.contains(' ') {
            return Err(Error::invalid(
                "email",
                format!("'{e}' is not an email address"),
            ));
        }
    }
    if let Some(r) = f.on_time_delivery_rate {
        if r < Decimal::ZERO || r > Decimal::from(100) {
            return Err(Error::invalid(
                "on_time_delivery_rate",
                "on-time delivery rate is a percentage from 0 to 100",
            ));
        }
    }
    if let Some(r) = f.quality_rating {
        if r < Decimal::ZERO || r > Decimal::from(5) {
            return Err(Error::invalid(
                "quality_rating",
                "quality rating is from 0 to 5",
            ));
        }
    }
    Ok(())
}

fn name_taken(tx: &Transaction<'_>, name: &str, except: Option<SupplierId>) -> Result<()> {
    let taken: bool = tx.query_row(
        "SELECT EXISTS(SELECT 1 FROM suppliers WHERE name = ?1 AND (?2 IS NULL OR id <> ?2))",
        params![name, except],
        |r| r.get(0),
    )?;
    if taken {
        return Err(Error::conflict(format!(
            "a supplier named '{name}' already exists"
        )));
    }
    Ok(())
}

impl Operation for CreateSupplier {
    const NAME: &'static str = "create_supplier";
    const SUMMARY: &'static str = "Create a supplier/vendor";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Supplier;

    fn run(self, ctx: &Ctx<'_>) -> Result<Supplier> {
        let name = required_text("name", &self.name, MAX_NAME)?;
        check_fields(&self.fields)?;
        name_taken(ctx.tx, &name, None)?;
        insert_supplier(ctx, SupplierId::new(), &name, true, &self.fields)
    }
}

/// Adds supplier `id` with its fields and records its creation.
fn insert_supplier(
    ctx: &Ctx<'_>,
    id: SupplierId,
    name: &str,
    active: bool,
    fields: &SupplierFields,
) -> Result<Supplier> {
    ctx.tx.execute(
        "INSERT INTO suppliers (id, name, is_active, created_at, updated_at, created_by, updated_by)
         VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?5)",
        params![id, name, active, ctx.now_str(), ctx.actor.id],
    )?;
    apply_fields(ctx, id, fields)?;
    let created = get_supplier(ctx.tx, id)?;
    crate::audit::record_change(
        ctx,
        crate::audit::ChangeType::SupplierCreated,
        ("supplier", &id.to_string(), &created.name),
        None::<&Supplier>,
        &created,
    )?;
    Ok(created)
}

impl Operation for UpdateSupplier {
    const NAME: &'static str = "update_supplier";
    const SUMMARY: &'static str = "Change a supplier's details or deactivate it";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Supplier;

    fn run(self, ctx: &Ctx<'_>) -> Result<Supplier> {
        let before = get_supplier(ctx.tx, self.id)?;
        if before.catalogue_version.is_some() && !ctx.is_head_office() {
            if let Some(field) = head_office_field(&self) {
                return Err(Error::invalid(
                    field,
                    format!(
                        "head office owns the {field} of {}: change it in head office's catalogue (this store may change its account number, preferred flag, notes and performance figures)",
                        before.name
                    ),
                ));
            }
        }
        check_fields(&self.fields)?;
        if let Some(n) = &self.name {
            let name = required_text("name", n, MAX_NAME)?;
            name_taken(ctx.tx, &name, Some(self.id))?;
            ctx.tx.execute(
                "UPDATE suppliers SET name = ?2 WHERE id = ?1",
                params![self.id, name],
            )?;
        }
        if let Some(a) = self.is_active {
            ctx.tx.execute(
                "UPDATE suppliers SET is_active = ?2 WHERE id = ?1",
                params![self.id, a],
            )?;
        }
        apply_fields(ctx, self.id, &self.fields)?;
        let after = get_supplier(ctx.tx, self.id)?;
        crate::audit::record_change(
            ctx,
            crate::audit::ChangeType::SupplierUpdated,
            ("supplier", &self.id.to_string(), &after.name),
            Some(&before),
            &after,
        )?;
        Ok(after)
    }
}

/// The first field of `u` that head office owns on its vendors, if any.
fn head_office_field(u: &UpdateSupplier) -> Option<&'static str> {
    let f = &u.fields;
    [
        ("name", u.name.is_some()),
        ("is_active", u.is_active.is_some()),
        ("contact_person", f.contact_person.is_some()),
        ("email", f.email.is_some()),
        ("phone", f.phone.is_some()),
        ("address", f.address.is_some()),
        ("payment_terms", f.payment_terms.is_some()),
        ("tax_id", f.tax_id.is_some()),
        ("categories", f.categories.is_some()),
    ]
    .into_iter()
    .find(|(_, set)| *set)
    .map(|(field, _)| field)
}

/// Applies head office's vendor `v` to this file (sync's pull, in the
/// store's transaction `ctx`, acting as head office): created with its id
/// when new, else head office's fields brought to `v`'s version; the
/// store's own fields are never touched. An older or the same version
/// changes nothing. A store supplier of this file with the same name (made
/// before the store joined head office's catalogue) is a `conflict`: the
/// change waits until someone renames or merges them. Returns what was
/// done, in words.
pub(crate) fn apply_catalogue(
    ctx: &Ctx<'_>,
    v: &pharmapos_protocol::CatalogueVendor,
) -> Result<String> {
    if let Some((field, message)) = v.problems().into_iter().next() {
        return Err(Error::invalid(field, message));
    }
    let id: SupplierId = v.id.parse()?;
    // Every field head office owns, blank where it has none (a blank clears).
    let text = |t: &Option<String>| Some(t.clone().unwrap_or_default());
    let fields = SupplierFields {
        contact_person: text(&v.contact_person),
        email: text(&v.email),
        phone: text(&v.phone),
        address: text(&v.address),
        payment_terms: text(&v.payment_terms),
        tax_id: text(&v.tax_id),
        categories: Some(v.categories.clone()),
        ..SupplierFields::default()
    };
    let active = v.status == "active";
    let here: Option<Option<i64>> = ctx
        .tx
        .query_row(
            "SELECT catalogue_version FROM suppliers WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let words = match here {
        Some(Some(at)) if at >= v.version => {
            return Ok(format!("{} is already at version {at}", v.name));
        }
        Some(_) => {
            UpdateSupplier {
                id,
                name: Some(v.name.clone()),
                is_active: Some(active),
                fields,
            }
            .run(ctx)?;
            format!("{} brought to head office's version {}", v.name, v.version)
        }
        None => {
            let taken: Option<String> = ctx
                .tx
                .query_row(
                    "SELECT name FROM suppliers WHERE name = ?1",
                    [v.name.trim()],
                    |r| r.get(0),
                )
                .optional()?;
            if let Some(local) = taken {
                return Err(Error::conflict(format!(
                    "this store's own supplier {local} has the name of head office's vendor {}: rename the store's supplier (or merge them), then sync again",
                    v.name
                )));
            }
            let name = required_text("name", &v.name, MAX_NAME)?;
            check_fields(&fields)?;
            insert_supplier(ctx, id, &name, active, &fields)?;
            format!("{} added from head office (version {})", v.name, v.version)
        }
    };
    ctx.tx.execute(
        "UPDATE suppliers SET catalogue_version = ?2 WHERE id = ?1",
        params![id, v.version],
    )?;
    Ok(words)
}

fn apply_fields(ctx: &Ctx<'_>, id: SupplierId, f: &SupplierFields) -> Result<()> {
    let text = |field: &str, v: &Option<String>| -> Result<Option<Option<String>>> {
        v.as_deref()
            .map(|s| optional_text(field, Some(s), MAX_TEXT))
            .transpose()
    };
    let updates: Vec<(&str, Option<Option<String>>)> = vec![
        ("contact_person", text("contact_person", &f.contact_person)?),
        ("email", text("email", &f.email)?),
        ("phone", text("phone", &f.phone)?),
        ("address", text("address", &f.address)?),
        ("account_number", text("account_number", &f.account_number)?),
        ("payment_terms", text("payment_terms", &f.payment_terms)?),
        ("tax_id", text("tax_id", &f.tax_id)?),
        ("notes", text("notes", &f.notes)?),
        (
            "on_time_delivery_rate",
            f.on_time_delivery_rate
                .map(|d| Some(d.normalize().to_string())),
        ),
        (
            "quality_rating",
            f.quality_rating.map(|d| Some(d.normalize().to_string())),
        ),
    ];
    for (col, v) in updates {
        if let Some(v) = v {
            // Column names come from the fixed list above, never from input.
            ctx.tx.execute(
                &format!("UPDATE suppliers SET {col} = ?2 WHERE id = ?1"),
                params![id, v],
            )?;
        }
    }
    if let Some(p) = f.is_preferred {
        ctx.tx.execute(
            "UPDATE suppliers SET is_preferred = ?2 WHERE id = ?1",
            params![id, p],
        )?;
    }
    if let Some(c) = &f.categories {
        let cleaned: Vec<String> = c
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        ctx.tx.execute(
            "UPDATE suppliers SET categories = ?2 WHERE id = ?1",
            params![
                id,
                serde_json::to_string(&cleaned).map_err(|e| Error::internal(e.to_string()))?
            ],
        )?;
    }
    if let Some(d) = f.average_lead_time_days {
        ctx.tx.execute(
            "UPDATE suppliers SET average_lead_time_days = ?2 WHERE id = ?1",
            params![id, d],
        )?;
    }
    ctx.tx.execute(
        "UPDATE suppliers SET updated_at = ?2, updated_by = ?3 WHERE id = ?1",
        params![id, ctx.now_str(), ctx.actor.id],
    )?;
    Ok(())
}

/// Active suppliers (all with `include_inactive: true`), preferred first, then by name.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListSuppliers {
    /// Include deactivated suppliers.
    #[ts(optional)]
    pub include_inactive: Option<bool>,
}

impl Operation for ListSuppliers {
    const NAME: &'static str = "list_suppliers";
    const SUMMARY: &'static str = "Suppliers, preferred first";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Supplier>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Supplier>> {
        let mut stmt = ctx.tx.prepare(&format!(
            "SELECT {COLUMNS} FROM suppliers WHERE is_active = 1 OR ?1 ORDER BY is_preferred DESC, name"
        ))?;
        let rows = stmt.query_map([self.include_inactive.unwrap_or(false)], read_row)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// `get_supplier`.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetSupplier {
    /// The supplier.
    pub id: SupplierId,
}

impl Operation for GetSupplier {
    const NAME: &'static str = "get_supplier";
    const SUMMARY: &'static str = "One supplier";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Supplier;

    fn run(self, ctx: &Ctx<'_>) -> Result<Supplier> {
        get_supplier(ctx.tx, self.id)
    }
}

const COLUMNS: &str = "id, name, contact_person, email, phone, address, account_number, payment_terms, tax_id, is_preferred,
    categories, on_time_delivery_rate, quality_rating, average_lead_time_days, notes, is_active, created_at, updated_at,
    catalogue_version";

fn read_row(r: &Row<'_>) -> rusqlite::Result<Supplier> {
    let dec = |s: Option<String>| s.and_then(|s| s.parse::<Decimal>().ok());
    Ok(Supplier {
        id: r.get(0)?,
        name: r.get(1)?,
        contact_person: r.get(2)?,
        email: r.get(3)?,
        phone: r.get(4)?,
        address: r.get(5)?,
        account_number: r.get(6)?,
        payment_terms: r.get(7)?,
        tax_id: r.get(8)?,
        is_preferred: r.get(9)?,
        categories: serde_json::from_str(&r.get::<_, String>(10)?).unwrap_or_default(),
        on_time_delivery_rate: dec(r.get(11)?),
        quality_rating: dec(r.get(12)?),
        average_lead_time_days: r.get(13)?,
        notes: r.get(14)?,
        is_active: r.get(15)?,
        created_at: r.get(16)?,
        updated_at: r.get(17)?,
        catalogue_version: r.get(18)?,
    })
}

/// Reads one supplier.
pub fn get_supplier(tx: &Transaction<'_>, id: SupplierId) -> Result<Supplier> {
    tx.query_row(
        &format!("SELECT {COLUMNS} FROM suppliers WHERE id = ?1"),
        [id],
        read_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("supplier", id))
}
