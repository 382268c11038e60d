//! The till defects outside testers found (issue 9), each shown failing the
//! old way and working now: returned packs go to quarantine unless the
//! store or the return says otherwise; partial returns never refund more
//! than was paid, and all of them refund exactly what was paid (also as a
//! property over random sales and return sequences); cash rounding applies
//! to cash only; lines pinned to a batch are planned before FEFO lines; the
//! cashier's limit applies to the effective discount; the sale document
//! names its approvers and each line's exact cost; sale numbers name their
//! store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::catalogue::products::ProductFields;
use pharmapos_engine::catalogue::stores::CreateStore;
use pharmapos_engine::ids::{BatchId, CartId, ProductId, SaleId, StoreId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::sales::cart::{AddCartLine, CartView, OpenCart, UpdateCartLine};
use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
use pharmapos_engine::sales::discounts::{OverrideLinePrice, SetCartDiscount, SetLineDiscount};
use pharmapos_engine::sales::holds::HoldCart;
use pharmapos_engine::sales::receipt::{Approver, FindSale, GetReceipt, Receipt};
use pharmapos_engine::sales::returns::{
    ReturnDisposition, ReturnItems, ReturnLineInput, ReturnResult, VoidSale,
};
use pharmapos_engine::sales::settings::{GetTillSettings, UpdateTillSettings};
use pharmapos_engine::sales::shifts::{GetShiftReport, OpenShift};
use pharmapos_engine::sales::{Discount, DiscountKind};
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::{Result, Session};
use proptest::prelude::*;
use rust_decimal::Decimal;

const TILL: &str = "till-1";

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// A product at `price` (cost 1.00), no tax, whole packs.
fn pack(fx: &mut Fx, sku: &str, price: &str) -> ProductId {
    fx.product(
        sku,
        sku,
        ProductFields {
            unit: Some("pack".into()),
            selling_price: Some(money(price)),
            cost_price: Some(money("1.00")),
            tax_rate: Some(Decimal::ZERO),
            ..Default::default()
        },
    )
}

fn settings(fx: &mut Fx, change: UpdateTillSettings) {
    let m = fx.manager;
    fx.as_user(m, change).unwrap();
}

fn shift(fx: &mut Fx, who: Session) {
    fx.as_user(
        who,
        OpenShift {
            terminal_id: TILL.into(),
            opening_float: money("0"),
            store_id: None,
        },
    )
    .unwrap();
}

fn cart(fx: &mut Fx, who: Session) -> CartId {
    fx.as_user(
        who,
        OpenCart {
            terminal_id: TILL.into(),
            store_id: None,
        },
    )
    .unwrap()
    .cart_id
}

fn add(fx: &mut Fx, who: Session, cart: CartId, p: ProductId, qty: &str) -> CartView {
    add_from(fx, who, cart, p, qty, None)
}

fn add_from(
    fx: &mut Fx,
    who: Session,
    cart: CartId,
    p: ProductId,
    qty: &str,
    batch: Option<BatchId>,
) -> CartView {
    fx.as_user(
        who,
        AddCartLine {
            cart_id: cart,
            product_id: p,
            quantity: Some(q(qty)),
            batch_id: batch,
            prescription_reference: None,
        },
    )
    .unwrap()
}

fn pay(tender: &str, amount: &str) -> PaymentInput {
    PaymentInput {
        tender: tender.into(),
        amount: money(amount),
        reference: (tender != "cash").then(|| "REF-1".to_string()),
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

fn give_back(
    sale: &Receipt,
    line: usize,
    qty: Qty,
    disposition: Option<ReturnDisposition>,
    tender: &str,
) -> ReturnItems {
    ReturnItems {
        sale_id: sale.sale_id,
        terminal_id: TILL.into(),
        lines: vec![ReturnLineInput {
            sale_line_id: sale.lines[line].sale_line_id,
            quantity: qty,
            disposition,
            batch_id: None,
        }],
        tender: Some(tender.into()),
        reason: None,
        approver_name: None,
        approver_pin: None,
    }
}

fn manager_approver(fx: &Fx) -> Option<Approver> {
    Some(Approver {
        user_id: fx.manager.user_id,
        name: MANAGER.into(),
    })
}

// ------------------------------------------------- 1. return disposition

#[test]
fn returned_packs_go_to_quarantine_unless_the_store_or_the_return_says_otherwise() {
    let mut fx = store_a();
    let vit = pack(&mut fx, "VIT", "10.00");
    let v1 = fx.receive(vit, "V1", day(100), 10);
    let c = fx.cashier;
    let s = fx.as_user(c, GetTillSettings { store_id: None }).unwrap();
    assert_eq!(s.return_disposition, ReturnDisposition::Quarantine);
    settings(
        &mut fx,
        UpdateTillSettings {
            cashier_refund_limit: Some(money("100")),
            ..Default::default()
        },
    );
    shift(&mut fx, c);
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, vit, "4");
    let sale = complete(&mut fx, c, id, vec![pay("cash", "40")]).unwrap();
    assert_eq!(fx.on_hand(v1), qi(6));

    // Not said: quarantine, beside the sellable batch; nothing back on sale.
    let r = fx
        .as_user(c, give_back(&sale, 0, qi(1), None, "cash"))
        .unwrap();
    assert_eq!(r.lines[0].disposition, ReturnDisposition::Quarantine);
    let to = r.lines[0].to_batch_id.unwrap();
    assert_ne!(to, v1);
    assert_eq!(fx.batch(to).status, BatchStatus::Quarantine);
    assert_eq!(fx.on_hand(v1), qi(6));

    // Asked for explicitly: back on the shelf.
    let r = fx
        .as_user(
            c,
            give_back(&sale, 0, qi(1), Some(ReturnDisposition::Restock), "cash"),
        )
        .unwrap();
    assert_eq!(r.lines[0].to_batch_id, Some(v1));
    assert_eq!(fx.on_hand(v1), qi(7));

    // A store that chooses otherwise: the setting is the default, shown
    // with the settings, and only managers change it.
    assert_kind(
        fx.as_user(
            c,
            UpdateTillSettings {
                return_disposition: Some(ReturnDisposition::Restock),
                ..Default::default()
            },
        ),
        "forbidden",
    );
    let m = fx.manager;
    let s = fx
        .as_user(
            m,
            UpdateTillSettings {
                return_disposition: Some(ReturnDisposition::Waste),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(s.return_disposition, ReturnDisposition::Waste);
    let r = fx
        .as_user(c, give_back(&sale, 0, qi(1), None, "cash"))
        .unwrap();
    assert_eq!(r.lines[0].disposition, ReturnDisposition::Waste);
    assert_eq!(r.lines[0].to_batch_id, None);
    assert_eq!(fx.on_hand(v1), qi(7));
    let s = fx.as_user(c, GetTillSettings { store_id: None }).unwrap();
    assert_eq!(s.return_disposition, ReturnDisposition::Waste);
    fx.assert_verified();
}

// ---------------------------------------------- 2. refunds and rounding

#[test]
fn returning_units_one_at_a_time_refunds_what_was_paid_never_more() {
    let mut fx = store_a();
    let p = pack(&mut fx, "BIG", "197.75");
    fx.receive(p, "B1", day(100), 10);
    settings(
        &mut fx,
        UpdateTillSettings {
            rounding_increment: Some(money("5")),
            cashier_refund_limit: Some(money("10000")),
            ..Default::default()
        },
    );
    let c = fx.cashier;
    shift(&mut fx, c);
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, p, "10");
    let sale = complete(&mut fx, c, id, vec![pay("cash", "1980")]).unwrap();
    assert_eq!(sale.total, money("1980.00"));
    assert_eq!(sale.rounding, money("2.50"));

    let mut refunded = Money::ZERO;
    for n in 1..=10 {
        let r = fx
            .as_user(c, give_back(&sale, 0, qi(1), None, "cash"))
            .unwrap();
        if n == 1 {
            // 1/10 of 1,980.00 is 198.00; cash goes out in fives.
            assert_eq!(r.refund, money("195.00"));
        }
        refunded = refunded + r.refund;
        // Never more than what was paid for the units returned so far.
        assert!(
            refunded.0 <= dec("198") * Decimal::from(n),
            "after {n} units {refunded} refunded"
        );
        assert_eq!(
            r.refund.0 % dec("5"),
            Decimal::ZERO,
            "cash in fives: {}",
            r.refund
        );
    }
    assert_eq!(
        refunded,
        money("1980.00"),
        "the whole sale refunds what was paid"
    );
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
    assert_eq!(
        x.expected_cash,
        Money::ZERO,
        "the drawer is back to its float"
    );
    fx.assert_verified();
}

#[test]
fn a_card_refund_is_the_exact_share_and_the_last_return_takes_the_rest() {
    let mut fx = store_a();
    let p = pack(&mut fx, "ODD", "3.33");
    fx.receive(p, "O1", day(100), 10);
    settings(
        &mut fx,
        UpdateTillSettings {
            rounding_increment: Some(money("0.05")),
            cashier_refund_limit: Some(money("10000")),
            ..Default::default()
        },
    );
    let c = fx.cashier;
    shift(&mut fx, c);
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, p, "3");
    // 9.99 in cash is 10.00.
    let sale = complete(&mut fx, c, id, vec![pay("cash", "10")]).unwrap();
    assert_eq!(sale.total, money("10.00"));
    let r = fx
        .as_user(c, give_back(&sale, 0, qi(1), None, "card"))
        .unwrap();
    // 3.33 of 9.99 is a third of 10.00 paid: 3.333… → 3.33 (never above).
    assert_eq!(r.refund, money("3.33"));
    let r = fx
        .as_user(c, give_back(&sale, 0, qi(2), None, "card"))
        .unwrap();
    assert_eq!(r.refund, money("6.67"));
    fx.assert_verified();
}

// ------------------------------------------------ 3. cash rounding: cash

#[test]
fn cash_rounding_applies_to_cash_only() {
    let mut fx = store_a();
    let p = pack(&mut fx, "NINE", "9.99");
    fx.receive(p, "N1", day(100), 20);
    settings(
        &mut fx,
        UpdateTillSettings {
            rounding_increment: Some(money("0.05")),
            ..Default::default()
        },
    );
    let c = fx.cashier;
    shift(&mut fx, c);

    // Card only: the exact total; paying the rounded one by card is refused.
    let id = cart(&mut fx, c);
    let v = add(&mut fx, c, id, p, "1");
    assert_eq!(v.totals.total_before_rounding, money("9.99"));
    assert_eq!(v.totals.total, money("10.00"), "the cash total is shown");
    assert_kind(
        complete(&mut fx, c, id, vec![pay("card", "10.00")]),
        "invalid_input",
    );
    let r = complete(&mut fx, c, id, vec![pay("card", "9.99")]).unwrap();
    assert_eq!(r.total, money("9.99"));
    assert_eq!(r.rounding, Money::ZERO);
    assert_eq!(r.change, Money::ZERO);

    // Cash only: rounded.
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, p, "1");
    assert_kind(
        complete(&mut fx, c, id, vec![pay("cash", "9.99")]),
        "invalid_input",
    );
    let r = complete(&mut fx, c, id, vec![pay("cash", "10.00")]).unwrap();
    assert_eq!(r.total, money("10.00"));
    assert_eq!(r.rounding, money("0.01"));

    // Split: 19.98, 5.00 by card, the 14.98 left for cash is 15.00.
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, p, "2");
    let r = complete(
        &mut fx,
        c,
        id,
        vec![pay("card", "5.00"), pay("cash", "20.00")],
    )
    .unwrap();
    assert_eq!(r.total, money("20.00"));
    assert_eq!(r.rounding, money("0.02"));
    assert_eq!(r.change, money("5.00"));
    // Split where the card leaves 0.02 for cash: that rounds to nothing,
    // and the cash tendered all comes back.
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, p, "2");
    let r = complete(
        &mut fx,
        c,
        id,
        vec![pay("card", "19.96"), pay("cash", "0.05")],
    )
    .unwrap();
    assert_eq!(r.total, money("19.96"));
    assert_eq!(r.rounding, money("-0.02"));
    assert_eq!(r.change, money("0.05"));

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
    assert_eq!(x.rounding_total, money("0.01"));
    assert_eq!(x.sales_total, money("59.95"));
    // Cash: 10.00 + (20 − 5) + (0.05 − 0.05).
    assert_eq!(x.cash_sales, money("25.00"));
    fx.assert_verified();
}

// ------------------------------------------- 4. pinned lines before FEFO

#[test]
fn a_batch_pinned_line_is_planned_before_an_earlier_fefo_line() {
    let mut fx = store_a();
    let para = fx.paracetamol();
    let early = fx.receive(para, "P-EARLY", day(30), 5);
    let late = fx.receive(para, "P-LATE", day(300), 5);
    let c = fx.cashier;
    shift(&mut fx, c);
    // The FEFO line is scanned first, the pack of the early batch after.
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, para, "5");
    let v = add_from(&mut fx, c, id, para, "5", Some(early));
    assert!(
        v.lines.iter().all(|l| !l.short),
        "the screen shows no shortage"
    );
    // Held the same way the sale takes it.
    let held = fx
        .as_user(
            c,
            HoldCart {
                cart_id: id,
                customer_name: None,
                note: None,
            },
        )
        .unwrap();
    assert_eq!(held.holds.len(), 2);
    fx.as_user(
        c,
        pharmapos_engine::sales::holds::ResumeCart {
            cart_id: id,
            terminal_id: TILL.into(),
        },
    )
    .unwrap();
    let r = complete(&mut fx, c, id, vec![pay("cash", "2")]).unwrap();
    assert_eq!(
        r.lines[0].batches[0].batch_number.as_deref(),
        Some("P-LATE")
    );
    assert_eq!(
        r.lines[1].batches[0].batch_number.as_deref(),
        Some("P-EARLY")
    );
    assert_eq!(fx.on_hand(early), qi(0));
    assert_eq!(fx.on_hand(late), qi(0));

    // And straight to the sale, without a hold.
    let early2 = fx.receive(para, "P-EARLY2", day(20), 3);
    fx.receive(para, "P-LATE2", day(200), 3);
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, para, "3");
    add_from(&mut fx, c, id, para, "3", Some(early2));
    complete(&mut fx, c, id, vec![pay("cash", "2")]).unwrap();
    assert_eq!(fx.on_hand(early2), qi(0));
    fx.assert_verified();
}

// ------------------------------------------ 5. the effective discount

fn percent(v: &str) -> Option<Discount> {
    Some(Discount {
        kind: DiscountKind::Percent,
        value: money(v),
    })
}

#[test]
fn the_cashier_limit_applies_to_the_line_and_cart_discounts_together() {
    let mut fx = store_a();
    let vit = pack(&mut fx, "VIT", "10.00");
    fx.receive(vit, "V1", day(100), 50);
    let c = fx.cashier;
    shift(&mut fx, c);
    let line_discount = |cart: CartId, line, pin: Option<&str>| SetLineDiscount {
        cart_id: cart,
        line_id: line,
        discount: percent("10"),
        approver_name: pin.map(|_| MANAGER.to_string()),
        approver_pin: pin.map(str::to_string),
    };
    let cart_discount = |cart: CartId, pin: Option<&str>| SetCartDiscount {
        cart_id: cart,
        discount: percent("10"),
        approver_name: pin.map(|_| MANAGER.to_string()),
        approver_pin: pin.map(str::to_string),
    };

    // 10 % on the line, then 10 % on the cart: 19 % needs a manager.
    let id = cart(&mut fx, c);
    let line = add(&mut fx, c, id, vit, "1").lines[0].line_id;
    fx.as_user(c, line_discount(id, line, None)).unwrap();
    let e = assert_kind(fx.as_user(c, cart_discount(id, None)), "approval_required");
    assert!(e.to_string().contains("cashier limit"), "{e}");
    let v = fx.as_user(c, cart_discount(id, Some(MANAGER_PIN))).unwrap();
    assert_eq!(v.discount_approved_by, Some(fx.manager.user_id));
    let r = complete(&mut fx, c, id, vec![pay("cash", "8.10")]).unwrap();
    assert_eq!(r.discount, money("1.90"));

    // The other order: the cart first, then the line.
    let id = cart(&mut fx, c);
    let line = add(&mut fx, c, id, vit, "1").lines[0].line_id;
    fx.as_user(c, cart_discount(id, None)).unwrap();
    assert_kind(
        fx.as_user(c, line_discount(id, line, None)),
        "approval_required",
    );
    let v = fx
        .as_user(c, line_discount(id, line, Some(MANAGER_PIN)))
        .unwrap();
    assert_eq!(v.lines[0].discount_approved_by, Some(fx.manager.user_id));
    complete(&mut fx, c, id, vec![pay("cash", "8.10")]).unwrap();

    // At the limit exactly, shared over odd amounts, needs nobody.
    let pcm = fx.paracetamol();
    fx.receive(pcm, "P1", day(100), 50);
    let id = cart(&mut fx, c);
    add(&mut fx, c, id, vit, "1");
    add(&mut fx, c, id, pcm, "3");
    let v = fx.as_user(c, cart_discount(id, None)).unwrap();
    assert_eq!(v.discount_approved_by, None);
    complete(&mut fx, c, id, vec![pay("cash", "10")]).unwrap();

    // Each within the limit when set, together above it once a quantity
    // drops (an amount off a line grows as a share): caught at completion.
    let id = cart(&mut fx, c);
    let line = add(&mut fx, c, id, vit, "10").lines[0].line_id;
    fx.as_user(
        c,
        SetCartDiscount {
            cart_id: id,
            discount: percent("9"),
            approver_name: None,
            approver_pin: None,
        },
    )
    .unwrap();
    let v = fx
        .as_user(
            c,
            SetLineDiscount {
                cart_id: id,
                line_id: line,
                discount: Some(Discount {
                    kind: DiscountKind::Amount,
                    value: money("0.50"),
                }),
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(v.lines[0].discount_approved_by, None);
    fx.as_user(
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
    // 0.50 of 10.00 is 5 %, then 9 %: 13.55 %.
    let e = assert_kind(
        complete(&mut fx, c, id, vec![pay("cash", "10")]),
        "approval_required",
    );
    assert!(e.to_string().contains("13.55"), "{e}");
    fx.as_user(
        c,
        SetCartDiscount {
            cart_id: id,
            discount: percent("9"),
            approver_name: Some(MANAGER.into()),
            approver_pin: Some(MANAGER_PIN.into()),
        },
    )
    .unwrap();
    complete(&mut fx, c, id, vec![pay("cash", "10")]).unwrap();
    fx.assert_verified();
}

// ---------------------------------- 6. approvers and costs, read back

#[test]
fn the_sale_document_names_its_approvers_and_each_lines_exact_cost() {
    let mut fx = store_a();
    let para = fx.paracetamol();
    let mut req = fx.receive_req(para, "P1", day(30), qi(3));
    req.cost_price = Some(money("0.0512"));
    fx.run(req);
    let mut req = fx.receive_req(para, "P2", day(300), qi(10));
    req.cost_price = Some(money("0.0734"));
    fx.run(req);
    // A gel sold by the gram, with no list price: a manager sets it.
    let gel = fx.product(
        "GEL",
        "Lidocaine gel",
        ProductFields {
            unit: Some("g".into()),
            allow_fractional: Some(true),
            tax_rate: Some(Decimal::ZERO),
            ..Default::default()
        },
    );
    let mut req = fx.receive_req(gel, "G1", day(100), qi(50));
    req.cost_price = Some(money("2.3333"));
    fx.run(req);
    let c = fx.cashier;
    shift(&mut fx, c);
    let id = cart(&mut fx, c);
    let v = add(&mut fx, c, id, para, "5");
    let pl = v.lines[0].line_id;
    let gl = add(&mut fx, c, id, gel, "0.125").lines[1].line_id;
    let pin = || (Some(MANAGER.to_string()), Some(MANAGER_PIN.to_string()));
    let (n, p) = pin();
    fx.as_user(
        c,
        SetLineDiscount {
            cart_id: id,
            line_id: pl,
            discount: percent("20"),
            approver_name: n,
            approver_pin: p,
        },
    )
    .unwrap();
    let (n, p) = pin();
    fx.as_user(
        c,
        OverrideLinePrice {
            cart_id: id,
            line_id: gl,
            unit_price: Some(money("100")),
            approver_name: n,
            approver_pin: p,
        },
    )
    .unwrap();
    let (n, p) = pin();
    fx.as_user(
        c,
        SetCartDiscount {
            cart_id: id,
            discount: percent("15"),
            approver_name: n,
            approver_pin: p,
        },
    )
    .unwrap();
    let sale = complete(&mut fx, c, id, vec![pay("cash", "20")]).unwrap();
    let read = fx
        .as_user(
            c,
            GetReceipt {
                sale_id: sale.sale_id,
            },
        )
        .unwrap();
    for r in [&sale, &read] {
        assert_eq!(r.lines[0].discount_approved_by, manager_approver(&fx));
        assert_eq!(r.lines[0].price_overridden_by, None);
        assert_eq!(r.lines[1].price_overridden_by, manager_approver(&fx));
        assert_eq!(r.lines[1].discount_approved_by, None);
        assert_eq!(r.cart_discount_approved_by, manager_approver(&fx));
        assert_eq!(r.voided_by, None);
        // 3 × 0.0512 (P1 first, FEFO) + 2 × 0.0734.
        assert_eq!(r.lines[0].cost.0, dec("0.3004"));
        // 0.125 g × 2.3333, to the last digit (not rounded to 0.2917).
        assert_eq!(r.lines[1].cost.0, dec("0.2916625"));
    }
    let json = serde_json::to_value(&read).unwrap();
    assert_eq!(json["lines"][1]["cost"], "0.2916625");
    assert_eq!(json["cart_discount_approved_by"]["name"], MANAGER);

    // A void: who approved it, when the cashier asked with the PIN.
    let (n, p) = pin();
    let voided = fx
        .as_user(
            c,
            VoidSale {
                sale_id: sale.sale_id,
                reason: "rung up on the wrong patient".into(),
                approver_name: n,
                approver_pin: p,
            },
        )
        .unwrap();
    assert_eq!(voided.voided_by, manager_approver(&fx));
    let read = fx
        .as_user(
            c,
            FindSale {
                sale_number: sale.sale_number.clone(),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(read.voided_by, manager_approver(&fx));
    assert_eq!(read.status, "voided");
}

// ------------------------------------------ 7. numbers name their store

fn sell_in(fx: &mut Fx, store: Option<StoreId>, p: ProductId) -> Receipt {
    let a = fx.admin;
    let id = fx
        .as_user(
            a,
            OpenCart {
                terminal_id: TILL.into(),
                store_id: store,
            },
        )
        .unwrap()
        .cart_id;
    add(fx, a, id, p, "1");
    complete(fx, a, id, vec![pay("cash", "10")]).unwrap()
}

#[test]
fn sale_numbers_carry_the_store_code_so_two_stores_never_print_the_same() {
    let mut fx = store_a();
    let vit = pack(&mut fx, "VIT", "10.00");
    fx.receive(vit, "V1", day(100), 10);
    let b = fx
        .run(CreateStore {
            name: "Store B".into(),
            code: Some("STB".into()),
            timezone: Some(TZ.into()),
            currency: None,
            address: None,
            phone: None,
            ..Default::default()
        })
        .id;
    let mut req = fx.receive_req(vit, "VB", day(100), qi(10));
    req.store_id = Some(b);
    fx.run(req);
    let a = fx.admin;
    for store in [None, Some(b)] {
        fx.as_user(
            a,
            OpenShift {
                terminal_id: TILL.into(),
                opening_float: money("0"),
                store_id: store,
            },
        )
        .unwrap();
    }
    let s = fx.as_user(a, GetTillSettings { store_id: None }).unwrap();
    assert_eq!(s.sale_prefix, "S");
    let in_a = sell_in(&mut fx, None, vit);
    let in_b = sell_in(&mut fx, Some(b), vit);
    assert_eq!(in_a.sale_number, "STA-S-000001");
    assert_eq!(in_b.sale_number, "STB-S-000001");
    // The ledger's references differ too.
    let refs: Vec<String> = fx
        .raw()
        .prepare("SELECT reference_id FROM inventory_audit WHERE change_type = 'allocated' ORDER BY reference_id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<std::result::Result<_, _>>()
        .unwrap();
    assert_eq!(refs, vec!["STA-S-000001", "STB-S-000001"]);

    // A prefix of its own still follows the store code; '-' is refused
    // (a number must split one way only) and changes nothing.
    let m = fx.manager;
    assert_kind(
        fx.as_user(
            m,
            UpdateTillSettings {
                sale_prefix: Some("B-S".into()),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    let s = fx
        .as_user(
            m,
            UpdateTillSettings {
                sale_prefix: Some("pos".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(s.sale_prefix, "POS");
    let next = sell_in(&mut fx, None, vit);
    assert_eq!(next.sale_number, "STA-POS-000002");
    let found = fx
        .as_user(
            a,
            FindSale {
                sale_number: "sta-pos-000002".into(),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(found.sale_id, next.sale_id);
}

// ------------------------------ property: returns in any order and size

/// One random sale: up to three lines (price, quantity), the cash
/// increment, how it is paid, and the return sequence (line, quantity,
/// tender), each quantity cut to what is left.
#[derive(Clone, Debug)]
struct Case {
    lines: Vec<(i64, i64)>,
    increment: &'static str,
    card_part: bool,
    returns: Vec<(usize, i64, bool)>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((1i64..50_000, 1i64..8), 1..4),
        prop::sample::select(vec!["0", "0.05", "1", "5"]),
        any::<bool>(),
        prop::collection::vec((0usize..3, 1i64..5, any::<bool>()), 1..12),
    )
        .prop_map(|(lines, increment, card_part, returns)| Case {
            lines,
            increment,
            card_part,
            returns,
        })
}

fn run_case(c: &Case) {
    let mut fx = store_a();
    settings(
        &mut fx,
        UpdateTillSettings {
            rounding_increment: Some(money(c.increment)),
            cashier_refund_limit: Some(money("100000000")),
            ..Default::default()
        },
    );
    let who = fx.cashier;
    shift(&mut fx, who);
    let id = cart(&mut fx, who);
    for (i, (cents, qty)) in c.lines.iter().enumerate() {
        let p = pack(
            &mut fx,
            &format!("P{i}"),
            &Money::from_scaled(cents * 100).to_string(),
        );
        fx.receive(p, &format!("B{i}"), day(100), *qty);
        add(&mut fx, who, id, p, &qty.to_string());
    }
    let v = fx
        .as_user(who, pharmapos_engine::sales::cart::GetCart { cart_id: id })
        .unwrap();
    // Part by card (exact), the rest in cash (rounded); or all in cash.
    // Cash is tendered generously (up to the largest increment over), the
    // excess comes back as change.
    let exact = v.totals.total_before_rounding;
    let mut payments = vec![pay("cash", &(exact + money("5")).to_string())];
    let card = Money::from_scaled(exact.to_scaled("t").unwrap() / 2 / 100 * 100);
    if c.card_part && card.is_positive() {
        payments.insert(0, pay("card", &card.to_string()));
    }
    let sale = complete(&mut fx, who, id, payments).unwrap();
    let paid = sale.total;

    let mut left: Vec<i64> = c.lines.iter().map(|l| l.1).collect();
    let mut refunded = Money::ZERO;
    let mut plan: Vec<(usize, i64, bool)> = c
        .returns
        .iter()
        .map(|&(l, n, card)| (l % left.len(), n, card))
        .collect();
    // Then everything that is left, line by line.
    for (i, q) in left.iter().enumerate() {
        plan.push((i, *q, false));
    }
    for (line, n, card) in plan {
        let n = n.min(left[line]);
        if n == 0 {
            continue;
        }
        left[line] -= n;
        let r: ReturnResult = fx
            .as_user(
                who,
                give_back(
                    &sale,
                    line,
                    qi(n),
                    Some(ReturnDisposition::Waste),
                    if card { "card" } else { "cash" },
                ),
            )
            .unwrap();
        assert!(!r.refund.is_negative());
        refunded = refunded + r.refund;
        // What was paid for the units returned so far: each line's total
        // pro rata of its units, scaled to what the whole sale was paid.
        let lines_total: Decimal = sale.lines.iter().map(|l| l.total.0).sum();
        let returned_value: Decimal = sale
            .lines
            .iter()
            .zip(&c.lines)
            .zip(&left)
            .map(|((l, (_, qty)), rest)| {
                l.total.0 * Decimal::from(qty - rest) / Decimal::from(*qty)
            })
            .sum();
        let paid_for = if lines_total.is_zero() {
            Decimal::ZERO
        } else {
            returned_value * paid.0 / lines_total
        };
        assert!(
            refunded.0 <= paid_for + dec("0.0000001"),
            "{refunded} refunded for units paid {paid_for} ({c:?})"
        );
        assert!(refunded <= paid);
    }
    assert!(left.iter().all(|l| *l == 0));
    assert_eq!(
        refunded, paid,
        "everything returned refunds what was paid ({c:?})"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn returns_in_any_order_and_size_refund_at_most_what_was_paid_and_all_of_it_at_the_end(c in case()) {
        run_case(&c);
    }
}
