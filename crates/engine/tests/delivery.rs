//! Receiving a delivery: `parse_scan` reads a pack's barcode for the
//! receiving screen; `receive_delivery` posts every line of one invoice in
//! one transaction, all or nothing, and names a refused line's field.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::catalogue::products::{ProductFields, ProductStatus, UpdateProduct};
use pharmapos_engine::ids::{ProductId, SupplierId};
use pharmapos_engine::num::Money;
use pharmapos_engine::stock::delivery::{DeliveryLine, ParseScan, ReceiveDelivery};
use pharmapos_engine::stock::BatchStatus;

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

fn line(product: ProductId, batch: &str, qty: i64, cost: Option<&str>) -> DeliveryLine {
    DeliveryLine {
        product_id: product,
        batch_number: batch.into(),
        quantity: qi(qty),
        expiry_date: Some(day(200)),
        manufacture_date: None,
        serial_number: None,
        cost_price: cost.map(money),
        location: None,
        storage_location_id: None,
    }
}

fn delivery(fx: &Fx, lines: Vec<DeliveryLine>) -> ReceiveDelivery {
    ReceiveDelivery {
        store_id: None,
        supplier_id: fx.supplier,
        reference_number: "INV-77".into(),
        location: Some("Shelf B".into()),
        notes: None,
        lines,
    }
}

/// Rows that a delivery writes, to prove a refused one wrote none.
fn footprint(fx: &Fx) -> (i64, i64, i64) {
    let c = fx.raw();
    let n = |sql: &str| c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    (
        n("SELECT COUNT(*) FROM inventory_audit"),
        n("SELECT COUNT(*) FROM batches"),
        n("SELECT COUNT(*) FROM purchase_receipts"),
    )
}

#[test]
fn a_delivery_posts_every_line_under_one_invoice_and_totals_it_exactly() {
    let mut fx = store_a();
    let para = fx.paracetamol();
    let btx = fx.botox();
    let before = fx.event_count();
    let mut l3 = line(btx, "BTX-9", 0, Some("1.3333"));
    l3.quantity = q("2.5");
    l3.location = Some("Fridge 1".into());
    let r = fx.run(delivery(
        &fx,
        vec![
            line(para, "P-1", 100, Some("0.05")),
            // No cost: the product's (0.05) is used and counted in the total.
            line(para, "P-2", 30, None),
            l3,
        ],
    ));
    assert_eq!(r.lines.len(), 3);
    assert_eq!(fx.event_count(), before + 3, "one receipt event per line");
    // 100 × 0.05 + 30 × 0.05 + 2.5 × 1.3333 (3.33325 → 3.3332, half-even) = 9.8332.
    assert_eq!(r.total, money("9.8332"));
    assert_eq!(r.invoice_total, r.total);
    assert!(r
        .lines
        .iter()
        .all(|l| l.purchase_receipt_id == r.purchase_receipt_id));
    assert_eq!(r.reference_number, "INV-77");
    assert_eq!(fx.on_hand(r.lines[0].batch_id), qi(100));
    assert_eq!(fx.on_hand(r.lines[2].batch_id), q("2.5"));
    let locations: Vec<Option<String>> = r
        .lines
        .iter()
        .map(|l| fx.batch(l.batch_id).location)
        .collect();
    assert_eq!(
        locations,
        [
            Some("Shelf B".into()),
            Some("Shelf B".into()),
            Some("Fridge 1".into())
        ]
    );
    // The same batch twice in one delivery tops it up; a second delivery on
    // the same invoice continues its purchase receipt.
    let again = fx.run(delivery(
        &fx,
        vec![
            line(para, "P-9", 5, Some("1")),
            line(para, "P-9", 5, Some("1")),
        ],
    ));
    assert!(again.lines[1].topped_up);
    assert_eq!(again.lines[1].on_hand, qi(10));
    assert_eq!(again.total, money("10"));
    assert_eq!(again.invoice_total, money("19.8332"));
    assert_eq!(again.purchase_receipt_id, r.purchase_receipt_id);
    fx.assert_verified();
}

#[test]
fn a_refused_line_books_nothing_and_names_its_field() {
    let mut fx = store_a();
    let para = fx.paracetamol();
    fx.receive(para, "OLD", day(50), 5);
    let uncosted = fx.product("NOCOST", "Uncosted", ProductFields::default());
    let admin = fx.admin;
    let cases: Vec<(usize, DeliveryLine, &str)> = vec![
        (1, line(para, "X", 0, Some("1")), "quantity"),
        (2, line(uncosted, "X", 1, None), "cost_price"),
        (1, line(para, "X", 1, Some("-1")), "cost_price"),
        (
            1,
            DeliveryLine {
                expiry_date: Some(day(-1)),
                ..line(para, "X", 1, None)
            },
            "expiry_date",
        ),
        (
            1,
            DeliveryLine {
                expiry_date: None,
                ..line(para, "X", 1, None)
            },
            "expiry_date",
        ),
        // Known batch, other expiry.
        (1, line(para, "OLD", 1, None), "batch_number"),
        (1, line(para, " ", 1, None), "batch_number"),
        (1, line(ProductId::new(), "X", 1, None), "product_id"),
    ];
    for (at, bad, field) in cases {
        let before = footprint(&fx);
        let mut lines = vec![
            line(para, "GOOD-1", 10, None),
            line(para, "GOOD-2", 10, None),
        ];
        lines.insert(at, bad);
        let e = assert_kind(fx.as_user(admin, delivery(&fx, lines)), "invalid_input");
        assert_eq!(e.details()["field"], format!("lines.{at}.{field}"), "{e}");
        assert!(
            e.to_string().starts_with(&format!("line {}: ", at + 1)),
            "{e}"
        );
        assert_eq!(
            footprint(&fx),
            before,
            "a refused delivery booked something"
        );
    }
    // A line refused after the good ones: those are rolled back too.
    let before = footprint(&fx);
    let lines = vec![
        line(para, "GOOD-1", 10, None),
        line(para, "GOOD-2", 10, None),
        line(para, "GOOD-3", 0, None),
    ];
    let e = assert_kind(fx.as_user(admin, delivery(&fx, lines)), "invalid_input");
    assert_eq!(e.details()["field"], "lines.2.quantity");
    assert_eq!(footprint(&fx), before);
    fx.assert_verified();
}

#[test]
fn a_delivery_needs_an_active_supplier_an_invoice_and_lines() {
    let mut fx = store_a();
    let para = fx.paracetamol();
    let admin = fx.admin;
    let mut d = delivery(&fx, vec![]);
    let e = assert_kind(fx.as_user(admin, d.clone()), "invalid_input");
    assert_eq!(e.details()["field"], "lines");
    d.lines = vec![line(para, "A", 1, None); 501];
    let e = assert_kind(fx.as_user(admin, d.clone()), "invalid_input");
    assert_eq!(e.details()["field"], "lines");
    d.lines = vec![line(para, "A", 1, None)];
    d.reference_number = "  ".into();
    let e = assert_kind(fx.as_user(admin, d.clone()), "invalid_input");
    assert_eq!(e.details()["field"], "reference_number");
    d.reference_number = "INV-1".into();
    d.supplier_id = SupplierId::new();
    assert_kind(fx.as_user(admin, d.clone()), "not_found");
    // The cashier may not receive.
    let mut d = delivery(&fx, vec![line(para, "A", 1, None)]);
    let cashier = fx.cashier;
    assert_kind(fx.as_user(cashier, d.clone()), "forbidden");
    d.store_id = Some(fx.store);
    fx.run(d);
}

#[test]
fn parse_scan_reads_product_batch_expiry_and_serial() {
    let mut fx = store_a();
    let para = fx.product(
        "PCM-GS1",
        "Paracetamol 500mg (GS1)",
        ProductFields {
            unit: Some("tablet".into()),
            barcodes: Some(vec!["6151100012340".into()]),
            cost_price: Some(money("0.05")),
            ..Default::default()
        },
    );
    // GS1 DataMatrix in its element-string form (FNC1 as ASCII 29), with a
    // symbology prefix: GTIN, expiry (day 00 = month end), batch, serial.
    let code = "]d201061511000123401727060010L-7\u{1d}21SN-1";
    let s = fx.run(ParseScan {
        code: code.into(),
        store_id: None,
    });
    assert_eq!(s.product.id, para);
    assert_eq!(s.product.cost_price, Some(money("0.05")));
    assert!(!s.product.allow_fractional);
    assert!(s.product.expiry_required);
    assert_eq!(s.batch_number.as_deref(), Some("L-7"));
    assert_eq!(s.expiry_date.as_deref(), Some("2027-06-30"));
    assert_eq!(s.serial_number.as_deref(), Some("SN-1"));
    assert!(s.known_batch.is_none());
    assert!(!s.pack_expired && !s.expiry_differs);

    // The bracket form naming a batch the store holds with another expiry.
    let held = fx.receive(para, "L-8", day(100), 3);
    let s = fx.run(ParseScan {
        code: "(01)06151100012340(17)270630(10)L-8".into(),
        store_id: None,
    });
    let known = s.known_batch.unwrap();
    assert_eq!(known.batch_id, held);
    assert_eq!(known.status, BatchStatus::Available);
    assert_eq!(known.on_hand, qi(3));
    assert!(s.expiry_differs);
    // A pack past its date; the plain EAN-13 has no batch.
    let s = fx.run(ParseScan {
        code: "(01)06151100012340(17)251231(10)L-9".into(),
        store_id: None,
    });
    assert!(s.pack_expired);
    let s = fx.run(ParseScan {
        code: "6151100012340".into(),
        store_id: None,
    });
    assert_eq!(s.product.id, para);
    assert!(s.batch_number.is_none() && s.expiry_date.is_none());

    let admin = fx.admin;
    let e = assert_kind(
        fx.as_user(
            admin,
            ParseScan {
                code: "6151100012341".into(),
                store_id: None,
            },
        ),
        "invalid_input",
    );
    assert_eq!(e.details()["field"], "code");
    assert_kind(
        fx.as_user(
            admin,
            ParseScan {
                code: "4006381333931".into(),
                store_id: None,
            },
        ),
        "not_found",
    );
    fx.run(UpdateProduct {
        id: para,
        sku: None,
        name: None,
        fields: ProductFields {
            status: Some(ProductStatus::Discontinued),
            ..Default::default()
        },
    });
    assert_kind(
        fx.as_user(
            admin,
            ParseScan {
                code: "6151100012340".into(),
                store_id: None,
            },
        ),
        "product_discontinued",
    );
}
