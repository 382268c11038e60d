//! The GS1 parser takes whatever a scanner or a person sends; on any input it
//! must return a result or a clear error, never panic, and what it accepts
//! must be well-formed.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use pharmapos_engine::gs1;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Two "todays" a century apart exercise the two-digit-year window.
    for today in [(2026, 11, 22), (2099, 12, 31)] {
        let Some(today) = NaiveDate::from_ymd_opt(today.0, today.1, today.2) else {
            return;
        };
        let Ok(d) = gs1::parse(text, today) else {
            continue;
        };
        if let Some(gtin) = &d.gtin {
            assert_eq!(gtin.len(), 14, "GTIN-14 always: {gtin}");
            assert!(
                gs1::check_digit_ok(gtin),
                "accepted a bad check digit: {gtin}"
            );
        }
        for date in [&d.expiry_date, &d.manufacture_date, &d.best_before]
            .into_iter()
            .flatten()
        {
            assert!(
                NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
                "not a date: {date}"
            );
        }
    }
    let _ = gs1::gtin14(text);
    let _ = gs1::check_digit_ok(text);
});
