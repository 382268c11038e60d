//! Reading a data logger's CSV export.
//!
//! Format (docs/clinic.md "Alerts and cold chain"):
//! - one reading per line: a **timestamp** and a **temperature in °C**; fields separated
//!   by commas, or by semicolons (then a decimal comma is accepted: `4,5`); fields may be
//!   quoted; blank lines are skipped;
//! - an optional header line: when present, the timestamp column is the first whose name
//!   contains `time` or `date`, and the temperature column the first whose name contains
//!   `temp`, `°c` or `celsius` (other columns, such as a running number or humidity, are
//!   ignored); without a header the first two columns are timestamp and temperature;
//! - timestamps are RFC 3339 (`2026-01-01T10:00:00Z`, `2026-01-01T11:00:00+01:00`) or the
//!   store's local time (`2026-01-01 11:00`, `2026-01-01 11:00:30`, `2026-01-01T11:00`);
//! - at most 100,000 lines.
//!
//! Every bad line is reported with its line number and what is wrong with it, and then
//! nothing is imported (`csv_rejected`).

use crate::error::CsvProblem;
use crate::{Error, Result};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

/// Largest file accepted, in lines.
pub const MAX_LINES: usize = 100_000;

/// Parses a timestamp: RFC 3339, or local time in `tz`.
pub(crate) fn parse_time(s: &str, tz: &Tz) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(n) = NaiveDateTime::parse_from_str(s, f) {
            // A local time that a clock change skipped or repeated takes
            // its earliest meaning.
            return tz
                .from_local_datetime(&n)
                .earliest()
                .map(|t| t.with_timezone(&Utc));
        }
    }
    None
}

fn split(line: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out.into_iter().map(|f| f.trim().to_string()).collect()
}

/// Readings with their line numbers.
pub(crate) type Parsed = Vec<(u32, DateTime<Utc>, Decimal)>;

/// The readings of a logger file and its bad lines.
pub(crate) fn parse(text: &str, tz: &Tz) -> Result<(Parsed, Vec<CsvProblem>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() > MAX_LINES {
        return Err(Error::invalid(
            "csv",
            format!(
                "the file has {} lines; import at most {MAX_LINES} at a time",
                lines.len()
            ),
        ));
    }
    let sep = if lines.iter().take(5).any(|l| l.contains(';')) {
        ';'
    } else {
        ','
    };
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let (mut tcol, mut ccol) = (0usize, 1usize);
    let mut first = true;
    for (i, raw) in lines.iter().enumerate() {
        let line_no = (i + 1) as u32;
        if raw.trim().is_empty() {
            continue;
        }
        let fields = split(raw, sep);
        if first {
            first = false;
            let looks_like_data = fields.first().is_some_and(|f| parse_time(f, tz).is_some());
            if !looks_like_data {
                let lower: Vec<String> = fields.iter().map(|f| f.to_lowercase()).collect();
                let t = lower
                    .iter()
                    .position(|f| f.contains("time") || f.contains("date"));
                let c = lower
                    .iter()
                    .position(|f| f.contains("temp") || f.contains("°c") || f.contains("celsius"));
                match (t, c) {
                    (Some(t), Some(c)) => {
                        tcol = t;
                        ccol = c;
                    }
                    _ => problems.push(CsvProblem {
                        line: line_no,
                        message: "the header names no timestamp column (time/date) and temperature column (temp/°C/celsius)".into(),
                    }),
                }
                continue;
            }
        }
        let (Some(ts), Some(cs)) = (fields.get(tcol), fields.get(ccol)) else {
            problems.push(CsvProblem {
                line: line_no,
                message: format!(
                    "expected a timestamp and a temperature, found {} field(s)",
                    fields.len()
                ),
            });
            continue;
        };
        let t = parse_time(ts, tz);
        let num = if sep == ';' {
            cs.replace(',', ".")
        } else {
            cs.clone()
        };
        let c = num.trim_end_matches("°C").trim().parse::<Decimal>().ok();
        match (t, c) {
            (Some(t), Some(c)) if c >= Decimal::from(-100) && c <= Decimal::from(100) => {
                out.push((line_no, t, c))
            }
            (Some(_), Some(c)) => problems.push(CsvProblem {
                line: line_no,
                message: format!("{c} °C is not a plausible storage temperature"),
            }),
            (None, _) => problems.push(CsvProblem {
                line: line_no,
                message: format!(
                    "'{ts}' is not a timestamp (2026-01-01T10:00:00Z or 2026-01-01 11:00)"
                ),
            }),
            (_, None) => problems.push(CsvProblem {
                line: line_no,
                message: format!("'{cs}' is not a temperature in °C"),
            }),
        }
    }
    if out.is_empty() && problems.is_empty() {
        return Err(Error::invalid("csv", "the file holds no readings"));
    }
    Ok((out, problems))
}
