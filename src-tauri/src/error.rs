//! The error every Tauri command returns: `{kind, message, details}`.
//!
//! Engine errors pass through with their own kind, message and details, so the
//! UI branches on the same stable kinds as the CLI. The shell adds one kind
//! of its own, `printer_unavailable` (the receipt printer, which the engine
//! knows nothing of: see [`crate::printer`]); a missing session is
//! `unauthenticated`, a poisoned lock or a failed background task is
//! `internal` (logged, shown with generic text).

use serde::Serialize;
use serde_json::{json, Value};
use ts_rs::TS;

/// A failure as the UI sees it.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export, export_to = "shell/")]
pub struct ApiError {
    /// Stable machine-readable kind (`not_found`, `invalid_input`, ...).
    pub kind: String,
    /// Plain-words message for the user.
    pub message: String,
    /// Structured details (ids, quantities, field names).
    #[ts(type = "Record<string, unknown>")]
    pub details: Value,
}

impl ApiError {
    /// No one is signed in (or the session locked on idle).
    pub fn unauthenticated(message: impl Into<String>) -> Self {
        ApiError {
            kind: "unauthenticated".into(),
            message: message.into(),
            details: json!({ "reason": "no_session" }),
        }
    }

    /// A bug or an environment failure in the shell; the cause is logged and
    /// the user gets generic text.
    pub fn internal(context: &str, cause: impl std::fmt::Display) -> Self {
        log::error!("{context}: {cause}");
        ApiError {
            kind: "internal".into(),
            message: format!("Something went wrong in the app ({context}). Please try again; if it persists, restart PharmaPOS."),
            details: json!({}),
        }
    }

    /// The request itself is malformed.
    pub fn invalid_input(field: &str, message: impl Into<String>) -> Self {
        ApiError {
            kind: "invalid_input".into(),
            message: message.into(),
            details: json!({ "field": field }),
        }
    }
}

impl From<pharmapos_engine::Error> for ApiError {
    fn from(e: pharmapos_engine::Error) -> Self {
        if matches!(e.kind(), "internal" | "storage") {
            log::error!("engine error: {e}");
        }
        ApiError {
            kind: e.kind().to_string(),
            message: e.to_string(),
            details: e.details(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

impl std::error::Error for ApiError {}
