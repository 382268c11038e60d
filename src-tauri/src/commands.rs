//! The Tauri commands: the UI's only door into Rust.
//!
//! Each one is a few lines: move the call onto a blocking thread (SQLite never
//! runs on the async runtime's threads), run it on [`AppState`], and after a
//! successful write emit [`DATA_CHANGED`] so that open screens refresh
//! themselves instead of polling. The acting user always comes from the
//! session held here; no command takes a user id from the UI.

use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use pharmapos_engine::auth::{SignInRequest, SignedInUser, UserSummary};
use pharmapos_engine::demo::DemoRequest;
use pharmapos_engine::ids::{SaleId, ShiftId};
use pharmapos_engine::onboarding::{
    ImportOutcome, ImportPreview, ImportProgress, PreviewImport, RunImport,
};
use pharmapos_engine::setup::{InitRequest, InitResult};
use serde::Serialize;
use serde_json::Value;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager};

use crate::error::ApiError;
use crate::printer::{PrintResult, PrinterSettings};
use crate::state::{AppState, AppStatus, SessionInfo};
use crate::sync::SyncView;
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

/// [`blocking`], timed: logs the shell's share of `what` at debug level
/// (`RUST_LOG=pharmapos::ipc=debug`): how long it waited for a blocking
/// thread, then for the database, and ran, and when it arrived (`at_us`,
/// microseconds since the Unix epoch). The till's webview benchmark reads
/// these to tell where a slow round trip spent its time: before the shell,
/// in it, or after it, and whether a full alert sweep was running.
pub(crate) async fn timed_blocking<T, F>(app: &AppHandle, what: &str, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, ApiError> + Send + 'static,
{
    let entered = Instant::now();
    let at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let (result, queued, waited, ran) = blocking(app, move |s| {
        let queued = entered.elapsed();
        crate::state::take_db_wait();
        let started = Instant::now();
        let result = f(s);
        Ok((
            result,
            queued,
            crate::state::take_db_wait(),
            started.elapsed(),
        ))
    })
    .await?;
    log::debug!(
        target: "pharmapos::ipc",
        "{what} at_us={} queued_us={} waited_us={} ran_us={} shell_us={}",
        at.as_micros(),
        queued.as_micros(),
        waited.as_micros(),
        ran.as_micros(),
        entered.elapsed().as_micros()
    );
    result
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

/// Checks the PIN and starts the session; then runs the alert sweep in the
/// background, so the alert centre is current for whoever signed in.
#[tauri::command]
pub async fn sign_in(app: AppHandle, request: SignInRequest) -> Result<SignedInUser, ApiError> {
    let user = blocking(&app, move |s| s.sign_in(request)).await?;
    let handle = app.clone();
    tauri::async_runtime::spawn(async move { crate::timers::sweep_alerts_once(&handle).await });
    Ok(user)
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
    let (response, what) = timed_blocking(&app, &command, move |s| s.call(&name, input)).await?;
    match what {
        crate::state::Changed::Nothing => {}
        // A scan at the till: the till draws the cart from the answer, and
        // nothing else shows an open cart (held carts are not open ones),
        // so no screen refreshes, sync has nothing to send and the alert
        // sweep no stock to look at. An event here cost every scan a hop
        // through the window's main thread and a read of the held carts.
        crate::state::Changed::CartOnly => {}
        crate::state::Changed::Record => changed(&app, &command),
    }
    Ok(response)
}

/// After `command` committed: open screens refresh, sync wakes, and the
/// alert sweep looks again.
fn changed(app: &AppHandle, command: &str) {
    notify(app, command);
    if let Some(sync) = app.try_state::<crate::sync::SyncRunner>() {
        sync.changed();
    }
    // Alerts follow the change; the alert commands themselves change
    // only alerts, which the sweep would not look at again.
    if !command.contains("alert") {
        if let Some(bell) = app.try_state::<crate::timers::ChangeBell>() {
            bell.ring();
        }
    }
}

/// `preview_import` with its progress sent on `on_progress` as it goes.
#[tauri::command]
pub async fn preview_import_file(
    app: AppHandle,
    request: PreviewImport,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportPreview, ApiError> {
    blocking(&app, move |s| {
        s.preview_import(request, &mut |p: ImportProgress| {
            send_progress(&on_progress, p)
        })
    })
    .await
}

/// `run_import` with its progress sent on `on_progress` as it goes; after
/// it commits, open screens refresh as after any other change.
#[tauri::command]
pub async fn run_import_file(
    app: AppHandle,
    request: RunImport,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportOutcome, ApiError> {
    let outcome = blocking(&app, move |s| {
        s.run_import(request, &mut |p: ImportProgress| {
            send_progress(&on_progress, p)
        })
    })
    .await?;
    changed(&app, "run_import");
    Ok(outcome)
}

/// A lost progress message (the window closed) must not fail the import.
fn send_progress(channel: &Channel<ImportProgress>, progress: ImportProgress) {
    if let Err(e) = channel.send(progress) {
        log::warn!("could not send import progress: {e}");
    }
}

/// Saves an export the UI holds (CSV text the engine made) as `file_name`
/// in the Downloads folder (or `PHARMAPOS_EXPORT_DIR`), never over an
/// existing file, and returns the full path written.
#[tauri::command]
pub async fn save_export(
    app: AppHandle,
    file_name: String,
    contents: String,
) -> Result<String, ApiError> {
    require_session(&app).await?;
    let dir = crate::export::export_dir(app.path().download_dir().ok())?;
    let path = tauri::async_runtime::spawn_blocking(move || {
        crate::export::save(&dir, &file_name, &contents)
    })
    .await
    .map_err(|e| ApiError::internal("saving an export", e))??;
    Ok(path.display().to_string())
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

/// Switches the app to the demo store (`demo.sqlite` beside the store's
/// database), making it on first use with sample products, stock and a day
/// of sales in `request.timezone` (default: this PC's). Ends the session;
/// the answer's `demo` is true. The store's own file is not touched.
#[tauri::command]
pub async fn open_demo(
    app: AppHandle,
    request: Option<DemoRequest>,
) -> Result<AppStatus, ApiError> {
    let status = blocking(&app, move |s| s.open_demo(request.unwrap_or_default())).await?;
    notify(&app, "open_demo");
    Ok(status)
}

/// Switches back from the demo to the store's own database. Ends the session.
#[tauri::command]
pub async fn leave_demo(app: AppHandle) -> Result<AppStatus, ApiError> {
    let status = blocking(&app, |s| s.leave_demo()).await?;
    notify(&app, "leave_demo");
    Ok(status)
}

/// This till's receipt printer (managers and administrators).
#[tauri::command]
pub async fn get_printer_settings(app: AppHandle) -> Result<PrinterSettings, ApiError> {
    blocking(&app, |s| s.printer_settings()).await
}

/// Chooses this till's receipt printer (managers and administrators).
#[tauri::command]
pub async fn set_printer_settings(
    app: AppHandle,
    settings: PrinterSettings,
) -> Result<PrinterSettings, ApiError> {
    blocking(&app, move |s| s.set_printer_settings(settings)).await
}

/// Prints a sale's receipt on this till's printer; `reprint` marks it as a
/// copy and never opens the drawer.
#[tauri::command]
pub async fn print_receipt(
    app: AppHandle,
    sale_id: SaleId,
    reprint: Option<bool>,
) -> Result<PrintResult, ApiError> {
    blocking(&app, move |s| {
        s.print_receipt(sale_id, reprint.unwrap_or(false))
    })
    .await
}

/// Prints a shift's X (open) or Z (closed) report on this till's printer.
#[tauri::command]
pub async fn print_shift_report(
    app: AppHandle,
    shift_id: ShiftId,
) -> Result<PrintResult, ApiError> {
    blocking(&app, move |s| s.print_shift_report(shift_id)).await
}

/// Prints a test page on the given (unsaved) settings, or the saved ones.
#[tauri::command]
pub async fn test_print(
    app: AppHandle,
    settings: Option<PrinterSettings>,
) -> Result<PrintResult, ApiError> {
    blocking(&app, move |s| s.test_print(settings)).await
}

/// Signed in, or `unauthenticated`.
async fn require_session(app: &AppHandle) -> Result<(), ApiError> {
    match blocking(app, |s| s.current_session()).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::unauthenticated("sign in first")),
    }
}

fn sync_runner(app: &AppHandle) -> Result<crate::sync::SyncRunner, ApiError> {
    app.try_state::<crate::sync::SyncRunner>()
        .map(|r| r.inner().clone())
        .ok_or_else(|| ApiError::internal("sync", "the sync task is not running"))
}

/// What the app knows of sync (online, running, next attempt, a missing
/// secret); the engine's side is `get_sync_status` through [`call`].
#[tauri::command]
pub async fn sync_view(app: AppHandle) -> Result<SyncView, ApiError> {
    require_session(&app).await?;
    Ok(sync_runner(&app)?.view())
}

/// "Sync now": one run at once (after the one running, if any).
#[tauri::command]
pub async fn sync_now(app: AppHandle) -> Result<SyncView, ApiError> {
    require_session(&app).await?;
    let host = std::sync::Arc::new(crate::sync::AppHost(app.clone()));
    Ok(sync_runner(&app)?.run_once(host).await)
}

/// Links the signed-in user's store to the central server at `server_url`
/// (`configure_sync`: the engine decides who may) and keeps the store's
/// `secret` in the OS keyring (or the secret folder), then pushes.
/// Registering the same server again only replaces the secret. Should the
/// secret not save (no keyring), the link stays and the view names the
/// missing secret until it is registered again.
#[tauri::command]
pub async fn register_sync(
    app: AppHandle,
    server_url: String,
    secret: String,
) -> Result<SyncView, ApiError> {
    let secret = secret.trim().to_string();
    if secret.is_empty() {
        return Err(ApiError::invalid_input(
            "secret",
            "Enter the store's secret, as head office gave it.",
        ));
    }
    let runner = sync_runner(&app)?;
    let (status, _) = blocking(&app, move |s| {
        s.call(
            "configure_sync",
            serde_json::json!({ "server_url": server_url }),
        )
    })
    .await?;
    let status: pharmapos_engine::sync::SyncStatus = serde_json::from_value(status)
        .map_err(|e| ApiError::internal("configure_sync's answer", e))?;
    let url = status
        .server_url
        .ok_or_else(|| ApiError::internal("configure_sync's answer", "no server URL"))?;
    let secrets = runner.secrets().clone();
    tauri::async_runtime::spawn_blocking(move || secrets.set(status.store_id, &url, &secret))
        .await
        .map_err(|e| ApiError::internal("saving the sync secret", e))??;
    notify(&app, "configure_sync");
    runner.wake();
    Ok(runner.view())
}
