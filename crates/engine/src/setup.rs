//! First-time setup: the first store and its administrator, created together
//! before anyone can sign in (so there is no acting user yet). Refused once
//! the database has an admin.

use crate::auth::{Role, StoreRole};
use crate::catalogue::stores::CreateStore;
use crate::catalogue::users::NewUser;
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
    /// BCP 47 locale the store formats money, numbers and dates in, e.g.
    /// `en-NG` (default `en`).
    #[ts(optional)]
    pub locale: Option<String>,
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
    let installation = db.installation();
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
            locale: req.locale,
            ..CreateStore::default()
        }
        .insert(tx, &now, installation)?;
        let user = NewUser {
            name: &req.admin_name,
            pin: req.admin_pin.as_deref(),
            home: Some(store.id),
            stores: &[StoreRole {
                store_id: store.id,
                role: Role::Admin,
            }],
            head_office: false,
        }
        .insert(tx, None, &now)?;
        // The store's chain opens with its creation and its first admin,
        // recorded as done by that admin (setup has no other actor).
        let stamp = crate::audit::Stamp {
            tx,
            user_id: user.id,
            created_at: now.clone(),
            installation,
        };
        crate::catalogue::stores::record_created(&stamp, &store)?;
        crate::catalogue::users::record_created(&stamp, store.id, &user)?;
        Ok(InitResult {
            store_id: store.id,
            user_id: user.id,
        })
    })
}
