//! The lists that scale, the manager's dashboard and the till helpers, on
//! real files: the store's locale and receipt details; `list_products` and
//! `list_batches` (filters, every sort, paging without overlap, totals, the
//! store boundary, bad input refused with nothing changed); `get_dashboard`
//! against figures worked out by hand, days counted in the store's time
//! zone; `list_approvers`; `list_shifts`; and `verify` catching running
//! totals that no longer match the batches.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::*;
use pharmapos_engine::approval::ListApprovers;
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::product_list::{ListProducts, ProductPage, ProductSort};
use pharmapos_engine::catalogue::products::{
    DeleteProduct, ProductFields, ProductStatus, Thresholds, UpdateProduct,
};
use pharmapos_engine::catalogue::stores::{CreateStore, UpdateStore};
use pharmapos_engine::catalogue::users::{CreateUser, UpdateUser};
use pharmapos_engine::ids::{CartId, ProductId, SaleId, StoreId};
use pharmapos_engine::num::Money;
use pharmapos_engine::op::parse_request;
use pharmapos_engine::reports::dashboard::GetDashboard;
use pharmapos_engine::sales::cart::{AddCartLine, OpenCart};
use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
use pharmapos_engine::sales::receipt::Receipt;
use pharmapos_engine::sales::returns::{ReturnDisposition, ReturnItems, ReturnLineInput, VoidSale};
use pharmapos_engine::sales::shift_list::ListShifts;
use pharmapos_engine::sales::shifts::{CloseShift, OpenShift};
use pharmapos_engine::stock::adjust::{AdjustStock, AdjustmentReason};
use pharmapos_engine::stock::batch_list::{BatchPage, BatchSort, ListBatches};
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;
use pharmapos_engine::Session;

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

fn priced(sku: &str, name: &str, price: &str, cost: &str) -> (String, String, ProductFields) {
    (
        sku.into(),
        name.into(),
        ProductFields {
            selling_price: Some(money(price)),
            cost_price: Some(money(cost)),
            ..Default::default()
        },
    )
}

fn products(fx: &mut Fx, req: ListProducts) -> ProductPage {
    fx.run(req)
}

fn names(p: &ProductPage) -> Vec<&str> {
    p.rows.iter().map(|r| r.name.as_str()).collect()
}

fn batch_numbers(p: &BatchPage) -> Vec<&str> {
    p.rows
        .iter()
        .map(|r| r.batch.batch_number.as_str())
        .collect()
}

fn store_b(fx: &mut Fx) -> StoreId {
    fx.run(CreateStore {
        name: "Store B".into(),
        code: Some("STB".into()),
        timezone: Some(TZ.into()),
        ..Default::default()
    })
    .id
}

// ------------------------------------------------------------ store details

#[test]
fn a_store_has_one_locale_and_its_tax_and_licence_numbers_head_the_receipt() {
    let mut fx = store_a();
    let a = fx.store;
    let stores = fx.run(pharmapos_engine::catalogue::stores::ListStores {});
    assert_eq!(stores[0].locale, "en", "stores made before V9 read 'en'");
    let b = fx.run(CreateStore {
        name: "Store B".into(),
        code: Some("STB".into()),
        locale: Some(" fr_ci ".into()),
        tax_number: Some("CI-TAX-77".into()),
        licence_number: Some(" ".into()),
        ..Default::default()
    });
    assert_eq!(b.locale, "fr-CI");
    assert_eq!(b.tax_number.as_deref(), Some("CI-TAX-77"));
    assert_eq!(b.licence_number, None, "blank is no licence number");
    for tag in ["zh-hant-tw", "es-419", "EN"] {
        let s = fx.run(UpdateStore {
            locale: Some(tag.into()),
            ..update(a)
        });
        assert!(["zh-Hant-TW", "es-419", "en"].contains(&s.locale.as_str()));
    }

    // A bad tag or an over-long number is refused and changes nothing.
    let events = fx.event_count();
    for bad in ["", "e", "english", "en-N", "en-NG-extra", "12-NG", "en-NGA"] {
        let e = assert_kind(
            fx.as_user(
                fx.admin,
                UpdateStore {
                    locale: Some(bad.into()),
                    ..update(a)
                },
            ),
            "invalid_input",
        );
        assert!(e.to_json().to_string().contains("locale"), "{bad}: {e}");
    }
    assert_kind(
        fx.as_user(
            fx.admin,
            UpdateStore {
                tax_number: Some("9".repeat(65)),
                ..update(a)
            },
        ),
        "invalid_input",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            CreateStore {
                name: "Store C".into(),
                locale: Some("xx_".into()),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    assert_eq!(fx.event_count(), events, "a refused change records nothing");
    // A manager does not change the store's details.
    assert_kind(
        fx.as_user(
            fx.manager,
            UpdateStore {
                tax_number: Some("X".into()),
                ..update(a)
            },
        ),
        "forbidden",
    );

    let s = fx.run(UpdateStore {
        locale: Some("en-NG".into()),
        tax_number: Some("TIN 01234567-0001".into()),
        licence_number: Some("PCN/LAG/0042".into()),
        ..update(a)
    });
    assert_eq!(s.locale, "en-NG");
    let p = fx.paracetamol();
    fx.receive(p, "L1", day(300), 100);
    let c = fx.cashier;
    let r = sell(&mut fx, c, p, "2", "1.00");
    assert_eq!(r.store.locale, "en-NG");
    assert_eq!(r.store.tax_number.as_deref(), Some("TIN 01234567-0001"));
    assert_eq!(r.store.licence_number.as_deref(), Some("PCN/LAG/0042"));
    // An empty value clears it.
    let s = fx.run(UpdateStore {
        licence_number: Some(String::new()),
        ..update(a)
    });
    assert_eq!(s.licence_number, None);
    fx.assert_verified();
}

fn update(id: StoreId) -> UpdateStore {
    UpdateStore {
        id,
        name: None,
        timezone: None,
        currency: None,
        address: None,
        phone: None,
        locale: None,
        tax_number: None,
        licence_number: None,
        adjustment_approval_units: None,
        adjustment_approval_value: None,
    }
}

// ------------------------------------------------------------ till helpers

const TILL: &str = "till-1";

fn open_shift(fx: &mut Fx, who: Session, till: &str) {
    fx.as_user(
        who,
        OpenShift {
            terminal_id: till.into(),
            opening_float: money("50.00"),
            store_id: None,
        },
    )
    .unwrap();
}

fn sell_at(fx: &mut Fx, who: Session, till: &str, p: ProductId, qty: &str, pay: &str) -> Receipt {
    let cart: CartId = fx
        .as_user(
            who,
            OpenCart {
                terminal_id: till.into(),
                store_id: None,
            },
        )
        .unwrap()
        .cart_id;
    fx.as_user(
        who,
        AddCartLine {
            cart_id: cart,
            product_id: p,
            quantity: Some(q(qty)),
            batch_id: None,
            prescription_reference: None,
        },
    )
    .unwrap();
    fx.as_user(
        who,
        CompleteSale {
            sale_id: SaleId::new(),
            cart_id: cart,
            payments: vec![PaymentInput {
                tender: "cash".into(),
                amount: money(pay),
                reference: None,
            }],
        },
    )
    .unwrap()
}

/// Opens the till's shift if needed and sells.
fn sell(fx: &mut Fx, who: Session, p: ProductId, qty: &str, pay: &str) -> Receipt {
    let open = fx.as_user(
        who,
        OpenShift {
            terminal_id: TILL.into(),
            opening_float: money("0"),
            store_id: None,
        },
    );
    if let Err(e) = open {
        assert_eq!(e.kind(), "conflict", "{e}");
    }
    sell_at(fx, who, TILL, p, qty, pay)
}

// ------------------------------------------------------------ list_products

/// Seven products: names, SKUs, prices and stock all in different orders.
fn catalogue(fx: &mut Fx) -> Vec<ProductId> {
    let specs = [
        priced("C-300", "Ciprofloxacin 500mg", "7.00", "3.00"),
        priced("A-100", "amoxicillin 250mg", "2.00", "1.00"),
        priced("E-500", "Ergocalciferol", "9.50", "5.00"),
        priced("B-200", "Benylin syrup", "4.25", "2.00"),
        priced("G-700", "Gaviscon", "4.25", "2.50"),
        priced("D-400", "Diclofenac gel", "12.00", "6.00"),
        priced("F-600", "Folic acid", "0.50", "0.10"),
    ];
    specs
        .into_iter()
        .map(|(sku, name, fields)| fx.product(&sku, &name, fields))
        .collect()
}

#[test]
fn the_product_list_filters_sorts_pages_and_counts_in_sql() {
    let mut fx = store_a();
    let ids = catalogue(&mut fx);
    let (cipro, amox, ergo, beny, gavi, diclo, folic) =
        (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]);
    // On hand: cipro 30 (two batches), amox 5, ergo 12, beny 0 (sold out),
    // gavi 8 of which 8 quarantined, diclo none ever, folic 1.
    fx.receive(cipro, "C1", day(100), 10);
    fx.receive(cipro, "C2", day(200), 20);
    fx.receive(amox, "A1", day(50), 5);
    fx.receive(ergo, "E1", day(300), 12);
    fx.receive(beny, "B1", day(300), 3);
    let g = fx.receive(gavi, "G1", day(300), 8);
    fx.receive(folic, "F1", day(300), 1);
    let c = fx.cashier;
    sell(&mut fx, c, beny, "3", "20.00");
    fx.run(SetBatchStatus {
        batch_id: g,
        status: BatchStatus::Quarantine,
        reason: Some("temperature excursion".into()),
        recall_class: None,
    });

    let all = products(&mut fx, ListProducts::default());
    assert_eq!(all.total, 7);
    assert_eq!(
        names(&all),
        [
            "amoxicillin 250mg",
            "Benylin syrup",
            "Ciprofloxacin 500mg",
            "Diclofenac gel",
            "Ergocalciferol",
            "Folic acid",
            "Gaviscon"
        ],
        "by name, case-insensitive"
    );
    let row = |p: &ProductPage, id: ProductId| p.rows.iter().find(|r| r.id == id).unwrap().clone();
    assert_eq!(row(&all, cipro).on_hand, qi(30));
    assert_eq!(row(&all, cipro).available, qi(30));
    assert_eq!(row(&all, cipro).nearest_expiry, Some(day(100).to_string()));
    assert_eq!(row(&all, beny).on_hand, qi(0));
    assert_eq!(row(&all, gavi).on_hand, qi(8));
    assert_eq!(
        row(&all, gavi).available,
        qi(0),
        "quarantined is not sellable"
    );
    assert_eq!(row(&all, diclo).on_hand, qi(0));
    assert_eq!(row(&all, diclo).selling_price, money("12.00"));

    let sorted = |fx: &mut Fx, sort: ProductSort, descending: bool| {
        products(
            fx,
            ListProducts {
                sort: Some(sort),
                descending: Some(descending),
                ..Default::default()
            },
        )
        .rows
        .iter()
        .map(|r| r.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        sorted(&mut fx, ProductSort::Sku, false),
        [amox, beny, cipro, diclo, ergo, folic, gavi]
    );
    // Equal prices (benylin, gaviscon 4.25) keep a fixed order both ways.
    let by_price = sorted(&mut fx, ProductSort::Price, false);
    assert_eq!(by_price[0], folic);
    assert_eq!(by_price[1], amox);
    assert_eq!(&by_price[4..], [cipro, ergo, diclo]);
    let mut reversed = sorted(&mut fx, ProductSort::Price, true);
    reversed.reverse();
    assert_eq!(reversed, by_price, "descending is exactly the reverse");
    // By on hand: nothing (diclo, beny, in a fixed order) first.
    let by_stock = sorted(&mut fx, ProductSort::OnHand, false);
    assert_eq!(&by_stock[2..], [folic, amox, gavi, ergo, cipro]);
    assert!(by_stock[..2].contains(&diclo) && by_stock[..2].contains(&beny));
    assert_eq!(sorted(&mut fx, ProductSort::OnHand, true)[0], cipro);
    // Last changed first.
    fx.set_now(now() + Duration::minutes(5));
    fx.run(UpdateProduct {
        id: ergo,
        sku: None,
        name: None,
        fields: ProductFields {
            brand: Some("Sterling".into()),
            ..Default::default()
        },
    });
    fx.set_now(now());
    assert_eq!(sorted(&mut fx, ProductSort::UpdatedAt, true)[0], ergo);

    // Paging: pages of 3 cover every product once, in order.
    let mut paged = Vec::new();
    for offset in [0, 3, 6] {
        let page = products(
            &mut fx,
            ListProducts {
                sort: Some(ProductSort::Price),
                limit: Some(3),
                offset: Some(offset),
                ..Default::default()
            },
        );
        assert_eq!(page.total, 7, "the total counts every page");
        paged.extend(page.rows.iter().map(|r| r.id));
    }
    assert_eq!(paged, by_price);

    // Filters: text (prefix anywhere, SKU, exact barcode), category, active.
    let find = |fx: &mut Fx, q: &str| {
        let page = products(
            fx,
            ListProducts {
                query: Some(q.into()),
                ..Default::default()
            },
        );
        assert_eq!(page.total as usize, page.rows.len());
        page.rows.iter().map(|r| r.id).collect::<Vec<_>>()
    };
    assert_eq!(find(&mut fx, "cipro"), [cipro]);
    assert_eq!(find(&mut fx, "gel dic"), [diclo], "words in any order");
    assert_eq!(find(&mut fx, "Sterling"), [ergo], "brand");
    assert_eq!(find(&mut fx, "B-200"), [beny], "SKU");
    assert!(find(&mut fx, "zzz").is_empty());
    let barcoded = fx.paracetamol();
    assert_eq!(find(&mut fx, "6151100012345"), [barcoded], "barcode");
    let cat = fx
        .run(pharmapos_engine::catalogue::categories::CreateCategory {
            name: "Antibiotics".into(),
            display_name: None,
            description: None,
            parent_id: None,
        })
        .id;
    for p in [cipro, amox] {
        fx.run(UpdateProduct {
            id: p,
            sku: None,
            name: None,
            fields: ProductFields {
                category_id: Some(cat),
                ..Default::default()
            },
        });
    }
    let antibiotics = products(
        &mut fx,
        ListProducts {
            category_id: Some(cat),
            ..Default::default()
        },
    );
    assert_eq!(
        names(&antibiotics),
        ["amoxicillin 250mg", "Ciprofloxacin 500mg"]
    );
    assert_eq!(
        antibiotics.rows[0].category_name.as_deref(),
        Some("Antibiotics")
    );
    fx.run(UpdateProduct {
        id: folic,
        sku: None,
        name: None,
        fields: ProductFields {
            status: Some(ProductStatus::Discontinued),
            ..Default::default()
        },
    });
    let inactive = products(
        &mut fx,
        ListProducts {
            active: Some(false),
            ..Default::default()
        },
    );
    assert_eq!(names(&inactive), ["Folic acid"]);
    assert_eq!(
        products(
            &mut fx,
            ListProducts {
                active: Some(true),
                ..Default::default()
            }
        )
        .total,
        7
    );
    // A deleted product is never listed.
    fx.run(DeleteProduct { id: diclo });
    let left = products(&mut fx, ListProducts::default());
    assert_eq!(left.total, 7);
    assert!(left.rows.iter().all(|r| r.id != diclo));
    fx.assert_verified();
}

#[test]
fn the_product_list_shows_the_stores_own_stock_and_refuses_bad_input() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "A1", day(100), 7);
    let b = store_b(&mut fx);
    let mut req = fx.receive_req(p, "B1", day(100), qi(40));
    req.store_id = Some(b);
    fx.run(req);
    let in_a = products(&mut fx, ListProducts::default());
    assert_eq!(in_a.rows[0].on_hand, qi(7));
    let in_b = products(
        &mut fx,
        ListProducts {
            store_id: Some(b),
            sort: Some(ProductSort::OnHand),
            ..Default::default()
        },
    );
    assert_eq!(in_b.rows[0].on_hand, qi(40));
    assert_eq!(in_b.rows[0].available, qi(40));
    // A's cashier works in A only.
    let e = fx
        .as_user(
            fx.cashier,
            ListProducts {
                store_id: Some(b),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(["forbidden", "not_in_store"].contains(&e.kind()), "{e}");

    for limit in [0, 501] {
        assert_kind(
            fx.as_user(
                fx.cashier,
                ListProducts {
                    limit: Some(limit),
                    ..Default::default()
                },
            ),
            "invalid_input",
        );
    }
    for bad in [
        serde_json::json!({"sort": "colour"}),
        serde_json::json!({"limit": -1}),
        serde_json::json!({"descending": "yes"}),
        serde_json::json!({"page": 2}),
    ] {
        let e = parse_request::<ListProducts>(bad.clone()).unwrap_err();
        assert_eq!(e.kind(), "invalid_input", "{bad}");
    }
    assert_kind(
        fx.as_user(
            fx.cashier,
            ListProducts {
                query: Some("x".repeat(201)),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

// ------------------------------------------------------------ list_batches

#[test]
fn the_batch_list_filters_sorts_pages_and_counts_in_sql() {
    let mut fx = store_a();
    let ids = catalogue(&mut fx);
    let (cipro, amox, ergo) = (ids[0], ids[1], ids[2]);
    // Expiry order: A1 (10d) C1 (40d) E1 (60d) C2 (200d) A2 (no expiry);
    // values: A1 5×1=5, C1 10×3=30, E1 4×5=20, C2 2×3=6, A2 1×1=1.
    let a1 = fx.receive(amox, "a-101", day(10), 5);
    let c1 = fx.receive(cipro, "C-1", day(40), 10);
    let e1 = fx.receive(ergo, "E-1", day(60), 4);
    let c2 = fx.receive(cipro, "C-2", day(200), 2);
    let mut req = fx.receive_req(amox, "A-2", day(0), qi(1));
    req.expiry_date = None;
    fx.run(pharmapos_engine::catalogue::products::UpdateProduct {
        id: amox,
        sku: None,
        name: None,
        fields: ProductFields {
            tracking: Some(pharmapos_engine::catalogue::products::Tracking {
                lot: true,
                serial: false,
                expiry_required: false,
            }),
            ..Default::default()
        },
    });
    let a2 = fx.run(req).batch_id;
    // An empty one, a quarantined one, an expired one.
    let e2 = fx.receive(ergo, "E-2", day(30), 1);
    let c = fx.cashier;
    sell(&mut fx, c, ergo, "1", "20.00");
    assert_eq!(fx.on_hand(e2), qi(0), "FEFO sold the nearest");
    fx.run(SetBatchStatus {
        batch_id: e1,
        status: BatchStatus::Quarantine,
        reason: Some("check".into()),
        recall_class: None,
    });
    let old = fx.receive_backdated(cipro, "C-0", day(-2), 3);

    let list = |fx: &mut Fx, req: ListBatches| -> BatchPage { fx.run(req) };
    let all = list(&mut fx, ListBatches::default());
    assert_eq!(
        batch_numbers(&all),
        ["C-0", "a-101", "C-1", "E-1", "C-2", "A-2"],
        "FEFO, no empty batch, never-expiring last"
    );
    assert_eq!(all.total, 6);
    let c1_row = all.rows.iter().find(|r| r.batch.batch_id == c1).unwrap();
    assert_eq!(c1_row.value, money("30.00"));
    assert_eq!(c1_row.batch.product_name, "Ciprofloxacin 500mg");
    assert_eq!(c1_row.batch.days_to_expiry, Some(40));

    let order = |fx: &mut Fx, sort: BatchSort, descending: bool| {
        let page = fx.run(ListBatches {
            sort: Some(sort),
            descending: Some(descending),
            ..Default::default()
        });
        page.rows
            .iter()
            .map(|r| r.batch.batch_id)
            .collect::<Vec<_>>()
    };
    // Values: C-0 3×3=9, A1 5, C1 30, E1 20, C2 6, A2 1.
    assert_eq!(
        order(&mut fx, BatchSort::Value, true),
        [c1, e1, old, c2, a1, a2]
    );
    // A page in value order is the slice of the whole order, with the
    // whole count (the page's rowids are found first, then joined).
    let page = fx.run(ListBatches {
        sort: Some(BatchSort::Value),
        descending: Some(true),
        limit: Some(2),
        offset: Some(2),
        ..Default::default()
    });
    assert_eq!(
        page.rows
            .iter()
            .map(|r| r.batch.batch_id)
            .collect::<Vec<_>>(),
        [old, c2]
    );
    assert_eq!(page.total, 6);
    // On hand: C1 10, A1 5, E1 4, C-0 3, C2 2, A2 1.
    assert_eq!(
        order(&mut fx, BatchSort::OnHand, false),
        [a2, c2, old, e1, a1, c1]
    );
    assert_eq!(
        order(&mut fx, BatchSort::BatchNumber, false),
        [a2, old, c1, c2, e1, a1],
        "batch numbers compare as stored (capitals first)"
    );
    // Product name (amoxicillin, ciprofloxacin, ergocalciferol), then expiry.
    assert_eq!(
        order(&mut fx, BatchSort::Product, false),
        [a1, a2, old, c1, c2, e1]
    );
    let mut rev = order(&mut fx, BatchSort::Product, true);
    rev.reverse();
    assert_eq!(rev, [a1, a2, old, c1, c2, e1]);
    let mut rev = order(&mut fx, BatchSort::Expiry, true);
    rev.reverse();
    assert_eq!(rev, order(&mut fx, BatchSort::Expiry, false));

    // Pages of 4 then 2, and the total on each.
    let p1 = list(
        &mut fx,
        ListBatches {
            limit: Some(4),
            ..Default::default()
        },
    );
    let p2 = list(
        &mut fx,
        ListBatches {
            limit: Some(4),
            offset: Some(4),
            ..Default::default()
        },
    );
    assert_eq!((p1.total, p2.total), (6, 6));
    assert_eq!(batch_numbers(&p1), ["C-0", "a-101", "C-1", "E-1"]);
    assert_eq!(batch_numbers(&p2), ["C-2", "A-2"]);

    // Filters, each with its count.
    let check = |fx: &mut Fx, req: ListBatches, want: &[&str]| {
        let page = fx.run(req);
        assert_eq!(batch_numbers(&page), want);
        assert_eq!(page.total as usize, want.len(), "total of {want:?}");
    };
    check(
        &mut fx,
        ListBatches {
            status: Some(BatchStatus::Quarantine),
            ..Default::default()
        },
        &["E-1"],
    );
    check(
        &mut fx,
        ListBatches {
            status: Some(BatchStatus::Depleted),
            ..Default::default()
        },
        &["E-2"],
    );
    check(
        &mut fx,
        ListBatches {
            include_empty: Some(true),
            ..Default::default()
        },
        &["C-0", "a-101", "E-2", "C-1", "E-1", "C-2", "A-2"],
    );
    check(
        &mut fx,
        ListBatches {
            expiring_from: Some(day(0)),
            expiring_before: Some(day(40)),
            ..Default::default()
        },
        &["a-101", "C-1"],
    );
    check(
        &mut fx,
        ListBatches {
            expiring_before: Some(day(0)),
            status: Some(BatchStatus::Available),
            ..Default::default()
        },
        &["C-0"],
    );
    check(
        &mut fx,
        ListBatches {
            query: Some("cipro".into()),
            ..Default::default()
        },
        &["C-0", "C-1", "C-2"],
    );
    check(
        &mut fx,
        ListBatches {
            query: Some("A-".into()),
            sort: Some(BatchSort::BatchNumber),
            ..Default::default()
        },
        &["A-2", "a-101"],
    );
    check(
        &mut fx,
        ListBatches {
            query: Some("c-1".into()),
            ..Default::default()
        },
        &["C-1"],
    );
    check(
        &mut fx,
        ListBatches {
            product_id: Some(cipro),
            expiring_from: Some(day(1)),
            ..Default::default()
        },
        &["C-1", "C-2"],
    );
    let _ = a2;
}

#[test]
fn the_batch_list_stays_in_its_store_and_refuses_bad_input_with_nothing_changed() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "A1", day(100), 7);
    let b = store_b(&mut fx);
    let mut req = fx.receive_req(p, "B1", day(100), qi(40));
    req.store_id = Some(b);
    fx.run(req);
    let a: BatchPage = fx.run(ListBatches::default());
    assert_eq!(batch_numbers(&a), ["A1"]);
    let in_b: BatchPage = fx.run(ListBatches {
        store_id: Some(b),
        query: Some("para".into()),
        ..Default::default()
    });
    assert_eq!(batch_numbers(&in_b), ["B1"]);
    assert_eq!(in_b.total, 1);
    let e = fx
        .as_user(
            fx.manager,
            ListBatches {
                store_id: Some(b),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(["forbidden", "not_in_store"].contains(&e.kind()), "{e}");
    let events = fx.event_count();
    assert_kind(
        fx.as_user(
            fx.cashier,
            ListBatches {
                expiring_from: Some(day(10)),
                expiring_before: Some(day(5)),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    assert_kind(
        fx.as_user(
            fx.cashier,
            ListBatches {
                limit: Some(0),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    for bad in [
        serde_json::json!({"sort": "colour"}),
        serde_json::json!({"status": "lost"}),
        serde_json::json!({"expiring_before": "31/12/2026"}),
    ] {
        let e = parse_request::<ListBatches>(bad.clone()).unwrap_err();
        assert_eq!(e.kind(), "invalid_input", "{bad}");
    }
    assert_eq!(fx.event_count(), events);
}

// ------------------------------------------------------------ dashboard

/// The clock at a UTC time on 2025-12-31 or 2026-01-01.
fn at(fx: &mut Fx, y: i32, m: u32, d: u32, h: u32, min: u32) {
    fx.set_now(Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap());
}

#[test]
fn the_dashboard_adds_up_what_was_worked_out_by_hand() {
    let mut fx = store_a();
    let cashier = fx.cashier;
    // Saline: sells at 10.00, costs 6.00, no tax.
    let saline = fx.product("SAL", "Saline", priced("", "", "10.00", "6.00").2);
    // Expiry stock at 2.50 a unit.
    let x = fx.product("XP", "Xylometazoline", priced("", "", "5.00", "2.50").2);
    let low = |r: Option<&str>, min: Option<&str>| ProductFields {
        cost_price: Some(money("1.00")),
        thresholds: Some(Thresholds {
            reorder_point: r.map(q),
            min_level: min.map(q),
            ..Default::default()
        }),
        ..Default::default()
    };
    let lo = fx.product("LO", "Lozenges", low(Some("5"), None));
    fx.product("MIN", "Mints", low(None, Some("2")));
    let qu = fx.product("QU", "Quinine", low(Some("5"), None));
    let disc = fx.product("DI", "Discontinued", low(Some("5"), None));
    fx.run(UpdateProduct {
        id: disc,
        sku: None,
        name: None,
        fields: ProductFields {
            status: Some(ProductStatus::Discontinued),
            ..Default::default()
        },
    });
    fx.run(UpdateProduct {
        id: saline,
        sku: None,
        name: None,
        fields: ProductFields {
            thresholds: Some(Thresholds {
                reorder_point: Some(qi(10)),
                ..Default::default()
            }),
            ..Default::default()
        },
    });

    // Stock, received the day before.
    at(&mut fx, 2025, 12, 31, 8, 0);
    let s1 = fx.receive(saline, "S1", day(500), 100);
    fx.receive(x, "X1", day(10), 4);
    fx.receive(x, "X2", day(45), 2);
    fx.receive(x, "X3", day(90), 2);
    fx.receive(x, "X4", day(91), 2);
    fx.receive(lo, "L1", day(200), 3);
    let q1 = fx.receive(qu, "Q1", day(200), 10);
    fx.run(SetBatchStatus {
        batch_id: q1,
        status: BatchStatus::Quarantine,
        reason: Some("check".into()),
        recall_class: None,
    });
    fx.set_now(now());
    fx.receive_backdated(x, "X5", day(-3), 2);

    // Sales: 23:30 on 31 December in Lagos (22:30 UTC) is yesterday;
    // 00:30 on 1 January (23:30 UTC on the 31st) is today.
    at(&mut fx, 2025, 12, 31, 20, 0);
    open_shift(&mut fx, cashier, TILL);
    at(&mut fx, 2025, 12, 31, 22, 30);
    sell_at(&mut fx, cashier, TILL, saline, "2", "20.00");
    at(&mut fx, 2025, 12, 31, 23, 30);
    let three = sell_at(&mut fx, cashier, TILL, saline, "3", "30.00");
    fx.set_now(now());
    sell_at(&mut fx, cashier, TILL, saline, "1", "10.00");
    let voided = sell_at(&mut fx, cashier, TILL, saline, "2", "20.00");
    fx.run(VoidSale {
        sale_id: voided.sale_id,
        reason: "keyed twice".into(),
        approver_name: None,
        approver_pin: None,
    });
    fx.run(ReturnItems {
        sale_id: three.sale_id,
        terminal_id: TILL.into(),
        lines: vec![ReturnLineInput {
            sale_line_id: three.lines[0].sale_line_id,
            quantity: qi(1),
            disposition: Some(ReturnDisposition::Waste),
            batch_id: None,
        }],
        tender: None,
        reason: Some("damaged pack".into()),
        approver_name: None,
        approver_pin: None,
    });
    // 100 − 2 − 3 − 1 (the void put its 2 back; the return went to waste).
    assert_eq!(fx.on_hand(s1), qi(94));
    // One adjustment waits for a manager (over the 10-unit threshold).
    let pending = fx
        .as_user(
            cashier,
            AdjustStock {
                batch_id: s1,
                quantity_change: "-20".parse().unwrap(),
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(pending.status, "pending");

    let d = fx.as_user(fx.manager, GetDashboard::default()).unwrap();
    assert_eq!(d.date, "2026-01-01");
    assert_eq!(d.locale, "en");
    // Today: 3 + 1 units = 40.00, cost 24.00, margin 16.00.
    assert_eq!(d.today.sales_count, 2);
    assert_eq!(d.today.total, money("40.00"));
    assert_eq!(d.today.tax, money("0"));
    assert_eq!(d.today.cost, money("24.00"));
    assert_eq!(d.today.margin, money("16.00"));
    assert_eq!(
        (d.returns_today, d.returns_today_count),
        (money("10.00"), 1)
    );
    assert_eq!(d.last_30_days.len(), 30);
    assert_eq!(d.last_30_days[0].date, "2025-12-03");
    assert_eq!(d.last_30_days[29], d.today);
    let yesterday = &d.last_30_days[28];
    assert_eq!(yesterday.date, "2025-12-31");
    assert_eq!(
        (
            yesterday.sales_count,
            yesterday.total,
            yesterday.cost,
            yesterday.margin
        ),
        (1, money("20.00"), money("12.00"), money("8.00"))
    );
    assert!(d.last_30_days[..28]
        .iter()
        .all(|s| s.sales_count == 0 && s.total.is_zero()));
    // Sellable: S1 94 × 6 = 564, X1–X4 10 × 2.50 = 25, L1 3 × 1 = 3.
    assert_eq!(d.stock_value, money("592.00"));
    assert_eq!(d.stock_batches, 6);
    let exp: Vec<(i64, &str, i64, Money)> = d
        .expiring
        .iter()
        .map(|e| (e.within_days, e.until.as_str(), e.batches, e.value))
        .collect();
    assert_eq!(
        exp,
        [
            (30, "2026-01-31", 1, money("10.00")),
            (60, "2026-03-02", 2, money("15.00")),
            (90, "2026-04-01", 3, money("20.00")),
        ]
    );
    assert_eq!(d.expired_value, money("5.00"), "X5, past its date");
    // Lozenges 3 ≤ 5, mints 0 ≤ 2 (minimum level), quinine all quarantined.
    assert_eq!(d.low_stock, 3);
    let low = fx.run(ListProducts {
        low_stock: Some(true),
        ..Default::default()
    });
    assert_eq!(names(&low), ["Lozenges", "Mints", "Quinine"]);
    assert_eq!(low.total, 3);
    // Raising saline's reorder point over its 94 makes it low; discontinuing
    // lozenges takes them off the list.
    fx.run(UpdateProduct {
        id: saline,
        sku: None,
        name: None,
        fields: ProductFields {
            thresholds: Some(Thresholds {
                reorder_point: Some(qi(100)),
                ..Default::default()
            }),
            ..Default::default()
        },
    });
    fx.run(UpdateProduct {
        id: lo,
        sku: None,
        name: None,
        fields: ProductFields {
            status: Some(ProductStatus::Discontinued),
            ..Default::default()
        },
    });
    let low = fx.run(ListProducts {
        low_stock: Some(true),
        sort: Some(ProductSort::OnHand),
        ..Default::default()
    });
    assert_eq!(names(&low), ["Mints", "Quinine", "Saline"]);
    assert_eq!(fx.run(GetDashboard::default()).low_stock, 3);
    assert_eq!(d.pending_adjustments, 1);

    // Managers, admins and head office read it; a cashier does not.
    assert_kind(fx.as_user(cashier, GetDashboard::default()), "forbidden");
    fx.run(GetDashboard::default());
    let b = store_b(&mut fx);
    let in_b = fx.run(GetDashboard { store_id: Some(b) });
    assert_eq!((in_b.today.sales_count, in_b.stock_value), (0, Money::ZERO));
    let e = fx
        .as_user(fx.manager, GetDashboard { store_id: Some(b) })
        .unwrap_err();
    assert!(["forbidden", "not_in_store"].contains(&e.kind()), "{e}");
    fx.assert_verified();
}

// ------------------------------------------------------------ approvers, shifts

#[test]
fn approvers_are_the_stores_active_managers_and_admins_with_a_pin() {
    let mut fx = store_a();
    let mk = |fx: &mut Fx, name: &str, role: Role, pin: Option<&str>| {
        fx.run(CreateUser {
            name: name.into(),
            role,
            pin: pin.map(Into::into),
            store_id: Some(fx.store),
            stores: None,
            head_office: None,
        })
        .id
    };
    let gone = mk(&mut fx, "gone", Role::Manager, Some("4444"));
    mk(&mut fx, "nopin", Role::Manager, None);
    mk(&mut fx, "Bea", Role::Manager, Some("5555"));
    fx.run(UpdateUser {
        id: gone,
        role: None,
        pin: None,
        store_id: None,
        head_office: None,
        is_active: Some(false),
    });
    let b = store_b(&mut fx);
    fx.run(CreateUser {
        name: "bmanager".into(),
        role: Role::Manager,
        pin: Some("6666".into()),
        store_id: Some(b),
        stores: None,
        head_office: None,
    });
    let list = fx.as_user(fx.cashier, ListApprovers::default()).unwrap();
    let names: Vec<&str> = list.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, [ADMIN, "Bea", MANAGER]);
    let e = fx
        .as_user(fx.cashier, ListApprovers { store_id: Some(b) })
        .unwrap_err();
    assert!(["forbidden", "not_in_store"].contains(&e.kind()), "{e}");
}

#[test]
fn past_shifts_are_listed_newest_first_by_till_date_and_state() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "L1", day(300), 100);
    let cashier = fx.cashier;
    // 30 Dec: till-1 opened and closed; 31 Dec: till-2; 1 Jan: till-1 open.
    at(&mut fx, 2025, 12, 30, 8, 0);
    open_shift(&mut fx, cashier, "till-1");
    sell_at(&mut fx, cashier, "till-1", p, "5", "1.00");
    fx.as_user(
        cashier,
        CloseShift {
            terminal_id: "till-1".into(),
            counted_cash: money("50.50"),
            notes: None,
            store_id: None,
        },
    )
    .unwrap();
    at(&mut fx, 2025, 12, 31, 8, 0);
    open_shift(&mut fx, cashier, "till-2");
    fx.as_user(
        cashier,
        CloseShift {
            terminal_id: "till-2".into(),
            counted_cash: money("50.00"),
            notes: None,
            store_id: None,
        },
    )
    .unwrap();
    // 23:30 UTC on the 31st is 1 January in Lagos.
    at(&mut fx, 2025, 12, 31, 23, 30);
    open_shift(&mut fx, cashier, "till-1");
    sell_at(&mut fx, cashier, "till-1", p, "2", "0.40");
    fx.set_now(now());

    let all = fx.as_user(cashier, ListShifts::default()).unwrap();
    assert_eq!(all.total, 3);
    let tills: Vec<(&str, &str)> = all
        .rows
        .iter()
        .map(|s| (s.terminal_id.as_str(), s.status.as_str()))
        .collect();
    assert_eq!(
        tills,
        [
            ("till-1", "open"),
            ("till-2", "closed"),
            ("till-1", "closed")
        ]
    );
    let z = &all.rows[2];
    assert_eq!((z.sales_count, z.sales_total), (1, money("1.00")));
    assert_eq!(z.expected_cash, Some(money("51.00")));
    assert_eq!(z.over_short, Some(money("-0.50")));
    assert_eq!(z.closed_by_name.as_deref(), Some(CASHIER));
    assert_eq!(all.rows[0].expected_cash, None);
    assert_eq!(all.rows[0].sales_total, money("0.40"));

    let ids = |page: pharmapos_engine::sales::shift_list::ShiftPage| {
        (
            page.total,
            page.rows.iter().map(|s| s.shift_id).collect::<Vec<_>>(),
        )
    };
    let want = |i: &[usize]| i.iter().map(|&i| all.rows[i].shift_id).collect::<Vec<_>>();
    let run = |fx: &mut Fx, req: ListShifts| ids(fx.as_user(cashier, req).unwrap());
    assert_eq!(
        run(
            &mut fx,
            ListShifts {
                terminal_id: Some("till-1".into()),
                ..Default::default()
            }
        ),
        (2, want(&[0, 2]))
    );
    assert_eq!(
        run(
            &mut fx,
            ListShifts {
                closed: Some(true),
                ..Default::default()
            }
        ),
        (2, want(&[1, 2]))
    );
    // Local dates: the shift opened at 23:30 UTC on the 31st is on the 1st.
    assert_eq!(
        run(
            &mut fx,
            ListShifts {
                from: Some(day(-1)),
                to: Some(day(-1)),
                ..Default::default()
            }
        ),
        (1, want(&[1]))
    );
    assert_eq!(
        run(
            &mut fx,
            ListShifts {
                from: Some(day(0)),
                ..Default::default()
            }
        ),
        (1, want(&[0]))
    );
    assert_eq!(
        run(
            &mut fx,
            ListShifts {
                limit: Some(2),
                offset: Some(1),
                ..Default::default()
            }
        ),
        (3, want(&[1, 2]))
    );
    assert_kind(
        fx.as_user(
            cashier,
            ListShifts {
                from: Some(day(1)),
                to: Some(day(0)),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    assert_kind(
        fx.as_user(
            cashier,
            ListShifts {
                terminal_id: Some("till 1; --".into()),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
    let b = store_b(&mut fx);
    assert_eq!(
        run(
            &mut fx,
            ListShifts {
                store_id: None,
                ..Default::default()
            }
        )
        .0,
        3
    );
    let e = fx
        .as_user(
            cashier,
            ListShifts {
                store_id: Some(b),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(["forbidden", "not_in_store"].contains(&e.kind()), "{e}");
}

// ------------------------------------------------------------ verify

#[test]
fn verify_recomputes_the_running_totals_the_lists_read() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "L1", day(100), 10);
    let c = fx.cashier;
    sell(&mut fx, c, p, "4", "1.00");
    fx.run(SetBatchStatus {
        batch_id: b,
        status: BatchStatus::Quarantine,
        reason: Some("check".into()),
        recall_class: None,
    });
    fx.assert_verified();
    let raw = fx.raw();
    raw.execute(
        "UPDATE stock_levels SET on_hand_milli = on_hand_milli + 1000",
        [],
    )
    .unwrap();
    raw.execute("UPDATE batch_totals SET value_e7 = value_e7 + 1", [])
        .unwrap();
    drop(raw);
    let r = fx.db.verify().unwrap();
    assert!(!r.ok);
    let kinds: Vec<&str> = r.problems.iter().map(|p| p.kind.as_str()).collect();
    assert!(
        kinds.iter().filter(|k| **k == "totals").count() >= 2,
        "{:?}",
        r.problems
    );
    assert!(
        r.problems[0].message.contains("PCM-500"),
        "{:?}",
        r.problems
    );
}

// ------------------------------------------------------------ query plans

/// SQLite plans without statistics (no ANALYZE), so a new index that
/// starts with the store can be taken for queries it makes slower. The
/// till's per-product lookups keep the FEFO index, and the lists' orders
/// come from an index, not a sort, whatever the data (checked on the plan,
/// since a 5-batch test file is fast either way).
/// Finding a subject's open alert is an index seek with its kind and
/// without it (V21): a sweep runs it once per alert it wants, so a scan of
/// the type's open alerts here made a full sweep quadratic (40,000 expiring
/// batches: minutes). The statements are `alerts::open_alert`'s.
#[test]
fn an_open_alert_is_found_by_seek_with_or_without_its_kind() {
    let fx = store_a();
    let raw = fx.raw();
    let plan = |sql: &str| -> String {
        let mut stmt = raw.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map(
                rusqlite::params!["s", "expiring_soon", "b", None::<String>],
                |r| r.get::<_, String>(3),
            )
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows.join(" | ")
    };
    let with_kind = plan(
        "SELECT id, severity, subject_kind FROM alerts
          WHERE store_id = ?1 AND alert_type = ?2 AND subject_kind = ?4 AND subject_id = ?3
            AND status IN ('active', 'acknowledged')",
    );
    assert!(
        with_kind.contains("ux_alerts_open_subject (store_id=? AND alert_type=? AND subject_kind=? AND subject_id=?)"),
        "{with_kind}"
    );
    let without = plan(
        "SELECT id, severity, subject_kind FROM alerts INDEXED BY ix_alerts_open_subject_id
          WHERE store_id = ?1 AND alert_type = ?2 AND subject_id = ?3 AND ?4 IS NULL
            AND status IN ('active', 'acknowledged')",
    );
    assert!(
        without
            .contains("ix_alerts_open_subject_id (store_id=? AND alert_type=? AND subject_id=?)"),
        "{without}"
    );
    // The sweep after a sale: the touched products' open alerts (V22).
    let mut stmt = raw
        .prepare(
            "EXPLAIN QUERY PLAN SELECT alert_type, subject_id FROM alerts
              WHERE store_id = ?1 AND status IN ('active', 'acknowledged')
                AND subject_kind <> 'vial_session'
                AND product_id IN (SELECT value FROM json_each(?2)) AND alert_type <> 'reorder_recommended'",
        )
        .unwrap();
    let scoped = stmt
        .query_map(rusqlite::params!["s", "[\"p\"]"], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<rusqlite::Result<Vec<_>>>()
        .unwrap()
        .join(" | ");
    assert!(
        scoped.contains("ix_alerts_open_product (store_id=? AND product_id=?)"),
        "{scoped}"
    );
    // The open alerts by severity, from the index alone (V22).
    let counts: String = raw
        .query_row(
            "EXPLAIN QUERY PLAN SELECT severity, COUNT(*) FROM alerts
              WHERE store_id = 's' AND status IN ('active', 'acknowledged') GROUP BY severity",
            [],
            |r| r.get(3),
        )
        .unwrap();
    assert!(
        counts.contains("COVERING INDEX ix_alerts_open_severity"),
        "{counts}"
    );
}

#[test]
fn the_till_keeps_its_fefo_index_and_the_lists_walk_theirs() {
    let fx = store_a();
    let raw = fx.raw();
    let plan = |sql: &str| -> String {
        let mut stmt = raw.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        rows.join(" | ")
    };
    for sql in [
        // scan_barcode, cart_view, search_products, list_products' rows.
        "SELECT SUM(on_hand_milli) FROM batches WHERE product_id = 'p' AND store_id = 's' AND status = 'available' AND expiry_date >= '2026-01-01'",
        "SELECT SUM(on_hand_milli - reserved_milli), MIN(expiry_date) FROM batches WHERE product_id = 'p' AND store_id = 's'
           AND status = 'available' AND expiry_date >= '2026-01-01' AND on_hand_milli > reserved_milli",
    ] {
        let p = plan(sql);
        assert!(p.contains("ix_batches_product_store_expiry"), "{p}");
    }
    let view = "SELECT b.id FROM batches b JOIN products p ON p.id = b.product_id LEFT JOIN suppliers s ON s.id = b.supplier_id
                WHERE b.store_id = 's' AND b.status <> 'depleted' AND b.on_hand_milli > 0";
    for (order, index) in [
        (
            "ORDER BY b.expiry_date, b.rowid",
            "ix_batches_store_expiry_live",
        ),
        (
            "ORDER BY b.batch_number DESC, b.rowid DESC",
            "ix_batches_store_batch_number",
        ),
    ] {
        let p = plan(&format!("{view} {order} LIMIT 100"));
        assert!(
            p.contains(index) && !p.contains("TEMP B-TREE"),
            "{order}: {p}"
        );
    }
    // No index is written by a sale beyond what the till had: batches by
    // value are sorted, not walked; the batch rows alone are sorted (the
    // page's rowids), and only the page is joined to its products.
    let order = "ORDER BY b.on_hand_milli * b.cost_price_e4 DESC, b.rowid DESC";
    let p = plan(&format!(
        "SELECT b.id FROM batches b JOIN products p ON p.id = b.product_id LEFT JOIN suppliers s ON s.id = b.supplier_id
          WHERE b.rowid IN (SELECT b.rowid FROM batches b WHERE b.store_id = 's' AND b.status <> 'depleted' AND b.on_hand_milli > 0
                             {order} LIMIT 100) {order}"
    ));
    assert!(p.contains("TEMP B-TREE"), "{p}");
    assert!(p.contains("LIST SUBQUERY"), "{p}");
    assert!(
        p.contains("SEARCH b USING INTEGER PRIMARY KEY (rowid=?)"),
        "the page's batches are looked up by rowid: {p}"
    );
    let p = plan(
        "SELECT b.id FROM products p CROSS JOIN batches b ON p.id = b.product_id WHERE b.store_id = 's'
          AND b.status <> 'depleted' AND b.on_hand_milli > 0
          ORDER BY p.name COLLATE NOCASE, p.rowid, b.expiry_date, b.rowid LIMIT 100",
    );
    assert!(
        p.contains("ix_products_name") && !p.contains("TEMP B-TREE"),
        "{p}"
    );
    let p = plan(
        "SELECT b.id FROM batches b WHERE b.store_id = 's' AND b.status = 'quarantine' AND b.status <> 'available'
          ORDER BY b.expiry_date, b.rowid LIMIT 100",
    );
    assert!(
        p.contains("ix_batches_store_status_expiry") && !p.contains("TEMP B-TREE"),
        "{p}"
    );
    for (from, order, index) in [
        (
            "products p CROSS JOIN stock_levels sl",
            "p.name COLLATE NOCASE, p.rowid",
            "ix_products_name",
        ),
        (
            "products p CROSS JOIN stock_levels sl",
            "p.selling_price_e4 DESC, p.rowid DESC",
            "ix_products_selling_price",
        ),
    ] {
        let p = plan(&format!(
            "SELECT p.id FROM {from} ON sl.store_id = 's' AND sl.product_id = p.id WHERE p.deleted_at IS NULL ORDER BY {order} LIMIT 100"
        ));
        assert!(
            p.contains(index) && !p.contains("TEMP B-TREE"),
            "{order}: {p}"
        );
    }
}
