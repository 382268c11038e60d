//! The seed's testing strategy for the inventory engine, on real files:
//! FEFO, partial allocation, write-off, adjustments, reservations, receipt to
//! sale with its audit trail, expiry in the store's local time, receiving
//! rules, backorders, permissions, products, and the audit ledger's
//! append-only and tamper-evident guarantees; plus refusal of files the
//! program must not touch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use pharmapos_engine::audit::{ChangeType, GetAuditTrail};
use pharmapos_engine::catalogue::product_list::{ListProducts, ProductSort};
use pharmapos_engine::catalogue::products::{
    CreateProduct, DeleteProduct, ProductFields, SearchProducts, UpdateProduct,
};
use pharmapos_engine::catalogue::suppliers::{CreateSupplier, SupplierFields, UpdateSupplier};
use pharmapos_engine::ids::{BatchId, ProductId, SupplierId};
use pharmapos_engine::stock::adjust::{
    AdjustStock, AdjustmentReason, ApprovalWait, ApproveAdjustment, ListAdjustments,
    RejectAdjustment, WriteoffBatch,
};
use pharmapos_engine::stock::allocate::{AllocateStockForSale, AllocationResult, SkipReason};
use pharmapos_engine::stock::backorders::{CreateBackorder, FulfillBackorder};
use pharmapos_engine::stock::expiry::{
    expire_lapsed_step, ExpireBatchesWithinDays, GetExpiredBatches, GetExpiringBatches,
};
use pharmapos_engine::stock::queries::{GetProductStock, ProductStock};
use pharmapos_engine::stock::receipts::{ListReceipts, ReceivedLine, ReverseReceipt};
use pharmapos_engine::stock::receive::CostPriceSource;
use pharmapos_engine::stock::reservations::{ConfirmReservation, ReleaseReservation, ReserveStock};
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::{Db, Session};

fn sell_req(product: ProductId, qty: i64) -> AllocateStockForSale {
    AllocateStockForSale {
        product_id: product,
        store_id: None,
        quantity: qi(qty),
        reference_id: None,
        allow_partial: None,
    }
}

fn sell(fx: &mut Fx, product: ProductId, qty: i64) -> AllocationResult {
    fx.run(sell_req(product, qty))
}

fn stock(fx: &mut Fx, product: ProductId) -> ProductStock {
    fx.run(GetProductStock {
        product_id: product,
        store_id: None,
    })
}

fn taken(r: &AllocationResult) -> Vec<(BatchId, i64)> {
    r.batches
        .iter()
        .map(|b| (b.batch_id, b.quantity.to_scaled("q").unwrap() / 1000))
        .collect()
}

fn adjust(batch: BatchId, change: i64, reason: AdjustmentReason) -> AdjustStock {
    AdjustStock {
        batch_id: batch,
        quantity_change: qi(change),
        reason,
        notes: None,
        approver_name: None,
        approver_pin: None,
    }
}

fn reserve(batch: BatchId, qty: i64, reference: Option<&str>) -> ReserveStock {
    ReserveStock {
        product_batch_id: batch,
        quantity: qi(qty),
        reason: "pending_sale".into(),
        reference_id: reference.map(str::to_string),
        ttl_minutes: None,
    }
}

fn trail(fx: &mut Fx, product: ProductId) -> Vec<pharmapos_engine::audit::AuditEvent> {
    fx.run(GetAuditTrail {
        product_id: Some(product),
        oldest_first: Some(true),
        limit: Some(5000),
        ..Default::default()
    })
}

/// Runs `f`, which must fail with `kind`, and checks that nothing was
/// written: same number of audit events and same batches, byte for byte.
#[track_caller]
fn refused<T: std::fmt::Debug>(
    fx: &mut Fx,
    kind: &str,
    f: impl FnOnce(&mut Fx) -> pharmapos_engine::Result<T>,
) {
    // A refused approval is itself recorded (security log and a security
    // event, written after the rollback); nothing else may be.
    let changes = |fx: &Fx| -> i64 {
        fx.raw()
            .query_row(
                "SELECT COUNT(*) FROM inventory_audit WHERE category IS NOT 'security'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let events = changes(fx);
    let before = snapshot(fx);
    assert_kind(f(fx), kind);
    assert_eq!(
        changes(fx),
        events,
        "a refused operation appended audit events"
    );
    assert_eq!(snapshot(fx), before, "a refused operation changed a table");
}

/// Every row of the tables an operation may touch, as text.
fn snapshot(fx: &Fx) -> Vec<String> {
    let c = fx.raw();
    let mut out = Vec::new();
    for table in [
        "batches",
        "products",
        "product_barcodes",
        "purchase_receipts",
        "stock_reservations",
        "stock_adjustments",
        "backorders",
        "suppliers",
    ] {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let mut s = format!("{table}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!("{v:?}|"));
                }
                Ok(s)
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

// ---------------------------------------------------------------- FEFO

#[test]
fn test_fefo_allocation() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    // Received out of expiry order on purpose.
    let late = fx.receive(p, "LATE", day(90), 10);
    let tie1 = fx.receive(p, "TIE-1", day(60), 4);
    let near = fx.receive(p, "NEAR", day(30), 5);
    let tie2 = fx.receive(p, "TIE-2", day(60), 4);

    let r = sell(&mut fx, p, 12);
    assert_eq!(
        taken(&r),
        vec![(near, 5), (tie1, 4), (tie2, 3)],
        "nearest expiry first, ties by the oldest batch"
    );
    assert!(!r.partial);
    assert_eq!(r.shortage, qi(0));
    assert!(r.skipped.is_empty());
    assert_eq!(r.allocated_quantity, qi(12));
    assert_eq!(fx.on_hand(near), qi(0));
    assert_eq!(fx.batch(near).status, BatchStatus::Depleted);
    assert_eq!(fx.on_hand(tie1), qi(0));
    assert_eq!(fx.on_hand(tie2), qi(1));
    assert_eq!(fx.on_hand(late), qi(10));

    let r = sell(&mut fx, p, 3);
    assert_eq!(taken(&r), vec![(tie2, 1), (late, 2)]);
    assert_eq!(stock(&mut fx, p).available, qi(8));

    // The inventory lists batches in FEFO order as well.
    let inv = fx.inventory();
    let numbers: Vec<_> = inv.iter().map(|b| b.batch_number.as_str()).collect();
    assert_eq!(numbers, ["NEAR", "TIE-1", "TIE-2", "LATE"]);
    fx.assert_verified();
}

#[test]
fn test_partial_allocation() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "B1", day(100), 5);

    // All-or-nothing: refused, and nothing at all is written.
    refused(&mut fx, "insufficient_stock", |fx| {
        let s = fx.admin;
        fx.db.execute(
            &s,
            AllocateStockForSale {
                allow_partial: Some(false),
                ..sell_req(p, 8)
            },
        )
    });
    assert_eq!(fx.on_hand(b), qi(5));

    let r = sell(&mut fx, p, 8);
    assert!(r.partial);
    assert!(r.backorder_suggested);
    assert_eq!(r.requested_quantity, qi(8));
    assert_eq!(r.allocated_quantity, qi(5));
    assert_eq!(r.shortage, qi(3));
    assert_eq!(taken(&r), vec![(b, 5)]);
    assert_eq!(fx.on_hand(b), qi(0));

    // Nothing left: a partial request allocates nothing and says so.
    let r = sell(&mut fx, p, 2);
    assert!(r.partial && r.backorder_suggested);
    assert_eq!(r.allocated_quantity, qi(0));
    assert!(r.batches.is_empty());
    fx.assert_verified();
}

// ---------------------------------------------------------------- write-off and adjustments

#[test]
fn test_writeoff_batch() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "W1", day(100), 10);
    let other = fx.receive(p, "W2", day(200), 3);

    let adj = fx.run(WriteoffBatch {
        batch_id: b,
        reason: AdjustmentReason::Damage,
        notes: Some("dropped".into()),
        approver_name: None,
        approver_pin: None,
    });
    assert_eq!(adj.kind, "writeoff");
    assert_eq!(adj.status, "applied");
    assert_eq!(adj.quantity_change, qi(-10));
    assert_eq!(adj.previous_quantity, Some(qi(10)));
    assert_eq!(adj.new_quantity, Some(qi(0)));
    assert_eq!(fx.on_hand(b), qi(0));
    assert_eq!(fx.batch(b).status, BatchStatus::Damaged);
    assert_eq!(
        fx.on_hand(other),
        qi(3),
        "only the named batch is written off"
    );

    let ev = trail(&mut fx, p)
        .into_iter()
        .filter(|e| e.change_type == "writeoff")
        .collect::<Vec<_>>();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].previous_quantity, Some(qi(10)));
    assert_eq!(ev[0].new_quantity, Some(qi(0)));
    assert_eq!(
        ev[0].reference_id.as_deref(),
        Some(adj.id.to_string().as_str())
    );
    assert_eq!(ev[0].notes.as_deref(), Some("damage: dropped"));

    refused(&mut fx, "batch_empty", |fx| {
        let s = fx.admin;
        fx.db.execute(
            &s,
            WriteoffBatch {
                batch_id: b,
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        )
    });
    // A held batch cannot be written off until its holds are released.
    fx.run(reserve(other, 1, Some("CART-9")));
    refused(&mut fx, "conflict", |fx| {
        let s = fx.admin;
        fx.db.execute(
            &s,
            WriteoffBatch {
                batch_id: other,
                reason: AdjustmentReason::Expired,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        )
    });
    refused(&mut fx, "not_found", |fx| {
        let s = fx.admin;
        fx.db.execute(
            &s,
            WriteoffBatch {
                batch_id: BatchId::new(),
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        )
    });
    fx.assert_verified();
}

fn m(s: &str) -> pharmapos_engine::num::Money {
    s.parse().unwrap()
}

/// A pending adjustment's list row says what it waits for: its size and value
/// at cost, and each of the store's thresholds it goes past, as they stand now.
#[test]
fn pending_adjustments_say_which_limit_they_exceed() {
    let mut fx = store_a();
    let store = fx.store;
    // Thresholds: 10 units (the default) and 20.00 at cost.
    fx.run(pharmapos_engine::catalogue::stores::UpdateStore {
        id: store,
        name: None,
        timezone: None,
        currency: None,
        address: None,
        phone: None,
        locale: None,
        tax_number: None,
        licence_number: None,
        adjustment_approval_units: None,
        adjustment_approval_value: Some(m("20")),
    });
    let (btx, pcm) = (fx.botox(), fx.paracetamol());
    let vial = fx.receive(btx, "BTX-1", day(100), 100); // 2.50 a unit
    let pack = fx.receive(pcm, "PCM-1", day(100), 100); // 0.05 a tablet
    let c = fx.cashier;
    let ask = |fx: &mut Fx, batch, change: &str| {
        let a = fx
            .as_user(
                c,
                AdjustStock {
                    quantity_change: q(change),
                    ..adjust(batch, 0, AdjustmentReason::Damage)
                },
            )
            .unwrap();
        assert_eq!(a.status, "pending", "{change}");
        a
    };
    let wait = |quantity: &str, value: &str, ql: Option<&str>, vl: Option<&str>| ApprovalWait {
        quantity: q(quantity),
        value: m(value),
        quantity_limit: ql.map(q),
        value_limit: vl.map(m),
    };
    // Over the value only: 9.5 units × 2.50 = 23.75 > 20.00.
    let by_value = ask(&mut fx, vial, "-9.5");
    assert_eq!(
        by_value.waiting_for,
        Some(wait("9.5", "23.75", None, Some("20")))
    );
    // Over both: 12 units, 30.00.
    let by_both = ask(&mut fx, vial, "12");
    // Over the units only: 11 tablets are worth 0.55.
    let by_units = ask(&mut fx, pack, "-11");
    // An applied one waits for nothing.
    let small = fx
        .as_user(c, adjust(pack, -2, AdjustmentReason::Damage))
        .unwrap();
    assert_eq!(
        (small.status.as_str(), small.waiting_for),
        ("applied", None)
    );

    let pending = |fx: &mut Fx| {
        fx.run(ListAdjustments {
            store_id: None,
            status: Some("pending".into()),
            limit: None,
        })
        .into_iter()
        .map(|a| (a.id, a.waiting_for))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        pending(&mut fx),
        vec![
            (by_units.id, Some(wait("11", "0.55", Some("10"), None))),
            (by_both.id, Some(wait("12", "30", Some("10"), Some("20")))),
            (by_value.id, Some(wait("9.5", "23.75", None, Some("20")))),
        ],
        "newest first, each with the limits it goes past"
    );

    // The limits are the store's as they stand: raised above the requests,
    // they still wait for a manager, over no limit any more.
    fx.run(pharmapos_engine::catalogue::stores::UpdateStore {
        id: store,
        name: None,
        timezone: None,
        currency: None,
        address: None,
        phone: None,
        locale: None,
        tax_number: None,
        licence_number: None,
        adjustment_approval_units: Some(q("11")),
        adjustment_approval_value: Some(m("1000")),
    });
    assert_eq!(
        pending(&mut fx),
        vec![
            (by_units.id, Some(wait("11", "0.55", None, None))),
            (by_both.id, Some(wait("12", "30", Some("11"), None))),
            (by_value.id, Some(wait("9.5", "23.75", None, None))),
        ]
    );

    // Decided, it waits for nothing.
    let mgr = fx.manager;
    let approved = fx
        .as_user(
            mgr,
            ApproveAdjustment {
                adjustment_id: by_both.id,
                notes: None,
            },
        )
        .unwrap();
    assert_eq!(approved.waiting_for, None);
    let all = fx.run(ListAdjustments {
        store_id: None,
        status: None,
        limit: None,
    });
    assert!(all
        .iter()
        .all(|a| (a.status == "pending") == a.waiting_for.is_some()));
    fx.assert_verified();
}

#[test]
fn test_adjust_stock() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "A1", day(100), 10);

    // Both ways, applied at once for a manager.
    let (m, c) = (fx.manager, fx.cashier);
    let up = fx
        .as_user(m, adjust(b, 5, AdjustmentReason::Found))
        .unwrap();
    assert_eq!(
        (up.status.as_str(), up.previous_quantity, up.new_quantity),
        ("applied", Some(qi(10)), Some(qi(15)))
    );
    assert_eq!(up.approved_by, Some(m.user_id));
    let down = fx
        .as_user(m, adjust(b, -3, AdjustmentReason::Correction))
        .unwrap();
    assert_eq!(down.new_quantity, Some(qi(12)));
    assert_eq!(fx.on_hand(b), qi(12));

    // Below zero: refused, nothing written.
    refused(&mut fx, "insufficient_stock", |fx| {
        fx.as_user(m, adjust(b, -13, AdjustmentReason::Loss))
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(m, adjust(b, 0, AdjustmentReason::Loss))
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(m, adjust(b, -1, AdjustmentReason::Other))
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(
            m,
            AdjustStock {
                quantity_change: q("-0.5"),
                ..adjust(b, 0, AdjustmentReason::Loss)
            },
        )
    });

    // A cashier's small change applies at once.
    let small = fx
        .as_user(c, adjust(b, -2, AdjustmentReason::Damage))
        .unwrap();
    assert_eq!(small.status, "applied");
    assert_eq!(fx.on_hand(b), qi(10));

    // Above the threshold (10 units) it waits for a manager.
    let at_threshold = fx
        .as_user(c, adjust(b, -10, AdjustmentReason::Theft))
        .unwrap();
    assert_eq!(
        at_threshold.status, "applied",
        "exactly the threshold (10 units) is not above it"
    );
    assert_eq!(fx.on_hand(b), qi(0));
    let b2 = fx.receive(p, "A2", day(100), 30);
    let pending = fx
        .as_user(c, adjust(b2, -11, AdjustmentReason::Theft))
        .unwrap();
    assert_eq!(pending.status, "pending");
    assert_eq!(pending.new_quantity, None);
    assert_eq!(
        fx.on_hand(b2),
        qi(30),
        "a pending adjustment does not move stock"
    );
    let requested = trail(&mut fx, p)
        .into_iter()
        .filter(|e| e.change_type == "adjustment_requested")
        .count();
    assert_eq!(requested, 1);
    // The cashier cannot approve it.
    assert_kind(
        fx.as_user(
            c,
            ApproveAdjustment {
                adjustment_id: pending.id,
                notes: None,
            },
        ),
        "forbidden",
    );
    let approved = fx
        .as_user(
            m,
            ApproveAdjustment {
                adjustment_id: pending.id,
                notes: Some("checked CCTV".into()),
            },
        )
        .unwrap();
    assert_eq!(approved.status, "applied");
    assert_eq!(approved.approved_by, Some(m.user_id));
    assert_eq!(
        (approved.previous_quantity, approved.new_quantity),
        (Some(qi(30)), Some(qi(19)))
    );
    assert_eq!(fx.on_hand(b2), qi(19));
    refused(&mut fx, "adjustment_not_pending", |fx| {
        fx.as_user(
            m,
            ApproveAdjustment {
                adjustment_id: pending.id,
                notes: None,
            },
        )
    });

    let pending = fx
        .as_user(c, adjust(b2, 12, AdjustmentReason::Found))
        .unwrap();
    assert_eq!(pending.status, "pending");
    let rejected = fx
        .as_user(
            m,
            RejectAdjustment {
                adjustment_id: pending.id,
                notes: Some("recount".into()),
            },
        )
        .unwrap();
    assert_eq!(rejected.status, "rejected");
    assert_eq!(fx.on_hand(b2), qi(19));
    refused(&mut fx, "adjustment_not_pending", |fx| {
        fx.as_user(
            m,
            ApproveAdjustment {
                adjustment_id: pending.id,
                notes: None,
            },
        )
    });

    // A manager approves at the till with their PIN: applied at once.
    let at_till = fx
        .as_user(
            c,
            AdjustStock {
                approver_name: Some(MANAGER.into()),
                approver_pin: Some(MANAGER_PIN.into()),
                ..adjust(b2, -15, AdjustmentReason::Expired)
            },
        )
        .unwrap();
    assert_eq!(at_till.status, "applied");
    assert_eq!(at_till.approved_by, Some(m.user_id));
    assert_eq!(at_till.user_id, c.user_id);
    assert_eq!(fx.on_hand(b2), qi(4));

    // Wrong PIN, a cashier's PIN, or only half of the pair: refused, nothing written.
    let with = |name: Option<&str>, pin: Option<&str>| AdjustStock {
        approver_name: name.map(str::to_string),
        approver_pin: pin.map(str::to_string),
        ..adjust(b, -11, AdjustmentReason::Loss)
    };
    fx.receive(p, "A1", day(100), 20); // A1 is empty now: top it up so that -11 is possible
    refused(&mut fx, "approval_required", |fx| {
        fx.as_user(c, with(Some(MANAGER), Some("9999")))
    });
    // The refusal still says what was to be approved.
    let e = fx
        .as_user(c, with(Some(MANAGER), Some("9999")))
        .unwrap_err();
    let d = e.details();
    assert_eq!(
        (
            d["measure"].as_str(),
            d["amount"].as_str(),
            d["requested_by"].as_str()
        ),
        (Some("quantity"), Some("11"), Some(CASHIER)),
        "{}",
        e.to_json()
    );
    assert!(d["limit"].is_string(), "{}", e.to_json());
    refused(&mut fx, "approval_required", |fx| {
        fx.as_user(c, with(Some("nobody"), Some("9999")))
    });
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(c, with(Some(CASHIER), Some(CASHIER_PIN)))
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(c, with(Some(MANAGER), None))
    });
    fx.assert_verified();
}

// ---------------------------------------------------------------- reservations

#[test]
fn test_reserve_release() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "R1", day(100), 10);
    let c = fx.cashier;

    let hold = fx.as_user(c, reserve(b, 4, Some("CART-1"))).unwrap();
    assert_eq!(hold.status, "active");
    let s = stock(&mut fx, p);
    assert_eq!((s.available, s.on_hand, s.reserved), (qi(6), qi(10), qi(4)));

    let released = fx
        .as_user(
            c,
            ReleaseReservation {
                reservation_id: hold.reservation_id,
            },
        )
        .unwrap();
    assert_eq!(released.status, "released");
    let s = stock(&mut fx, p);
    assert_eq!(
        (s.available, s.on_hand, s.reserved),
        (qi(10), qi(10), qi(0))
    );
    refused(&mut fx, "reservation_not_active", |fx| {
        fx.as_user(
            c,
            ReleaseReservation {
                reservation_id: hold.reservation_id,
            },
        )
    });
    refused(&mut fx, "reservation_not_active", |fx| {
        fx.as_user(
            c,
            ConfirmReservation {
                reservation_id: hold.reservation_id,
                reference_id: None,
            },
        )
    });

    // Two carts may hold the same batch; the same cart twice may not.
    let h1 = fx.as_user(c, reserve(b, 3, Some("CART-1"))).unwrap();
    let h2 = fx.as_user(c, reserve(b, 2, Some("CART-2"))).unwrap();
    assert_eq!(stock(&mut fx, p).available, qi(5));
    refused(&mut fx, "conflict", |fx| {
        fx.as_user(c, reserve(b, 1, Some("CART-1")))
    });
    refused(&mut fx, "insufficient_stock", |fx| {
        fx.as_user(c, reserve(b, 6, Some("CART-3")))
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(c, reserve(b, 0, Some("CART-3")))
    });

    // Confirming a hold deducts the stock.
    let confirmed = fx
        .as_user(
            c,
            ConfirmReservation {
                reservation_id: h1.reservation_id,
                reference_id: Some("SALE-7".into()),
            },
        )
        .unwrap();
    assert_eq!(confirmed.status, "confirmed");
    let s = stock(&mut fx, p);
    assert_eq!((s.available, s.on_hand, s.reserved), (qi(5), qi(7), qi(2)));
    refused(&mut fx, "reservation_not_active", |fx| {
        fx.as_user(
            c,
            ReleaseReservation {
                reservation_id: h1.reservation_id,
            },
        )
    });
    let ev = trail(&mut fx, p);
    let conf = ev
        .iter()
        .find(|e| e.change_type == "confirm_reserve")
        .unwrap();
    assert_eq!(
        (conf.previous_quantity, conf.new_quantity),
        (Some(qi(10)), Some(qi(7)))
    );
    assert_eq!(conf.reference_id.as_deref(), Some("SALE-7"));

    // A sale cannot take held stock; the batch is reported as reserved when nothing is free.
    let r = sell(&mut fx, p, 9);
    assert_eq!(taken(&r), vec![(b, 5)]);
    assert_eq!(r.shortage, qi(4));
    let r = sell(&mut fx, p, 1);
    assert_eq!(r.allocated_quantity, qi(0));
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].reason, SkipReason::Reserved);
    assert_eq!(r.skipped[0].quantity, qi(2));
    // Nor can an adjustment go below the held quantity.
    let m = fx.manager;
    refused(&mut fx, "conflict", |fx| {
        fx.as_user(m, adjust(b, -1, AdjustmentReason::Loss))
    });
    fx.as_user(
        c,
        ReleaseReservation {
            reservation_id: h2.reservation_id,
        },
    )
    .unwrap();
    assert_eq!(stock(&mut fx, p).available, qi(2));
    fx.assert_verified();
}

// ---------------------------------------------------------------- receipt to sale

#[test]
fn test_receipt_to_sale() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let mut req = fx.receive_req(p, "RS-1", day(200), qi(20));
    req.reference_number = Some("INV-001".into());
    let rec = fx.run(req);
    assert!(!rec.topped_up);
    assert_eq!(rec.on_hand, qi(20));
    let c = fx.cashier;
    let sale = fx
        .as_user(
            c,
            AllocateStockForSale {
                reference_id: Some("SALE-42".into()),
                ..sell_req(p, 7)
            },
        )
        .unwrap();
    assert_eq!(sale.reference_id, "SALE-42");

    let ev = trail(&mut fx, p);
    assert_eq!(ev.len(), 2, "{ev:#?}");
    let (r, a) = (&ev[0], &ev[1]);
    assert_eq!(r.change_type, "receipt");
    assert_eq!(
        (r.previous_quantity, r.new_quantity),
        (Some(qi(0)), Some(qi(20)))
    );
    assert_eq!(
        r.reference_id.as_deref(),
        Some(rec.purchase_receipt_id.to_string().as_str())
    );
    assert_eq!(r.batch_id, Some(rec.batch_id));
    assert_eq!(r.batch_number.as_deref(), Some("RS-1"));
    assert_eq!(r.user_name.as_deref(), Some(ADMIN));
    assert_eq!(a.change_type, "allocated");
    assert_eq!(
        (a.previous_quantity, a.new_quantity),
        (Some(qi(20)), Some(qi(13)))
    );
    assert_eq!(a.reference_id.as_deref(), Some("SALE-42"));
    assert_eq!(a.user_id, c.user_id);
    assert_eq!(a.seq, r.seq + 1);
    assert_ne!(a.hash, r.hash);
    assert_eq!(a.created_at, "2026-01-01T10:00:00.000Z");

    // Filters: by change type and by batch.
    let only: Vec<_> = fx.run(GetAuditTrail {
        change_type: Some(ChangeType::Allocated),
        ..Default::default()
    });
    assert_eq!(only.len(), 1);
    let by_batch: Vec<_> = fx.run(GetAuditTrail {
        batch_id: Some(rec.batch_id),
        ..Default::default()
    });
    assert_eq!(by_batch.len(), 2);
    assert_eq!(
        by_batch[0].change_type, "allocated",
        "newest first by default"
    );
    // The purchase receipt links supplier and store.
    let (sup, refno): (String, String) = fx
        .raw()
        .query_row(
            "SELECT supplier_id, reference_number FROM purchase_receipts WHERE id = ?1",
            [rec.purchase_receipt_id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (sup, refno),
        (fx.supplier.to_string(), "INV-001".to_string())
    );
    fx.assert_verified();
}

// ---------------------------------------------------------------- expiry

#[test]
fn expired_quarantined_recalled_damaged_batches_are_never_allocated() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let expired = fx.receive_backdated(p, "EXP", day(-1), 5);
    let quarantined = fx.receive(p, "QUA", day(10), 6);
    let recalled = fx.receive(p, "REC", day(20), 7);
    let damaged = fx.receive(p, "DMG", day(25), 8);
    let good = fx.receive(p, "OK", day(100), 5);
    let set = |id, status, class: Option<&str>| SetBatchStatus {
        batch_id: id,
        status,
        reason: Some("inspection".into()),
        recall_class: class.map(str::to_string),
    };
    fx.run(set(quarantined, BatchStatus::Quarantine, None));
    fx.run(set(recalled, BatchStatus::Recalled, Some("I")));
    fx.run(set(damaged, BatchStatus::Damaged, None));

    let s = stock(&mut fx, p);
    assert_eq!(
        (s.available, s.on_hand, s.expired, s.unavailable),
        (qi(5), qi(31), qi(5), qi(21))
    );

    let r = sell(&mut fx, p, 8);
    assert_eq!(taken(&r), vec![(good, 5)]);
    assert_eq!(r.shortage, qi(3));
    let skipped: Vec<_> = r
        .skipped
        .iter()
        .map(|s| (s.batch_id, s.reason, s.quantity))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (expired, SkipReason::Expired, qi(5)),
            (quarantined, SkipReason::Quarantined, qi(6)),
            (recalled, SkipReason::Recalled, qi(7)),
            (damaged, SkipReason::Damaged, qi(8)),
        ]
    );
    for (id, reason) in [
        (expired, "expired"),
        (quarantined, "quarantine"),
        (recalled, "recalled"),
        (damaged, "damaged"),
    ] {
        assert!(
            fx.batch(id).quantity.is_positive(),
            "passed-over batches keep their stock"
        );
        refused(&mut fx, "batch_not_sellable", |fx| {
            let s = fx.admin;
            fx.db.execute(&s, reserve(id, 1, None))
        });
        let admin = fx.admin;
        let e = fx.as_user(admin, reserve(id, 1, None)).unwrap_err();
        assert_eq!(e.details()["reason"], reason, "{e}");
        assert_eq!(e.details()["batch_id"], id.to_string());
    }
    // A quarantined batch released back becomes sellable again; an expired one cannot be released.
    fx.run(set(quarantined, BatchStatus::Available, None));
    assert_eq!(taken(&sell(&mut fx, p, 2)), vec![(quarantined, 2)]);
    refused(&mut fx, "batch_not_quarantined", |fx| {
        let s = fx.admin;
        fx.db
            .execute(&s, set(recalled, BatchStatus::Available, None))
    });
    refused(&mut fx, "invalid_input", |fx| {
        let s = fx.admin;
        fx.db
            .execute(&s, set(good, BatchStatus::Recalled, Some("IV")))
    });
    fx.assert_verified();
}

#[test]
fn expire_batches_within_days_and_expiry_lists() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let past = fx.receive_backdated(p, "PAST", day(-2), 4);
    let soon = fx.receive(p, "SOON", day(3), 5);
    let month = fx.receive(p, "MONTH", day(10), 6);
    let later = fx.receive(p, "LATER", day(40), 7);
    let hold = fx.run(reserve(soon, 2, Some("CART-1")));

    let expiring: Vec<_> = fx
        .run(GetExpiringBatches {
            store_id: None,
            days: Some(30),
        })
        .into_iter()
        .map(|b| b.batch_id)
        .collect();
    assert_eq!(
        expiring,
        vec![soon, month],
        "in date and within 30 days, nearest first"
    );
    let expired: Vec<_> = fx
        .run(GetExpiredBatches { store_id: None })
        .into_iter()
        .map(|b| b.batch_id)
        .collect();
    assert_eq!(expired, vec![past]);

    // A dry run answers what a real run marks and what it is worth, and
    // changes nothing: no event, no status, the hold still held.
    let events = fx.event_count();
    let statuses: Vec<_> = fx
        .inventory()
        .into_iter()
        .map(|b| (b.batch_id, b.status, b.quantity, b.reserved))
        .collect();
    let preview = fx.run(ExpireBatchesWithinDays {
        store_id: None,
        days: 7,
        dry_run: Some(true),
        limit: None,
    });
    assert!(preview.dry_run);
    assert_eq!(preview.count, 2);
    assert_eq!(preview.batch_ids, vec![past, soon], "expiry first");
    assert_eq!(
        preview
            .batches
            .iter()
            .map(|b| (b.batch_id, b.status, b.quantity))
            .collect::<Vec<_>>(),
        vec![
            (past, BatchStatus::Available, qi(4)),
            (soon, BatchStatus::Available, qi(5))
        ]
    );
    // (4 + 5) tablets at 0.05.
    assert_eq!(preview.value, "0.45".parse().unwrap());
    assert_eq!(fx.event_count(), events, "a dry run appends no event");
    let after: Vec<_> = fx
        .inventory()
        .into_iter()
        .map(|b| (b.batch_id, b.status, b.quantity, b.reserved))
        .collect();
    assert_eq!(after, statuses, "a dry run changes no batch");
    let h: String = fx
        .raw()
        .query_row(
            "SELECT status FROM stock_reservations WHERE id = ?1",
            [hold.reservation_id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(h, "active", "a dry run releases no hold");

    let res = fx.run(ExpireBatchesWithinDays {
        store_id: None,
        days: 7,
        dry_run: None,
        limit: None,
    });
    assert!(!res.dry_run);
    assert_eq!(res.batch_ids, preview.batch_ids, "the preview was right");
    assert_eq!(res.value, preview.value);
    assert_eq!(
        fx.event_count(),
        events + 3,
        "two expired events and the hold's release"
    );
    let mut ids = res.batch_ids.clone();
    ids.sort();
    let mut want = vec![past, soon];
    want.sort();
    assert_eq!(ids, want, "on or before today + 7: the past one and SOON");
    assert_eq!(res.count, 2);
    assert_eq!(fx.batch(soon).status, BatchStatus::Expired);
    assert_eq!(
        fx.batch(soon).quantity,
        qi(5),
        "marking expired keeps the packs on the books"
    );
    assert_eq!(fx.batch(month).status, BatchStatus::Available);
    // Marked expired three days early: refused, and the message does not
    // claim the (future) date has passed.
    let admin = fx.admin;
    let e = assert_kind(
        fx.as_user(admin, reserve(soon, 1, Some("CART-2"))),
        "batch_not_sellable",
    );
    assert_eq!(
        e.to_string(),
        format!(
            "batch SOON is expired (expiry date {}) and cannot be used",
            day(3)
        )
    );
    assert_eq!(e.details()["reason"], "expired");
    assert_eq!(e.details()["batch_id"], soon.to_string());
    assert_eq!(e.details()["expiry_date"], day(3).to_string());
    // Its hold was released with it.
    let h: String = fx
        .raw()
        .query_row(
            "SELECT status FROM stock_reservations WHERE id = ?1",
            [hold.reservation_id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(h, "expired");
    assert_eq!(fx.batch(soon).reserved, qi(0));

    let expired: Vec<_> = fx
        .run(GetExpiredBatches { store_id: None })
        .into_iter()
        .map(|b| b.batch_id)
        .collect();
    assert_eq!(expired, vec![past, soon]);
    let expiring: Vec<_> = fx
        .run(GetExpiringBatches {
            store_id: None,
            days: Some(30),
        })
        .into_iter()
        .map(|b| b.batch_id)
        .collect();
    assert_eq!(expiring, vec![month]);
    let r = sell(&mut fx, p, 8);
    assert_eq!(taken(&r), vec![(month, 6), (later, 2)]);
    let ev = trail(&mut fx, p)
        .into_iter()
        .filter(|e| e.change_type == "expired")
        .count();
    assert_eq!(ev, 2);

    // Running it again finds nothing new; bad horizons are refused.
    assert_eq!(
        fx.run(ExpireBatchesWithinDays {
            store_id: None,
            days: 7,
            dry_run: None,
            limit: None,
        })
        .count,
        0
    );
    refused(&mut fx, "invalid_input", |fx| {
        let s = fx.admin;
        fx.db.execute(
            &s,
            ExpireBatchesWithinDays {
                store_id: None,
                days: -1,
                dry_run: Some(true),
                limit: None,
            },
        )
    });
    let c = fx.cashier;
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(
            c,
            ExpireBatchesWithinDays {
                store_id: None,
                days: 30,
                dry_run: Some(true),
                limit: None,
            },
        )
    });
    fx.assert_verified();
}

/// The desktop's daily expiry run: steps of at most `limit` batches,
/// earliest expiry first, as a user who may manage stock; a cashier's
/// session does nothing (the till refuses those batches by date anyway).
#[test]
fn the_daily_expiry_run_works_in_steps_and_only_for_a_stock_manager() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let oldest = fx.receive_backdated(p, "OLD-1", day(-9), 1);
    let older = fx.receive_backdated(p, "OLD-2", day(-5), 1);
    let old = fx.receive_backdated(p, "OLD-3", day(-1), 1);
    let today = fx.receive(p, "TODAY", day(0), 1);

    let cashier = fx.cashier;
    let events = fx.event_count();
    assert_eq!(
        expire_lapsed_step(&mut fx.db, &cashier, 2).unwrap(),
        0,
        "a cashier's till leaves it for a manager"
    );
    assert_eq!(fx.event_count(), events);

    let admin = fx.admin;
    assert_eq!(expire_lapsed_step(&mut fx.db, &admin, 2).unwrap(), 2);
    assert_eq!(fx.batch(oldest).status, BatchStatus::Expired);
    assert_eq!(fx.batch(older).status, BatchStatus::Expired);
    assert_eq!(
        fx.batch(old).status,
        BatchStatus::Available,
        "the next step's"
    );
    assert_eq!(expire_lapsed_step(&mut fx.db, &admin, 2).unwrap(), 1);
    assert_eq!(fx.batch(old).status, BatchStatus::Expired);
    assert_eq!(
        expire_lapsed_step(&mut fx.db, &admin, 2).unwrap(),
        0,
        "sellable on its expiry date, so not expired yet"
    );
    assert_eq!(fx.batch(today).status, BatchStatus::Available);
    assert_eq!(fx.event_count(), events + 3, "one expired event per batch");

    for bad in [0, 501] {
        refused(&mut fx, "invalid_input", |fx| {
            let s = fx.admin;
            fx.db.execute(
                &s,
                ExpireBatchesWithinDays {
                    store_id: None,
                    days: 0,
                    dry_run: None,
                    limit: Some(bad),
                },
            )
        });
    }
    fx.assert_verified();
}

/// "Today" is the store's local date: at 23:30 UTC on 31 December it is
/// already 1 January in Lagos (UTC+1), so a batch expiring on 31 December is
/// expired there, although it would still be in date in UTC.
#[test]
fn today_is_the_stores_local_date() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let dec31 = chrono::NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    fx.set_now(Utc.with_ymd_and_hms(2025, 12, 1, 9, 0, 0).unwrap());
    let b = fx.receive(p, "NYE", dec31, 10);

    // 22:30 UTC = 23:30 in Lagos, still 31 December: sellable.
    fx.set_now(Utc.with_ymd_and_hms(2025, 12, 31, 22, 30, 0).unwrap());
    assert_eq!(taken(&sell(&mut fx, p, 1)), vec![(b, 1)]);
    fx.receive(p, "NYE", dec31, 1); // and still receivable

    // 23:30 UTC = 00:30 on 1 January in Lagos: expired.
    fx.set_now(Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap());
    let r = sell(&mut fx, p, 1);
    assert_eq!(r.allocated_quantity, qi(0));
    assert_eq!(r.skipped.len(), 1);
    assert_eq!(r.skipped[0].reason, SkipReason::Expired);
    assert_eq!(stock(&mut fx, p).expired, qi(10));
    refused(&mut fx, "batch_not_sellable", |fx| {
        let req = fx.receive_req(p, "NYE-2", dec31, qi(1));
        let s = fx.admin;
        fx.db.execute(&s, req)
    });
    let expired: Vec<_> = fx
        .run(GetExpiredBatches { store_id: None })
        .into_iter()
        .map(|b| b.batch_id)
        .collect();
    assert_eq!(expired, vec![b]);
    fx.assert_verified();
}

// ---------------------------------------------------------------- receiving rules

/// A delivery without its cost never goes in at 0.00: it takes the product's
/// cost price and says so, or is refused when the product has none.
#[test]
fn a_receipt_without_a_cost_takes_the_products_or_is_refused() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let r = fx.receive_full(p, "LOT-1", day(100), qi(10));
    assert_eq!(r.cost_price, "0.05".parse().unwrap());
    assert_eq!(r.cost_price_source, CostPriceSource::Product);
    let mut req = fx.receive_req(p, "LOT-2", day(100), qi(10));
    req.cost_price = Some("0.04".parse().unwrap());
    let r = fx.run(req);
    assert_eq!(r.cost_price, "0.04".parse().unwrap());
    assert_eq!(r.cost_price_source, CostPriceSource::Request);
    // A free sample is booked at an explicit 0.00.
    let mut req = fx.receive_req(p, "LOT-3", day(100), qi(1));
    req.cost_price = Some("0".parse().unwrap());
    assert_eq!(fx.run(req).cost_price_source, CostPriceSource::Request);

    let free = fx.product("NOCOST-1", "Uncosted cream", ProductFields::default());
    let admin = fx.admin;
    let req = fx.receive_req(free, "C-1", day(100), qi(4));
    refused(&mut fx, "no_cost_price", |fx| {
        fx.as_user(admin, req.clone())
    });
    let e = fx.as_user(admin, req).unwrap_err();
    assert_eq!(e.details()["product_id"], free.to_string());
    assert_eq!(e.details()["sku"], "NOCOST-1");
    assert!(e.to_string().contains("cost price"), "{e}");
    fx.assert_verified();
}

#[test]
fn receiving_rules() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let first = fx.receive_full(p, "LOT-1", day(100), qi(10));
    let again = fx.receive_full(p, "LOT-1", day(100), qi(5));
    assert!(again.topped_up);
    assert_eq!(again.batch_id, first.batch_id);
    assert_eq!(again.on_hand, qi(15));
    assert_eq!(fx.batch(first.batch_id).initial_quantity, qi(15));
    assert_eq!(fx.inventory().len(), 1);

    let admin = fx.admin;
    let try_receive = |fx: &mut Fx, req| fx.as_user(admin, req);
    // Same batch number, different expiry: conflict.
    let req = fx.receive_req(p, "LOT-1", day(101), qi(5));
    refused(&mut fx, "conflict", |fx| try_receive(fx, req));
    // Unknown and inactive suppliers.
    let mut req = fx.receive_req(p, "LOT-2", day(100), qi(5));
    req.supplier_id = SupplierId::new();
    refused(&mut fx, "not_found", |fx| try_receive(fx, req));
    let sup = fx
        .run(CreateSupplier {
            name: "Closed Pharma".into(),
            fields: SupplierFields::default(),
        })
        .id;
    fx.run(UpdateSupplier {
        id: sup,
        name: None,
        is_active: Some(false),
        fields: SupplierFields::default(),
    });
    let mut req = fx.receive_req(p, "LOT-2", day(100), qi(5));
    req.supplier_id = sup;
    refused(&mut fx, "supplier_inactive", |fx| try_receive(fx, req));
    // Already expired: refused. Expiring today: accepted.
    let req = fx.receive_req(p, "LOT-3", day(-1), qi(5));
    refused(&mut fx, "batch_not_sellable", |fx| try_receive(fx, req));
    fx.receive(p, "LOT-TODAY", day(0), 1);
    // Quantities: whole tablets only, positive.
    for bad in ["2.5", "0", "-3", "0.001"] {
        let req = fx.receive_req(p, "LOT-4", day(100), q(bad));
        refused(&mut fx, "invalid_input", |fx| try_receive(fx, req));
    }
    // No expiry on a product that requires one.
    let mut req = fx.receive_req(p, "LOT-5", day(100), qi(1));
    req.expiry_date = None;
    refused(&mut fx, "invalid_input", |fx| try_receive(fx, req));
    // Unknown product.
    let req = fx.receive_req(ProductId::new(), "LOT-6", day(100), qi(1));
    refused(&mut fx, "not_found", |fx| try_receive(fx, req));

    // Botox: fractional units are fine, to three decimals.
    let btx = fx.botox();
    let r = fx.receive_full(btx, "BTX-A", day(300), q("12.5"));
    assert_eq!(r.on_hand, q("12.5"));
    assert_eq!(r.quantity.to_string(), "12.5");
    let req = fx.receive_req(btx, "BTX-B", day(300), q("1.2345"));
    refused(&mut fx, "invalid_input", |fx| try_receive(fx, req));
    let sale = fx.run(AllocateStockForSale {
        quantity: q("2.25"),
        ..sell_req(btx, 0)
    });
    assert_eq!(sale.allocated_quantity, q("2.25"));
    assert_eq!(fx.on_hand(r.batch_id), q("10.25"));
    // Tablets cannot be sold in halves either.
    refused(&mut fx, "invalid_input", |fx| {
        let s = fx.admin;
        fx.db.execute(
            &s,
            AllocateStockForSale {
                quantity: q("0.5"),
                ..sell_req(p, 0)
            },
        )
    });
    fx.assert_verified();
}

// ---------------------------------------------------------------- backorders

#[test]
fn backorders_create_and_fulfil() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let c = fx.cashier;
    let bo = fx
        .as_user(
            c,
            CreateBackorder {
                product_id: p,
                store_id: None,
                quantity: qi(10),
                customer_id: None,
                customer_name: Some("Mrs Okafor".into()),
                customer_phone: None,
                notes: None,
            },
        )
        .unwrap();
    assert_eq!(
        (bo.status.as_str(), bo.fulfilled_quantity),
        ("pending", qi(0))
    );
    assert_eq!(
        trail(&mut fx, p)
            .iter()
            .filter(|e| e.change_type == "backorder_created")
            .count(),
        1
    );

    let rec = fx.receive_full(p, "BO-1", day(100), qi(4));
    assert_eq!(rec.pending_backorders, 1);
    let f = fx
        .as_user(
            c,
            FulfillBackorder {
                backorder_id: bo.backorder_id,
                fulfilled_quantity: Some(qi(3)),
            },
        )
        .unwrap();
    assert_eq!(
        (f.backorder.status.as_str(), f.backorder.fulfilled_quantity),
        ("partial", qi(3))
    );
    assert_eq!(taken_bo(&f.batches), vec![(rec.batch_id, 3)]);
    assert_eq!(fx.on_hand(rec.batch_id), qi(1));

    // More than is owed: refused. More than is in stock: refused. Nothing written.
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(
            c,
            FulfillBackorder {
                backorder_id: bo.backorder_id,
                fulfilled_quantity: Some(qi(8)),
            },
        )
    });
    refused(&mut fx, "insufficient_stock", |fx| {
        fx.as_user(
            c,
            FulfillBackorder {
                backorder_id: bo.backorder_id,
                fulfilled_quantity: None,
            },
        )
    });
    let rec2 = fx.receive_full(p, "BO-2", day(50), qi(20));
    let f = fx
        .as_user(
            c,
            FulfillBackorder {
                backorder_id: bo.backorder_id,
                fulfilled_quantity: None,
            },
        )
        .unwrap();
    assert_eq!(
        (f.backorder.status.as_str(), f.backorder.fulfilled_quantity),
        ("fulfilled", qi(10))
    );
    assert_eq!(
        taken_bo(&f.batches),
        vec![(rec2.batch_id, 7)],
        "FEFO: the nearer expiry first"
    );
    assert!(f.backorder.fulfilled_date.is_some());
    refused(&mut fx, "backorder_closed", |fx| {
        fx.as_user(
            c,
            FulfillBackorder {
                backorder_id: bo.backorder_id,
                fulfilled_quantity: Some(qi(1)),
            },
        )
    });
    let ev = trail(&mut fx, p)
        .into_iter()
        .filter(|e| e.change_type == "backorder_fulfilled")
        .count();
    assert_eq!(ev, 2);
    fx.assert_verified();
}

fn taken_bo(b: &[pharmapos_engine::stock::allocate::AllocatedBatch]) -> Vec<(BatchId, i64)> {
    b.iter()
        .map(|b| (b.batch_id, b.quantity.to_scaled("q").unwrap() / 1000))
        .collect()
}

// ---------------------------------------------------------------- permissions

#[test]
fn cashier_permissions_are_enforced_by_the_engine() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "P1", day(100), 10);
    let c = fx.cashier;
    let req = fx.receive_req(p, "P2", day(100), qi(5));
    refused(&mut fx, "forbidden", |fx| fx.as_user(c, req));
    // A write-off is any store staff's to ask (over the threshold it waits);
    // deciding one is a manager's.
    let pending = fx
        .as_user(c, adjust(b, 11, AdjustmentReason::Found))
        .unwrap();
    assert_eq!(pending.status, "pending");
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(
            c,
            ApproveAdjustment {
                adjustment_id: pending.id,
                notes: None,
            },
        )
    });
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(
            c,
            CreateProduct {
                sku: "X-1".into(),
                name: "X".into(),
                fields: ProductFields::default(),
            },
        )
    });
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(
            c,
            CreateSupplier {
                name: "Cash Pharma".into(),
                fields: SupplierFields::default(),
            },
        )
    });
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(
            c,
            SetBatchStatus {
                batch_id: b,
                status: BatchStatus::Quarantine,
                reason: None,
                recall_class: None,
            },
        )
    });
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(c, DeleteProduct { id: p })
    });
    assert_kind(fx.as_user(c, GetAuditTrail::default()), "forbidden");
    // An unknown user is not a session at all.
    let ghost = Session {
        user_id: pharmapos_engine::ids::UserId::new(),
    };
    refused(&mut fx, "unauthenticated", |fx| {
        fx.as_user(ghost, sell_req(p, 1))
    });
    // What a cashier may do.
    assert_eq!(
        fx.as_user(c, sell_req(p, 2)).unwrap().allocated_quantity,
        qi(2)
    );
    // And a manager may receive but not manage users.
    let m = fx.manager;
    let req = fx.receive_req(p, "P3", day(100), qi(5));
    fx.as_user(m, req).unwrap();
    assert_kind(
        fx.as_user(
            m,
            pharmapos_engine::catalogue::users::CreateUser {
                name: "eve".into(),
                role: pharmapos_engine::auth::Role::Admin,
                pin: None,
                store_id: None,
                stores: None,
                head_office: None,
            },
        ),
        "forbidden",
    );
    fx.assert_verified();
}

// ---------------------------------------------------------------- products

/// The ids `search_products` answers for `q`, in order.
fn search_ids(fx: &mut Fx, q: &str) -> Vec<ProductId> {
    fx.run(SearchProducts {
        query: Some(q.into()),
        store_id: None,
        limit: None,
        include_deleted: None,
    })
    .into_iter()
    .map(|h| h.product.id)
    .collect()
}

#[test]
fn products_unique_sku_barcode_search_and_soft_delete() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let btx = fx.botox();
    let admin = fx.admin;
    refused(&mut fx, "conflict", |fx| {
        fx.as_user(
            admin,
            CreateProduct {
                sku: "PCM-500".into(),
                name: "Other".into(),
                fields: ProductFields::default(),
            },
        )
    });
    refused(&mut fx, "conflict", |fx| {
        fx.as_user(
            admin,
            CreateProduct {
                sku: "NEW-1".into(),
                name: "Copycat".into(),
                fields: ProductFields {
                    barcodes: Some(vec!["6151100012345".into()]),
                    ..Default::default()
                },
            },
        )
    });
    refused(&mut fx, "conflict", |fx| {
        fx.as_user(
            admin,
            UpdateProduct {
                id: btx,
                sku: Some("PCM-500".into()),
                name: None,
                fields: ProductFields::default(),
            },
        )
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(
            admin,
            CreateProduct {
                sku: "  ".into(),
                name: "Blank".into(),
                fields: ProductFields::default(),
            },
        )
    });

    assert_eq!(search_ids(&mut fx, "parac"), vec![p], "name prefix");
    assert_eq!(search_ids(&mut fx, "Botox"), vec![btx]);
    assert_eq!(search_ids(&mut fx, "BTX-100").first(), Some(&btx), "SKU");
    assert_eq!(
        search_ids(&mut fx, "6151100012345").first(),
        Some(&p),
        "barcode"
    );
    assert!(search_ids(&mut fx, "ibuprofen").is_empty());

    // Soft delete is refused while stock is on hand.
    let b = fx.receive(p, "D1", day(100), 3);
    refused(&mut fx, "conflict", |fx| {
        fx.as_user(admin, DeleteProduct { id: p })
    });
    fx.run(WriteoffBatch {
        batch_id: b,
        reason: AdjustmentReason::Obsolete,
        notes: None,
        approver_name: None,
        approver_pin: None,
    });
    let deleted = fx.run(DeleteProduct { id: p });
    assert!(deleted.deleted_at.is_some());
    assert_eq!(
        deleted.deleted_by.as_deref(),
        Some(admin.user_id.to_string().as_str())
    );
    assert!(search_ids(&mut fx, "parac").is_empty());
    refused(&mut fx, "not_found", |fx| fx.as_user(admin, sell_req(p, 1)));
    refused(&mut fx, "product_deleted", |fx| {
        fx.as_user(admin, DeleteProduct { id: p })
    });
    fx.assert_verified();
}

#[test]
fn search_finds_word_prefixes_anywhere_names_first() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let with = |generic: &str, brand: &str| ProductFields {
        generic_name: Some(generic.into()),
        brand: Some(brand.into()),
        cost_price: Some("0.10".parse().unwrap()),
        ..Default::default()
    };
    let panadol = fx.product(
        "PAN-X",
        "Panadol Extra",
        with("Paracetamol and caffeine", "GSK"),
    );
    let amox = fx.product(
        "AMX-250",
        "Amoxicillin 250mg capsules",
        with("Amoxicillin", "Amoxil"),
    );
    let ibu = fx.product("IBU-200", "Ibuprofen 200mg", with("Ibuprofen", "Nurofen"));
    // Names starting with the text first, then the word anywhere else.
    assert_eq!(search_ids(&mut fx, "para"), vec![pcm, panadol]);
    assert_eq!(search_ids(&mut fx, "nuro"), vec![ibu], "brand prefix");
    assert_eq!(
        search_ids(&mut fx, "caps amox"),
        vec![amox],
        "words in any order"
    );
    // A word longer than the prefix indexes still matches as a prefix.
    assert_eq!(search_ids(&mut fx, "paracetamol caff"), vec![panadol]);
    assert_eq!(search_ids(&mut fx, "AMX"), vec![amox], "SKU prefix");
    assert!(search_ids(&mut fx, "amox nurofen").is_empty());

    // A file at schema V2 (no prefix indexes, the older expiry index, no
    // product-rules index, no store assignments) is re-indexed by
    // migrations V3 to V5 when opened, and its users assigned by V7.
    // Refinery applies migrations in order only, so what later migrations
    // added is undone too (V6: the record's columns and the installation;
    // V8: the return disposition and its index; V9: the store's locale, tax
    // and licence numbers; V10: the running stock totals, their triggers and
    // the list indexes; V11: the clinic's tables; V12: alerts and the cold
    // chain; V13: counts; V14: transfers; V15: the stock freeze date, while its rebuild of
    // stock_adjustments runs again on the table as it is; V16: the alert sweep's marks;
    // V17: the sync links; V18: purchase orders and the store's purchase-order limit;
    // V19: customers; V20: the reports' sales-line index; V21, V22: open alerts by subject id, product and severity;
    // V23: the sync inbox and pull cursor, and the stock-levels triggers that name installations, whose
    // V10 versions come back with V10; V24: head office's catalogue version on products; V25: on suppliers;
    // V26: the open alerts' running counts; V27's notification columns go with the alerts).
    fx.receive(pcm, "P0", day(30), 7);
    let path = fx.path.clone();
    let raw = fx.raw();
    raw.execute_batch(
        "DROP TRIGGER alert_open_counts_insert;
         DROP TRIGGER alert_open_counts_update;
         DROP TRIGGER alert_open_counts_delete;
         DROP TABLE alert_open_counts;
         ALTER TABLE suppliers DROP COLUMN catalogue_version;
         ALTER TABLE products DROP COLUMN catalogue_version;
         DROP TABLE sync_inbox;
         DROP TRIGGER stock_levels_product;
         DROP TRIGGER stock_levels_store;
         DROP INDEX ix_alerts_open_severity;
         DROP INDEX ix_alerts_open_product;
         DROP INDEX ix_alerts_open_subject_id;
         DROP INDEX ix_sale_lines_product;
         DROP TABLE customers;
         DROP TABLE receiving_lines;
         DROP TABLE receiving_records;
         DROP TABLE purchase_order_items;
         DROP TABLE purchase_orders;
         ALTER TABLE stores DROP COLUMN po_approval_e4;
         DROP TABLE sync_links;
         DROP TABLE alert_sweep_marks;
         DROP TABLE transfer_discrepancies;
         DROP TABLE transfer_lots;
         DROP TABLE transfer_items;
         DROP TABLE transfers;
         DROP TABLE reconciliation_items;
         DROP TABLE inventory_reconciliations;
         DROP TABLE count_items;
         DROP TABLE inventory_counts;
         DROP TABLE product_search;
         CREATE VIRTUAL TABLE product_search USING fts5(product_id UNINDEXED, name, terms,
             tokenize = 'unicode61 remove_diacritics 2');
         DROP INDEX ix_batches_store_expiry_live;
         CREATE INDEX ix_batches_store_expiry_instock ON batches(store_id, expiry_date) WHERE on_hand_milli > 0;
         DROP INDEX ix_products_rules;
         DROP INDEX ix_inventory_audit_category;
         ALTER TABLE inventory_audit DROP COLUMN category;
         ALTER TABLE inventory_audit DROP COLUMN payload;
         ALTER TABLE inventory_audit DROP COLUMN installation_id;
         ALTER TABLE inventory_audit DROP COLUMN format;
         ALTER TABLE stores DROP COLUMN installation_id;
         ALTER TABLE shifts DROP COLUMN record_seq;
         ALTER TABLE shifts DROP COLUMN record_hash;
         DROP TABLE installation;
         DROP INDEX ix_sale_return_lines_line;
         ALTER TABLE store_settings DROP COLUMN return_disposition;
         DROP TABLE user_stores;
         ALTER TABLE users DROP COLUMN head_office;
         ALTER TABLE stores DROP COLUMN locale;
         ALTER TABLE stores DROP COLUMN tax_number;
         ALTER TABLE stores DROP COLUMN licence_number;
         DROP TRIGGER stock_levels_product_rules;
         DROP TRIGGER stock_levels_batch_insert;
         DROP TRIGGER stock_levels_batch_update;
         DROP TRIGGER stock_levels_batch_delete;
         DROP TABLE stock_levels;
         DROP TABLE batch_totals;
         DROP INDEX ix_batches_store_batch_number;
         DROP INDEX ix_batches_store_status_expiry;
         DROP INDEX ix_products_selling_price;
         DROP INDEX ix_products_updated_at;
         DROP INDEX ix_sales_store_time;
         DROP INDEX ix_shifts_store_opened;
         DROP INDEX ix_sale_returns_store_time;
         DROP TABLE excursion_lots;
         DROP TABLE temperature_excursions;
         DROP TABLE temperature_readings;
         DROP INDEX ix_batches_storage_location;
         ALTER TABLE batches DROP COLUMN storage_location_id;
         ALTER TABLE batches DROP COLUMN storage_located_at;
         DROP TABLE storage_locations;
         ALTER TABLE store_settings DROP COLUMN expiry_alert_days;
         ALTER TABLE store_settings DROP COLUMN reorder_usage_days;
         DROP TABLE alerts;
         DROP TABLE recall_lots;
         DROP TABLE recalls;
         DROP TABLE waste_records;
         DROP TABLE lot_usages;
         DROP TABLE treatments;
         DROP TABLE vial_sessions;
         DROP TABLE clinic_vial_policies;
         DROP TABLE clinic_settings;
         DROP TABLE patients;
         ALTER TABLE stores DROP COLUMN stock_freeze_date;
         DELETE FROM refinery_schema_history WHERE version >= 3;",
    )
    .unwrap();
    drop(raw);
    fx.db = common::open(&path);
    assert_eq!(search_ids(&mut fx, "nuro"), vec![ibu]);
    assert_eq!(search_ids(&mut fx, "para"), vec![pcm, panadol]);
    let b = fx.receive(ibu, "U1", day(30), 5);
    assert_eq!(sell(&mut fx, ibu, 2).allocated_quantity, qi(2));
    assert_eq!(fx.on_hand(b), qi(3));
    // V10 filled the running stock totals from the batch it found (P0), and
    // its triggers kept them since (U1).
    let listed = fx.run(ListProducts {
        sort: Some(ProductSort::OnHand),
        descending: Some(true),
        ..Default::default()
    });
    let stock: Vec<(ProductId, pharmapos_engine::num::Qty)> =
        listed.rows.iter().map(|r| (r.id, r.on_hand)).collect();
    assert_eq!(&stock[..2], [(pcm, qi(7)), (ibu, qi(3))]);
}

// ---------------------------------------------------------------- the ledger

#[test]
fn audit_ledger_is_append_only() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "L1", day(100), 10);
    sell(&mut fx, p, 3);
    let n = fx.event_count();
    assert!(n >= 2);
    let raw = fx.raw();
    let upd = raw.execute(
        "UPDATE inventory_audit SET new_milli = 99000 WHERE seq = 1",
        [],
    );
    assert!(upd.unwrap_err().to_string().contains("append-only"));
    let del = raw.execute("DELETE FROM inventory_audit", []);
    assert!(del.unwrap_err().to_string().contains("append-only"));
    drop(raw);
    assert_eq!(fx.event_count(), n);
    fx.assert_verified();
}

fn drop_triggers(c: &rusqlite::Connection) {
    c.execute_batch(
        "DROP TRIGGER inventory_audit_no_update; DROP TRIGGER inventory_audit_no_delete;",
    )
    .unwrap();
}

#[test]
fn tampering_with_an_event_breaks_the_chain() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "T1", day(100), 10);
    sell(&mut fx, p, 3);
    sell(&mut fx, p, 2);
    fx.assert_verified();
    let seq: i64 = fx
        .raw()
        .query_row(
            "SELECT seq FROM inventory_audit WHERE change_type = 'allocated' ORDER BY seq LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let raw = fx.raw();
    drop_triggers(&raw);
    // Pretend the first sale took 1, not 3.
    assert_eq!(
        raw.execute(
            "UPDATE inventory_audit SET new_milli = 9000 WHERE seq = ?1",
            [seq]
        )
        .unwrap(),
        1
    );
    drop(raw);
    let r = fx.db.verify().unwrap();
    assert!(!r.ok);
    assert!(
        r.problems
            .iter()
            .any(|pr| pr.kind == "chain" && pr.seq == Some(seq)),
        "the edited event must be reported: {:?}",
        r.problems
    );
    assert!(r.problems.iter().any(|pr| pr.batch_id == Some(b)));
}

#[test]
fn tampering_with_a_batch_breaks_conservation() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "T2", day(100), 10);
    let other = fx.receive(p, "T3", day(200), 10);
    sell(&mut fx, p, 4);
    fx.assert_verified();
    let n = fx
        .raw()
        .execute(
            "UPDATE batches SET on_hand_milli = on_hand_milli + 1000 WHERE id = ?1",
            [b.to_string()],
        )
        .unwrap();
    assert_eq!(n, 1);
    let r = fx.db.verify().unwrap();
    assert!(!r.ok);
    assert_eq!(r.problems.len(), 1, "{:?}", r.problems);
    assert_eq!(r.problems[0].kind, "conservation");
    assert_eq!(r.problems[0].batch_id, Some(b));
    assert_ne!(r.problems[0].batch_id, Some(other));
}

#[test]
fn batches_empty_and_refill_through_depleted_and_verify_checks_it() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "D1", day(100), 3);
    sell(&mut fx, p, 3);
    assert_eq!(fx.batch(b).status, BatchStatus::Depleted);
    // Out of the expiry lists while empty; back when refilled.
    fx.receive(p, "D1", day(100), 2);
    assert_eq!(fx.batch(b).status, BatchStatus::Available);
    let expiring = fx.run(GetExpiringBatches {
        store_id: None,
        days: Some(365),
    });
    assert_eq!(
        expiring.iter().map(|v| v.batch_id).collect::<Vec<_>>(),
        vec![b]
    );
    fx.assert_verified();
    // A batch with stock marked depleted would hide from those lists.
    fx.raw()
        .execute(
            "UPDATE batches SET status = 'depleted' WHERE id = ?1",
            [b.to_string()],
        )
        .unwrap();
    let r = fx.db.verify().unwrap();
    assert!(!r.ok);
    assert_eq!(r.problems[0].kind, "status", "{:?}", r.problems);
    assert_eq!(r.problems[0].batch_id, Some(b));
}

#[test]
fn deleting_an_event_breaks_the_chain() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "T4", day(100), 10);
    sell(&mut fx, p, 1);
    sell(&mut fx, p, 1);
    let raw = fx.raw();
    drop_triggers(&raw);
    let seq: i64 = raw
        .query_row("SELECT MAX(seq) - 1 FROM inventory_audit", [], |r| r.get(0))
        .unwrap();
    raw.execute("DELETE FROM inventory_audit WHERE seq = ?1", [seq])
        .unwrap();
    drop(raw);
    let r = fx.db.verify().unwrap();
    assert!(
        r.problems.iter().any(|pr| pr.kind == "chain"),
        "{:?}",
        r.problems
    );
}

// ---------------------------------------------------------------- files the program must not touch

fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_newer_schema_is_refused_without_touching_the_file() {
    let fx = store_a();
    let Fx { db, path, dir, .. } = fx;
    drop(db);
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute(
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES (999, 'from_the_future', '2030-01-01T00:00:00Z', '0')",
        [],
    )
    .unwrap();
    drop(c);
    let before = std::fs::read(&path).unwrap();
    let listing = files_in(dir.path());
    let err = Db::open(&path)
        .err()
        .expect("a newer schema must be refused");
    assert_eq!(err.kind(), "schema_too_new", "{err}");
    assert_eq!(err.details()["file_version"], 999);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file must be byte-identical"
    );
    // The check opens the file immutable: no -wal/-shm side files appear.
    assert_eq!(listing, ["store.db"]);
    assert!(
        !dir.path().join("store.db-wal").exists(),
        "no -wal file may be created"
    );
    assert!(
        !dir.path().join("store.db-shm").exists(),
        "no -shm file may be created"
    );
    // And it stays refused on a second try.
    assert_eq!(
        Db::open(&path).err().map(|e| e.kind()),
        Some("schema_too_new")
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn random_bytes_are_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("photo.jpg");
    let bytes: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &bytes).unwrap();
    let err = Db::open(&path).err().expect("random bytes must be refused");
    assert_eq!(err.kind(), "not_a_database", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    assert_eq!(files_in(dir.path()), ["photo.jpg"]);
}

#[test]
fn an_unrelated_sqlite_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.sqlite");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');")
        .unwrap();
    drop(c);
    let before = std::fs::read(&path).unwrap();
    let err = Db::open(&path)
        .err()
        .expect("a foreign database must be refused");
    assert_eq!(err.kind(), "not_a_database", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(files_in(dir.path()), ["other.sqlite"]);
}

#[test]
fn reopening_a_store_database_keeps_everything() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "K1", day(100), 10);
    sell(&mut fx, p, 4);
    let Fx {
        db,
        path,
        admin,
        dir,
        ..
    } = fx;
    drop(db);
    let mut db = open(&path);
    db.integrity_check().unwrap();
    assert!(db.verify().unwrap().ok);
    let v = db
        .execute(
            &admin,
            pharmapos_engine::stock::queries::GetBatch { batch_id: b },
        )
        .unwrap();
    assert_eq!(v.quantity, qi(6));
    drop(dir);
}

// ---------------------------------------------------------------- storage

#[test]
fn a_full_disk_refuses_the_change_in_plain_words_and_keeps_the_books_whole() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "FIRST", day(90), 10);
    // SQLite's own limit stands in for a full disk: the file may not grow.
    let pages: i64 = fx
        .db
        .write(|tx| Ok(tx.query_row("PRAGMA page_count", [], |r| r.get(0))?))
        .unwrap();
    set_max_pages(&mut fx, pages);
    let admin = fx.admin;
    let mut refused = None;
    for i in 0..2_000 {
        let events = fx.event_count();
        let req = fx.receive_req(p, &format!("B{i:04}"), day(120), qi(5));
        if let Err(e) = fx.as_user(admin, req) {
            assert_eq!(fx.event_count(), events, "a refused receipt wrote an event");
            refused = Some(e);
            break;
        }
    }
    let e = refused.expect("the file never filled up");
    assert_eq!(e.kind(), "storage", "{e}");
    assert!(e.to_string().contains("is full"), "{e}");
    fx.assert_verified();
    // Space freed: the same work goes through.
    set_max_pages(&mut fx, 1_000_000);
    fx.receive(p, "AFTER", day(150), 5);
    assert_eq!(sell(&mut fx, p, 2).allocated_quantity, qi(2));
    fx.assert_verified();
}

/// Caps how many pages the store file may have (this connection's limit).
fn set_max_pages(fx: &mut Fx, pages: i64) {
    fx.db
        .write(|tx| {
            tx.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?;
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------- receipt reversal

fn reverse(receipt: pharmapos_engine::ids::EventId, reason: &str) -> ReverseReceipt {
    ReverseReceipt {
        receipt_id: receipt,
        reason: reason.into(),
    }
}

fn receipt_lines(fx: &mut Fx) -> Vec<ReceivedLine> {
    fx.run(ListReceipts::default())
}

#[test]
fn a_receipt_booked_in_error_is_reversed_by_a_correcting_event() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let rec = fx.receive_full(p, "V-9", day(200), qi(12));
    assert_eq!(rec.product_name, "Paracetamol 500mg");
    assert_eq!(rec.unit, "tablet");
    let line = &receipt_lines(&mut fx)[0];
    assert_eq!(line.receipt_id, rec.receipt_id);
    assert_eq!((line.batch_number.as_str(), line.quantity), ("V-9", qi(12)));
    assert!(!line.reversed);

    let m = fx.manager;
    let done = fx
        .as_user(m, reverse(rec.receipt_id, "wrong product picked"))
        .unwrap();
    assert_eq!(done.receipt_id, rec.receipt_id);
    assert_eq!(done.product_name, "Paracetamol 500mg");
    assert_eq!(done.batch_number, "V-9");
    assert_eq!(
        (done.quantity, done.previous_quantity, done.on_hand),
        (qi(12), qi(12), qi(0))
    );
    let b = fx.batch(rec.batch_id);
    assert_eq!((b.quantity, b.initial_quantity), (qi(0), qi(0)));
    assert_eq!(b.status, BatchStatus::Depleted);

    // The ledger keeps both: the receipt and its correction, which names it.
    let ev = trail(&mut fx, p);
    assert_eq!(
        ev.iter()
            .map(|e| e.change_type.as_str())
            .collect::<Vec<_>>(),
        ["receipt", "receipt_reversed"]
    );
    let r = &ev[1];
    assert_eq!(
        (r.previous_quantity, r.new_quantity),
        (Some(qi(12)), Some(qi(0)))
    );
    assert_eq!(
        r.reference_id.as_deref(),
        Some(rec.receipt_id.to_string().as_str())
    );
    assert_eq!(r.notes.as_deref(), Some("wrong product picked"));
    assert_eq!(r.user_id, m.user_id);
    let only: Vec<_> = fx.run(GetAuditTrail {
        change_type: Some(ChangeType::ReceiptReversed),
        ..Default::default()
    });
    assert_eq!(only.len(), 1);

    let line = &receipt_lines(&mut fx)[0];
    assert!(line.reversed);
    assert_eq!(line.reversed_by.as_deref(), Some(MANAGER));
    assert_eq!(
        line.reversal_reason.as_deref(),
        Some("wrong product picked")
    );
    fx.assert_verified();

    // Twice is refused, and says so.
    let e = assert_kind(
        fx.as_user(m, reverse(rec.receipt_id, "again")),
        "receipt_not_reversible",
    );
    assert_eq!(e.details()["reason"], "already_reversed");
    assert!(e.to_string().contains("already reversed"), "{e}");
    refused(&mut fx, "receipt_not_reversible", |fx| {
        fx.as_user(m, reverse(rec.receipt_id, "again"))
    });
    fx.assert_verified();
}

#[test]
fn reversing_a_top_up_takes_back_only_that_receipt() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let first = fx.receive_full(p, "T-1", day(200), qi(10));
    let top_up = fx.receive_full(p, "T-1", day(200), qi(5));
    assert!(top_up.topped_up);
    // Stock that came in since (found on the shelf) does not block it.
    let found = fx.run(adjust(first.batch_id, 2, AdjustmentReason::Found));
    assert_eq!(found.new_quantity, Some(qi(17)));
    let done = fx.run(reverse(top_up.receipt_id, "invoice line entered twice"));
    assert_eq!((done.quantity, done.on_hand), (qi(5), qi(12)));
    let b = fx.batch(first.batch_id);
    assert_eq!((b.quantity, b.initial_quantity), (qi(12), qi(10)));
    assert_eq!(b.status, BatchStatus::Available);
    let lines = receipt_lines(&mut fx);
    assert_eq!(
        lines
            .iter()
            .map(|l| (l.receipt_id, l.reversed))
            .collect::<Vec<_>>(),
        [(top_up.receipt_id, true), (first.receipt_id, false)]
    );
    // The first receipt is still reversible: nothing has left the batch.
    let done = fx.run(reverse(first.receipt_id, "whole delivery was for store B"));
    assert_eq!(done.on_hand, qi(2));
    fx.assert_verified();
}

#[test]
fn a_receipt_is_not_reversed_once_stock_has_left_its_batch() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let sold = fx.receive_full(p, "S-1", day(200), qi(10));
    sell(&mut fx, p, 1);
    let m = fx.manager;
    let e = assert_kind(
        fx.as_user(m, reverse(sold.receipt_id, "error")),
        "receipt_not_reversible",
    );
    assert_eq!(e.details()["reason"], "stock_left");
    assert_eq!(e.details()["batch"], "S-1");
    let msg = e.to_string();
    assert!(msg.contains("stock has left the batch"), "{msg}");
    assert!(msg.contains("adjustment"), "says what to do instead: {msg}");
    assert!(
        msg.contains("Paracetamol 500mg"),
        "names the product: {msg}"
    );
    refused(&mut fx, "receipt_not_reversible", |fx| {
        fx.as_user(m, reverse(sold.receipt_id, "error"))
    });

    // An adjustment down counts as stock leaving, even when it came back.
    let other = fx.receive_full(p, "S-2", day(300), qi(4));
    fx.run(adjust(other.batch_id, -1, AdjustmentReason::Damage));
    fx.run(adjust(other.batch_id, 1, AdjustmentReason::Found));
    assert_eq!(fx.on_hand(other.batch_id), qi(4));
    refused(&mut fx, "receipt_not_reversible", |fx| {
        fx.as_user(m, reverse(other.receipt_id, "error"))
    });
    fx.assert_verified();
}

#[test]
fn a_receipt_is_not_reversed_over_reserved_units() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let rec = fx.receive_full(p, "R-1", day(200), qi(10));
    fx.run(reserve(rec.batch_id, 3, Some("CART-1")));
    let m = fx.manager;
    refused(&mut fx, "receipt_not_reversible", |fx| {
        fx.as_user(m, reverse(rec.receipt_id, "error"))
    });
    let e = assert_kind(
        fx.as_user(m, reverse(rec.receipt_id, "error")),
        "receipt_not_reversible",
    );
    assert_eq!(e.details()["reason"], "reserved");
    assert!(e.to_string().contains("Release the reservations"), "{e}");
    assert_eq!(fx.on_hand(rec.batch_id), qi(10));
    fx.assert_verified();
}

#[test]
fn reverse_receipt_refuses_bad_requests_and_non_managers() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let rec = fx.receive_full(p, "X-1", day(200), qi(10));
    let adj = fx.run(adjust(rec.batch_id, 1, AdjustmentReason::Found));
    let (c, m) = (fx.cashier, fx.manager);
    refused(&mut fx, "forbidden", |fx| {
        fx.as_user(c, reverse(rec.receipt_id, "error"))
    });
    refused(&mut fx, "invalid_input", |fx| {
        fx.as_user(m, reverse(rec.receipt_id, "   "))
    });
    refused(&mut fx, "not_found", |fx| {
        fx.as_user(m, reverse(pharmapos_engine::ids::EventId::new(), "error"))
    });
    // An event that is not a receipt (here: the adjustment's).
    let adjustment_event = trail(&mut fx, p)
        .into_iter()
        .find(|e| e.reference_id.as_deref() == Some(adj.id.to_string().as_str()))
        .unwrap();
    let e = assert_kind(
        fx.as_user(m, reverse(adjustment_event.id, "error")),
        "invalid_input",
    );
    assert!(e.to_string().contains("not a receipt"), "{e}");
    assert_eq!(fx.on_hand(rec.batch_id), qi(11));
    fx.assert_verified();
}
