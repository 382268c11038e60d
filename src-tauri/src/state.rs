//! The shell's state: the open store database, who is signed in, and this
//! till's id.
//!
//! The app runs on one file at a time: the store's own, or the demo store's
//! (`demo.sqlite` beside it, made on first use by the engine's
//! [`pharmapos_engine::demo`]). [`AppState::open_demo`] and
//! [`AppState::leave_demo`] switch between them, ending the session (the
//! two files have different users); the store's file is never written by
//! the demo. Each file has its own till config beside it.
//!
//! [`AppState`] is plain Rust with no Tauri types, so every behaviour of the
//! shell (first start, sign-in, idle lock, command calls, backup) is tested
//! without a desktop. The Tauri commands in [`crate::commands`] only move a
//! call onto a blocking thread and emit events.
//!
//! The database is opened lazily on the first status request and kept in a
//! `Mutex<Option<Db>>`: `Db` is `Send` but not `Sync`, and SQLite work is
//! serialised through this one connection. If the file cannot be opened
//! (newer schema, not a PharmaPOS file, unreadable) the error is kept and
//! shown on a dedicated screen; nothing is reset or overwritten.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use chrono::{DateTime, Utc};
use pharmapos_engine::alerts::sweep::SweepPlan;
use pharmapos_engine::auth::{self, SignInRequest, SignedInUser, UserSummary};
use pharmapos_engine::clock::{Clock, SystemClock};
use pharmapos_engine::demo::{DemoRequest, DEMO_TILL};
use pharmapos_engine::ids::StoreId;
use pharmapos_engine::onboarding::{
    self, ImportOutcome, ImportPreview, ImportProgress, PreviewImport, RunImport,
};
use pharmapos_engine::sales::shifts::AuthorizeTillRename;
use pharmapos_engine::setup::{self, InitRequest, InitResult};
use pharmapos_engine::{Db, OpenOptions, Session, WalCheckpoint};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::error::ApiError;
use crate::till::{TillConfig, TillIdSource, TillIdStore};

/// The demo store's file name, beside the store's database.
pub const DEMO_DB_FILE: &str = "demo.sqlite";

/// Default idle time after which the session locks.
pub const DEFAULT_IDLE_LOCK: Duration = Duration::from_secs(5 * 60);

/// Where the app is in its life: what the UI should show first.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "shell/")]
pub enum DbState {
    /// The database is open but has no store yet: show setup.
    NeedsSetup,
    /// The database is open and set up: show sign-in.
    Ready,
    /// The database could not be opened: show the error screen.
    Unavailable,
}

/// Answer of `app_status`.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export, export_to = "shell/")]
pub struct AppStatus {
    /// The database file in use.
    pub db_path: String,
    /// What to show.
    pub state: DbState,
    /// Why the database is unavailable, when it is.
    pub error: Option<ApiError>,
    /// Seconds of inactivity after which the session locks (0: never).
    #[ts(type = "number")]
    pub idle_lock_seconds: u64,
    /// The app's version.
    pub version: String,
    /// The file is a demo store (made by `open_demo` or `--demo`): the UI
    /// shows a banner on every screen, with a way back (`leave_demo`).
    pub demo: bool,
}

/// Answer of `current_session`.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export, export_to = "shell/")]
pub struct SessionInfo {
    /// The signed-in user.
    pub user: SignedInUser,
}

struct ActiveSession {
    user: SignedInUser,
    /// When the user last acted, by [`AppState`]'s clock.
    last_activity: DateTime<Utc>,
}

/// The file the app runs on, opened lazily.
struct OpenFile {
    path: PathBuf,
    /// This is the demo's file: made with the demo store if missing, as
    /// this request says.
    demo: Option<DemoRequest>,
    db: Option<Db>,
    till: Arc<TillIdStore>,
}

/// The shell's state, managed by Tauri.
pub struct AppState {
    /// The store's own database (the demo lives beside it).
    store_path: PathBuf,
    idle_lock: Option<Duration>,
    file: Mutex<OpenFile>,
    /// A second connection to the file in use (and its path), for
    /// background work that would hold up the till on `file`'s: the full
    /// alert sweep's reading (seconds on a big store) and the WAL's
    /// checkpoints.
    background: Mutex<Option<(PathBuf, Db)>>,
    session: Mutex<Option<ActiveSession>>,
    /// A till id fixed for the run (`--till-id`), for whichever file.
    fixed_till: Option<(String, TillIdSource)>,
    clock: Arc<dyn Clock>,
}

/// Gives the calling thread a lower CPU priority (nice 10), for a thread
/// made for background work: on two cores the full alert sweep's seconds of
/// reading otherwise compete on equal terms with the till's webview. (On
/// Linux the nice value is the thread's; it cannot be raised back without
/// privileges, so only a thread of its own is lowered.) A failure only
/// costs the till that priority, so it is logged and the work goes on.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    {
        // No pid: the caller, which on Linux is this thread.
        if let Err(e) = rustix::process::setpriority_process(None, 10) {
            log::warn!("could not lower the alert sweep's priority: {e}");
        }
    }
}

/// Alerts raised or resolved per transaction by the background sweep. A
/// scan that comes during a step waits for it: on the benchmark store,
/// the morning after 3,900 alerts changed, steps of 200 held the
/// connection for 23–55 ms each (0.12–0.28 ms an alert), and the scans that
/// waited for them were the slowest of the webview bench's run
/// (docs/benchmarks.md, session 15). Forty keep a step near 10 ms.
const SWEEP_STEP: usize = 40;

/// Batches the daily expiry run marks per step (each one transaction with
/// its events, a few milliseconds), giving the connection back between.
const EXPIRE_STEP: u32 = 50;

/// WAL pages after which a commit on the till's connection checkpoints the
/// WAL itself (~160 MiB), a backstop only: [`AppState::checkpoint_wal`]
/// copies it from the background connection well before, every
/// [`crate::timers::WAL_CHECKPOINT_EVERY`]. At the engine's 10,000 the
/// commit that crossed it, a sale or an alert sweep's step, held the till's
/// connection for the copy and its syncs: one scan in the webview bench
/// waited 99 ms for it (docs/benchmarks.md, session 15).
const TILL_WAL_AUTOCHECKPOINT_PAGES: u32 = 40_000;

thread_local! {
    /// Time this thread spent waiting for the database lock since the last
    /// [`take_db_wait`] (for the shell's timings).
    static DB_WAIT: std::cell::Cell<std::time::Duration> = const { std::cell::Cell::new(std::time::Duration::ZERO) };
}

/// The time this thread waited for the database lock since the last call.
pub(crate) fn take_db_wait() -> std::time::Duration {
    DB_WAIT.with(|w| w.replace(std::time::Duration::ZERO))
}

fn lock<'a, T>(m: &'a Mutex<T>, what: &str) -> Result<MutexGuard<'a, T>, ApiError> {
    m.lock()
        .map_err(|_| ApiError::internal(what, "a previous call panicked while holding the lock"))
}

impl AppState {
    /// State for the database at `db_path`; `idle_lock` of `None` never locks.
    pub fn new(db_path: PathBuf, idle_lock: Option<Duration>) -> AppState {
        AppState {
            file: Mutex::new(OpenFile {
                till: Arc::new(TillIdStore::new(&db_path, None)),
                path: db_path.clone(),
                demo: None,
                db: None,
            }),
            store_path: db_path,
            idle_lock,
            background: Mutex::new(None),
            session: Mutex::new(None),
            fixed_till: None,
            clock: Arc::new(SystemClock),
        }
    }

    /// Starts on the demo store instead of the store (`--demo`); it is made
    /// when first opened.
    pub fn in_demo(mut self) -> AppState {
        let path = demo_path(&self.store_path);
        self.file = Mutex::new(OpenFile {
            till: Arc::new(TillIdStore::new(&path, self.fixed_till.clone())),
            path,
            demo: Some(DemoRequest::default()),
            db: None,
        });
        self
    }

    /// The clock of the engine and of the idle lock (tests move it; the app
    /// uses the system clock). The engine takes it when the database is
    /// opened, so set it first.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> AppState {
        self.clock = clock;
        self
    }

    /// Fixes the till id for this run (`--till-id` / `PHARMAPOS_TILL_ID`);
    /// `None` leaves it to the config file beside the database.
    pub fn with_till_id(mut self, fixed: Option<(String, TillIdSource)>) -> AppState {
        self.fixed_till = fixed;
        if let Ok(file) = self.file.get_mut() {
            file.till = Arc::new(TillIdStore::new(&file.path, self.fixed_till.clone()));
        }
        self
    }

    /// "Now" by the shell's clock.
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The database file in use (the store's, or the demo's).
    pub fn db_path(&self) -> PathBuf {
        match self.file.lock() {
            Ok(file) => file.path.clone(),
            Err(poisoned) => poisoned.into_inner().path.clone(),
        }
    }

    /// The till id store of the file in use.
    pub(crate) fn till(&self) -> Result<Arc<TillIdStore>, ApiError> {
        Ok(lock(&self.file, "database lock")?.till.clone())
    }

    /// Runs `f` on the open database, opening it first if needed (and, for
    /// the demo's file, making the demo store when there is none yet).
    pub(crate) fn with_db<T>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let asked = std::time::Instant::now();
        let mut file = lock(&self.file, "database lock")?;
        DB_WAIT.with(|w| w.set(w.get() + asked.elapsed()));
        let file = &mut *file;
        let guard = &mut file.db;
        if guard.is_none() {
            if let Some(parent) = file.path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| ApiError {
                    kind: "storage".into(),
                    message: format!("cannot create the data folder {}: {e}", parent.display()),
                    details: serde_json::json!({ "path": parent.display().to_string(), "problem": "other" }),
                })?;
            }
            let options = OpenOptions {
                clock: self.clock.clone(),
                ..OpenOptions::default()
            };
            if let (Some(request), false) = (&file.demo, file.path.exists()) {
                make_demo(&file.path, &file.till, request.clone(), options.clone())?;
            }
            match Db::open_with(&file.path, options).and_then(|db| {
                db.set_wal_autocheckpoint(TILL_WAL_AUTOCHECKPOINT_PAGES)
                    .map(|()| db)
            }) {
                Ok(db) => *guard = Some(db),
                Err(e) => {
                    let err = ApiError::from(e);
                    log::error!("cannot open {}: {err}", file.path.display());
                    return Err(err);
                }
            }
        }
        match guard.as_mut() {
            Some(db) => f(db),
            None => Err(ApiError::internal("database", "not open")),
        }
    }

    /// Opens the database if needed and says what the UI should show.
    pub fn status(&self) -> Result<AppStatus, ApiError> {
        let outcome = self.with_db(|db| Ok((db.is_initialized()?, db.is_demo()?)));
        let (state, error, demo) = match outcome {
            Ok((true, demo)) => (DbState::Ready, None, demo),
            Ok((false, demo)) => (DbState::NeedsSetup, None, demo),
            Err(e) if e.kind == "internal" => return Err(e),
            Err(e) => (DbState::Unavailable, Some(e), false),
        };
        Ok(AppStatus {
            db_path: self.db_path().display().to_string(),
            state,
            error,
            idle_lock_seconds: self.idle_lock.map_or(0, |d| d.as_secs()),
            version: env!("CARGO_PKG_VERSION").to_string(),
            demo,
        })
    }

    /// Switches the app to the demo store (`demo.sqlite` beside the store's
    /// database), making it first if there is none: sample products, stock
    /// and a day of sales, in `request.timezone` (default: this PC's zone).
    /// Ends the session; the store's own file is not touched. Idempotent:
    /// a demo already made is opened as it was left.
    pub fn open_demo(&self, request: DemoRequest) -> Result<AppStatus, ApiError> {
        let path = demo_path(&self.store_path);
        if path == self.store_path {
            return Err(ApiError {
                kind: "conflict".into(),
                message: format!(
                    "the store's own database is named {DEMO_DB_FILE}; start PharmaPOS with --db naming another file to try the demo"
                ),
                details: serde_json::json!({ "path": path.display().to_string() }),
            });
        }
        // Made (if it must be) when first opened, under the database lock.
        self.switch_to(path, Some(request))?;
        if let Err(e) = self.with_db(|_| Ok(())) {
            // A demo that cannot be made or opened: back to the store.
            self.switch_to(self.store_path.clone(), None)?;
            return Err(e);
        }
        self.status()
    }

    /// Switches the app back to the store's own database. Ends the session.
    pub fn leave_demo(&self) -> Result<AppStatus, ApiError> {
        self.switch_to(self.store_path.clone(), None)?;
        self.status()
    }

    /// Closes the file in use and makes `path` the next one opened.
    fn switch_to(&self, path: PathBuf, demo: Option<DemoRequest>) -> Result<(), ApiError> {
        *lock(&self.session, "session lock")? = None;
        let mut file = lock(&self.file, "database lock")?;
        if file.path == path && file.demo.is_some() == demo.is_some() {
            return Ok(());
        }
        if let Some(db) = file.db.take() {
            if let Err(e) = db.close() {
                log::warn!("closing {}: {e}", file.path.display());
            }
        }
        log::info!(
            "switching to {} ({})",
            path.display(),
            if demo.is_some() { "demo" } else { "store" }
        );
        *file = OpenFile {
            till: Arc::new(TillIdStore::new(&path, self.fixed_till.clone())),
            path,
            demo,
            db: None,
        };
        Ok(())
    }

    /// Creates the first store and admin; refused once set up.
    pub fn setup_store(&self, request: InitRequest) -> Result<InitResult, ApiError> {
        self.with_db(|db| {
            if db.is_initialized()? {
                return Err(pharmapos_engine::Error::AlreadySetUp {}.into());
            }
            Ok(setup::initialize(db, request)?)
        })
    }

    /// Active users for the sign-in picker.
    pub fn sign_in_users(&self) -> Result<Vec<UserSummary>, ApiError> {
        self.with_db(|db| Ok(auth::list_active_users(db)?))
    }

    /// Checks the PIN and starts a session (replacing any previous one).
    pub fn sign_in(&self, request: SignInRequest) -> Result<SignedInUser, ApiError> {
        // A failed attempt ends the previous session too: the till must not
        // stay signed in as someone else after a PIN was tried.
        *lock(&self.session, "session lock")? = None;
        let user = self.with_db(|db| Ok(auth::sign_in(db, &request)?))?;
        *lock(&self.session, "session lock")? = Some(ActiveSession {
            user: user.clone(),
            last_activity: self.clock.now(),
        });
        log::info!("signed in: {}", user.name);
        Ok(user)
    }

    /// Ends the session.
    pub fn sign_out(&self) -> Result<(), ApiError> {
        *lock(&self.session, "session lock")? = None;
        Ok(())
    }

    /// The signed-in user, if any and not idle past the limit.
    pub fn current_session(&self) -> Result<Option<SessionInfo>, ApiError> {
        let mut guard = lock(&self.session, "session lock")?;
        self.expire_if_idle(&mut guard);
        Ok(guard.as_ref().map(|s| SessionInfo {
            user: s.user.clone(),
        }))
    }

    fn expire_if_idle(&self, session: &mut Option<ActiveSession>) {
        let now = self.clock.now();
        if let (Some(limit), Some(active)) = (self.idle_lock, session.as_mut()) {
            // The clock is wall time: set back (by hand or by a time sync),
            // the idle count restarts from the new "now" rather than waiting
            // for the clock to catch up with the old last activity.
            if now < active.last_activity {
                active.last_activity = now;
            }
            let idle = (now - active.last_activity)
                .to_std()
                .unwrap_or(Duration::ZERO);
            if idle >= limit {
                log::info!(
                    "session of {} locked after {}s idle",
                    active.user.name,
                    limit.as_secs()
                );
                *session = None;
            }
        }
    }

    /// The acting user for a command; refreshes the idle timer.
    pub(crate) fn acting_user(&self) -> Result<SignedInUser, ApiError> {
        let mut guard = lock(&self.session, "session lock")?;
        self.expire_if_idle(&mut guard);
        match guard.as_mut() {
            Some(active) => {
                active.last_activity = self.clock.now();
                Ok(active.user.clone())
            }
            None => Err(ApiError::unauthenticated(
                "You are not signed in (or the till locked itself). Sign in to continue.",
            )),
        }
    }

    /// The signed-in user for background work, if any and not idle past the
    /// limit. Unlike [`Self::acting_user`] it does not count as activity, so
    /// a timer never keeps an unattended till from locking.
    fn background_user(&self) -> Result<Option<SignedInUser>, ApiError> {
        let mut guard = lock(&self.session, "session lock")?;
        self.expire_if_idle(&mut guard);
        Ok(guard.as_ref().map(|s| s.user.clone()))
    }

    /// What the shell's hold timer runs ([`crate::timers`]): the engine's
    /// `release_expired_reservations` as the signed-in user, so lapsed
    /// holds give their stock back without waiting for the next till
    /// action. Returns how many holds were released (their `release` audit
    /// events name that user and say "hold lapsed"). With nobody signed in
    /// (or the session locked on idle) it does nothing and returns 0: the
    /// engine runs no operation without an actor, and the next hold, resume
    /// or sale (which run the same release) or the first tick after someone
    /// signs in catches up.
    pub fn release_lapsed_holds(&self) -> Result<usize, ApiError> {
        let Some(user) = self.background_user()? else {
            return Ok(0);
        };
        let session = Session { user_id: user.id };
        self.with_db(|db| {
            Ok(pharmapos_engine::stock::reservations::release_lapsed_holds(
                db, &session,
            )?)
        })
    }

    /// What the shell's timer runs beside the hold release: the engine's vial
    /// sweep (`sweep_vials`) as the signed-in user, so an open vial past its
    /// window closes and its remainder is wasted without waiting for the next
    /// draw or the Open vials screen. Returns how many vials closed; with
    /// nobody signed in (or a role without the permission) it does nothing.
    pub fn sweep_open_vials(&self) -> Result<usize, ApiError> {
        let Some(user) = self.background_user()? else {
            return Ok(0);
        };
        let session = Session { user_id: user.id };
        self.with_db(|db| Ok(pharmapos_engine::clinic::vials::sweep_for(db, &session)?))
    }

    /// What the shell's expiry timer runs: marks expired the store's
    /// batches already past their expiry date (`expire_batches_within_days`
    /// with `days: 0`), as the signed-in user, a step at a time so a till
    /// waiting for the connection waits for one step at most. Returns how
    /// many it marked. With nobody signed in, or a user who may not manage
    /// stock, it does nothing: the till already refuses those batches by
    /// their date, and the next manager's session catches up.
    pub fn expire_lapsed_batches(&self) -> Result<usize, ApiError> {
        let Some(user) = self.background_user()? else {
            return Ok(0);
        };
        let session = Session { user_id: user.id };
        let mut total = 0;
        loop {
            let n = self.with_db(|db| {
                Ok(pharmapos_engine::stock::expiry::expire_lapsed_step(
                    db,
                    &session,
                    EXPIRE_STEP,
                )?)
            })?;
            total += n;
            if n < EXPIRE_STEP as usize {
                return Ok(total);
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// Runs the alert sweep (`run_alert_sweep`) as the signed-in user, in
    /// their store: raises the stock, expiry, recall and reorder alerts the
    /// store needs and resolves those whose cause is gone; `changed_only`
    /// looks only at the products moved since the last sweep (the engine's
    /// high-water mark), which is what runs after each change. With nobody
    /// signed in it does nothing and returns `None` (the next tick or
    /// sign-in catches up).
    pub fn sweep_alerts(
        &self,
        changed_only: bool,
    ) -> Result<Option<pharmapos_engine::alerts::sweep::SweepResult>, ApiError> {
        let Some(user) = self.background_user()? else {
            return Ok(None);
        };
        let session = Session { user_id: user.id };
        if changed_only {
            // Short (the products a change named): on the till's connection.
            return self.with_db(|db| {
                Ok(Some(db.execute(
                    &session,
                    pharmapos_engine::alerts::sweep::RunAlertSweep {
                        store_id: None,
                        changed_only: Some(true),
                    },
                )?))
            });
        }
        // The full sweep reads on a connection of its own (for seconds on a
        // big store), then writes what changed a step at a time on the
        // till's, giving it back between steps.
        let path = self.db_path();
        let mut plan = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    lower_this_threads_priority();
                    self.plan_full_sweep(&path, &session)
                })
                .join()
                .map_err(|_| ApiError::internal("alert sweep", "its reading thread panicked"))?
        })?;
        loop {
            if let Some(done) = self.with_db(|db| Ok(plan.step(db, &session, SWEEP_STEP)?))? {
                return Ok(Some(done));
            }
            // A till call that waited for the connection takes it first.
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The full sweep's first step, on the background connection.
    fn plan_full_sweep(&self, path: &Path, session: &Session) -> Result<SweepPlan, ApiError> {
        self.with_background_db(path, |db| Ok(SweepPlan::read(db, session, None)?))
    }

    /// Runs `f` on the background connection to `path`, the file in use
    /// (opened on first use, and again when the file in use changed).
    fn with_background_db<T>(
        &self,
        path: &Path,
        f: impl FnOnce(&mut Db) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let mut background = lock(&self.background, "background database lock")?;
        if background.as_ref().is_none_or(|(open, _)| open != path) {
            let options = OpenOptions {
                clock: self.clock.clone(),
                ..OpenOptions::default()
            };
            *background = Some((path.to_path_buf(), Db::open_with(path, options)?));
        }
        let Some((_, db)) = background.as_mut() else {
            return Err(ApiError::internal("background database", "not open"));
        };
        f(db)
    }

    /// Copies the WAL into the database from the background connection
    /// (a passive checkpoint: the till's connection goes on reading and
    /// writing meanwhile). Nothing is done, and `None` returned, while the
    /// file in use is not open: the background connection would create it.
    pub fn checkpoint_wal(&self) -> Result<Option<WalCheckpoint>, ApiError> {
        let path = {
            let file = lock(&self.file, "database lock")?;
            if file.db.is_none() {
                return Ok(None);
            }
            file.path.clone()
        };
        self.with_background_db(&path, |db| Ok(Some(db.checkpoint_wal()?)))
    }

    /// The file in use and its stores that sync with a server (none in a
    /// demo store, which never syncs). No session is needed: pushing the
    /// store's record is the store's bookkeeping, not a user's action.
    pub fn sync_links(&self) -> Result<(PathBuf, Vec<(StoreId, String)>), ApiError> {
        let links = self.with_db(|db| {
            if !db.is_initialized()? || db.is_demo()? {
                return Ok(Vec::new());
            }
            Ok(pharmapos_engine::sync::linked_stores(db)?)
        })?;
        Ok((self.db_path(), links))
    }

    /// Runs a command of the command layer as the signed-in user. Returns the
    /// response and what it changed (so the caller can tell open screens to
    /// refresh, and wake sync and the alert sweep only when the store's
    /// record moved).
    pub fn call(&self, name: &str, input: Value) -> Result<(Value, Changed), ApiError> {
        let Some(command) = pharmapos_commands::COMMANDS.iter().find(|c| c.name == name) else {
            return Err(ApiError::invalid_input(
                "name",
                format!("unknown command '{name}'"),
            ));
        };
        let session = self.session()?;
        let changes = changes_data(command.writes, &input);
        let (response, deferred) = self.with_db(|db| {
            let response = pharmapos_commands::dispatch(db, &session, name, input)?;
            Ok((response, db.last_op_deferred()))
        })?;
        let changed = match (changes, deferred) {
            (false, _) => Changed::Nothing,
            (true, true) => Changed::CartOnly,
            (true, false) => Changed::Record,
        };
        Ok((response, changed))
    }

    /// `preview_import` with progress: the engine reports every few
    /// thousand rows and this forwards each report to `progress` (the
    /// window's channel). Same checks and permissions as through
    /// [`Self::call`]; only the progress is added, because a million-row
    /// file takes a minute and a still screen for that long reads as a hang.
    pub fn preview_import(
        &self,
        request: PreviewImport,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportPreview, ApiError> {
        let session = self.session()?;
        self.with_db(|db| {
            Ok(onboarding::preview_import_with_progress(
                db, &session, request, progress,
            )?)
        })
    }

    /// `run_import` with progress, as [`Self::preview_import`]: the same
    /// single all-or-nothing transaction as through [`Self::call`].
    pub fn run_import(
        &self,
        request: RunImport,
        progress: &mut dyn FnMut(ImportProgress),
    ) -> Result<ImportOutcome, ApiError> {
        let session = self.session()?;
        self.with_db(|db| {
            Ok(onboarding::run_import_with_progress(
                db, &session, request, progress,
            )?)
        })
    }

    /// The signed-in user's engine session.
    fn session(&self) -> Result<Session, ApiError> {
        Ok(Session {
            user_id: self.acting_user()?.id,
        })
    }

    /// Copies the live database to `destination` (SQLite online backup).
    /// The copy holds everything, PIN hashes included: the engine decides
    /// who may take one.
    pub fn backup(&self, destination: &Path) -> Result<String, ApiError> {
        let session = self.session()?;
        self.with_db(|db| Ok(db.backup(&session, destination)?))?;
        log::info!("backed up to {}", destination.display());
        Ok(destination.display().to_string())
    }

    /// This till's id and where it comes from (no session needed: the
    /// sign-in screen may show it).
    pub fn till_config(&self) -> Result<TillConfig, ApiError> {
        self.till()?.config()
    }

    /// Renames this till. The engine decides whether the acting user may
    /// (administrators) and whether the till may be renamed now (not while
    /// a shift is open under its current id: the shift, its cash and its
    /// held carts are filed under that id).
    pub fn rename_till(&self, new_id: &str) -> Result<TillConfig, ApiError> {
        let user = self.acting_user()?;
        let new_id = crate::till::validate_till_id(new_id)?;
        // A broken config file has no current id to keep: renaming repairs
        // it. A fixed id is refused by the store below, after the engine's
        // permission check.
        let till = self.till()?;
        let current = till
            .config()
            .ok()
            .filter(|c| c.renamable && c.till_id != new_id)
            .map(|c| c.till_id);
        let session = Session { user_id: user.id };
        self.with_db(|db| {
            Ok(db.execute(
                &session,
                AuthorizeTillRename {
                    terminal_id: current,
                },
            )?)
        })?;
        let config = till.rename(&new_id)?;
        log::info!("till renamed to {} by {}", config.till_id, user.name);
        Ok(config)
    }
}

/// The demo's file for a store's database: `demo.sqlite` beside it.
pub fn demo_path(store_path: &Path) -> PathBuf {
    store_path.with_file_name(DEMO_DB_FILE)
}

/// Makes the demo store at `path` (in this PC's time zone unless the
/// request names one) and sets the demo's till to the till its sales were
/// rung up at, so that the till continues today's demo shift (unless this
/// till's id is fixed for the run).
fn make_demo(
    path: &Path,
    till: &TillIdStore,
    mut request: DemoRequest,
    options: OpenOptions,
) -> Result<(), ApiError> {
    if request.timezone.is_none() {
        request.timezone = iana_time_zone::get_timezone()
            .ok()
            .filter(|tz| tz.parse::<chrono_tz::Tz>().is_ok());
    }
    let summary = pharmapos_engine::demo::create(path, request, options)?;
    log::info!(
        "demo store made at {}: {} products, {} sales",
        path.display(),
        summary.products,
        summary.sales
    );
    till.set_if_new(DEMO_TILL)?;
    Ok(())
}

/// Whether a call of a command that `writes` with `input` changes data (so
/// open screens are told to refresh). A request with `dry_run: true` only
/// answers what it would do and changes nothing (the engine's convention,
/// e.g. `expire_batches_within_days`): no data-changed, or the preview a
/// screen just asked for would refetch every open list.
/// What a command changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Changed {
    /// Nothing (a read, a dry run).
    Nothing,
    /// A cart's lines only, committed without waiting for the disk: no
    /// event to send, no stock moved, nothing another screen shows.
    CartOnly,
    /// Data that may include the store's record and its stock.
    Record,
}

fn changes_data(writes: bool, input: &Value) -> bool {
    writes && input.get("dry_run").and_then(Value::as_bool) != Some(true)
}

#[cfg(test)]
mod changes_data_tests {
    use super::changes_data;
    use serde_json::json;

    #[test]
    fn a_dry_run_changes_nothing_and_a_read_never_does() {
        assert!(changes_data(true, &json!({"days": 7})));
        assert!(changes_data(true, &json!({"days": 7, "dry_run": false})));
        assert!(!changes_data(true, &json!({"days": 7, "dry_run": true})));
        assert!(!changes_data(false, &json!({"days": 7})));
        assert!(changes_data(true, &serde_json::Value::Null));
    }
}
