//! The injected clock: the system clock in production, a fixed instant in
//! tests and for the CLI's `--now`, so that expiry rules are testable.

use chrono::{DateTime, Utc};

/// A source of "now".
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The operating system's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock frozen at one instant.
#[derive(Clone, Copy, Debug)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The instant a local calendar day starts in `tz`, as stored (RFC 3339,
/// UTC, milliseconds), for comparing with stored instants. A day whose
/// midnight falls in a daylight-saving gap starts at the first local time
/// that exists.
pub fn day_start_utc(tz: &chrono_tz::Tz, day: chrono::NaiveDate) -> String {
    use chrono::TimeZone;
    let mut t = day.and_time(chrono::NaiveTime::MIN);
    let start = loop {
        if let Some(s) = tz.from_local_datetime(&t).earliest() {
            break s.with_timezone(&Utc);
        }
        // Gaps are at most a few hours; step until the clock exists.
        t += chrono::Duration::minutes(15);
    };
    start.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
