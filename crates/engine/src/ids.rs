//! Typed ids: UUID v7 newtypes, so a batch id can't be passed where a product
//! id is wanted. v7 is time-ordered (good B-tree locality) and safe to mint
//! offline in many stores at once.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("Identifier of a ", stringify!($name), " (UUID v7, text in SQLite and JSON).")]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(transparent)]
        #[ts(export)]
        pub struct $name(#[ts(type = "string")] pub Uuid);

        impl $name {
            /// A fresh time-ordered id.
            pub fn new() -> Self { Self(Uuid::now_v7()) }
        }

        impl Default for $name {
            fn default() -> Self { Self::new() }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { self.0.fmt(f) }
        }

        impl std::str::FromStr for $name {
            type Err = crate::Error;
            fn from_str(s: &str) -> crate::Result<Self> {
                Uuid::parse_str(s.trim()).map(Self).map_err(|_| crate::Error::invalid(
                    stringify!($name), format!("'{s}' is not a valid id")))
            }
        }

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::from(self.0.hyphenated().to_string()))
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = value.as_str()?;
                Uuid::parse_str(s).map(Self).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )*};
}

id_type!(
    StoreId,
    UserId,
    SupplierId,
    CategoryId,
    ProductId,
    BatchId,
    PurchaseReceiptId,
    ReservationId,
    AdjustmentId,
    BackorderId,
    EventId,
    CartId,
    CartLineId,
    SaleId,
    SaleLineId,
    ShiftId,
    ReturnId,
    InstallationId,
    PatientId,
    VialSessionId,
    LotUsageId,
    WasteId,
    RecallId,
    AlertId,
    StorageLocationId,
    ReadingId,
    ExcursionId,
    TransferId,
    TransferItemId,
    TransferLotId,
    TransferDiscrepancyId,
    CountId,
    CountItemId,
    ReconciliationId,
    ReconciliationItemId,
    PurchaseOrderId,
    PurchaseOrderItemId,
    ReceivingRecordId,
    ReceivingLineId,
    CustomerId,
);
