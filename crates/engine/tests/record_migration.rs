//! A store file made by the release before the complete record (schema V5,
//! commit 90d810f; `tests/fixtures/make-store-v5.sh` made it) migrates
//! forward and still verifies, its old events included, and its chain goes
//! on with the new events.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{TimeZone, Utc};
use pharmapos_engine::audit::{ChangeType, EventCategory, GetAuditTrail};
use pharmapos_engine::catalogue::products::{ProductFields, SearchProducts, UpdateProduct};
use pharmapos_engine::catalogue::stores::ListStores;
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::{auth, Db, OpenOptions, SyncMode};
use std::sync::Arc;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/store-v5.sqlite"
);

#[test]
fn a_v5_store_file_migrates_and_its_old_events_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    std::fs::copy(FIXTURE, &path).unwrap();
    let history = |p: &std::path::Path| -> i64 {
        rusqlite::Connection::open(p)
            .unwrap()
            .query_row(
                "SELECT MAX(version) FROM refinery_schema_history",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(history(&path), 5, "the fixture is a V5 file");
    let old_events: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .query_row("SELECT COUNT(*) FROM inventory_audit", [], |r| r.get(0))
        .unwrap();
    assert!(old_events >= 7, "{old_events}");

    let mut db = Db::open_with(
        &path,
        OpenOptions {
            sync: SyncMode::Full,
            clock: Arc::new(FixedClock(
                Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap(),
            )),
        },
    )
    .unwrap();
    assert_eq!(history(&path), pharmapos_engine::program_schema_version());
    let report = db.verify().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.events_checked, old_events);

    // The file got an installation identity, which owns its store; the
    // admin of old is the store's admin.
    let ada = auth::session_for_name(&db, "ada").unwrap();
    let stores = db.execute(&ada, ListStores {}).unwrap();
    assert_eq!(stores.len(), 1);
    assert_eq!(stores[0].installation_id, Some(db.installation()));

    // Old stock events read back with their kind and words.
    let old = db
        .execute(
            &ada,
            GetAuditTrail {
                oldest_first: Some(true),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(old[0].kind, "receipt");
    assert_eq!(old[0].category, EventCategory::Stock);
    assert!(
        old[0]
            .summary
            .starts_with("Received Paracetamol 500mg batch A1"),
        "{}",
        old[0].summary
    );
    assert_eq!(
        old[0].installation_id, None,
        "written before the file had an identity"
    );

    // The chain goes on: a price change is the next event, and everything
    // verifies together.
    let p = db
        .execute(
            &ada,
            SearchProducts {
                query: Some("PCM".into()),
                store_id: None,
                limit: None,
                include_deleted: None,
            },
        )
        .unwrap()[0]
        .product
        .id;
    db.execute(
        &ada,
        UpdateProduct {
            id: p,
            sku: None,
            name: None,
            fields: ProductFields {
                selling_price: Some("0.55".parse().unwrap()),
                ..Default::default()
            },
        },
    )
    .unwrap();
    let newest = db
        .execute(
            &ada,
            GetAuditTrail {
                change_type: Some(ChangeType::ProductUpdated),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(newest[0].seq, old_events + 1);
    assert_eq!(newest[0].changes[0].before.as_deref(), Some("0.50"));
    let report = db.verify().unwrap();
    assert!(report.ok, "{:?}", report.problems);
    assert_eq!(report.events_checked, old_events + 1);
}
