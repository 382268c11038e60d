//! The security log: failed sign-ins and refused manager approvals, from
//! every area of the engine, and every view or export of patients' data
//! (the clinic's lot usage, a lot's trace).
//!
//! Part of the engine's core (areas use it, it uses no area): the till, stock
//! adjustments and every later area that takes a manager's PIN report their
//! refusals here through [`crate::approval`], in one shape.
//!
//! A refused approval makes its operation fail, and the operation's
//! transaction rolls back; a log row written inside it would vanish with it.
//! So a refusal is collected on the [`Ctx`] as an [`Incident`] and
//! [`Db::execute`](crate::Db::execute) writes it in a transaction of its own
//! after the rollback (`persist`), counting a wrong PIN against the
//! approver exactly like a failed sign-in, so approvals cannot be used to
//! guess a manager's PIN without limit. Sign-in failures are committed by
//! `auth::sign_in` itself and logged in that same transaction (`record`).

use crate::auth::Permission;
use crate::ids::{StoreId, UserId};
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// A failed sign-in or approval, waiting to be written.
#[derive(Clone, Debug)]
pub struct Incident {
    /// `sign_in_failed` or `approval_failed`.
    pub event: &'static str,
    /// The name typed.
    pub user_name: String,
    /// The user that name matched.
    pub user_id: Option<UserId>,
    /// Who was signed in (approvals).
    pub actor_id: Option<UserId>,
    /// The store, when known.
    pub store_id: Option<StoreId>,
    /// What needed the approval ("discount above the cashier limit"…).
    pub action: Option<String>,
    /// `wrong_pin`, `unknown_user`, `locked`, `not_a_manager`, `deactivated`.
    pub outcome: &'static str,
    /// The error's message.
    pub detail: String,
}

impl Incident {
    /// A failed sign-in.
    pub(crate) fn sign_in(
        name: &str,
        user_id: Option<UserId>,
        outcome: &'static str,
        e: &Error,
    ) -> Incident {
        Incident {
            event: "sign_in_failed",
            user_name: clip(name),
            user_id,
            actor_id: None,
            store_id: None,
            action: None,
            outcome,
            detail: e.to_string(),
        }
    }
}

fn clip(s: &str) -> String {
    s.trim().chars().take(80).collect()
}

/// Queues a refused approval on the operation's context, to be written
/// after its rollback.
pub(crate) fn approval_failed(
    ctx: &Ctx<'_>,
    store_id: Option<StoreId>,
    name: &str,
    action: &str,
    f: &crate::auth::PinFailure,
) {
    ctx.incidents.borrow_mut().push(Incident {
        event: "approval_failed",
        user_name: clip(name),
        user_id: f.user_id,
        actor_id: Some(ctx.actor.id),
        store_id,
        action: Some(action.to_string()),
        outcome: f.outcome,
        detail: f.error.to_string(),
    });
}

/// Queues an entry saying the actor viewed or exported patients' data
/// (`what`: whose, or which lot's trace), written after the operation like
/// every incident, so that a read leaves its trace too.
pub(crate) fn patient_data(ctx: &Ctx<'_>, store_id: StoreId, what: String, exported: bool) {
    ctx.incidents.borrow_mut().push(Incident {
        event: if exported {
            "patient_data_exported"
        } else {
            "patient_data_viewed"
        },
        user_name: clip(&ctx.actor.name),
        user_id: Some(ctx.actor.id),
        actor_id: Some(ctx.actor.id),
        store_id: Some(store_id),
        action: Some(what.clone()),
        outcome: if exported { "exported" } else { "viewed" },
        detail: what,
    });
}

/// Writes one incident in the caller's transaction.
pub(crate) fn record(tx: &Transaction<'_>, now: DateTime<Utc>, i: &Incident) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO security_log (id, store_id, occurred_at, event, user_name, user_id, actor_id, action, outcome, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        Uuid::now_v7().to_string(),
        i.store_id,
        now.to_rfc3339_opts(SecondsFormat::Millis, true),
        i.event,
        i.user_name,
        i.user_id,
        i.actor_id,
        i.action,
        i.outcome,
        i.detail
    ])?;
    Ok(())
}

/// Writes the incidents an operation collected, after its transaction, and
/// counts wrong approval PINs against the approver (which may lock them).
pub(crate) fn persist(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    installation: crate::ids::InstallationId,
    list: &[Incident],
) -> Result<()> {
    for i in list {
        let mut i = i.clone();
        let mut locked = None;
        if i.event == "approval_failed" && i.outcome == "wrong_pin" {
            if let Some(until) = crate::auth::count_failed_approval(tx, &i.user_name, now)? {
                i.detail = format!("{}; approver locked until {until}", i.detail);
                locked = Some(until);
            }
        }
        record(tx, now, &i)?;
        // A refused approval is also an event of the store's chain, written
        // by whoever asked for it (the request itself was rolled back).
        if let (Some(store), Some(actor), "approval_failed") = (i.store_id, i.actor_id, i.event) {
            let stamp = crate::audit::Stamp {
                tx,
                user_id: actor,
                created_at: now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
                installation,
            };
            let action = i.action.clone().unwrap_or_default();
            let payload = crate::audit::Payload::about("approval", &action, &action).with_data(
                serde_json::json!({"approver": i.user_name, "outcome": i.outcome, "detail": i.detail}),
            )?;
            crate::audit::record_stamped(
                &stamp,
                store,
                crate::audit::ChangeType::ApprovalRefused,
                &payload,
            )?;
            if let (Some(until), Some(user)) = (locked, i.user_id) {
                let payload = crate::audit::Payload::about("user", user, &i.user_name)
                    .with_data(serde_json::json!({"locked_until": until}))?;
                crate::audit::record_stamped(
                    &stamp,
                    store,
                    crate::audit::ChangeType::UserLockedOut,
                    &payload,
                )?;
            }
        }
    }
    Ok(())
}

/// One security log entry.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SecurityLogEntry {
    /// Id.
    pub id: String,
    /// When (UTC).
    pub occurred_at: String,
    /// `sign_in_failed`, `approval_failed`, `patient_data_viewed` or
    /// `patient_data_exported`.
    pub event: String,
    /// The name typed.
    pub user_name: String,
    /// The user it matched.
    pub user_id: Option<UserId>,
    /// Who was signed in when an approval failed.
    pub actor_id: Option<UserId>,
    /// Their name.
    pub actor_name: Option<String>,
    /// What needed approval.
    pub action: Option<String>,
    /// `wrong_pin`, `unknown_user`, `locked`, `not_a_manager`, `deactivated`
    /// (failures); `viewed` or `exported` (patients' data).
    pub outcome: String,
    /// Message shown at the time.
    pub detail: Option<String>,
}

/// `list_security_log`: failed sign-ins and approvals, and every view or
/// export of patients' data, newest first: a
/// store's entries for those who may read its audit trail, the entries
/// that name no store (sign-ins) for those who may read every store's.
///
/// - Every failed sign-in (unknown user, wrong PIN, locked, deactivated) and every failed
///   manager approval (with who asked, `actor_name`, and for what, `action`). `outcome`
///   is `wrong_pin`, `unknown_user`, `locked`, `not_a_manager` or `deactivated`.
/// - Every view (`patient_data_viewed`) or export (`patient_data_exported`) of patients'
///   data — a patient's history, a vial's draws, a lot's trace — with whose or which lot's
///   in `action`.
/// - A failed approval rolls its request back, so the entry is written after the
///   rollback, in a transaction of its own. A wrong approval PIN counts towards the
///   manager's lockout like a failed sign-in.
/// - `from` (inclusive, RFC 3339); newest first; `limit` 1–5000 (default 200).
/// - The CLI's `--user` is not a sign-in (no PIN is asked), so an unknown name there
///   (`unauthenticated`) is not logged.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListSecurityLog {
    /// From this instant (inclusive).
    #[ts(optional, type = "string")]
    pub from: Option<DateTime<Utc>>,
    /// Maximum entries (default 200, at most 5000).
    #[ts(optional)]
    pub limit: Option<u32>,
}

impl Operation for ListSecurityLog {
    const NAME: &'static str = "list_security_log";
    const SUMMARY: &'static str = "Failed sign-ins and failed manager approvals, newest first";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = Vec<SecurityLogEntry>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<SecurityLogEntry>> {
        let limit = i64::from(self.limit.unwrap_or(200).clamp(1, 5000));
        let from = self
            .from
            .map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true));
        let mut stmt = ctx.tx.prepare(
            "SELECT s.id, s.occurred_at, s.event, s.user_name, s.user_id, s.actor_id, u.name, s.action, s.outcome, s.detail
               FROM security_log s LEFT JOIN users u ON u.id = s.actor_id
              WHERE (?1 IS NULL OR s.occurred_at >= ?1)
                AND (s.store_id IN (SELECT value FROM json_each(?3)) OR (s.store_id IS NULL AND ?4))
              ORDER BY s.occurred_at DESC, s.id DESC LIMIT ?2",
        )?;
        // A store's entries go to those who may read its audit; sign-ins,
        // which name no store, to those who may read every store's.
        let stores = ctx.stores_json()?;
        let every_store = ctx.check_every_store().is_ok();
        let rows = stmt.query_map(params![from, limit, stores, every_store], |r| {
            Ok(SecurityLogEntry {
                id: r.get(0)?,
                occurred_at: r.get(1)?,
                event: r.get(2)?,
                user_name: r.get(3)?,
                user_id: r.get(4)?,
                actor_id: r.get(5)?,
                actor_name: r.get(6)?,
                action: r.get(7)?,
                outcome: r.get(8)?,
                detail: r.get(9)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
