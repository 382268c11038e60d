//! The engine's one error type.
//!
//! Every failure a caller can see has a stable machine-readable `kind` (the UI
//! and the CLI branch on it), a human message, and structured details. Storage
//! failures are kept apart from business failures so that front ends can show
//! "insufficient stock" plainly and log "disk I/O error" for support.

use serde::ser::SerializeStruct;
use serde_json::{json, Value};

/// Result alias used throughout the engine.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Every business and storage failure of the engine.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A referenced record does not exist (or is soft-deleted).
    #[error("{entity} {id} was not found")]
    NotFound { entity: &'static str, id: String },
    /// The request is malformed or breaks a validation rule.
    #[error("{message}")]
    InvalidInput {
        message: String,
        field: Option<String>,
    },
    /// Not enough sellable stock for an all-or-nothing request.
    #[error("insufficient stock: requested {requested}, available {available}")]
    InsufficientStock {
        product_id: Option<String>,
        batch_id: Option<String>,
        requested: String,
        available: String,
    },
    /// The batch (or date given) is past its expiry date, or the batch is
    /// marked expired (a manager may mark one expired before its date).
    #[error("batch {batch} is expired (expiry date {expiry_date})")]
    ExpiredBatch { batch: String, expiry_date: String },
    /// The batch is quarantined, recalled, damaged or otherwise not sellable.
    #[error("batch {batch} is {status} and cannot be used")]
    BatchUnavailable { batch: String, status: String },
    /// The acting user's role lacks the permission.
    #[error("{role} '{user}' is not allowed to {permission}")]
    Forbidden {
        user: String,
        role: String,
        permission: String,
    },
    /// The change needs a manager's approval first.
    #[error("{message}")]
    ApprovalRequired { message: String },
    /// The request collides with existing data (duplicate, mismatch).
    #[error("{message}")]
    Conflict { message: String },
    /// The record is not in a state that allows the operation.
    #[error("{message}")]
    InvalidState { message: String },
    /// Unknown user or wrong PIN.
    #[error("{message}")]
    Unauthenticated { message: String },
    /// Too many failed PIN attempts.
    #[error("user '{user}' is locked until {until} after too many failed PIN attempts")]
    Locked { user: String, until: String },
    /// The database was written by a newer PharmaPOS.
    #[error("this database uses schema version {file_version}, newer than this program's {program_version}; upgrade PharmaPOS to open it")]
    SchemaTooNew {
        file_version: i64,
        program_version: i64,
    },
    /// The file is not a PharmaPOS database (or is damaged).
    #[error("{path} is not a PharmaPOS database: {reason}")]
    NotADatabase { path: String, reason: String },
    /// SQLite or I/O failure.
    #[error("storage error: {0}")]
    Storage(String),
    /// A broken invariant inside the engine (a bug).
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    /// The stable machine-readable kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::InvalidInput { .. } => "invalid_input",
            Error::InsufficientStock { .. } => "insufficient_stock",
            Error::ExpiredBatch { .. } => "expired_batch",
            Error::BatchUnavailable { .. } => "batch_unavailable",
            Error::Forbidden { .. } => "forbidden",
            Error::ApprovalRequired { .. } => "approval_required",
            Error::Conflict { .. } => "conflict",
            Error::InvalidState { .. } => "invalid_state",
            Error::Unauthenticated { .. } => "unauthenticated",
            Error::Locked { .. } => "locked",
            Error::SchemaTooNew { .. } => "schema_too_new",
            Error::NotADatabase { .. } => "not_a_database",
            Error::Storage(_) => "storage",
            Error::Internal(_) => "internal",
        }
    }

    /// Structured details for the caller (ids, quantities, field names).
    pub fn details(&self) -> Value {
        match self {
            Error::NotFound { entity, id } => json!({"entity": entity, "id": id}),
            Error::InvalidInput { field, .. } => json!({"field": field}),
            Error::InsufficientStock {
                product_id,
                batch_id,
                requested,
                available,
            } => {
                json!({"product_id": product_id, "batch_id": batch_id, "requested": requested, "available": available})
            }
            Error::ExpiredBatch { batch, expiry_date } => {
                json!({"batch": batch, "expiry_date": expiry_date})
            }
            Error::BatchUnavailable { batch, status } => json!({"batch": batch, "status": status}),
            Error::Forbidden {
                user,
                role,
                permission,
            } => json!({"user": user, "role": role, "permission": permission}),
            Error::Locked { user, until } => json!({"user": user, "until": until}),
            Error::SchemaTooNew {
                file_version,
                program_version,
            } => {
                json!({"file_version": file_version, "program_version": program_version})
            }
            Error::NotADatabase { path, .. } => json!({"path": path}),
            _ => json!({}),
        }
    }

    /// `{"error": {kind, message, details}}`, the shape every front end prints.
    pub fn to_json(&self) -> Value {
        json!({"error": {"kind": self.kind(), "message": self.to_string(), "details": self.details()}})
    }

    /// Shorthand for an [`Error::InvalidInput`] on a named field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            message: message.into(),
            field: Some(field.to_string()),
        }
    }

    /// Shorthand for [`Error::NotFound`].
    pub fn not_found(entity: &'static str, id: impl ToString) -> Self {
        Error::NotFound {
            entity,
            id: id.to_string(),
        }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(message: impl Into<String>) -> Self {
        Error::Conflict {
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::InvalidState`].
    pub fn invalid_state(message: impl Into<String>) -> Self {
        Error::InvalidState {
            message: message.into(),
        }
    }

    /// True when retrying the same request later may succeed (busy database).
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Storage(m) if m.contains("database is locked") || m.contains("database is busy"))
    }
}

impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Error", 3)?;
        s.serialize_field("kind", self.kind())?;
        s.serialize_field("message", &self.to_string())?;
        s.serialize_field("details", &self.details())?;
        s.end()
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        // The CHECK constraints are the last line of defence; if one fires, an
        // operation's own validation missed a case, and the caller still gets
        // a business error rather than a storage one.
        if let rusqlite::Error::SqliteFailure(f, Some(msg)) = &e {
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.contains("CHECK constraint failed")
            {
                return Error::InvalidState {
                    message: format!("refused by a database rule: {msg}"),
                };
            }
            if f.code == rusqlite::ErrorCode::ConstraintViolation
                && msg.contains("UNIQUE constraint failed")
            {
                return Error::Conflict {
                    message: format!("duplicate: {msg}"),
                };
            }
        }
        // The failures a till can meet in the field, in words a manager can
        // act on. A full disk, a read-only file or a lock timeout roll the
        // transaction back; after an I/O error only `verify` can tell.
        if let rusqlite::Error::SqliteFailure(f, _) = &e {
            let advice = match f.code {
                rusqlite::ErrorCode::DiskFull => Some(
                    "the disk holding the store database is full; nothing was saved. Free some space and try again",
                ),
                rusqlite::ErrorCode::ReadOnly => Some(
                    "the store database is read-only (check the file's permissions and the disk); nothing was saved",
                ),
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => Some(
                    "the store database stayed locked by another program for too long; nothing was saved. Try again",
                ),
                rusqlite::ErrorCode::SystemIoFailure => Some(
                    "the disk reported an error reading or writing the store database. Check the disk, then run verify before going on",
                ),
                _ => None,
            };
            if let Some(advice) = advice {
                return Error::Storage(format!("{advice} ({e})"));
            }
        }
        Error::Storage(e.to_string())
    }
}

impl From<refinery::Error> for Error {
    fn from(e: refinery::Error) -> Self {
        Error::Storage(format!("migration failed: {e}"))
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::InvalidInput {
            message: e.to_string(),
            field: None,
        }
    }
}

/// One error kind as documented for callers: its `kind`, what it means, and
/// the keys of its `details`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KindDoc {
    /// The stable `kind` string ([`Error::kind`]).
    pub kind: &'static str,
    /// One line saying when it happens (and what the caller can do).
    pub meaning: &'static str,
    /// The keys of [`Error::details`] for this kind (empty: `{}`).
    pub details: &'static [&'static str],
}

impl Error {
    /// Every kind a caller can meet, in the order the reference lists them.
    /// A test below keeps it in step with [`Error::kind`].
    pub const KINDS: &'static [KindDoc] = &[
        KindDoc { kind: "not_found", meaning: "a referenced record does not exist (or is a deleted product)", details: &["entity", "id"] },
        KindDoc { kind: "invalid_input", meaning: "malformed request, unknown field or command, validation rule broken; `field` is the request field (a path such as `payments[0].amount` when nested; null when the request as a whole is wrong)", details: &["field"] },
        KindDoc { kind: "insufficient_stock", meaning: "not enough stock for an all-or-nothing request", details: &["product_id", "batch_id", "requested", "available"] },
        KindDoc { kind: "expired_batch", meaning: "the batch, or the expiry date given, is past (or the batch is marked expired)", details: &["batch", "expiry_date"] },
        KindDoc { kind: "batch_unavailable", meaning: "the batch is quarantined, recalled, damaged…", details: &["batch", "status"] },
        KindDoc { kind: "forbidden", meaning: "the acting user's role lacks the permission", details: &["user", "role", "permission"] },
        KindDoc { kind: "approval_required", meaning: "the till operation needs a manager: resend with `approver_name` + `approver_pin` (stock adjustments go `pending` instead)", details: &[] },
        KindDoc { kind: "conflict", meaning: "collides with existing data (duplicate SKU, barcode, name; batch number with another expiry; reserved stock; a second shift on a till; a reused sale id)", details: &[] },
        KindDoc { kind: "invalid_state", meaning: "the record's state does not allow it (already decided, deleted, last admin, cart not open, no open shift, sale voided…)", details: &[] },
        KindDoc { kind: "unauthenticated", meaning: "unknown or deactivated user, wrong PIN (a wrong approval PIN is also written to the security log)", details: &[] },
        KindDoc { kind: "locked", meaning: "too many failed PIN attempts (5; locked for 5 minutes)", details: &["user", "until"] },
        KindDoc { kind: "schema_too_new", meaning: "the file was written by a newer PharmaPOS", details: &["file_version", "program_version"] },
        KindDoc { kind: "not_a_database", meaning: "the file is not a PharmaPOS database", details: &["path"] },
        KindDoc { kind: "storage", meaning: "SQLite or I/O failure; a full disk, a read-only file, a lock held too long and a disk error are said in plain words with what to do (the first three roll the change back; after a disk error, run `verify`)", details: &[] },
        KindDoc { kind: "internal", meaning: "a broken invariant (a bug)", details: &[] },
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: std::ffi::c_int) -> Error {
        Error::from(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(code),
            None,
        ))
    }

    #[test]
    fn field_failures_are_storage_errors_in_plain_words() {
        let full = sqlite(rusqlite::ffi::SQLITE_FULL);
        assert_eq!(full.kind(), "storage");
        assert!(
            full.to_string()
                .contains("disk holding the store database is full"),
            "{full}"
        );
        assert!(sqlite(rusqlite::ffi::SQLITE_READONLY)
            .to_string()
            .contains("read-only"));
        assert!(sqlite(rusqlite::ffi::SQLITE_BUSY)
            .to_string()
            .contains("locked"));
        assert!(sqlite(rusqlite::ffi::SQLITE_IOERR)
            .to_string()
            .contains("run verify"));
        // Anything else keeps SQLite's own words.
        let other = sqlite(rusqlite::ffi::SQLITE_MISMATCH);
        assert_eq!(other.kind(), "storage");
        assert!(!other.to_string().contains("nothing was saved"));
    }
}

#[cfg(test)]
mod kinds_tests {
    use super::*;

    /// One error of every variant: a new variant must be added here, and then
    /// the test makes sure [`Error::KINDS`] documents it.
    fn one_of_each() -> Vec<Error> {
        let s = || String::from("x");
        vec![
            Error::not_found("batch", "x"),
            Error::invalid("field", "x"),
            Error::InsufficientStock {
                product_id: None,
                batch_id: None,
                requested: s(),
                available: s(),
            },
            Error::ExpiredBatch {
                batch: s(),
                expiry_date: s(),
            },
            Error::BatchUnavailable {
                batch: s(),
                status: s(),
            },
            Error::Forbidden {
                user: s(),
                role: s(),
                permission: s(),
            },
            Error::ApprovalRequired { message: s() },
            Error::conflict("x"),
            Error::invalid_state("x"),
            Error::Unauthenticated { message: s() },
            Error::Locked {
                user: s(),
                until: s(),
            },
            Error::SchemaTooNew {
                file_version: 2,
                program_version: 1,
            },
            Error::NotADatabase {
                path: s(),
                reason: s(),
            },
            Error::Storage(s()),
            Error::Internal(s()),
        ]
    }

    #[test]
    fn kinds_document_every_variant_and_its_details() {
        let samples = one_of_each();
        for e in &samples {
            let doc = Error::KINDS.iter().find(|k| k.kind == e.kind());
            let doc = doc.unwrap_or_else(|| panic!("Error::KINDS lacks `{}`", e.kind()));
            let details = e.details();
            let keys: Vec<&str> = details
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            let mut documented = doc.details.to_vec();
            documented.sort_unstable();
            assert_eq!(keys, documented, "details of `{}`", e.kind());
        }
        assert_eq!(
            samples.len(),
            Error::KINDS.len(),
            "Error::KINDS lists a kind no variant has"
        );
    }
}
