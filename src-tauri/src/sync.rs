//! The background sync task: pushes the store's record to the central
//! server whenever there is something to push and the server can be
//! reached, without ever holding up the till.
//!
//! - It wakes a few seconds after a change (the shell's `call` rings
//!   [`crate::timers::ChangeBell`]), every [`SYNC_EVERY`] anyway, and on
//!   "Sync now". After a failure that may pass (the network, a busy server)
//!   it waits by [`Backoff`] (2 s doubling to 5 min, full jitter) and
//!   ignores changes until then, so a store offline all day does not hammer
//!   the line; "Sync now" still tries at once. A failure only a person can
//!   fix (a wrong secret, a copied file) waits for the slow timer.
//! - Each push is [`pharmapos_sync::push`] on its own connection to the
//!   file (the engine stays synchronous; the till's connection is never
//!   shared with the network), one short transaction per step. An https
//!   server's certificate must chain to the PC's roots or, when the app is
//!   started with `PHARMAPOS_SYNC_CA_FILE=<pem>`, to head office's own CA
//!   (read by `pharmapos_sync::sync` itself; a refused certificate is
//!   `untrusted_server`, a person's to fix).
//! - The secret comes from [`crate::secrets`] (the OS keyring, or the
//!   explicit secret folder); a store linked with no secret saved is shown
//!   as a problem, not skipped in silence.
//! - One run at a time ([`SyncRunner`] holds the lock): the timer's and
//!   "Sync now"'s never overlap. What the engine records (acknowledged
//!   position, last success, last error) is `get_sync_status`; what only
//!   the app knows (online, running, next attempt, a missing secret) is
//!   [`SyncView`].

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{SecondsFormat, Utc};
use pharmapos_engine::ids::StoreId;
use pharmapos_sync::{Backoff, SyncError};
use serde::Serialize;
use tauri::{AppHandle, Manager};
use tokio::sync::Notify;
use ts_rs::TS;

use crate::commands::notify;
use crate::error::ApiError;
use crate::secrets::SecretStore;
use crate::state::AppState;

/// What a run needs from around it: the file and its linked stores, and a
/// way to tell open screens. The app's is [`AppHost`]; tests use an
/// [`AppState`] without a window.
pub trait SyncHost: Send + Sync + 'static {
    /// The file in use and its stores that sync (blocking: called off the runtime).
    fn links(&self) -> Result<(PathBuf, Vec<(StoreId, String)>), ApiError>;
    /// A run started or ended.
    fn changed(&self);
    /// A run applied changes pulled from the server (transfers, receipts).
    fn applied(&self);
}

/// The running app.
pub struct AppHost(pub AppHandle);

impl SyncHost for AppHost {
    fn links(&self) -> Result<(PathBuf, Vec<(StoreId, String)>), ApiError> {
        match self.0.try_state::<AppState>() {
            Some(state) => state.sync_links(),
            None => Err(ApiError::internal("app state", "not initialised yet")),
        }
    }
    fn changed(&self) {
        notify(&self.0, "sync");
    }
    fn applied(&self) {
        notify(&self.0, "sync_pull");
    }
}

impl SyncHost for AppState {
    fn links(&self) -> Result<(PathBuf, Vec<(StoreId, String)>), ApiError> {
        self.sync_links()
    }
    fn changed(&self) {}
    fn applied(&self) {}
}

/// How often the task pushes with no change to wake it.
pub const SYNC_EVERY: Duration = Duration::from_secs(60);
/// How long a burst of changes settles before a push.
pub const SETTLE: Duration = Duration::from_secs(3);

/// What the app knows of sync beyond the engine's `get_sync_status`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, TS)]
#[ts(export, export_to = "shell/")]
pub struct SyncView {
    /// Where the secret is kept: `keyring` or `file` (`PHARMAPOS_SYNC_SECRET_DIR`).
    pub secret_store: String,
    /// Whether the last attempt reached the server; `null` before the first.
    pub online: Option<bool>,
    /// A push is running now.
    pub running: bool,
    /// When the last run ended.
    pub last_run_at: Option<String>,
    /// Events sent by the last run.
    #[ts(type = "number")]
    pub last_events_sent: i64,
    /// Failures in a row.
    pub failures: u32,
    /// When the next attempt is due after a failure.
    pub next_attempt_at: Option<String>,
    /// Why the app cannot push at all (no secret saved, no keyring), in words.
    pub problem: Option<ApiError>,
}

/// How a run ended, for the task's next wait.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Nothing to do, or everything pushed.
    Done,
    /// A failure that may pass by itself.
    Retry,
    /// A failure someone has to fix.
    Stuck,
}

struct Inner {
    secrets: SecretStore,
    now: Notify,
    changed: Notify,
    run: tokio::sync::Mutex<()>,
    view: Mutex<SyncView>,
}

/// The task's handle, managed by Tauri: commands read its view and ask it
/// to run now.
#[derive(Clone)]
pub struct SyncRunner(Arc<Inner>);

impl SyncRunner {
    /// A runner keeping secrets in `secrets`.
    pub fn new(secrets: SecretStore) -> SyncRunner {
        let view = SyncView {
            secret_store: secrets.kind().to_string(),
            ..SyncView::default()
        };
        SyncRunner(Arc::new(Inner {
            secrets,
            now: Notify::new(),
            changed: Notify::new(),
            run: tokio::sync::Mutex::new(()),
            view: Mutex::new(view),
        }))
    }

    /// Where secrets are kept.
    pub fn secrets(&self) -> &SecretStore {
        &self.0.secrets
    }

    /// The view now.
    pub fn view(&self) -> SyncView {
        match self.0.view.lock() {
            Ok(v) => v.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn update(&self, f: impl FnOnce(&mut SyncView)) {
        match self.0.view.lock() {
            Ok(mut v) => f(&mut v),
            Err(poisoned) => f(&mut poisoned.into_inner()),
        }
    }

    /// Something was committed: push soon (unless backing off).
    pub fn changed(&self) {
        self.0.changed.notify_one();
    }

    /// Wakes the task for a run now.
    pub fn wake(&self) {
        self.0.now.notify_one();
    }

    /// One run: every linked store of the open file, pushed in turn.
    pub async fn run_once(&self, host: Arc<dyn SyncHost>) -> SyncView {
        self.run_inner(host).await;
        self.view()
    }

    async fn run_inner(&self, host: Arc<dyn SyncHost>) -> Outcome {
        let _one_at_a_time = self.0.run.lock().await;
        self.update(|v| v.running = true);
        host.changed();
        let outcome = self.push_all(host.clone()).await;
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
        self.update(|v| {
            v.running = false;
            v.last_run_at = Some(now);
            match outcome {
                Outcome::Done => v.failures = 0,
                Outcome::Retry | Outcome::Stuck => v.failures += 1,
            }
        });
        host.changed();
        outcome
    }

    async fn push_all(&self, host: Arc<dyn SyncHost>) -> Outcome {
        let links_of = host.clone();
        let found = tokio::task::spawn_blocking(move || links_of.links())
            .await
            .map_err(|e| ApiError::internal("sync", e))
            .and_then(|r| r);
        let (path, links) = match found {
            Ok(found) => found,
            Err(e) => {
                self.update(|v| v.problem = Some(e));
                return Outcome::Stuck;
            }
        };
        let mut outcome = Outcome::Done;
        let mut problem = None;
        let mut sent = 0;
        for (store, url) in links {
            let secrets = self.0.secrets.clone();
            let secret = tokio::task::spawn_blocking(move || secrets.get(store, &url))
                .await
                .map_err(|e| ApiError::internal("reading the sync secret", e))
                .and_then(|r| r);
            let secret = match secret {
                Ok(Some(s)) => s,
                Ok(None) => {
                    problem = Some(ApiError {
                        kind: "sync_secret_missing".into(),
                        message: format!(
                            "No sync secret is saved on this PC for store {store}: an admin registers the store again (Settings → Sync) with the secret head office gave."
                        ),
                        details: serde_json::json!({ "store_id": store }),
                    });
                    outcome = Outcome::Stuck;
                    continue;
                }
                Err(e) => {
                    problem = Some(e);
                    outcome = Outcome::Stuck;
                    continue;
                }
            };
            match pharmapos_sync::sync(&path, store, &secret).await {
                Ok(report) => {
                    sent += report.push.events_sent;
                    if report.pull.applied > 0 {
                        // Transfers arrived or moved on: every open screen reads again.
                        host.applied();
                    }
                    self.update(|v| v.online = Some(true));
                }
                Err(e) => {
                    log::warn!("sync of store {store}: {e}");
                    let reached = !matches!(e, SyncError::Unreachable(_));
                    self.update(|v| v.online = Some(reached));
                    if e.retryable() {
                        if outcome == Outcome::Done {
                            outcome = Outcome::Retry;
                        }
                    } else {
                        outcome = Outcome::Stuck;
                    }
                }
            }
        }
        self.update(|v| {
            v.problem = problem;
            v.last_events_sent = sent;
        });
        outcome
    }
}

/// Forever: waits for a change, the timer, "Sync now" or the end of a
/// backoff, then runs.
pub async fn sync_forever(app: AppHandle, runner: SyncRunner) {
    let host: Arc<dyn SyncHost> = Arc::new(AppHost(app));
    let mut backoff = Backoff::new(Duration::from_secs(2), Duration::from_secs(300));
    // The first run soon after start, once the window is up.
    let mut wait = Duration::from_secs(5);
    loop {
        let backing_off = backoff.failures() > 0;
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = runner.0.now.notified() => {}
            () = runner.0.changed.notified(), if !backing_off => {
                tokio::time::sleep(SETTLE).await;
            }
        }
        wait = match runner.run_inner(host.clone()).await {
            Outcome::Done => {
                backoff.reset();
                SYNC_EVERY
            }
            Outcome::Retry => backoff.next_delay(),
            Outcome::Stuck => {
                backoff.next_delay();
                SYNC_EVERY * 5
            }
        };
        let next = (backoff.failures() > 0).then(|| {
            let secs = i64::try_from(wait.as_secs()).unwrap_or(i64::MAX / 1000);
            (Utc::now() + chrono::Duration::seconds(secs))
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        });
        runner.update(|v| v.next_attempt_at = next);
    }
}
