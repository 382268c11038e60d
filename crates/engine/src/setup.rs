//! First-time setup: the first store and its administrator, created together
//! before anyone can sign in (so there is no acting user yet). Refused once
//! the database has an admin.

use crate::auth::Role;
use crate::catalogue::stores::CreateStore;
use crate::catalogue::users::CreateUser;
use crate::ids::{StoreId, UserId};
use crate::{Db, Error, Result};
use chrono::SecondsFormat;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What setup needs.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct InitRequest {
    /// The store's name.
    pub store_name: String,
    /// The store's code (derived from the name when omitted).
    #[ts(optional)]
    pub store_code: Option<String>,
    /// IANA time zone (default UTC).
    #[ts(optional)]
    pub timezone: Option<String>,
    /// Currency (default NGN).
    #[ts(optional)]
    pub currency: Option<String>,
    /// The first administrator's name.
    pub admin_name: String,
    /// The administrator's PIN (4–12 digits); without one, only the CLI can act as them.
    #[ts(optional)]
    pub admin_pin: Option<String>,
}

/// What setup created.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct InitResult {
    /// The new store.
    pub store_id: StoreId,
    /// The new admin.
    pub user_id: UserId,
}

/// Creates the first store and admin in one transaction.
pub fn initialize(db: &mut Db, req: InitRequest) -> Result<InitResult> {
    let now = db.now().to_rfc3339_opts(SecondsFormat::Millis, true);
    db.write(|tx| {
        let admins: i64 =
            tx.query_row("SELECT COUNT(*) FROM users WHERE role = 'admin'", [], |r| {
                r.get(0)
            })?;
        if admins > 0 {
            return Err(Error::AlreadySetUp {});
        }
        let store = CreateStore {
            name: req.store_name,
            code: req.store_code,
            timezone: req.timezone,
            currency: req.currency,
            address: None,
            phone: None,
        }
        .insert(tx, &now)?;
        let user = CreateUser {
            name: req.admin_name,
            role: Role::Admin,
            pin: req.admin_pin,
            store_id: Some(store.id),
        }
        .insert(tx, None, &now)?;
        Ok(InitResult {
            store_id: store.id,
            user_id: user.id,
        })
    })
}
