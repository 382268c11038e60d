//! The till, end to end on real files: settings, scanning (batch decisions,
//! refusals, a scan never writes), carts that survive a restart, exact
//! totals, discounts and overrides within limits or with a manager's PIN,
//! holds that reserve and lapse, idempotent completion with split payments,
//! all-or-nothing allocation, two tills racing for the last unit, receipts,
//! returns (restock, quarantine, waste), voids, shifts with X/Z reports, and
//! the security log of failed PINs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use pharmapos_engine::auth::{sign_in, SignInRequest};
use pharmapos_engine::catalogue::products::ProductFields;
use pharmapos_engine::ids::{BatchId, CartId, ProductId, SaleId};
use pharmapos_engine::num::Money;
use pharmapos_engine::sales::cart::{
    AddCartLine, CartView, GetCart, OpenCart, RemoveCartLine, UpdateCartLine,
};
use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
use pharmapos_engine::sales::discounts::{OverrideLinePrice, SetCartDiscount, SetLineDiscount};
use pharmapos_engine::sales::holds::{HoldCart, ListHeldCarts, ResumeCart};
use pharmapos_engine::sales::receipt::{FindSale, GetReceipt, ListSales, Receipt};
use pharmapos_engine::sales::returns::{ReturnDisposition, ReturnItems, ReturnLineInput, VoidSale};
use pharmapos_engine::sales::scan::{BatchDecision, Refusal, ScanBarcode, ScanToCart};
use pharmapos_engine::sales::settings::{GetTillSettings, UpdateTillSettings};
use pharmapos_engine::sales::shifts::{CloseShift, GetShiftReport, OpenShift};
use pharmapos_engine::sales::{Discount, DiscountKind};
use pharmapos_engine::security::ListSecurityLog;
use pharmapos_engine::stock::reservations::ReleaseExpiredReservations;
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::{Result, Session};
use std::sync::{Arc, Barrier};

const TILL: &str = "till-1";
const TILL2: &str = "till-2";

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

/// Amoxicillin 500mg capsules: prescription-only, 7.5 % tax, 2.00 each.
fn amoxicillin(fx: &mut Fx) -> ProductId {
    fx.product(
        "AMX-500",
        "Amoxicillin 500mg",
        ProductFields {
            unit: Some("capsule".into()),
            prescription_only: Some(true),
            cost_price: Some(money("1.20")),
            selling_price: Some(money("2.00")),
            tax_rate: Some("7.5".parse().unwrap()),
            barcodes: Some(vec!["09506000134352".into()]),
            ..Default::default()
        },
    )
}

/// Vitamin C 1000: 10.00 (cost 6.00), 7.5 % tax, barcode stored as EAN-13.
fn vitamin_c(fx: &mut Fx) -> ProductId {
    fx.product(
        "VTC-1000",
        "Vitamin C 1000mg",
        ProductFields {
            unit: Some("pack".into()),
            cost_price: Some(money("6.00")),
            selling_price: Some(money("10.00")),
            tax_rate: Some("7.5".parse().unwrap()),
            barcodes: Some(vec!["4006381333931".into()]),
            ..Default::default()
        },
    )
}

fn shift(fx: &mut Fx, who: Session, till: &str, float: &str) {
    fx.as_user(
        who,
        OpenShift {
            terminal_id: till.into(),
            opening_float: money(float),
            store_id: None,
        },
    )
    .unwrap();
}

fn cart(fx: &mut Fx, who: Session, till: &str) -> CartId {
    fx.as_user(
        who,
        OpenCart {
            terminal_id: till.into(),
            store_id: None,
        },
    )
    .unwrap()
    .cart_id
}

fn add_req(cart: CartId, p: ProductId, qty: &str) -> AddCartLine {
    AddCartLine {
        cart_id: cart,
        product_id: p,
        quantity: Some(q(qty)),
        batch_id: None,
        prescription_reference: None,
    }
}

fn add(fx: &mut Fx, who: Session, cart: CartId, p: ProductId, qty: &str) -> CartView {
    fx.as_user(who, add_req(cart, p, qty)).unwrap()
}

fn cash(amount: &str) -> PaymentInput {
    PaymentInput {
        tender: "cash".into(),
        amount: money(amount),
        reference: None,
    }
}

fn card(amount: &str, reference: &str) -> PaymentInput {
    PaymentInput {
        tender: "card".into(),
        amount: money(amount),
        reference: Some(reference.into()),
    }
}

fn complete(
    fx: &mut Fx,
    who: Session,
    cart: CartId,
    payments: Vec<PaymentInput>,
) -> Result<Receipt> {
    fx.as_user(
        who,
        CompleteSale {
            sale_id: SaleId::new(),
            cart_id: cart,
            payments,
        },
    )
}

fn scan(fx: &mut Fx, code: &str) -> Result<pharmapos_engine::sales::scan::ScanResult> {
    let c = fx.cashier;
    fx.as_user(
        c,
        ScanBarcode {
            code: code.into(),
            store_id: None,
        },
    )
}

fn recall(fx: &mut Fx, b: BatchId) {
    fx.run(SetBatchStatus {
        batch_id: b,
        status: BatchStatus::Recalled,
        reason: Some("manufacturer recall".into()),
        recall_class: Some("II".into()),
    });
}

// ---------------------------------------------------------------- settings

#[test]
fn till_settings_have_defaults_and_only_managers_change_them() {
    let mut fx = store_a();
    let c = fx.cashier;
    let s = fx.as_user(c, GetTillSettings { store_id: None }).unwrap();
    assert!(s.prices_include_tax);
    assert_eq!(s.tenders, vec!["cash", "card"]);
    assert_eq!(s.sale_prefix, "S");
    assert_eq!(s.hold_ttl_minutes, 60);
    let change = UpdateTillSettings {
        rounding_increment: Some(money("0.05")),
        tenders: Some(vec!["cash".into(), "card".into(), "mobile_money".into()]),
        ..Default::default()
    };
    assert_kind(fx.as_user(c, change.clone()), "forbidden");
    let m = fx.manager;
    let s = fx.as_user(m, change).unwrap();
    assert_eq!(s.rounding_increment, money("0.05"));
    assert_eq!(s.tenders.len(), 3);
    assert_kind(
        fx.as_user(
            m,
            UpdateTillSettings {
                tenders: Some(vec!["Cash!".into()]),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    assert_kind(
        fx.as_user(
            m,
            UpdateTillSettings {
                cashier_discount_limit_percent: Some("101".parse().unwrap()),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

// ---------------------------------------------------------------- scanning

#[test]
fn scans_resolve_every_gtin_form_and_decide_the_batch() {
    let mut fx = store_a();
    let amx = amoxicillin(&mut fx);
    let vit = vitamin_c(&mut fx);
    let good = fx.receive(amx, "ABC123", day(300), 50);
    fx.receive(amx, "OLDER", day(100), 50);

    // Plain EAN-13 stored, GTIN-14 scanned (and the other way round).
    let r = scan(&mut fx, "04006381333931").unwrap();
    assert_eq!(r.product.id, vit);
    assert_eq!(r.decision, BatchDecision::Fefo);
    let r = scan(&mut fx, "4006381333931").unwrap();
    assert_eq!(r.product.id, vit);
    let r = scan(&mut fx, "9506000134352").unwrap();
    assert_eq!(r.product.id, amx);
    assert!(r.prescription_only);
    assert_eq!(r.price, money("2.00"));

    // The published bracket form names batch ABC123: sell from it.
    let r = scan(&mut fx, "(01)09506000134352(17)261225(10)ABC123").unwrap();
    assert_eq!(r.decision, BatchDecision::UseBatch);
    assert_eq!(r.batch.as_ref().unwrap().batch_id, good);
    assert_eq!(r.available, q("100"));
    // The same as a DataMatrix element string with FNC1 and count (30).
    let r = scan(
        &mut fx,
        "]d2010950600013435217261225 10ABC123\u{1d}3012"
            .replace(' ', "")
            .as_str(),
    )
    .unwrap();
    assert_eq!(r.decision, BatchDecision::UseBatch);
    assert_eq!(r.quantity, qi(12));
    // A batch this store does not know: FEFO.
    let r = scan(&mut fx, "]C10109506000134352\u{1d}10NOPE").unwrap();
    assert_eq!(r.decision, BatchDecision::Fefo);
    assert!(r.batch.is_none());

    // Unknown GTIN, bad check digit, garbage.
    assert_kind(scan(&mut fx, "96385074"), "not_found");
    assert_kind(scan(&mut fx, "4006381333932"), "invalid_input");
    assert_kind(scan(&mut fx, "(99"), "invalid_input");
    assert_kind(scan(&mut fx, ""), "invalid_input");
}

#[test]
fn expired_recalled_and_quarantined_packs_are_refused_and_a_scan_never_writes() {
    let mut fx = store_a();
    let amx = amoxicillin(&mut fx);
    let expired = fx.receive_backdated(amx, "EXP1", day(-10), 5);
    let recalled = fx.receive(amx, "REC1", day(200), 5);
    let quarantined = fx.receive(amx, "QUA1", day(200), 5);
    recall(&mut fx, recalled);
    fx.run(SetBatchStatus {
        batch_id: quarantined,
        status: BatchStatus::Quarantine,
        reason: None,
        recall_class: None,
    });
    let before = fx.event_count();

    let r = scan(&mut fx, "(01)09506000134352(10)EXP1").unwrap();
    assert_eq!(r.decision, BatchDecision::Refused);
    assert_eq!(r.refusal, Some(Refusal::Expired));
    let r = scan(&mut fx, "(01)09506000134352(10)REC1").unwrap();
    assert_eq!(r.refusal, Some(Refusal::Recalled));
    assert!(r.message.contains("recalled"));
    let r = scan(&mut fx, "(01)09506000134352(10)QUA1").unwrap();
    assert_eq!(r.refusal, Some(Refusal::Quarantine));
    // The pack's own printed expiry is past: refused even with no batch.
    let r = scan(&mut fx, "(01)09506000134352(17)251200").unwrap();
    assert_eq!(r.refusal, Some(Refusal::Expired));
    // A pack whose printed expiry differs from the record: reported, not written.
    let r = scan(&mut fx, "(01)09506000134352(17)301231(10)REC1").unwrap();
    assert!(r.message.contains("not changed"));
    assert_eq!(
        fx.batch(recalled).expiry_date.as_deref(),
        Some(day(200).to_string().as_str())
    );
    assert_eq!(
        fx.batch(expired).expiry_date.as_deref(),
        Some(day(-10).to_string().as_str())
    );
    assert_eq!(fx.event_count(), before, "a scan appends nothing");

    // And the cart refuses the refused batch.
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    let mut req = add_req(id, amx, "1");
    req.batch_id = Some(recalled);
    req.prescription_reference = Some("RX-1".into());
    assert_kind(fx.as_user(c, req.clone()), "batch_not_sellable");
    req.batch_id = Some(expired);
    assert_kind(fx.as_user(c, req), "batch_not_sellable");
}

#[test]
fn scan_to_cart_adds_a_sellable_pack_in_one_step_and_adds_nothing_otherwise() {
    let mut fx = store_a();
    let amx = amoxicillin(&mut fx);
    let vit = vitamin_c(&mut fx);
    fx.receive(vit, "VC1", day(300), 40);
    fx.receive(amx, "ABC123", day(300), 50);
    let rec = fx.receive(amx, "REC1", day(200), 5);
    recall(&mut fx, rec);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    let to_cart = |code: &str| ScanToCart {
        cart_id: id,
        code: code.into(),
    };

    // A plain EAN: FEFO line of one, the same as scan_barcode then add_cart_line.
    let r = fx.as_user(c, to_cart("4006381333931")).unwrap();
    assert_eq!(r.scan.product.id, vit);
    assert_eq!(r.scan.decision, BatchDecision::Fefo);
    let v = r.cart.expect("a sellable pack is added");
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.lines[0].product_id, vit);
    assert_eq!(v.lines[0].quantity, qi(1));
    // The same pack again: one line of two.
    let v = fx
        .as_user(c, to_cart("4006381333931"))
        .unwrap()
        .cart
        .unwrap();
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.lines[0].quantity, qi(2));

    // Prescription-only and refused packs: the scan comes back, nothing is added.
    let r = fx
        .as_user(c, to_cart("(01)09506000134352(10)ABC123"))
        .unwrap();
    assert!(r.scan.prescription_only);
    assert_eq!(r.scan.decision, BatchDecision::UseBatch);
    assert!(r.cart.is_none());
    let r = fx
        .as_user(c, to_cart("(01)09506000134352(10)REC1"))
        .unwrap();
    assert_eq!(r.scan.refusal, Some(Refusal::Recalled));
    assert!(r.cart.is_none());
    // Errors change nothing.
    assert_kind(fx.as_user(c, to_cart("96385074")), "not_found");
    assert_kind(fx.as_user(c, to_cart("4006381333932")), "invalid_input");
    let v = fx.as_user(c, GetCart { cart_id: id }).unwrap();
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.lines[0].quantity, qi(2));
}

// ---------------------------------------------------------------- carts

#[test]
fn a_cart_survives_a_restart_and_checks_units_and_prescriptions() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let amx = amoxicillin(&mut fx);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, pcm, "2");
    add(&mut fx, c, id, pcm, "3"); // same product, same batch: one line
    assert_kind(fx.as_user(c, add_req(id, pcm, "0.5")), "invalid_input");
    let e = assert_kind(
        fx.as_user(c, add_req(id, amx, "1")),
        "prescription_required",
    );
    assert!(e.to_string().contains("prescription"));
    assert_eq!(e.details()["product_id"], amx.to_string());
    let mut rx = add_req(id, amx, "1");
    rx.prescription_reference = Some("RX-2026-001".into());
    let v = fx.as_user(c, rx).unwrap();
    assert_eq!(v.lines.len(), 2);
    assert_eq!(v.lines[0].quantity, qi(5));

    // Power cut: a new connection, the same user and till get the same cart.
    let path = fx.path.clone();
    fx.db = open(&path);
    let again = fx
        .as_user(
            c,
            OpenCart {
                terminal_id: TILL.into(),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(again.cart_id, id);
    assert_eq!(again.lines.len(), 2);
    assert_eq!(
        again.lines[1].prescription_reference.as_deref(),
        Some("RX-2026-001")
    );
    // Another till (or another user) gets its own cart.
    let other = cart(&mut fx, c, TILL2);
    assert_ne!(other, id);
    let m = fx.manager;
    assert_ne!(cart(&mut fx, m, TILL), id);

    let line = again.lines[0].line_id;
    let v = fx
        .as_user(
            c,
            UpdateCartLine {
                cart_id: id,
                line_id: line,
                quantity: Some(qi(1)),
                prescription_reference: None,
                batch_id: None,
                use_fefo: None,
            },
        )
        .unwrap();
    assert_eq!(v.lines[0].quantity, qi(1));
    let v = fx
        .as_user(
            c,
            RemoveCartLine {
                cart_id: id,
                line_id: line,
            },
        )
        .unwrap();
    assert_eq!(v.lines.len(), 1);
    // Someone else's cart cannot be changed by a cashier.
    let other_cashier = fx.run(pharmapos_engine::catalogue::users::CreateUser {
        name: "carl".into(),
        role: pharmapos_engine::auth::Role::Cashier,
        pin: Some("4444".into()),
        store_id: None,
        stores: None,
        head_office: None,
    });
    let carl = Session {
        user_id: other_cashier.id,
    };
    assert_kind(fx.as_user(carl, add_req(id, pcm, "1")), "forbidden");
}

#[test]
fn totals_are_exact_with_tax_inclusive_or_exclusive_and_cash_rounding() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let pcm = fx.paracetamol(); // 0.20, no tax
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "3");
    let v = add(&mut fx, c, id, pcm, "7");
    // Inclusive: 30.00 + 1.40; tax 30 × 7.5 / 107.5 = 2.0930 → 2.09.
    assert_eq!(v.totals.subtotal, money("31.40"));
    assert_eq!(v.totals.tax, money("2.09"));
    assert_eq!(v.totals.total, money("31.40"));
    assert_eq!(v.lines[0].tax, money("2.09"));
    assert_eq!(v.totals.taxes.len(), 1);
    assert_eq!(v.totals.taxes[0].taxable, money("27.91"));

    let m = fx.manager;
    fx.as_user(
        m,
        UpdateTillSettings {
            prices_include_tax: Some(false),
            rounding_increment: Some(money("0.05")),
            ..Default::default()
        },
    )
    .unwrap();
    let v = fx.as_user(c, GetCart { cart_id: id }).unwrap();
    // Exclusive: 30.00 + 2.25 tax + 1.40 = 33.65.
    assert_eq!(v.totals.tax, money("2.25"));
    assert_eq!(v.totals.total_before_rounding, money("33.65"));
    assert_eq!(v.totals.total, money("33.65"));
    // A 5 % cart discount (within the cashier's 10 %): 31.40 − 1.57 = 29.83,
    // tax on the discounted vitamin line 28.50 × 7.5 % = 2.14 (2.1375).
    let v = fx
        .as_user(
            c,
            SetCartDiscount {
                cart_id: id,
                discount: Some(Discount {
                    kind: DiscountKind::Percent,
                    value: money("5"),
                }),
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(v.totals.discount, money("1.57"));
    let shares: Money = v.lines.iter().fold(Money::ZERO, |a, l| a + l.cart_discount);
    assert_eq!(shares, money("1.57"));
    assert_eq!(v.totals.tax, money("2.14"));
    assert_eq!(v.totals.total_before_rounding, money("31.97"));
    assert_eq!(v.totals.total, money("31.95"));
    assert_eq!(v.totals.rounding, money("-0.02"));
    assert!(v.discount_approved_by.is_none());
}

#[test]
fn discounts_above_the_limit_and_price_overrides_need_a_managers_pin() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    let line = add(&mut fx, c, id, vit, "2").lines[0].line_id;
    let disc = |value: &str, name: Option<&str>, pin: Option<&str>| SetLineDiscount {
        cart_id: id,
        line_id: line,
        discount: Some(Discount {
            kind: DiscountKind::Percent,
            value: money(value),
        }),
        approver_name: name.map(str::to_string),
        approver_pin: pin.map(str::to_string),
    };
    // 10 % is the limit: allowed alone.
    let v = fx.as_user(c, disc("10", None, None)).unwrap();
    assert_eq!(v.lines[0].line_discount, money("2.00"));
    assert!(v.lines[0].discount_approved_by.is_none());
    // 25 % needs a manager; the refusal says what, how much, over which
    // limit and who asked, and so does a refused PIN.
    let e = assert_kind(fx.as_user(c, disc("25", None, None)), "approval_required");
    let facts = serde_json::json!({"measure": "percent", "amount": "25", "limit": "10", "requested_by": CASHIER});
    for k in ["measure", "amount", "limit", "requested_by"] {
        assert_eq!(e.details()[k], facts[k], "{k}: {}", e.to_json());
    }
    let e = assert_kind(
        fx.as_user(c, disc("25", Some(MANAGER), Some("9999"))),
        "approval_required",
    );
    assert_eq!(e.details()["amount"], "25");
    assert_eq!(e.details()["limit"], "10");
    assert_eq!(e.details()["requested_by"], CASHIER);
    assert_kind(
        fx.as_user(c, disc("25", Some(CASHIER), Some(CASHIER_PIN))),
        "forbidden",
    );
    let v = fx
        .as_user(c, disc("25", Some(MANAGER), Some(MANAGER_PIN)))
        .unwrap();
    assert_eq!(v.lines[0].line_discount, money("5.00"));
    let mgr_id = fx.manager.user_id;
    assert_eq!(v.lines[0].discount_approved_by, Some(mgr_id));
    // An amount larger than the line is refused.
    let too_much = SetLineDiscount {
        cart_id: id,
        line_id: line,
        discount: Some(Discount {
            kind: DiscountKind::Amount,
            value: money("20.01"),
        }),
        approver_name: Some(MANAGER.into()),
        approver_pin: Some(MANAGER_PIN.into()),
    };
    assert_kind(fx.as_user(c, too_much), "invalid_input");

    // Price override: always a manager.
    let ov = |price: &str, pin: Option<&str>| OverrideLinePrice {
        cart_id: id,
        line_id: line,
        unit_price: Some(money(price)),
        approver_name: pin.map(|_| MANAGER.to_string()),
        approver_pin: pin.map(str::to_string),
    };
    let e = assert_kind(fx.as_user(c, ov("8.00", None)), "approval_required");
    assert_eq!(e.details()["measure"], "money");
    assert_eq!(e.details()["amount"], "8.00");
    assert_eq!(
        e.details()["limit"],
        serde_json::Value::Null,
        "every override needs a manager"
    );
    let v = fx.as_user(c, ov("8.00", Some(MANAGER_PIN))).unwrap();
    assert_eq!(v.lines[0].unit_price, money("8.00"));
    assert_eq!(v.lines[0].list_price, money("10.00"));
    assert_eq!(v.lines[0].price_overridden_by, Some(mgr_id));

    // The failed approvals are in the security log, with who asked.
    let log = fx.run(ListSecurityLog::default());
    let failed: Vec<_> = log
        .iter()
        .filter(|e| e.event == "approval_failed")
        .collect();
    assert_eq!(failed.len(), 2, "{log:?}");
    assert!(failed
        .iter()
        .any(|e| e.outcome == "wrong_pin" && e.user_name == MANAGER));
    assert!(failed.iter().any(|e| e.outcome == "not_a_manager"));
    assert!(failed
        .iter()
        .all(|e| e.actor_name.as_deref() == Some(CASHIER)));
    assert_kind(fx.as_user(c, ListSecurityLog::default()), "forbidden");
}

#[test]
fn wrong_approval_pins_lock_the_manager_like_sign_ins_and_sign_in_failures_are_logged() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    let line = add(&mut fx, c, id, vit, "1").lines[0].line_id;
    for _ in 0..pharmapos_engine::auth::MAX_PIN_ATTEMPTS {
        let r = fx.as_user(
            c,
            OverrideLinePrice {
                cart_id: id,
                line_id: line,
                unit_price: Some(money("1")),
                approver_name: Some(MANAGER.into()),
                approver_pin: Some("0000".into()),
            },
        );
        assert!(r.is_err());
    }
    // Now even the right PIN is refused until the lock ends.
    let r = fx.as_user(
        c,
        OverrideLinePrice {
            cart_id: id,
            line_id: line,
            unit_price: Some(money("1")),
            approver_name: Some(MANAGER.into()),
            approver_pin: Some(MANAGER_PIN.into()),
        },
    );
    assert_kind(r, "locked");
    assert!(sign_in(
        &mut fx.db,
        &SignInRequest {
            name: "nobody".into(),
            pin: "1234".into(),
        },
    )
    .is_err());
    assert!(sign_in(
        &mut fx.db,
        &SignInRequest {
            name: CASHIER.into(),
            pin: "0000".into(),
        },
    )
    .is_err());
    let log = fx.run(ListSecurityLog::default());
    assert!(log
        .iter()
        .any(|e| e.event == "sign_in_failed" && e.outcome == "unknown_user"));
    assert!(log
        .iter()
        .any(|e| e.event == "sign_in_failed" && e.outcome == "wrong_pin"));
    assert!(log.iter().any(|e| e.outcome == "locked"));
}

#[test]
fn a_wrong_pin_on_a_stock_adjustment_is_logged_too() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 50);
    let c = fx.cashier;
    let r = fx.as_user(
        c,
        pharmapos_engine::stock::adjust::AdjustStock {
            batch_id: b,
            quantity_change: qi(-20),
            reason: pharmapos_engine::stock::adjust::AdjustmentReason::Damage,
            notes: None,
            approver_name: Some(MANAGER.into()),
            approver_pin: Some("0000".into()),
        },
    );
    // The approver was refused; the cashier's own session stands.
    assert_kind(r, "approval_required");
    let log = fx.run(ListSecurityLog::default());
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action.as_deref(), Some("a stock adjustment"));
    assert_eq!(log[0].outcome, "wrong_pin");
}

#[test]
fn approvals_at_the_till_and_on_stock_go_through_one_service() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 50);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    let line = add(&mut fx, c, id, vit, "1").lines[0].line_id;
    let discount = |pin: &str| SetLineDiscount {
        cart_id: id,
        line_id: line,
        discount: Some(Discount {
            kind: DiscountKind::Percent,
            value: money("50"),
        }),
        approver_name: Some(MANAGER.into()),
        approver_pin: Some(pin.into()),
    };
    let adjustment = |pin: &str| pharmapos_engine::stock::adjust::AdjustStock {
        batch_id: b,
        quantity_change: qi(-20),
        reason: pharmapos_engine::stock::adjust::AdjustmentReason::Damage,
        notes: None,
        approver_name: Some(MANAGER.into()),
        approver_pin: Some(pin.into()),
    };
    // One wrong PIN from each area: the same refusal, logged the same way.
    let till = fx.as_user(c, discount("0000")).unwrap_err();
    let stock = fx.as_user(c, adjustment("0000")).unwrap_err();
    assert_eq!(
        (till.kind(), stock.kind()),
        ("approval_required", "approval_required")
    );
    assert_eq!(till.to_string(), stock.to_string());
    let log = fx.run(ListSecurityLog::default());
    assert_eq!(log.len(), 2);
    let mut actions: Vec<_> = log.iter().map(|e| e.action.clone().unwrap()).collect();
    actions.sort();
    assert_eq!(
        actions,
        [
            "a discount above the cashier limit (the line's own and the cart's together)",
            "a stock adjustment"
        ]
    );
    let shape = |e: &pharmapos_engine::security::SecurityLogEntry| {
        (
            e.event.clone(),
            e.user_name.clone(),
            e.user_id,
            e.actor_id,
            e.outcome.clone(),
            e.detail.clone(),
        )
    };
    assert_eq!(shape(&log[0]), shape(&log[1]));
    assert_eq!(log[0].event, "approval_failed");
    assert_eq!(log[0].user_id, Some(fx.manager.user_id));
    assert_eq!(log[0].actor_id, Some(c.user_id));
    assert_eq!(log[0].outcome, "wrong_pin");

    // Wrong PINs from both areas count against one lockout: alternating,
    // the manager is locked after MAX_PIN_ATTEMPTS in all, and then the
    // right PIN is refused in both areas alike.
    for i in 2..pharmapos_engine::auth::MAX_PIN_ATTEMPTS {
        if i % 2 == 0 {
            assert!(fx.as_user(c, discount("0000")).is_err());
        } else {
            assert!(fx.as_user(c, adjustment("0000")).is_err());
        }
    }
    assert_kind(fx.as_user(c, discount(MANAGER_PIN)), "locked");
    assert_kind(fx.as_user(c, adjustment(MANAGER_PIN)), "locked");
    let log = fx.run(ListSecurityLog::default());
    let wrong = log.iter().filter(|e| e.outcome == "wrong_pin").count();
    assert_eq!(wrong as i64, pharmapos_engine::auth::MAX_PIN_ATTEMPTS);
    assert!(log.iter().any(|e| e
        .detail
        .as_deref()
        .unwrap()
        .contains("approver locked until")));
    let mut locked: Vec<_> = log
        .iter()
        .filter(|e| e.outcome == "locked")
        .map(|e| e.action.clone().unwrap())
        .collect();
    locked.sort();
    assert_eq!(
        locked,
        [
            "a discount above the cashier limit (the line's own and the cart's together)",
            "a stock adjustment"
        ]
    );
    // Nothing was approved: no stock moved, no discount given.
    assert_eq!(fx.on_hand(b), qi(50));
    let v = fx.run(GetCart { cart_id: id });
    assert!(v.lines[0].discount_approved_by.is_none());
    assert_eq!(v.lines[0].line_discount, Money::ZERO);
    // Once the lock ends, the same service approves for both.
    fx.set_now(now() + Duration::minutes(pharmapos_engine::auth::LOCK_MINUTES + 1));
    let v = fx.as_user(c, discount(MANAGER_PIN)).unwrap();
    assert_eq!(v.lines[0].discount_approved_by, Some(fx.manager.user_id));
    let adj = fx.as_user(c, adjustment(MANAGER_PIN)).unwrap();
    assert_eq!(adj.approved_by, Some(fx.manager.user_id));
}

// ---------------------------------------------------------------- selling

#[test]
fn a_sale_needs_an_open_shift_and_takes_the_scanned_batch_else_fefo() {
    let mut fx = store_a();
    let amx = amoxicillin(&mut fx);
    let near = fx.receive(amx, "NEAR", day(30), 10);
    let far = fx.receive(amx, "ABC123", day(300), 10);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    let s = scan(&mut fx, "(01)09506000134352(10)ABC123").unwrap();
    let mut req = add_req(id, amx, "2");
    req.batch_id = s.batch.map(|b| b.batch_id);
    req.prescription_reference = Some("RX-9".into());
    fx.as_user(c, req).unwrap();
    let mut req = add_req(id, amx, "3");
    req.prescription_reference = Some("RX-9".into());
    fx.as_user(c, req).unwrap();
    let e = assert_kind(complete(&mut fx, c, id, vec![cash("20")]), "no_open_shift");
    assert!(e.to_string().contains("shift"));
    assert_eq!(e.details()["terminal_id"], TILL);
    shift(&mut fx, c, TILL, "100");
    let r = complete(&mut fx, c, id, vec![cash("20")]).unwrap();
    assert_eq!(r.sale_number, "STA-S-000001");
    assert_eq!(r.total, money("10.00"));
    assert_eq!(r.change, money("10.00"));
    assert_eq!(fx.on_hand(far), qi(8), "the scanned pack's batch");
    assert_eq!(fx.on_hand(near), qi(7), "FEFO for the unscanned line");
    assert_eq!(
        r.lines[0].batches[0].batch_number.as_deref(),
        Some("ABC123")
    );
    assert_eq!(r.lines[1].prescription_reference.as_deref(), Some("RX-9"));
    // Every stock event of the sale carries its number.
    let refs: i64 = fx
        .raw()
        .query_row(
            "SELECT COUNT(*) FROM inventory_audit WHERE change_type = 'allocated' AND reference_id = 'STA-S-000001'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(refs, 2);
    // The cart is closed; the till's next open_cart is a new one.
    assert_ne!(cart(&mut fx, c, TILL), id);
    fx.assert_verified();
}

#[test]
fn completion_is_idempotent_and_split_payments_must_cover_the_total() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(200), 10);
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "50");
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "3");
    let sale_id = SaleId::new();
    let req = |payments: Vec<PaymentInput>| CompleteSale {
        sale_id,
        cart_id: id,
        payments,
    };
    assert_kind(fx.as_user(c, req(vec![cash("29.99")])), "invalid_input");
    assert_kind(fx.as_user(c, req(vec![card("31", "X")])), "invalid_input");
    assert_kind(
        fx.as_user(
            c,
            req(vec![PaymentInput {
                tender: "cheque".into(),
                amount: money("30"),
                reference: None,
            }]),
        ),
        "invalid_input",
    );
    let first = fx
        .as_user(c, req(vec![card("25.00", "AUTH-7781"), cash("10")]))
        .unwrap();
    assert_eq!(first.total, money("30.00"));
    assert_eq!(first.paid, money("35.00"));
    assert_eq!(first.change, money("5.00"));
    assert_eq!(first.payments.len(), 2);
    assert_eq!(first.payments[0].reference.as_deref(), Some("AUTH-7781"));
    // A retry (lost answer) returns the same sale and sells nothing more.
    let events = fx.event_count();
    let again = fx
        .as_user(c, req(vec![card("25.00", "AUTH-7781"), cash("10")]))
        .unwrap();
    assert_eq!(again.sale_number, first.sale_number);
    assert_eq!(fx.on_hand(b), qi(7));
    assert_eq!(fx.event_count(), events);
    // The same cart with a new id is refused; the same id for another cart too.
    assert_kind(complete(&mut fx, c, id, vec![cash("30")]), "cart_not_open");
    let other = cart(&mut fx, c, TILL);
    add(&mut fx, c, other, vit, "1");
    assert_kind(
        fx.as_user(
            c,
            CompleteSale {
                sale_id,
                cart_id: other,
                payments: vec![cash("10")],
            },
        ),
        "conflict",
    );
    // Reprint and lookup by number give the same receipt.
    let reprint = fx.as_user(c, GetReceipt { sale_id }).unwrap();
    assert_eq!(reprint.total, first.total);
    let found = fx
        .as_user(
            c,
            FindSale {
                sale_number: first.sale_number.to_lowercase(),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(found.sale_id, sale_id);
    let r = complete(&mut fx, c, other, vec![cash("10")]).unwrap();
    assert_eq!(
        r.sale_number, "STA-S-000002",
        "numbers are sequential per store"
    );
    let list = fx
        .as_user(
            c,
            ListSales {
                terminal_id: Some(TILL.into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].total, money("10.00"));
    assert_eq!(list[1].sale_id, sale_id);
}

#[test]
fn a_short_line_fails_the_whole_sale_and_says_what_can_be_sold() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let pcm = fx.paracetamol();
    let v1 = fx.receive(vit, "V1", day(200), 5);
    let p1 = fx.receive(pcm, "P1", day(200), 3);
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "0");
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "2");
    let v = add(&mut fx, c, id, pcm, "4");
    assert!(v.lines[1].short);
    assert_eq!(v.lines[1].available, qi(3));
    let events = fx.event_count();
    let e = assert_kind(
        complete(&mut fx, c, id, vec![cash("100")]),
        "insufficient_stock",
    );
    assert_eq!(e.details()["available"], "3");
    assert_eq!(e.details()["requested"], "4");
    assert_eq!(fx.on_hand(v1), qi(5), "nothing moved");
    assert_eq!(fx.on_hand(p1), qi(3));
    assert_eq!(fx.event_count(), events);
    // An expired batch is never sold, by FEFO either.
    let amx = amoxicillin(&mut fx);
    fx.receive_backdated(amx, "OLD", day(-1), 5);
    let m = fx.manager;
    let id3 = cart(&mut fx, m, TILL);
    let mut req = add_req(id3, amx, "1");
    req.prescription_reference = Some("RX".into());
    fx.as_user(m, req).unwrap();
    assert_kind(
        complete(&mut fx, m, id3, vec![cash("5")]),
        "insufficient_stock",
    );
}

#[test]
fn two_tills_race_for_the_last_unit_and_exactly_one_sells_it() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "LAST", day(100), 1);
    let c = fx.cashier;
    let m = fx.manager;
    shift(&mut fx, c, TILL, "0");
    shift(&mut fx, m, TILL2, "0");
    let cart1 = cart(&mut fx, c, TILL);
    let cart2 = cart(&mut fx, m, TILL2);
    add(&mut fx, c, cart1, vit, "1");
    add(&mut fx, m, cart2, vit, "1");
    let barrier = Arc::new(Barrier::new(2));
    let path = fx.path.clone();
    let handles: Vec<_> = [(c, cart1), (m, cart2)]
        .into_iter()
        .map(|(who, id)| {
            let barrier = Arc::clone(&barrier);
            let path = path.clone();
            std::thread::spawn(move || {
                let mut db = open(&path);
                barrier.wait();
                db.execute(
                    &who,
                    CompleteSale {
                        sale_id: SaleId::new(),
                        cart_id: id,
                        payments: vec![cash("10")],
                    },
                )
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let sold = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(sold, 1, "{results:?}");
    let failed = results.into_iter().find_map(|r| r.err()).unwrap();
    assert_eq!(failed.kind(), "insufficient_stock");
    assert_eq!(fx.on_hand(b), qi(0));
    fx.assert_verified();
}

#[test]
fn completion_checks_everything_again() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let v1 = fx.receive(vit, "V1", day(100), 10);
    fx.receive(vit, "V2", day(200), 10);
    let c = fx.cashier;
    let m = fx.manager;
    shift(&mut fx, c, TILL, "0");
    let id = cart(&mut fx, c, TILL);
    let mut req = add_req(id, vit, "1");
    req.batch_id = Some(v1);
    let line = fx.as_user(c, req).unwrap().lines[0].line_id;
    // The scanned batch is recalled while the customer looks for cash.
    recall(&mut fx, v1);
    assert_kind(
        complete(&mut fx, c, id, vec![cash("10")]),
        "batch_not_sellable",
    );
    fx.as_user(
        c,
        RemoveCartLine {
            cart_id: id,
            line_id: line,
        },
    )
    .unwrap();
    // A 10 % discount within the limit, then the manager lowers the limit.
    let line = add(&mut fx, c, id, vit, "1").lines[0].line_id;
    fx.as_user(
        c,
        SetLineDiscount {
            cart_id: id,
            line_id: line,
            discount: Some(Discount {
                kind: DiscountKind::Percent,
                value: money("10"),
            }),
            approver_name: None,
            approver_pin: None,
        },
    )
    .unwrap();
    fx.as_user(
        m,
        UpdateTillSettings {
            cashier_discount_limit_percent: Some("5".parse().unwrap()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_kind(
        complete(&mut fx, c, id, vec![cash("10")]),
        "approval_required",
    );
    // A tender switched off meanwhile is refused.
    fx.as_user(
        m,
        UpdateTillSettings {
            cashier_discount_limit_percent: Some("10".parse().unwrap()),
            tenders: Some(vec!["cash".into()]),
            ..Default::default()
        },
    )
    .unwrap();
    assert_kind(
        complete(&mut fx, c, id, vec![card("9", "X")]),
        "invalid_input",
    );
    let r = complete(&mut fx, c, id, vec![cash("9")]).unwrap();
    assert_eq!(r.total, money("9.00"));
    assert_eq!(r.lines[0].batches[0].batch_number.as_deref(), Some("V2"));
    fx.assert_verified();
}

#[test]
fn editing_a_resumed_cart_gives_its_holds_back() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 5);
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "3");
    fx.as_user(
        c,
        HoldCart {
            cart_id: id,
            customer_name: None,
            note: None,
        },
    )
    .unwrap();
    assert_eq!(fx.batch(b).reserved, qi(3));
    // A held cart cannot be changed or sold before it is resumed.
    assert_kind(fx.as_user(c, add_req(id, vit, "1")), "cart_not_open");
    fx.as_user(
        c,
        ResumeCart {
            cart_id: id,
            terminal_id: TILL2.into(),
        },
    )
    .unwrap();
    assert_eq!(fx.batch(b).reserved, qi(3), "resuming keeps the holds");
    let v = add(&mut fx, c, id, vit, "1");
    assert!(v.holds.is_empty());
    assert_eq!(fx.batch(b).reserved, qi(0));
    assert_eq!(v.terminal_id, TILL2);
    fx.assert_verified();
}

// ---------------------------------------------------------------- holds

#[test]
fn a_held_cart_reserves_its_stock_until_resumed_and_sold() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 3);
    let c = fx.cashier;
    let m = fx.manager;
    shift(&mut fx, c, TILL, "0");
    shift(&mut fx, m, TILL2, "0");
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "2");
    let held = fx
        .as_user(
            c,
            HoldCart {
                cart_id: id,
                customer_name: Some("Mrs Okafor".into()),
                note: None,
            },
        )
        .unwrap();
    assert_eq!(held.status, "held");
    assert_eq!(held.holds.len(), 1);
    assert_eq!(fx.batch(b).available, qi(1));
    // A second till cannot sell the held units.
    let other = cart(&mut fx, m, TILL2);
    add(&mut fx, m, other, vit, "2");
    assert_kind(
        complete(&mut fx, m, other, vec![cash("20")]),
        "insufficient_stock",
    );
    let list = fx.as_user(c, ListHeldCarts::default()).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].customer_name.as_deref(), Some("Mrs Okafor"));
    assert!(!list[0].hold_lapsed);
    assert_eq!(list[0].total, money("20.00"));
    // The cashier's till now has a fresh cart; resume needs it empty.
    let fresh = cart(&mut fx, c, TILL);
    assert_ne!(fresh, id);
    let resumed = fx
        .as_user(
            c,
            ResumeCart {
                cart_id: id,
                terminal_id: TILL.into(),
            },
        )
        .unwrap();
    assert_eq!(resumed.status, "open");
    assert_eq!(resumed.holds.len(), 1);
    assert_eq!(resumed.lines[0].available, qi(3), "its own hold counts");
    complete(&mut fx, c, id, vec![cash("20")]).unwrap();
    assert_eq!(fx.on_hand(b), qi(1));
    assert_eq!(fx.batch(b).reserved, qi(0));
    let confirms: i64 = fx
        .raw()
        .query_row(
            "SELECT COUNT(*) FROM inventory_audit WHERE change_type = 'confirm_reserve'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        confirms, 1,
        "the hold was confirmed, not released and re-taken"
    );
    fx.assert_verified();
}

#[test]
fn a_lapsed_hold_gives_its_stock_back() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 2);
    let m = fx.manager;
    fx.as_user(
        m,
        UpdateTillSettings {
            hold_ttl_minutes: Some(15),
            ..Default::default()
        },
    )
    .unwrap();
    let c = fx.cashier;
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "2");
    fx.as_user(
        c,
        HoldCart {
            cart_id: id,
            customer_name: None,
            note: None,
        },
    )
    .unwrap();
    assert_eq!(fx.batch(b).available, qi(0));
    fx.set_now(now() + Duration::minutes(16));
    let list = fx.as_user(c, ListHeldCarts::default()).unwrap();
    assert!(list[0].hold_lapsed);
    let released = fx
        .as_user(c, ReleaseExpiredReservations { store_id: None })
        .unwrap();
    assert_eq!(released.len(), 1);
    assert_eq!(fx.batch(b).available, qi(2));
    // The cart can still be resumed and sold from free stock.
    shift(&mut fx, c, TILL, "0");
    let r = fx
        .as_user(
            c,
            ResumeCart {
                cart_id: id,
                terminal_id: TILL.into(),
            },
        )
        .unwrap();
    assert!(r.holds.is_empty());
    complete(&mut fx, c, id, vec![cash("20")]).unwrap();
    assert_eq!(fx.on_hand(b), qi(0));
    fx.assert_verified();
}

// ---------------------------------------------------------------- returns

fn sell(fx: &mut Fx, who: Session, p: ProductId, qty: &str, pay: &str) -> Receipt {
    let id = cart(fx, who, TILL);
    add(fx, who, id, p, qty);
    complete(fx, who, id, vec![cash(pay)]).unwrap()
}

fn ret(sale: &Receipt, line: usize, qty: &str, d: ReturnDisposition) -> ReturnItems {
    ReturnItems {
        sale_id: sale.sale_id,
        terminal_id: TILL.into(),
        lines: vec![ReturnLineInput {
            sale_line_id: sale.lines[line].sale_line_id,
            quantity: q(qty),
            disposition: Some(d),
            batch_id: None,
        }],
        tender: None,
        reason: Some("customer changed mind".into()),
        approver_name: None,
        approver_pin: None,
    }
}

#[test]
fn returns_go_back_to_their_batch_or_to_quarantine_or_waste_never_more_than_sold() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 10);
    let c = fx.cashier;
    let m = fx.manager;
    fx.as_user(
        m,
        UpdateTillSettings {
            cashier_refund_limit: Some(money("25")),
            ..Default::default()
        },
    )
    .unwrap();
    shift(&mut fx, c, TILL, "0");
    let sale = sell(&mut fx, c, vit, "6", "60");
    assert_eq!(fx.on_hand(b), qi(4));

    // Restock 1: back on V1.
    let r = fx
        .as_user(c, ret(&sale, 0, "1", ReturnDisposition::Restock))
        .unwrap();
    assert_eq!(r.refund, money("10.00"));
    assert_eq!(r.lines[0].to_batch_id, Some(b));
    assert_eq!(fx.on_hand(b), qi(5));
    // Quarantine 1 while V1 is sellable: a quarantine batch beside it.
    let r = fx
        .as_user(c, ret(&sale, 0, "1", ReturnDisposition::Quarantine))
        .unwrap();
    let qb = r.lines[0].to_batch_id.unwrap();
    assert_ne!(qb, b);
    let qv = fx.batch(qb);
    assert_eq!(qv.batch_number, "V1-RET");
    assert_eq!(qv.status, BatchStatus::Quarantine);
    assert_eq!(qv.quantity, qi(1));
    assert_eq!(qv.available, qi(0));
    // Waste 1: nothing comes back.
    fx.as_user(c, ret(&sale, 0, "1", ReturnDisposition::Waste))
        .unwrap();
    assert_eq!(fx.on_hand(b), qi(5));
    // Never more than sold minus returned (3 left).
    assert_kind(
        fx.as_user(c, ret(&sale, 0, "4", ReturnDisposition::Restock)),
        "invalid_input",
    );
    // 3 × 10.00 = 30.00 is over the cashier's 25.00 refund limit.
    let e = assert_kind(
        fx.as_user(c, ret(&sale, 0, "3", ReturnDisposition::Restock)),
        "approval_required",
    );
    assert_eq!(e.details()["measure"], "money");
    assert_eq!(e.details()["amount"], "30.00");
    assert_eq!(e.details()["limit"], "25.00");
    assert_eq!(e.details()["requested_by"], CASHIER);
    // After a recall the batch cannot take stock back for sale.
    recall(&mut fx, b);
    let mut req = ret(&sale, 0, "3", ReturnDisposition::Restock);
    req.approver_name = Some(MANAGER.into());
    req.approver_pin = Some(MANAGER_PIN.into());
    assert_kind(fx.as_user(c, req.clone()), "batch_not_sellable");
    req.lines[0].disposition = Some(ReturnDisposition::Quarantine);
    let r = fx.as_user(c, req).unwrap();
    assert_eq!(
        r.lines[0].to_batch_id,
        Some(b),
        "a recalled batch takes its own packs back"
    );
    assert_eq!(r.approved_by, Some(fx.manager.user_id));
    assert_eq!(r.refund, money("30.00"));
    assert_eq!(r.pay_out.len(), 1);
    assert_eq!(
        (r.pay_out[0].tender.as_str(), r.pay_out[0].amount),
        (r.tender.as_str(), money("30.00"))
    );
    let receipt = fx
        .as_user(
            c,
            GetReceipt {
                sale_id: sale.sale_id,
            },
        )
        .unwrap();
    assert_eq!(receipt.lines[0].returned_quantity, qi(6));
    assert_kind(
        fx.as_user(c, ret(&sale, 0, "1", ReturnDisposition::Waste)),
        "invalid_input",
    );
    fx.assert_verified();
}

#[test]
fn a_void_reverses_the_sale_within_its_open_shift_only() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let b = fx.receive(vit, "V1", day(100), 10);
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "0");
    let sale = sell(&mut fx, c, vit, "4", "40");
    let void = |pin: Option<&str>| VoidSale {
        sale_id: sale.sale_id,
        reason: "rang up twice".into(),
        approver_name: pin.map(|_| MANAGER.to_string()),
        approver_pin: pin.map(str::to_string),
    };
    let e = assert_kind(fx.as_user(c, void(None)), "approval_required");
    assert_eq!(e.details()["amount"], "40.00", "the sale's total");
    assert_eq!(e.details()["limit"], serde_json::Value::Null);
    assert_eq!(e.details()["requested_by"], CASHIER);
    let r = fx.as_user(c, void(Some(MANAGER_PIN))).unwrap();
    assert_eq!(r.status, "voided");
    // What to pay back, per tender: the 40.00 paid in cash.
    assert_eq!(
        r.pay_out
            .iter()
            .map(|p| (p.tender.as_str(), p.amount))
            .collect::<Vec<_>>(),
        [("cash", money("40.00"))]
    );
    assert_eq!(fx.on_hand(b), qi(10));
    assert_kind(fx.as_user(c, void(Some(MANAGER_PIN))), "sale_not_completed");
    assert_kind(
        fx.as_user(c, ret(&sale, 0, "1", ReturnDisposition::Restock)),
        "sale_not_completed",
    );
    // After the shift closes, a sale can no longer be voided.
    let sale2 = sell(&mut fx, c, vit, "1", "10");
    fx.as_user(
        c,
        CloseShift {
            terminal_id: TILL.into(),
            counted_cash: money("10"),
            notes: None,
            store_id: None,
        },
    )
    .unwrap();
    let m = fx.manager;
    assert_kind(
        fx.as_user(
            m,
            VoidSale {
                sale_id: sale2.sale_id,
                reason: "late".into(),
                approver_name: None,
                approver_pin: None,
            },
        ),
        "sale_shift_closed",
    );
    fx.assert_verified();
}

// ---------------------------------------------------------------- shifts

#[test]
fn the_z_report_adds_up_sales_returns_voids_tenders_and_over_short() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx); // 10.00 incl. 7.5 % tax
    let pcm = fx.paracetamol(); // 0.20, no tax
    fx.receive(vit, "V1", day(100), 50);
    fx.receive(pcm, "P1", day(100), 500);
    let c = fx.cashier;
    let m = fx.manager;
    fx.as_user(
        m,
        UpdateTillSettings {
            rounding_increment: Some(money("0.05")),
            ..Default::default()
        },
    )
    .unwrap();
    assert_kind(
        fx.as_user(
            c,
            GetShiftReport {
                shift_id: None,
                terminal_id: Some(TILL.into()),
                store_id: None,
            },
        ),
        "no_open_shift",
    );
    shift(&mut fx, c, TILL, "100.00");
    assert_kind(
        fx.as_user(
            c,
            OpenShift {
                terminal_id: TILL.into(),
                opening_float: money("1"),
                store_id: None,
            },
        ),
        "conflict",
    );
    // Sale 1: 2 × vitamin C = 20.00 cash, paid 50 → change 30.
    let s1 = sell(&mut fx, c, vit, "2", "50");
    assert_eq!(s1.change, money("30.00"));
    // Sale 2: 7 tablets = 1.40 by card.
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, pcm, "7");
    complete(&mut fx, c, id, vec![card("1.40", "C-1")]).unwrap();
    // Sale 3: 3 tablets = 0.60 + 1 vitamin with a 5 % cart discount:
    // 10.60 − 0.53 = 10.07 → 10.05 in cash.
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, pcm, "3");
    add(&mut fx, c, id, vit, "1");
    fx.as_user(
        c,
        SetCartDiscount {
            cart_id: id,
            discount: Some(Discount {
                kind: DiscountKind::Percent,
                value: money("5"),
            }),
            approver_name: None,
            approver_pin: None,
        },
    )
    .unwrap();
    let s3 = complete(&mut fx, c, id, vec![cash("10.05")]).unwrap();
    assert_eq!(s3.total, money("10.05"));
    assert_eq!(s3.rounding, money("-0.02"));
    // Sale 4, voided: 1 vitamin C in cash.
    let s4 = sell(&mut fx, c, vit, "1", "10");
    fx.as_user(
        m,
        VoidSale {
            sale_id: s4.sale_id,
            reason: "wrong item".into(),
            approver_name: None,
            approver_pin: None,
        },
    )
    .unwrap();
    // Return of one vitamin C from sale 1: 10.00 cash out (the default
    // cashier refund limit is 0, so the manager takes it at this till).
    fx.as_user(m, ret(&s1, 0, "1", ReturnDisposition::Restock))
        .unwrap();

    let x = fx
        .as_user(
            c,
            GetShiftReport {
                shift_id: None,
                terminal_id: Some(TILL.into()),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(x.status, "open");
    assert_eq!(x.sales_count, 3);
    assert_eq!(x.sales_total, money("31.45"));
    assert_eq!(x.voids_count, 1);
    assert_eq!(x.voids_total, money("10.00"));
    assert_eq!(x.returns_count, 1);
    assert_eq!(x.returns_total, money("10.00"));
    assert_eq!(x.discounts_total, money("0.53"));
    assert_eq!(x.rounding_total, money("-0.02"));
    let cash_t = x.tenders.iter().find(|t| t.tender == "cash").unwrap();
    assert_eq!(cash_t.sales, money("30.05"));
    assert_eq!(cash_t.refunds, money("10.00"));
    let card_t = x.tenders.iter().find(|t| t.tender == "card").unwrap();
    assert_eq!(card_t.sales, money("1.40"));
    // 100 + 30.05 − 10.00
    assert_eq!(x.expected_cash, money("120.05"));
    assert!(x.over_short.is_none());

    // A cashier cannot close another user's shift.
    let z = fx
        .as_user(
            c,
            CloseShift {
                terminal_id: TILL.into(),
                counted_cash: money("119.00"),
                notes: Some("one coin missing".into()),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(z.status, "closed");
    assert_eq!(z.counted_cash, Some(money("119.00")));
    assert_eq!(z.over_short, Some(money("-1.05")));
    // After close: no more sales on this till until a new shift.
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, pcm, "1");
    assert_kind(complete(&mut fx, c, id, vec![cash("1")]), "no_open_shift");
    let again = fx
        .as_user(
            c,
            GetShiftReport {
                shift_id: Some(z.shift_id),
                terminal_id: None,
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(again.over_short, Some(money("-1.05")));
    fx.assert_verified();
}

#[test]
fn receipts_show_batches_and_expiry_only_when_the_store_wants_them() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    fx.receive(vit, "V1", day(100), 5);
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "0");
    let r = sell(&mut fx, c, vit, "1", "10");
    assert_eq!(r.store.name, "Store A");
    assert_eq!(r.cashier_name, CASHIER);
    assert_eq!(r.local_time, "2026-01-01 11:00");
    assert_eq!(r.taxes.len(), 1);
    assert_eq!(r.taxes[0].tax, money("0.70"));
    assert_eq!(r.lines[0].batches[0].batch_number.as_deref(), Some("V1"));
    assert_eq!(
        r.lines[0].batches[0].expiry_date.as_deref(),
        Some(day(100).to_string().as_str())
    );
    let m = fx.manager;
    fx.as_user(
        m,
        UpdateTillSettings {
            receipt_show_batch: Some(false),
            receipt_show_expiry: Some(false),
            receipt_footer: Some("Thank you".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let again = fx.as_user(c, GetReceipt { sale_id: r.sale_id }).unwrap();
    assert!(again.lines[0].batches[0].batch_number.is_none());
    assert!(again.lines[0].batches[0].expiry_date.is_none());
    assert_eq!(again.store.footer.as_deref(), Some("Thank you"));
    assert_eq!(again.total, r.total);
}

/// Bad data is never read as a default: a product's tax rate or a store's
/// time zone that cannot be read stops the operation, names the record and
/// the bad value, and writes nothing (never 0 % tax, never UTC).
#[test]
fn an_unreadable_tax_rate_or_time_zone_is_an_error_naming_the_record() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    fx.receive(vit, "V1", day(100), 5);
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "0");
    let sale = sell(&mut fx, c, vit, "1", "10");
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "1");

    fx.raw()
        .execute(
            "UPDATE products SET tax_rate = '7,5%' WHERE id = ?1",
            [vit.to_string()],
        )
        .unwrap();
    let events = fx.event_count();
    let e = assert_kind(fx.as_user(c, GetCart { cart_id: id }), "corrupt_record");
    assert_eq!(
        e.details(),
        serde_json::json!({"entity": "product", "id": vit.to_string(), "field": "tax_rate", "value": "7,5%"})
    );
    assert!(e.to_string().contains("'7,5%'"), "{e}");
    assert_kind(complete(&mut fx, c, id, vec![cash("20")]), "corrupt_record");
    assert_kind(scan(&mut fx, "4006381333931"), "corrupt_record");
    let admin = fx.admin;
    assert_kind(
        fx.as_user(
            admin,
            pharmapos_engine::catalogue::products::GetProduct { id: vit },
        ),
        "corrupt_record",
    );
    assert_eq!(fx.event_count(), events, "nothing was sold");
    fx.raw()
        .execute(
            "UPDATE products SET tax_rate = '7.5' WHERE id = ?1",
            [vit.to_string()],
        )
        .unwrap();

    fx.raw()
        .execute(
            "UPDATE stores SET timezone = 'Mars/Olympus_Mons' WHERE id = ?1",
            [fx.store.to_string()],
        )
        .unwrap();
    let e = assert_kind(
        fx.as_user(
            c,
            GetReceipt {
                sale_id: sale.sale_id,
            },
        ),
        "corrupt_record",
    );
    assert_eq!(
        e.details(),
        serde_json::json!({"entity": "store", "id": fx.store.to_string(), "field": "timezone", "value": "Mars/Olympus_Mons"})
    );
    assert_kind(complete(&mut fx, c, id, vec![cash("20")]), "corrupt_record");
    assert_eq!(fx.event_count(), events, "nothing was sold");
    fx.raw()
        .execute(
            "UPDATE stores SET timezone = 'Africa/Lagos' WHERE id = ?1",
            [fx.store.to_string()],
        )
        .unwrap();
    complete(&mut fx, c, id, vec![cash("20")]).unwrap();
    fx.assert_verified();
}

// ---------------------------------------------------------------- crash

/// Names the child process of the kill test reads: the database, the
/// product to sell and the cashier. Set by the parent only.
const CHILD_ENV: [&str; 3] = [
    "PHARMAPOS_TILL_CHILD_DB",
    "PHARMAPOS_TILL_CHILD_PRODUCT",
    "PHARMAPOS_TILL_CHILD_USER",
];

/// The child half of the kill test: sells one unit at a time until killed.
/// Not a test of its own (a test that returns early when its variables are
/// missing passes without testing anything): the parent runs this test's
/// own binary, filtered to the parent test, with [`CHILD_ENV`] set, and the
/// parent test turns into this loop. Any variable missing or malformed
/// fails loudly.
fn sell_until_killed() -> ! {
    let [path, product, user] = CHILD_ENV.map(|name| {
        std::env::var(name).unwrap_or_else(|_| panic!("the kill test's child needs {name}"))
    });
    let product: ProductId = product.parse().expect("PHARMAPOS_TILL_CHILD_PRODUCT");
    let who = Session {
        user_id: user.parse().expect("PHARMAPOS_TILL_CHILD_USER"),
    };
    let mut db = open(std::path::Path::new(&path));
    loop {
        let cart = db
            .execute(
                &who,
                OpenCart {
                    terminal_id: TILL.into(),
                    store_id: None,
                },
            )
            .unwrap();
        if cart.lines.is_empty() {
            db.execute(&who, add_req(cart.cart_id, product, "1"))
                .unwrap();
        }
        // Stock for far more sales than the parent waits for: every sale
        // must succeed until the kill.
        db.execute(
            &who,
            CompleteSale {
                sale_id: SaleId::new(),
                cart_id: cart.cart_id,
                payments: vec![cash("10")],
            },
        )
        .unwrap();
    }
}

#[test]
fn a_till_killed_mid_sale_keeps_whole_sales_only_and_its_cart() {
    if CHILD_ENV
        .iter()
        .any(|name| std::env::var_os(name).is_some())
    {
        sell_until_killed();
    }
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    let batches = [
        fx.receive(vit, "K1", day(50), 400),
        fx.receive(vit, "K2", day(90), 400),
    ];
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "0");
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_till_killed_mid_sale_keeps_whole_sales_only_and_its_cart",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(CHILD_ENV[0], &fx.path)
        .env(CHILD_ENV[1], vit.to_string())
        .env(CHILD_ENV[2], c.user_id.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let raw = fx.raw();
    let started = std::time::Instant::now();
    loop {
        let n: i64 = raw
            .query_row("SELECT COUNT(*) FROM sales", [], |r| r.get(0))
            .unwrap();
        if n >= 25 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the child sold only {n} in two minutes"
        );
        if let Some(status) = child.try_wait().unwrap() {
            let mut why = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut why).unwrap();
            panic!("the child stopped early ({status}) after {n} sales: {why}");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL, mid-whatever it was doing
    child.wait().unwrap();
    drop(raw);

    fx.db = open(&fx.path.clone());
    fx.assert_verified();
    let raw = fx.raw();
    let sales: i64 = raw
        .query_row("SELECT COUNT(*) FROM sales", [], |r| r.get(0))
        .unwrap();
    let sold: i64 = raw
        .query_row(
            "SELECT COALESCE(SUM(quantity_milli), 0) FROM sale_line_batches",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let on_hand: i64 = batches
        .iter()
        .map(|b| fx.on_hand(*b).to_scaled("q").unwrap())
        .sum();
    assert_eq!(
        sold,
        800_000 - on_hand,
        "every unit gone is in a whole sale"
    );
    assert_eq!(sold, sales * 1000);
    let referenced: i64 = raw
        .query_row(
            "SELECT COUNT(DISTINCT reference_id) FROM inventory_audit WHERE change_type = 'allocated'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(referenced, sales, "no stock event without its sale");
    let numbers: i64 = raw
        .query_row(
            "SELECT MAX(last_sale_number) FROM store_settings",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(numbers, sales, "sale numbers have no gaps");
    // The till comes back with its cart (possibly mid-way) and sells on.
    let v = fx
        .as_user(
            c,
            OpenCart {
                terminal_id: TILL.into(),
                store_id: None,
            },
        )
        .unwrap();
    if v.lines.is_empty() {
        add(&mut fx, c, v.cart_id, vit, "1");
    }
    complete(&mut fx, c, v.cart_id, vec![cash("10")]).unwrap();
    fx.assert_verified();
}

#[test]
fn a_product_without_a_price_is_not_sold_free_unless_a_manager_sets_the_price() {
    let mut fx = store_a();
    let c = fx.cashier;
    let p = fx.product(
        "NEW-1",
        "Unpriced cream",
        ProductFields {
            cost_price: Some(money("3.00")),
            ..Default::default()
        },
    );
    let b = fx.receive(p, "U1", day(300), 5);
    shift(&mut fx, c, TILL, "50.00");
    let id = cart(&mut fx, c, TILL);
    let v = add(&mut fx, c, id, p, "1");
    assert_eq!(v.totals.total, money("0"));
    let r = complete(&mut fx, c, id, vec![]);
    let e = assert_kind(r, "no_selling_price");
    assert_eq!(e.details()["line_no"], 1);
    assert_eq!(e.details()["product_id"], p.to_string());
    assert_eq!(fx.on_hand(b), qi(5), "nothing sold");
    fx.as_user(
        c,
        OverrideLinePrice {
            cart_id: id,
            line_id: v.lines[0].line_id,
            unit_price: Some(money("4.00")),
            approver_name: Some(MANAGER.into()),
            approver_pin: Some(MANAGER_PIN.into()),
        },
    )
    .unwrap();
    let receipt = complete(&mut fx, c, id, vec![cash("4.00")]).unwrap();
    assert_eq!(receipt.total, money("4.00"));
    assert_eq!(fx.on_hand(b), qi(4));
    fx.assert_verified();
}

// ---------------------------------------------------------------- nested input

/// The field and message of an `invalid_input` refusal.
#[track_caller]
fn refusal<T: std::fmt::Debug>(r: Result<T>) -> (String, String) {
    let e = r.unwrap_err();
    assert_eq!(e.kind(), "invalid_input", "{e}");
    let field = e.details()["field"].as_str().unwrap().to_string();
    (field, e.to_string())
}

#[test]
fn a_bad_nested_value_is_named_to_the_leaf_like_a_type_error() {
    let mut fx = store_a();
    let vit = vitamin_c(&mut fx);
    fx.receive(vit, "V1", day(100), 10);
    let c = fx.cashier;
    shift(&mut fx, c, TILL, "0");
    let id = cart(&mut fx, c, TILL);
    add(&mut fx, c, id, vit, "1");
    let bitcoin = PaymentInput {
        tender: "bitcoin".into(),
        ..cash("5")
    };
    let sub_cent = PaymentInput {
        amount: "1.23456".parse().unwrap(),
        ..cash("1")
    };
    // Amounts that parse but are out of range, on the payment at fault.
    for (payments, field, words) in [
        (
            vec![cash("5"), cash("-1")],
            "payments[1].amount",
            "greater than zero",
        ),
        (
            vec![cash("0"), cash("20")],
            "payments[0].amount",
            "greater than zero",
        ),
        (
            vec![cash("10"), sub_cent],
            "payments[1].amount",
            "decimal places",
        ),
        (
            vec![cash("10"), bitcoin],
            "payments[1].tender",
            "not enabled",
        ),
    ] {
        let (f, message) = refusal(complete(&mut fx, c, id, payments));
        assert_eq!(f, field, "{message}");
        assert!(message.contains(field), "{message}");
        assert!(message.contains(words), "{message}");
    }
    // A discount's value, below its object.
    let line = fx.run(GetCart { cart_id: id }).lines[0].line_id;
    for (value, words) in [
        ("-5", "negative"),
        ("101", "at most 100"),
        ("1.00001", "decimal places"),
    ] {
        let (f, message) = refusal(fx.as_user(
            c,
            SetLineDiscount {
                cart_id: id,
                line_id: line,
                discount: Some(Discount {
                    kind: DiscountKind::Percent,
                    value: money(value),
                }),
                approver_name: None,
                approver_pin: None,
            },
        ));
        assert_eq!(f, "discount.value", "{message}");
        assert!(
            message.contains("discount.value") && message.contains(words),
            "{message}"
        );
    }
    // A return's second line.
    let sale = complete(&mut fx, c, id, vec![cash("20")]).unwrap();
    let two = |second: &str, batch: Option<BatchId>| {
        let mut r = ret(&sale, 0, "1", ReturnDisposition::Restock);
        r.lines.push(ReturnLineInput {
            quantity: q(second),
            batch_id: batch,
            ..r.lines[0].clone()
        });
        r
    };
    for (second, field, words) in [
        ("0", "lines[1].quantity", "greater than zero"),
        ("-1", "lines[1].quantity", "greater than zero"),
        ("0.5", "lines[1].quantity", "whole number"),
        ("5", "lines[1].quantity", "can still be returned"),
    ] {
        let (f, message) = refusal(fx.as_user(c, two(second, None)));
        assert_eq!(f, field, "{message}");
        assert!(
            message.contains(field) && message.contains(words),
            "{message}"
        );
    }
    let (f, message) = refusal(fx.as_user(c, two("1", Some(BatchId::new()))));
    assert_eq!(f, "lines[1].batch_id", "{message}");
    assert!(message.contains("lines[1].batch_id"), "{message}");
    fx.assert_verified();
}
