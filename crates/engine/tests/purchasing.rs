//! Purchase orders: every step and refusal of the workflow, totals, the
//! approval limit, receiving in parts (damaged, rejected, GS1 scans,
//! over-receipt, expired packs), cancel the rest, drafts from the reorder
//! recommendations, vendor performance against a hand-computed history, and
//! a property test that an order's status and lines always say what its
//! receiving lines say, with stock risen by exactly the accepted units.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::suppliers::{CreateSupplier, SupplierFields, UpdateSupplier};
use pharmapos_engine::catalogue::users::CreateUser;
use pharmapos_engine::ids::{ProductId, PurchaseOrderId, SupplierId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::purchasing::*;
use pharmapos_engine::stock::queries::GetProductStock;
use pharmapos_engine::Session;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn line(product: ProductId, qty: i64, cost: &str) -> NewOrderLine {
    NewOrderLine {
        product_id: product,
        quantity: qi(qty),
        unit_cost: Some(m(cost)),
        discount_percent: None,
        discount_amount: None,
    }
}

fn order(supplier: SupplierId, lines: Vec<NewOrderLine>) -> CreatePurchaseOrder {
    CreatePurchaseOrder {
        store_id: None,
        supplier_id: supplier,
        lines,
        expected_date: Some(day(7)),
        payment_terms: None,
        internal_notes: None,
        vendor_notes: None,
        discount: None,
        tax: None,
        shipping: None,
    }
}

fn recv(item: &PurchaseOrderItem, batch: &str, qty: i64) -> OrderReceiptLine {
    OrderReceiptLine {
        item_id: Some(item.id),
        scan: None,
        batch_number: Some(batch.into()),
        expiry_date: Some(day(365)),
        manufacture_date: None,
        cost_price: None,
        quantity: Some(qi(qty)),
        damaged: None,
        rejected: None,
    }
}

fn receive(id: PurchaseOrderId, lines: Vec<OrderReceiptLine>) -> ReceivePurchaseOrder {
    ReceivePurchaseOrder {
        purchase_order_id: id,
        lines,
        notes: None,
        allow_over_receipt: None,
    }
}

fn practitioner(fx: &mut Fx) -> Session {
    let u = fx.run(CreateUser {
        name: "pat".into(),
        role: Role::Practitioner,
        pin: Some("5555".into()),
        store_id: Some(fx.store),
        stores: None,
        head_office: None,
    });
    Session { user_id: u.id }
}

fn supplier(fx: &mut Fx, name: &str, preferred: bool) -> SupplierId {
    fx.run(CreateSupplier {
        name: name.into(),
        fields: SupplierFields {
            is_preferred: Some(preferred),
            ..Default::default()
        },
    })
    .id
}

fn on_hand(fx: &mut Fx, product: ProductId) -> Qty {
    fx.run(GetProductStock {
        product_id: product,
        store_id: None,
    })
    .on_hand
}

/// A submitted order of 10 paracetamol at 0.05 and 20 botox at 2.50.
fn submitted(fx: &mut Fx) -> (PurchaseOrder, ProductId, ProductId) {
    let pcm = fx.paracetamol();
    let btx = fx.botox();
    let o = fx.run(order(
        fx.supplier,
        vec![line(pcm, 10, "0.05"), line(btx, 20, "2.50")],
    ));
    let o = fx.run(SubmitPurchaseOrder {
        purchase_order_id: o.id,
        approver_name: None,
        approver_pin: None,
    });
    assert_eq!(o.status, PurchaseOrderStatus::Submitted);
    (o, pcm, btx)
}

#[test]
fn totals_are_exact_and_a_draft_changes_only_as_a_draft() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let btx = fx.botox();
    let mut req = order(
        fx.supplier,
        vec![
            NewOrderLine {
                discount_percent: Some(Decimal::new(125, 1)), // 12.5 %
                ..line(pcm, 333, "0.0333")
            },
            NewOrderLine {
                discount_amount: Some(m("5")),
                ..line(btx, 40, "2.50")
            },
        ],
    );
    req.discount = Some(m("1.00"));
    req.tax = Some(m("7.50"));
    req.shipping = Some(m("3.25"));
    let o = fx.run(req);
    // 333 × 0.0333 = 11.0889; 12.5 % of it = 1.3861125 → 1.3861 (half-even).
    assert_eq!(o.items[0].gross, m("11.0889"));
    assert_eq!(o.items[0].discount, m("1.3861"));
    assert_eq!(o.items[0].line_total, m("9.7028"));
    assert_eq!(o.items[1].gross, m("100"));
    assert_eq!(o.items[1].line_total, m("95"));
    assert_eq!(o.subtotal, m("111.0889"));
    assert_eq!(o.line_discounts, m("6.3861"));
    // 111.0889 − 6.3861 − 1 + 7.50 + 3.25
    assert_eq!(o.total, m("114.4528"));
    assert_eq!(o.status, PurchaseOrderStatus::Draft);
    assert!(o.label.ends_with("-PO0001"), "{}", o.label);

    let o = fx.run(UpdatePurchaseOrder {
        purchase_order_id: o.id,
        supplier_id: None,
        lines: Some(vec![line(pcm, 100, "0.05")]),
        expected_date: None,
        payment_terms: None,
        internal_notes: Some("call before noon".into()),
        vendor_notes: None,
        discount: Some(m("0")),
        tax: None,
        shipping: None,
    });
    assert_eq!(o.items.len(), 1);
    assert_eq!(o.total, m("15.75")); // 5.00 + 7.50 + 3.25
    assert_eq!(o.internal_notes.as_deref(), Some("call before noon"));

    fx.run(SubmitPurchaseOrder {
        purchase_order_id: o.id,
        approver_name: None,
        approver_pin: None,
    });
    let e = assert_kind(
        fx.as_user(
            fx.admin,
            UpdatePurchaseOrder {
                purchase_order_id: o.id,
                supplier_id: None,
                lines: None,
                expected_date: None,
                payment_terms: None,
                internal_notes: Some("too late".into()),
                vendor_notes: None,
                discount: None,
                tax: None,
                shipping: None,
            },
        ),
        "conflict",
    );
    assert!(e.to_string().contains("submitted"), "{e}");
    fx.assert_verified();
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let before = fx.event_count();
    let bad: Vec<(CreatePurchaseOrder, &str)> = vec![
        (order(fx.supplier, vec![]), "lines"),
        (
            order(
                fx.supplier,
                vec![line(pcm, 1, "0.05"), line(pcm, 2, "0.05")],
            ),
            "lines[1].product_id",
        ),
        (
            order(
                fx.supplier,
                vec![NewOrderLine {
                    quantity: q("1.5"),
                    ..line(pcm, 1, "0.05")
                }],
            ),
            "lines[0].quantity",
        ),
        (
            order(fx.supplier, vec![line(pcm, 1, "-0.05")]),
            "lines[0].unit_cost",
        ),
        (
            order(
                fx.supplier,
                vec![NewOrderLine {
                    discount_percent: Some(Decimal::from(101)),
                    ..line(pcm, 1, "0.05")
                }],
            ),
            "lines[0].discount_percent",
        ),
        (
            order(
                fx.supplier,
                vec![NewOrderLine {
                    discount_amount: Some(m("1")),
                    ..line(pcm, 1, "0.05")
                }],
            ),
            "lines[0].discount_amount",
        ),
        (
            CreatePurchaseOrder {
                discount: Some(m("1")),
                ..order(fx.supplier, vec![line(pcm, 1, "0.05")])
            },
            "discount",
        ),
    ];
    for (req, field) in bad {
        let e = assert_kind(fx.as_user(fx.admin, req), "invalid_input");
        assert_eq!(e.to_json()["error"]["details"]["field"], field, "{e}");
    }
    let none: i64 = fx
        .raw()
        .query_row("SELECT COUNT(*) FROM purchase_orders", [], |r| r.get(0))
        .unwrap();
    assert_eq!(none, 0);
    assert_eq!(fx.event_count(), before);
}

#[test]
fn unknown_and_inactive_suppliers_are_refused() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    assert_kind(
        fx.as_user(fx.admin, order(SupplierId::new(), vec![line(pcm, 1, "1")])),
        "not_found",
    );
    let gone = supplier(&mut fx, "Gone Ltd", false);
    let draft = fx.run(order(gone, vec![line(pcm, 1, "1")]));
    fx.run(UpdateSupplier {
        id: gone,
        name: None,
        is_active: Some(false),
        fields: SupplierFields::default(),
    });
    assert_kind(
        fx.as_user(fx.admin, order(gone, vec![line(pcm, 1, "1")])),
        "supplier_inactive",
    );
    // A draft to a vendor deactivated since cannot go out.
    assert_kind(
        fx.as_user(
            fx.admin,
            SubmitPurchaseOrder {
                purchase_order_id: draft.id,
                approver_name: None,
                approver_pin: None,
            },
        ),
        "supplier_inactive",
    );
}

#[test]
fn cashiers_cannot_order_and_only_managers_approve() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    assert_kind(
        fx.as_user(fx.cashier, order(fx.supplier, vec![line(pcm, 1, "1")])),
        "forbidden",
    );
    let pat = practitioner(&mut fx);
    let o = fx
        .as_user(pat, order(fx.supplier, vec![line(pcm, 1, "1")]))
        .unwrap();
    // Only admins set the limit, never below 0; at 0 every order of a non-manager waits.
    assert_kind(
        fx.as_user(
            fx.manager,
            SetPurchaseOrderLimit {
                store_id: None,
                limit: m("0"),
            },
        ),
        "forbidden",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            SetPurchaseOrderLimit {
                store_id: None,
                limit: m("-1"),
            },
        ),
        "invalid_input",
    );
    let set = fx.run(SetPurchaseOrderLimit {
        store_id: None,
        limit: m("0"),
    });
    assert_eq!(set.purchase_order_limit, Money::ZERO);
    let o = fx
        .as_user(
            pat,
            SubmitPurchaseOrder {
                purchase_order_id: o.id,
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(o.status, PurchaseOrderStatus::PendingApproval);
    assert_kind(
        fx.as_user(
            pat,
            ApprovePurchaseOrder {
                purchase_order_id: o.id,
            },
        ),
        "forbidden",
    );
    assert_kind(
        fx.as_user(pat, receive(o.id, vec![recv(&o.items[0], "L1", 1)])),
        "forbidden",
    );
}

#[test]
fn over_the_limit_an_order_waits_for_a_manager() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let pat = practitioner(&mut fx);
    // 600.00 is over the default 500.00.
    let big = fx
        .as_user(pat, order(fx.supplier, vec![line(pcm, 12000, "0.05")]))
        .unwrap();
    assert_eq!(big.total, m("600"));
    let waiting = fx
        .as_user(
            pat,
            SubmitPurchaseOrder {
                purchase_order_id: big.id,
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(waiting.status, PurchaseOrderStatus::PendingApproval);
    assert_eq!(waiting.order_date, None);
    // It waits in the approvals queue with the figure and the limit it passes.
    let queue = fx
        .as_user(
            fx.manager,
            pharmapos_engine::control::approvals::ListApprovals { store_id: None },
        )
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].id, big.id.to_string());
    assert_eq!(queue[0].approve_command, "approve_purchase_order");
    assert_eq!(queue[0].reject_command, "reject_purchase_order");
    assert_eq!(queue[0].amount.as_deref(), Some("600.00"));
    assert_eq!(queue[0].limit.as_deref(), Some("500.00"));
    // It cannot be confirmed or received while it waits.
    assert_kind(
        fx.as_user(
            fx.admin,
            ConfirmPurchaseOrder {
                purchase_order_id: big.id,
                expected_date: None,
                vendor_reference: None,
            },
        ),
        "conflict",
    );
    // Rejecting needs a reason, and sends it back to draft.
    assert_kind(
        fx.as_user(
            fx.manager,
            RejectPurchaseOrder {
                purchase_order_id: big.id,
                reason: "  ".into(),
            },
        ),
        "invalid_input",
    );
    let back = fx
        .as_user(
            fx.manager,
            RejectPurchaseOrder {
                purchase_order_id: big.id,
                reason: "order half".into(),
            },
        )
        .unwrap();
    assert_eq!(back.status, PurchaseOrderStatus::Draft);
    assert_eq!(back.reject_reason.as_deref(), Some("order half"));
    assert_kind(
        fx.as_user(
            fx.manager,
            ApprovePurchaseOrder {
                purchase_order_id: big.id,
            },
        ),
        "conflict",
    );
    fx.as_user(
        pat,
        SubmitPurchaseOrder {
            purchase_order_id: big.id,
            approver_name: None,
            approver_pin: None,
        },
    )
    .unwrap();
    let approved = fx
        .as_user(
            fx.manager,
            ApprovePurchaseOrder {
                purchase_order_id: big.id,
            },
        )
        .unwrap();
    assert_eq!(approved.status, PurchaseOrderStatus::Submitted);
    assert_eq!(approved.approved_by, Some(fx.manager.user_id));
    assert_eq!(approved.order_date.as_deref(), Some("2026-01-01"));

    // With a manager's PIN it goes at once; a wrong PIN is refused.
    let other = fx
        .as_user(pat, order(fx.supplier, vec![line(pcm, 12000, "0.05")]))
        .unwrap();
    assert_kind(
        fx.as_user(
            pat,
            SubmitPurchaseOrder {
                purchase_order_id: other.id,
                approver_name: Some(MANAGER.into()),
                approver_pin: Some("0000".into()),
            },
        ),
        "approval_required",
    );
    let now = fx
        .as_user(
            pat,
            SubmitPurchaseOrder {
                purchase_order_id: other.id,
                approver_name: Some(MANAGER.into()),
                approver_pin: Some(MANAGER_PIN.into()),
            },
        )
        .unwrap();
    assert_eq!(now.status, PurchaseOrderStatus::Submitted);
    // A manager's own order over the limit carries their approval.
    let own = fx.run(order(fx.supplier, vec![line(pcm, 12000, "0.05")]));
    let own = fx.run(SubmitPurchaseOrder {
        purchase_order_id: own.id,
        approver_name: None,
        approver_pin: None,
    });
    assert_eq!(own.status, PurchaseOrderStatus::Submitted);
    assert_eq!(own.approved_by, Some(fx.admin.user_id));
    fx.assert_verified();
}

#[test]
fn an_order_walks_every_step_and_refuses_the_wrong_ones() {
    let mut fx = store_a();
    let (o, pcm, btx) = submitted(&mut fx);
    let conflict = |fx: &mut Fx, r: pharmapos_engine::Result<PurchaseOrder>| {
        assert_kind(r, "conflict");
        let _ = fx;
    };
    let r = fx.as_user(
        fx.admin,
        SubmitPurchaseOrder {
            purchase_order_id: o.id,
            approver_name: None,
            approver_pin: None,
        },
    );
    conflict(&mut fx, r);
    let o = fx.run(ConfirmPurchaseOrder {
        purchase_order_id: o.id,
        expected_date: Some(day(5)),
        vendor_reference: Some("SO-778".into()),
    });
    assert_eq!(o.status, PurchaseOrderStatus::Confirmed);
    assert_eq!(o.expected_date.as_deref(), Some("2026-01-06"));
    let r = fx.as_user(
        fx.admin,
        ConfirmPurchaseOrder {
            purchase_order_id: o.id,
            expected_date: None,
            vendor_reference: None,
        },
    );
    conflict(&mut fx, r);
    let o = fx.run(ShipPurchaseOrder {
        purchase_order_id: o.id,
        carrier: Some("DHL".into()),
        tracking_number: Some("JD0001".into()),
        expected_date: None,
    });
    assert_eq!(o.status, PurchaseOrderStatus::Shipped);
    assert_eq!(o.carrier.as_deref(), Some("DHL"));
    let before = (on_hand(&mut fx, pcm), on_hand(&mut fx, btx));
    assert_eq!(before, (Qty::ZERO, Qty::ZERO));

    // First part: 6 tablets (and 1 damaged), 20 units of botox with 2 rejected.
    let o = fx.run(receive(
        o.id,
        vec![
            OrderReceiptLine {
                damaged: Some(qi(1)),
                ..recv(&o.items[0], "PCM-A", 6)
            },
            OrderReceiptLine {
                rejected: Some(qi(2)),
                ..recv(&o.items[1], "BTX-A", 20)
            },
        ],
    ));
    assert_eq!(o.status, PurchaseOrderStatus::PartialReceived);
    assert_eq!(o.items[0].received, qi(6));
    assert_eq!(o.items[0].damaged, qi(1));
    assert_eq!(o.items[0].pending, qi(4));
    assert_eq!(o.items[1].received, qi(20));
    assert_eq!(o.items[1].rejected, qi(2));
    assert_eq!(o.items[1].pending, Qty::ZERO);
    assert_eq!(on_hand(&mut fx, pcm), qi(6));
    assert_eq!(on_hand(&mut fx, btx), qi(20));
    // The batch costs the ordered unit cost.
    let batch = o.receipts[0].lines[0].batch_id.unwrap();
    assert_eq!(fx.batch(batch).cost_price, m("0.05"));

    // Over-receipt is refused, and nothing moves.
    let e = assert_kind(
        fx.as_user(fx.admin, receive(o.id, vec![recv(&o.items[0], "PCM-A", 5)])),
        "invalid_input",
    );
    assert!(e.to_string().contains("over-receipt"), "{e}");
    assert_eq!(on_hand(&mut fx, pcm), qi(6));

    // Second part tops the same batch up and completes the order.
    let o = fx.run(receive(o.id, vec![recv(&o.items[0], "PCM-A", 4)]));
    assert_eq!(o.status, PurchaseOrderStatus::Received);
    assert_eq!(o.actual_delivery_date.as_deref(), Some("2026-01-01"));
    assert_eq!(o.receipts.len(), 2);
    assert_eq!(o.items[0].pending, Qty::ZERO);
    assert_eq!(on_hand(&mut fx, pcm), qi(10));
    let r = fx.as_user(
        fx.admin,
        CancelPurchaseOrder {
            purchase_order_id: o.id,
            reason: "late".into(),
        },
    );
    conflict(&mut fx, r);
    let r = fx.as_user(fx.admin, receive(o.id, vec![recv(&o.items[0], "PCM-A", 1)]));
    conflict(&mut fx, r);

    // Each step is an event, and each accepted line a `receipt`.
    let kinds: Vec<String> = fx
        .raw()
        .prepare("SELECT change_type FROM inventory_audit WHERE change_type LIKE 'purchase_order_%' OR change_type = 'receipt' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kinds,
        [
            "purchase_order_created",
            "purchase_order_submitted",
            "purchase_order_confirmed",
            "purchase_order_shipped",
            "receipt",
            "receipt",
            "purchase_order_received",
            "receipt",
            "purchase_order_received",
        ]
    );
    fx.assert_verified();
}

#[test]
fn payment_is_recorded_by_a_manager_once_the_order_went_out() {
    let mut fx = store_a();
    let (o, pcm, _) = submitted(&mut fx);
    let draft = fx.run(order(fx.supplier, vec![line(pcm, 2, "1.00")]));
    let pay = |id, status| SetPurchaseOrderPayment {
        purchase_order_id: id,
        payment_status: status,
        reference: Some("TRF-1".into()),
        notes: None,
    };
    assert_eq!(draft.payment_status, "unpaid");
    // A draft owes nothing yet.
    assert_kind(
        fx.as_user(fx.admin, pay(draft.id, PaymentStatus::Paid)),
        "conflict",
    );

    // The buyer's cashier may not; a manager may.
    assert_kind(
        fx.as_user(fx.cashier, pay(o.id, PaymentStatus::PartiallyPaid)),
        "forbidden",
    );
    let part = fx
        .as_user(fx.manager, pay(o.id, PaymentStatus::PartiallyPaid))
        .unwrap();
    assert_eq!(part.payment_status, "partially_paid");
    assert_eq!(
        part.status,
        PurchaseOrderStatus::Submitted,
        "payment leaves the workflow alone"
    );
    assert_kind(
        fx.as_user(fx.manager, pay(o.id, PaymentStatus::PartiallyPaid)),
        "conflict",
    );
    // Too long a reference: refused, nothing changed.
    let long = SetPurchaseOrderPayment {
        reference: Some("x".repeat(101)),
        ..pay(o.id, PaymentStatus::Paid)
    };
    assert_kind(fx.as_user(fx.manager, long), "invalid_input");
    let paid = fx
        .as_user(fx.manager, pay(o.id, PaymentStatus::Paid))
        .unwrap();
    assert_eq!(paid.payment_status, "paid");
    assert_eq!(
        fx.run(GetPurchaseOrder {
            purchase_order_id: o.id
        })
        .payment_status,
        "paid"
    );

    let payloads: Vec<String> = fx
        .raw()
        .prepare("SELECT payload FROM inventory_audit WHERE change_type = 'purchase_order_payment' ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(payloads.len(), 2, "one event per recorded payment");
    let last: serde_json::Value = serde_json::from_str(&payloads[1]).unwrap();
    assert_eq!(last["data"]["this"]["from"], "partially_paid");
    assert_eq!(last["data"]["this"]["to"], "paid");
    assert_eq!(last["data"]["this"]["reference"], "TRF-1");
    fx.assert_verified();
}

#[test]
fn a_manager_may_allow_an_over_receipt() {
    let mut fx = store_a();
    let (o, pcm, _) = submitted(&mut fx);
    let mut req = receive(o.id, vec![recv(&o.items[0], "PCM-A", 12)]);
    req.allow_over_receipt = Some(true);
    let o = fx.as_user(fx.manager, req).unwrap();
    assert_eq!(o.items[0].received, qi(12));
    assert_eq!(o.items[0].pending, Qty::ZERO);
    assert_eq!(o.status, PurchaseOrderStatus::PartialReceived);
    assert_eq!(on_hand(&mut fx, pcm), qi(12));
}

#[test]
fn an_expired_pack_and_a_missing_batch_number_are_refused() {
    let mut fx = store_a();
    let (o, pcm, _) = submitted(&mut fx);
    let mut expired = recv(&o.items[0], "OLD", 2);
    expired.expiry_date = Some(day(-1));
    let e = assert_kind(
        fx.as_user(fx.admin, receive(o.id, vec![expired])),
        "invalid_input",
    );
    assert_eq!(
        e.to_json()["error"]["details"]["field"],
        "lines.0.expiry_date"
    );
    let mut nameless = recv(&o.items[0], "", 2);
    nameless.batch_number = None;
    let e = assert_kind(
        fx.as_user(fx.admin, receive(o.id, vec![nameless])),
        "invalid_input",
    );
    assert_eq!(
        e.to_json()["error"]["details"]["field"],
        "lines.0.batch_number"
    );
    let zero = recv(&o.items[0], "X", 0);
    assert_kind(
        fx.as_user(fx.admin, receive(o.id, vec![zero])),
        "invalid_input",
    );
    assert_eq!(on_hand(&mut fx, pcm), Qty::ZERO);
    let records: i64 = fx
        .raw()
        .query_row("SELECT COUNT(*) FROM receiving_records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(records, 0);
    let got = fx.run(GetPurchaseOrder {
        purchase_order_id: o.id,
    });
    assert_eq!(got.status, PurchaseOrderStatus::Submitted);
}

#[test]
fn a_gs1_scan_fills_the_receipt_line() {
    use pharmapos_engine::catalogue::products::ProductFields;
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let amx = fx.product(
        "AMX-500",
        "Amoxicillin 500mg",
        ProductFields {
            unit: Some("capsule".into()),
            barcodes: Some(vec!["5012345678900".into()]),
            cost_price: Some(m("0.10")),
            ..Default::default()
        },
    );
    let o = fx.run(order(
        fx.supplier,
        vec![line(amx, 10, "0.10"), line(pcm, 5, "0.05")],
    ));
    fx.run(SubmitPurchaseOrder {
        purchase_order_id: o.id,
        approver_name: None,
        approver_pin: None,
    });
    let scan = OrderReceiptLine {
        item_id: None,
        scan: Some("(01)05012345678900(17)270630(10)LOT9(30)5".into()),
        batch_number: None,
        expiry_date: None,
        manufacture_date: None,
        cost_price: None,
        quantity: None,
        damaged: None,
        rejected: None,
    };
    let o = fx.run(receive(o.id, vec![scan.clone()]));
    let l = &o.receipts[0].lines[0];
    assert_eq!(l.batch_number.as_deref(), Some("LOT9"));
    assert_eq!(l.expiry_date.as_deref(), Some("2027-06-30"));
    assert_eq!(l.accepted, qi(5));
    assert_eq!(l.item_id, o.items[0].id);
    assert_eq!(on_hand(&mut fx, amx), qi(5));
    assert_eq!(on_hand(&mut fx, pcm), Qty::ZERO);
    // The scan of one product on another product's line is refused.
    let wrong = OrderReceiptLine {
        item_id: Some(o.items[1].id),
        ..scan
    };
    let e = assert_kind(
        fx.as_user(fx.admin, receive(o.id, vec![wrong])),
        "invalid_input",
    );
    assert_eq!(e.to_json()["error"]["details"]["field"], "lines.0.scan");
}

#[test]
fn cancel_before_anything_arrived_and_cancel_the_rest() {
    let mut fx = store_a();
    let (o, pcm, _) = submitted(&mut fx);
    assert_kind(
        fx.as_user(
            fx.admin,
            CancelPurchaseOrder {
                purchase_order_id: o.id,
                reason: "".into(),
            },
        ),
        "invalid_input",
    );
    let c = fx.run(CancelPurchaseOrder {
        purchase_order_id: o.id,
        reason: "found cheaper".into(),
    });
    assert_eq!(c.status, PurchaseOrderStatus::Cancelled);
    assert!(!c.closed_short);
    assert_eq!(c.items[0].pending, Qty::ZERO);
    // A cancelled order takes no further step.
    assert_kind(
        fx.as_user(
            fx.admin,
            CancelPurchaseOrder {
                purchase_order_id: o.id,
                reason: "again".into(),
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            ShipPurchaseOrder {
                purchase_order_id: o.id,
                carrier: None,
                tracking_number: None,
                expected_date: None,
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(fx.admin, receive(o.id, vec![recv(&o.items[0], "X", 1)])),
        "conflict",
    );
    // A draft is neither shipped, received, approved nor rejected.
    let draft = fx.run(order(fx.supplier, vec![line(pcm, 1, "0.05")]));
    assert_kind(
        fx.as_user(
            fx.admin,
            ShipPurchaseOrder {
                purchase_order_id: draft.id,
                carrier: None,
                tracking_number: None,
                expected_date: None,
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            receive(draft.id, vec![recv(&draft.items[0], "X", 1)]),
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            RejectPurchaseOrder {
                purchase_order_id: draft.id,
                reason: "no".into(),
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            GetPurchaseOrder {
                purchase_order_id: PurchaseOrderId::new(),
            },
        ),
        "not_found",
    );

    let o = fx.run(order(fx.supplier, vec![line(pcm, 10, "0.05")]));
    fx.run(SubmitPurchaseOrder {
        purchase_order_id: o.id,
        approver_name: None,
        approver_pin: None,
    });
    let o = fx.run(receive(o.id, vec![recv(&o.items[0], "PCM-B", 3)]));
    assert_eq!(o.status, PurchaseOrderStatus::PartialReceived);
    fx.set_now(now() + Duration::days(2));
    let closed = fx.run(CancelPurchaseOrder {
        purchase_order_id: o.id,
        reason: "vendor out of stock".into(),
    });
    assert_eq!(closed.status, PurchaseOrderStatus::Received);
    assert!(closed.closed_short);
    assert_eq!(closed.cancel_reason.as_deref(), Some("vendor out of stock"));
    assert_eq!(closed.items[0].received, qi(3));
    assert_eq!(closed.items[0].pending, Qty::ZERO);
    assert_eq!(closed.actual_delivery_date.as_deref(), Some("2026-01-01"));
    assert_eq!(on_hand(&mut fx, pcm), qi(3));
    fx.assert_verified();
}

#[test]
fn lists_page_and_filter_in_sql() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let other = supplier(&mut fx, "Other Ltd", false);
    for i in 0..5 {
        let s = if i % 2 == 0 { fx.supplier } else { other };
        let o = fx.run(order(s, vec![line(pcm, 1 + i, "1")]));
        if i < 2 {
            fx.run(SubmitPurchaseOrder {
                purchase_order_id: o.id,
                approver_name: None,
                approver_pin: None,
            });
        }
    }
    let all = fx.run(ListPurchaseOrders {
        limit: Some(2),
        offset: Some(1),
        ..Default::default()
    });
    assert_eq!(all.total, 5);
    let numbers: Vec<i64> = all.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, [4, 3]);
    let drafts = fx.run(ListPurchaseOrders {
        status: Some(PurchaseOrderStatus::Draft),
        ..Default::default()
    });
    assert_eq!(drafts.total, 3);
    let theirs = fx.run(ListPurchaseOrders {
        supplier_id: Some(other),
        ..Default::default()
    });
    assert_eq!(theirs.total, 2);
    assert!(theirs.rows.iter().all(|r| r.supplier_name == "Other Ltd"));
    assert_eq!(theirs.rows[0].lines_pending, 1);
    assert_kind(
        fx.as_user(
            fx.admin,
            ListPurchaseOrders {
                limit: Some(0),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

#[test]
fn reorder_recommendations_become_one_draft_per_vendor() {
    use pharmapos_engine::catalogue::products::{ProductFields, Thresholds, UpdateProduct};
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let btx = fx.botox();
    let lonely = fx.product("LON-1", "Lonely", ProductFields::default());
    let pref = supplier(&mut fx, "Preferred Pharma", true);
    // Paracetamol came from the fixture's supplier, then from the preferred one.
    fx.receive(pcm, "P1", day(300), 2);
    let mut r = fx.receive_req(pcm, "P2", day(300), qi(1));
    r.supplier_id = pref;
    r.cost_price = Some(m("0.04"));
    fx.run(r);
    fx.receive(btx, "B1", day(300), 1);
    for p in [pcm, btx, lonely] {
        fx.run(UpdateProduct {
            id: p,
            sku: None,
            name: None,
            fields: ProductFields {
                thresholds: Some(Thresholds {
                    reorder_point: Some(qi(10)),
                    max_level: Some(qi(50)),
                    ..Default::default()
                }),
                ..Default::default()
            },
        });
    }
    let out = fx.run(DraftOrdersFromReorder::default());
    assert_eq!(out.orders.len(), 2);
    assert_eq!(out.skipped.len(), 1);
    assert_eq!(out.skipped[0].product_id, lonely);
    let to_pref = out.orders.iter().find(|o| o.supplier_id == pref).unwrap();
    assert_eq!(to_pref.items.len(), 1);
    assert_eq!(to_pref.items[0].product_id, pcm);
    assert_eq!(to_pref.items[0].ordered, qi(47));
    assert_eq!(to_pref.items[0].unit_cost, m("0.04"));
    let to_first = out
        .orders
        .iter()
        .find(|o| o.supplier_id == fx.supplier)
        .unwrap();
    assert_eq!(to_first.items[0].product_id, btx);
    assert_eq!(to_first.items[0].ordered, qi(49));
    assert!(out
        .orders
        .iter()
        .all(|o| o.status == PurchaseOrderStatus::Draft));
}

#[test]
fn vendor_performance_is_computed_from_history() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let slow = supplier(&mut fx, "Slow Ltd", false);
    let at = |d: i64| Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap() + Duration::days(d);
    let submit = |fx: &mut Fx, s: SupplierId, qty: i64, expected: i64| {
        let mut req = order(s, vec![line(pcm, qty, "1")]);
        req.expected_date = Some(day(expected));
        let o = fx.run(req);
        fx.run(SubmitPurchaseOrder {
            purchase_order_id: o.id,
            approver_name: None,
            approver_pin: None,
        })
    };
    // Fixture supplier: order A (day 0, expected day 5) received in full on day 3: on time,
    // lead 3; order B (day 0, expected day 2) first receipt day 4 (8 good, 2 damaged), rest
    // cancelled on day 6: closed on day 4, late, lead 4.
    let first = fx.supplier;
    let a = submit(&mut fx, first, 10, 5);
    let b = submit(&mut fx, first, 20, 2);
    fx.set_now(at(3));
    fx.run(receive(a.id, vec![recv(&a.items[0], "A1", 10)]));
    fx.set_now(at(4));
    let mut part = recv(&b.items[0], "B1", 8);
    part.damaged = Some(qi(2));
    fx.run(receive(b.id, vec![part]));
    fx.set_now(at(6));
    fx.run(CancelPurchaseOrder {
        purchase_order_id: b.id,
        reason: "rest never came".into(),
    });
    // Slow Ltd: one order on day 6, expected day 8, received day 10 with 5 rejected of 10.
    let c = submit(&mut fx, slow, 5, 8);
    fx.set_now(at(10));
    let mut l = recv(&c.items[0], "C1", 5);
    l.rejected = Some(qi(5));
    fx.run(receive(c.id, vec![l]));
    // A draft never counts.
    fx.run(order(slow, vec![line(pcm, 1, "1")]));

    let perf = fx.run(GetVendorPerformance::default());
    assert_eq!(perf.len(), 2);
    let first = perf.iter().find(|p| p.supplier_id == fx.supplier).unwrap();
    assert_eq!(first.orders, 2);
    assert_eq!(first.orders_received, 2);
    assert_eq!(first.received_with_expected_date, 2);
    assert_eq!(first.received_on_time, 1);
    assert_eq!(first.on_time_rate, Some(Decimal::from(50)));
    assert_eq!(first.average_lead_time_days, Some(Decimal::new(35, 1)));
    assert_eq!(first.delivered, qi(20));
    assert_eq!(first.damaged, qi(2));
    assert_eq!(first.quality_issue_rate, Some(Decimal::from(10)));
    let s = perf.iter().find(|p| p.supplier_id == slow).unwrap();
    assert_eq!(s.orders, 1);
    assert_eq!(s.on_time_rate, Some(Decimal::ZERO));
    assert_eq!(s.average_lead_time_days, Some(Decimal::from(4)));
    assert_eq!(s.quality_issue_rate, Some(Decimal::from(50)));
    assert!(!s.is_preferred);
}

/// One random receipt: for each of the two lines, accepted, damaged, rejected.
fn receipt() -> impl Strategy<Value = Vec<(u8, u8, u8)>> {
    prop::collection::vec((0u8..5, 0u8..3, 0u8..2), 2)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
    #[test]
    fn order_status_and_stock_follow_the_receiving_lines(
        receipts in prop::collection::vec(receipt(), 1..6),
    ) {
        let mut fx = store_a();
        let (o, pcm, btx) = submitted(&mut fx);
        let products = [pcm, btx];
        let ordered = [10i64, 20];
        let mut accepted = [0i64, 0];
        for (n, r) in receipts.iter().enumerate() {
            let mut lines = Vec::new();
            let mut want = accepted;
            for (i, (a, d, rej)) in r.iter().enumerate() {
                if a + d + rej == 0 {
                    continue;
                }
                want[i] += i64::from(*a);
                lines.push(OrderReceiptLine {
                    damaged: Some(qi(i64::from(*d))),
                    rejected: Some(qi(i64::from(*rej))),
                    ..recv(&o.items[i], &format!("L{i}-{n}"), i64::from(*a))
                });
            }
            if lines.is_empty() {
                continue;
            }
            let over = (0..2).any(|i| want[i] > ordered[i]);
            let res = fx.as_user(fx.admin, receive(o.id, lines));
            if over {
                prop_assert_eq!(res.unwrap_err().kind(), "invalid_input");
            } else {
                res.unwrap();
                accepted = want;
            }
            let got = fx.run(GetPurchaseOrder { purchase_order_id: o.id });
            let raw = fx.raw();
            for (i, item) in got.items.iter().enumerate() {
                let sum: i64 = raw
                    .query_row(
                        "SELECT COALESCE(SUM(accepted_milli), 0) FROM receiving_lines WHERE item_id = ?1",
                        [item.id.to_string()],
                        |r| r.get(0),
                    )
                    .unwrap();
                prop_assert_eq!(item.received, Qty::from_scaled(sum));
                prop_assert_eq!(item.received, qi(accepted[i]));
                prop_assert_eq!(on_hand(&mut fx, products[i]), qi(accepted[i]));
            }
            let any = raw
                .query_row("SELECT COUNT(*) FROM receiving_records WHERE order_id = ?1", [o.id.to_string()], |r| r.get::<_, i64>(0))
                .unwrap();
            let expected = if (0..2).all(|i| accepted[i] >= ordered[i]) {
                PurchaseOrderStatus::Received
            } else if any > 0 {
                PurchaseOrderStatus::PartialReceived
            } else {
                PurchaseOrderStatus::Submitted
            };
            prop_assert_eq!(got.status, expected);
            if got.status == PurchaseOrderStatus::Received {
                break;
            }
        }
        fx.assert_verified();
    }
}
