//! Manager approval at the point of action: the one service every area calls
//! when an action may go beyond the acting user's own authority — till
//! discounts, price overrides, refunds and voids, stock adjustments today;
//! counts, purchase orders, waste and transfers as they arrive.
//!
//! Why one service in the core: the rules must not depend on which screen a
//! manager types their PIN into. Here, and only here:
//! - who may approve: managers and admins, who also approve their own
//!   actions (the role's limits; cashiers and practitioners are bound by
//!   the store's thresholds);
//! - the PIN check, whose refusals (unknown name, wrong PIN, locked,
//!   deactivated, not a manager) are queued for the security log in one
//!   shape, and whose wrong PINs count against the approver and lock them
//!   exactly like failed sign-ins;
//! - credentials that come with a request are always checked, needed or
//!   not: a wrong PIN never passes silently.
//!
//! An area decides only whether its action is over the actor's limits (its
//! thresholds live with its settings) and what a missing approval means for
//! it: the till refuses the action, an adjustment waits for a manager.

use crate::ids::{StoreId, UserId};
use crate::op::Ctx;
use crate::{Error, Result};

/// What an action needs when nobody approved it yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfMissing {
    /// The request fails with `approval_required` (till actions: the cashier
    /// calls a manager over and sends the request again with their PIN).
    Refuse,
    /// The action is recorded as pending and a manager decides later (stock
    /// adjustments).
    Wait,
}

/// What the amount and the limit of an approval measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApprovalMeasure {
    /// Money in the store's currency (a refund, a sale's total, a price, a value at cost).
    Money,
    /// A percentage (a discount).
    Percent,
    /// A quantity in the product's unit (a stock adjustment).
    Quantity,
}

/// How far an action goes: the figure a manager approves and the limit it
/// passes, as every area fills it in for `approval_required`'s details.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Over {
    /// What the figures measure.
    pub measure: ApprovalMeasure,
    /// The amount, percentage or quantity (a decimal string, e.g. "5070.00").
    pub amount: String,
    /// The limit it goes past; `None` when every such action needs approval.
    pub limit: Option<String>,
}

impl Over {
    /// An amount over a limit.
    pub fn by(measure: ApprovalMeasure, amount: impl ToString, limit: impl ToString) -> Over {
        Over {
            measure,
            amount: amount.to_string(),
            limit: Some(limit.to_string()),
        }
    }

    /// An amount for an action that always needs approval.
    pub fn always(measure: ApprovalMeasure, amount: impl ToString) -> Over {
        Over {
            measure,
            amount: amount.to_string(),
            limit: None,
        }
    }
}

/// `approval_required` with the facts a manager approves: what, how much,
/// over which limit, asked by whom.
pub fn required(
    reason: String,
    ask_approver: bool,
    over: Option<&Over>,
    requested_by: &str,
) -> Error {
    Error::ApprovalRequired {
        reason,
        ask_approver,
        measure: over.map(|o| o.measure),
        amount: over.map(|o| o.amount.clone()),
        limit: over.and_then(|o| o.limit.clone()),
        requested_by: Some(requested_by.to_string()),
    }
}

/// One request for approval, as every area fills it in.
#[derive(Clone, Copy, Debug)]
pub struct Approval<'a> {
    /// What needs approving, in the words of messages and the security log
    /// ("a void", "a stock adjustment").
    pub action: &'a str,
    /// The store the action happens in, for the security log.
    pub store_id: Option<StoreId>,
    /// Whether the action is over a non-manager's limits (the area compares
    /// its amount with the store's threshold; `true` for actions no cashier
    /// may take alone).
    pub needed: bool,
    /// The approving manager's name, when one came with the request.
    pub approver_name: Option<&'a str>,
    /// Their PIN.
    pub approver_pin: Option<&'a str>,
    /// What happens when approval is needed and none came.
    pub if_missing: IfMissing,
    /// The figure to approve and the limit it passes, for the manager to see.
    pub over: Option<&'a Over>,
}

/// How an approver approved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApprovedBy {
    /// The acting user is a manager: their own action carries their approval.
    Actor,
    /// A manager's name and PIN came with the request and checked out.
    Pin,
}

/// Who approved an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Approver {
    /// The approving user.
    pub id: UserId,
    /// Their name.
    pub name: String,
    /// Whether they acted themselves or gave their PIN.
    pub by: ApprovedBy,
}

/// Approves an action, or says why not. Returns who approved: the acting
/// manager, or the manager whose PIN came with the request; `None` when the
/// action was within the actor's limits and nobody was named, or when it
/// needs approval, none came and the area waits ([`IfMissing::Wait`]).
///
/// Errors: `invalid_input` for a name without a PIN or a PIN without a name;
/// `approval_required` for a refused approver (wrong name or PIN, deactivated)
/// or a missing approval the area refuses; `locked` for an approver locked
/// after repeated wrong PINs; `forbidden` for an approver who is not a
/// manager. Every refused approver is queued for the security log.
pub fn approve(ctx: &Ctx<'_>, a: Approval<'_>) -> Result<Option<Approver>> {
    let name = a.approver_name.map(str::trim).filter(|n| !n.is_empty());
    let offered = match (name, a.approver_pin) {
        (Some(name), Some(pin)) => Some(check_pin(ctx, &a, name, pin)?),
        (None, None) => None,
        (Some(_), None) => {
            return Err(Error::invalid(
                "approver_pin",
                "give the approver's PIN with their name",
            ))
        }
        (None, Some(_)) => {
            return Err(Error::invalid(
                "approver_name",
                "give the approver's name with their PIN",
            ))
        }
    };
    // A manager approves their own action only in a store they manage.
    let manages = match a.store_id {
        Some(store) => ctx.is_manager_at(store),
        None => ctx.actor.role.is_manager(),
    };
    if manages && (a.needed || offered.is_some()) {
        let approver = Approver {
            id: ctx.actor.id,
            name: ctx.actor.name.clone(),
            by: ApprovedBy::Actor,
        };
        if a.needed {
            record_granted(ctx, &a, &approver)?;
        }
        return Ok(Some(approver));
    }
    match (offered, a.needed, a.if_missing) {
        (Some(approver), _, _) => {
            record_granted(ctx, &a, &approver)?;
            Ok(Some(approver))
        }
        (None, false, _) | (None, true, IfMissing::Wait) => Ok(None),
        (None, true, IfMissing::Refuse) => Err(required(
            format!("{} needs a manager's approval", a.action),
            true,
            a.over,
            &ctx.actor.name,
        )),
    }
}

/// Records who approved what in the store's chain ("who approved this
/// discount" is then a filter away, besides the approver stored with the
/// discount, void or adjustment itself).
fn record_granted(ctx: &Ctx<'_>, a: &Approval<'_>, approver: &Approver) -> Result<()> {
    let Some(store) = a.store_id else {
        return Ok(());
    };
    let payload = crate::audit::Payload::about("approval", a.action, a.action).with_data(
        serde_json::json!({
            "approver_id": approver.id,
            "approver": approver.name,
            "by": match approver.by {
                ApprovedBy::Actor => "their own action",
                ApprovedBy::Pin => "PIN at the point of action",
            },
            "asked_by": ctx.actor.name,
        }),
    )?;
    crate::audit::record(
        ctx,
        store,
        crate::audit::ChangeType::ApprovalGranted,
        &payload,
    )
    .map(|_| ())
}

/// Checks the manager's name and PIN; a refusal is queued for the security
/// log (written after the request's rollback, where a wrong PIN also counts
/// against that manager's attempts).
fn check_pin(ctx: &Ctx<'_>, a: &Approval<'_>, name: &str, pin: &str) -> Result<Approver> {
    // Only a manager of the store the action happens in approves it.
    match crate::auth::check_manager_pin_at(ctx.tx, name, pin, ctx.now, a.store_id) {
        Ok(m) => Ok(Approver {
            id: m.id,
            name: m.name,
            by: ApprovedBy::Pin,
        }),
        Err(f) => {
            crate::security::approval_failed(ctx, a.store_id, name, a.action, &f);
            // A refused PIN still says what was to be approved.
            Err(match f.error {
                Error::ApprovalRequired {
                    reason,
                    ask_approver,
                    ..
                } => required(reason, ask_approver, a.over, &ctx.actor.name),
                e => e,
            })
        }
    }
}

/// One user who may approve in a store.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export)]
pub struct StoreApprover {
    /// The user.
    pub id: UserId,
    /// Their name, exactly as the approval wants it back.
    pub name: String,
}

/// The users who may approve in the store (default: the user's): active, a manager or admin
/// there, with a PIN set. Ordered by name. For the till's approval dialog, where the manager
/// picks their name instead of typing it; only ids and names, so any role working in the
/// store may ask.
#[derive(Clone, Debug, Default, serde::Deserialize, ts_rs::TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ListApprovers {
    /// Store (default: the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
}

impl crate::Operation for ListApprovers {
    const NAME: &'static str = "list_approvers";
    const SUMMARY: &'static str =
        "The managers and admins who may approve in the store (ids and names, for a picker)";
    const PERMISSION: crate::auth::Permission = crate::auth::Permission::ViewInventory;
    const WRITES: bool = false;
    type Output = Vec<StoreApprover>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<StoreApprover>> {
        let store = ctx.store(self.store_id)?;
        let mut stmt = ctx.tx.prepare_cached(
            "SELECT u.id, u.name FROM user_stores us JOIN users u ON u.id = us.user_id
              WHERE us.store_id = ?1 AND us.role IN ('manager', 'admin') AND u.is_active = 1
                AND u.pin_hash IS NOT NULL
              ORDER BY u.name COLLATE NOCASE, u.id",
        )?;
        let rows = stmt.query_map([store.id], |r| {
            Ok(StoreApprover {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
