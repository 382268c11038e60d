//! Customers: who buys, as the store knew them in the system it leaves
//! (name, phone, email, date of birth, address, notes, and that system's
//! code as `code`). File-wide like suppliers (migration V19 says why): a
//! chain's customer shops at any of its stores, and `code` names one
//! customer across the file.
//!
//! The rules live in one function (`validate`), used by `create_customer`,
//! `update_customer` and the onboarding import alike. Events name the
//! customer and which fields changed, never the personal values themselves
//! (the record is immutable and travels to head office).

use super::{optional_text, required_text};
use crate::audit::{self, ChangeType, FieldChange, Payload};
use crate::auth::Permission;
use crate::ids::CustomerId;
use crate::op::{Ctx, Operation};
use crate::page::{limit_offset, Filter};
use crate::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, ToSql};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A customer.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct Customer {
    /// Id.
    pub id: CustomerId,
    /// External reference: the customer's code in the system the store
    /// left (unique in the file).
    pub code: Option<String>,
    /// Full name.
    pub name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Date of birth (`YYYY-MM-DD`).
    pub date_of_birth: Option<String>,
    /// Postal address.
    pub address: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// False once deactivated.
    pub is_active: bool,
    /// Created.
    pub created_at: String,
    /// Last changed.
    pub updated_at: String,
}

/// A customer's fields as given, checked by [`validate`].
#[derive(Clone, Debug, Default)]
pub(crate) struct CustomerInput<'a> {
    pub code: Option<&'a str>,
    pub name: &'a str,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<&'a str>,
    pub notes: Option<&'a str>,
}

/// A customer's fields once checked: trimmed, blanks as `None`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CleanCustomer {
    pub code: Option<String>,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub date_of_birth: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

/// Longest text of each field, in characters.
pub(crate) const MAX_CODE: usize = 64;
pub(crate) const MAX_NAME: usize = 200;
pub(crate) const MAX_PHONE: usize = 40;
pub(crate) const MAX_EMAIL: usize = 200;
pub(crate) const MAX_ADDRESS: usize = 500;
pub(crate) const MAX_NOTES: usize = 2000;

/// Checks every field and returns every failure (each an `invalid_input`
/// naming its field), or the cleaned fields. `today` is the acting store's
/// date: a date of birth after it is refused.
pub(crate) fn validate(
    i: &CustomerInput<'_>,
    today: NaiveDate,
) -> std::result::Result<CleanCustomer, Vec<Error>> {
    let mut errors = Vec::new();
    let mut keep = |r: Result<Option<String>>| match r {
        Ok(v) => v,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    let name = keep(required_text("name", i.name, MAX_NAME).map(Some));
    let code = keep(optional_text("code", i.code, MAX_CODE));
    let phone = keep(optional_text("phone", i.phone, MAX_PHONE));
    let email = keep(optional_text("email", i.email, MAX_EMAIL));
    let address = keep(optional_text("address", i.address, MAX_ADDRESS));
    let notes = keep(optional_text("notes", i.notes, MAX_NOTES));
    if let Some(e) = &email {
        if !e.contains('@') || e.contains(' ') {
            errors.push(Error::invalid(
                "email",
                format!("'{e}' is not an email address"),
            ));
        }
    }
    if let Some(d) = i.date_of_birth {
        if d > today {
            errors.push(Error::invalid(
                "date_of_birth",
                "the date of birth is in the future",
            ));
        }
    }
    match name {
        Some(name) if errors.is_empty() => Ok(CleanCustomer {
            code,
            name,
            phone,
            email,
            date_of_birth: i.date_of_birth.map(|d| d.to_string()),
            address,
            notes,
        }),
        _ => Err(errors),
    }
}

/// The acting user's "today" for customer rules: their home (or only)
/// store's date, else UTC's.
pub(crate) fn today(ctx: &Ctx<'_>) -> NaiveDate {
    let home = ctx.actor.store_id.or(match ctx.actor.stores.as_slice() {
        [only] => Some(only.store_id),
        _ => None,
    });
    home.and_then(|s| crate::catalogue::stores::StoreInfo::load(ctx.tx, s).ok())
        .map_or_else(|| ctx.now.date_naive(), |s| ctx.today(&s))
}

/// Fails with `conflict` when another customer has `code`.
pub(crate) fn code_free(ctx: &Ctx<'_>, code: &str, except: Option<CustomerId>) -> Result<()> {
    let owner: Option<String> = ctx
        .tx
        .prepare_cached("SELECT name FROM customers WHERE code = ?1 AND (?2 IS NULL OR id <> ?2)")?
        .query_row(params![code, except], |r| r.get(0))
        .optional()?;
    match owner {
        Some(_) => Err(Error::conflict(format!(
            "customer code '{code}' is already used by another customer"
        ))),
        None => Ok(()),
    }
}

/// Inserts a checked customer and records `customer_created`.
pub(crate) fn insert(ctx: &Ctx<'_>, c: &CleanCustomer, active: bool) -> Result<CustomerId> {
    let id = CustomerId::new();
    let now = ctx.now_str();
    ctx.tx
        .prepare_cached(
            "INSERT INTO customers (id, code, name, phone, email, date_of_birth, address, notes, is_active,
                                    created_by, updated_by, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?11)",
        )?
        .execute(params![
            id,
            c.code,
            c.name,
            c.phone,
            c.email,
            c.date_of_birth,
            c.address,
            c.notes,
            active,
            ctx.actor.id,
            now
        ])?;
    let payload = Payload::about("customer", id, c.code.as_deref().unwrap_or(&c.name));
    for store in audit::change_stores(ctx)? {
        audit::record(ctx, store, ChangeType::CustomerCreated, &payload)?;
    }
    Ok(id)
}

fn first_error(errors: Vec<Error>) -> Error {
    errors
        .into_iter()
        .next()
        .unwrap_or_else(|| Error::internal("customer refused without a reason"))
}

/// - `name` required (≤ 200 characters); `code` (the customer's reference in
///   the system the store leaves, ≤ 64) unique in the file (`conflict`);
///   `email` must look like an address; `date_of_birth` `YYYY-MM-DD`, not in
///   the future; `phone` ≤ 40, `address` ≤ 500, `notes` ≤ 2000.
/// - Writes a `customer_created` event naming the customer (by code, else
///   name), not their details.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateCustomer {
    /// Full name.
    pub name: String,
    /// External reference (unique).
    #[ts(optional)]
    pub code: Option<String>,
    /// Phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// Email.
    #[ts(optional)]
    pub email: Option<String>,
    /// Date of birth.
    #[ts(optional, type = "string")]
    pub date_of_birth: Option<NaiveDate>,
    /// Address.
    #[ts(optional)]
    pub address: Option<String>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
}

impl Operation for CreateCustomer {
    const NAME: &'static str = "create_customer";
    const SUMMARY: &'static str = "Register a customer (name, code, contact, date of birth)";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Customer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Customer> {
        let input = CustomerInput {
            code: self.code.as_deref(),
            name: &self.name,
            phone: self.phone.as_deref(),
            email: self.email.as_deref(),
            date_of_birth: self.date_of_birth,
            address: self.address.as_deref(),
            notes: self.notes.as_deref(),
        };
        let clean = validate(&input, today(ctx)).map_err(first_error)?;
        if let Some(code) = &clean.code {
            code_free(ctx, code, None)?;
        }
        let id = insert(ctx, &clean, true)?;
        get_customer(ctx, id)
    }
}

/// Fields left out stay as they are; a blank text clears an optional
/// field; `is_active: false` deactivates the customer (their history
/// stays). Same rules as `create_customer`. Writes a `customer_updated`
/// event naming which fields changed, not their values.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateCustomer {
    /// The customer.
    pub id: CustomerId,
    /// Full name.
    #[ts(optional)]
    pub name: Option<String>,
    /// External reference.
    #[ts(optional)]
    pub code: Option<String>,
    /// Phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// Email.
    #[ts(optional)]
    pub email: Option<String>,
    /// Date of birth.
    #[ts(optional, type = "string")]
    pub date_of_birth: Option<NaiveDate>,
    /// Address.
    #[ts(optional)]
    pub address: Option<String>,
    /// Notes.
    #[ts(optional)]
    pub notes: Option<String>,
    /// Active.
    #[ts(optional)]
    pub is_active: Option<bool>,
}

impl Operation for UpdateCustomer {
    const NAME: &'static str = "update_customer";
    const SUMMARY: &'static str = "Change a customer's details, or deactivate them";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = Customer;

    fn run(self, ctx: &Ctx<'_>) -> Result<Customer> {
        let before = get_customer(ctx, self.id)?;
        let dob = match self.date_of_birth {
            Some(d) => Some(d),
            None => before
                .date_of_birth
                .as_deref()
                .and_then(|d| d.parse::<NaiveDate>().ok()),
        };
        let pick = |new: &Option<String>, old: &Option<String>| -> Option<String> {
            new.clone().or_else(|| old.clone())
        };
        let (code, phone, email, address, notes) = (
            pick(&self.code, &before.code),
            pick(&self.phone, &before.phone),
            pick(&self.email, &before.email),
            pick(&self.address, &before.address),
            pick(&self.notes, &before.notes),
        );
        let name = self.name.clone().unwrap_or_else(|| before.name.clone());
        let input = CustomerInput {
            code: code.as_deref(),
            name: &name,
            phone: phone.as_deref(),
            email: email.as_deref(),
            date_of_birth: dob,
            address: address.as_deref(),
            notes: notes.as_deref(),
        };
        let clean = validate(&input, today(ctx)).map_err(first_error)?;
        if let Some(code) = &clean.code {
            code_free(ctx, code, Some(self.id))?;
        }
        let active = self.is_active.unwrap_or(before.is_active);
        ctx.tx.execute(
            "UPDATE customers SET code = ?2, name = ?3, phone = ?4, email = ?5, date_of_birth = ?6, address = ?7,
                                  notes = ?8, is_active = ?9, updated_by = ?10, updated_at = ?11
              WHERE id = ?1",
            params![
                self.id,
                clean.code,
                clean.name,
                clean.phone,
                clean.email,
                clean.date_of_birth,
                clean.address,
                clean.notes,
                active,
                ctx.actor.id,
                ctx.now_str()
            ],
        )?;
        let after = get_customer(ctx, self.id)?;
        // Which fields changed, never their values (personal data).
        let changes: Vec<FieldChange> = audit::diff(&before, &after)?
            .into_iter()
            .map(|c| FieldChange {
                field: c.field,
                before: None,
                after: None,
            })
            .collect();
        let payload = Payload::about(
            "customer",
            self.id,
            after.code.as_deref().unwrap_or(&after.name),
        )
        .with_changes(changes);
        for store in audit::change_stores(ctx)? {
            audit::record(ctx, store, ChangeType::CustomerUpdated, &payload)?;
        }
        Ok(after)
    }
}

/// Customers by name (then id), `q` matching the start of the name, the
/// code or the phone (case-insensitive); deactivated customers only with
/// `include_inactive`. Paged (`limit` ≤ 500, default 50).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListCustomers {
    /// Search text.
    #[ts(optional)]
    pub q: Option<String>,
    /// Include deactivated customers.
    #[ts(optional)]
    pub include_inactive: Option<bool>,
    /// Page size.
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Rows to skip.
    #[ts(optional)]
    pub offset: Option<u32>,
}

/// A page of customers.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CustomerPage {
    /// The page.
    pub customers: Vec<Customer>,
    /// Customers matching the filters in all.
    #[ts(type = "number")]
    pub total: i64,
}

impl Operation for ListCustomers {
    const NAME: &'static str = "list_customers";
    const SUMMARY: &'static str = "Customers by name, searched by name, code or phone, paged";
    const PERMISSION: Permission = Permission::Sell;
    const WRITES: bool = false;
    type Output = CustomerPage;

    fn run(self, ctx: &Ctx<'_>) -> Result<CustomerPage> {
        let (limit, offset) = limit_offset(self.limit, self.offset, 50)?;
        let mut f = Filter::default();
        if !self.include_inactive.unwrap_or(false) {
            f.and("is_active = 1");
        }
        if let Some(q) = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            // A prefix match, escaped for LIKE.
            let esc: String = q
                .chars()
                .flat_map(|c| match c {
                    '%' | '_' | '\\' => vec!['\\', c],
                    c => vec![c],
                })
                .collect();
            f.and("(name LIKE :q ESCAPE '\\' OR code LIKE :q ESCAPE '\\' OR phone LIKE :q ESCAPE '\\')")
                .bind(":q", format!("{esc}%"));
        }
        let total: i64 = ctx.tx.query_row(
            &format!("SELECT COUNT(*) FROM customers {}", f.where_sql()),
            f.params(&[]).as_slice(),
            |r| r.get(0),
        )?;
        let extra: [(&'static str, &dyn ToSql); 2] = [(":limit", &limit), (":offset", &offset)];
        let mut stmt = ctx.tx.prepare(&format!(
            "SELECT {COLUMNS} FROM customers {} ORDER BY name COLLATE NOCASE, id LIMIT :limit OFFSET :offset",
            f.where_sql()
        ))?;
        let customers = stmt
            .query_map(f.params(&extra).as_slice(), read_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(CustomerPage { customers, total })
    }
}

pub(crate) const COLUMNS: &str = "id, code, name, phone, email, date_of_birth, address, notes, is_active, created_at, updated_at";

pub(crate) fn read_row(r: &Row<'_>) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        email: r.get(4)?,
        date_of_birth: r.get(5)?,
        address: r.get(6)?,
        notes: r.get(7)?,
        is_active: r.get(8)?,
        created_at: r.get(9)?,
        updated_at: r.get(10)?,
    })
}

/// Reads one customer (`not_found`).
pub fn get_customer(ctx: &Ctx<'_>, id: CustomerId) -> Result<Customer> {
    ctx.tx
        .prepare_cached(&format!("SELECT {COLUMNS} FROM customers WHERE id = ?1"))?
        .query_row([id], read_row)
        .optional()?
        .ok_or_else(|| Error::not_found("customer", id))
}
