//! Approvals everywhere: write-offs and returns to supplier under the
//! adjustment rule, rejections with a reason, the approvals queue, and the
//! stock freeze date.

mod common;

use chrono::Duration;
use common::*;
use pharmapos_engine::audit::GetAuditTrail;
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::stores::CreateStore;
use pharmapos_engine::catalogue::users::CreateUser;
use pharmapos_engine::clinic::recalls::{Disposal, DisposeBatch};
use pharmapos_engine::control::approvals::{ApprovalKind, ListApprovals};
use pharmapos_engine::control::freeze::SetStockFreezeDate;
use pharmapos_engine::ids::{BatchId, ProductId, StoreId};
use pharmapos_engine::reports::dashboard::GetDashboard;
use pharmapos_engine::stock::adjust::{
    AdjustStock, AdjustmentReason, ApproveAdjustment, ListAdjustments, RejectAdjustment,
    ReturnToSupplier, WriteoffBatch,
};
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::Session;

fn writeoff(batch: BatchId, reason: AdjustmentReason) -> WriteoffBatch {
    WriteoffBatch {
        batch_id: batch,
        reason,
        notes: None,
        approver_name: None,
        approver_pin: None,
    }
}

fn ret(batch: BatchId, qty: i64, reason: AdjustmentReason) -> ReturnToSupplier {
    ReturnToSupplier {
        batch_id: batch,
        quantity: qi(qty),
        supplier_id: None,
        reason,
        notes: None,
        approver_name: None,
        approver_pin: None,
    }
}

fn adjust(batch: BatchId, change: i64) -> AdjustStock {
    AdjustStock {
        batch_id: batch,
        quantity_change: qi(change),
        reason: AdjustmentReason::Correction,
        notes: None,
        approver_name: None,
        approver_pin: None,
    }
}

fn approve(
    fx: &mut Fx,
    who: Session,
    id: pharmapos_engine::ids::AdjustmentId,
) -> pharmapos_engine::Result<pharmapos_engine::stock::adjust::Adjustment> {
    fx.as_user(
        who,
        ApproveAdjustment {
            adjustment_id: id,
            notes: None,
        },
    )
}

fn reject(
    fx: &mut Fx,
    who: Session,
    id: pharmapos_engine::ids::AdjustmentId,
    notes: Option<&str>,
) -> pharmapos_engine::Result<pharmapos_engine::stock::adjust::Adjustment> {
    fx.as_user(
        who,
        RejectAdjustment {
            adjustment_id: id,
            notes: notes.map(str::to_string),
        },
    )
}

fn kinds(fx: &mut Fx, product: ProductId) -> Vec<String> {
    fx.run(GetAuditTrail {
        product_id: Some(product),
        oldest_first: Some(true),
        limit: Some(5000),
        ..Default::default()
    })
    .into_iter()
    .map(|e| e.change_type)
    .collect()
}

#[test]
fn a_cashiers_writeoff_over_the_threshold_waits_then_is_approved_or_rejected() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    // Within the thresholds (10 units, 100 in value): applied at once.
    let small = fx.receive(p, "S1", day(200), 5);
    let a = fx
        .as_user(c, writeoff(small, AdjustmentReason::Expired))
        .unwrap();
    assert_eq!(
        (a.kind.as_str(), a.status.as_str()),
        ("writeoff", "applied")
    );
    assert_eq!(a.approved_by, Some(c.user_id));
    assert_eq!(fx.on_hand(small), qi(0));

    // 40 units: over the units threshold, it waits and nothing moves.
    let b = fx.receive(p, "W1", day(200), 40);
    let w = fx
        .as_user(c, writeoff(b, AdjustmentReason::Damage))
        .unwrap();
    assert_eq!(
        (w.kind.as_str(), w.status.as_str()),
        ("writeoff", "pending")
    );
    assert_eq!(w.quantity_change, qi(-40));
    assert_eq!(w.new_quantity, None);
    assert_eq!(fx.on_hand(b), qi(40));
    assert_eq!(fx.batch(b).status, BatchStatus::Available);
    assert!(kinds(&mut fx, p).contains(&"adjustment_requested".to_string()));
    // A cashier cannot approve it.
    assert_kind(approve(&mut fx, c, w.id), "forbidden");
    let done = approve(&mut fx, m, w.id).unwrap();
    assert_eq!(done.status, "applied");
    assert_eq!(done.user_id, c.user_id, "who asked stays on the record");
    assert_eq!(done.approved_by, Some(m.user_id));
    assert!(done.decided_at.is_some());
    assert_eq!(fx.on_hand(b), qi(0));
    assert_eq!(
        fx.batch(b).status,
        BatchStatus::Damaged,
        "a damage write-off marks the batch damaged on approval"
    );
    assert_eq!(
        kinds(&mut fx, p).last().map(String::as_str),
        Some("writeoff")
    );

    // Rejected with a reason: stock unchanged.
    let b2 = fx.receive(p, "W2", day(200), 30);
    let w2 = fx.as_user(c, writeoff(b2, AdjustmentReason::Loss)).unwrap();
    assert_eq!(w2.status, "pending");
    let r = reject(&mut fx, m, w2.id, Some("found on the shelf")).unwrap();
    assert_eq!(r.status, "rejected");
    assert_eq!(r.decision_notes.as_deref(), Some("found on the shelf"));
    assert_eq!(r.approved_by, Some(m.user_id));
    assert_eq!(fx.on_hand(b2), qi(30));
    assert_kind(approve(&mut fx, m, w2.id), "adjustment_not_pending");
    fx.assert_verified();
}

#[test]
fn an_approved_writeoff_applies_exactly_what_was_asked_or_is_refused() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    let b = fx.receive(p, "W1", day(200), 40);
    let w = fx
        .as_user(c, writeoff(b, AdjustmentReason::Obsolete))
        .unwrap();
    // The batch loses 5 before the manager decides: 40 is no longer there.
    fx.as_user(m, adjust(b, -5)).unwrap();
    assert_kind(approve(&mut fx, m, w.id), "insufficient_stock");
    assert_eq!(fx.on_hand(b), qi(35));
    // Still pending; stock arriving makes it possible, and exactly 40 go.
    fx.as_user(m, adjust(b, 10)).unwrap();
    approve(&mut fx, m, w.id).unwrap();
    assert_eq!(fx.on_hand(b), qi(5));
}

#[test]
fn a_managers_pin_at_the_point_of_action_approves_at_once() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    let b = fx.receive(p, "W1", day(200), 40);
    let wrong = WriteoffBatch {
        approver_name: Some(MANAGER.into()),
        approver_pin: Some("9999".into()),
        ..writeoff(b, AdjustmentReason::Damage)
    };
    assert_kind(fx.as_user(c, wrong), "approval_required");
    assert_eq!(fx.on_hand(b), qi(40));
    let w = fx
        .as_user(
            c,
            WriteoffBatch {
                approver_name: Some(MANAGER.into()),
                approver_pin: Some(MANAGER_PIN.into()),
                ..writeoff(b, AdjustmentReason::Damage)
            },
        )
        .unwrap();
    assert_eq!(w.status, "applied");
    assert_eq!((w.user_id, w.approved_by), (c.user_id, Some(m.user_id)));
    assert_eq!(fx.on_hand(b), qi(0));

    let b2 = fx.receive(p, "R1", day(200), 40);
    let r = fx
        .as_user(
            c,
            ReturnToSupplier {
                approver_name: Some(MANAGER.into()),
                approver_pin: Some(MANAGER_PIN.into()),
                ..ret(b2, 25, AdjustmentReason::Expired)
            },
        )
        .unwrap();
    assert_eq!(r.status, "applied");
    assert_eq!(fx.on_hand(b2), qi(15));
    // A manager's own write-off needs nobody.
    let own = fx
        .as_user(m, ret(b2, 15, AdjustmentReason::Recall))
        .unwrap();
    assert_eq!(own.status, "applied");
}

#[test]
fn returns_to_supplier_wait_over_the_threshold_and_are_approved_or_rejected() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    let b = fx.receive(p, "R1", day(200), 50);
    // Small: at once, to the batch's supplier, a supplier_return event.
    let small = fx.as_user(c, ret(b, 4, AdjustmentReason::Damage)).unwrap();
    assert_eq!(
        (small.kind.as_str(), small.status.as_str()),
        ("supplier_return", "applied")
    );
    assert_eq!(small.supplier_id, Some(fx.supplier));
    assert_eq!(small.supplier_name.as_deref(), Some("Emzor Distribution"));
    assert_eq!(fx.on_hand(b), qi(46));
    let trail = fx.run(GetAuditTrail {
        product_id: Some(p),
        oldest_first: Some(true),
        limit: Some(100),
        ..Default::default()
    });
    let last = trail.last().unwrap();
    assert_eq!(last.change_type, "supplier_return");
    assert!(last
        .notes
        .as_deref()
        .unwrap_or("")
        .contains("Emzor Distribution"));

    // 20 units: pending until a manager decides.
    let big = fx
        .as_user(c, ret(b, 20, AdjustmentReason::Expired))
        .unwrap();
    assert_eq!(big.status, "pending");
    assert_eq!(fx.on_hand(b), qi(46));
    approve(&mut fx, m, big.id).unwrap();
    assert_eq!(fx.on_hand(b), qi(26));
    let big2 = fx
        .as_user(c, ret(b, 20, AdjustmentReason::Expired))
        .unwrap();
    reject(&mut fx, m, big2.id, Some("supplier will not take it back")).unwrap();
    assert_eq!(fx.on_hand(b), qi(26));

    // Refusals.
    assert_kind(
        fx.as_user(c, ret(b, 27, AdjustmentReason::Damage)),
        "insufficient_stock",
    );
    assert_kind(
        fx.as_user(c, ret(b, 0, AdjustmentReason::Damage)),
        "invalid_input",
    );
    let e = assert_kind(
        fx.as_user(c, ret(b, 1, AdjustmentReason::Found)),
        "invalid_input",
    );
    assert_eq!(e.details()["field"], "reason");
    let e = assert_kind(
        fx.as_user(c, ret(b, 1, AdjustmentReason::Other)),
        "invalid_input",
    );
    assert_eq!(e.details()["field"], "notes");
    fx.assert_verified();
}

#[test]
fn dispose_batch_returns_through_the_same_writer() {
    let mut fx = store_a();
    let m = fx.manager;
    let p = fx.paracetamol();
    let b = fx.receive(p, "Q1", day(200), 30);
    fx.as_user(
        m,
        SetBatchStatus {
            batch_id: b,
            status: BatchStatus::Quarantine,
            reason: Some("broken seal".into()),
            recall_class: None,
        },
    )
    .unwrap();
    fx.as_user(
        m,
        DisposeBatch {
            batch_id: b,
            method: Disposal::ReturnToSupplier,
            quantity: None,
            waste_reason: None,
            notes: Some("RMA 77".into()),
        },
    )
    .unwrap();
    assert_eq!(fx.on_hand(b), qi(0));
    let list = fx.run(ListAdjustments::default());
    let r = list.iter().find(|a| a.batch_id == b).unwrap();
    assert_eq!(
        (r.kind.as_str(), r.status.as_str()),
        ("supplier_return", "applied")
    );
    assert_eq!(r.notes.as_deref(), Some("RMA 77"));
    assert_eq!(r.supplier_id, Some(fx.supplier));
}

#[test]
fn a_rejection_needs_a_reason() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    let b = fx.receive(p, "A1", day(200), 40);
    let a = fx.as_user(c, adjust(b, -20)).unwrap();
    for notes in [None, Some(""), Some("   ")] {
        let e = assert_kind(reject(&mut fx, m, a.id, notes), "invalid_input");
        assert_eq!(e.details()["field"], "notes");
    }
    assert_eq!(fx.run(ListAdjustments::default())[0].status, "pending");
    reject(&mut fx, m, a.id, Some("count again")).unwrap();
}

/// A second store with its own cashier; the template's manager is not assigned there.
fn store_b(fx: &mut Fx) -> (StoreId, Session) {
    let sb = fx
        .run(CreateStore {
            name: "Store B".into(),
            code: Some("STB".into()),
            timezone: Some(TZ.into()),
            ..Default::default()
        })
        .id;
    let u = fx.run(CreateUser {
        name: "bea".into(),
        role: Role::Cashier,
        pin: Some("4444".into()),
        store_id: Some(sb),
        stores: None,
        head_office: None,
    });
    (sb, Session { user_id: u.id })
}

#[test]
fn the_queue_lists_every_kind_oldest_first_in_the_actors_stores_only() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    let b1 = fx.receive(p, "Q1", day(200), 50);
    let b2 = fx.receive(p, "Q2", day(200), 50);
    let b3 = fx.receive(p, "Q3", day(200), 50);
    let (sb, bea) = store_b(&mut fx);
    let mut req = fx.receive_req(p, "B1", day(200), qi(50));
    req.store_id = Some(sb);
    let bb = fx.run(req).batch_id;

    // Asked in this order, a minute apart: a return, an adjustment, a write-off; and one in B.
    let t = now();
    fx.set_now(t);
    let r = fx
        .as_user(c, ret(b3, 30, AdjustmentReason::Expired))
        .unwrap();
    fx.set_now(t + Duration::minutes(1));
    let a = fx.as_user(c, adjust(b1, -20)).unwrap();
    fx.set_now(t + Duration::minutes(2));
    let w = fx
        .as_user(c, writeoff(b2, AdjustmentReason::Damage))
        .unwrap();
    fx.set_now(t + Duration::minutes(3));
    let other = fx.as_user(bea, adjust(bb, -30)).unwrap();
    assert_eq!(other.status, "pending");
    // Within the limits: not in the queue.
    fx.as_user(c, adjust(b1, -1)).unwrap();

    let queue = fx.as_user(m, ListApprovals::default()).unwrap();
    let got: Vec<(ApprovalKind, String)> = queue.iter().map(|q| (q.kind, q.id.clone())).collect();
    assert_eq!(
        got,
        vec![
            (ApprovalKind::SupplierReturn, r.id.to_string()),
            (ApprovalKind::Adjustment, a.id.to_string()),
            (ApprovalKind::Writeoff, w.id.to_string()),
        ],
        "oldest first, and store B's request is not the manager's"
    );
    assert!(queue
        .iter()
        .all(|q| q.approve_command == "approve_adjustment"
            && q.reject_command == "reject_adjustment"
            && q.requested_by == c.user_id
            && q.requested_by_name == CASHIER));
    assert_eq!(queue[1].amount.as_deref(), Some("20"));
    assert_eq!(queue[1].limit.as_deref(), Some("10"));
    assert!(
        queue[0].summary.contains("Q3") && queue[0].summary.contains("Emzor"),
        "{}",
        queue[0].summary
    );
    // Store B's queue is not the manager's to read.
    assert_kind(
        fx.as_user(m, ListApprovals { store_id: Some(sb) }),
        "forbidden",
    );
    // The admin (of both stores) sees all four, oldest first.
    let all = fx.run(ListApprovals::default());
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].id, other.id.to_string());
    assert_eq!(fx.run(ListApprovals { store_id: Some(sb) }).len(), 1);
    // Cashiers do not read the queue.
    assert_kind(fx.as_user(c, ListApprovals::default()), "forbidden");

    // The dashboard counts the same requests.
    let d = fx.as_user(m, GetDashboard::default()).unwrap();
    assert_eq!(d.pending_approvals, 3);
    approve(&mut fx, m, a.id).unwrap();
    reject(&mut fx, m, w.id, Some("no")).unwrap();
    assert_eq!(
        fx.as_user(m, GetDashboard::default())
            .unwrap()
            .pending_approvals,
        1
    );
    assert_eq!(fx.as_user(m, ListApprovals::default()).unwrap().len(), 1);
}

#[test]
fn the_freeze_date_refuses_backdated_movements() {
    let mut fx = store_a();
    let (c, m) = (fx.cashier, fx.manager);
    let p = fx.paracetamol();
    let b = fx.receive(p, "F1", day(200), 50);
    // Cashiers cannot freeze; nobody freezes the future.
    let freeze = |d: Option<chrono::NaiveDate>| SetStockFreezeDate {
        store_id: None,
        freeze_date: d,
        reason: "month-end count".into(),
    };
    assert_kind(fx.as_user(c, freeze(Some(today()))), "forbidden");
    let e = assert_kind(fx.as_user(m, freeze(Some(day(1)))), "invalid_input");
    assert_eq!(e.details()["field"], "freeze_date");
    let e = assert_kind(
        fx.as_user(
            m,
            SetStockFreezeDate {
                reason: " ".into(),
                ..freeze(Some(today()))
            },
        ),
        "invalid_input",
    );
    assert_eq!(e.details()["field"], "reason");
    let s = fx.as_user(m, freeze(Some(day(-1)))).unwrap();
    assert_eq!(
        s.stock_freeze_date.as_deref(),
        Some(day(-1).to_string().as_str())
    );
    // Later: any manager.
    let s = fx.as_user(m, freeze(Some(today()))).unwrap();
    assert_eq!(s.stock_freeze_date, Some(today().to_string()));
    // Today is not before the freeze date: trade goes on.
    fx.as_user(c, adjust(b, -1)).unwrap();

    // The clock a day back (a PC with a wrong date, a backdated entry): refused.
    fx.set_now(now() - Duration::days(1));
    let e = assert_kind(fx.as_user(c, adjust(b, -1)), "stock_frozen");
    assert_eq!(e.details()["freeze_date"], today().to_string());
    assert_eq!(e.details()["date"], day(-1).to_string());
    assert_eq!(e.details()["store_id"], fx.store.to_string());
    let req = fx.receive_req(p, "F2", day(200), qi(10));
    assert_kind(fx.as_user(m, req), "stock_frozen");
    assert_kind(
        fx.as_user(m, writeoff(b, AdjustmentReason::Damage)),
        "stock_frozen",
    );
    // A pending request cannot be approved into the closed period either.
    fx.set_now(now());
    let pending = fx.as_user(c, adjust(b, -20)).unwrap();
    fx.set_now(now() - Duration::days(1));
    assert_kind(approve(&mut fx, m, pending.id), "stock_frozen");
    fx.set_now(now());
    assert_eq!(fx.on_hand(b), qi(49));

    // Earlier or cleared: admins only.
    assert_kind(fx.as_user(m, freeze(Some(day(-3)))), "forbidden");
    assert_kind(fx.as_user(m, freeze(None)), "forbidden");
    let e = assert_kind(fx.as_user(m, freeze(Some(today()))), "invalid_input");
    assert_eq!(e.details()["field"], "freeze_date");
    let s = fx.run(freeze(None));
    assert_eq!(s.stock_freeze_date, None);
    fx.set_now(now() - Duration::days(1));
    let req = fx.receive_req(p, "F2", day(200), qi(10));
    fx.as_user(m, req).unwrap();
    fx.set_now(now());
    fx.assert_verified();
}
