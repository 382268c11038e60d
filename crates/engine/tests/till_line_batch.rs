//! Changing a cart line's batch after it was added (`update_cart_line` with
//! `batch_id` or `use_fefo`): a sellable batch of the product in the cart's
//! store with enough free stock pins the line; every refusal (another
//! product's batch, another store's, expired, recalled, quarantined,
//! damaged, depleted, not enough free, both fields at once) names why and
//! changes nothing; `use_fefo` unpins; the sale then takes the chosen batch.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::catalogue::stores::CreateStore;
use pharmapos_engine::ids::{BatchId, CartId, CartLineId, ProductId, SaleId};
use pharmapos_engine::sales::cart::{AddCartLine, CartView, OpenCart, UpdateCartLine};
use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
use pharmapos_engine::sales::holds::{HoldCart, ResumeCart};
use pharmapos_engine::sales::shifts::OpenShift;
use pharmapos_engine::stock::reservations::ReserveStock;
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::Result;

const TILL: &str = "till-1";

/// Store A with paracetamol in two batches (P-EARLY expires first), and a
/// cashier's cart holding one FEFO line of 3.
struct World {
    fx: Fx,
    para: ProductId,
    early: BatchId,
    late: BatchId,
    cart: CartId,
    line: CartLineId,
}

fn world() -> World {
    let mut fx = store_a();
    let para = fx.paracetamol();
    let early = fx.receive(para, "P-EARLY", day(30), 10);
    let late = fx.receive(para, "P-LATE", day(300), 20);
    let c = fx.cashier;
    let cart = fx
        .as_user(
            c,
            OpenCart {
                terminal_id: TILL.into(),
                store_id: None,
            },
        )
        .unwrap()
        .cart_id;
    let v = fx
        .as_user(
            c,
            AddCartLine {
                cart_id: cart,
                product_id: para,
                quantity: Some(qi(3)),
                batch_id: None,
                prescription_reference: None,
            },
        )
        .unwrap();
    assert_eq!(v.lines[0].batch_id, None);
    World {
        line: v.lines[0].line_id,
        fx,
        para,
        early,
        late,
        cart,
    }
}

impl World {
    fn set_batch(&mut self, batch: Option<BatchId>, use_fefo: Option<bool>) -> Result<CartView> {
        let c = self.fx.cashier;
        self.fx.as_user(
            c,
            UpdateCartLine {
                cart_id: self.cart,
                line_id: self.line,
                quantity: None,
                prescription_reference: None,
                batch_id: batch,
                use_fefo,
            },
        )
    }

    fn pin(&mut self, batch: BatchId) -> Result<CartView> {
        self.set_batch(Some(batch), None)
    }

    fn status(&mut self, batch: BatchId, status: BatchStatus) {
        self.fx.run(SetBatchStatus {
            batch_id: batch,
            status,
            reason: Some("inspection".into()),
            recall_class: (status == BatchStatus::Recalled).then(|| "II".into()),
        });
    }

    /// The line as stored now.
    fn line(&mut self) -> (Option<BatchId>, String) {
        let c = self.fx.cashier;
        let v = self
            .fx
            .as_user(
                c,
                pharmapos_engine::sales::cart::GetCart { cart_id: self.cart },
            )
            .unwrap();
        (v.lines[0].batch_id, v.lines[0].quantity.to_string())
    }

    /// Refused with `kind`, and the line is untouched (still FEFO, 3).
    #[track_caller]
    fn refused(&mut self, r: Result<CartView>, kind: &str) -> pharmapos_engine::Error {
        let before = self.fx.event_count();
        let e = assert_kind(r, kind);
        assert_eq!(self.line(), (None, "3".to_string()), "nothing changes");
        assert_eq!(self.fx.event_count(), before);
        e
    }
}

#[test]
fn a_line_is_pinned_to_a_chosen_batch_and_back_to_fefo() {
    let mut w = world();
    let late = w.late;
    let v = w.pin(late).unwrap();
    assert_eq!(v.lines.len(), 1);
    assert_eq!(v.lines[0].batch_id, Some(late));
    assert_eq!(v.lines[0].batch_number.as_deref(), Some("P-LATE"));
    assert_eq!(v.lines[0].available, qi(20));
    assert_eq!(v.lines[0].quantity, qi(3));
    assert!(!v.lines[0].short);

    // Another batch, then back to FEFO.
    let early = w.early;
    assert_eq!(w.pin(early).unwrap().lines[0].batch_id, Some(early));
    let v = w.set_batch(None, Some(true)).unwrap();
    assert_eq!(v.lines[0].batch_id, None);
    assert_eq!(v.lines[0].batch_number, None);
    assert_eq!(v.lines[0].available, qi(30));

    // Neither field keeps the batch; use_fefo false is the same as absent.
    w.pin(late).unwrap();
    let c = w.fx.cashier;
    let v =
        w.fx.as_user(
            c,
            UpdateCartLine {
                cart_id: w.cart,
                line_id: w.line,
                quantity: Some(qi(4)),
                prescription_reference: None,
                batch_id: None,
                use_fefo: Some(false),
            },
        )
        .unwrap();
    assert_eq!(v.lines[0].batch_id, Some(late));
    assert_eq!(v.lines[0].quantity, qi(4));
}

#[test]
fn the_sale_takes_the_chosen_batch() {
    let mut w = world();
    let c = w.fx.cashier;
    w.fx.as_user(
        c,
        OpenShift {
            terminal_id: TILL.into(),
            opening_float: "0".parse().unwrap(),
            store_id: None,
        },
    )
    .unwrap();
    let late = w.late;
    w.pin(late).unwrap();
    let r =
        w.fx.as_user(
            c,
            CompleteSale {
                sale_id: SaleId::new(),
                cart_id: w.cart,
                payments: vec![PaymentInput {
                    tender: "cash".into(),
                    amount: "1".parse().unwrap(),
                    reference: None,
                }],
            },
        )
        .unwrap();
    assert_eq!(r.lines[0].batches.len(), 1);
    assert_eq!(
        r.lines[0].batches[0].batch_number.as_deref(),
        Some("P-LATE")
    );
    assert_eq!(w.fx.on_hand(late), qi(17));
    assert_eq!(w.fx.on_hand(w.early), qi(10));
    w.fx.assert_verified();
}

#[test]
fn another_products_or_another_stores_batch_is_refused() {
    let mut w = world();
    let botox = w.fx.botox();
    let other_product = w.fx.receive(botox, "BTX-1", day(90), 5);
    let r = w.pin(other_product);
    let e = w.refused(r, "invalid_input");
    assert!(e.to_string().contains("not PCM-500's in this store"), "{e}");

    let store_b =
        w.fx.run(CreateStore {
            name: "Store B".into(),
            code: Some("STB".into()),
            timezone: Some(TZ.into()),
            currency: None,
            address: None,
            phone: None,
            ..Default::default()
        })
        .id;
    let mut req = w.fx.receive_req(w.para, "P-B", day(200), qi(50));
    req.store_id = Some(store_b);
    let elsewhere = w.fx.run(req).batch_id;
    let r = w.pin(elsewhere);
    w.refused(r, "invalid_input");

    let r = w.pin(BatchId::new());
    w.refused(r, "not_found");
}

#[test]
fn an_unsellable_batch_is_refused_with_its_reason() {
    let mut w = world();
    let para = w.para;
    let expired = w.fx.receive_backdated(para, "P-OLD", day(-2), 5);
    let r = w.pin(expired);
    let e = w.refused(r, "batch_not_sellable");
    assert!(e.to_string().contains("P-OLD"), "{e}");

    for (number, status) in [
        ("P-REC", BatchStatus::Recalled),
        ("P-QUA", BatchStatus::Quarantine),
        ("P-DAM", BatchStatus::Damaged),
    ] {
        let b = w.fx.receive(para, number, day(100), 5);
        w.status(b, status);
        let r = w.pin(b);
        let e = w.refused(r, "batch_not_sellable");
        assert_eq!(e.details()["reason"], status.as_str());
    }

    // Depleted: everything of it sold elsewhere.
    let b = w.fx.receive(para, "P-GONE", day(10), 2);
    w.fx.run(pharmapos_engine::stock::allocate::AllocateStockForSale {
        product_id: para,
        store_id: None,
        quantity: qi(2),
        reference_id: None,
        allow_partial: None,
    });
    assert_eq!(w.fx.batch(b).status, BatchStatus::Depleted);
    let r = w.pin(b);
    let e = w.refused(r, "batch_not_sellable");
    assert_eq!(e.details()["reason"], "depleted");
}

#[test]
fn a_batch_without_enough_free_stock_is_refused() {
    let mut w = world();
    let para = w.para;
    let small = w.fx.receive(para, "P-SMALL", day(120), 5);
    // Another till holds 3 of its 5.
    let m = w.fx.manager;
    w.fx.as_user(
        m,
        ReserveStock {
            product_batch_id: small,
            quantity: qi(3),
            reason: "pending_sale".into(),
            reference_id: Some("other-cart".into()),
            ttl_minutes: None,
        },
    )
    .unwrap();
    let r = w.pin(small);
    let e = w.refused(r, "insufficient_stock");
    assert_eq!(e.details()["requested"], "3");
    assert_eq!(e.details()["available"], "2");
    assert_eq!(e.details()["batch_id"], small.to_string());

    // The cart's other lines pinned to the batch count too.
    let c = w.fx.cashier;
    let cart = w.cart;
    w.fx.as_user(
        c,
        AddCartLine {
            cart_id: cart,
            product_id: para,
            quantity: Some(qi(1)),
            batch_id: Some(small),
            prescription_reference: None,
        },
    )
    .unwrap();
    let e = assert_kind(
        w.fx.as_user(
            c,
            UpdateCartLine {
                cart_id: cart,
                line_id: w.line,
                quantity: Some(qi(2)),
                prescription_reference: None,
                batch_id: Some(small),
                use_fefo: None,
            },
        ),
        "insufficient_stock",
    );
    assert_eq!(e.details()["available"], "1");
    // Exactly what is free is fine.
    let v =
        w.fx.as_user(
            c,
            UpdateCartLine {
                cart_id: cart,
                line_id: w.line,
                quantity: Some(qi(1)),
                prescription_reference: None,
                batch_id: Some(small),
                use_fefo: None,
            },
        )
        .unwrap();
    let pinned: Vec<_> = v
        .lines
        .iter()
        .filter(|l| l.batch_id == Some(small))
        .collect();
    assert_eq!(pinned.len(), 2);
}

#[test]
fn both_fields_at_once_or_a_finished_cart_are_refused() {
    let mut w = world();
    let late = w.late;
    let r = w.set_batch(Some(late), Some(true));
    let e = w.refused(r, "invalid_input");
    assert_eq!(e.details()["field"], "use_fefo");

    // A held cart is not open: resume it first (its holds are released by
    // the edit, as for any other change).
    let c = w.fx.cashier;
    w.fx.as_user(
        c,
        HoldCart {
            cart_id: w.cart,
            customer_name: Some("Mrs Bello".into()),
            note: None,
        },
    )
    .unwrap();
    assert_kind(w.pin(late), "cart_not_open");
    let v =
        w.fx.as_user(
            c,
            ResumeCart {
                cart_id: w.cart,
                terminal_id: TILL.into(),
            },
        )
        .unwrap();
    assert_eq!(v.holds.len(), 1);
    let v = w.pin(late).unwrap();
    assert!(v.holds.is_empty());
    assert_eq!(v.lines[0].batch_id, Some(late));
    w.fx.assert_verified();
}
