//! The shell's background timers. Alerts: every two minutes, run the alert
//! sweep as whoever is signed in
//! ([`AppState::sweep_alerts`]; sign-in runs one too), a second after any
//! change a sweep of only what changed (so the sale that empties a shelf
//! raises its alert at once, while the sale itself stays as short as it
//! was), and tell open screens when it raised or resolved something. Holds: every minute, release the stock of lapsed
//! holds (held carts past their lifetime), so it becomes sellable again
//! without waiting for the next hold, resume or sale at a till (which run
//! the same release); and sweep the open vials (those past their window
//! close, their remainder wasted). The work itself is [`AppState::release_lapsed_holds`]
//! (tested there with a moved clock, no sleeping); this module only ticks,
//! moves the call off the async runtime and tells open screens when
//! something changed. Expiry: every 15 minutes, mark expired the batches
//! past their expiry date ([`AppState::expire_lapsed_batches`], as a signed-in
//! user who may manage stock), so the stock lists, reports and the expired
//! list show them as expired without anyone pressing "Mark expired" (the
//! seed's auto-expire scheduled job); selling never waited for it, since the
//! till refuses a batch past its date. The WAL: every 30 s, checkpoint it
//! from the background connection, not at a till's commit.

use std::time::Duration;

use std::sync::Arc;

use tauri::AppHandle;
use tokio::sync::Notify;
use tokio::time::MissedTickBehavior;

use crate::commands::{notify, timed_blocking};
use crate::state::AppState;

/// Ticks every `period`, the first one period from now; a tick missed while
/// the machine slept comes once on waking.
fn ticks_every(period: Duration) -> tokio::time::Interval {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    ticks
}

/// How often lapsed holds are released.
pub const HOLD_RELEASE_EVERY: Duration = Duration::from_secs(60);

/// Ticks forever (the task ends with the app). The first run is one period
/// after start; a tick missed while the machine slept runs once on waking.
pub async fn release_lapsed_holds_every(app: AppHandle, period: Duration) {
    let mut ticks = ticks_every(period);
    loop {
        ticks.tick().await;
        count_off_the_runtime(&app, &RELEASE_LAPSED_HOLDS, AppState::release_lapsed_holds).await;
        count_off_the_runtime(&app, &SWEEP_OPEN_VIALS, AppState::sweep_open_vials).await;
    }
}

/// A timer's job that counts what it did, in the words of its log lines.
struct CountedJob {
    /// The name `timed_blocking` logs its timing under.
    timer: &'static str,
    /// What it did, after the count ("3 lapsed hold(s) released").
    did: &'static str,
    /// The command open screens refresh as after it did something.
    changed: &'static str,
    /// What failed, for the warning.
    failed: &'static str,
}

const RELEASE_LAPSED_HOLDS: CountedJob = CountedJob {
    timer: "timer:release_lapsed_holds",
    did: "lapsed hold(s) released",
    changed: "release_expired_reservations",
    failed: "releasing lapsed holds",
};

const SWEEP_OPEN_VIALS: CountedJob = CountedJob {
    timer: "timer:sweep_open_vials",
    did: "vial(s) past their window closed",
    changed: "sweep_vials",
    failed: "sweeping open vials",
};

const EXPIRE_LAPSED_BATCHES: CountedJob = CountedJob {
    timer: "timer:expire_lapsed_batches",
    did: "batch(es) past their expiry date marked expired",
    changed: "expire_batches_within_days",
    failed: "marking lapsed batches expired",
};

/// Runs `run` on a blocking thread, logs what it did and tells open
/// screens when it did anything; a failure is logged (a timer has nobody
/// to show it to) and the next tick tries again.
async fn count_off_the_runtime(
    app: &AppHandle,
    job: &'static CountedJob,
    run: fn(&AppState) -> Result<usize, crate::error::ApiError>,
) {
    match timed_blocking(app, job.timer, run).await {
        Ok(0) => {}
        Ok(n) => {
            log::info!("{n} {}", job.did);
            notify(app, job.changed);
        }
        Err(e) => log::warn!("{} failed: {e}", job.failed),
    }
}

/// How often batches past their expiry date are marked expired.
pub const EXPIRE_LAPSED_EVERY: Duration = Duration::from_secs(15 * 60);

/// Ticks forever, marking expired what has passed its date
/// ([`AppState::expire_lapsed_batches`]) and telling open screens when it
/// marked any. The first run is one period after start.
pub async fn expire_lapsed_batches_every(app: AppHandle, period: Duration) {
    let mut ticks = ticks_every(period);
    loop {
        ticks.tick().await;
        count_off_the_runtime(
            &app,
            &EXPIRE_LAPSED_BATCHES,
            AppState::expire_lapsed_batches,
        )
        .await;
    }
}

/// How often the WAL is checkpointed from the background connection.
pub const WAL_CHECKPOINT_EVERY: Duration = Duration::from_secs(30);

/// Ticks forever, checkpointing the WAL every `period` on the background
/// connection ([`AppState::checkpoint_wal`]), so the till's commits never
/// pay for it (a busy store writes a few MiB of WAL in that time).
pub async fn checkpoint_wal_every(app: AppHandle, period: Duration) {
    let mut ticks = ticks_every(period);
    loop {
        ticks.tick().await;
        match timed_blocking(&app, "timer:checkpoint_wal", |s: &AppState| {
            s.checkpoint_wal()
        })
        .await
        {
            Ok(Some(c)) if c.busy => log::info!("WAL checkpoint: another one was running"),
            Ok(Some(c)) if c.copied_pages < c.wal_pages => log::info!(
                "WAL checkpoint: {} of {} pages copied (a reader needs the rest)",
                c.copied_pages,
                c.wal_pages
            ),
            Ok(_) => {}
            Err(e) => log::warn!("WAL checkpoint failed: {e}"),
        }
    }
}

/// How often the alert sweep runs.
pub const ALERT_SWEEP_EVERY: Duration = Duration::from_secs(120);

/// Runs the alert sweep once now (as whoever is signed in) and tells open
/// screens when alerts changed.
pub async fn sweep_alerts_once(app: &AppHandle) {
    sweep(app, false).await
}

async fn sweep(app: &AppHandle, changed_only: bool) {
    let what = if changed_only {
        "timer:alert_sweep_changed"
    } else {
        "timer:alert_sweep"
    };
    match timed_blocking(app, what, move |s: &AppState| s.sweep_alerts(changed_only)).await {
        Ok(Some(r)) if r.raised > 0 || r.resolved > 0 => {
            log::info!("alert sweep: {} raised, {} resolved", r.raised, r.resolved);
            notify(app, "run_alert_sweep");
        }
        Ok(_) => {}
        Err(e) => log::warn!("alert sweep failed: {e}"),
    }
}

/// Ticks forever, a sweep every `period`. The first is one period after
/// start: nobody is signed in before then (a sweep runs as someone), and
/// signing in runs one; a tick a few seconds after start ran a second full
/// sweep right behind it.
pub async fn sweep_alerts_every(app: AppHandle, period: Duration) {
    let mut ticks = ticks_every(period);
    loop {
        ticks.tick().await;
        sweep_alerts_once(&app).await;
    }
}

/// How long after a change the sweep of what changed runs: changes that
/// come in a burst (a busy till, a delivery of forty lines) share one sweep.
pub const SWEEP_AFTER_CHANGE: Duration = Duration::from_secs(1);

/// Wakes the sweep of what changed; the shell's `call` rings it after every
/// command that writes. A ring while a sweep runs is kept (one permit), so
/// the change it announces is swept right after.
#[derive(Clone, Default)]
pub struct ChangeBell(Arc<Notify>);

impl ChangeBell {
    /// Says something changed.
    pub fn ring(&self) {
        self.0.notify_one();
    }
}

/// Forever: waits for a change, lets a burst settle, then sweeps the
/// products it touched.
pub async fn sweep_alerts_after_changes(app: AppHandle, bell: ChangeBell, settle: Duration) {
    loop {
        bell.0.notified().await;
        tokio::time::sleep(settle).await;
        sweep(&app, true).await;
    }
}
