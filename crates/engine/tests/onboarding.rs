//! Onboarding a store from CSV (issue 14): every error of a bad file listed
//! at once with its row and field, and nothing written; good files of each
//! kind imported with their events and the ledger verifying; opening stock
//! on hand per batch and sold FEFO; the export → import round trip; the
//! progress entry point.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::catalogue::customers::ListCustomers;
use pharmapos_engine::catalogue::suppliers::ListSuppliers;
use pharmapos_engine::onboarding::export::ExportOnboardingCsv;
use pharmapos_engine::onboarding::{
    run_import_with_progress, ImportKind, ImportOutcome, ImportPhase, ImportPreview, PreviewImport,
    RunImport,
};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::{Error, Result};
use std::collections::BTreeMap;

fn preview(fx: &mut Fx, kind: ImportKind, csv: &str) -> ImportPreview {
    fx.run(PreviewImport {
        kind,
        csv: Some(csv.into()),
        path: None,
        mapping: None,
        store_id: None,
    })
}

fn import(fx: &mut Fx, kind: ImportKind, csv: &str) -> Result<ImportOutcome> {
    let s = fx.manager;
    fx.as_user(
        s,
        RunImport {
            kind,
            csv: Some(csv.into()),
            path: None,
            mapping: None,
            store_id: None,
        },
    )
}

/// What a file can change: rows of each table, and the record's length.
fn snapshot(fx: &Fx) -> Vec<i64> {
    let c = fx.raw();
    [
        "products",
        "product_barcodes",
        "categories",
        "suppliers",
        "customers",
        "batches",
        "purchase_receipts",
        "inventory_audit",
    ]
    .iter()
    .map(|t| {
        c.query_row(&format!("SELECT COUNT(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    })
    .collect()
}

/// The (row, field) of each error, sorted.
fn places(errors: &[pharmapos_engine::onboarding::RowError]) -> Vec<(u64, String)> {
    let mut v: Vec<(u64, String)> = errors
        .iter()
        .map(|e| (e.row, e.field.clone().unwrap_or_default()))
        .collect();
    v.sort();
    v
}

fn expect(list: &[(u64, &str)]) -> Vec<(u64, String)> {
    let mut v: Vec<(u64, String)> = list.iter().map(|(r, f)| (*r, f.to_string())).collect();
    v.sort();
    v
}

/// The preview lists `want`, and the import is refused listing the same,
/// writing nothing.
#[track_caller]
fn refused_with(fx: &mut Fx, kind: ImportKind, csv: &str, want: &[(u64, &str)]) {
    let before = snapshot(fx);
    let p = preview(fx, kind, csv);
    assert_eq!(places(&p.errors), expect(want), "preview: {:#?}", p.errors);
    assert_eq!(p.error_count, want.len() as u64);
    let e = assert_kind(import(fx, kind, csv), "invalid_input");
    match &e {
        Error::ImportRejected {
            errors,
            error_count,
            field,
            ..
        } => {
            assert_eq!(places(errors), expect(want));
            assert_eq!(*error_count, want.len() as u64);
            assert_eq!(field.as_deref(), Some("csv"));
        }
        other => panic!("expected the row errors, got {other:?}"),
    }
    assert_eq!(e.details()["errors"].as_array().unwrap().len(), want.len());
    assert_eq!(snapshot(fx), before, "nothing is written");
}

#[test]
fn a_bad_catalogue_lists_every_error_and_writes_nothing() {
    let mut fx = store_a();
    fx.paracetamol();
    let csv = "sku,name,selling_price,cost_price,tax_rate,barcodes,reorder_point\n\
               AMX-1,Amoxicillin,35.00,12.00,7.5,111,10\n\
               AMX-1,Amoxicillin again,abc,12,7.5,,\n\
               pcm-500,Paracetamol,10,5,150,6151100012345,\n\
               ,Nameless,1,1,,,\n\
               \"X,1\",\"Quoted, name\nwith a newline\",1,1,,222|111,\n\
               NEG-1,Negative,-5,1,,,-3\n";
    refused_with(
        &mut fx,
        ImportKind::Products,
        csv,
        &[
            (3, "selling_price"),
            (3, "sku"),
            (4, "tax_rate"),
            (4, "sku"),
            (4, "barcodes"),
            (5, "sku"),
            (6, "barcodes"),
            (7, "selling_price"),
            (7, "reorder_point"),
        ],
    );
    let p = preview(&mut fx, ImportKind::Products, csv);
    // Rows count records, lines count text lines (row 6 spans two).
    let last = p.errors.iter().find(|e| e.row == 7).unwrap();
    assert_eq!(last.line, 8);
    let bad = p
        .errors
        .iter()
        .find(|e| e.row == 3 && e.field.as_deref() == Some("selling_price"))
        .unwrap();
    assert_eq!(bad.value.as_deref(), Some("abc"));
    assert_eq!(bad.column.as_deref(), Some("selling_price"));
    assert_eq!(p.total_rows, 6);
    assert_eq!(p.rows[4]["name"], "Quoted, name\nwith a newline");
    assert_eq!(p.rows[4]["sku"], "X,1");
}

#[test]
fn missing_columns_empty_and_header_only_files() {
    let mut fx = store_a();
    // No column maps to sku or name: said once, on the header.
    refused_with(
        &mut fx,
        ImportKind::Products,
        "foo,bar\n1,2\n3,4\n",
        &[(1, "name"), (1, "sku")],
    );
    refused_with(&mut fx, ImportKind::Products, "sku,name\n", &[(1, "")]);
    let s = fx.manager;
    for csv in ["", "\n\n"] {
        let before = snapshot(&fx);
        let e = assert_kind(
            fx.as_user(
                s,
                RunImport {
                    kind: ImportKind::Products,
                    csv: Some(csv.into()),
                    path: None,
                    mapping: None,
                    store_id: None,
                },
            ),
            "invalid_input",
        );
        assert!(matches!(e, Error::InvalidInput { .. }), "{e:?}");
        assert_eq!(snapshot(&fx), before);
    }
    // A mapping naming a field or a column that does not exist.
    let e = assert_kind(
        fx.as_user(
            s,
            PreviewImport {
                kind: ImportKind::Products,
                csv: Some("a,b\n1,2\n".into()),
                path: None,
                mapping: Some(BTreeMap::from([("colour".to_string(), "a".to_string())])),
                store_id: None,
            },
        ),
        "invalid_input",
    );
    assert!(e.to_string().contains("colour"));
}

#[test]
fn a_mapping_and_a_bom_and_synonyms() {
    let mut fx = store_a();
    let csv = "\u{feff}Internal Reference,Title,Price EUR,Extra\nAMX-1,Amoxicillin,3.50,x\n";
    let p = preview(&mut fx, ImportKind::Products, csv);
    assert_eq!(p.header[0], "Internal Reference");
    assert_eq!(p.suggested_mapping["sku"], "Internal Reference");
    assert_eq!(p.suggested_mapping["name"], "Title");
    assert!(!p.suggested_mapping.contains_key("selling_price"));
    assert_eq!(p.unmapped_columns, ["Price EUR", "Extra"]);
    assert!(p.fields.iter().any(|f| f.name == "sku" && f.required));
    let s = fx.manager;
    let out = fx
        .as_user(
            s,
            RunImport {
                kind: ImportKind::Products,
                csv: Some(csv.into()),
                path: None,
                mapping: Some(BTreeMap::from([(
                    "selling_price".to_string(),
                    "price eur".to_string(),
                )])),
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(out.created.products, 1);
    let price: i64 = fx
        .raw()
        .query_row(
            "SELECT selling_price_e4 FROM products WHERE sku = 'AMX-1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(price, 35_000);
}

#[test]
fn a_good_catalogue_imports_with_its_events_and_categories() {
    let mut fx = store_a();
    let events = fx.event_count();
    let csv = "sku,name,category,kind,unit,barcodes,cost_price,selling_price,tax_rate,prescription_only,reorder_point,track_lot,expiry_required,refrigerated,status\n\
               AMX-1,Amoxicillin 250mg,Antibiotics,medicine,capsule,111|112,12.00,35.00,7.5%,yes,10,yes,yes,no,active\n\
               CTZ-1,Cetirizine 10mg,Antihistamines,medicine,tablet,113,4,12,0,no,,,,,\n\
               GLV-1,Gloves,Consumables,consumable,pair,,1.5,3,,n,,no,no,,\n";
    let p = preview(&mut fx, ImportKind::Products, csv);
    assert_eq!(p.error_count, 0, "{:?}", p.errors);
    assert_eq!(p.will_create.products, 3);
    assert_eq!(p.will_create.categories, 3);
    let out = import(&mut fx, ImportKind::Products, csv).unwrap();
    assert_eq!(out.created.products, 3);
    assert_eq!(out.created.categories, 3);
    // One product_created per product, one category_created per category.
    assert_eq!(fx.event_count(), events + 6);
    let kinds: i64 = fx
        .raw()
        .query_row(
            "SELECT COUNT(*) FROM inventory_audit WHERE change_type = 'product_created'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kinds, 3);
    let (rx, tax, track): (bool, String, bool) = fx
        .raw()
        .query_row(
            "SELECT prescription_only, tax_rate, track_lot FROM products WHERE sku = 'AMX-1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(rx);
    assert_eq!(tax, "7.5");
    assert!(track);
    fx.assert_verified();
    // The same file again: every SKU and barcode is now taken.
    refused_with(
        &mut fx,
        ImportKind::Products,
        csv,
        &[
            (2, "sku"),
            (2, "barcodes"),
            (2, "barcodes"),
            (3, "sku"),
            (3, "barcodes"),
            (4, "sku"),
        ],
    );
}

#[test]
fn suppliers_and_customers_are_checked_and_imported() {
    let mut fx = store_a();
    refused_with(
        &mut fx,
        ImportKind::Suppliers,
        "name,email,quality_rating,is_active\n\
         emzor distribution,a@b.c,3,yes\n\
         Meds Direct,not-an-email,7,yes\n\
         Meds Direct,x@y.z,,maybe\n",
        &[(2, "name"), (3, "email"), (4, "name"), (4, "is_active")],
    );
    let events = fx.event_count();
    let out = import(
        &mut fx,
        ImportKind::Suppliers,
        "Supplier Name,Email,Payment Terms,Active\nMeds Direct,sales@meds.example,Net 14,yes\nOld Vendor,,COD,no\n",
    )
    .unwrap();
    assert_eq!(out.created.suppliers, 2);
    // Two supplier_created, and the deactivation of the second.
    assert_eq!(fx.event_count(), events + 3);
    let active = fx.run(ListSuppliers::default());
    assert!(active.iter().any(|s| s.name == "Meds Direct"));
    assert!(!active.iter().any(|s| s.name == "Old Vendor"));

    refused_with(
        &mut fx,
        ImportKind::Customers,
        "code,name,email,date_of_birth\n\
         C1,Ada,ada@example.com,1990-01-31\n\
         c1,Bola,bola-at-example,2030-01-01\n\
         C3,,,31/12/1990\n",
        &[
            (3, "code"),
            (3, "email"),
            (3, "date_of_birth"),
            (4, "name"),
            (4, "date_of_birth"),
        ],
    );
    let events = fx.event_count();
    let out = import(
        &mut fx,
        ImportKind::Customers,
        "Customer ID,Customer Name,Mobile No,Date of Birth\nC-1,Adaeze Okafor,+234 1,1988-04-12\nC-2,Tunde Bello,,\n",
    )
    .unwrap();
    assert_eq!(out.created.customers, 2);
    assert_eq!(fx.event_count(), events + 2);
    let page = fx.run(ListCustomers {
        q: Some("tun".into()),
        ..Default::default()
    });
    assert_eq!(page.total, 1);
    assert_eq!(page.customers[0].code.as_deref(), Some("C-2"));
    fx.assert_verified();
}

const STOCK_HEADER: &str =
    "sku,barcode,batch_number,expiry_date,quantity,cost_price,supplier,received_date\n";

#[test]
fn bad_opening_stock_lists_every_error_and_writes_nothing() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    fx.botox();
    fx.receive(pcm, "OLD-1", day(100), 5);
    let csv = format!(
        "{STOCK_HEADER}\
         NOPE,,B1,2027-01-01,10,1,,\n\
         ,999,B2,2027-01-01,10,1,,\n\
         PCM-500,,B3,2027-01-01,10,1,Nobody Ltd,\n\
         PCM-500,,B4,2027-01-01,-3,1,,\n\
         PCM-500,,B5,2027-01-01,0,1,,\n\
         PCM-500,,B6,01/02/2027,10,1,,\n\
         PCM-500,,B7,2025-12-31,10,1,,\n\
         PCM-500,,B8,2027-01-01,10,1,,\n\
         PCM-500,,B8,2027-01-01,10,1,,\n\
         PCM-500,,OLD-1,2027-01-01,10,1,,\n\
         PCM-500,,B9,2027-01-01,2.5,1,,\n\
         PCM-500,,B10,,10,1,,\n\
         PCM-500,,B11,2027-01-01,10,1.2.3,,\n\
         BTX-100,6151100012345,B12,2027-01-01,10,1,,\n\
         PCM-500,,B13,2027-01-01,10,1,,2026-06-01\n"
    );
    refused_with(
        &mut fx,
        ImportKind::OpeningStock,
        &csv,
        &[
            (2, "sku"),
            (3, "barcode"),
            (4, "supplier"),
            (5, "quantity"),
            (6, "quantity"),
            // "01/02/2027" is not a date: said once, not also "needs an expiry date".
            (7, "expiry_date"),
            (8, "expiry_date"),
            (10, "batch_number"),
            (11, "batch_number"),
            (12, "quantity"),
            (13, "expiry_date"),
            (14, "cost_price"),
            (15, "barcode"),
            (16, "received_date"),
        ],
    );
}

#[test]
fn opening_stock_lands_as_receipts_and_sells_fefo() {
    let mut fx = store_a();
    let pcm = fx.paracetamol();
    let events = fx.event_count();
    let csv = format!(
        "{STOCK_HEADER}\
         PCM-500,,L-LATE,2027-06-30,300,0.04,Emzor Distribution,2025-11-01\n\
         ,6151100012345,L-SOON,2026-03-31,120,,Emzor Distribution,\n\
         PCM-500,,L-MID,2026-09-30,80,0.05,,\n"
    );
    let out = import(&mut fx, ImportKind::OpeningStock, &csv).unwrap();
    assert_eq!(out.created.batches, 3);
    assert_eq!(out.created.purchase_receipts, 1);
    // A receipt event per batch.
    assert_eq!(fx.event_count(), events + 3);
    let on_hand: BTreeMap<String, String> = fx
        .inventory()
        .into_iter()
        .map(|b| (b.batch_number, b.quantity.to_string()))
        .collect();
    assert_eq!(
        on_hand,
        BTreeMap::from([
            ("L-LATE".to_string(), "300".to_string()),
            ("L-MID".to_string(), "80".to_string()),
            ("L-SOON".to_string(), "120".to_string()),
        ])
    );
    let receipts: i64 = fx
        .raw()
        .query_row(
            "SELECT COUNT(*) FROM inventory_audit WHERE change_type = 'receipt' AND notes = 'opening stock'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(receipts, 3);
    let (received, cost): (String, i64) = fx
        .raw()
        .query_row(
            "SELECT received_date, cost_price_e4 FROM batches WHERE batch_number = 'L-SOON'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(received, "2026-01-01");
    assert_eq!(cost, 500, "no cost given: the product's");
    fx.assert_verified();
    // FEFO: the earliest expiry goes first, then the next.
    let sold = fx.run(AllocateStockForSale {
        product_id: pcm,
        store_id: None,
        quantity: qi(150),
        reference_id: None,
        allow_partial: Some(false),
    });
    let got: Vec<(String, String)> = sold
        .batches
        .iter()
        .map(|b| (b.batch_number.clone(), b.quantity.to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("L-SOON".to_string(), "120".to_string()),
            ("L-MID".to_string(), "30".to_string())
        ]
    );
    fx.assert_verified();
}

#[test]
fn a_cashier_may_not_import_and_preview_writes_nothing() {
    let mut fx = store_a();
    let s = fx.cashier;
    assert_kind(
        fx.as_user(
            s,
            RunImport {
                kind: ImportKind::Customers,
                csv: Some("name\nAda\n".into()),
                path: None,
                mapping: None,
                store_id: None,
            },
        ),
        "forbidden",
    );
    let before = snapshot(&fx);
    let p = preview(&mut fx, ImportKind::Customers, "name\nAda\n");
    assert_eq!(p.will_create.customers, 1);
    assert_eq!(snapshot(&fx), before);
}

fn export(fx: &mut Fx, kind: ImportKind) -> String {
    fx.run(ExportOnboardingCsv {
        kind,
        store_id: None,
    })
    .csv
}

#[test]
fn export_then_import_into_a_fresh_file_gives_the_same_data() {
    let mut fx = store_a();
    import(
        &mut fx,
        ImportKind::Products,
        "sku,name,category,kind,unit,barcodes,cost_price,selling_price,tax_rate,prescription_only,reorder_point,min_level,max_level,lead_time_days,allow_fractional,track_lot,track_serial,expiry_required,refrigerated,status,generic_name,brand,description,nafdac_number,retail_price,markup_percent,commission_rate\n\
         AMX-1,\"Amoxicillin, 250mg\",Antibiotics,medicine,capsule,111|112,12.00,35.00,7.5,yes,10,5,500,3,no,yes,no,yes,no,active,amoxicillin,Emzor,\"Line one\nline two\",A4-1,40,20,2.5\n\
         BTX-1,Toxin,Aesthetics,neurotoxin,unit,,900,2500,0,yes,,,,,yes,yes,no,yes,yes,active,,,,,,,\n",
    )
    .unwrap();
    import(
        &mut fx,
        ImportKind::Suppliers,
        "name,contact_person,email,phone,address,account_number,payment_terms,tax_id,is_preferred,categories,on_time_delivery_rate,quality_rating,average_lead_time_days,notes,is_active\n\
         Meds Direct,Bola,sales@meds.example,+234 1,\"1 Road, Lagos\",AC-9,Net 14,TIN-1,yes,medicine|filler,95.5,4.5,3,good,yes\n\
         Old Vendor,,,,,,,,no,,,,,,no\n",
    )
    .unwrap();
    import(
        &mut fx,
        ImportKind::Customers,
        "code,name,phone,email,date_of_birth,address,notes,is_active\nC-1,Ada,+234 1,ada@example.com,1988-04-12,\"2 Street, Abuja\",likes mornings,yes\nC-2,Old,,,,,,no\n",
    )
    .unwrap();
    import(
        &mut fx,
        ImportKind::OpeningStock,
        "sku,batch_number,expiry_date,quantity,cost_price,supplier,reference_number,location,manufacture_date,received_date\n\
         AMX-1,A1,2027-01-31,100,11.50,Meds Direct,INV-1,Shelf 2,2025-01-01,2025-12-01\n\
         BTX-1,T1,2026-06-30,12.5,880,,,Fridge,,\n",
    )
    .unwrap();
    let kinds = [
        ImportKind::Products,
        ImportKind::Suppliers,
        ImportKind::Customers,
        ImportKind::OpeningStock,
    ];
    let first: Vec<String> = kinds.iter().map(|k| export(&mut fx, *k)).collect();
    assert!(first[0].starts_with("sku,name,"));
    assert!(first[0].contains("\"Amoxicillin, 250mg\""));

    let mut fresh = store_a();
    for (k, csv) in kinds.iter().zip(&first) {
        // The fresh file's template supplier is there already: import the
        // others only.
        let csv = if *k == ImportKind::Suppliers {
            csv.lines()
                .filter(|l| !l.starts_with("Emzor Distribution"))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            csv.clone()
        };
        import(&mut fresh, *k, &csv).unwrap_or_else(|e| panic!("{k:?}: {e}"));
    }
    let second: Vec<String> = kinds.iter().map(|k| export(&mut fresh, *k)).collect();
    assert_eq!(first, second);
    fresh.assert_verified();
}

#[test]
fn the_progress_entry_point_reports_each_phase() {
    let mut fx = store_a();
    let mut csv = String::from("sku,name\n");
    for i in 0..10_000 {
        csv.push_str(&format!("S{i:05},Product {i}\n"));
    }
    let s = fx.manager;
    let mut seen = Vec::new();
    let out = run_import_with_progress(
        &mut fx.db,
        &s,
        RunImport {
            kind: ImportKind::Products,
            csv: Some(csv),
            path: None,
            mapping: None,
            store_id: None,
        },
        &mut |p| seen.push(p),
    )
    .unwrap();
    assert_eq!(out.created.products, 10_000);
    assert_eq!(seen.first().unwrap().phase, ImportPhase::Checking);
    assert!(seen
        .iter()
        .any(|p| p.phase == ImportPhase::Writing && p.rows_written > 0));
    let last = seen.last().unwrap();
    assert_eq!(
        (last.phase, last.percent, last.rows_written),
        (ImportPhase::Done, 100, 10_000)
    );
    assert!(seen.windows(2).all(|w| w[0].percent <= w[1].percent));
    // The same permission as the operation: a cashier is refused.
    let c = fx.cashier;
    assert_kind(
        run_import_with_progress(
            &mut fx.db,
            &c,
            RunImport {
                kind: ImportKind::Customers,
                csv: Some("name\nAda\n".into()),
                path: None,
                mapping: None,
                store_id: None,
            },
            &mut |_| {},
        ),
        "forbidden",
    );
}

/// 20,000 opening-stock rows from a file on disk (the million-row case is
/// `pharmapos bench-import`, in release).
#[test]
fn twenty_thousand_opening_stock_rows_from_a_path() {
    let mut fx = store_a();
    let mut products = String::from("sku,name,cost_price\n");
    for i in 0..200 {
        products.push_str(&format!("P{i:03},Product {i},1.00\n"));
    }
    import(&mut fx, ImportKind::Products, &products).unwrap();
    let path = fx.dir.path().join("stock.csv");
    let mut stock = String::from("sku,batch_number,expiry_date,quantity\n");
    for i in 0..20_000 {
        stock.push_str(&format!(
            "P{:03},B{i:06},2027-{:02}-15,{}\n",
            i % 200,
            1 + i % 12,
            1 + i % 50
        ));
    }
    std::fs::write(&path, stock).unwrap();
    let s = fx.manager;
    let out = fx
        .as_user(
            s,
            RunImport {
                kind: ImportKind::OpeningStock,
                csv: None,
                path: Some(path.display().to_string()),
                mapping: None,
                store_id: None,
            },
        )
        .unwrap();
    assert_eq!(out.rows, 20_000);
    assert_eq!(out.created.batches, 20_000);
    let total: i64 = fx
        .raw()
        .query_row("SELECT SUM(on_hand_milli) FROM batches", [], |r| r.get(0))
        .unwrap();
    let want: i64 = (0..20_000i64).map(|i| (1 + i % 50) * 1000).sum();
    assert_eq!(total, want);
    fx.assert_verified();
}

/// A 1,000,000-row opening-stock file with three bad rows — one near the
/// top, one in the middle, one last — is refused with all three named by
/// row and field, and nothing is written: the all-or-nothing promise at the
/// size a whole store brings (the timing is `pharmapos bench-import`'s).
#[test]
fn a_million_row_file_with_three_bad_rows_names_them_all_and_writes_nothing() {
    let mut fx = store_a();
    let mut products = String::from("sku,name,cost_price\n");
    for i in 0..1000 {
        products.push_str(&format!("P{i:04},Product {i},1.00\n"));
    }
    import(&mut fx, ImportKind::Products, &products).unwrap();
    let before = snapshot(&fx);
    let path = fx.dir.path().join("million.csv");
    let mut stock = String::with_capacity(45_000_000);
    stock.push_str("sku,batch_number,expiry_date,quantity\n");
    for i in 0..1_000_000u32 {
        // Data rows start at spreadsheet row 2.
        let row = i + 2;
        let line = match row {
            10 => format!("P{:04},B{i:07},2027-13-40,5\n", i % 1000),
            500_000 => format!("NOPE,B{i:07},2027-06-15,5\n"),
            1_000_001 => format!("P{:04},B{i:07},2027-06-15,-3\n", i % 1000),
            _ => format!(
                "P{:04},B{i:07},2027-{:02}-15,{}\n",
                i % 1000,
                1 + i % 12,
                1 + i % 50
            ),
        };
        stock.push_str(&line);
    }
    std::fs::write(&path, stock).unwrap();
    let s = fx.manager;
    let err = fx
        .as_user(
            s,
            RunImport {
                kind: ImportKind::OpeningStock,
                csv: None,
                path: Some(path.display().to_string()),
                mapping: None,
                store_id: None,
            },
        )
        .unwrap_err();
    assert_eq!(err.kind(), "invalid_input", "{err}");
    let details = err.details();
    assert_eq!(details["error_count"], 3, "{details}");
    let places: Vec<(u64, String)> = details["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["field"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        places,
        expect(&[
            (10, "expiry_date"),
            (500_000, "sku"),
            (1_000_001, "quantity")
        ])
    );
    assert_eq!(snapshot(&fx), before, "nothing written");
}
