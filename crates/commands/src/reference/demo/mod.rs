//! The demo the reference's examples come from: a day in a pharmacy and
//! med spa in Lagos, run through the command table with a fixed clock.
//!
//! Adding a command: call it where it fits in the story (`inventory.rs`, the
//! back office; `till.rs`, the counter) with
//! `d.call(user, "its_name", json!({…}))` (and `d.say("its_name", "…")` before
//! it for a sentence of context). A command without an example fails the
//! reference test, naming it. Refusals worth showing go through `d.fails`,
//! announced by `d.refusal("what is refused")`: the "Errors" section heads
//! them with the kind they really failed with.

mod clinic;
mod cold;
mod control;
mod counts;
mod inventory;
mod onboarding;
mod purchasing;
mod reports;
mod sync;
mod till;
mod transfers;

use super::recorder::{sorted, Recorder, DB_NAME};
use pharmapos_engine::setup::{initialize, InitRequest};
use serde_json::json;

/// The demo's "now": 10:00 in Lagos.
pub(super) const START: &str = "2026-01-15T09:00:00Z";

/// Runs the whole demo.
pub(super) fn run() -> Recorder {
    let mut d = Recorder::new(START);
    let store = init(&mut d);
    let c = inventory::catalogue(&mut d, &store);
    let b = inventory::stock(&mut d, &c);
    cli_examples(&mut d, &c);
    inventory::errors(&mut d, &c, &b);
    till::day(&mut d, &c, &b);
    cold::evening(&mut d, &c);
    counts::morning(&mut d, &store, &c, &b);
    clinic::day(&mut d, &c);
    transfers::morning(&mut d, &c, &b);
    control::approvals(&mut d, &c);
    sync::setup(&mut d);
    purchasing::orders(&mut d, &c);
    reports::read(&mut d);
    onboarding::onboarding(&mut d);
    d
}

/// What the catalogue part made, for the parts after it.
pub(super) struct Catalogue {
    para: String,
    btx: String,
    vitc: String,
    ibu: String,
    emzor: String,
    glow: String,
}

/// Batches (and the pending adjustment) made by the stock part.
pub(super) struct Batches {
    pcm1: String,
    pcm2: String,
    pcm18: String,
    vc1: String,
    adj1: String,
}

/// `pharmapos init`: the first store and its admin; answers the store id.
fn init(d: &mut Recorder) -> String {
    let res = initialize(
        d.db(),
        InitRequest {
            store_name: "Lekki Pharmacy & Med Spa".into(),
            store_code: Some("LEK-01".into()),
            timezone: Some("Africa/Lagos".into()),
            currency: Some("NGN".into()),
            locale: Some("en-NG".into()),
            admin_name: "ada".into(),
            admin_pin: Some("1234".into()),
        },
    )
    .unwrap();
    let value = serde_json::to_value(&res).unwrap();
    d.console(
        "cli_init",
        &format!("pharmapos --db {DB_NAME} --now {START} init --store-name 'Lekki Pharmacy & Med Spa' --store-code LEK-01 --timezone Africa/Lagos --currency NGN --admin ada --pin 1234"),
        &value,
        &serde_json::to_string_pretty(&res).unwrap(),
    );
    res.store_id.to_string()
}

/// The CLI's own subcommands, over the same database.
fn cli_examples(d: &mut Recorder, c: &Catalogue) {
    let request = json!({"product_id": c.btx});
    let session = pharmapos_engine::auth::session_for_name(d.db(), "chidi").unwrap();
    let out = crate::dispatch(d.db(), &session, "get_product_stock", request.clone()).unwrap();
    let line = format!(
        "echo '{request}' | {} call get_product_stock -",
        d.globals("chidi")
    );
    d.console(
        "cli_stdin",
        &line,
        &out,
        &serde_json::to_string_pretty(&sorted(&out)).unwrap(),
    );

    d.db().integrity_check().unwrap();
    let report = d.db().verify().unwrap();
    assert!(report.ok, "the demo's books do not verify: {report:?}");
    let text = serde_json::to_string_pretty(&report).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    d.console(
        "cli_verify",
        &format!("pharmapos --db {DB_NAME} verify"),
        &value,
        &text,
    );

    let dest = d.dir().join("demo-backup.db");
    d.db().backup_to(&dest).unwrap();
    let shown = json!({"backup": "demo-backup.db"});
    d.console(
        "cli_backup",
        &format!("pharmapos --db {DB_NAME} backup demo-backup.db"),
        &shown,
        &serde_json::to_string_pretty(&shown).unwrap(),
    );
}

/// Money as integer hundredths (the demo's amounts have two places at most).
fn cents(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
}

/// Hundredths as money text ("1234.50").
fn money(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}
