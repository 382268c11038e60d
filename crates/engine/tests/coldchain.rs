//! Cold chain: locations hold lots, readings typed or imported, each breach
//! type holds the lots it concerns, a manager releases or disposes of them
//! lot by lot, and the ledger still verifies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use pharmapos_engine::alerts::list::{ListAlerts, ResolveAlert};
use pharmapos_engine::alerts::{AlertStatus, AlertType, Severity};
use pharmapos_engine::catalogue::products::{ProductFields, StorageRequirements};
use pharmapos_engine::coldchain::excursions::{
    DecideExcursionLot, ExcursionKind, ListExcursions, LotDecision,
};
use pharmapos_engine::coldchain::locations::{
    CreateStorageLocation, ListStorageLocations, LocationKind, PutLotInLocation,
    UpdateStorageLocation,
};
use pharmapos_engine::coldchain::readings::{
    ImportReadingsCsv, ListReadings, ReadingInput, ReadingsOutcome, RecordReadings,
};
use pharmapos_engine::ids::{BatchId, ProductId, StorageLocationId};
use pharmapos_engine::stock::BatchStatus;
use rust_decimal::Decimal;

struct Cold {
    fx: Fx,
    fridge: StorageLocationId,
    vaccine: ProductId,
    a: BatchId,
    b: BatchId,
}

fn fridge_product(fx: &mut Fx, sku: &str, lo: &str, hi: &str) -> ProductId {
    fx.product(
        sku,
        &format!("Vaccine {sku}"),
        ProductFields {
            cost_price: Some("10.00".parse().unwrap()),
            storage: Some(StorageRequirements {
                temperature_min_c: Some(lo.parse().unwrap()),
                temperature_max_c: Some(hi.parse().unwrap()),
                refrigerated: true,
                light_sensitive: false,
                notes: None,
            }),
            ..Default::default()
        },
    )
}

/// A 2–8 °C product with two lots in the fridge since an hour ago.
fn cold() -> Cold {
    let mut fx = store_a();
    let vaccine = fridge_product(&mut fx, "VAX", "2", "8");
    let fridge = fx
        .run(CreateStorageLocation {
            store_id: None,
            name: "Vaccine fridge".into(),
            kind: LocationKind::Fridge,
            instant_margin_c: None,
            tolerance_minutes: None,
            window_minutes: None,
        })
        .location_id;
    fx.set_now(now() - Duration::hours(1));
    let a = fx.receive(vaccine, "A1", day(200), 10);
    let b = fx.receive(vaccine, "B1", day(300), 6);
    for lot in [a, b] {
        fx.run(PutLotInLocation {
            batch_id: lot,
            location_id: Some(fridge),
        });
    }
    fx.set_now(now());
    Cold {
        fx,
        fridge,
        vaccine,
        a,
        b,
    }
}

fn t(minutes: i64) -> String {
    (now() + Duration::minutes(minutes)).to_rfc3339()
}

fn reading(minutes: i64, c: &str) -> ReadingInput {
    ReadingInput {
        taken_at: t(minutes),
        celsius: c.parse().unwrap(),
    }
}

fn record(fx: &mut Fx, fridge: StorageLocationId, rs: Vec<ReadingInput>) -> ReadingsOutcome {
    let c = fx.cashier;
    fx.as_user(
        c,
        RecordReadings {
            location_id: fridge,
            readings: rs,
        },
    )
    .unwrap()
}

#[test]
fn readings_in_range_hold_nothing() {
    let Cold {
        mut fx, fridge, a, ..
    } = cold();
    let out = record(
        &mut fx,
        fridge,
        vec![
            reading(-30, "4.5"),
            reading(-20, "7.99"),
            reading(-10, "2.00"),
        ],
    );
    assert_eq!(out.recorded, 3);
    assert!(out.excursions.is_empty());
    assert_eq!(fx.batch(a).status, BatchStatus::Available);
    let list = fx.run(ListReadings {
        location_id: fridge,
        limit: None,
        offset: None,
    });
    assert_eq!(list.total, 3);
    assert_eq!(list.rows[0].celsius, "2.00".parse::<Decimal>().unwrap());
    assert_eq!(list.rows[0].recorded_by, CASHIER);
    let locs = fx.run(ListStorageLocations::default());
    assert_eq!(locs[0].lots.len(), 2);
    assert_eq!(locs[0].last_celsius, Some("2.00".parse().unwrap()));
}

#[test]
fn one_hot_reading_beyond_the_margin_holds_every_lot_and_raises_a_critical_alert() {
    let Cold {
        mut fx,
        fridge,
        a,
        b,
        ..
    } = cold();
    let out = record(&mut fx, fridge, vec![reading(-5, "10.5")]);
    assert_eq!(out.excursions.len(), 1);
    let e = &out.excursions[0];
    assert_eq!(e.kind, ExcursionKind::TooHot);
    assert_eq!(e.peak_c, "10.50".parse::<Decimal>().unwrap());
    assert_eq!(e.limit_c, "8.00".parse::<Decimal>().unwrap());
    assert_eq!(e.lots.len(), 2);
    for lot in [a, b] {
        let v = fx.batch(lot);
        assert_eq!(v.status, BatchStatus::Quarantine);
    }
    let alerts = fx.run(ListAlerts {
        alert_type: Some(AlertType::TemperatureExcursion),
        ..Default::default()
    });
    assert_eq!(alerts.total, 1);
    assert_eq!(alerts.rows[0].severity, Severity::Critical);
    assert_eq!(alerts.rows[0].subject_id, e.excursion_id.to_string());
    // Another hot reading while the lots are held: no second excursion.
    let again = record(&mut fx, fridge, vec![reading(-1, "11")]);
    assert!(again.excursions.is_empty());
    fx.assert_verified();
}

#[test]
fn a_reading_within_the_margin_is_tolerated_until_the_minutes_add_up() {
    let Cold {
        mut fx, fridge, a, ..
    } = cold();
    // 9 °C for 20 minutes: tolerated (30 minutes a day by default).
    let out = record(&mut fx, fridge, vec![reading(-50, "9"), reading(-30, "5")]);
    assert!(out.excursions.is_empty());
    // Another 15 minutes above 8 °C: 35 minutes in the day.
    let out = record(&mut fx, fridge, vec![reading(-20, "8.4"), reading(-5, "6")]);
    assert_eq!(out.excursions.len(), 1);
    let e = &out.excursions[0];
    assert_eq!(e.kind, ExcursionKind::CumulativeHot);
    assert_eq!(e.minutes_outside, 35);
    assert_eq!(e.peak_c, "9.00".parse::<Decimal>().unwrap());
    assert_eq!(fx.batch(a).status, BatchStatus::Quarantine);
}

#[test]
fn too_cold_and_cumulative_cold_are_breaches_too() {
    let Cold { mut fx, fridge, .. } = cold();
    let out = record(&mut fx, fridge, vec![reading(-5, "-0.5")]);
    assert_eq!(out.excursions[0].kind, ExcursionKind::TooCold);

    let Cold { mut fx, fridge, .. } = cold();
    let out = record(
        &mut fx,
        fridge,
        vec![reading(-50, "1.5"), reading(-10, "4")],
    );
    assert_eq!(out.excursions[0].kind, ExcursionKind::CumulativeCold);
    assert_eq!(out.excursions[0].minutes_outside, 40);
}

#[test]
fn each_product_is_judged_against_its_own_range() {
    let Cold {
        mut fx, fridge, a, ..
    } = cold();
    // A room-temperature product kept in the same fridge: 2–25 °C.
    let cream = fridge_product(&mut fx, "CREAM", "2", "25");
    fx.set_now(now() - Duration::hours(1));
    let c = fx.receive(cream, "C1", day(300), 3);
    fx.run(PutLotInLocation {
        batch_id: c,
        location_id: Some(fridge),
    });
    fx.set_now(now());
    let out = record(&mut fx, fridge, vec![reading(-5, "12")]);
    assert_eq!(out.excursions.len(), 1);
    assert_eq!(out.excursions[0].lots.len(), 2, "only the vaccine's lots");
    assert_eq!(fx.batch(a).status, BatchStatus::Quarantine);
    assert_eq!(fx.batch(c).status, BatchStatus::Available);
}

#[test]
fn readings_before_a_lot_was_put_in_the_fridge_do_not_count_against_it() {
    let Cold {
        mut fx,
        fridge,
        vaccine,
        a,
        ..
    } = cold();
    // A hot reading two hours ago, before the lots came in an hour ago.
    let out = record(&mut fx, fridge, vec![reading(-120, "15")]);
    assert!(out.excursions.is_empty());
    assert_eq!(fx.batch(a).status, BatchStatus::Available);
    let _ = vaccine;
}

#[test]
fn a_manager_releases_one_lot_and_disposes_of_another_in_the_ledger() {
    let Cold {
        mut fx,
        fridge,
        a,
        b,
        ..
    } = cold();
    let out = record(&mut fx, fridge, vec![reading(-5, "12")]);
    let ex = out.excursions[0].excursion_id;
    // A cashier logs temperatures but does not decide.
    let c = fx.cashier;
    assert_kind(
        fx.as_user(
            c,
            DecideExcursionLot {
                excursion_id: ex,
                batch_id: a,
                decision: LotDecision::Release,
                note: None,
            },
        ),
        "forbidden",
    );
    // The alert cannot be closed by hand while lots are held.
    let alert = fx
        .run(ListAlerts {
            alert_type: Some(AlertType::TemperatureExcursion),
            ..Default::default()
        })
        .rows[0]
        .alert_id;
    let m = fx.manager;
    assert_kind(
        fx.as_user(
            m,
            ResolveAlert {
                alert_id: alert,
                note: None,
            },
        ),
        "conflict",
    );
    let after_release = fx
        .as_user(
            m,
            DecideExcursionLot {
                excursion_id: ex,
                batch_id: a,
                decision: LotDecision::Release,
                note: Some("manufacturer says stable for 72 h at 12 °C".into()),
            },
        )
        .unwrap();
    assert_eq!(after_release.status, "open");
    assert_eq!(fx.batch(a).status, BatchStatus::Available);
    assert_kind(
        fx.as_user(
            m,
            DecideExcursionLot {
                excursion_id: ex,
                batch_id: a,
                decision: LotDecision::Dispose,
                note: None,
            },
        ),
        "lot_already_decided",
    );
    let closed = fx
        .as_user(
            m,
            DecideExcursionLot {
                excursion_id: ex,
                batch_id: b,
                decision: LotDecision::Dispose,
                note: Some("no stability data".into()),
            },
        )
        .unwrap();
    assert_eq!(closed.status, "closed");
    assert_eq!(fx.on_hand(b), qi(0));
    assert_eq!(fx.on_hand(a), qi(10));
    let decided: Vec<_> = closed
        .lots
        .iter()
        .map(|l| {
            (
                l.batch_id,
                l.decision.clone().unwrap(),
                l.decided_by.clone().unwrap(),
            )
        })
        .collect();
    assert!(decided.contains(&(a, "released".into(), MANAGER.into())));
    assert!(decided.contains(&(b, "disposed".into(), MANAGER.into())));
    // The alert resolved itself.
    let alerts = fx.run(ListAlerts {
        alert_type: Some(AlertType::TemperatureExcursion),
        ..Default::default()
    });
    assert_eq!(alerts.rows[0].status, AlertStatus::Resolved);
    // The ledger: a hold and a release for A, a hold and waste for B.
    let raw = fx.raw();
    let events = |lot: BatchId| -> Vec<(String, i64, i64)> {
        raw.prepare(
            "SELECT change_type, previous_milli, new_milli FROM inventory_audit WHERE batch_id = ?1 ORDER BY seq",
        )
        .unwrap()
        .query_map([lot.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    };
    assert_eq!(
        events(a),
        vec![
            ("receipt".into(), 0, 10_000),
            ("status_change".into(), 10_000, 10_000),
            ("status_change".into(), 10_000, 10_000)
        ]
    );
    assert_eq!(
        events(b),
        vec![
            ("receipt".into(), 0, 6_000),
            ("status_change".into(), 6_000, 6_000),
            ("waste".into(), 6_000, 0)
        ]
    );
    drop(raw);
    fx.assert_verified();
    // Released, lot A's exposure counts afresh: the old hot reading is not
    // held against it again, a new one is.
    let out = record(&mut fx, fridge, vec![reading(1, "5")]);
    assert!(out.excursions.is_empty());
    let out = record(&mut fx, fridge, vec![reading(2, "13")]);
    assert_eq!(out.excursions.len(), 1);
    assert_eq!(out.excursions[0].lots.len(), 1);
}

#[test]
fn csv_import_reports_bad_lines_and_imports_nothing() {
    let Cold { mut fx, fridge, .. } = cold();
    let csv = "No.,Time,Temperature (°C)\n\
               1,2026-01-01 10:00,4.5\n\
               2,2026-01-01 10:05,warm\n\
               3,yesterday,5.0\n\
               \n\
               4,2026-01-01 10:15,5.5\n\
               5,2027-01-01 10:15,5.5\n";
    let c = fx.cashier;
    let e = assert_kind(
        fx.as_user(
            c,
            ImportReadingsCsv {
                location_id: fridge,
                csv: csv.into(),
            },
        ),
        "csv_rejected",
    );
    let lines: Vec<u64> = e.details()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![3, 4, 7]);
    let none = fx.run(ListReadings {
        location_id: fridge,
        limit: None,
        offset: None,
    });
    assert_eq!(none.total, 0);
}

#[test]
fn csv_import_takes_local_times_semicolons_and_decimal_commas_and_finds_breaches() {
    let Cold {
        mut fx, fridge, a, ..
    } = cold();
    // Lagos is UTC+1: 10:30 local is 09:30Z, half an hour before "now".
    let csv = "Date;Temp °C\n2026-01-01 10:30;4,5\n2026-01-01 10:40;11,0\n";
    let c = fx.cashier;
    let out = fx
        .as_user(
            c,
            ImportReadingsCsv {
                location_id: fridge,
                csv: csv.into(),
            },
        )
        .unwrap();
    assert_eq!(out.recorded, 2);
    assert_eq!(out.excursions.len(), 1);
    assert_eq!(fx.batch(a).status, BatchStatus::Quarantine);
    let rows = fx
        .run(ListReadings {
            location_id: fridge,
            limit: None,
            offset: None,
        })
        .rows;
    assert_eq!(rows[1].taken_at, "2026-01-01T09:30:00.000Z");
    assert_eq!(rows[1].source, "import");
    // The same file again: duplicates skipped, nothing new.
    let again = fx
        .as_user(
            c,
            ImportReadingsCsv {
                location_id: fridge,
                csv: csv.into(),
            },
        )
        .unwrap();
    assert_eq!((again.recorded, again.duplicates), (0, 2));
    // A time already recorded with another temperature is refused.
    let clash = fx.as_user(
        c,
        ImportReadingsCsv {
            location_id: fridge,
            csv: "2026-01-01T09:30:00Z,6.0\n".into(),
        },
    );
    assert_kind(clash, "csv_rejected");
}

#[test]
fn temperatures_are_exact() {
    let Cold { mut fx, fridge, .. } = cold();
    // Hundredths: 8.004 is stored as 8.00 (in range), never as a float.
    record(&mut fx, fridge, vec![reading(-40, "8.004")]);
    let rows = fx
        .run(ListReadings {
            location_id: fridge,
            limit: None,
            offset: None,
        })
        .rows;
    assert_eq!(rows[0].celsius.to_string(), "8.00");
    let bad = fx.as_user(
        fx.cashier,
        RecordReadings {
            location_id: fridge,
            readings: vec![reading(-1, "250")],
        },
    );
    assert_kind(bad, "csv_rejected");
}

#[test]
fn a_location_belongs_to_a_store_and_names_are_unique() {
    let Cold { mut fx, .. } = cold();
    let dup = fx.as_user(
        fx.admin,
        CreateStorageLocation {
            store_id: None,
            name: "vaccine FRIDGE".into(),
            kind: LocationKind::Fridge,
            instant_margin_c: None,
            tolerance_minutes: None,
            window_minutes: None,
        },
    );
    assert_kind(dup, "conflict");
    let m = fx.cashier;
    assert_kind(
        fx.as_user(
            m,
            CreateStorageLocation {
                store_id: None,
                name: "Shelf 2".into(),
                kind: LocationKind::Shelf,
                instant_margin_c: None,
                tolerance_minutes: None,
                window_minutes: None,
            },
        ),
        "forbidden",
    );
    let ex = fx.run(ListExcursions::default());
    assert_eq!(ex.total, 0);
}

#[test]
fn receiving_can_put_the_lot_in_a_location() {
    let Cold {
        mut fx,
        fridge,
        vaccine,
        ..
    } = cold();
    let mut req = fx.receive_req(vaccine, "C9", day(100), qi(3));
    req.storage_location_id = Some(fridge);
    let lot = fx.run(req).batch_id;
    let locs = fx.run(ListStorageLocations::default());
    assert!(locs[0].lots.iter().any(|l| l.batch_id == lot));
    // A location of another store is refused (here: an unknown one).
    let mut req = fx.receive_req(vaccine, "C10", day(100), qi(3));
    req.storage_location_id = Some(StorageLocationId::new());
    assert_kind(fx.as_user(fx.admin, req), "not_found");
    fx.assert_verified();
}

fn update(location_id: StorageLocationId) -> UpdateStorageLocation {
    UpdateStorageLocation {
        location_id,
        name: None,
        kind: None,
        instant_margin_c: None,
        tolerance_minutes: None,
        window_minutes: None,
        is_active: None,
    }
}

#[test]
fn a_location_is_renamed_retuned_and_retired_only_once_empty() {
    let Cold {
        mut fx,
        fridge,
        a,
        b,
        ..
    } = cold();
    let shelf = fx
        .run(CreateStorageLocation {
            store_id: None,
            name: "Back shelf".into(),
            kind: LocationKind::Shelf,
            instant_margin_c: None,
            tolerance_minutes: None,
            window_minutes: None,
        })
        .location_id;
    let events = fx.event_count();
    let changed = fx.run(UpdateStorageLocation {
        name: Some("Vaccine fridge 1".into()),
        tolerance_minutes: Some(15),
        ..update(fridge)
    });
    assert_eq!(changed.name, "Vaccine fridge 1");
    assert_eq!(changed.tolerance_minutes, 15);
    assert_eq!(changed.window_minutes, 1440, "untouched");
    assert_eq!(fx.event_count(), events + 1);
    // Bad input changes nothing.
    let m = fx.manager;
    assert_kind(
        fx.as_user(
            m,
            UpdateStorageLocation {
                name: Some("Back shelf".into()),
                ..update(fridge)
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            m,
            UpdateStorageLocation {
                window_minutes: Some(0),
                ..update(fridge)
            },
        ),
        "invalid_input",
    );
    let c = fx.cashier;
    assert_kind(
        fx.as_user(
            c,
            UpdateStorageLocation {
                tolerance_minutes: Some(1),
                ..update(fridge)
            },
        ),
        "forbidden",
    );
    // Lots still inside: not retired.
    let full = assert_kind(
        fx.as_user(
            m,
            UpdateStorageLocation {
                is_active: Some(false),
                ..update(fridge)
            },
        ),
        "conflict",
    );
    assert!(full.to_string().contains("2 lot(s)"), "{full}");
    for lot in [a, b] {
        fx.run(PutLotInLocation {
            batch_id: lot,
            location_id: Some(shelf),
        });
    }
    let retired = fx.run(UpdateStorageLocation {
        is_active: Some(false),
        ..update(fridge)
    });
    assert!(!retired.is_active);
    let listed = fx.run(ListStorageLocations::default());
    assert_eq!(listed.len(), 1, "retired locations are left out");
    let all = fx.run(ListStorageLocations {
        include_retired: Some(true),
        ..Default::default()
    });
    assert_eq!(all.len(), 2);
    assert!(!all[1].is_active, "retired ones come last");
    // A retired location takes no lots and no readings.
    assert_kind(
        fx.as_user(
            m,
            PutLotInLocation {
                batch_id: a,
                location_id: Some(fridge),
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            c,
            RecordReadings {
                location_id: fridge,
                readings: vec![reading(5, "5")],
            },
        ),
        "conflict",
    );
    // Brought back, it takes them again.
    fx.run(UpdateStorageLocation {
        is_active: Some(true),
        ..update(fridge)
    });
    record(&mut fx, fridge, vec![reading(5, "5")]);
    fx.assert_verified();
}
