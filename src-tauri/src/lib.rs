//! PharmaPOS desktop shell: the Tauri app around the inventory engine.
//!
//! The shell is deliberately thin. It owns the window, the store database
//! handle and the signed-in session, and exposes a handful of Tauri commands
//! ([`commands`]) that delegate to the shared command layer
//! (`pharmapos-commands`). Business rules and SQL live in the engine only.
//!
//! - [`options`]: where the database lives (`--db`, `PHARMAPOS_DB`, default)
//!   and the till id (`--till-id`, `PHARMAPOS_TILL_ID`).
//! - [`till`]: this till's id and printer, kept in a config file beside the
//!   database.
//! - [`printer`]: receipts and shift reports to an ESC/POS receipt printer.
//! - [`timers`]: the background timer that releases lapsed holds.
//! - [`sync`]: the background task pushing the store's record to the central
//!   server; [`secrets`]: where the store's sync secret is kept (OS keyring).
//! - [`state`]: the database and session, testable without a desktop.
//! - [`display`]: whether a window can open here, asked before Tauri starts.
//! - [`commands`]: the Tauri commands and the `data-changed` event.
//! - [`error`]: the `{kind, message, details}` error the UI receives.
//! - [`export`]: saving an export in the Downloads folder.

pub mod commands;
pub mod display;
pub mod error;
pub mod export;
pub mod options;
pub mod printer;
pub mod secrets;
pub mod state;
pub mod sync;
pub mod till;
pub mod timers;

use tauri::Manager;

pub use options::LaunchOptions;
use state::AppState;

/// Builds and runs the app until its window closes.
pub fn run(options: LaunchOptions) -> Result<(), Box<dyn std::error::Error>> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(move |app| {
            let db_path = match options.db_path.clone() {
                Some(path) => path,
                None => app.path().app_data_dir()?.join(options::DEFAULT_DB_FILE),
            };
            log::info!("store database: {}", db_path.display());
            if options.demo {
                log::info!("--demo: opening {}", state::demo_path(&db_path).display());
            }
            #[cfg(target_os = "linux")]
            if display::draws_on_cpu(options.drawing, std::path::Path::new("/dev/dri")) {
                log::info!("the web view draws on the CPU ({:?})", options.drawing);
                for window in app.webview_windows().into_values() {
                    window.with_webview(|webview| display::configure_webview(&webview.inner()))?;
                }
            }
            let state = AppState::new(db_path, options.idle_lock.limit())
                .with_till_id(options.till_id.clone());
            app.manage(if options.demo { state.in_demo() } else { state });
            if options.demo {
                // Make the demo while the window loads, not on the UI's
                // first status call (the UI's call then waits on the lock).
                let handle = app.handle().clone();
                tauri::async_runtime::spawn(async move {
                    if let Err(e) = commands::blocking(&handle, |s| s.status()).await {
                        log::error!("opening the demo: {e}");
                    }
                });
            }
            tauri::async_runtime::spawn(timers::release_lapsed_holds_every(
                app.handle().clone(),
                timers::HOLD_RELEASE_EVERY,
            ));
            tauri::async_runtime::spawn(timers::expire_lapsed_batches_every(
                app.handle().clone(),
                timers::EXPIRE_LAPSED_EVERY,
            ));
            tauri::async_runtime::spawn(timers::checkpoint_wal_every(
                app.handle().clone(),
                timers::WAL_CHECKPOINT_EVERY,
            ));
            tauri::async_runtime::spawn(timers::sweep_alerts_every(
                app.handle().clone(),
                timers::ALERT_SWEEP_EVERY,
            ));
            let runner = sync::SyncRunner::new(secrets::SecretStore::from_env());
            app.manage(runner.clone());
            tauri::async_runtime::spawn(sync::sync_forever(app.handle().clone(), runner));
            let bell = timers::ChangeBell::default();
            app.manage(bell.clone());
            tauri::async_runtime::spawn(timers::sweep_alerts_after_changes(
                app.handle().clone(),
                bell,
                timers::SWEEP_AFTER_CHANGE,
            ));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::setup_store,
            commands::list_sign_in_users,
            commands::sign_in,
            commands::sign_out,
            commands::current_session,
            commands::call,
            commands::preview_import_file,
            commands::run_import_file,
            commands::backup_database,
            commands::save_export,
            commands::till_config,
            commands::rename_till,
            commands::open_demo,
            commands::leave_demo,
            commands::get_printer_settings,
            commands::set_printer_settings,
            commands::print_receipt,
            commands::print_shift_report,
            commands::test_print,
            commands::sync_view,
            commands::sync_now,
            commands::register_sync,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
