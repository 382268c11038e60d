//! The manager's reports against a small store worked out by hand.
//!
//! Store A (Africa/Lagos, UTC+1), today 2026-01-01. Two categories:
//! Analgesics (paracetamol P1, ibuprofen P3) and Vitamins (vitamin C P2);
//! Botox P4 has no category. Batches (received on the date shown, at the
//! unit cost shown):
//!
//! | batch | product | received | expiry | received qty | cost |
//! |---|---|---|---|---|---|
//! | B1 | P1 | 2025-12-20 | 2026-01-05 | 1000 | 0.05 |
//! | B2 | P1 | 2025-06-01 | 2027-01-01 | 500 | 0.04 |
//! | B3 | P2 | 2025-11-01 | 2026-01-25 | 20 | 6.00 |
//! | B4 | P3 | 2024-06-01 | 2026-03-01 | 50 | 1.00 |
//! | B5 | P3 | 2025-09-01 | 2025-12-15 | 10 | 1.10 |
//! | B6 | P2 | 2025-10-01 | 2025-12-31 | 3 | 5.00 |
//! | B7 | P4 | 2026-01-01 | 2026-06-30 | 100 | 2.50 |
//!
//! Today, a minute apart (UTC 10:00 on): sale S1 of 100 P1 at 0.20 (B1,
//! cost 5.00); sale S2 of 4 P2 at 10.00 (B3, cost 24.00); 1 P2 of S2 returned
//! as waste (refund 10.00, cost back 6.00); an adjustment of −5 on B2
//! (−0.20); B5 written off as expired (−10, −11.00); 50 of B2 shipped to
//! store B (−2.00); a reconciliation counting B1 at 890 of 900 (−10,
//! −0.50); 12.5 units of B7 wasted as draw-up loss (31.25). No tax anywhere.
//!
//! On hand after: B1 890 (44.50), B2 445 (17.80), B3 16 (96.00), B4 50
//! (50.00), B5 0, B6 3 (15.00, expired yesterday), B7 87.5 (218.75).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::*;
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::categories::CreateCategory;
use pharmapos_engine::catalogue::products::ProductFields;
use pharmapos_engine::catalogue::stores::CreateStore;
use pharmapos_engine::catalogue::users::CreateUser;
use pharmapos_engine::clinic::waste::RecordWaste;
use pharmapos_engine::clinic::WasteReason;
use pharmapos_engine::control::counts::reconcile::{CountedBatch, ReconcileInventory};
use pharmapos_engine::control::transfers::{
    ApproveTransfer, CreateTransfer, NewTransferLine, RequestTransfer, ShipTransfer,
};
use pharmapos_engine::ids::{BatchId, CategoryId, ProductId, SaleId, StoreId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::op::parse_request;
use pharmapos_engine::reports::aging::GetBatchAging;
use pharmapos_engine::reports::expiry::GetExpiryRisk;
use pharmapos_engine::reports::export::{ExportReportCsv, ReportRequest};
use pharmapos_engine::reports::movements::{GetMovementLog, MovementKind};
use pharmapos_engine::reports::sales::{GetSalesReport, SalesGroup, SalesSort};
use pharmapos_engine::reports::valuation::{GetStockValuation, ValuationGroup, ValuationSort};
use pharmapos_engine::reports::waste::{GetWasteReport, WasteSource};
use pharmapos_engine::sales::cart::{AddCartLine, OpenCart};
use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
use pharmapos_engine::sales::returns::{ReturnDisposition, ReturnItems, ReturnLineInput};
use pharmapos_engine::sales::shifts::OpenShift;
use pharmapos_engine::stock::adjust::{AdjustStock, AdjustmentReason};
use pharmapos_engine::stock::writeoff::WriteoffBatch;
use pharmapos_engine::Session;

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// 10:00 UTC plus `minutes` on a date.
fn at(date: &str, minutes: i64) -> chrono::DateTime<Utc> {
    let d = d(date);
    Utc.from_utc_datetime(&d.and_hms_opt(10, 0, 0).unwrap()) + Duration::minutes(minutes)
}

struct World {
    fx: Fx,
    store_b: StoreId,
    manager_b: Session,
    analgesics: CategoryId,
    vitamins: CategoryId,
    p1: ProductId,
    p2: ProductId,
    p3: ProductId,
    p4: ProductId,
    b: [BatchId; 7],
}

fn product(fx: &mut Fx, sku: &str, name: &str, cat: Option<CategoryId>, price: &str) -> ProductId {
    fx.product(
        sku,
        name,
        ProductFields {
            unit: Some("tablet".into()),
            category_id: cat,
            cost_price: Some(m("1")),
            selling_price: Some(m(price)),
            ..Default::default()
        },
    )
}

fn receive(
    fx: &mut Fx,
    p: ProductId,
    batch: &str,
    received: &str,
    expiry: &str,
    qty: &str,
    cost: &str,
) -> BatchId {
    fx.set_now(at(received, 0));
    let mut req = fx.receive_req(p, batch, d(expiry), q(qty));
    req.cost_price = Some(m(cost));
    let id = fx.run(req).batch_id;
    fx.set_now(now());
    id
}

fn sell(
    fx: &mut Fx,
    p: ProductId,
    qty: &str,
    pay: &str,
) -> pharmapos_engine::sales::receipt::Receipt {
    let cart = fx
        .run(OpenCart {
            terminal_id: "till-1".into(),
            store_id: None,
        })
        .cart_id;
    fx.run(AddCartLine {
        cart_id: cart,
        product_id: p,
        quantity: Some(q(qty)),
        batch_id: None,
        prescription_reference: None,
    });
    fx.run(CompleteSale {
        sale_id: SaleId::new(),
        cart_id: cart,
        payments: vec![PaymentInput {
            tender: "cash".into(),
            amount: m(pay),
            reference: None,
        }],
    })
}

fn world() -> World {
    let mut fx = store_a();
    let store_b = fx
        .run(CreateStore {
            name: "Store B".into(),
            code: Some("STB".into()),
            timezone: Some(TZ.into()),
            ..Default::default()
        })
        .id;
    let manager_b = Session {
        user_id: fx
            .run(CreateUser {
                name: "bea".into(),
                role: Role::Manager,
                pin: Some("4321".into()),
                store_id: Some(store_b),
                stores: None,
                head_office: None,
            })
            .id,
    };
    let cat = |fx: &mut Fx, name: &str| {
        fx.run(CreateCategory {
            name: name.into(),
            display_name: None,
            description: None,
            parent_id: None,
        })
        .id
    };
    let analgesics = cat(&mut fx, "Analgesics");
    let vitamins = cat(&mut fx, "Vitamins");
    let p1 = product(
        &mut fx,
        "PCM-500",
        "Paracetamol 500mg",
        Some(analgesics),
        "0.20",
    );
    let p2 = product(
        &mut fx,
        "VTC-1000",
        "Vitamin C 1000mg",
        Some(vitamins),
        "10.00",
    );
    let p3 = product(
        &mut fx,
        "IBU-400",
        "Ibuprofen 400mg",
        Some(analgesics),
        "2.00",
    );
    let p4 = fx.botox();
    let b = [
        receive(
            &mut fx,
            p1,
            "B1",
            "2025-12-20",
            "2026-01-05",
            "1000",
            "0.05",
        ),
        receive(&mut fx, p1, "B2", "2025-06-01", "2027-01-01", "500", "0.04"),
        receive(&mut fx, p2, "B3", "2025-11-01", "2026-01-25", "20", "6.00"),
        receive(&mut fx, p3, "B4", "2024-06-01", "2026-03-01", "50", "1.00"),
        receive(&mut fx, p3, "B5", "2025-09-01", "2025-12-15", "10", "1.10"),
        receive(&mut fx, p2, "B6", "2025-10-01", "2025-12-31", "3", "5.00"),
        receive(&mut fx, p4, "B7", "2026-01-01", "2026-06-30", "100", "2.50"),
    ];

    fx.set_now(at("2026-01-01", 1));
    fx.run(OpenShift {
        terminal_id: "till-1".into(),
        opening_float: m("0"),
        store_id: None,
    });
    fx.set_now(at("2026-01-01", 2));
    sell(&mut fx, p1, "100", "20.00");
    fx.set_now(at("2026-01-01", 3));
    let s2 = sell(&mut fx, p2, "4", "40.00");
    fx.set_now(at("2026-01-01", 4));
    fx.run(ReturnItems {
        sale_id: s2.sale_id,
        terminal_id: "till-1".into(),
        lines: vec![ReturnLineInput {
            sale_line_id: s2.lines[0].sale_line_id,
            quantity: q("1"),
            disposition: Some(ReturnDisposition::Waste),
            batch_id: None,
        }],
        tender: None,
        reason: Some("broken seal".into()),
        approver_name: None,
        approver_pin: None,
    });
    fx.set_now(at("2026-01-01", 5));
    fx.run(AdjustStock {
        batch_id: b[1],
        quantity_change: q("-5"),
        reason: AdjustmentReason::Loss,
        notes: None,
        approver_name: None,
        approver_pin: None,
    });
    fx.set_now(at("2026-01-01", 6));
    fx.run(WriteoffBatch {
        batch_id: b[4],
        reason: AdjustmentReason::Expired,
        notes: None,
        approver_name: None,
        approver_pin: None,
    });
    fx.set_now(at("2026-01-01", 7));
    let t = fx.run(CreateTransfer {
        from_store_id: None,
        to_store_id: store_b,
        lines: vec![NewTransferLine {
            product_id: p1,
            quantity: qi(50),
            batch_id: Some(b[1]),
        }],
        notes: None,
        user_id: None,
    });
    fx.run(RequestTransfer { transfer_id: t.id });
    fx.run(ApproveTransfer {
        transfer_id: t.id,
        notes: None,
    });
    fx.run(ShipTransfer {
        transfer_id: t.id,
        carrier: None,
        tracking_number: None,
    });
    fx.set_now(at("2026-01-01", 8));
    let store = fx.store;
    fx.run(ReconcileInventory {
        store_id: store,
        counts_data: vec![CountedBatch {
            product_id: p1,
            batch_id: b[0],
            counted_qty: qi(890),
        }],
        user_id: None,
        notes: None,
    });
    fx.set_now(at("2026-01-01", 9));
    fx.run(RecordWaste {
        session_id: None,
        batch_id: Some(b[6]),
        quantity: q("12.5"),
        reason: WasteReason::DrawUpLoss,
        practitioner_id: None,
        appointment_ref: None,
        notes: None,
    });
    fx.set_now(at("2026-01-01", 30));
    World {
        fx,
        store_b,
        manager_b,
        analgesics,
        vitamins,
        p1,
        p2,
        p3,
        p4,
        b,
    }
}

#[test]
fn the_store_is_as_the_header_says() {
    let mut w = world();
    let want = ["890", "445", "16", "50", "0", "3", "87.5"];
    for (b, n) in w.b.into_iter().zip(want) {
        assert_eq!(w.fx.on_hand(b), q(n), "batch {b}");
    }
}

#[test]
fn stock_valuation_by_product_category_and_store() {
    let mut w = world();
    // Sellable stock: B1 44.50 + B2 17.80 (P1 62.30), B3 96.00 (P2),
    // B4 50.00 (P3), B7 218.75 (P4) = 427.05. B6 is expired, B5 empty.
    let v = w.fx.run(GetStockValuation::default());
    assert_eq!(v.group_by, ValuationGroup::Product);
    assert_eq!(v.total_rows, 4);
    assert_eq!(v.totals.value, m("427.05"));
    assert_eq!(v.totals.batches, 5);
    assert_eq!(v.totals.products, 4);
    let rows: Vec<(String, Money, i64)> = v
        .rows
        .iter()
        .map(|r| (r.label.clone(), r.value, r.batches))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Botox 100U".into(), m("218.75"), 1),
            ("Vitamin C 1000mg".into(), m("96.00"), 1),
            ("Paracetamol 500mg".into(), m("62.30"), 2),
            ("Ibuprofen 400mg".into(), m("50.00"), 1),
        ]
    );
    assert_eq!(v.rows[2].on_hand, qi(1335));
    assert_eq!(v.rows[2].key, Some(w.p1.to_string()));

    // Expired stock counted: B6 15.00 joins vitamin C.
    let v = w.fx.run(GetStockValuation {
        include_expired: Some(true),
        ..Default::default()
    });
    assert_eq!(v.totals.value, m("442.05"));
    assert_eq!(v.rows[1].value, m("111.00"));

    // Paged by name: A–Z is Botox, Ibuprofen, Paracetamol, Vitamin C.
    let v = w.fx.run(GetStockValuation {
        sort: Some(ValuationSort::Name),
        limit: Some(2),
        offset: Some(2),
        ..Default::default()
    });
    let names: Vec<&str> = v.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(names, ["Paracetamol 500mg", "Vitamin C 1000mg"]);
    assert_eq!((v.total_rows, v.totals.value), (4, m("427.05")));
    // A page past the end keeps the totals.
    let v = w.fx.run(GetStockValuation {
        offset: Some(10),
        ..Default::default()
    });
    assert!(v.rows.is_empty());
    assert_eq!((v.total_rows, v.totals.value), (4, m("427.05")));

    // By category: no category (Botox) 218.75; Analgesics 62.30 + 50.00 = 112.30; Vitamins 96.00.
    let v = w.fx.run(GetStockValuation {
        group_by: Some(ValuationGroup::Category),
        ..Default::default()
    });
    let rows: Vec<(Option<String>, String, Money, i64)> = v
        .rows
        .iter()
        .map(|r| (r.key.clone(), r.label.clone(), r.value, r.products))
        .collect();
    assert_eq!(
        rows,
        vec![
            (None, "(no category)".into(), m("218.75"), 1),
            (
                Some(w.analgesics.to_string()),
                "Analgesics".into(),
                m("112.30"),
                2
            ),
            (
                Some(w.vitamins.to_string()),
                "Vitamins".into(),
                m("96.00"),
                1
            ),
        ]
    );
    assert_eq!(v.totals.value, m("427.05"));

    // By store: one row.
    let v = w.fx.run(GetStockValuation {
        group_by: Some(ValuationGroup::Store),
        ..Default::default()
    });
    assert_eq!(v.rows.len(), 1);
    assert_eq!(v.rows[0].label, "Store A");
    assert_eq!(
        (v.rows[0].value, v.rows[0].products, v.rows[0].batches),
        (m("427.05"), 4, 5)
    );

    // Filters: a category, a product text.
    let v = w.fx.run(GetStockValuation {
        category_id: Some(w.vitamins),
        ..Default::default()
    });
    assert_eq!((v.total_rows, v.totals.value), (1, m("96.00")));
    let v = w.fx.run(GetStockValuation {
        query: Some("para".into()),
        ..Default::default()
    });
    assert_eq!((v.total_rows, v.totals.value), (1, m("62.30")));
}

#[test]
fn batch_aging_buckets_and_slow_movers() {
    let mut w = world();
    let a = w.fx.run(GetBatchAging::default());
    // Ages on 2026-01-01: B1 12 days, B7 0 → 0-30; B3 61 → 31-90; B6 92 → 91-180;
    // B2 214 → 181-365; B4 579 → 365+.
    let got: Vec<(&str, i64, Qty, Money)> = a
        .buckets
        .iter()
        .map(|b| (b.label.as_str(), b.batches, b.on_hand, b.value))
        .collect();
    assert_eq!(
        got,
        vec![
            ("0-30", 2, q("977.5"), m("263.25")),
            ("31-90", 1, qi(16), m("96.00")),
            ("91-180", 1, qi(3), m("15.00")),
            ("181-365", 1, qi(445), m("17.80")),
            ("365+", 1, qi(50), m("50.00")),
        ]
    );
    // Sold in the last 90 days: P1, P2. Slow: P4 (218.75), P3 (50.00), never sold.
    assert_eq!(a.slow_days, 90);
    assert_eq!(a.since, d("2025-10-04"));
    assert_eq!((a.slow_total, a.slow_value), (2, m("268.75")));
    let slow: Vec<(ProductId, Money, &str)> = a
        .slow_movers
        .iter()
        .map(|s| (s.product_id, s.value, s.oldest_received.as_str()))
        .collect();
    assert_eq!(
        slow,
        vec![
            (w.p4, m("218.75"), "2026-01-01"),
            (w.p3, m("50.00"), "2024-06-01")
        ]
    );
    assert!(a.slow_movers.iter().all(|s| s.last_sale_at.is_none()));

    // Filtered and paged.
    let a = w.fx.run(GetBatchAging {
        category_id: Some(w.analgesics),
        ..Default::default()
    });
    assert_eq!(a.buckets[0].value, m("44.50"));
    assert_eq!(a.slow_total, 1);
    assert_eq!(a.slow_movers[0].product_id, w.p3);
    let a = w.fx.run(GetBatchAging {
        limit: Some(1),
        offset: Some(1),
        ..Default::default()
    });
    assert_eq!(a.slow_movers.len(), 1);
    assert_eq!(a.slow_movers[0].product_id, w.p3);
    assert_eq!(a.slow_total, 2);

    // Tomorrow with a one-day window, nothing sold that day: P1 is slow too,
    // and its last sale is today's.
    w.fx.set_now(at("2026-01-02", 0));
    let a = w.fx.run(GetBatchAging {
        slow_days: Some(1),
        query: Some("paracetamol".into()),
        ..Default::default()
    });
    assert_eq!(a.slow_movers.len(), 1);
    assert_eq!(
        a.slow_movers[0].last_sale_at.as_deref(),
        Some("2026-01-01T10:02:00.000Z")
    );
    assert_kind(
        w.fx.as_user(
            w.fx.admin,
            GetBatchAging {
                slow_days: Some(0),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

#[test]
fn expiry_risk_windows_and_the_batch_list() {
    let mut w = world();
    let r = w.fx.run(GetExpiryRisk::default());
    // Expired: B6 (3, 15.00). ≤7 and ≤14 days: B1 (890, 44.50); ≤30: + B3 (16, 96.00);
    // ≤90: + B4 (50, 50.00). B2 and B7 expire later.
    assert_eq!(
        (r.expired.batches, r.expired.on_hand, r.expired.value),
        (1, qi(3), m("15.00"))
    );
    let got: Vec<(Option<i64>, i64, Qty, Money)> = r
        .windows
        .iter()
        .map(|x| (x.within_days, x.batches, x.on_hand, x.value))
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(7), 1, qi(890), m("44.50")),
            (Some(14), 1, qi(890), m("44.50")),
            (Some(30), 2, qi(906), m("140.50")),
            (Some(90), 3, qi(956), m("190.50")),
        ]
    );
    assert_eq!(r.windows[0].until.as_deref(), Some("2026-01-08"));
    // Default horizon 30 days, expired included: B6, B1, B3.
    let list: Vec<(&str, i64, Money)> = r
        .batches
        .iter()
        .map(|b| (b.batch_number.as_str(), b.days_left, b.value))
        .collect();
    assert_eq!(
        list,
        vec![
            ("B6", -1, m("15.00")),
            ("B1", 4, m("44.50")),
            ("B3", 24, m("96.00"))
        ]
    );
    assert_eq!((r.total_batches, r.total_value), (3, m("155.50")));

    let r = w.fx.run(GetExpiryRisk {
        horizon_days: Some(90),
        include_expired: Some(false),
        limit: Some(2),
        offset: Some(1),
        ..Default::default()
    });
    let names: Vec<&str> = r.batches.iter().map(|b| b.batch_number.as_str()).collect();
    assert_eq!(names, ["B3", "B4"]);
    assert_eq!((r.total_batches, r.total_value), (3, m("190.50")));

    let r = w.fx.run(GetExpiryRisk {
        product_id: Some(w.p2),
        ..Default::default()
    });
    assert_eq!(r.expired.value, m("15.00"));
    assert_eq!(r.windows[3].value, m("96.00"));
    assert_eq!(r.total_batches, 2);

    for bad in [0, -3] {
        assert_kind(
            w.fx.as_user(
                w.fx.admin,
                GetExpiryRisk {
                    horizon_days: Some(bad),
                    ..Default::default()
                },
            ),
            "invalid_input",
        );
    }
}

#[test]
fn the_movement_log_holds_adjustments_writeoffs_transfers_and_counts() {
    let mut w = world();
    let l = w.fx.run(GetMovementLog::default());
    // Newest first: count −10 × 0.05, transfer −50 × 0.04, write-off −10 × 1.10,
    // adjustment −5 × 0.04; −0.50 − 2.00 − 11.00 − 0.20 = −13.70.
    let got: Vec<(MovementKind, &str, Qty, Money)> = l
        .rows
        .iter()
        .map(|r| (r.kind, r.batch_number.as_str(), r.quantity, r.value))
        .collect();
    assert_eq!(
        got,
        vec![
            (MovementKind::Count, "B1", qi(-10), m("-0.50")),
            (MovementKind::Transfer, "B2", qi(-50), m("-2.00")),
            (MovementKind::Writeoff, "B5", qi(-10), m("-11.00")),
            (MovementKind::Adjustment, "B2", qi(-5), m("-0.20")),
        ]
    );
    assert_eq!((l.total_rows, l.total_value), (4, m("-13.70")));
    assert_eq!(l.rows[1].detail, "to Store B");
    assert_eq!(l.rows[2].detail, "expired");
    assert_eq!(l.rows[0].user_name.as_deref(), Some(ADMIN));

    let l = w.fx.run(GetMovementLog {
        kind: Some(MovementKind::Transfer),
        ..Default::default()
    });
    assert_eq!(l.total_rows, 1);
    let l = w.fx.run(GetMovementLog {
        product_id: Some(w.p1),
        limit: Some(1),
        offset: Some(1),
        ..Default::default()
    });
    assert_eq!(l.rows.len(), 1);
    assert_eq!(l.rows[0].kind, MovementKind::Transfer);
    assert_eq!((l.total_rows, l.total_value), (3, m("-2.70")));
    let manager = w.fx.manager;
    let l = w.fx.run(GetMovementLog {
        user_id: Some(manager.user_id),
        ..Default::default()
    });
    assert_eq!(l.total_rows, 0);
    let l = w.fx.run(GetMovementLog {
        to: Some(d("2025-12-31")),
        ..Default::default()
    });
    assert_eq!(l.total_rows, 0);
    assert_kind(
        w.fx.as_user(
            w.fx.admin,
            GetMovementLog {
                from: Some(d("2026-01-02")),
                to: Some(d("2026-01-01")),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

#[test]
fn waste_by_reason_and_product() {
    let mut w = world();
    let r = w.fx.run(GetWasteReport::default());
    // Draw-up loss 12.5 × 2.50 = 31.25; write-off 10 × 1.10 = 11.00; the wasted return 1 × 6.00.
    let got: Vec<(WasteSource, &str, Qty, Money)> = r
        .by_reason
        .iter()
        .map(|x| (x.source, x.reason.as_str(), x.quantity, x.cost))
        .collect();
    assert_eq!(
        got,
        vec![
            (WasteSource::Clinic, "draw_up_loss", q("12.5"), m("31.25")),
            (WasteSource::Writeoff, "expired", qi(10), m("11.00")),
            (WasteSource::Return, "return", qi(1), m("6.00")),
        ]
    );
    let products: Vec<(ProductId, Money)> =
        r.products.iter().map(|p| (p.product_id, p.cost)).collect();
    assert_eq!(
        products,
        vec![(w.p4, m("31.25")), (w.p3, m("11.00")), (w.p2, m("6.00"))]
    );
    assert_eq!(
        (r.total_records, r.total_products, r.total_cost),
        (3, 3, m("48.25"))
    );

    let r = w.fx.run(GetWasteReport {
        source: Some(WasteSource::Writeoff),
        ..Default::default()
    });
    assert_eq!((r.total_products, r.total_cost), (1, m("11.00")));
    let r = w.fx.run(GetWasteReport {
        limit: Some(1),
        offset: Some(2),
        ..Default::default()
    });
    assert_eq!(r.products[0].product_id, w.p2);
    assert_eq!(r.total_cost, m("48.25"));
    let r = w.fx.run(GetWasteReport {
        from: Some(d("2025-01-01")),
        to: Some(d("2025-12-31")),
        ..Default::default()
    });
    assert_eq!((r.total_records, r.total_cost), (0, Money::ZERO));
}

#[test]
fn sales_and_margin_by_day_product_and_category() {
    let mut w = world();
    // Today: S1 100 × 0.20 = 20.00 (cost 5.00), S2 4 × 10.00 = 40.00 (cost 24.00),
    // one vitamin C back: refund 10.00, cost 6.00. Revenue 50.00, cost 23.00, margin 27.00 (54 %).
    let r = w.fx.run(GetSalesReport::default());
    assert_eq!(r.group_by, SalesGroup::Day);
    assert_eq!(r.rows.len(), 30);
    assert_eq!(r.total_rows, 30);
    assert_eq!(r.rows[0].label, "2025-12-03");
    let today = &r.rows[29].figures;
    assert_eq!(r.rows[29].label, "2026-01-01");
    assert_eq!(today.sales, 2);
    assert_eq!(
        (today.quantity_sold, today.quantity_returned, today.quantity),
        (qi(104), qi(1), qi(103))
    );
    assert_eq!(
        (today.gross_sales, today.refunds, today.tax),
        (m("60"), m("10"), m("0"))
    );
    assert_eq!(
        (today.revenue, today.cost, today.margin),
        (m("50"), m("23"), m("27"))
    );
    assert_eq!(today.margin_percent.as_deref(), Some("54.00"));
    assert!(r.rows[0].figures.margin_percent.is_none());
    assert_eq!((r.totals.revenue, r.totals.margin), (m("50"), m("27")));

    // By product: vitamin C 40 − 10 = 30.00, cost 24 − 6 = 18, margin 12 (40 %);
    // paracetamol 20.00, cost 5, margin 15 (75 %).
    let r = w.fx.run(GetSalesReport {
        group_by: Some(SalesGroup::Product),
        ..Default::default()
    });
    let got: Vec<(Option<String>, Money, Money, Option<&str>)> = r
        .rows
        .iter()
        .map(|x| {
            (
                x.key.clone(),
                x.figures.revenue,
                x.figures.margin,
                x.figures.margin_percent.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(w.p2.to_string()), m("30"), m("12"), Some("40.00")),
            (Some(w.p1.to_string()), m("20"), m("15"), Some("75.00")),
        ]
    );
    assert_eq!(r.rows[0].figures.quantity, qi(3));
    let r = w.fx.run(GetSalesReport {
        group_by: Some(SalesGroup::Product),
        sort: Some(SalesSort::Margin),
        limit: Some(1),
        ..Default::default()
    });
    assert_eq!(r.rows[0].key, Some(w.p1.to_string()));
    assert_eq!((r.total_rows, r.totals.margin), (2, m("27")));

    let r = w.fx.run(GetSalesReport {
        group_by: Some(SalesGroup::Category),
        ..Default::default()
    });
    let got: Vec<(&str, Money)> = r
        .rows
        .iter()
        .map(|x| (x.label.as_str(), x.figures.revenue))
        .collect();
    assert_eq!(got, vec![("Vitamins", m("30")), ("Analgesics", m("20"))]);

    let r = w.fx.run(GetSalesReport {
        group_by: Some(SalesGroup::Product),
        category_id: Some(w.analgesics),
        ..Default::default()
    });
    assert_eq!((r.total_rows, r.totals.revenue), (1, m("20")));
    // Yesterday: nothing.
    let r = w.fx.run(GetSalesReport {
        from: Some(d("2025-12-31")),
        to: Some(d("2025-12-31")),
        ..Default::default()
    });
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.totals.revenue, Money::ZERO);
    assert_kind(
        w.fx.as_user(
            w.fx.admin,
            GetSalesReport {
                from: Some(d("2026-01-02")),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

#[test]
fn bad_requests_are_invalid_input() {
    for (json, field) in [
        (serde_json::json!({"group_by": "supplier"}), "group_by"),
        (serde_json::json!({"sort": "colour"}), "sort"),
        (serde_json::json!({"limit": 0}), "limit"),
    ] {
        let r: pharmapos_engine::Result<GetStockValuation> = parse_request(json.clone());
        match r {
            Err(e) => assert_eq!(e.kind(), "invalid_input", "{json}"),
            Ok(req) => {
                // limit 0 parses; running it fails.
                let mut w = store_a();
                assert_kind(w.as_user(w.admin, req), "invalid_input");
                assert_eq!(field, "limit");
            }
        }
    }
    let r: pharmapos_engine::Result<ExportReportCsv> =
        parse_request(serde_json::json!({"report": "profit_and_loss"}));
    assert_eq!(r.unwrap_err().kind(), "invalid_input");
    let r: pharmapos_engine::Result<GetSalesReport> =
        parse_request(serde_json::json!({"group_by": "week"}));
    assert_eq!(r.unwrap_err().kind(), "invalid_input");
}

#[test]
fn a_user_of_another_store_or_a_cashier_cannot_read_the_reports() {
    let mut w = world();
    let a = w.fx.store;
    let (mb, cashier) = (w.manager_b, w.fx.cashier);
    for who in [mb, cashier] {
        assert_kind(
            w.fx.as_user(
                who,
                GetStockValuation {
                    store_id: Some(a),
                    ..Default::default()
                },
            ),
            "forbidden",
        );
        assert_kind(
            w.fx.as_user(
                who,
                GetSalesReport {
                    store_id: Some(a),
                    ..Default::default()
                },
            ),
            "forbidden",
        );
        assert_kind(
            w.fx.as_user(
                who,
                ExportReportCsv(ReportRequest::MovementLog(GetMovementLog {
                    store_id: Some(a),
                    ..Default::default()
                })),
            ),
            "forbidden",
        );
    }
    // B's manager reads B: the transfer has not arrived, so B holds nothing.
    let v = w.fx.as_user(mb, GetStockValuation::default()).unwrap();
    assert_eq!(v.store_id, w.store_b);
    assert_eq!(v.totals.value, Money::ZERO);
    // A's manager reads A.
    let manager = w.fx.manager;
    let v = w.fx.as_user(manager, GetStockValuation::default()).unwrap();
    assert_eq!(v.totals.value, m("427.05"));
}

#[test]
fn the_csv_export_has_the_reports_rows() {
    let mut w = world();
    let e = w.fx.run(ExportReportCsv(ReportRequest::StockValuation(
        GetStockValuation {
            limit: Some(1),
            ..Default::default()
        },
    )));
    assert_eq!((e.export.rows, e.total_rows, e.capped), (4, 4, false));
    assert_eq!(e.file_name, "stock_valuation-2026-01-01.csv");
    let lines: Vec<&str> = e.export.csv.lines().collect();
    assert_eq!(
        lines[0],
        "key,label,sku,unit,products,batches,on_hand,value"
    );
    assert_eq!(
        lines[1],
        format!("{},Botox 100U,BTX-100,unit,1,1,87.5,218.75", w.p4)
    );
    assert_eq!(lines.len(), 5);

    let e = w.fx.run(ExportReportCsv(ReportRequest::SalesReport(
        GetSalesReport {
            group_by: Some(SalesGroup::Product),
            ..Default::default()
        },
    )));
    let lines: Vec<&str> = e.export.csv.lines().collect();
    assert_eq!(
        lines[0],
        "key,label,sku,sales,quantity_sold,quantity_returned,quantity,gross_sales,refunds,tax,revenue,cost,margin,margin_percent"
    );
    assert_eq!(
        lines[1],
        format!(
            "{},Vitamin C 1000mg,VTC-1000,1,4,1,3,40.00,10.00,0.00,30.00,18.00,12.00,40.00",
            w.p2
        )
    );

    // The JSON form the UI sends.
    let req: ExportReportCsv = parse_request(serde_json::json!({
        "report": "movement_log", "kind": "writeoff"
    }))
    .unwrap();
    let e = w.fx.run(req);
    assert_eq!(e.export.rows, 1);
    assert!(e.export.csv.lines().nth(1).unwrap().contains(",writeoff,"));
    for req in [
        ReportRequest::BatchAging(GetBatchAging::default()),
        ReportRequest::ExpiryRisk(GetExpiryRisk::default()),
        ReportRequest::WasteReport(GetWasteReport::default()),
    ] {
        let e = w.fx.run(ExportReportCsv(req));
        assert_eq!(i64::from(e.export.rows), e.total_rows);
        assert!(!e.capped);
    }
    let _ = (w.p3, w.p1);
}
