//! The demo store: made through the real operations into an empty file,
//! marked as a demo, verifiable, and never poured into a file that holds
//! anything.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::now;
use pharmapos_engine::auth::{self, SignInRequest};
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::demo::{
    self, DemoRequest, DEMO_STORE_CODE, DEMO_TILL, DEMO_TOXIN_LOT, DEMO_TOXIN_SKU, DEMO_USERS,
};
use pharmapos_engine::ids::StoreId;
use pharmapos_engine::{Db, OpenOptions, Session, SyncMode};
use serde_json::{json, Value};
use std::sync::Arc;

fn options_at(t: chrono::DateTime<Utc>) -> OpenOptions {
    OpenOptions {
        // NORMAL: a few hundred commits, and this test is not about power cuts.
        sync: SyncMode::Normal,
        clock: Arc::new(FixedClock(t)),
    }
}

fn call(db: &mut Db, who: Session, name: &str, input: Value) -> Value {
    pharmapos_commands_free::dispatch(db, who, name, input)
}

/// The engine has no command table (that is the commands crate); these
/// tests call the few operations they read through their types.
mod pharmapos_commands_free {
    use super::*;
    use pharmapos_engine::catalogue::products::SearchProducts;
    use pharmapos_engine::catalogue::stores::ListStores;
    use pharmapos_engine::clinic::vials::SuggestVialLots;
    use pharmapos_engine::op::parse_request;
    use pharmapos_engine::sales::receipt::ListSales;
    use pharmapos_engine::sales::shifts::GetShiftReport;
    use pharmapos_engine::stock::expiry::{GetExpiredBatches, GetExpiringBatches};
    use pharmapos_engine::stock::queries::GetStoreInventory;
    use pharmapos_engine::Operation;

    fn run<O: Operation>(db: &mut Db, who: Session, input: Value) -> Value {
        let out = db
            .execute(&who, parse_request::<O>(input).unwrap())
            .unwrap();
        serde_json::to_value(out).unwrap()
    }

    pub fn dispatch(db: &mut Db, who: Session, name: &str, input: Value) -> Value {
        match name {
            "list_stores" => run::<ListStores>(db, who, input),
            "list_sales" => run::<ListSales>(db, who, input),
            "get_shift_report" => run::<GetShiftReport>(db, who, input),
            "get_expired_batches" => run::<GetExpiredBatches>(db, who, input),
            "get_expiring_batches" => run::<GetExpiringBatches>(db, who, input),
            "get_store_inventory" => run::<GetStoreInventory>(db, who, input),
            "search_products" => run::<SearchProducts>(db, who, input),
            "suggest_vial_lots" => run::<SuggestVialLots>(db, who, input),
            other => panic!("not wired: {other}"),
        }
    }
}

#[test]
fn the_demo_seeds_verifies_and_is_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    // 11:00 in Lagos: yesterday's full day and this morning's sales.
    let summary = demo::create(&path, DemoRequest::default(), options_at(now())).unwrap();
    assert_eq!(summary.store_name, "Demo Pharmacy");
    assert_eq!(summary.products, 45);
    assert!(summary.batches > summary.products);
    assert!(summary.sales >= 25, "{} sales", summary.sales);
    assert!(!dir.path().join("demo.sqlite.building").exists());

    let mut db = Db::open_with(&path, options_at(now())).unwrap();
    assert!(db.is_demo().unwrap());
    let report = db.verify().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert!(report.events_checked > 200, "{}", report.events_checked);

    // Every documented user signs in with the documented PIN.
    let mut sessions = Vec::new();
    for (name, role, pin) in DEMO_USERS {
        let user = auth::sign_in(
            &mut db,
            &SignInRequest {
                name: name.into(),
                pin: pin.into(),
            },
        )
        .unwrap();
        assert_eq!(user.role, role, "{name}");
        sessions.push(Session { user_id: user.id });
    }
    let (admin, manager) = (sessions[0], sessions[1]);

    let stores = call(&mut db, admin, "list_stores", json!({}));
    assert_eq!(stores.as_array().unwrap().len(), 1);
    assert_eq!(stores[0]["code"], DEMO_STORE_CODE);
    assert_eq!(stores[0]["timezone"], "Africa/Lagos");
    let store: StoreId = serde_json::from_value(stores[0]["id"].clone()).unwrap();
    assert_eq!(store, summary.store_id);

    // One expired batch still on the shelf; several expiring within 30 days;
    // the quarantined insulin.
    let expired = call(&mut db, manager, "get_expired_batches", json!({}));
    let expired = expired.as_array().unwrap();
    assert_eq!(expired.len(), 1, "{expired:?}");
    assert_eq!(expired[0]["batch_number"], "PSY-2311");
    let soon = call(
        &mut db,
        manager,
        "get_expiring_batches",
        json!({"days": 30}),
    );
    let soon: Vec<&str> = soon
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["batch_number"].as_str().unwrap())
        .collect();
    for b in ["ORS-2402", "AMX-2403", "VTC-2401"] {
        assert!(soon.contains(&b), "{b} in {soon:?}");
    }
    let inventory = call(&mut db, manager, "get_store_inventory", json!({}));
    let insulin = inventory
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["batch_number"] == "INS-2409")
        .expect("the quarantined insulin batch");
    assert_eq!(insulin["status"], "quarantine");

    // The clinic's neurotoxin: 100-unit vials, 24 h on the label, and one
    // lot of three vials a practitioner can open (the admin holds clinical).
    let hits = call(
        &mut db,
        admin,
        "search_products",
        json!({"query": DEMO_TOXIN_SKU}),
    );
    let toxin = &hits.as_array().unwrap()[0]["product"];
    assert_eq!(toxin["sku"], DEMO_TOXIN_SKU);
    assert_eq!(toxin["injectable"]["units_per_vial"], "100");
    assert_eq!(toxin["injectable"]["stability_hours"], 24);
    let lots = call(
        &mut db,
        admin,
        "suggest_vial_lots",
        json!({"product_id": toxin["id"]}),
    );
    assert_eq!(lots[0]["batch_number"], DEMO_TOXIN_LOT);
    assert_eq!(lots[0]["free"], "300");

    // Yesterday's shift is closed with its Z report and its record head;
    // today's is open at the demo till with this morning's sales.
    let today = call(
        &mut db,
        manager,
        "get_shift_report",
        json!({"terminal_id": DEMO_TILL}),
    );
    assert_eq!(today["status"], "open");
    let today_sales = today["sales_count"].as_i64().unwrap();
    assert!(today_sales >= 4, "{today_sales} sales this morning");
    let sales = call(
        &mut db,
        manager,
        "list_sales",
        json!({"terminal_id": DEMO_TILL, "limit": 1000}),
    );
    assert_eq!(sales.as_array().unwrap().len() as i64, today_sales);
    assert!(sales[0]["sale_number"]
        .as_str()
        .unwrap()
        .starts_with("DEMO-S-"));
    let newest = chrono::DateTime::parse_from_rfc3339(sales[0]["created_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    assert!(newest < now(), "nothing is dated after now: {newest}");
    assert!(newest > now() - Duration::minutes(60));
}

#[test]
fn the_demo_refuses_a_file_that_holds_anything() {
    let dir = tempfile::tempdir().unwrap();
    // A real store's file.
    let real = dir.path().join("store.db");
    let mut db = Db::open_with(&real, options_at(now())).unwrap();
    pharmapos_engine::setup::initialize(
        &mut db,
        serde_json::from_value(
            json!({"store_name": "Lekki", "admin_name": "Ada", "admin_pin": "2580"}),
        )
        .unwrap(),
    )
    .unwrap();
    let e = demo::seed(&mut db, DemoRequest::default()).unwrap_err();
    assert_eq!(e.kind(), "already_set_up");
    assert!(!db.is_demo().unwrap(), "a refused demo marks nothing");
    drop(db);
    let e = demo::create(&real, DemoRequest::default(), options_at(now())).unwrap_err();
    assert_eq!(e.kind(), "already_set_up");

    // A demo twice.
    let path = dir.path().join("demo.sqlite");
    demo::create(&path, DemoRequest::default(), options_at(now())).unwrap();
    let e = demo::create(&path, DemoRequest::default(), options_at(now())).unwrap_err();
    assert_eq!(e.kind(), "already_set_up");

    // A bad time zone: nothing is left behind.
    let other = dir.path().join("other.sqlite");
    let e = demo::create(
        &other,
        DemoRequest {
            timezone: Some("Mars/Olympus".into()),
        },
        options_at(now()),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "invalid_input");
    assert!(!other.exists());
    assert!(!dir.path().join("other.sqlite.building").exists());

    // An existing empty file is filled in place, in the zone asked for;
    // before 08:30 the store has worked through the night: today's shift
    // opened at midnight and has sales, so the till is ready at any hour.
    let empty = dir.path().join("empty.sqlite");
    drop(Db::open_with(&empty, options_at(now())).unwrap());
    let early = chrono_tz::America::New_York
        .with_ymd_and_hms(2026, 3, 10, 7, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let summary = demo::create(
        &empty,
        DemoRequest {
            timezone: Some("America/New_York".into()),
        },
        options_at(early),
    )
    .unwrap();
    assert!(summary.sales >= 20);
    let mut db = Db::open_with(&empty, options_at(early)).unwrap();
    assert!(db.is_demo().unwrap());
    assert!(db.verify().unwrap().ok);
    let (name, _, pin) = DEMO_USERS[2];
    let cashier = auth::sign_in(
        &mut db,
        &SignInRequest {
            name: name.into(),
            pin: pin.into(),
        },
    )
    .unwrap();
    let x = call(
        &mut db,
        Session {
            user_id: cashier.id,
        },
        "get_shift_report",
        json!({"terminal_id": DEMO_TILL}),
    );
    assert_eq!(x["status"], "open");
    assert_eq!(
        x["opened_at"], "2026-03-10T04:00:00.000Z",
        "midnight in New York (EDT)"
    );
    // 00:05 to 06:58, a basket every 20 to 35 minutes.
    let today = x["sales_count"].as_i64().unwrap();
    assert!((11..=21).contains(&today), "{today} sales tonight");
}
