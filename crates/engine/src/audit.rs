//! The audit ledger: every inventory change as an immutable, hash-chained event.
//!
//! Events are appended in the same transaction as the change they record.
//! Each store's events form a chain: `seq` counts 1, 2, 3… per store and
//! `hash = SHA-256(previous hash ‖ canonical event bytes)`, so an edited, deleted
//! or reordered event breaks every hash after it. The table's triggers refuse
//! UPDATE and DELETE; corrections are new events. `seq` is also the sync cursor.

use crate::auth::Permission;
use crate::ids::{BatchId, EventId, InstallationId, ProductId, StoreId, UserId};
use crate::num::Qty;
use crate::op::{Ctx, Operation};
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use ts_rs::TS;

/// The hash a store's first event chains from.
pub use pharmapos_protocol::GENESIS_HASH;
use pharmapos_protocol::{Canonical, FORMAT_V1, FORMAT_V2};

/// What kind of change an event records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ChangeType {
    /// Stock received from a supplier.
    Receipt,
    /// Stock taken by a sale (FEFO).
    Allocated,
    /// A hold placed on a batch.
    Reserved,
    /// A hold released.
    Release,
    /// A hold turned into a sale.
    ConfirmReserve,
    /// A manual adjustment (approved or below the threshold).
    Adjustment,
    /// A whole batch written off.
    Writeoff,
    /// A batch marked expired.
    Expired,
    /// Sent to another store.
    TransferOut,
    /// Received from another store.
    TransferIn,
    /// A physical count's variance.
    Reconciliation,
    /// Clinical use on a patient.
    TreatmentUse,
    /// Recorded waste.
    Waste,
    /// A batch recalled.
    Recall,
    /// A batch put in or out of quarantine.
    StatusChange,
    /// Stock returned by a customer onto its batch.
    Return,
    /// Stock put back by voiding a sale.
    Void,
    /// A backorder recorded.
    BackorderCreated,
    /// A backorder cancelled.
    BackorderCancelled,
    /// A backorder (partly) fulfilled.
    BackorderFulfilled,
    /// An adjustment waiting for approval.
    AdjustmentRequested,
    /// A pending adjustment rejected.
    AdjustmentRejected,
    /// A receipt booked in error taken back off its batch.
    ReceiptReversed,
    // ---- Transfers between stores (each an event of the side that owns the step)
    /// A transfer drafted at its source (its lines).
    TransferCreated,
    /// A transfer asked for approval at its source.
    TransferRequested,
    /// A transfer approved by a manager of its source.
    TransferApproved,
    /// A transfer shipped: the whole shipment (lots with batch number, expiry, cost), what the destination receives from.
    TransferShipped,
    /// Stock of a transfer received at its destination (what arrived, what was short or damaged).
    TransferReceived,
    /// A transfer cancelled before it shipped.
    TransferCancelled,
    /// A transfer's short or damaged quantity recorded at its destination.
    TransferDiscrepancy,
    /// A transfer discrepancy's resolution at the source (applied, or waiting for a manager).
    TransferDiscrepancyResolved,
    /// A pending resolution of a transfer discrepancy refused by a manager.
    TransferDiscrepancyRejected,
    /// A transfer shipped to this store from another database file, arrived
    /// through the central server (the destination's copy made).
    TransferIncoming,
    /// The other end's step on a transfer between files applied here (the
    /// destination's receipt at the source; the source's resolution of a
    /// discrepancy at the destination).
    TransferSynced,
    // ---- Purchasing (the ordering store's events)
    /// A purchase order drafted (its lines and totals).
    PurchaseOrderCreated,
    /// A draft purchase order changed.
    PurchaseOrderUpdated,
    /// A purchase order submitted to its vendor (or waiting for a manager when over the store's limit).
    PurchaseOrderSubmitted,
    /// A purchase order over the limit approved by a manager.
    PurchaseOrderApproved,
    /// A purchase order waiting for approval sent back to draft, with the reason.
    PurchaseOrderRejected,
    /// A purchase order confirmed by its vendor.
    PurchaseOrderConfirmed,
    /// A purchase order shipped by its vendor (carrier, tracking).
    PurchaseOrderShipped,
    /// A receipt against a purchase order (its lines; stock arrives as `receipt` events).
    PurchaseOrderReceived,
    /// A purchase order cancelled (or, partly received, closed: the rest cancelled).
    PurchaseOrderCancelled,
    /// What the store has paid its vendor for an order (unpaid, partly, in full).
    PurchaseOrderPayment,
    // ---- Catalogue (head office's data; recorded in the acting store's chain)
    /// A product created.
    ProductCreated,
    /// A product's fields changed (price, tax, flags, barcodes…), before → after.
    ProductUpdated,
    /// A product deleted (soft).
    ProductDeleted,
    /// A category created.
    CategoryCreated,
    /// A supplier created.
    SupplierCreated,
    /// A supplier's fields changed.
    SupplierUpdated,
    /// A customer created (typed in, or imported).
    CustomerCreated,
    /// A customer's details changed.
    CustomerUpdated,
    // ---- People
    /// A user created.
    UserCreated,
    /// A user's name or home store changed.
    UserUpdated,
    /// A user's role changed.
    UserRoleChanged,
    /// A user's PIN set or reset (the PIN itself is never recorded).
    UserPinReset,
    /// A user deactivated.
    UserDeactivated,
    /// A user reactivated.
    UserReactivated,
    // ---- Settings
    /// A store created.
    StoreCreated,
    /// A store's details or approval thresholds changed.
    StoreUpdated,
    /// The store's till and receipt settings changed.
    SettingsChanged,
    // ---- Sales
    /// A shift opened with its float.
    ShiftOpened,
    /// A shift closed with its cash figures (the Z report).
    ShiftClosed,
    /// A sale completed: the whole document (lines, batches, payments, totals).
    SaleCompleted,
    /// Items of a sale returned: the return document.
    SaleReturned,
    /// A sale voided.
    SaleVoided,
    // ---- Security
    /// A user signed in.
    UserSignedIn,
    /// A user locked out after too many wrong PINs.
    UserLockedOut,
    /// A manager approved an action at the point of action.
    ApprovalGranted,
    /// An approval was refused (wrong PIN, not a manager, over the limit).
    ApprovalRefused,
    /// A backup of the store file was taken.
    BackupTaken,
    /// The store file was restored from a backup.
    Restored,
    // ---- Clinic (patients' details stay out of the record: it names them by id and chart id)
    /// A patient registered.
    PatientCreated,
    /// A patient's details changed (which fields, not their values).
    PatientUpdated,
    /// A vial opened (lot, units, reconstitution, its clocks).
    VialOpened,
    /// A vial closed (why, what was left and wasted, its economics).
    VialClosed,
    /// A treatment: patient, practitioner, areas, lots and units.
    TreatmentRecorded,
    /// Waste recorded (reason, lot, vial, cost).
    WasteRecorded,
    /// A clinic's window for opened vials of a product set or cleared.
    VialPolicySet,
    /// A recall recorded for one or more lots.
    RecallRecorded,
    /// Stock sent back to its supplier (a held lot disposed of).
    SupplierReturn,
    /// The store's clinic settings changed.
    ClinicSettingsChanged,
    // ---- Alerts and cold chain
    /// An alert raised (by a sweep or an operation).
    AlertRaised,
    /// An open alert's severity raised.
    AlertEscalated,
    /// An alert acknowledged.
    AlertAcknowledged,
    /// An alert resolved (by a person, or because its cause went away).
    AlertResolved,
    /// An alert dismissed.
    AlertDismissed,
    /// An alert announced to someone outside the alert centre (a desktop
    /// notification): who, on which channel, at which till.
    AlertNotified,
    /// A storage location created or changed.
    StorageLocationSaved,
    /// A lot put in a storage location.
    LotLocated,
    /// Temperature readings recorded (typed in or imported).
    ReadingsRecorded,
    /// A temperature excursion found: its lots held.
    ExcursionRecorded,
    /// A physical count created (draft), with its type and scope.
    CountCreated,
    /// Counting started: every line's system quantity snapshotted.
    CountStarted,
    /// Counting finished: variances computed.
    CountCompleted,
    /// A count's variances approved by a manager.
    CountApproved,
    /// A count posted: its `reconciliation` moves written.
    CountPosted,
    /// A count cancelled, with the reason.
    CountCancelled,
    /// Seed 003's one-shot reconciliation recorded (its moves are `reconciliation` events).
    InventoryReconciled,
    // ---- Sync
    /// The store's link to the central server set or changed (its URL).
    SyncConfigured,
}

/// The audit screen's groups of kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum EventCategory {
    /// Stock moves and their requests (the seed's change types).
    Stock,
    /// Products, prices, categories, suppliers.
    Catalogue,
    /// Users, roles, PINs.
    People,
    /// Shifts and sale documents.
    Sales,
    /// Store, till and receipt settings.
    Settings,
    /// Sign-ins, lockouts, approvals, backups and restores.
    Security,
    /// Patients, vial sessions, treatments, waste records, recalls.
    Clinic,
    /// Alerts, storage locations, temperature readings and excursions.
    Alerts,
}

impl EventCategory {
    /// The stored name (NULL in the table for `stock`, see migration V6).
    pub fn as_str(self) -> &'static str {
        match self {
            EventCategory::Stock => "stock",
            EventCategory::Catalogue => "catalogue",
            EventCategory::People => "people",
            EventCategory::Sales => "sales",
            EventCategory::Settings => "settings",
            EventCategory::Security => "security",
            EventCategory::Clinic => "clinic",
            EventCategory::Alerts => "alerts",
        }
    }

    fn stored(self) -> Option<&'static str> {
        (self != EventCategory::Stock).then_some(self.as_str())
    }
}

impl ChangeType {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Receipt => "receipt",
            ChangeType::Allocated => "allocated",
            ChangeType::Reserved => "reserved",
            ChangeType::Release => "release",
            ChangeType::ConfirmReserve => "confirm_reserve",
            ChangeType::Adjustment => "adjustment",
            ChangeType::Writeoff => "writeoff",
            ChangeType::Expired => "expired",
            ChangeType::TransferOut => "transfer_out",
            ChangeType::TransferIn => "transfer_in",
            ChangeType::Reconciliation => "reconciliation",
            ChangeType::TreatmentUse => "treatment_use",
            ChangeType::Waste => "waste",
            ChangeType::Recall => "recall",
            ChangeType::StatusChange => "status_change",
            ChangeType::Return => "return",
            ChangeType::Void => "void",
            ChangeType::BackorderCreated => "backorder_created",
            ChangeType::BackorderCancelled => "backorder_cancelled",
            ChangeType::BackorderFulfilled => "backorder_fulfilled",
            ChangeType::AdjustmentRequested => "adjustment_requested",
            ChangeType::AdjustmentRejected => "adjustment_rejected",
            ChangeType::ReceiptReversed => "receipt_reversed",
            ChangeType::TransferCreated => "transfer_created",
            ChangeType::TransferRequested => "transfer_requested",
            ChangeType::TransferApproved => "transfer_approved",
            ChangeType::TransferShipped => "transfer_shipped",
            ChangeType::TransferReceived => "transfer_received",
            ChangeType::TransferCancelled => "transfer_cancelled",
            ChangeType::TransferDiscrepancy => "transfer_discrepancy",
            ChangeType::TransferDiscrepancyResolved => "transfer_discrepancy_resolved",
            ChangeType::TransferDiscrepancyRejected => "transfer_discrepancy_rejected",
            ChangeType::TransferIncoming => "transfer_incoming",
            ChangeType::TransferSynced => "transfer_synced",
            ChangeType::PurchaseOrderCreated => "purchase_order_created",
            ChangeType::PurchaseOrderUpdated => "purchase_order_updated",
            ChangeType::PurchaseOrderSubmitted => "purchase_order_submitted",
            ChangeType::PurchaseOrderApproved => "purchase_order_approved",
            ChangeType::PurchaseOrderRejected => "purchase_order_rejected",
            ChangeType::PurchaseOrderConfirmed => "purchase_order_confirmed",
            ChangeType::PurchaseOrderShipped => "purchase_order_shipped",
            ChangeType::PurchaseOrderReceived => "purchase_order_received",
            ChangeType::PurchaseOrderCancelled => "purchase_order_cancelled",
            ChangeType::PurchaseOrderPayment => "purchase_order_payment",
            ChangeType::ProductCreated => "product_created",
            ChangeType::ProductUpdated => "product_updated",
            ChangeType::ProductDeleted => "product_deleted",
            ChangeType::CategoryCreated => "category_created",
            ChangeType::SupplierCreated => "supplier_created",
            ChangeType::SupplierUpdated => "supplier_updated",
            ChangeType::CustomerCreated => "customer_created",
            ChangeType::CustomerUpdated => "customer_updated",
            ChangeType::UserCreated => "user_created",
            ChangeType::UserUpdated => "user_updated",
            ChangeType::UserRoleChanged => "user_role_changed",
            ChangeType::UserPinReset => "user_pin_reset",
            ChangeType::UserDeactivated => "user_deactivated",
            ChangeType::UserReactivated => "user_reactivated",
            ChangeType::StoreCreated => "store_created",
            ChangeType::StoreUpdated => "store_updated",
            ChangeType::SettingsChanged => "settings_changed",
            ChangeType::ShiftOpened => "shift_opened",
            ChangeType::ShiftClosed => "shift_closed",
            ChangeType::SaleCompleted => "sale_completed",
            ChangeType::SaleReturned => "sale_returned",
            ChangeType::SaleVoided => "sale_voided",
            ChangeType::UserSignedIn => "user_signed_in",
            ChangeType::UserLockedOut => "user_locked_out",
            ChangeType::ApprovalGranted => "approval_granted",
            ChangeType::ApprovalRefused => "approval_refused",
            ChangeType::BackupTaken => "backup_taken",
            ChangeType::Restored => "restored",
            ChangeType::PatientCreated => "patient_created",
            ChangeType::PatientUpdated => "patient_updated",
            ChangeType::VialOpened => "vial_opened",
            ChangeType::VialClosed => "vial_closed",
            ChangeType::TreatmentRecorded => "treatment_recorded",
            ChangeType::WasteRecorded => "waste_recorded",
            ChangeType::VialPolicySet => "vial_policy_set",
            ChangeType::RecallRecorded => "recall_recorded",
            ChangeType::SupplierReturn => "supplier_return",
            ChangeType::ClinicSettingsChanged => "clinic_settings_changed",
            ChangeType::AlertRaised => "alert_raised",
            ChangeType::AlertEscalated => "alert_escalated",
            ChangeType::AlertAcknowledged => "alert_acknowledged",
            ChangeType::AlertResolved => "alert_resolved",
            ChangeType::AlertDismissed => "alert_dismissed",
            ChangeType::AlertNotified => "alert_notified",
            ChangeType::StorageLocationSaved => "storage_location_saved",
            ChangeType::LotLocated => "lot_located",
            ChangeType::ReadingsRecorded => "readings_recorded",
            ChangeType::ExcursionRecorded => "excursion_recorded",
            ChangeType::CountCreated => "count_created",
            ChangeType::CountStarted => "count_started",
            ChangeType::CountCompleted => "count_completed",
            ChangeType::CountApproved => "count_approved",
            ChangeType::CountPosted => "count_posted",
            ChangeType::CountCancelled => "count_cancelled",
            ChangeType::InventoryReconciled => "inventory_reconciled",
            ChangeType::SyncConfigured => "sync_configured",
        }
    }

    /// Every kind, for parsing and listings.
    pub const ALL: &'static [ChangeType] = &[
        ChangeType::Receipt,
        ChangeType::Allocated,
        ChangeType::Reserved,
        ChangeType::Release,
        ChangeType::ConfirmReserve,
        ChangeType::Adjustment,
        ChangeType::Writeoff,
        ChangeType::Expired,
        ChangeType::TransferOut,
        ChangeType::TransferIn,
        ChangeType::Reconciliation,
        ChangeType::TreatmentUse,
        ChangeType::Waste,
        ChangeType::Recall,
        ChangeType::StatusChange,
        ChangeType::Return,
        ChangeType::Void,
        ChangeType::BackorderCreated,
        ChangeType::BackorderCancelled,
        ChangeType::BackorderFulfilled,
        ChangeType::AdjustmentRequested,
        ChangeType::AdjustmentRejected,
        ChangeType::ReceiptReversed,
        ChangeType::TransferCreated,
        ChangeType::TransferRequested,
        ChangeType::TransferApproved,
        ChangeType::TransferShipped,
        ChangeType::TransferReceived,
        ChangeType::TransferCancelled,
        ChangeType::TransferDiscrepancy,
        ChangeType::TransferDiscrepancyResolved,
        ChangeType::TransferDiscrepancyRejected,
        ChangeType::TransferIncoming,
        ChangeType::TransferSynced,
        ChangeType::PurchaseOrderCreated,
        ChangeType::PurchaseOrderUpdated,
        ChangeType::PurchaseOrderSubmitted,
        ChangeType::PurchaseOrderApproved,
        ChangeType::PurchaseOrderRejected,
        ChangeType::PurchaseOrderConfirmed,
        ChangeType::PurchaseOrderShipped,
        ChangeType::PurchaseOrderReceived,
        ChangeType::PurchaseOrderCancelled,
        ChangeType::PurchaseOrderPayment,
        ChangeType::ProductCreated,
        ChangeType::ProductUpdated,
        ChangeType::ProductDeleted,
        ChangeType::CategoryCreated,
        ChangeType::SupplierCreated,
        ChangeType::SupplierUpdated,
        ChangeType::CustomerCreated,
        ChangeType::CustomerUpdated,
        ChangeType::UserCreated,
        ChangeType::UserUpdated,
        ChangeType::UserRoleChanged,
        ChangeType::UserPinReset,
        ChangeType::UserDeactivated,
        ChangeType::UserReactivated,
        ChangeType::StoreCreated,
        ChangeType::StoreUpdated,
        ChangeType::SettingsChanged,
        ChangeType::ShiftOpened,
        ChangeType::ShiftClosed,
        ChangeType::SaleCompleted,
        ChangeType::SaleReturned,
        ChangeType::SaleVoided,
        ChangeType::UserSignedIn,
        ChangeType::UserLockedOut,
        ChangeType::ApprovalGranted,
        ChangeType::ApprovalRefused,
        ChangeType::BackupTaken,
        ChangeType::Restored,
        ChangeType::PatientCreated,
        ChangeType::PatientUpdated,
        ChangeType::VialOpened,
        ChangeType::VialClosed,
        ChangeType::TreatmentRecorded,
        ChangeType::WasteRecorded,
        ChangeType::VialPolicySet,
        ChangeType::RecallRecorded,
        ChangeType::SupplierReturn,
        ChangeType::ClinicSettingsChanged,
        ChangeType::AlertRaised,
        ChangeType::AlertEscalated,
        ChangeType::AlertAcknowledged,
        ChangeType::AlertResolved,
        ChangeType::AlertDismissed,
        ChangeType::AlertNotified,
        ChangeType::StorageLocationSaved,
        ChangeType::LotLocated,
        ChangeType::ReadingsRecorded,
        ChangeType::ExcursionRecorded,
        ChangeType::CountCreated,
        ChangeType::CountStarted,
        ChangeType::CountCompleted,
        ChangeType::CountApproved,
        ChangeType::CountPosted,
        ChangeType::CountCancelled,
        ChangeType::InventoryReconciled,
        ChangeType::SyncConfigured,
    ];

    /// Parses a stored kind.
    pub fn parse(s: &str) -> Option<ChangeType> {
        Self::ALL.iter().copied().find(|k| k.as_str() == s)
    }

    /// The audit screen's group this kind belongs to.
    pub fn category(self) -> EventCategory {
        use ChangeType::*;
        match self {
            ProductCreated | ProductUpdated | ProductDeleted | CategoryCreated
            | SupplierCreated | SupplierUpdated | CustomerCreated | CustomerUpdated => {
                EventCategory::Catalogue
            }
            UserCreated | UserUpdated | UserRoleChanged | UserPinReset | UserDeactivated
            | UserReactivated => EventCategory::People,
            StoreCreated | StoreUpdated | SettingsChanged | SyncConfigured => {
                EventCategory::Settings
            }
            ShiftOpened | ShiftClosed | SaleCompleted | SaleReturned | SaleVoided => {
                EventCategory::Sales
            }
            UserSignedIn | UserLockedOut | ApprovalGranted | ApprovalRefused | BackupTaken
            | Restored => EventCategory::Security,
            PatientCreated
            | PatientUpdated
            | VialOpened
            | VialClosed
            | TreatmentRecorded
            | WasteRecorded
            | VialPolicySet
            | RecallRecorded
            | ClinicSettingsChanged => EventCategory::Clinic,
            AlertRaised | AlertEscalated | AlertAcknowledged | AlertResolved | AlertDismissed
            | AlertNotified | StorageLocationSaved | LotLocated | ReadingsRecorded
            | ExcursionRecorded => EventCategory::Alerts,
            Receipt
            | Allocated
            | Reserved
            | Release
            | ConfirmReserve
            | Adjustment
            | Writeoff
            | Expired
            | TransferOut
            | TransferIn
            | Reconciliation
            | TreatmentUse
            | Waste
            | Recall
            | StatusChange
            | Return
            | Void
            | BackorderCreated
            | BackorderCancelled
            | BackorderFulfilled
            | AdjustmentRequested
            | AdjustmentRejected
            | ReceiptReversed
            | SupplierReturn
            | TransferCreated
            | TransferRequested
            | TransferApproved
            | TransferShipped
            | TransferReceived
            | TransferCancelled
            | TransferDiscrepancy
            | TransferDiscrepancyResolved
            | TransferDiscrepancyRejected
            | TransferIncoming
            | TransferSynced
            | PurchaseOrderCreated
            | PurchaseOrderUpdated
            | PurchaseOrderSubmitted
            | PurchaseOrderApproved
            | PurchaseOrderRejected
            | PurchaseOrderConfirmed
            | PurchaseOrderShipped
            | PurchaseOrderReceived
            | PurchaseOrderCancelled
            | PurchaseOrderPayment
            | CountCreated
            | CountStarted
            | CountCompleted
            | CountApproved
            | CountPosted
            | CountCancelled
            | InventoryReconciled => EventCategory::Stock,
        }
    }
}

/// An event to append.
pub struct NewEvent<'a> {
    /// Store whose chain it joins.
    pub store_id: StoreId,
    /// Batch concerned, if any.
    pub batch_id: Option<BatchId>,
    /// Product concerned, if any.
    pub product_id: Option<ProductId>,
    /// Kind of change.
    pub change_type: ChangeType,
    /// On-hand before, in thousandths (None for events that move no stock).
    pub previous_milli: Option<i64>,
    /// On-hand after, in thousandths.
    pub new_milli: Option<i64>,
    /// Sale, receipt, adjustment… this event belongs to.
    pub reference_id: Option<&'a str>,
    /// Reason or remark.
    pub notes: Option<&'a str>,
}

/// Who writes an event, and when: the operation's actor and instant, and
/// this file's installation. Setup, sign-in and backups have no operation
/// context, so they build one of these directly.
pub(crate) struct Stamp<'a> {
    pub tx: &'a Transaction<'a>,
    pub user_id: UserId,
    pub created_at: String,
    pub installation: InstallationId,
}

impl Ctx<'_> {
    pub(crate) fn stamp(&self) -> Stamp<'_> {
        Stamp {
            tx: self.tx,
            user_id: self.actor.id,
            created_at: self.now_str(),
            installation: self.installation,
        }
    }
}

/// Appends one event to its store's chain, inside the operation's transaction.
/// An event naming a batch links back to that batch's previous event and
/// becomes the batch's newest (`batches.last_event_seq`).
pub fn append(ctx: &Ctx<'_>, e: NewEvent<'_>) -> Result<EventId> {
    let batch_prev_seq: Option<i64> = match e.batch_id {
        Some(b) => ctx
            .tx
            .prepare_cached("SELECT last_event_seq FROM batches WHERE id = ?1")?
            .query_row([b], |r| r.get(0))
            .optional()?
            .flatten(),
        None => None,
    };
    let batch_id = e.batch_id;
    let (id, seq, _) = insert_event(&ctx.stamp(), e, batch_prev_seq, None)?;
    if let Some(b) = batch_id {
        ctx.tx
            .prepare_cached("UPDATE batches SET last_event_seq = ?2 WHERE id = ?1")?
            .execute(params![b, seq])?;
    }
    Ok(id)
}

/// Appends an event whose batch's previous event the caller knows (read
/// with the batch row in this operation); the caller then stores the
/// returned sequence as the batch's `last_event_seq`.
pub(crate) fn append_linked(
    ctx: &Ctx<'_>,
    e: NewEvent<'_>,
    batch_prev_seq: Option<i64>,
) -> Result<i64> {
    insert_event(&ctx.stamp(), e, batch_prev_seq, None).map(|(_, seq, _)| seq)
}

/// What a non-stock event is about.
#[derive(Clone, Debug, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Subject {
    /// `product`, `user`, `store`, `sale`, `shift`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The record's id.
    pub id: String,
    /// Its name or number, as it read when the event was written.
    pub name: String,
}

/// One field's value before and after a change, as display text (money with
/// its two places, dates as written). `None` is "not set".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    /// The field's name (`selling_price`, `role`, …).
    pub field: String,
    /// Before.
    pub before: Option<String>,
    /// After.
    pub after: Option<String>,
}

/// The canonical payload of a non-stock event: what it is about, what
/// changed, and the document itself where there is one (a sale's lines,
/// batches, payments and totals; a Z report's cash figures).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Payload {
    /// The record concerned.
    pub subject: Subject,
    /// Before → after of each changed field (empty for documents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// The document or extra facts, when the event carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
}

impl Payload {
    /// A payload about `kind` `id` named `name`.
    pub fn about(kind: &str, id: impl ToString, name: impl Into<String>) -> Payload {
        Payload {
            subject: Subject {
                kind: kind.into(),
                id: id.to_string(),
                name: name.into(),
            },
            changes: Vec::new(),
            data: None,
        }
    }

    /// With these field changes.
    pub fn with_changes(mut self, changes: Vec<FieldChange>) -> Payload {
        self.changes = changes;
        self
    }

    /// With a document or extra facts (serialised as they are).
    pub fn with_data(mut self, data: impl Serialize) -> Result<Payload> {
        self.data = Some(
            serde_json::to_value(data)
                .map_err(|e| Error::internal(format!("encoding event payload: {e}")))?,
        );
        Ok(self)
    }
}

/// The fields that differ between two serialised views of a record (top-level
/// keys; `updated_at`-style bookkeeping left out), as display text.
pub fn diff(before: &impl Serialize, after: &impl Serialize) -> Result<Vec<FieldChange>> {
    use serde_json::Value;
    let enc = |v: serde_json::Result<Value>| {
        v.map_err(|e| Error::internal(format!("encoding event payload: {e}")))
    };
    let (b, a) = (
        enc(serde_json::to_value(before))?,
        enc(serde_json::to_value(after))?,
    );
    let empty = serde_json::Map::new();
    let (bm, am) = (
        b.as_object().unwrap_or(&empty),
        a.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = bm.keys().chain(am.keys()).collect();
    keys.sort();
    keys.dedup();
    let text = |v: Option<&Value>| -> Option<String> {
        match v {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => Some(other.to_string()),
        }
    };
    Ok(keys
        .into_iter()
        .filter(|k| !matches!(k.as_str(), "updated_at" | "created_at" | "updated_by"))
        .filter(|k| bm.get(*k) != am.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: text(bm.get(k)),
            after: text(am.get(k)),
        })
        .collect())
}

/// Appends a non-stock event (catalogue, people, settings, sales documents,
/// security) to `store_id`'s chain in the operation's transaction.
pub fn record(
    ctx: &Ctx<'_>,
    store_id: StoreId,
    kind: ChangeType,
    payload: &Payload,
) -> Result<ChainHead> {
    record_stamped(&ctx.stamp(), store_id, kind, payload)
}

/// Records a change to a file-wide record (catalogue, people) as a before →
/// after event in the acting user's store's chain: head office's data has
/// no store of its own, and the store where the change was made is the one
/// accountable for it.
pub fn record_change(
    ctx: &Ctx<'_>,
    kind: ChangeType,
    subject: (&str, &str, &str),
    before: Option<&impl Serialize>,
    after: &impl Serialize,
) -> Result<()> {
    let changes = match before {
        Some(b) => diff(b, after)?,
        None => Vec::new(),
    };
    let mut payload = Payload::about(subject.0, subject.1, subject.2).with_changes(changes);
    if before.is_none() {
        payload = payload.with_data(after)?;
    }
    for store in change_stores(ctx)? {
        record(ctx, store, kind, &payload)?;
    }
    Ok(())
}

/// The stores whose chains record a change to a file-wide record: the
/// acting user's home (or only) store; head office, which has no store,
/// records the change in every store this file owns, since the catalogue it
/// edits applies to each of them.
pub(crate) fn change_stores(ctx: &Ctx<'_>) -> Result<Vec<StoreId>> {
    Ok(match (ctx.actor.store_id, ctx.actor.stores.as_slice()) {
        (Some(home), _) => vec![home],
        (None, [only]) => vec![only.store_id],
        _ => owned_stores(ctx.tx, ctx.installation)?,
    })
}

/// [`record`] for writers without an operation context (setup, sign-in,
/// backup).
pub(crate) fn record_stamped(
    stamp: &Stamp<'_>,
    store_id: StoreId,
    kind: ChangeType,
    payload: &Payload,
) -> Result<ChainHead> {
    let text = serde_json::to_string(payload)
        .map_err(|e| Error::internal(format!("encoding event payload: {e}")))?;
    let (_, seq, hash) = insert_event(
        stamp,
        NewEvent {
            store_id,
            batch_id: None,
            product_id: None,
            change_type: kind,
            previous_milli: None,
            new_milli: None,
            reference_id: Some(&payload.subject.id),
            notes: None,
        },
        None,
        Some(&text),
    )?;
    Ok(ChainHead::new(store_id, seq, hash))
}

/// The stores `installation` owns, by code.
pub(crate) fn owned_stores(
    tx: &Transaction<'_>,
    installation: InstallationId,
) -> Result<Vec<StoreId>> {
    let mut stmt =
        tx.prepare_cached("SELECT id FROM stores WHERE installation_id = ?1 ORDER BY code")?;
    let ids = stmt
        .query_map([installation], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<StoreId>>>()?;
    Ok(ids)
}

/// Hex digits of a hash printed on paper (Z reports): 64 bits, enough that a
/// forged history matching a printed head is out of reach.
pub const SHORT_HASH: usize = 16;

/// The newest event of a store's chain: what a Z report prints, and what
/// `verify` can be given back to check the record against paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChainHead {
    /// The store.
    pub store_id: StoreId,
    /// Sequence number of the newest event.
    #[ts(type = "number")]
    pub seq: i64,
    /// Its full hash.
    pub hash: String,
    /// The first 16 hex digits, as printed.
    pub short_hash: String,
}

impl ChainHead {
    /// The head at event `seq` with `hash` (the short hash is derived).
    pub fn new(store_id: StoreId, seq: i64, hash: String) -> ChainHead {
        ChainHead {
            store_id,
            seq,
            short_hash: hash.chars().take(SHORT_HASH).collect(),
            hash,
        }
    }
}

/// The events of `store_id`'s record after `after_seq`, oldest first, at most
/// `limit`, in the form they travel to the central server (sync's push).
pub fn record_after(
    tx: &Transaction<'_>,
    store_id: StoreId,
    after_seq: i64,
    limit: i64,
) -> Result<Vec<pharmapos_protocol::RecordEvent>> {
    let mut stmt = tx.prepare_cached(
        "SELECT format, id, store_id, installation_id, seq, batch_id, product_id, change_type, previous_milli,
                new_milli, user_id, reference_id, notes, created_at, batch_prev_seq, payload, hash
           FROM inventory_audit WHERE store_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![store_id, after_seq, limit], |r| {
        Ok(pharmapos_protocol::RecordEvent {
            format: r.get(0)?,
            id: r.get(1)?,
            store_id: r.get(2)?,
            installation_id: r.get(3)?,
            seq: r.get(4)?,
            batch_id: r.get(5)?,
            product_id: r.get(6)?,
            change_type: r.get(7)?,
            previous_milli: r.get(8)?,
            new_milli: r.get(9)?,
            user_id: r.get(10)?,
            reference_id: r.get(11)?,
            notes: r.get(12)?,
            created_at: r.get(13)?,
            batch_prev_seq: r.get(14)?,
            payload: r.get(15)?,
            hash: r.get(16)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The newest event of `store_id`'s chain (None before its first event).
pub fn chain_head(tx: &Transaction<'_>, store_id: StoreId) -> Result<Option<ChainHead>> {
    Ok(last_event(tx, store_id)?.map(|(seq, hash)| ChainHead::new(store_id, seq, hash)))
}

/// `(seq, hash)` of a store's newest event: what the next event chains from.
fn last_event(tx: &Transaction<'_>, store_id: StoreId) -> Result<Option<(i64, String)>> {
    Ok(tx
        .prepare_cached(
            "SELECT seq, hash FROM inventory_audit WHERE store_id = ?1 ORDER BY seq DESC LIMIT 1",
        )?
        .query_row([store_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

fn insert_event(
    stamp: &Stamp<'_>,
    e: NewEvent<'_>,
    batch_prev_seq: Option<i64>,
    payload: Option<&str>,
) -> Result<(EventId, i64, String)> {
    let tx = stamp.tx;
    // Only the owning installation writes a store's record (a copied file
    // must not grow a second chain for the same store).
    let owner: Option<InstallationId> = tx
        .prepare_cached("SELECT installation_id FROM stores WHERE id = ?1")?
        .query_row([e.store_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found("store", e.store_id))?;
    if owner != Some(stamp.installation) {
        return Err(Error::StoreNotOwned {
            store: e.store_id.to_string(),
            owner: owner.map_or_else(|| "none".to_string(), |o| o.to_string()),
        });
    }
    let (last_seq, prev_hash) =
        last_event(tx, e.store_id)?.unwrap_or((0, GENESIS_HASH.to_string()));
    let id = EventId::new();
    let seq = last_seq + 1;
    let ids = (
        id.to_string(),
        e.store_id.to_string(),
        stamp.installation.to_string(),
        e.batch_id.map(|b| b.to_string()),
        e.product_id.map(|p| p.to_string()),
        stamp.user_id.to_string(),
    );
    let canon = Canonical {
        format: FORMAT_V2,
        id: &ids.0,
        store_id: &ids.1,
        installation_id: Some(&ids.2),
        seq,
        batch_id: ids.3.as_deref(),
        product_id: ids.4.as_deref(),
        change_type: e.change_type.as_str(),
        previous_milli: e.previous_milli,
        new_milli: e.new_milli,
        user_id: &ids.5,
        reference_id: e.reference_id,
        notes: e.notes,
        created_at: &stamp.created_at,
        batch_prev_seq,
        payload,
    };
    let hash = chain_hash(&prev_hash, &canon)?;
    tx.prepare_cached(
        "INSERT INTO inventory_audit (store_id, seq, id, batch_id, product_id, change_type, previous_milli, new_milli,
                                      user_id, reference_id, notes, created_at, batch_prev_seq, hash,
                                      format, installation_id, payload, category)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?
    .execute(params![
        e.store_id,
        seq,
        id,
        e.batch_id,
        e.product_id,
        canon.change_type,
        e.previous_milli,
        e.new_milli,
        stamp.user_id,
        e.reference_id,
        e.notes,
        stamp.created_at,
        batch_prev_seq,
        hash,
        FORMAT_V2,
        stamp.installation,
        payload,
        e.change_type.category().stored(),
    ])?;
    Ok((id, seq, hash))
}

/// The chain's hash of one event (the protocol crate's definition, which
/// the central server verifies with).
fn chain_hash(prev_hash: &str, c: &Canonical<'_>) -> Result<String> {
    pharmapos_protocol::chain_hash(prev_hash, c)
        .map_err(|e| Error::internal(format!("encoding audit event: {e}")))
}

/// One event as read back.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct AuditEvent {
    /// Event id.
    pub id: EventId,
    /// Store.
    pub store_id: StoreId,
    /// The installation that wrote it (None for events written before the
    /// file had an identity: those were written by the store's owner).
    pub installation_id: Option<InstallationId>,
    /// Position in the store's chain (1, 2, …).
    #[ts(type = "number")]
    pub seq: i64,
    /// Kind of event (`receipt`, `product_updated`, `sale_completed`, …).
    pub kind: String,
    /// Its group on the audit screen.
    pub category: EventCategory,
    /// What happened, in words.
    pub summary: String,
    /// Before → after of each changed field (catalogue, people, settings).
    pub changes: Vec<FieldChange>,
    /// The canonical payload as hashed (None for stock events).
    #[ts(type = "unknown")]
    pub payload: Option<serde_json::Value>,
    /// Batch, if any.
    pub batch_id: Option<BatchId>,
    /// Batch number, for display.
    pub batch_number: Option<String>,
    /// Product, if any.
    pub product_id: Option<ProductId>,
    /// Product name, for display.
    pub product_name: Option<String>,
    /// Kind of change (same as `kind`; the seed's name for stock events).
    pub change_type: String,
    /// On-hand before.
    pub previous_quantity: Option<Qty>,
    /// On-hand after.
    pub new_quantity: Option<Qty>,
    /// Acting user.
    pub user_id: UserId,
    /// Acting user's name.
    pub user_name: Option<String>,
    /// Linked record (sale, receipt, adjustment…).
    pub reference_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When (UTC, RFC 3339).
    pub created_at: String,
    /// Chain hash of this event.
    pub hash: String,
}

/// `get_audit_trail`: events filtered by store, category, kind, product,
/// batch and time, newest first, paged with `before_seq`.
///
/// - Unlike other commands, an omitted `store_id` means **every** store the
///   user may read (not the home store).
/// - `category` is `stock`, `catalogue`, `people`, `sales`, `settings` or
///   `security`; `change_type` any one kind (`receipt`, `product_updated`,
///   `sale_completed`, `user_role_changed`, …; see `ChangeType`). Each event
///   comes with `summary` (in words) and `changes` (before → after of each
///   changed field). Till sales, returns and voids reference the sale number
///   (`LEK-S-000001`).
/// - `from` (inclusive) and `to` (exclusive) are RFC 3339 instants. Newest first unless
///   `oldest_first`; `limit` 1–5000 (default 200); `before_seq` pages back.
/// - Every event has `seq` (1, 2, 3… per store) and `hash` = SHA-256(previous hash ‖
///   canonical event), so editing, deleting or reordering an event breaks the chain; the
///   table refuses UPDATE and DELETE.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct GetAuditTrail {
    /// Only this store's events.
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// Only this group (stock, catalogue, people, sales, settings, security).
    #[ts(optional)]
    pub category: Option<EventCategory>,
    /// Only this product.
    #[ts(optional)]
    pub product_id: Option<ProductId>,
    /// Only this batch.
    #[ts(optional)]
    pub batch_id: Option<BatchId>,
    /// Only this kind (e.g. "receipt", "product_updated").
    #[ts(optional)]
    pub change_type: Option<ChangeType>,
    /// From this instant (inclusive).
    #[ts(optional, type = "string")]
    pub from: Option<DateTime<Utc>>,
    /// Until this instant (exclusive).
    #[ts(optional, type = "string")]
    pub to: Option<DateTime<Utc>>,
    /// Only events before this sequence number (the next page: pass the
    /// last `seq` of the previous page; with one store in view).
    #[ts(optional, type = "number")]
    pub before_seq: Option<i64>,
    /// Maximum events (default 200, at most 5000).
    #[ts(optional)]
    pub limit: Option<u32>,
    /// Oldest first (default: newest first).
    #[ts(optional)]
    pub oldest_first: Option<bool>,
}

impl Operation for GetAuditTrail {
    const NAME: &'static str = "get_audit_trail";
    const SUMMARY: &'static str =
        "Audit events filtered by store, category, kind, product, batch and time";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = Vec<AuditEvent>;

    fn run(self, ctx: &Ctx<'_>) -> Result<Vec<AuditEvent>> {
        let limit = self.limit.unwrap_or(200).clamp(1, 5000);
        trail(ctx, &self, limit)
    }
}

/// `export_audit_csv`: the same filters as `get_audit_trail`, as CSV.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(transparent)]
#[ts(export)]
pub struct ExportAuditCsv(pub GetAuditTrail);

/// A CSV export.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct CsvExport {
    /// The file's text (UTF-8, header row first, RFC 4180 quoting).
    pub csv: String,
    /// Data rows written.
    pub rows: u32,
}

/// Rows in one CSV export: a year of a busy store's non-stock events fits;
/// page with `before_seq` or narrow the dates for more.
pub const MAX_EXPORT_ROWS: u32 = 100_000;

impl Operation for ExportAuditCsv {
    const NAME: &'static str = "export_audit_csv";
    const SUMMARY: &'static str = "The audit trail, filtered as get_audit_trail, as a CSV file";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = CsvExport;

    fn run(self, ctx: &Ctx<'_>) -> Result<CsvExport> {
        let limit = self
            .0
            .limit
            .unwrap_or(MAX_EXPORT_ROWS)
            .clamp(1, MAX_EXPORT_ROWS);
        let events = trail(ctx, &self.0, limit)?;
        let mut out = crate::csv_out::CsvOut::new([
            "seq",
            "time",
            "store",
            "category",
            "kind",
            "summary",
            "changes",
            "user",
            "product",
            "batch",
            "quantity_before",
            "quantity_after",
            "reference",
            "notes",
            "hash",
        ])?;
        for e in &events {
            let changes = e
                .changes
                .iter()
                .map(|c| {
                    format!(
                        "{}: {} -> {}",
                        c.field,
                        c.before.as_deref().unwrap_or("(none)"),
                        c.after.as_deref().unwrap_or("(none)")
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            let q = |q: &Option<Qty>| q.map(|q| q.to_string()).unwrap_or_default();
            out.row([
                e.seq.to_string(),
                e.created_at.clone(),
                e.store_id.to_string(),
                e.category.as_str().to_string(),
                e.kind.clone(),
                e.summary.clone(),
                changes,
                e.user_name.clone().unwrap_or_else(|| e.user_id.to_string()),
                e.product_name.clone().unwrap_or_default(),
                e.batch_number.clone().unwrap_or_default(),
                q(&e.previous_quantity),
                q(&e.new_quantity),
                e.reference_id.clone().unwrap_or_default(),
                e.notes.clone().unwrap_or_default(),
                e.hash.clone(),
            ])?;
        }
        out.finish()
    }
}

fn trail(ctx: &Ctx<'_>, f: &GetAuditTrail, limit: u32) -> Result<Vec<AuditEvent>> {
    // A named store is checked; without one, the trail of every store the
    // actor may read.
    if let Some(store) = f.store_id {
        ctx.check_store(store)?;
    }
    let stores = ctx.stores_json()?;
    let ts = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    };
    let order = if f.oldest_first.unwrap_or(false) {
        "ASC"
    } else {
        "DESC"
    };
    // A kind implies its category, which lets a non-stock filter use the
    // category index instead of walking the (mostly stock) chain.
    let category = match (f.category, f.change_type) {
        (Some(c), Some(k)) if k.category() != c => return Ok(Vec::new()),
        (c, k) => c.or(k.map(ChangeType::category)),
    };
    // With a batch or product filter, the events are found through the
    // per-batch back-links (no index on batch_id: see the migration).
    let source = if f.batch_id.is_some() || f.product_id.is_some() {
        "(WITH RECURSIVE chain(store_id, seq) AS (
              SELECT store_id, last_event_seq FROM batches
               WHERE last_event_seq IS NOT NULL AND (id = ?3 OR (?3 IS NULL AND product_id = ?2))
              UNION ALL
              SELECT e.store_id, e.batch_prev_seq FROM chain
                JOIN inventory_audit e ON e.store_id = chain.store_id AND e.seq = chain.seq
               WHERE e.batch_prev_seq IS NOT NULL)
          SELECT e.* FROM chain JOIN inventory_audit e ON e.store_id = chain.store_id AND e.seq = chain.seq
          UNION ALL
          SELECT e.* FROM inventory_audit e WHERE ?3 IS NULL AND e.batch_id IS NULL AND e.product_id = ?2)"
    } else {
        "inventory_audit"
    };
    let category_sql = match category {
        // ?9 is NULL in the first two cases; naming it keeps the parameter
        // count fixed.
        None => "AND ?9 IS NULL",
        Some(EventCategory::Stock) => "AND a.category IS NULL AND ?9 IS NULL",
        Some(_) => "AND a.category = ?9",
    };
    let sql = format!(
        "SELECT a.id, a.store_id, a.seq, a.batch_id, b.batch_number, a.product_id, p.name, a.change_type,
                a.previous_milli, a.new_milli, a.user_id, u.name, a.reference_id, a.notes, a.created_at, a.hash,
                a.installation_id, a.payload
           FROM {source} a
           LEFT JOIN batches b ON b.id = a.batch_id
           LEFT JOIN products p ON p.id = a.product_id
           LEFT JOIN users u ON u.id = a.user_id
          WHERE (?1 IS NULL OR a.store_id = ?1) AND (?2 IS NULL OR a.product_id = ?2)
            AND (?3 IS NULL OR a.batch_id = ?3) AND (?4 IS NULL OR a.change_type = ?4)
            AND (?5 IS NULL OR a.created_at >= ?5) AND (?6 IS NULL OR a.created_at < ?6)
            AND (?8 IS NULL OR a.seq < ?8) {category_sql}
            AND a.store_id IN (SELECT value FROM json_each(?10))
          ORDER BY a.created_at {order}, a.seq {order} LIMIT ?7"
    );
    let mut stmt = ctx.tx.prepare_cached(&sql)?;
    let category_param = category.and_then(EventCategory::stored);
    let mut rows = stmt.query(params![
        f.store_id,
        f.product_id,
        f.batch_id,
        f.change_type.map(|c| c.as_str()),
        ts(f.from),
        ts(f.to),
        i64::from(limit),
        f.before_seq,
        category_param,
        stores,
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(7)?;
        let payload_text: Option<String> = r.get(17)?;
        let payload: Option<serde_json::Value> = match &payload_text {
            Some(t) => Some(serde_json::from_str(t).map_err(|e| {
                Error::internal(format!(
                    "event {} has an unreadable payload: {e}",
                    r.get::<_, i64>(2).unwrap_or(0)
                ))
            })?),
            None => None,
        };
        let parsed: Option<Payload> = payload
            .as_ref()
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let mut ev = AuditEvent {
            id: r.get(0)?,
            store_id: r.get(1)?,
            installation_id: r.get(16)?,
            seq: r.get(2)?,
            category: ChangeType::parse(&kind)
                .map(ChangeType::category)
                .unwrap_or(EventCategory::Stock),
            kind: kind.clone(),
            summary: String::new(),
            changes: parsed
                .as_ref()
                .map(|p| p.changes.clone())
                .unwrap_or_default(),
            payload,
            batch_id: r.get(3)?,
            batch_number: r.get(4)?,
            product_id: r.get(5)?,
            product_name: r.get(6)?,
            change_type: kind,
            previous_quantity: r.get::<_, Option<i64>>(8)?.map(Qty::from_scaled),
            new_quantity: r.get::<_, Option<i64>>(9)?.map(Qty::from_scaled),
            user_id: r.get(10)?,
            user_name: r.get(11)?,
            reference_id: r.get(12)?,
            notes: r.get(13)?,
            created_at: r.get(14)?,
            hash: r.get(15)?,
        };
        ev.summary = describe(&ev, parsed.as_ref());
        out.push(ev);
    }
    Ok(out)
}

/// One line in words for the audit screen and the CSV export.
fn describe(e: &AuditEvent, payload: Option<&Payload>) -> String {
    let product = e.product_name.as_deref().unwrap_or("a product");
    let batch = e
        .batch_number
        .as_deref()
        .map(|b| format!(" batch {b}"))
        .unwrap_or_default();
    let moved = match (e.previous_quantity, e.new_quantity) {
        (Some(p), Some(n)) => format!(" ({p} → {n})"),
        _ => String::new(),
    };
    let subject = payload
        .map(|p| p.subject.name.as_str())
        .unwrap_or("")
        .to_string();
    let fields = payload
        .map(|p| {
            p.changes
                .iter()
                .map(|c| c.field.replace('_', " "))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let Some(kind) = ChangeType::parse(&e.kind) else {
        return format!("{} event", e.kind);
    };
    use ChangeType::*;
    match kind {
        Receipt => format!("Received {product}{batch}{moved}"),
        Allocated => format!("Sold {product}{batch}{moved}"),
        Reserved => format!("Held {product}{batch}"),
        Release => format!("Released a hold on {product}{batch}"),
        ConfirmReserve => format!("Sold held {product}{batch}{moved}"),
        Adjustment => format!("Adjusted {product}{batch}{moved}"),
        Writeoff => format!("Wrote off {product}{batch}{moved}"),
        Expired => format!("Expired {product}{batch}{moved}"),
        TransferOut => format!("Sent {product}{batch} to another store{moved}"),
        TransferIn => format!("Received {product}{batch} from another store{moved}"),
        Reconciliation => format!("Count variance on {product}{batch}{moved}"),
        TreatmentUse => format!("Used {product}{batch} on a patient{moved}"),
        Waste => format!("Wasted {product}{batch}{moved}"),
        Recall => format!("Recalled {product}{batch}"),
        StatusChange => format!("Changed the status of {product}{batch}"),
        Return => format!("Customer return of {product}{batch}{moved}"),
        Void => format!("Voided sale put back {product}{batch}{moved}"),
        BackorderCreated => format!("Backorder recorded for {product}"),
        BackorderCancelled => format!("Backorder cancelled for {product}"),
        BackorderFulfilled => format!("Backorder fulfilled for {product}"),
        AdjustmentRequested => format!("Adjustment of {product}{batch} awaits approval"),
        AdjustmentRejected => format!("Adjustment of {product}{batch} rejected"),
        ReceiptReversed => format!("Reversed a receipt of {product}{batch}{moved}"),
        TransferCreated => format!("Transfer {subject} drafted"),
        TransferRequested => format!("Transfer {subject} requested"),
        TransferApproved => format!("Transfer {subject} approved"),
        TransferShipped => format!("Transfer {subject} shipped"),
        TransferReceived => format!("Transfer {subject} received"),
        TransferCancelled => format!("Transfer {subject} cancelled"),
        TransferDiscrepancy => format!("Discrepancy recorded on transfer {subject}"),
        TransferDiscrepancyResolved => format!("Discrepancy on transfer {subject} resolved"),
        TransferDiscrepancyRejected => {
            format!("Resolution of a discrepancy on transfer {subject} refused")
        }
        TransferIncoming => format!("Transfer {subject} on its way here (from the server)"),
        TransferSynced => format!("Transfer {subject} brought up to date from the other store"),
        PurchaseOrderCreated => format!("Purchase order {subject} drafted"),
        PurchaseOrderUpdated => format!("Purchase order {subject} changed"),
        PurchaseOrderSubmitted => format!("Purchase order {subject} submitted"),
        PurchaseOrderApproved => format!("Purchase order {subject} approved"),
        PurchaseOrderRejected => format!("Purchase order {subject} sent back to draft"),
        PurchaseOrderConfirmed => format!("Purchase order {subject} confirmed by the vendor"),
        PurchaseOrderShipped => format!("Purchase order {subject} shipped"),
        PurchaseOrderReceived => format!("Receipt against purchase order {subject}"),
        PurchaseOrderCancelled => format!("Purchase order {subject} cancelled"),
        PurchaseOrderPayment => format!("Payment of purchase order {subject} recorded"),
        ProductCreated => format!("Product {subject} created"),
        ProductUpdated => format!("Product {subject} changed: {fields}"),
        ProductDeleted => format!("Product {subject} deleted"),
        CategoryCreated => format!("Category {subject} created"),
        SupplierCreated => format!("Supplier {subject} created"),
        SupplierUpdated => format!("Supplier {subject} changed: {fields}"),
        CustomerCreated => format!("Customer {subject} created"),
        CustomerUpdated => format!("Customer {subject} changed: {fields}"),
        UserCreated => format!("User {subject} created"),
        UserUpdated => format!("User {subject} changed: {fields}"),
        UserRoleChanged => format!("User {subject}'s role changed"),
        UserPinReset => format!("User {subject}'s PIN was reset"),
        UserDeactivated => format!("User {subject} deactivated"),
        UserReactivated => format!("User {subject} reactivated"),
        StoreCreated => format!("Store {subject} created"),
        StoreUpdated => format!("Store {subject} changed: {fields}"),
        SettingsChanged => format!("Till and receipt settings changed: {fields}"),
        ShiftOpened => format!("Shift {subject} opened"),
        ShiftClosed => format!("Shift {subject} closed"),
        SaleCompleted => format!("Sale {subject} completed"),
        SaleReturned => format!("Return {subject} recorded"),
        SaleVoided => format!("Sale {subject} voided"),
        UserSignedIn => format!("{subject} signed in"),
        UserLockedOut => format!("{subject} locked out after wrong PINs"),
        ApprovalGranted => format!("Approved: {subject}"),
        ApprovalRefused => format!("Approval refused: {subject}"),
        BackupTaken => format!("Backup taken to {subject}"),
        Restored => format!("Restored from {subject}"),
        PatientCreated => format!("Patient {subject} registered"),
        PatientUpdated => format!("Patient {subject}'s details changed"),
        VialOpened => format!("Vial of lot {subject} opened"),
        VialClosed => format!("Vial of lot {subject} closed"),
        TreatmentRecorded => format!("Treatment recorded for patient {subject}"),
        WasteRecorded => format!("Waste recorded ({subject})"),
        VialPolicySet => format!("Clinic window for opened vials of {subject} set"),
        RecallRecorded => format!("Recall {subject} recorded"),
        SupplierReturn => format!("Returned {product}{batch} to the supplier{moved}"),
        ClinicSettingsChanged => format!("Clinic settings changed: {fields}"),
        AlertRaised => format!("Alert raised: {subject}"),
        AlertEscalated => format!("Alert escalated: {subject}"),
        AlertAcknowledged => format!("Alert acknowledged: {subject}"),
        AlertResolved => format!("Alert resolved: {subject}"),
        AlertDismissed => format!("Alert dismissed: {subject}"),
        AlertNotified => format!("Alert announced: {subject}"),
        StorageLocationSaved => format!("Storage location {subject} saved: {fields}"),
        LotLocated => format!("Lot {subject} put in a storage location"),
        ReadingsRecorded => format!("Temperature readings recorded for {subject}"),
        ExcursionRecorded => format!("Temperature excursion at {subject}: lots held"),
        CountCreated => format!("Count {subject} created"),
        CountStarted => format!("Count {subject} started"),
        CountCompleted => format!("Count {subject} completed"),
        CountApproved => format!("Count {subject} approved"),
        CountPosted => format!("Count {subject} posted"),
        CountCancelled => format!("Count {subject} cancelled"),
        InventoryReconciled => format!("Inventory reconciled: {subject}"),
        SyncConfigured => format!("Store {subject} set to sync with the central server"),
    }
}

/// One problem found by [`verify`].
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VerifyProblem {
    /// `chain` (hash or sequence broken), `conservation` (on-hand differs
    /// from the ledger), `reservation` (held quantity differs from holds),
    /// `status` (a batch with stock marked depleted) or `printed_head` (a
    /// head printed on a Z report no longer matches the chain).
    pub kind: String,
    /// Store concerned.
    pub store_id: Option<StoreId>,
    /// Event sequence number concerned.
    #[ts(type = "number | null")]
    pub seq: Option<i64>,
    /// Batch concerned.
    pub batch_id: Option<BatchId>,
    /// What is wrong.
    pub message: String,
}

/// The result of a ledger verification.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct VerifyReport {
    /// True when no problem was found.
    pub ok: bool,
    /// Events re-hashed.
    #[ts(type = "number")]
    pub events_checked: i64,
    /// Batches whose on-hand was recomputed.
    #[ts(type = "number")]
    pub batches_checked: i64,
    /// Every mismatch found (empty when ok).
    pub problems: Vec<VerifyProblem>,
}

/// A chain head as printed on paper (a Z report's "record: #seq hash"),
/// given back to `verify` to check the record against it.
#[derive(Clone, Debug, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PrintedHead {
    /// The store whose chain it is (default: the only store, or the user's).
    #[ts(optional)]
    pub store_id: Option<StoreId>,
    /// The sequence number printed.
    #[ts(type = "number")]
    pub seq: i64,
    /// The hash printed: its first 8 or more hex digits.
    pub hash: String,
}

/// `verify`: re-hash every store's chain and recompute every batch's on-hand.
///
/// Re-hashes every store's chain (`chain` problems), replays every batch's on-hand from
/// the ledger and compares it with the batch (`conservation`), and compares each batch's
/// reserved quantity with its active holds (`reservation`), and recomputes the running
/// stock totals the lists and the dashboard read (`totals`). At most 1000 problems are
/// listed. Heads printed on Z reports given in `printed_heads` must still be
/// in the chain unchanged (`printed_head`). `pharmapos verify` (no `--user`) does the same plus SQLite's `PRAGMA
/// integrity_check`, and exits non-zero when anything is wrong.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Verify {
    /// Heads printed on Z reports: each must still be in the chain,
    /// unchanged (a rewritten history contradicts the paper).
    #[serde(default)]
    #[ts(optional, as = "Option<Vec<PrintedHead>>")]
    pub printed_heads: Vec<PrintedHead>,
}

impl Operation for Verify {
    const NAME: &'static str = "verify";
    const SUMMARY: &'static str =
        "Re-hash the audit chain, recompute every batch's on-hand from the ledger, check printed chain heads";
    const PERMISSION: Permission = Permission::ViewAudit;
    const WRITES: bool = false;
    type Output = VerifyReport;

    /// The whole file is verified at once, so it takes the audit permission
    /// in every store of the file (or head office).
    fn run(self, ctx: &Ctx<'_>) -> Result<VerifyReport> {
        ctx.check_every_store()?;
        let mut heads = Vec::with_capacity(self.printed_heads.len());
        for h in self.printed_heads {
            let store = ctx.store(h.store_id)?.id;
            heads.push((store, h.seq, parse_printed_hash(&h.hash)?));
        }
        verify_with_heads(ctx.tx, &heads)
    }
}

/// A printed hash: at least 8 hex digits (the Z report prints 16).
pub fn parse_printed_hash(s: &str) -> Result<String> {
    let h = s.trim().to_ascii_lowercase();
    if h.len() < 8 || h.len() > 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "hash",
            format!("'{s}' is not a printed chain hash: give 8 to 64 hex digits"),
        ));
    }
    Ok(h)
}

/// Most problems one verification lists.
const MAX_PROBLEMS: usize = 1000;

/// Checks the chain and conservation over the whole file. At most 1000
/// problems are reported (a broken chain breaks every later hash).
pub fn verify(tx: &Transaction<'_>) -> Result<VerifyReport> {
    verify_with_heads(tx, &[])
}

/// [`verify`], also checking that each printed head `(store, seq, hash
/// prefix)` is in the chain as printed.
pub fn verify_with_heads(
    tx: &Transaction<'_>,
    heads: &[(StoreId, i64, String)],
) -> Result<VerifyReport> {
    let mut problems = Vec::new();
    let mut events_checked = 0i64;
    // Per batch, replayed in chain order: running on-hand and its latest event.
    let mut running: HashMap<BatchId, i64> = HashMap::new();
    let mut last_of_batch: HashMap<BatchId, i64> = HashMap::new();
    let mut expected: Option<(StoreId, i64, String)> = None;
    let mut stmt = tx.prepare(
        "SELECT store_id, seq, id, batch_id, product_id, change_type, previous_milli, new_milli, user_id,
                reference_id, notes, created_at, batch_prev_seq, hash, format, installation_id, payload, category
           FROM inventory_audit ORDER BY store_id, seq",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        events_checked += 1;
        let store_id: StoreId = r.get(0)?;
        let seq: i64 = r.get(1)?;
        let change_type: String = r.get(5)?;
        let reference_id: Option<String> = r.get(9)?;
        let notes: Option<String> = r.get(10)?;
        let created_at: String = r.get(11)?;
        let batch_prev_seq: Option<i64> = r.get(12)?;
        let hash: String = r.get(13)?;
        let batch_id: Option<BatchId> = r.get(3)?;
        let previous_milli: Option<i64> = r.get(6)?;
        let new_milli: Option<i64> = r.get(7)?;
        let format: i64 = r.get(14)?;
        let installation_id: Option<String> = r.get(15)?;
        let payload: Option<String> = r.get(16)?;
        let category: Option<String> = r.get(17)?;
        let (want_seq, want_prev) = match &expected {
            Some((s, last_seq, last_hash)) if *s == store_id => (last_seq + 1, last_hash.clone()),
            _ => (1, GENESIS_HASH.to_string()),
        };
        let mut problem = |kind: &str, message: String| {
            if problems.len() < MAX_PROBLEMS {
                problems.push(VerifyProblem {
                    kind: kind.into(),
                    store_id: Some(store_id),
                    seq: Some(seq),
                    batch_id,
                    message,
                });
            }
        };
        if seq != want_seq {
            problem(
                "chain",
                format!("expected sequence {want_seq}, found {seq}"),
            );
        }
        if let Some(b) = batch_id {
            let linked = last_of_batch.insert(b, seq);
            if linked != batch_prev_seq {
                problem(
                    "chain",
                    format!("event {seq} does not link back to its batch's previous event"),
                );
            }
        }
        match (format, ChangeType::parse(&change_type)) {
            (FORMAT_V1, _) => {}
            (_, Some(kind)) if kind.category().stored() == category.as_deref() => {}
            (_, Some(_)) => problem(
                "chain",
                format!("event {seq} ({change_type}) is filed under the wrong category"),
            ),
            (_, None) => problem(
                "chain",
                format!("event {seq} has an unknown kind '{change_type}'"),
            ),
        }
        let (id, store, product, batch, user): (
            String,
            String,
            Option<String>,
            Option<String>,
            String,
        ) = (r.get(2)?, r.get(0)?, r.get(4)?, r.get(3)?, r.get(8)?);
        let canon = Canonical {
            format,
            installation_id: installation_id.as_deref(),
            payload: payload.as_deref(),
            id: &id,
            store_id: &store,
            seq,
            batch_id: batch.as_deref(),
            product_id: product.as_deref(),
            change_type: &change_type,
            previous_milli,
            new_milli,
            user_id: &user,
            reference_id: reference_id.as_deref(),
            notes: notes.as_deref(),
            created_at: &created_at,
            batch_prev_seq,
        };
        if chain_hash(&want_prev, &canon)? != hash {
            problem("chain", format!("event {seq} ({change_type}) has been altered: its hash does not match its content"));
        }
        if let (Some(b), Some(prev), Some(new)) = (batch_id, previous_milli, new_milli) {
            let cur = running.entry(b).or_insert(0);
            if *cur != prev {
                problem(
                    "conservation",
                    format!(
                        "event {seq} ({change_type}) starts from {} but the ledger stood at {}",
                        Qty::from_scaled(prev),
                        Qty::from_scaled(*cur)
                    ),
                );
            }
            *cur = new;
        }
        expected = Some((store_id, seq, hash));
    }
    drop(rows);
    for (store_id, seq, printed) in heads {
        let found: Option<String> = tx
            .prepare_cached("SELECT hash FROM inventory_audit WHERE store_id = ?1 AND seq = ?2")?
            .query_row(params![store_id, seq], |r| r.get(0))
            .optional()?;
        let message = match found {
            None => Some(format!(
                "the printed head #{seq} is missing from the chain: events were removed"
            )),
            Some(h) if !h.starts_with(printed.as_str()) => Some(format!(
                "event {seq} no longer matches the printed hash {printed}: the record was rewritten"
            )),
            Some(_) => None,
        };
        if let Some(message) = message {
            problems.push(VerifyProblem {
                kind: "printed_head".into(),
                store_id: Some(*store_id),
                seq: Some(*seq),
                batch_id: None,
                message,
            });
        }
    }
    let mut batches_checked = 0i64;
    let mut stmt = tx.prepare(
        "SELECT b.id, b.store_id, b.batch_number, b.on_hand_milli, b.reserved_milli,
                COALESCE((SELECT SUM(quantity_milli) FROM stock_reservations r WHERE r.batch_id = b.id AND r.status = 'active'), 0),
                b.last_event_seq, b.status
           FROM batches b",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        batches_checked += 1;
        let id: BatchId = r.get(0)?;
        let store_id: StoreId = r.get(1)?;
        let number: String = r.get(2)?;
        let on_hand: i64 = r.get(3)?;
        let reserved: i64 = r.get(4)?;
        let holds: i64 = r.get(5)?;
        let last_event_seq: Option<i64> = r.get(6)?;
        let status: String = r.get(7)?;
        let ledger = running.get(&id).copied().unwrap_or(0);
        if problems.len() >= MAX_PROBLEMS {
            continue;
        }
        if status == "depleted" && on_hand > 0 {
            // Expiry lists find live batches through an index that leaves
            // depleted ones out: one with stock would be invisible there.
            problems.push(VerifyProblem {
                kind: "status".into(),
                store_id: Some(store_id),
                seq: None,
                batch_id: Some(id),
                message: format!(
                    "batch {number} is marked depleted but holds {}",
                    Qty::from_scaled(on_hand)
                ),
            });
        }
        if last_event_seq != last_of_batch.get(&id).copied() {
            problems.push(VerifyProblem {
                kind: "chain".into(),
                store_id: Some(store_id),
                seq: last_event_seq,
                batch_id: Some(id),
                message: format!("batch {number} does not point at its latest audit event"),
            });
        }
        if ledger != on_hand {
            problems.push(VerifyProblem {
                kind: "conservation".into(),
                store_id: Some(store_id),
                seq: None,
                batch_id: Some(id),
                message: format!(
                    "batch {number} shows {} on hand but its ledger adds up to {}",
                    Qty::from_scaled(on_hand),
                    Qty::from_scaled(ledger)
                ),
            });
        }
        if reserved != holds {
            problems.push(VerifyProblem {
                kind: "reservation".into(),
                store_id: Some(store_id),
                seq: None,
                batch_id: Some(id),
                message: format!(
                    "batch {number} shows {} reserved but its active holds add up to {}",
                    Qty::from_scaled(reserved),
                    Qty::from_scaled(holds)
                ),
            });
        }
    }
    drop(rows);
    drop(stmt);
    check_running_totals(tx, &mut problems)?;
    Ok(VerifyReport {
        ok: problems.is_empty(),
        events_checked,
        batches_checked,
        problems,
    })
}

/// Recomputes the running totals the lists and the dashboard read
/// (`stock_levels` per store and product, `batch_totals` per store, status
/// and expiry date; kept by triggers) from the batches, and reports every
/// row that differs (`totals`).
fn check_running_totals(tx: &Transaction<'_>, problems: &mut Vec<VerifyProblem>) -> Result<()> {
    let mut stmt = tx.prepare(
        "WITH t AS (SELECT store_id, product_id, SUM(on_hand_milli) AS on_hand,
                           SUM(CASE WHEN status = 'available' THEN on_hand_milli ELSE 0 END) AS available
                      FROM batches GROUP BY store_id, product_id)
         SELECT s.id, p.sku, sl.on_hand_milli, COALESCE(t.on_hand, 0)
           FROM stores s CROSS JOIN products p
           LEFT JOIN stock_levels sl ON sl.store_id = s.id AND sl.product_id = p.id
           LEFT JOIN t ON t.store_id = s.id AND t.product_id = p.id
          WHERE s.installation_id IS (SELECT id FROM installation)
            AND (sl.on_hand_milli IS NOT COALESCE(t.on_hand, 0)
             OR sl.available_milli IS NOT COALESCE(t.available, 0)
             OR sl.reorder_milli IS NOT (CASE WHEN p.deleted_at IS NULL AND p.status = 'active'
                                              THEN COALESCE(p.reorder_point_milli, p.min_level_milli) END))
          LIMIT 100",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, StoreId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (store_id, sku, kept, batches) = row?;
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        problems.push(VerifyProblem {
            kind: "totals".into(),
            store_id: Some(store_id),
            seq: None,
            batch_id: None,
            message: match kept {
                None => format!("product {sku} has no stock level row"),
                Some(k) => format!(
                    "product {sku}'s stock level shows {} on hand (or available, or its reorder point differs) but its batches hold {}",
                    Qty::from_scaled(k),
                    Qty::from_scaled(batches)
                ),
            },
        });
    }
    let mut stmt = tx.prepare(
        "WITH t AS (SELECT store_id, status, expiry_date, COUNT(*) AS batches, SUM(on_hand_milli > 0) AS stocked,
                           SUM(on_hand_milli) AS on_hand, SUM(on_hand_milli * cost_price_e4) AS value_e7
                      FROM batches GROUP BY store_id, status, expiry_date),
              kept AS (SELECT store_id, status, expiry_date, batches, stocked, on_hand_milli, value_e7
                         FROM batch_totals WHERE batches <> 0 OR stocked <> 0 OR on_hand_milli <> 0 OR value_e7 <> 0)
         SELECT store_id, status, expiry_date FROM (SELECT * FROM t EXCEPT SELECT * FROM kept)
         UNION SELECT store_id, status, expiry_date FROM (SELECT * FROM kept EXCEPT SELECT * FROM t)
         LIMIT 100",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, StoreId>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (store_id, status, expiry) = row?;
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        problems.push(VerifyProblem {
            kind: "totals".into(),
            store_id: Some(store_id),
            seq: None,
            batch_id: None,
            message: format!(
                "the running totals of {status} batches expiring {expiry} differ from the batches"
            ),
        });
    }
    Ok(())
}
