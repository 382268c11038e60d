//! A store is a boundary: for every command of [`COMMANDS`], a user of
//! store B (in each role) addressing store A — directly, or through one of
//! A's batches, sales, shifts, carts, reservations, adjustments, backorders
//! or users — is refused with `forbidden`, and the file is unchanged.
//!
//! The table below has a request for every command, or a documented
//! exemption for the commands that address no store; a command added to
//! `COMMANDS` without either fails the test. Each request is also run by
//! an admin of A on a copy of the file, which must not be refused: the
//! refusal comes from the boundary, not from a request that could never
//! pass. Head office reads every one of A's records and is refused every
//! write of A's.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_commands::{dispatch, COMMANDS};
use pharmapos_engine::ids::{SaleId, UserId};
use pharmapos_engine::setup::{initialize, InitRequest};
use pharmapos_engine::{Db, Session};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Commands that address no store, and why that is not a hole.
const EXEMPT: &[(&str, &str)] = &[
    // The shared catalogue is file-wide (head office owns it): these need
    // their permission in at least one store (or head office), no more.
    ("create_product", "catalogue: file-wide"),
    ("update_product", "catalogue: file-wide"),
    ("get_product", "catalogue: file-wide"),
    (
        "delete_product",
        "catalogue: file-wide (refused while any store holds stock)",
    ),
    ("create_category", "catalogue: file-wide"),
    ("list_categories", "catalogue: file-wide"),
    ("create_supplier", "catalogue: file-wide"),
    ("update_supplier", "catalogue: file-wide"),
    ("get_supplier", "catalogue: file-wide"),
    ("list_suppliers", "catalogue: file-wide"),
    ("create_customer", "customers: file-wide, like suppliers (V19)"),
    ("update_customer", "customers: file-wide, like suppliers (V19)"),
    ("list_customers", "customers: file-wide, like suppliers (V19)"),
    ("create_store", "a new store: its creator becomes its admin"),
    // Listings that span stores show only the actor's stores (asserted in
    // `listings_show_only_the_actors_stores`).
    ("list_stores", "lists only the stores the user works in"),
    (
        "list_store_directory",
        "addresses no store: names every active store (id, code, name, address), no settings or stock",
    ),
    (
        "list_users",
        "lists only the users of the stores the user manages",
    ),
    (
        "list_security_log",
        "lists only the entries of the user's stores",
    ),
];

struct Fx {
    _dir: tempfile::TempDir,
    path: PathBuf,
    ids: BTreeMap<&'static str, String>,
    admin_a: Session,
    b_users: Vec<(String, Session)>,
    head_office: Session,
}

fn open(path: &Path) -> Db {
    Db::open(path).unwrap()
}

fn run(db: &mut Db, s: &Session, name: &str, req: Value) -> Value {
    dispatch(db, s, name, req).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn id(v: &Value, field: &str) -> String {
    v[field]
        .as_str()
        .unwrap_or_else(|| panic!("no {field} in {v}"))
        .to_string()
}

fn session(v: &Value) -> Session {
    Session {
        user_id: serde_json::from_value::<UserId>(v["id"].clone()).unwrap(),
    }
}

/// Two stores in one file; A has a record of every kind.
fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("two-stores.db");
    let mut db = open(&path);
    let init = initialize(
        &mut db,
        InitRequest {
            store_name: "Store A".into(),
            store_code: Some("STA".into()),
            timezone: Some("Africa/Lagos".into()),
            currency: None,
            locale: None,
            admin_name: "ada".into(),
            admin_pin: Some("1111".into()),
        },
    )
    .unwrap();
    let ada = Session {
        user_id: init.user_id,
    };
    let mut ids = BTreeMap::new();
    let a = init.store_id.to_string();
    ids.insert("store_a", a.clone());
    let b = id(
        &run(
            &mut db,
            &ada,
            "create_store",
            json!({"name": "Store B", "code": "STB"}),
        ),
        "id",
    );
    let mk = |db: &mut Db, name: &str, role: &str, store: &str| {
        session(&run(
            db,
            &ada,
            "create_user",
            json!({"name": name, "role": role, "store_id": store, "pin": "4321"}),
        ))
    };
    let a_manager = mk(&mut db, "a-manager", "manager", &a);
    let a_cashier = mk(&mut db, "a-cashier", "cashier", &a);
    ids.insert("a_cashier", a_cashier.user_id.to_string());
    let dual = run(
        &mut db,
        &ada,
        "create_user",
        json!({"name": "dual", "role": "cashier", "store_id": b,
               "stores": [{"store_id": a, "role": "cashier"}]}),
    );
    ids.insert("dual", id(&dual, "id"));
    let b_users: Vec<(String, Session)> = ["cashier", "practitioner", "manager", "admin"]
        .iter()
        .map(|role| {
            (
                format!("b-{role}"),
                mk(&mut db, &format!("b-{role}"), role, &b),
            )
        })
        .collect();
    ids.insert("b_cashier", b_users[0].1.user_id.to_string());
    let head_office = session(&run(
        &mut db,
        &ada,
        "create_user",
        json!({"name": "hq", "role": "head_office", "pin": "4321"}),
    ));

    let supplier = id(
        &run(&mut db, &ada, "create_supplier", json!({"name": "Emzor"})),
        "id",
    );
    ids.insert("supplier", supplier.clone());
    let product = id(
        &run(
            &mut db,
            &ada,
            "create_product",
            json!({"sku": "PCM", "name": "Paracetamol", "cost_price": "5.00",
                   "selling_price": "10.00", "barcodes": ["5012345678900"]}),
        ),
        "id",
    );
    ids.insert("product", product.clone());
    let receive = |db: &mut Db, store: &str, lot: &str, expiry: &str| {
        run(
            db,
            &ada,
            "receive_stock",
            json!({"product_id": product, "store_id": store, "supplier_id": supplier,
                   "batch_number": lot, "quantity": "100", "expiry_date": expiry}),
        )
    };
    ids.insert(
        "batch",
        id(&receive(&mut db, &a, "A1", "2030-01-01"), "batch_id"),
    );
    ids.insert(
        "batch2",
        id(&receive(&mut db, &a, "A2", "2031-01-01"), "batch_id"),
    );
    receive(&mut db, &b, "B1", "2030-01-01");
    // A receipt left untouched, for reverse_receipt.
    ids.insert(
        "receipt",
        id(&receive(&mut db, &a, "A3", "2032-01-01"), "receipt_id"),
    );

    // The cold chain and alerts: a 2–8 °C product with a reorder point, a lot
    // of it in A's fridge, a hot reading that held it (an excursion and its
    // alert), and the sweep's alert that none of it is available.
    let vaccine = id(
        &run(
            &mut db,
            &ada,
            "create_product",
            json!({"sku": "VAX", "name": "Vaccine", "cost_price": "5.00",
                   "storage": {"temperature_min_c": "2", "temperature_max_c": "8"},
                   "thresholds": {"reorder_point": "1000"}}),
        ),
        "id",
    );
    let cold_lot = id(
        &run(
            &mut db,
            &ada,
            "receive_stock",
            json!({"product_id": vaccine, "store_id": a, "supplier_id": supplier,
                   "batch_number": "V1", "quantity": "10", "expiry_date": "2030-01-01"}),
        ),
        "batch_id",
    );
    ids.insert("cold_lot", cold_lot.clone());
    let fridge = id(
        &run(
            &mut db,
            &a_manager,
            "create_storage_location",
            json!({"store_id": a, "name": "Fridge", "kind": "fridge"}),
        ),
        "location_id",
    );
    ids.insert("location", fridge.clone());
    run(
        &mut db,
        &a_manager,
        "put_lot_in_location",
        json!({"batch_id": cold_lot, "location_id": fridge}),
    );
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(1)).to_rfc3339();
    let held = run(
        &mut db,
        &a_cashier,
        "record_readings",
        json!({"location_id": fridge, "readings": [{"taken_at": soon, "celsius": "15"}]}),
    );
    ids.insert("excursion", id(&held["excursions"][0], "excursion_id"));
    run(
        &mut db,
        &a_cashier,
        "run_alert_sweep",
        json!({"store_id": a}),
    );
    let low = run(
        &mut db,
        &a_manager,
        "list_alerts",
        json!({"store_id": a, "alert_type": "out_of_stock"}),
    );
    ids.insert("alert", id(&low["rows"][0], "alert_id"));

    let reservation = run(
        &mut db,
        &a_manager,
        "reserve_stock",
        json!({"product_batch_id": ids["batch"], "quantity": "1", "reason": "hold"}),
    );
    ids.insert("reservation", id(&reservation, "reservation_id"));
    // The clinic: a patient, an open vial, a quarantined lot.
    let patient = run(
        &mut db,
        &ada,
        "create_patient",
        json!({"store_id": a, "name": "Pat Lee", "chart_id": "C-1"}),
    );
    ids.insert("patient", id(&patient, "patient_id"));
    let vial = run(
        &mut db,
        &ada,
        "open_vial_session",
        json!({"store_id": a, "product_id": product, "batch_id": ids["batch"], "units": "10"}),
    );
    ids.insert("vial", id(&vial, "session_id"));
    let held = id(&receive(&mut db, &a, "A4", "2033-01-01"), "batch_id");
    run(
        &mut db,
        &ada,
        "set_batch_status",
        json!({"batch_id": held, "status": "quarantine", "reason": "fridge"}),
    );
    ids.insert("held", held);
    let adjustment = run(
        &mut db,
        &a_cashier,
        "adjust_stock",
        json!({"batch_id": ids["batch"], "quantity_change": "-20", "reason": "loss"}),
    );
    assert_eq!(adjustment["status"], "pending");
    ids.insert("adjustment", id(&adjustment, "id"));
    let backorder = run(
        &mut db,
        &a_cashier,
        "create_backorder",
        json!({"product_id": product, "store_id": a, "quantity": "5"}),
    );
    ids.insert("backorder", id(&backorder, "backorder_id"));

    let shift = run(
        &mut db,
        &a_cashier,
        "open_shift",
        json!({"terminal_id": "T1", "opening_float": "0", "store_id": a}),
    );
    ids.insert("shift", id(&shift, "shift_id"));
    let cart_with_line = |db: &mut Db| {
        let cart = id(
            &run(
                db,
                &a_cashier,
                "open_cart",
                json!({"terminal_id": "T1", "store_id": a}),
            ),
            "cart_id",
        );
        let v = run(
            db,
            &a_cashier,
            "add_cart_line",
            json!({"cart_id": cart, "product_id": product}),
        );
        (cart, id(&v["lines"][0], "line_id"))
    };
    let (sold, _) = cart_with_line(&mut db);
    let sale = run(
        &mut db,
        &a_cashier,
        "complete_sale",
        json!({"sale_id": SaleId::new(), "cart_id": sold,
               "payments": [{"tender": "cash", "amount": "1000.00"}]}),
    );
    ids.insert("sale", id(&sale, "sale_id"));
    ids.insert("sale_number", id(&sale, "sale_number"));
    ids.insert("sale_line", id(&sale["lines"][0], "sale_line_id"));
    let (held, _) = cart_with_line(&mut db);
    run(&mut db, &a_cashier, "hold_cart", json!({"cart_id": held}));
    ids.insert("held_cart", held);
    let (cart, line) = cart_with_line(&mut db);
    ids.insert("cart", cart);
    ids.insert("line", line);

    // Counts: a draft, one being counted and one completed with no variance.
    let batch2 = ids["batch2"].clone();
    let count = |db: &mut Db| {
        id(
            &run(
                db,
                &a_cashier,
                "create_count",
                json!({"store_id": a, "count_type": "spot", "batch_ids": [batch2]}),
            ),
            "id",
        )
    };
    let draft = count(&mut db);
    let open_count = count(&mut db);
    run(
        &mut db,
        &a_cashier,
        "start_count",
        json!({"count_id": open_count}),
    );
    let done = count(&mut db);
    run(
        &mut db,
        &a_cashier,
        "start_count",
        json!({"count_id": done}),
    );
    run(
        &mut db,
        &a_cashier,
        "record_count",
        json!({"count_id": done, "batch_id": batch2, "quantity": "100"}),
    );
    run(
        &mut db,
        &a_cashier,
        "complete_count",
        json!({"count_id": done}),
    );
    ids.insert("count_draft", draft);
    ids.insert("count_open", open_count);
    ids.insert("count_done", done);

    // Transfers: with a third store C, so that B's users are on neither
    // side (a transfer between A and B is B's business too). A→C ones in
    // each state of the source's steps, with an open and a pending
    // discrepancy; and a C→A one awaiting receipt at A.
    let c = id(
        &run(
            &mut db,
            &ada,
            "create_store",
            json!({"name": "Store C", "code": "STC"}),
        ),
        "id",
    );
    receive(&mut db, &c, "C1", "2030-01-01");
    let batch2 = ids["batch2"].clone();
    let transfer = |db: &mut Db, from: &str, to: &str, steps: &[&str]| {
        // From A, batch A2 by name (A1 carries the other cases' holds); from C, FEFO.
        let line = if from == a {
            json!({"product_id": product, "quantity": "30", "batch_id": batch2})
        } else {
            json!({"product_id": product, "quantity": "30"})
        };
        let t = id(
            &run(
                db,
                &ada,
                "create_transfer",
                json!({"from_store_id": from, "to_store_id": to, "lines": [line]}),
            ),
            "id",
        );
        for step in steps {
            run(db, &ada, step, json!({"transfer_id": t}));
        }
        t
    };
    ids.insert("transfer_draft", transfer(&mut db, &a, &c, &[]));
    ids.insert(
        "transfer_requested",
        transfer(&mut db, &a, &c, &["request_transfer"]),
    );
    ids.insert(
        "transfer_approved",
        transfer(&mut db, &a, &c, &["request_transfer", "approve_transfer"]),
    );
    let all = ["request_transfer", "approve_transfer", "ship_transfer"];
    ids.insert("transfer_to_a", transfer(&mut db, &c, &a, &all));
    let short = transfer(&mut db, &a, &c, &all);
    let lot = id(
        &run(&mut db, &ada, "get_transfer", json!({"transfer_id": short}))["lots"][0],
        "id",
    );
    run(
        &mut db,
        &ada,
        "receive_transfer",
        json!({"transfer_id": short, "close": true,
               "lines": [{"lot_id": lot, "received": "5", "damaged": "1"}]}),
    );
    let discrepancies =
        run(&mut db, &ada, "get_transfer", json!({"transfer_id": short}))["discrepancies"].clone();
    ids.insert("discrepancy_open", id(&discrepancies[0], "id"));
    // 24 short at 5.00 is 120.00, over A's 100.00: a cashier's resolution waits.
    let pending = run(
        &mut db,
        &a_cashier,
        "resolve_discrepancy",
        json!({"discrepancy_id": id(&discrepancies[1], "id"), "resolution": "lost_in_transit"}),
    );
    assert_eq!(pending["status"], "pending_approval");
    ids.insert("discrepancy_pending", id(&pending, "id"));
    ids.insert("store_c", c);

    // Purchase orders of A: a draft, one waiting for a manager (600.00 is
    // over A's 500.00, submitted by a practitioner of A) and a submitted one.
    let a_practitioner = mk(&mut db, "a-practitioner", "practitioner", &a);
    let (po_supplier, po_product) = (ids["supplier"].clone(), ids["product"].clone());
    let po = |db: &mut Db, who: &Session, qty: &str| {
        run(
            db,
            who,
            "create_purchase_order",
            json!({"store_id": a, "supplier_id": po_supplier,
                   "lines": [{"product_id": po_product, "quantity": qty, "unit_cost": "1"}]}),
        )
    };
    ids.insert("po_draft", id(&po(&mut db, &ada, "2"), "id"));
    let pending = id(&po(&mut db, &a_practitioner, "600"), "id");
    let waiting = run(
        &mut db,
        &a_practitioner,
        "submit_purchase_order",
        json!({"purchase_order_id": pending}),
    );
    assert_eq!(waiting["status"], "pending_approval");
    ids.insert("po_pending", pending);
    let submitted = po(&mut db, &ada, "3");
    ids.insert("po_item", id(&submitted["items"][0], "id"));
    let submitted = id(&submitted, "id");
    run(
        &mut db,
        &ada,
        "submit_purchase_order",
        json!({"purchase_order_id": submitted}),
    );
    ids.insert("po_submitted", submitted);
    drop(db);
    Fx {
        _dir: dir,
        path,
        ids,
        admin_a: ada,
        b_users,
        head_office,
    }
}

/// A request addressing store A for each command that addresses a store.
fn case(name: &str, ids: &BTreeMap<&'static str, String>) -> Option<Value> {
    let a = &ids["store_a"];
    let i = |k: &str| ids[k].clone();
    Some(match name {
        "receive_stock" => {
            json!({"product_id": i("product"), "store_id": a, "supplier_id": i("supplier"),
                                  "batch_number": "A9", "quantity": "1", "expiry_date": "2030-01-01"})
        }
        "parse_scan" => json!({"code": "(01)05012345678900(17)301231(10)A9", "store_id": a}),
        "receive_delivery" => {
            json!({"store_id": a, "supplier_id": i("supplier"), "reference_number": "INV-B",
                                     "lines": [{"product_id": i("product"), "batch_number": "A8",
                                                "quantity": "1", "expiry_date": "2030-01-01"}]})
        }
        "allocate_stock_for_sale" => {
            json!({"product_id": i("product"), "store_id": a, "quantity": "1"})
        }
        "reserve_stock" => {
            json!({"product_batch_id": i("batch"), "quantity": "1", "reason": "hold"})
        }
        "release_reservation" => json!({"reservation_id": i("reservation")}),
        "confirm_reservation" => json!({"reservation_id": i("reservation")}),
        "release_expired_reservations" => json!({"store_id": a}),
        "list_reservations" => json!({"store_id": a}),
        "adjust_stock" => {
            json!({"batch_id": i("batch"), "quantity_change": "-1", "reason": "loss"})
        }
        "approve_adjustment" => json!({"adjustment_id": i("adjustment")}),
        "reject_adjustment" => {
            json!({"adjustment_id": i("adjustment"), "notes": "not today"})
        }
        "list_adjustments" => json!({"store_id": a}),
        "writeoff_batch" => json!({"batch_id": i("batch2"), "reason": "damage"}),
        "return_to_supplier" => {
            json!({"batch_id": i("batch"), "quantity": "1", "reason": "damage"})
        }
        "list_approvals" => json!({"store_id": a}),
        "configure_sync" => json!({"store_id": a, "server_url": "https://sync.example.com"}),
        "get_sync_status" => json!({"store_id": a}),
        "set_stock_freeze_date" => {
            json!({"store_id": a, "freeze_date": "2020-01-01", "reason": "closed"})
        }
        "set_batch_status" => {
            json!({"batch_id": i("batch2"), "status": "quarantine", "reason": "check"})
        }
        "expire_batches_within_days" => json!({"store_id": a, "days": 0}),
        "get_expiring_batches" => json!({"store_id": a}),
        "get_expired_batches" => json!({"store_id": a}),
        "get_store_inventory" => json!({"store_id": a}),
        "list_batches" => json!({"store_id": a}),
        "list_products" => json!({"store_id": a}),
        "get_dashboard" => json!({"store_id": a}),
        "get_stock_valuation" => json!({"store_id": a}),
        "get_batch_aging" => json!({"store_id": a}),
        "get_expiry_risk" => json!({"store_id": a}),
        "get_movement_log" => json!({"store_id": a}),
        "get_waste_report" => json!({"store_id": a}),
        "get_sales_report" => json!({"store_id": a}),
        "export_report_csv" => {
            json!({"report": "sales_report", "store_id": a, "group_by": "product"})
        }
        "list_approvers" => json!({"store_id": a}),
        "list_shifts" => json!({"store_id": a}),
        "get_batch" => json!({"batch_id": i("batch")}),
        "get_product_stock" => json!({"product_id": i("product"), "store_id": a}),
        "create_backorder" => json!({"product_id": i("product"), "store_id": a, "quantity": "1"}),
        "fulfill_backorder" => json!({"backorder_id": i("backorder")}),
        "cancel_backorder" => json!({"backorder_id": i("backorder")}),
        "list_backorders" => json!({"store_id": a}),
        "search_products" => json!({"query": "Para", "store_id": a}),
        "update_store" => json!({"id": a, "phone": "0800"}),
        "create_user" => json!({"name": "zed", "role": "cashier", "store_id": a, "pin": "9999"}),
        "update_user" => json!({"id": i("a_cashier"), "pin": "5555"}),
        "assign_user_store" => json!({"user_id": i("b_cashier"), "store_id": a, "role": "cashier"}),
        "remove_user_store" => json!({"user_id": i("dual"), "store_id": a}),
        "list_user_stores" => json!({"user_id": i("a_cashier")}),
        "get_till_settings" => json!({"store_id": a}),
        "update_till_settings" => json!({"store_id": a, "receipt_header": "Store A"}),
        "scan_barcode" => json!({"code": "5012345678900", "store_id": a}),
        "open_cart" => json!({"terminal_id": "T2", "store_id": a}),
        "get_cart" => json!({"cart_id": i("cart")}),
        "add_cart_line" => json!({"cart_id": i("cart"), "product_id": i("product")}),
        "scan_to_cart" => json!({"cart_id": i("cart"), "code": "5012345678900"}),
        "update_cart_line" => json!({"cart_id": i("cart"), "line_id": i("line"), "quantity": "2"}),
        "remove_cart_line" => json!({"cart_id": i("cart"), "line_id": i("line")}),
        "set_line_discount" => json!({"cart_id": i("cart"), "line_id": i("line"),
                                      "discount": {"kind": "percent", "value": "5"}}),
        "set_cart_discount" => {
            json!({"cart_id": i("cart"), "discount": {"kind": "percent", "value": "5"}})
        }
        "override_line_price" => {
            json!({"cart_id": i("cart"), "line_id": i("line"), "unit_price": "9.00"})
        }
        "cancel_cart" => json!({"cart_id": i("cart")}),
        "hold_cart" => json!({"cart_id": i("cart")}),
        "resume_cart" => json!({"cart_id": i("held_cart"), "terminal_id": "T1"}),
        "list_held_carts" => json!({"store_id": a}),
        "complete_sale" => json!({"sale_id": SaleId::new(), "cart_id": i("cart"),
                                  "payments": [{"tender": "cash", "amount": "1000.00"}]}),
        "get_receipt" => json!({"sale_id": i("sale")}),
        "find_sale" => json!({"sale_number": i("sale_number"), "store_id": a}),
        "list_sales" => json!({"store_id": a, "terminal_id": "T1"}),
        "return_items" => json!({"sale_id": i("sale"), "terminal_id": "T1",
                                 "lines": [{"sale_line_id": i("sale_line"), "quantity": "1", "disposition": "restock"}]}),
        "void_sale" => json!({"sale_id": i("sale"), "reason": "keyed twice"}),
        "open_shift" => json!({"terminal_id": "T3", "opening_float": "0", "store_id": a}),
        "close_shift" => json!({"terminal_id": "T1", "counted_cash": "0", "store_id": a}),
        "get_shift_report" => json!({"shift_id": i("shift")}),
        "get_audit_trail" => json!({"store_id": a}),
        "export_audit_csv" => json!({"store_id": a}),
        // Opening stock goes into a store: the import's catalogue kinds are
        // file-wide, but this one addresses A.
        "preview_import" => json!({"kind": "opening_stock", "store_id": a,
                                   "csv": "sku,batch_number,expiry_date,quantity\nPCM,Z1,2030-01-01,5\n"}),
        "run_import" => json!({"kind": "opening_stock", "store_id": a,
                               "csv": "sku,batch_number,expiry_date,quantity\nPCM,Z2,2030-01-01,5\n"}),
        "export_onboarding_csv" => json!({"kind": "opening_stock", "store_id": a}),
        "list_receipts" => json!({"store_id": a}),
        "reverse_receipt" => json!({"receipt_id": i("receipt"), "reason": "booked twice"}),
        "create_patient" => json!({"store_id": a, "name": "Sam Roe"}),
        "update_patient" => json!({"patient_id": i("patient"), "phone": "0800"}),
        "list_patients" => json!({"store_id": a}),
        "get_patient_history" => json!({"patient_id": i("patient")}),
        "list_practitioners" => json!({"store_id": a}),
        "suggest_vial_lots" => json!({"store_id": a, "product_id": i("product")}),
        "open_vial_session" => json!({"store_id": a, "product_id": i("product"), "units": "10"}),
        "record_treatment" => json!({"patient_id": i("patient"),
                                     "sources": [{"session_id": i("vial"), "units": "2"}]}),
        "record_waste" => {
            json!({"session_id": i("vial"), "quantity": "1", "reason": "draw_up_loss"})
        }
        "close_vial_session" => json!({"session_id": i("vial"), "reason": "contamination"}),
        "sweep_vials" => json!({"store_id": a}),
        "list_vial_sessions" => json!({"store_id": a}),
        "get_vial_session" => json!({"session_id": i("vial")}),
        "list_waste" => json!({"store_id": a}),
        "set_vial_policy" => json!({"store_id": a, "product_id": i("product"),
                                    "window_hours": 100, "reason": "ASDS consensus"}),
        "list_vial_policies" => json!({"store_id": a}),
        "get_clinic_settings" => json!({"store_id": a}),
        "update_clinic_settings" => json!({"store_id": a, "vial_reminder_age_hours": 12}),
        "record_recall" => json!({"store_id": a, "batch_ids": [i("batch2")], "fda_class": "II",
                                  "reason": "labelling", "source": "FDA", "recall_date": "2020-01-01"}),
        "list_recalls" => json!({"store_id": a}),
        "import_fda_recalls" => json!({"store_id": a, "report": "{\"results\": []}"}),
        "dispose_batch" => {
            json!({"batch_id": i("held"), "method": "waste", "waste_reason": "damaged"})
        }
        "trace_lot" => json!({"batch_id": i("batch")}),
        "export_lot_trace_csv" => json!({"batch_id": i("batch")}),
        "get_clinic_report" => json!({"store_id": a, "from": "2020-01-01T00:00:00Z",
                                      "to": "2040-01-01T00:00:00Z"}),
        "list_alerts" => json!({"store_id": a}),
        "acknowledge_alert" | "resolve_alert" | "dismiss_alert" => {
            json!({"alert_id": i("alert"), "note": "seen"})
        }
        "record_alert_notification" => {
            json!({"alert_id": i("alert"), "channel": "desktop", "terminal_id": "TILL-1"})
        }
        "run_alert_sweep" => json!({"store_id": a}),
        "get_alert_settings" => json!({"store_id": a}),
        "update_alert_settings" => json!({"store_id": a, "expiry_alert_days": 60}),
        "list_reorder_recommendations" => json!({"store_id": a}),
        "create_storage_location" => json!({"store_id": a, "name": "Shelf 9", "kind": "shelf"}),
        "list_storage_locations" => json!({"store_id": a}),
        "update_storage_location" => json!({"location_id": i("location"), "tolerance_minutes": 20}),
        "put_lot_in_location" => json!({"batch_id": i("batch"), "location_id": i("location")}),
        "record_readings" => json!({"location_id": i("location"),
                                    "readings": [{"taken_at": "2025-06-01T10:00:00Z", "celsius": "5"}]}),
        "import_readings_csv" => json!({"location_id": i("location"),
                                        "csv": "2025-06-01T10:05:00Z,5.5\n"}),
        "list_readings" => json!({"location_id": i("location")}),
        "list_excursions" => json!({"store_id": a}),
        "decide_excursion_lot" => json!({"excursion_id": i("excursion"), "batch_id": i("cold_lot"),
                                         "decision": "release"}),
        "create_transfer" => json!({"from_store_id": a, "to_store_id": i("store_c"),
                                    "lines": [{"product_id": i("product"), "quantity": "1"}]}),
        "request_transfer" => json!({"transfer_id": i("transfer_draft")}),
        "approve_transfer" => json!({"transfer_id": i("transfer_requested")}),
        "ship_transfer" => json!({"transfer_id": i("transfer_approved"), "carrier": "Van"}),
        "cancel_transfer" => json!({"transfer_id": i("transfer_approved"), "reason": "not needed"}),
        "receive_transfer" => json!({"transfer_id": i("transfer_to_a"), "received_quantity": "1"}),
        "resolve_discrepancy" => {
            json!({"discrepancy_id": i("discrepancy_open"), "resolution": "returned"})
        }
        "approve_discrepancy" => json!({"discrepancy_id": i("discrepancy_pending")}),
        "reject_discrepancy" => json!({"discrepancy_id": i("discrepancy_pending"), "reason": "no"}),
        "list_transfers" => json!({"store_id": a}),
        "get_transfer" => json!({"transfer_id": i("transfer_approved")}),
        "get_pending_transfers" => json!({"store_id": a}),
        "initiate_transfer" => json!({"from_store_id": a, "to_store_id": i("store_c"),
                                      "product_id": i("product"), "batch_number": "A2", "quantity": "1"}),
        "create_count" => json!({"store_id": a, "count_type": "full"}),
        "start_count" => json!({"count_id": i("count_draft")}),
        "record_count" => {
            json!({"count_id": i("count_open"), "batch_id": i("batch2"), "quantity": "99"})
        }
        "complete_count" => json!({"count_id": i("count_open"), "uncounted_as_zero": true}),
        "approve_count" => json!({"count_id": i("count_done")}),
        "post_count" => json!({"count_id": i("count_done")}),
        "cancel_count" => json!({"count_id": i("count_draft"), "reason": "duplicate"}),
        "list_counts" => json!({"store_id": a}),
        "get_count" => json!({"count_id": i("count_open")}),
        "reconcile_inventory" => json!({"store_id": a, "notes": "",
                                        "counts_data": [{"product_id": i("product"), "batch_id": i("batch2"), "counted_qty": 99}]}),
        "create_purchase_order" => json!({"store_id": a, "supplier_id": i("supplier"),
                                          "lines": [{"product_id": i("product"), "quantity": "1"}]}),
        "update_purchase_order" => {
            json!({"purchase_order_id": i("po_draft"), "vendor_notes": "hi"})
        }
        "submit_purchase_order" => json!({"purchase_order_id": i("po_draft")}),
        "approve_purchase_order" => json!({"purchase_order_id": i("po_pending")}),
        "reject_purchase_order" => json!({"purchase_order_id": i("po_pending"), "reason": "no"}),
        "confirm_purchase_order" => json!({"purchase_order_id": i("po_submitted")}),
        "ship_purchase_order" => json!({"purchase_order_id": i("po_submitted"), "carrier": "Van"}),
        "receive_purchase_order" => json!({"purchase_order_id": i("po_submitted"),
                                           "lines": [{"item_id": i("po_item"), "batch_number": "PO1",
                                                      "expiry_date": "2030-01-01", "quantity": "1"}]}),
        "cancel_purchase_order" => json!({"purchase_order_id": i("po_submitted"), "reason": "no"}),
        "set_purchase_order_payment" => {
            json!({"purchase_order_id": i("po_submitted"), "payment_status": "paid"})
        }
        "list_purchase_orders" => json!({"store_id": a}),
        "get_purchase_order" => json!({"purchase_order_id": i("po_submitted")}),
        "draft_orders_from_reorder" => json!({"store_id": a}),
        "get_vendor_performance" => json!({"store_id": a}),
        "set_purchase_order_limit" => json!({"store_id": a, "limit": "750"}),
        // Verifies the whole file at once, store A's chain included.
        "verify" => json!({}),
        _ => return None,
    })
}

/// Every row of every table, to compare before and after.
fn dump(path: &Path) -> BTreeMap<String, Vec<String>> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|c| format!("{:?}", r.get_ref(c).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows.sort();
            (t, rows)
        })
        .collect()
}

/// Runs `name` on a copy of the fixture's file; the copy's path and the outcome.
fn on_copy(
    fx: &Fx,
    s: &Session,
    name: &str,
    req: &Value,
    tag: &str,
) -> pharmapos_engine::Result<Value> {
    let copy = fx.path.with_file_name(format!("{name}-{tag}.db"));
    open(&fx.path).backup_to(&copy).unwrap();
    let mut db = open(&copy);
    dispatch(&mut db, s, name, req.clone())
}

#[test]
fn every_command_has_a_boundary_case_or_an_exemption() {
    let ids = fixture().ids;
    for c in COMMANDS {
        let exempt = EXEMPT.iter().any(|(n, _)| *n == c.name);
        let has_case = case(c.name, &ids).is_some();
        assert!(
            exempt ^ has_case,
            "command {}: give it a boundary case (a request addressing store A) or a documented exemption, not {}",
            c.name,
            if exempt { "both" } else { "neither" }
        );
    }
    for (n, _) in EXEMPT {
        assert!(
            COMMANDS.iter().any(|c| c.name == *n),
            "exemption for unknown command {n}"
        );
    }
}

#[test]
fn a_user_of_another_store_is_refused_every_command_and_nothing_changes() {
    let fx = fixture();
    let before = dump(&fx.path);
    let mut db = open(&fx.path);
    for c in COMMANDS {
        let Some(req) = case(c.name, &fx.ids) else {
            continue;
        };
        for (who, s) in &fx.b_users {
            match dispatch(&mut db, s, c.name, req.clone()) {
                Err(e) => assert_eq!(e.kind(), "forbidden", "{} as {who}: {e}", c.name),
                Ok(v) => panic!("{} as {who} was not refused: {v}", c.name),
            }
        }
    }
    drop(db);
    assert_eq!(dump(&fx.path), before, "a refused command changed the file");

    // The same requests from an admin of A are not refused: each case
    // really addresses A and is otherwise well formed.
    for c in COMMANDS {
        let Some(req) = case(c.name, &fx.ids) else {
            continue;
        };
        match on_copy(&fx, &fx.admin_a, c.name, &req, "admin") {
            Ok(_) => {}
            Err(e) => panic!("{} by A's admin failed: {} ({e})", c.name, e.kind()),
        }
    }
}

#[test]
fn head_office_reads_every_store_and_writes_none() {
    let fx = fixture();
    let before = dump(&fx.path);
    let mut db = open(&fx.path);
    for c in COMMANDS {
        let Some(req) = case(c.name, &fx.ids) else {
            continue;
        };
        let out = dispatch(&mut db, &fx.head_office, c.name, req.clone());
        match (c.writes, out) {
            (false, Ok(_)) => {}
            // Patients' data is not head office's to read.
            (false, Err(e)) if !c.permission.head_office_reads() => {
                assert_eq!(e.kind(), "forbidden", "{} by head office: {e}", c.name)
            }
            (false, Err(e)) => panic!("head office cannot read with {}: {e}", c.name),
            (true, Err(e)) => assert_eq!(e.kind(), "forbidden", "{} by head office: {e}", c.name),
            (true, Ok(v)) => panic!("head office wrote with {}: {v}", c.name),
        }
    }
    // It sees A's stock, sales and audit trail.
    let stock = run(
        &mut db,
        &fx.head_office,
        "get_store_inventory",
        json!({"store_id": fx.ids["store_a"]}),
    );
    // A1 to A4 and the vaccine's V1 (head office's writes were all refused).
    assert_eq!(stock.as_array().unwrap().len(), 5);
    let sales = run(
        &mut db,
        &fx.head_office,
        "list_sales",
        json!({"store_id": fx.ids["store_a"], "terminal_id": "T1"}),
    );
    assert_eq!(sales.as_array().unwrap().len(), 1);
    let trail = run(
        &mut db,
        &fx.head_office,
        "get_audit_trail",
        json!({"store_id": fx.ids["store_a"]}),
    );
    assert!(!trail.as_array().unwrap().is_empty());
    drop(db);
    let after = dump(&fx.path);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(t, rows)| before.get(*t) != Some(rows))
        .map(|(t, _)| t)
        .collect();
    assert!(changed.is_empty(), "head office changed {changed:?}");
}

#[test]
fn listings_show_only_the_actors_stores() {
    let fx = fixture();
    let mut db = open(&fx.path);
    let b_admin = &fx.b_users[3].1;
    let stores = run(&mut db, b_admin, "list_stores", json!({}));
    let codes: Vec<&str> = stores
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["STB"]);
    let users = run(&mut db, b_admin, "list_users", json!({}));
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert!(
        !names.contains(&"a-cashier") && !names.contains(&"a-manager"),
        "{names:?}"
    );
    assert!(
        names.contains(&"b-cashier") && names.contains(&"dual"),
        "{names:?}"
    );
    // The head-office user is managed by admins of every store only.
    assert!(!names.contains(&"hq"), "{names:?}");
    // The trail without a store is B's only.
    let b_manager = &fx.b_users[2].1;
    let trail = run(&mut db, b_manager, "get_audit_trail", json!({}));
    assert!(!trail.as_array().unwrap().is_empty());
    assert!(trail
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["store_id"] != fx.ids["store_a"].as_str()));
    // Head office sees both stores and every user.
    let stores = run(&mut db, &fx.head_office, "list_stores", json!({}));
    // A, B and C (the transfers' third store).
    assert_eq!(stores.as_array().unwrap().len(), 3);
    let users = run(&mut db, &fx.head_office, "list_users", json!({}));
    assert!(users
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u["name"] == "a-cashier"));
}
