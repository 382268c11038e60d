//! The desktop shell as a whole, without a window: `AppState` (what the
//! Tauri commands call) over the command layer and the engine, on a real
//! database file. First start and setup, sign-in and the idle lock (on a
//! clock the test moves), command dispatch and error kinds, the till id, the
//! hold timer, backups. Permission decisions are the engine's; these tests
//! check that the shell asks it.
#![allow(clippy::unwrap_used)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pharmapos_desktop::state::{AppState, Changed, DbState};
use pharmapos_desktop::till::TillIdSource;
use pharmapos_engine::auth::SignInRequest;
use pharmapos_engine::clock::Clock;
use pharmapos_engine::setup::InitRequest;
use serde_json::json;

fn init_request() -> InitRequest {
    serde_json::from_value(json!({
        "store_name": "Lekki Pharmacy",
        "store_code": "LEK",
        "timezone": "Africa/Lagos",
        "currency": "NGN",
        "locale": "en-NG",
        "admin_name": "Ada",
        "admin_pin": "2580"
    }))
    .unwrap()
}

fn sign_in_request(pin: &str) -> SignInRequest {
    serde_json::from_value(json!({ "name": "Ada", "pin": pin })).unwrap()
}

fn fresh(idle: Option<Duration>) -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(dir.path().join("data").join("store.db"), idle);
    (dir, state)
}

fn ready(idle: Option<Duration>) -> (tempfile::TempDir, AppState) {
    let (dir, state) = fresh(idle);
    state.setup_store(init_request()).unwrap();
    (dir, state)
}

#[test]
fn first_start_needs_setup_then_is_ready() {
    let (_dir, state) = fresh(None);
    let status = state.status().unwrap();
    assert_eq!(status.state, DbState::NeedsSetup);
    assert!(status.error.is_none());
    state.setup_store(init_request()).unwrap();
    assert_eq!(state.status().unwrap().state, DbState::Ready);
    let again = state.setup_store(init_request()).unwrap_err();
    assert_eq!(again.kind, "already_set_up");
}

#[test]
fn commands_need_a_signed_in_user() {
    let (_dir, state) = ready(None);
    let err = state.call("list_suppliers", json!({})).unwrap_err();
    assert_eq!(err.kind, "unauthenticated");
    assert_eq!(
        state.sign_in(sign_in_request("0000")).unwrap_err().kind,
        "unauthenticated"
    );
    assert!(state.current_session().unwrap().is_none());

    let user = state.sign_in(sign_in_request("2580")).unwrap();
    assert_eq!(user.name, "Ada");
    assert_eq!(state.current_session().unwrap().unwrap().user.name, "Ada");
    let (list, changed) = state.call("list_suppliers", json!({})).unwrap();
    assert_eq!(list, json!([]));
    assert_eq!(changed, Changed::Nothing);

    state.sign_out().unwrap();
    assert_eq!(
        state.call("list_suppliers", json!({})).unwrap_err().kind,
        "unauthenticated"
    );
}

#[test]
fn write_commands_are_flagged_and_errors_keep_their_kind() {
    let (_dir, state) = ready(None);
    state.sign_in(sign_in_request("2580")).unwrap();
    let (supplier, changed) = state
        .call("create_supplier", json!({ "name": "Emzor" }))
        .unwrap();
    assert_eq!(changed, Changed::Record);
    assert_eq!(supplier["name"], "Emzor");
    let bad = state
        .call("create_supplier", json!({ "name": "" }))
        .unwrap_err();
    assert_eq!(bad.kind, "invalid_input");
    let unknown = state.call("drop_tables", json!({})).unwrap_err();
    assert_eq!(unknown.kind, "invalid_input");
    assert_eq!(unknown.details["field"], "name");
}

#[test]
fn the_alert_sweep_runs_as_whoever_is_signed_in_and_not_without_them() {
    let (_dir, state) = ready(None);
    assert!(
        state.sweep_alerts(false).unwrap().is_none(),
        "nobody signed in"
    );
    state.sign_in(sign_in_request("2580")).unwrap();
    let (product, _) = state
        .call(
            "create_product",
            json!({"sku": "LOW", "name": "Low one", "cost_price": "1.00",
                   "thresholds": {"reorder_point": "10"}}),
        )
        .unwrap();
    let (supplier, _) = state
        .call("create_supplier", json!({ "name": "Emzor" }))
        .unwrap();
    state
        .call(
            "receive_stock",
            json!({"product_id": product["id"], "supplier_id": supplier["id"],
                   "batch_number": "L1", "quantity": "2", "expiry_date": "2099-01-01"}),
        )
        .unwrap();
    let swept = state.sweep_alerts(false).unwrap().unwrap();
    assert_eq!(swept.raised, 2, "low stock and reorder");
    assert_eq!(state.sweep_alerts(false).unwrap().unwrap().raised, 0);
    // What runs after each change: only the products it moved, and no
    // reorder arithmetic.
    let (other, _) = state
        .call(
            "create_product",
            json!({"sku": "LOW2", "name": "Low two", "cost_price": "1.00",
                   "thresholds": {"reorder_point": "10"}}),
        )
        .unwrap();
    state
        .call(
            "receive_stock",
            json!({"product_id": other["id"], "supplier_id": supplier["id"],
                   "batch_number": "M1", "quantity": "3", "expiry_date": "2099-01-01"}),
        )
        .unwrap();
    let changed = state.sweep_alerts(true).unwrap().unwrap();
    assert_eq!(
        (changed.raised, changed.resolved),
        (1, 0),
        "low stock of the product just received"
    );
    let (alerts, changed) = state
        .call("list_alerts", json!({"alert_type": "low_stock"}))
        .unwrap();
    assert_eq!(changed, Changed::Nothing);
    assert_eq!(alerts["total"], 2);
}

/// A set-up store whose shell runs on a clock the test moves.
fn clocked(idle: Option<Duration>) -> (tempfile::TempDir, AppState, Arc<TestClock>) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(Mutex::new(chrono::Utc::now())));
    let state = AppState::new(dir.path().join("store.db"), idle).with_clock(clock.clone());
    state.setup_store(init_request()).unwrap();
    (dir, state, clock)
}

fn signed_in(state: &AppState) -> bool {
    state.current_session().unwrap().is_some()
}

#[test]
fn the_session_locks_at_the_idle_time_and_not_before() {
    let (_dir, state, clock) = clocked(Some(Duration::from_secs(300)));
    state.sign_in(sign_in_request("2580")).unwrap();
    clock.advance(Duration::from_secs(299));
    assert!(signed_in(&state), "locked a second early");
    clock.advance(Duration::from_secs(1));
    assert!(!signed_in(&state), "still open at the idle time");
    assert_eq!(
        state.call("list_suppliers", json!({})).unwrap_err().kind,
        "unauthenticated"
    );
    // Locked stays locked, and signing in again starts a fresh count.
    clock.advance(Duration::from_secs(1));
    assert!(!signed_in(&state));
    state.sign_in(sign_in_request("2580")).unwrap();
    clock.advance(Duration::from_secs(299));
    assert!(signed_in(&state));
}

#[test]
fn activity_restarts_the_idle_count_and_looking_at_the_session_does_not() {
    let (_dir, state, clock) = clocked(Some(Duration::from_secs(300)));
    state.sign_in(sign_in_request("2580")).unwrap();
    for _ in 0..3 {
        // 200 s after the last command each time: 600 s since sign-in in
        // all, but never 300 s idle.
        clock.advance(Duration::from_secs(200));
        state.call("list_suppliers", json!({})).unwrap();
    }
    // Polling the session (the UI does, to show who is signed in) is not
    // activity: it must not keep an unattended till open.
    clock.advance(Duration::from_secs(200));
    assert!(signed_in(&state));
    clock.advance(Duration::from_secs(99));
    assert!(signed_in(&state));
    clock.advance(Duration::from_secs(1));
    assert!(!signed_in(&state));
}

#[test]
fn a_clock_set_back_restarts_the_idle_count_instead_of_freezing_it() {
    let (_dir, state, clock) = clocked(Some(Duration::from_secs(300)));
    state.sign_in(sign_in_request("2580")).unwrap();
    clock.advance(Duration::from_secs(200));
    clock.set_back(Duration::from_secs(3600));
    assert!(signed_in(&state));
    // Locked the idle time after the set-back, not an hour later.
    clock.advance(Duration::from_secs(299));
    assert!(signed_in(&state));
    clock.advance(Duration::from_secs(1));
    assert!(!signed_in(&state));
}

#[test]
fn zero_locks_at_once_and_no_limit_never_locks() {
    let (_dir, state, _clock) = clocked(Some(Duration::ZERO));
    state.sign_in(sign_in_request("2580")).unwrap();
    assert!(!signed_in(&state));
    assert_eq!(
        state.call("list_suppliers", json!({})).unwrap_err().kind,
        "unauthenticated"
    );

    let (_dir, state, clock) = clocked(None);
    state.sign_in(sign_in_request("2580")).unwrap();
    clock.advance(Duration::from_secs(30 * 86_400));
    assert!(signed_in(&state));
    state.call("list_suppliers", json!({})).unwrap();
}

#[test]
fn a_file_that_is_not_a_database_is_reported_not_touched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let garbage = "not a database\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    let state = AppState::new(path.clone(), None);
    let status = state.status().unwrap();
    assert_eq!(status.state, DbState::Unavailable);
    assert_eq!(status.error.unwrap().kind, "not_a_database");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), garbage);
    assert_eq!(state.sign_in_users().unwrap_err().kind, "not_a_database");
}

#[test]
fn the_till_id_comes_from_the_shell_and_only_an_admin_renames_it() {
    let (dir, state) = ready(None);
    // No session needed to read it; first use creates the file.
    let config = state.till_config().unwrap();
    assert_eq!(config.source, TillIdSource::ConfigFile);
    assert!(config.till_id.starts_with("TILL-"));
    assert!(dir.path().join("data").join("store.till.json").exists());
    assert_eq!(
        state.rename_till("FRONT-1").unwrap_err().kind,
        "unauthenticated"
    );
    state.sign_in(sign_in_request("2580")).unwrap();
    state
        .call(
            "create_user",
            json!({ "name": "Bola", "role": "manager", "pin": "1357" }),
        )
        .unwrap();
    assert_eq!(
        state.rename_till("bad id").unwrap_err().kind,
        "invalid_input"
    );
    assert_eq!(state.rename_till("FRONT-1").unwrap().till_id, "FRONT-1");

    // Not while a shift is open under the current id.
    state
        .call(
            "open_shift",
            json!({ "terminal_id": "FRONT-1", "opening_float": "0" }),
        )
        .unwrap();
    let e = state.rename_till("BACK-1").unwrap_err();
    assert_eq!(e.kind, "conflict");
    assert!(e.message.contains("open shift"), "{}", e.message);
    state
        .call(
            "close_shift",
            json!({ "terminal_id": "FRONT-1", "counted_cash": "0" }),
        )
        .unwrap();
    assert_eq!(state.rename_till("BACK-1").unwrap().till_id, "BACK-1");

    // A manager may not (manage_stores is the admin's).
    state
        .sign_in(serde_json::from_value(json!({ "name": "Bola", "pin": "1357" })).unwrap())
        .unwrap();
    assert_eq!(state.rename_till("MGR-1").unwrap_err().kind, "forbidden");
    assert_eq!(state.till_config().unwrap().till_id, "BACK-1");

    // A fixed id wins and cannot be renamed.
    let fixed = AppState::new(state.db_path().to_path_buf(), None)
        .with_till_id(Some(("ARG-1".into(), TillIdSource::Argument)));
    assert_eq!(fixed.till_config().unwrap().till_id, "ARG-1");
    fixed.sign_in(sign_in_request("2580")).unwrap();
    assert_eq!(fixed.rename_till("X-1").unwrap_err().kind, "conflict");
}

/// A clock the test moves forward.
struct TestClock(Mutex<chrono::DateTime<chrono::Utc>>);

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        *self.0.lock().unwrap()
    }
}

impl TestClock {
    fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap();
        *t += by;
    }

    fn set_back(&self, by: Duration) {
        let mut t = self.0.lock().unwrap();
        *t -= by;
    }
}

/// A store with a product, 10 in stock and a held cart of 4 (hold
/// lifetime 60 minutes), signed in as the admin.
fn with_a_held_cart(idle: Option<Duration>) -> (tempfile::TempDir, AppState, Arc<TestClock>) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(Mutex::new(chrono::Utc::now())));
    let state = AppState::new(dir.path().join("store.db"), idle).with_clock(clock.clone());
    state.setup_store(init_request()).unwrap();
    state.sign_in(sign_in_request("2580")).unwrap();
    let supplier = state
        .call("create_supplier", json!({ "name": "Emzor" }))
        .unwrap()
        .0;
    let product = state
        .call(
            "create_product",
            json!({ "sku": "PCM-500", "name": "Paracetamol", "unit": "pack", "cost_price": "0.60", "selling_price": "1" }),
        )
        .unwrap()
        .0;
    let expiry = (clock.now() + Duration::from_secs(200 * 86_400))
        .date_naive()
        .to_string();
    state
        .call(
            "receive_stock",
            json!({ "product_id": product["id"], "supplier_id": supplier["id"], "batch_number": "A1",
                    "quantity": "10", "expiry_date": expiry }),
        )
        .unwrap();
    let cart = state
        .call("open_cart", json!({ "terminal_id": "TILL-1" }))
        .unwrap()
        .0;
    state
        .call(
            "add_cart_line",
            json!({ "cart_id": cart["cart_id"], "product_id": product["id"], "quantity": "4" }),
        )
        .unwrap();
    let held = state
        .call("hold_cart", json!({ "cart_id": cart["cart_id"] }))
        .unwrap()
        .0;
    assert_eq!(held["holds"].as_array().unwrap().len(), 1);
    (dir, state, clock)
}

fn active_holds(state: &AppState) -> usize {
    state
        .call("list_reservations", json!({}))
        .unwrap()
        .0
        .as_array()
        .unwrap()
        .len()
}

#[test]
fn the_hold_timer_releases_lapsed_holds_as_the_signed_in_user() {
    let (_dir, state, clock) = with_a_held_cart(None);
    // Not yet lapsed: nothing to do.
    assert_eq!(state.release_lapsed_holds().unwrap(), 0);
    clock.advance(Duration::from_secs(59 * 60));
    assert_eq!(state.release_lapsed_holds().unwrap(), 0);
    assert_eq!(active_holds(&state), 1);
    clock.advance(Duration::from_secs(2 * 60));
    assert_eq!(state.release_lapsed_holds().unwrap(), 1);
    assert_eq!(active_holds(&state), 0);
    // Done once: the next tick finds nothing.
    assert_eq!(state.release_lapsed_holds().unwrap(), 0);
    let trail = state
        .call(
            "get_audit_trail",
            json!({ "change_type": "release", "limit": 5 }),
        )
        .unwrap()
        .0;
    let event = &trail.as_array().unwrap()[0];
    assert_eq!(event["user_name"], "Ada");
    assert!(event["notes"].as_str().unwrap().contains("hold lapsed"));
}

#[test]
fn the_hold_timer_waits_for_a_signed_in_user_and_is_not_activity() {
    // Idle lock at 90 minutes; the hold lapses after 60.
    let (_dir, state, clock) = with_a_held_cart(Some(Duration::from_secs(90 * 60)));
    clock.advance(Duration::from_secs(61 * 60));
    assert_eq!(state.release_lapsed_holds().unwrap(), 1);
    clock.advance(Duration::from_secs(29 * 60));
    // 90 minutes since the last till action: locked, although the timer
    // ran 29 minutes ago. Its work does not keep an unattended till open.
    assert!(!signed_in(&state));
    assert_eq!(state.release_lapsed_holds().unwrap(), 0);

    // Nobody signed in: nothing runs (the engine needs an actor).
    let (_dir2, state2, clock2) = with_a_held_cart(None);
    state2.sign_out().unwrap();
    clock2.advance(Duration::from_secs(61 * 60));
    assert_eq!(state2.release_lapsed_holds().unwrap(), 0);
    state2.sign_in(sign_in_request("2580")).unwrap();
    assert_eq!(active_holds(&state2), 1);
    assert_eq!(state2.release_lapsed_holds().unwrap(), 1);
}

fn expired_events(state: &AppState) -> Vec<serde_json::Value> {
    state
        .call(
            "get_audit_trail",
            json!({ "change_type": "expired", "limit": 10 }),
        )
        .unwrap()
        .0
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_expiry_timer_marks_lapsed_batches_as_a_stock_manager_only() {
    let (_dir, state, clock) = with_a_held_cart(None);
    // In date: nothing to mark.
    assert_eq!(state.expire_lapsed_batches().unwrap(), 0);
    state
        .call(
            "create_user",
            json!({ "name": "Cate", "role": "cashier", "pin": "4680" }),
        )
        .unwrap();
    clock.advance(Duration::from_secs(201 * 86_400));

    // A cashier's session leaves it for a manager (the till refuses the
    // batch by its date meanwhile).
    state
        .sign_in(serde_json::from_value(json!({ "name": "Cate", "pin": "4680" })).unwrap())
        .unwrap();
    assert_eq!(state.expire_lapsed_batches().unwrap(), 0);
    state.sign_out().unwrap();
    // Nobody signed in: nothing runs.
    assert_eq!(state.expire_lapsed_batches().unwrap(), 0);

    state.sign_in(sign_in_request("2580")).unwrap();
    assert!(expired_events(&state).is_empty(), "nothing ran before");
    assert_eq!(state.expire_lapsed_batches().unwrap(), 1);
    let events = expired_events(&state);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["user_name"], "Ada");
    // Done once: the next tick finds nothing.
    assert_eq!(state.expire_lapsed_batches().unwrap(), 0);
    assert_eq!(expired_events(&state).len(), 1);
}

#[test]
fn the_timer_sweeps_open_vials_past_their_window_as_the_signed_in_user() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(TestClock(Mutex::new(chrono::Utc::now())));
    let state = AppState::new(dir.path().join("store.db"), None).with_clock(clock.clone());
    state.setup_store(init_request()).unwrap();
    state.sign_in(sign_in_request("2580")).unwrap();
    let product = state
        .call(
            "create_product",
            json!({ "sku": "BTX-100", "name": "Toxin 100U", "unit": "unit", "category": "neurotoxin",
                    "allow_fractional": true, "cost_price": "5", "selling_price": "12",
                    "injectable": { "reconstitution_required": false, "units_per_vial": "100", "stability_hours": 24 } }),
        )
        .unwrap()
        .0;
    let supplier = state
        .call("create_supplier", json!({ "name": "Allergan" }))
        .unwrap()
        .0;
    let expiry = (clock.now() + Duration::from_secs(200 * 86_400))
        .date_naive()
        .to_string();
    state
        .call(
            "receive_stock",
            json!({ "product_id": product["id"], "supplier_id": supplier["id"], "batch_number": "B1",
                    "quantity": "100", "expiry_date": expiry }),
        )
        .unwrap();
    state
        .call("open_vial_session", json!({ "product_id": product["id"] }))
        .unwrap();
    clock.advance(Duration::from_secs(23 * 3600));
    assert_eq!(state.sweep_open_vials().unwrap(), 0);
    clock.advance(Duration::from_secs(2 * 3600));
    // Nobody signed in: nothing runs.
    state.sign_out().unwrap();
    assert_eq!(state.sweep_open_vials().unwrap(), 0);
    state.sign_in(sign_in_request("2580")).unwrap();
    assert_eq!(state.sweep_open_vials().unwrap(), 1);
    assert_eq!(state.sweep_open_vials().unwrap(), 0);
    let closed = state
        .call("list_vial_sessions", json!({ "status": "closed" }))
        .unwrap()
        .0;
    assert_eq!(closed["rows"][0]["close_reason"], "stability_exceeded");
    assert_eq!(closed["rows"][0]["wasted"], "100");
}

#[test]
fn backup_copies_the_store_and_never_overwrites() {
    let (dir, state) = ready(None);
    let target = dir.path().join("backup.db");
    assert_eq!(state.backup(&target).unwrap_err().kind, "unauthenticated");
    state.sign_in(sign_in_request("2580")).unwrap();
    state.backup(&target).unwrap();
    let copy = AppState::new(target.clone(), None);
    assert_eq!(copy.status().unwrap().state, DbState::Ready);
    assert_eq!(state.backup(&target).unwrap_err().kind, "conflict");

    // The engine decides who may: a cashier may not copy the PIN hashes.
    state
        .call(
            "create_user",
            json!({ "name": "Cate", "role": "cashier", "pin": "4680" }),
        )
        .unwrap();
    state
        .sign_in(serde_json::from_value(json!({ "name": "Cate", "pin": "4680" })).unwrap())
        .unwrap();
    let other = dir.path().join("by-cashier.db");
    assert_eq!(state.backup(&other).unwrap_err().kind, "forbidden");
    assert!(!other.exists());
}

#[test]
fn the_demo_opens_beside_the_store_and_never_touches_it() {
    let (dir, state) = ready(None);
    state.sign_in(sign_in_request("2580")).unwrap();
    let store_file = dir.path().join("data").join("store.db");
    assert!(!state.status().unwrap().demo);

    let status = state.open_demo(Default::default()).unwrap();
    assert!(status.demo);
    assert_eq!(status.state, DbState::Ready);
    assert_eq!(
        std::path::PathBuf::from(&status.db_path),
        dir.path().join("data").join("demo.sqlite")
    );
    // The session ended: the demo has its own users, with documented PINs.
    assert!(state.current_session().unwrap().is_none());
    let names: Vec<String> = state
        .sign_in_users()
        .unwrap()
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert!(names.contains(&"Demo Cashier".to_string()), "{names:?}");
    assert!(!names.contains(&"Ada".to_string()));
    assert_eq!(
        state.sign_in(sign_in_request("2580")).unwrap_err().kind,
        "unauthenticated"
    );
    state
        .sign_in(serde_json::from_value(json!({ "name": "Demo Cashier", "pin": "3333" })).unwrap())
        .unwrap();
    // The demo's till continues the demo's shift.
    assert_eq!(state.till_config().unwrap().till_id, "DEMO-1");
    let stores = state.call("list_stores", json!({})).unwrap().0;
    assert_eq!(stores[0]["name"], "Demo Pharmacy");
    let sales = state
        .call(
            "list_sales",
            json!({ "terminal_id": "DEMO-1", "limit": 1000 }),
        )
        .map(|(v, _)| v.as_array().unwrap().len())
        .unwrap_or(0);

    // Back to the store: its own users, its own till, no demo data.
    let status = state.leave_demo().unwrap();
    assert!(!status.demo);
    assert_eq!(std::path::PathBuf::from(&status.db_path), store_file);
    assert!(state.current_session().unwrap().is_none());
    state.sign_in(sign_in_request("2580")).unwrap();
    let stores = state.call("list_stores", json!({})).unwrap().0;
    assert_eq!(stores.as_array().unwrap().len(), 1);
    assert_eq!(stores[0]["name"], "Lekki Pharmacy");
    assert_ne!(state.till_config().unwrap().till_id, "DEMO-1");
    let products = state
        .call("search_products", json!({ "query": "paracetamol" }))
        .unwrap()
        .0;
    assert_eq!(products, json!([]), "no demo product in the store's file");

    // The demo is kept as it was left, not made again.
    state.open_demo(Default::default()).unwrap();
    state
        .sign_in(serde_json::from_value(json!({ "name": "Demo Admin", "pin": "1111" })).unwrap())
        .unwrap();
    let again = state
        .call(
            "list_sales",
            json!({ "terminal_id": "DEMO-1", "limit": 1000 }),
        )
        .map(|(v, _)| v.as_array().unwrap().len())
        .unwrap_or(0);
    assert_eq!(again, sales);
    assert!(state.call("verify", json!({})).unwrap().0["ok"] == json!(true));
}

#[test]
fn started_with_demo_the_app_opens_the_demo_store() {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(dir.path().join("pharmapos.db"), None).in_demo();
    let status = state.status().unwrap();
    assert!(status.demo);
    assert_eq!(status.state, DbState::Ready);
    assert!(dir.path().join("demo.sqlite").exists());
    assert!(
        !dir.path().join("pharmapos.db").exists(),
        "the store's file is not made"
    );
    // Leaving goes to the store's own (new) file: setup.
    let status = state.leave_demo().unwrap();
    assert!(!status.demo);
    assert_eq!(status.state, DbState::NeedsSetup);
}

#[test]
fn an_import_reports_its_progress_and_is_all_or_nothing() {
    let (dir, state) = ready(None);
    let csv = |rows: usize, bad_row: Option<usize>| {
        let mut s = String::from("sku,name,selling_price\n");
        for i in 0..rows {
            let price = if Some(i) == bad_row { "ten" } else { "150.00" };
            s.push_str(&format!("SKU-{i:05},Product {i},{price}\n"));
        }
        s
    };
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, csv(5_000, Some(4_321))).unwrap();
    fn request<T: serde::de::DeserializeOwned>(path: &std::path::Path) -> T {
        serde_json::from_value(json!({ "kind": "products", "path": path })).unwrap()
    }
    let mut reports = Vec::new();
    // Signed out: refused before reading anything.
    let err = state
        .run_import(request(&bad), &mut |p| reports.push(p))
        .unwrap_err();
    assert_eq!(err.kind, "unauthenticated");
    assert!(reports.is_empty());

    state.sign_in(sign_in_request("2580")).unwrap();
    let preview = state
        .preview_import(request(&bad), &mut |p| reports.push(p))
        .unwrap();
    assert_eq!(preview.total_rows, 5_000);
    assert_eq!(preview.error_count, 1);
    assert_eq!(
        preview.errors[0].row, 4_323,
        "header is row 1, data from row 2"
    );
    assert!(!reports.is_empty(), "a 5,000-row check reports as it goes");
    let percents: Vec<u8> = reports.iter().map(|p| p.percent).collect();
    assert!(percents.windows(2).all(|w| w[0] <= w[1]), "{percents:?}");

    // The file with its error: nothing written, the errors in the details.
    let err = state.run_import(request(&bad), &mut |_| {}).unwrap_err();
    assert_eq!(err.kind, "invalid_input");
    assert_eq!(err.details["error_count"], 1);
    let (products, _) = state
        .call("search_products", json!({ "query": "SKU-00001" }))
        .unwrap();
    assert_eq!(products.as_array().unwrap().len(), 0, "{products}");

    let good = dir.path().join("good.csv");
    std::fs::write(&good, csv(5_000, None)).unwrap();
    let mut reports = Vec::new();
    let outcome = state
        .run_import(request(&good), &mut |p| reports.push(p))
        .unwrap();
    assert_eq!(outcome.created.products, 5_000);
    let last = reports.last().unwrap();
    assert_eq!(last.percent, 100);
    assert_eq!(last.rows_written, 5_000);
    let (products, _) = state
        .call("search_products", json!({ "query": "SKU-04321" }))
        .unwrap();
    assert_eq!(products.as_array().unwrap().len(), 1, "{products}");
}

#[test]
fn the_wal_is_checkpointed_off_the_tills_connection_and_never_creates_the_file() {
    let (dir, state) = fresh(None);
    assert_eq!(state.checkpoint_wal().unwrap(), None, "nothing open yet");
    assert!(
        !dir.path().join("data").join("store.db").exists(),
        "a checkpoint before the file is opened must not create it"
    );
    state.setup_store(init_request()).unwrap();
    state.sign_in(sign_in_request("2580")).unwrap();
    state
        .call("create_supplier", json!({ "name": "Emzor" }))
        .unwrap();
    let done = state.checkpoint_wal().unwrap().expect("the file is open");
    assert!(!done.busy);
    assert!(
        done.wal_pages > 0,
        "setup's commits are in the WAL: {done:?}"
    );
    assert_eq!(done.copied_pages, done.wal_pages, "{done:?}");
    // The till's connection goes on after it.
    state
        .call("create_supplier", json!({ "name": "Fidson" }))
        .unwrap();
}
