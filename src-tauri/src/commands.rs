//! The Tauri commands: the UI's only door into Rust.
//!
//! Each one is a few lines: move the call onto a blocking thread (SQLite never
//! runs on the async runtime's threads), run it on [`AppState`], and after a
//! successful write emit [`DATA_CHANGED`] so that open screens refresh
//! themselves instead of polling. The acting user always comes from the
//! session held here; no command takes a user id from the UI.

use std::path::PathBuf;

use pharmapos_engine::auth::{SignInRequest, SignedInUser, UserSummary};
use pharmapos_engine::setup::{InitRequest, InitResult};
use serde::Serialize;
use serde_json::Value;
use tauri::{AppHandle, Emitter, Manager};

use crate::error::ApiError;
use crate::state::{AppState, AppStatus, SessionInfo};
use crate::till::TillConfig;

/// Event emitted after every committed change.
pub const DATA_CHANGED: &str = "data-changed";

/// Payload of [`DATA_CHANGED`].
#[derive(Clone, Debug, Serialize, ts_rs::TS)]
#[ts(export, export_to = "shell/")]
pub struct DataChanged {
    /// The command that changed data.
    pub command: String,
}

/// Runs `f` on a blocking thread with the app state.
pub(crate) async fn blocking<T, F>(app: &AppHandle, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
{
    let app = app.clone();
    tauri::async_runtime::spawn_blocking(move || match app.try_state::<AppState>() {
        Some(state) => f(state.inner()),
        None => Err(ApiError::internal("app state", "not initialised yet")),
    })
    .await
    .map_err(|e| ApiError::internal("background task", e))?
}

/// Emits [`DATA_CHANGED`] for `command`.
pub(crate) fn notify(app: &AppHandle, command: &str) {
    if let Err(e) = app.emit(
        DATA_CHANGED,
        DataChanged {
            command: command.to_string(),
        },
    ) {
        log::warn!("could not emit {DATA_CHANGED}: {e}");
    }
}

/// Database path, whether the store is set up, and why the database cannot
/// be opened when it cannot.
#[tauri::command]
pub async fn app_status(app: AppHandle) -> Result<AppStatus, ApiError> {
    blocking(&app, |s| s.status()).await
}

/// First start: creates the store and its first administrator.
#[tauri::command]
pub async fn setup_store(app: AppHandle, request: InitRequest) -> Result<InitResult, ApiError> {
    let result = blocking(&app, move |s| s.setup_store(request)).await?;
    notify(&app, "setup_store");
    Ok(result)
}

/// Users to pick from on the sign-in screen.
#[tauri::command]
pub async fn list_sign_in_users(app: AppHandle) -> Result<Vec<UserSummary>, ApiError> {
    blocking(&app, |s| s.sign_in_users()).await
}

/// Checks the PIN and starts the session.
#[tauri::command]
pub async fn sign_in(app: AppHandle, request: SignInRequest) -> Result<SignedInUser, ApiError> {
    blocking(&app, move |s| s.sign_in(request)).await
}

/// Ends the session (also used by the UI's idle lock).
#[tauri::command]
pub async fn sign_out(app: AppHandle) -> Result<(), ApiError> {
    blocking(&app, |s| s.sign_out()).await
}

/// The signed-in user, or `null`.
#[tauri::command]
pub async fn current_session(app: AppHandle) -> Result<Option<SessionInfo>, ApiError> {
    blocking(&app, |s| s.current_session()).await
}

/// Runs a command of the command layer by name as the signed-in user.
#[tauri::command]
pub async fn call(app: AppHandle, name: String, input: Value) -> Result<Value, ApiError> {
    let command = name.clone();
    let (response, writes) = blocking(&app, move |s| s.call(&name, input)).await?;
    if writes {
        notify(&app, &command);
    }
    Ok(response)
}

/// Backs the live database up to `path` (must not exist yet).
#[tauri::command]
pub async fn backup_database(app: AppHandle, path: String) -> Result<String, ApiError> {
    blocking(&app, move |s| s.backup(&PathBuf::from(path))).await
}

/// This till's id (`--till-id`, `PHARMAPOS_TILL_ID`, or the config file
/// beside the database) and whether it can be renamed.
#[tauri::command]
pub async fn till_config(app: AppHandle) -> Result<TillConfig, ApiError> {
    blocking(&app, |s| s.till_config()).await
}

/// Renames this till (administrators; not while its shift is open).
#[tauri::command]
pub async fn rename_till(app: AppHandle, till_id: String) -> Result<TillConfig, ApiError> {
    let config = blocking(&app, move |s| s.rename_till(&till_id)).await?;
    notify(&app, "rename_till");
    Ok(config)
}
