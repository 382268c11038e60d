//! The shell's background timer: every minute, release the stock of lapsed
//! holds (held carts past their lifetime), so it becomes sellable again
//! without waiting for the next hold, resume or sale at a till (which run
//! the same release); and sweep the open vials (those past their window
//! close, their remainder wasted). The work itself is [`AppState::release_lapsed_holds`]
//! (tested there with a moved clock, no sleeping); this module only ticks,
//! moves the call off the async runtime and tells open screens when
//! something changed.

use std::time::Duration;

use tauri::AppHandle;
use tokio::time::MissedTickBehavior;

use crate::commands::{blocking, notify};
use crate::state::AppState;

/// How often lapsed holds are released.
pub const HOLD_RELEASE_EVERY: Duration = Duration::from_secs(60);

/// Ticks forever (the task ends with the app). The first run is one period
/// after start; a tick missed while the machine slept runs once on waking.
pub async fn release_lapsed_holds_every(app: AppHandle, period: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match blocking(&app, |s: &AppState| s.release_lapsed_holds()).await {
            Ok(0) => {}
            Ok(n) => {
                log::info!("released {n} lapsed hold(s)");
                notify(&app, "release_expired_reservations");
            }
            Err(e) => log::warn!("releasing lapsed holds failed: {e}"),
        }
        match blocking(&app, |s: &AppState| s.sweep_open_vials()).await {
            Ok(0) => {}
            Ok(n) => {
                log::info!("closed {n} vial(s) past their window");
                notify(&app, "sweep_vials");
            }
            Err(e) => log::warn!("sweeping open vials failed: {e}"),
        }
    }
}
