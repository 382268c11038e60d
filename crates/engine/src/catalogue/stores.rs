//! Stores: name, code, IANA time zone (for "today"), currency, locale (how
//! numbers, money and dates are written), the details that head a receipt
//! (address, phone, tax and licence numbers), and the thresholds above
//! which a non-manager's adjustment waits for approval.

use super::{optional_text, required_text};
use crate::auth::Permission;
use crate::ids::StoreId;
use crate::num::{Money, Qty};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono_tz::Tz;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A store as returned to callers.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct Store {
    /// Id.
    pub id: StoreId,
    /// Short code (unique), e.g. "LAG-01".
    pub code: String,
    /// Display name.
    pub name: String,
    /// IANA time zone, e.g. "Africa/Lagos".
    pub timezone: String,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Address for receipts.
    pub address: Option<String>,
    /// Phone for receipts.
    pub phone: Option<String>,
    /// BCP 47 locale the store's screens and receipts format with, e.g.
    /// "en-NG".
    pub locale: String,
    /// Tax identification (TIN / VAT) number, printed on receipts.
    pub tax_number: Option<String>,
    /// Pharmacy premises licence number, printed on receipts.
    pub licence_number: Option<String>,
    /// Adjustments above this many units need a manager.
    pub adjustment_approval_units: Qty,
    /// Adjustments above this value need a manager.
    pub adjustment_approval_value: Money,
    /// No stock movement may be dated before this day (`YYYY-MM-DD`; none: no freeze).
    pub stock_freeze_date: Option<String>,
    /// Active.
    pub is_active: bool,
    /// The installation (database file) that owns the store: the only one
    /// that writes its stock and its record.
    pub installation_id: Option<crate::ids::InstallationId>,
}

/// The store facts an operation needs.
#[derive(Clone, Debug)]
pub struct StoreInfo {
    /// Id.
    pub id: StoreId,
    /// Name.
    pub name: String,
    /// Parsed time zone.
    pub tz: Tz,
    /// Units threshold (thousandths).
    pub approval_milli: i64,
    /// Value threshold (ten-thousandths).
    pub approval_e4: i64,
    /// No stock movement may be dated before this day (`set_stock_freeze_date`).
    pub stock_freeze_date: Option<chrono::NaiveDate>,
}

impl StoreInfo {
    /// Loads an active store.
    pub fn load(tx: &Transaction<'_>, id: StoreId) -> Result<StoreInfo> {
        let row = tx
            .prepare_cached(
                "SELECT name, timezone, adjustment_approval_milli, adjustment_approval_e4, is_active, stock_freeze_date
                   FROM stores WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?, r.get::<_, bool>(4)?,
                    r.get::<_, Option<String>>(5)?))
            })
            .optional()?;
        let (name, tz, approval_milli, approval_e4, active, freeze) =
            row.ok_or_else(|| Error::not_found("store", id))?;
        if !active {
            return Err(Error::StoreClosed { store_id: id, name });
        }
        let tz = tz
            .parse::<Tz>()
            .map_err(|_| Error::corrupt("store", id, "timezone", tz))?;
        let stock_freeze_date = freeze
            .map(|d| {
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| Error::corrupt("store", id, "stock_freeze_date", d))
            })
            .transpose()?;
        Ok(StoreInfo {
            id,
            name,
            tz,
            approval_milli,
            approval_e4,
            stock_freeze_date,
        })
    }
}

/// The store to use when a request names none and the user has no home store.
pub fn only_store(tx: &Transaction<'_>) -> Result<StoreId> {
    let mut stmt = tx.prepare_cached("SELECT id FROM stores WHERE is_active = 1 AND installation_id IS (SELECT id FROM installation) LIMIT 2")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, StoreId>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    match ids.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::NotSetUp {}),
        _ => Err(Error::invalid(
            "store_id",
            "this database holds several stores: name the store_id",
        )),
    }
}

pub(crate) fn parse_timezone(tz: &str) -> Result<String> {
    tz.trim()
        .parse::<Tz>()
        .map(|t| t.name().to_string())
        .map_err(|_| {
            Error::invalid(
                "timezone",
                format!("'{tz}' is not an IANA time zone (e.g. Africa/Lagos)"),
            )
        })
}

pub(crate) fn parse_currency(c: &str) -> Result<String> {
    let c = c.trim().to_ascii_uppercase();
    if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(Error::invalid(
            "currency",
            format!("'{c}' is not a 3-letter ISO 4217 currency code"),
        ));
    }
    Ok(c)
}

/// Checks a BCP 47 tag of the shapes stores use: a language of 2–3
/// letters, then optionally a script of 4 letters and a region of 2 letters
/// or 3 digits ("en", "en-NG", "zh-Hant-TW", "es-419"). Returns it in the
/// canonical case ("en-NG"), with `_` read as `-`, so that `Intl` and the
/// printer receive one spelling.
pub(crate) fn parse_locale(tag: &str) -> Result<String> {
    let bad = || {
        Error::invalid(
            "locale",
            format!("'{tag}' is not a locale: write a language and region, e.g. en-NG"),
        )
    };
    let t = tag.trim().replace('_', "-");
    let mut parts = t.split('-');
    let lang = parts
        .next()
        .filter(|l| (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_alphabetic()));
    let mut out = lang.ok_or_else(bad)?.to_ascii_lowercase();
    let mut rest: Vec<&str> = parts.collect();
    if let Some(script) = rest.first().copied() {
        if script.len() == 4 && script.bytes().all(|b| b.is_ascii_alphabetic()) {
            out.push('-');
            out.push_str(&script[..1].to_ascii_uppercase());
            out.push_str(&script[1..].to_ascii_lowercase());
            rest.remove(0);
        }
    }
    match rest.as_slice() {
        [] => {}
        [region]
            if (region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic()))
                || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit())) =>
        {
            out.push('-');
            out.push_str(&region.to_ascii_uppercase());
        }
        _ => return Err(bad()),
    }
    Ok(out)
}

/// `create_store`: the creator (an admin in some store) becomes its admin.
///
/// `code` is unique (upper-cased; derived from the name when omitted); `timezone` is an
/// IANA name (default `UTC`) and decides the store's "today" for expiry; `currency` a
/// 3-letter code (default `NGN`); `locale` a BCP 47 tag such as `en-NG` (default `en`;
/// language, optional script, optional region; returned in canonical case);
/// `tax_number` and `licence_number` (optional, up to 64 characters) head the receipt.
/// New stores get the default approval thresholds (10 units, 100 in value).
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct CreateStore {
    /// Display name.
    pub name: String,
    /// Unique short code; derived from the name when omitted.
    #[ts(optional)]
    pub code: Option<String>,
    /// IANA time zone (default "UTC").
    #[ts(optional)]
    pub timezone: Option<String>,
    /// Currency code (default "NGN").
    #[ts(optional)]
    pub currency: Option<String>,
    /// Address.
    #[ts(optional)]
    pub address: Option<String>,
    /// Phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// BCP 47 locale (default "en").
    #[ts(optional)]
    pub locale: Option<String>,
    /// Tax identification number.
    #[ts(optional)]
    pub tax_number: Option<String>,
    /// Pharmacy licence number.
    #[ts(optional)]
    pub licence_number: Option<String>,
}

impl CreateStore {
    /// Inserts the store row, owned by this file's installation (shared with
    /// first-time setup, which records the `store_created` event once its
    /// admin exists; see [`record_created`]).
    pub(crate) fn insert(
        self,
        tx: &Transaction<'_>,
        now: &str,
        installation: crate::ids::InstallationId,
    ) -> Result<Store> {
        let name = required_text("name", &self.name, 120)?;
        let code = match optional_text("code", self.code.as_deref(), 32)? {
            Some(c) => c.to_ascii_uppercase(),
            None => name
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .take(8)
                .collect::<String>()
                .to_ascii_uppercase(),
        };
        if code.is_empty() {
            return Err(Error::invalid(
                "code",
                "give the store a code (letters and digits)",
            ));
        }
        let timezone = parse_timezone(self.timezone.as_deref().unwrap_or("UTC"))?;
        let currency = parse_currency(self.currency.as_deref().unwrap_or("NGN"))?;
        let locale = parse_locale(self.locale.as_deref().unwrap_or("en"))?;
        let address = optional_text("address", self.address.as_deref(), 300)?;
        let phone = optional_text("phone", self.phone.as_deref(), 40)?;
        let tax_number = optional_text("tax_number", self.tax_number.as_deref(), 64)?;
        let licence_number = optional_text("licence_number", self.licence_number.as_deref(), 64)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS(SELECT 1 FROM stores WHERE code = ?1)",
            [&code],
            |r| r.get(0),
        )?;
        if exists {
            return Err(Error::conflict(format!(
                "a store with code '{code}' already exists"
            )));
        }
        let id = StoreId::new();
        tx.execute(
            "INSERT INTO stores (id, code, name, timezone, currency, address, phone, created_at, updated_at, installation_id,
                                 locale, tax_number, licence_number)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9, ?10, ?11, ?12)",
            params![
                id,
                code,
                name,
                timezone,
                currency,
                address,
                phone,
                now,
                installation,
                locale,
                tax_number,
                licence_number
            ],
        )?;
        get_store(tx, id)
    }
}

impl Operation for CreateStore {
    const NAME: &'static str = "create_store";
    const SUMMARY: &'static str = "Create a store (name, code, IANA time zone, currency)";
    const PERMISSION: Permission = Permission::ManageStores;
    const WRITES: bool = true;
    type Output = Store;

    /// The creator becomes the new store's admin, so that no store starts
    /// with nobody who may manage it.
    fn run(self, ctx: &Ctx<'_>) -> Result<Store> {
        let now = ctx.now_str();
        let store = self.insert(ctx.tx, &now, ctx.installation)?;
        record_created(&ctx.stamp(), &store)?;
        crate::catalogue::assignments::upsert(
            ctx.tx,
            ctx.actor.id,
            crate::auth::StoreRole {
                store_id: store.id,
                role: crate::auth::Role::Admin,
            },
            Some(ctx.actor.id),
            &now,
        )?;
        crate::catalogue::assignments::sync_user_row(ctx.tx, ctx.actor.id)?;
        Ok(store)
    }
}

/// Opens a new store's chain with its `store_created` event.
pub(crate) fn record_created(stamp: &crate::audit::Stamp<'_>, store: &Store) -> Result<()> {
    let payload = crate::audit::Payload::about("store", store.id, &store.name).with_data(store)?;
    crate::audit::record_stamped(
        stamp,
        store.id,
        crate::audit::ChangeType::StoreCreated,
        &payload,
    )
    .map(|_| ())
}

/// `update_store`: change a store's details and approval thresholds.
///
/// Omitted fields are kept; an empty `address`, `phone`, `tax_number` or `licence_number`
/// clears it. `locale` as in `create_store`. `adjustment_approval_units` /
/// `adjustment_approval_value`: a non-manager's adjustment above either waits for approval
/// (see `adjust_stock`). Thresholds cannot be negative. Recorded as a `store_updated` event
/// with each changed field before → after.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct UpdateStore {
    /// The store.
    pub id: StoreId,
    /// New name.
    #[ts(optional)]
    pub name: Option<String>,
    /// New time zone.
    #[ts(optional)]
    pub timezone: Option<String>,
    /// New currency.
    #[ts(optional)]
    pub currency: Option<String>,
    /// New address.
    #[ts(optional)]
    pub address: Option<String>,
    /// New phone.
    #[ts(optional)]
    pub phone: Option<String>,
    /// New locale (BCP 47).
    #[ts(optional)]
    pub locale: Option<String>,
    /// New tax identification number.
    #[ts(optional)]
    pub tax_number: Option<String>,
    /// New pharmacy licence number.
    #[ts(optional)]
    pub licence_number: Option<String>,
    /// Units above which adjustments need approval.
    #[ts(optional)]
    pub adjustment_approval_units: Option<Qty>,
    /// Value above which adjustments need approval.
    #[ts(optional)]
    pub adjustment_approval_value: Option<Money>,
}

impl Operation for UpdateStore {
    const NAME: &'static str = "update_store";
    const SUMMARY: &'static str =
        "Change a store's name, time zone, currency, locale, contact, tax and licence numbers and approval thresholds";
    const PERMISSION: Permission = Permission::ManageStores;
    const WRITES: bool = true;
    type Output = Store;

    fn run(self, ctx: &Ctx<'_>) -> Result<Store> {
        let cur = get_store(ctx.tx, self.id)?;
        ctx.check_store(self.id)?;
        let name = match self.name {
            Some(n) => required_text("name", &n, 120)?,
            None => cur.name,
        };
        let timezone = match self.timezone {
            Some(t) => parse_timezone(&t)?,
            None => cur.timezone,
        };
        let currency = match self.currency {
            Some(c) => parse_currency(&c)?,
            None => cur.currency,
        };
        let address = match self.address {
            Some(a) => optional_text("address", Some(&a), 300)?,
            None => cur.address,
        };
        let phone = match self.phone {
            Some(p) => optional_text("phone", Some(&p), 40)?,
            None => cur.phone,
        };
        let locale = match self.locale {
            Some(l) => parse_locale(&l)?,
            None => cur.locale,
        };
        let tax_number = match self.tax_number {
            Some(t) => optional_text("tax_number", Some(&t), 64)?,
            None => cur.tax_number,
        };
        let licence_number = match self.licence_number {
            Some(l) => optional_text("licence_number", Some(&l), 64)?,
            None => cur.licence_number,
        };
        let units = self
            .adjustment_approval_units
            .unwrap_or(cur.adjustment_approval_units);
        let value = self
            .adjustment_approval_value
            .unwrap_or(cur.adjustment_approval_value);
        if units.is_negative() || value.is_negative() {
            return Err(Error::invalid(
                "adjustment_approval_units",
                "approval thresholds cannot be negative",
            ));
        }
        let before = get_store(ctx.tx, self.id)?;
        ctx.tx.execute(
            "UPDATE stores SET name = ?2, timezone = ?3, currency = ?4, address = ?5, phone = ?6,
                    adjustment_approval_milli = ?7, adjustment_approval_e4 = ?8, updated_at = ?9,
                    locale = ?10, tax_number = ?11, licence_number = ?12 WHERE id = ?1",
            params![
                self.id,
                name,
                timezone,
                currency,
                address,
                phone,
                units.to_scaled("adjustment_approval_units")?,
                value.to_scaled("adjustment_approval_value")?,
                ctx.now_str(),
                locale,
                tax_number,
                licence_number
            ],
        )?;
        let after = get_store(ctx.tx, self.id)?;
        let payload = crate::audit::Payload::about("store", self.id, &after.name)
            .with_changes(crate::audit::diff(&before, &after)?);
        crate::audit::record(
            ctx,
            self.id,
            crate::audit::ChangeType::StoreUpdated,
            &payload,
        )?;
        Ok(after)
    }
}

/// `list_stores`.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListStores {}

impl Operation for ListStores {
    const NAME: &'static str = "list_stores";
    const SUMMARY: &'static str =
        "The stores of this database you work in (every store for head office)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<Store>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<Store>> {
        // Stores of other installations (the directory pulled from head
        // office) are listed by `list_store_directory`, not here.
        let mut stmt = ctx.tx.prepare(
            "SELECT id FROM stores WHERE installation_id IS (SELECT id FROM installation) ORDER BY name",
        )?;
        let ids = stmt
            .query_map([], |r| r.get::<_, StoreId>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        ids.into_iter()
            .filter(|id| ctx.may_at(*id))
            .map(|id| get_store(ctx.tx, id))
            .collect()
    }
}

/// `list_store_directory`: every active store of the database, by name, as far as
/// anyone who works here needs to know it — id, code, name and address — to send it a
/// transfer or read its name on one. Unlike `list_stores` it is not limited to the
/// stores the user works in, and it shows no settings.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListStoreDirectory {}

/// One store in the directory.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct StoreEntry {
    /// Id.
    pub id: StoreId,
    /// Short code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
}

impl Operation for ListStoreDirectory {
    const NAME: &'static str = "list_store_directory";
    const SUMMARY: &'static str =
        "Every active store's id, code, name and address (to pick a transfer's destination)";
    const PERMISSION: Permission = Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<StoreEntry>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<StoreEntry>> {
        let mut stmt = ctx.tx.prepare(
            "SELECT id, code, name, address FROM stores WHERE is_active = 1 ORDER BY name, code",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoreEntry {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                address: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Reads one store.
pub fn get_store(tx: &Transaction<'_>, id: StoreId) -> Result<Store> {
    tx.query_row(
        "SELECT id, code, name, timezone, currency, address, phone, adjustment_approval_milli, adjustment_approval_e4, is_active,
                installation_id, locale, tax_number, licence_number, stock_freeze_date
           FROM stores WHERE id = ?1",
        [id],
        |r| {
            Ok(Store {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                timezone: r.get(3)?,
                currency: r.get(4)?,
                address: r.get(5)?,
                phone: r.get(6)?,
                adjustment_approval_units: Qty::from_scaled(r.get(7)?),
                adjustment_approval_value: Money::from_scaled(r.get(8)?),
                is_active: r.get(9)?,
                installation_id: r.get(10)?,
                locale: r.get(11)?,
                tax_number: r.get(12)?,
                licence_number: r.get(13)?,
                stock_freeze_date: r.get(14)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::not_found("store", id))
}
