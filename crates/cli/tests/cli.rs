//! Black-box tests of the `pharmapos` binary: setup, a demo flow from
//! supplier to sale to audit trail to `verify`, and bad input. Every bad
//! request must exit non-zero, print `{"error":{"kind","message","details"}}`
//! on stderr with the right kind, print nothing on stdout, and write nothing
//! (every row of every table is compared before and after).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const NOW: &str = "2026-01-01T10:00:00Z";

struct Store {
    _dir: tempfile::TempDir,
    db: PathBuf,
    product: String,
    supplier: String,
    batch: String,
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pharmapos"))
}

fn run(db: &Path, args: &[&str]) -> Output {
    bin().arg("--db").arg(db).args(args).output().unwrap()
}

/// `call COMMAND JSON` as `user` with the clock at [`NOW`].
fn call_raw(db: &Path, user: &str, cmd: &str, json: &str) -> Output {
    run(db, &["--user", user, "--now", NOW, "call", cmd, json])
}

/// A call that must succeed; returns its JSON result.
#[track_caller]
fn call(db: &Path, user: &str, cmd: &str, json: Value) -> Value {
    let out = call_raw(db, user, cmd, &json.to_string());
    assert!(
        out.status.success(),
        "{cmd} {json} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The error printed by a failed command, after checking its shape.
#[track_caller]
fn error_of(out: &Output) -> Value {
    assert!(
        !out.status.success(),
        "expected a failure, got {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        out.stdout.is_empty(),
        "a failure printed on stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: Value = serde_json::from_slice(&out.stderr).unwrap_or_else(|e| {
        panic!(
            "stderr is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let err = &v["error"];
    assert!(err["kind"].is_string(), "{v}");
    assert!(
        err["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{v}"
    );
    assert!(err.get("details").is_some(), "{v}");
    err.clone()
}

fn init(dir: &Path) -> (PathBuf, Value) {
    let db = dir.join("store.db");
    let out = run(
        &db,
        &[
            "--now",
            NOW,
            "init",
            "--store-name",
            "Lekki Pharmacy",
            "--admin",
            "ada",
            "--pin",
            "1234",
            "--timezone",
            "Africa/Lagos",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (db, serde_json::from_slice(&out.stdout).unwrap())
}

/// A store with a supplier, paracetamol (whole tablets) and one batch of 50.
fn store() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let (db, _) = init(dir.path());
    call(
        &db,
        "ada",
        "create_user",
        json!({"name": "cate", "role": "cashier", "pin": "5555"}),
    );
    let supplier = call(
        &db,
        "ada",
        "create_supplier",
        json!({"name": "Emzor", "payment_terms": "Net 30"}),
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let product = call(
        &db,
        "ada",
        "create_product",
        json!({"sku": "PCM-500", "name": "Paracetamol 500mg", "unit": "tablet", "barcodes": ["6151100012345"], "cost_price": "0.05"}),
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    // No cost price given: the product's is used, and the answer says so.
    let received = call(
        &db,
        "ada",
        "receive_stock",
        json!({"product_id": product, "batch_number": "B1", "quantity": 50, "expiry_date": "2026-06-30", "supplier_id": supplier}),
    );
    assert_eq!(received["cost_price_source"], "product", "{received}");
    assert_eq!(received["cost_price"], "0.05", "{received}");
    let batch = received["batch_id"].as_str().unwrap().to_string();
    Store {
        _dir: dir,
        db,
        product,
        supplier,
        batch,
    }
}

/// Every row of every table, as text.
fn snapshot(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'product_search%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = c
            .prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1"))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut s = format!("{t}:");
                for i in 0..n {
                    s.push_str(&format!("{:?}|", r.get::<_, rusqlite::types::Value>(i)?));
                }
                Ok(s)
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.extend(rows);
    }
    out
}

#[test]
fn init_prints_the_new_store_and_admin() {
    let dir = tempfile::tempdir().unwrap();
    let (db, v) = init(dir.path());
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 2, "{v}");
    for k in ["store_id", "user_id"] {
        let id = v[k].as_str().unwrap();
        assert_eq!(id.len(), 36, "{k} is a UUID: {id}");
    }
    // The store exists with its time zone, and setup cannot run twice.
    let stores = call(&db, "ada", "list_stores", json!({}));
    assert_eq!(stores[0]["id"], v["store_id"]);
    assert_eq!(stores[0]["timezone"], "Africa/Lagos");
    let before = snapshot(&db);
    let out = run(&db, &["init", "--store-name", "Again", "--admin", "bob"]);
    assert_eq!(error_of(&out)["kind"], "already_set_up");
    assert_eq!(snapshot(&db), before);
}

#[test]
fn demo_flow_from_receipt_to_sale_to_verify() {
    let s = store();
    let db = &s.db;
    // A second, nearer-expiry batch: FEFO must take it first.
    let near = call(
        db,
        "ada",
        "receive_stock",
        json!({"product_id": s.product, "batch_number": "B0", "quantity": "10", "expiry_date": "2026-02-01",
               "supplier_id": s.supplier, "reference_number": "INV-7", "cost_price": "0.04"}),
    );
    assert_eq!(near["on_hand"], "10");
    assert_eq!(near["topped_up"], false);

    let sale = call(
        db,
        "cate",
        "allocate_stock_for_sale",
        json!({"product_id": s.product, "quantity": 12, "reference_id": "SALE-1"}),
    );
    assert_eq!(sale["allocated_quantity"], "12");
    assert_eq!(sale["partial"], false);
    let batches = sale["batches"].as_array().unwrap();
    assert_eq!(batches.len(), 2);
    assert_eq!(
        (
            batches[0]["batch_number"].as_str(),
            batches[0]["quantity"].as_str()
        ),
        (Some("B0"), Some("10"))
    );
    assert_eq!(
        (
            batches[1]["batch_number"].as_str(),
            batches[1]["quantity"].as_str()
        ),
        (Some("B1"), Some("2"))
    );

    let stock = call(
        db,
        "cate",
        "get_product_stock",
        json!({"product_id": s.product}),
    );
    assert_eq!(stock["available"], "48");

    let trail = call(
        db,
        "ada",
        "get_audit_trail",
        json!({"product_id": s.product, "oldest_first": true}),
    );
    let kinds: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["change_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["receipt", "receipt", "allocated", "allocated"]);
    let last = &trail[3];
    assert_eq!(
        (
            last["previous_quantity"].as_str(),
            last["new_quantity"].as_str()
        ),
        (Some("50"), Some("48"))
    );
    assert_eq!(last["reference_id"], "SALE-1");
    assert_eq!(last["user_name"], "cate");
    assert_eq!(last["created_at"], "2026-01-01T10:00:00.000Z");

    let found = call(
        db,
        "cate",
        "search_products",
        json!({"query": "6151100012345"}),
    );
    assert_eq!(found[0]["product"]["id"].as_str(), Some(s.product.as_str()));

    let out = run(db, &["verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], true);
    // Setup's store and admin, the supplier and the product, then the
    // receipt, the sale's allocation and the stock moves of the flow.
    assert_eq!(report["events_checked"], 9);

    let out = bin().arg("commands").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for c in [
        "receive_stock",
        "allocate_stock_for_sale",
        "get_audit_trail",
        "verify",
    ] {
        assert!(text.contains(c), "`pharmapos commands` lacks {c}");
    }
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let s = store();
    let (p, sup, b) = (s.product.as_str(), s.supplier.as_str(), s.batch.as_str());
    let ghost = "01900000-0000-7000-8000-000000000000";
    let receive = |extra: Value| {
        let mut r = json!({"product_id": p, "batch_number": "B2", "quantity": 5, "expiry_date": "2026-09-30", "supplier_id": sup});
        for (k, v) in extra.as_object().unwrap() {
            r[k] = v.clone();
        }
        r.to_string()
    };
    let sell = |q: Value| json!({"product_id": p, "quantity": q}).to_string();
    let cases: Vec<(&str, &str, String, &str)> = vec![
        // Malformed JSON, or not an object.
        (
            "ada",
            "receive_stock",
            "{\"product_id\": ".into(),
            "invalid_input",
        ),
        ("ada", "receive_stock", "[1, 2]".into(), "invalid_input"),
        (
            "ada",
            "allocate_stock_for_sale",
            "not json".into(),
            "invalid_input",
        ),
        // Unknown fields (plain and flattened requests).
        (
            "ada",
            "allocate_stock_for_sale",
            json!({"product_id": p, "quantity": 1, "colour": "red"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "create_product",
            json!({"sku": "X-1", "name": "X", "flavour": "mint"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "create_supplier",
            json!({"name": "Y", "fax": "123"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"expiry": "2026-09-30"})),
            "invalid_input",
        ),
        // Wrong types and missing fields.
        (
            "ada",
            "allocate_stock_for_sale",
            sell(json!(true)),
            "invalid_input",
        ),
        (
            "ada",
            "allocate_stock_for_sale",
            sell(json!("abc")),
            "invalid_input",
        ),
        (
            "ada",
            "allocate_stock_for_sale",
            json!({"product_id": 42, "quantity": 1}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "allocate_stock_for_sale",
            json!({"product_id": p}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"expiry_date": 20260930})),
            "invalid_input",
        ),
        (
            "ada",
            "create_product",
            json!({"sku": "X-2", "name": "X", "allow_fractional": "yes"}).to_string(),
            "invalid_input",
        ),
        // Negative, zero or fractional quantities where not allowed.
        (
            "ada",
            "receive_stock",
            receive(json!({"quantity": -5})),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"quantity": 0})),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"quantity": 2.5})),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"quantity": "1e400"})),
            "invalid_input",
        ),
        (
            "ada",
            "allocate_stock_for_sale",
            sell(json!(-1)),
            "invalid_input",
        ),
        (
            "ada",
            "allocate_stock_for_sale",
            sell(json!("0.5")),
            "invalid_input",
        ),
        (
            "ada",
            "adjust_stock",
            json!({"batch_id": b, "quantity_change": "-1.5", "reason": "loss"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "adjust_stock",
            json!({"batch_id": b, "quantity_change": -51, "reason": "loss"}).to_string(),
            "insufficient_stock",
        ),
        (
            "ada",
            "reserve_stock",
            json!({"batch_id": b, "quantity": 0, "reason": "hold"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "create_product",
            json!({"sku": "X-3", "name": "X", "cost_price": "-1"}).to_string(),
            "invalid_input",
        ),
        // Unknown or malformed ids.
        (
            "ada",
            "allocate_stock_for_sale",
            json!({"product_id": ghost, "quantity": 1}).to_string(),
            "not_found",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"supplier_id": ghost})),
            "not_found",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"product_id": ghost})),
            "not_found",
        ),
        (
            "ada",
            "writeoff_batch",
            json!({"batch_id": ghost, "reason": "loss"}).to_string(),
            "not_found",
        ),
        (
            "ada",
            "release_reservation",
            json!({"reservation_id": ghost}).to_string(),
            "not_found",
        ),
        (
            "ada",
            "allocate_stock_for_sale",
            json!({"product_id": "not-a-uuid", "quantity": 1}).to_string(),
            "invalid_input",
        ),
        // Expired and impossible dates.
        (
            "ada",
            "receive_stock",
            receive(json!({"expiry_date": "2025-12-31"})),
            "batch_not_sellable",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"expiry_date": "2026-02-30"})),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"expiry_date": "30/09/2026"})),
            "invalid_input",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"batch_number": "B1"})),
            "conflict",
        ),
        (
            "ada",
            "receive_stock",
            receive(json!({"manufacture_date": "2027-01-01"})),
            "invalid_input",
        ),
        // Unknown enum values, duplicates, bad horizons.
        (
            "ada",
            "writeoff_batch",
            json!({"batch_id": b, "reason": "vibes"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "create_product",
            json!({"sku": "PCM-500", "name": "Dup"}).to_string(),
            "conflict",
        ),
        (
            "ada",
            "create_product",
            json!({"sku": "X-4", "name": "Dup", "barcodes": ["6151100012345"]}).to_string(),
            "conflict",
        ),
        (
            "ada",
            "expire_batches_within_days",
            json!({"days": -3}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "create_user",
            json!({"name": "z", "role": "overlord"}).to_string(),
            "invalid_input",
        ),
        (
            "ada",
            "create_user",
            json!({"name": "z", "role": "cashier", "pin": "12"}).to_string(),
            "invalid_input",
        ),
        // Unknown command, unknown user, and a role that may not.
        ("ada", "sell_everything", "{}".into(), "invalid_input"),
        (
            "nobody",
            "allocate_stock_for_sale",
            sell(json!(1)),
            "unauthenticated",
        ),
        ("cate", "receive_stock", receive(json!({})), "forbidden"),
        // A cashier may ask for a write-off (it may wait); the queue of
        // requests is for those who decide.
        ("cate", "list_approvals", "{}".to_string(), "forbidden"),
        (
            "cate",
            "create_product",
            json!({"sku": "X-5", "name": "X"}).to_string(),
            "forbidden",
        ),
    ];
    let before = snapshot(&s.db);
    assert!(before.iter().any(|r| r.starts_with("inventory_audit:")));
    let mut failures = Vec::new();
    for (user, cmd, input, kind) in &cases {
        let out = call_raw(&s.db, user, cmd, input);
        let err = error_of(&out);
        if err["kind"] != *kind {
            failures.push(format!("{cmd} {input}: expected {kind}, got {err}"));
        }
        if snapshot(&s.db) != before {
            failures.push(format!("{cmd} {input}: the database changed"));
            break;
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // Type errors, missing and unknown fields name the field, so that a form
    // can point at it.
    let named = [
        ("allocate_stock_for_sale", sell(json!("abc")), "quantity"),
        (
            "allocate_stock_for_sale",
            json!({"product_id": 42, "quantity": 1}).to_string(),
            "product_id",
        ),
        (
            "allocate_stock_for_sale",
            json!({"product_id": p}).to_string(),
            "quantity",
        ),
        (
            "allocate_stock_for_sale",
            json!({"product_id": p, "quantity": 1, "colour": "red"}).to_string(),
            "colour",
        ),
        (
            "receive_stock",
            receive(json!({"expiry_date": 20260930})),
            "expiry_date",
        ),
        (
            "complete_sale",
            json!({"cart_id": p, "payments": [{"method": "cash", "amount": "abc"}]}).to_string(),
            "payments[0].amount",
        ),
    ];
    for (cmd, input, field) in &named {
        let err = error_of(&call_raw(&s.db, "ada", cmd, input));
        assert_eq!(err["details"]["field"], *field, "{cmd} {input}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(message.contains(field), "{cmd}: {message}");
    }
    assert_eq!(snapshot(&s.db), before);

    // The request can also come on stdin.
    let mut child = bin()
        .args([
            "--db",
            s.db.to_str().unwrap(),
            "--user",
            "ada",
            "--now",
            NOW,
            "call",
            "receive_stock",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(receive(json!({"quantity": -1})).as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(error_of(&out)["kind"], "invalid_input");
    assert_eq!(error_of(&out)["details"]["field"], "quantity");
    assert_eq!(snapshot(&s.db), before);

    // And a good request after all that still works.
    let ok = call(
        &s.db,
        "ada",
        "receive_stock",
        serde_json::from_str(&receive(json!({}))).unwrap(),
    );
    assert_eq!(ok["on_hand"], "5");
}

#[test]
fn a_value_out_of_range_deep_in_a_request_is_named_to_the_leaf() {
    let s = store();
    call(
        &s.db,
        "ada",
        "update_product",
        json!({"id": s.product, "selling_price": "2.00"}),
    );
    call(
        &s.db,
        "ada",
        "open_shift",
        json!({"terminal_id": "TILL-1", "opening_float": "0"}),
    );
    let cart = call(&s.db, "ada", "open_cart", json!({"terminal_id": "TILL-1"}))["cart_id"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        &s.db,
        "ada",
        "add_cart_line",
        json!({"cart_id": cart, "product_id": s.product, "quantity": 2}),
    );
    let before = snapshot(&s.db);
    // Each value parses (so serde cannot name it) and is then out of range:
    // the engine's own check names the same path a type error would.
    let cases = [
        (
            json!([{"tender": "cash", "amount": "3"}, {"tender": "cash", "amount": "-1"}]),
            "payments[1].amount",
        ),
        (
            json!([{"tender": "cash", "amount": 0}, {"tender": "cash", "amount": 5}]),
            "payments[0].amount",
        ),
        (
            json!([{"tender": "cash", "amount": "4"}, {"tender": "card", "amount": "0.00001"}]),
            "payments[1].amount",
        ),
        (
            json!([{"tender": "cash", "amount": "4"}, {"tender": "cheque", "amount": "1"}]),
            "payments[1].tender",
        ),
    ];
    for (payments, field) in &cases {
        let input = json!({"sale_id": "0190f3a0-0000-7000-8000-000000000001", "cart_id": cart, "payments": payments});
        let err = error_of(&call_raw(&s.db, "ada", "complete_sale", &input.to_string()));
        assert_eq!(err["kind"], "invalid_input", "{err}");
        assert_eq!(err["details"]["field"], *field, "{payments}: {err}");
        let message = err["message"].as_str().unwrap();
        assert!(message.contains(field), "{message}");
    }
    // A discount's value, below the discount object.
    let line = call(&s.db, "ada", "get_cart", json!({"cart_id": cart}))["lines"][0]["line_id"]
        .as_str()
        .unwrap()
        .to_string();
    let err = error_of(&call_raw(
        &s.db,
        "ada",
        "set_line_discount",
        &json!({"cart_id": cart, "line_id": line, "discount": {"kind": "percent", "value": "-5"}})
            .to_string(),
    ));
    assert_eq!(err["details"]["field"], "discount.value", "{err}");
    assert!(err["message"].as_str().unwrap().contains("discount.value"));
    assert_eq!(snapshot(&s.db), before);
}

#[test]
fn missing_arguments_and_foreign_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    // No --user for `call`.
    let (db, _) = init(dir.path());
    let out = run(&db, &["call", "list_stores"]);
    assert_eq!(error_of(&out)["kind"], "invalid_input");
    // A file that is not a database is left alone.
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, b"shopping list: gauze, syringes").unwrap();
    let out = run(&junk, &["--user", "ada", "call", "list_stores"]);
    assert_eq!(error_of(&out)["kind"], "not_a_database");
    let out = run(&junk, &["verify"]);
    assert_eq!(error_of(&out)["kind"], "not_a_database");
    assert_eq!(
        std::fs::read(&junk).unwrap(),
        b"shopping list: gauze, syringes"
    );
}

#[test]
fn verify_exits_non_zero_on_a_tampered_file() {
    let s = store();
    let out = run(&s.db, &["verify"]);
    assert!(out.status.success());
    let c = rusqlite::Connection::open(&s.db).unwrap();
    c.execute("UPDATE batches SET on_hand_milli = 49000", [])
        .unwrap();
    drop(c);
    let out = run(&s.db, &["verify"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert_eq!(report["problems"][0]["kind"], "conservation");
    assert_eq!(
        report["problems"][0]["batch_id"].as_str(),
        Some(s.batch.as_str())
    );
    let err: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert!(err["error"]["kind"].is_string());
}

#[test]
fn a_printed_z_report_head_is_checked_by_verify() {
    let s = store();
    call(
        &s.db,
        "ada",
        "open_shift",
        json!({"terminal_id": "T1", "opening_float": "50.00"}),
    );
    let z = call(
        &s.db,
        "ada",
        "close_shift",
        json!({"terminal_id": "T1", "counted_cash": "50.00"}),
    );
    let head = &z["record_head"];
    let printed = format!(
        "{}:{}",
        head["seq"].as_i64().unwrap(),
        head["short_hash"].as_str().unwrap()
    );
    let out = run(&s.db, &["verify", "--printed-head", &printed]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let wrong = format!("{}:deadbeefdeadbeef", head["seq"].as_i64().unwrap());
    let out = run(&s.db, &["verify", "--printed-head", &wrong]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["problems"][0]["kind"], "printed_head");
    let err = error_of(&run(&s.db, &["verify", "--printed-head", "twelve"]));
    assert_eq!(err["kind"], "invalid_input");
}

#[test]
fn backup_and_restore_are_recorded_and_a_refused_restore_changes_nothing() {
    let s = store();
    let dir = s.db.parent().unwrap().to_path_buf();
    let backup = dir.join("copy.db");
    let err = error_of(&run(&s.db, &["backup", backup.to_str().unwrap()]));
    assert_eq!(err["kind"], "invalid_input", "who took it is required");
    let out = run(
        &s.db,
        &["--user", "ada", "backup", backup.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["bytes"].as_u64().unwrap() > 0);
    let trail = call(
        &s.db,
        "ada",
        "get_audit_trail",
        json!({"category": "security"}),
    );
    assert_eq!(trail[0]["kind"], "backup_taken");

    // Restore over the live file: the old one is kept aside.
    call(
        &s.db,
        "ada",
        "create_supplier",
        json!({"name": "After the backup"}),
    );
    let before = snapshot(&s.db);
    let out = run(
        &s.db,
        &["--user", "nobody", "restore", backup.to_str().unwrap()],
    );
    error_of(&out);
    assert_eq!(snapshot(&s.db), before, "a refused restore changes nothing");
    let out = run(
        &s.db,
        &["--user", "ada", "restore", backup.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let done: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(done["previous_file_moved_to"]
        .as_str()
        .unwrap()
        .contains("before-restore"));
    let suppliers = call(&s.db, "ada", "list_suppliers", json!({}));
    assert!(suppliers
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["name"] != "After the backup"));
    let trail = call(
        &s.db,
        "ada",
        "get_audit_trail",
        json!({"category": "security"}),
    );
    assert_eq!(trail[0]["kind"], "restored");
    assert!(run(&s.db, &["verify"]).status.success());
}

#[test]
fn demo_makes_a_demo_store_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.sqlite");
    let out = run(&db, &["--now", NOW, "demo"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(summary["store_name"], "Demo Pharmacy");
    assert_eq!(summary["users"][2]["name"], "Demo Cashier");
    assert_eq!(summary["users"][2]["pin"], "3333");
    let stores = call(&db, "Demo Cashier", "list_stores", json!({}));
    assert_eq!(stores[0]["code"], "DEMO");
    assert!(run(&db, &["verify"]).status.success());
    // Never into a file that holds anything (this demo included).
    let again = error_of(&run(&db, &["--now", NOW, "demo"]));
    assert_eq!(again["kind"], "already_set_up");
}

/// Seed 003 writes its calls with the acting user (`adjust_stock(batch_id,
/// quantity_change, reason, user_id, notes="")`): they work exactly as
/// written when `user_id` is the `--user`, and any other user is refused
/// before anything is written.
#[test]
fn seed_003_calls_work_as_written_with_the_acting_users_id() {
    let s = store();
    let users = call(&s.db, "ada", "list_users", json!({}));
    let id_of = |name: &str| {
        users
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (ada, cate) = (id_of("ada"), id_of("cate"));
    let received = call(
        &s.db,
        "ada",
        "receive_stock",
        json!({"product_id": s.product, "store_id": null, "batch_number": "B2", "quantity": 10,
               "expiry_date": "2026-09-30", "cost_price": "0.06", "supplier_id": s.supplier,
               "reference_number": "INV-9", "notes": "", "user_id": ada}),
    );
    assert_eq!(received["quantity"], "10", "{received}");
    let adjusted = call(
        &s.db,
        "ada",
        "adjust_stock",
        json!({"batch_id": s.batch, "quantity_change": -2, "reason": "damage", "user_id": ada, "notes": ""}),
    );
    assert_eq!(adjusted["status"], "applied", "{adjusted}");
    let sold = call(
        &s.db,
        "cate",
        "allocate_stock_for_sale",
        json!({"product_id": s.product, "store_id": null, "quantity": 3, "user_id": cate, "reference_id": null}),
    );
    assert!(sold.is_object(), "{sold}");
    // Someone else's id: refused, nothing written.
    let before = snapshot(&s.db);
    let out = call_raw(
        &s.db,
        "cate",
        "adjust_stock",
        &json!({"batch_id": s.batch, "quantity_change": -1, "reason": "damage", "user_id": ada})
            .to_string(),
    );
    let err = error_of(&out);
    assert_eq!(err["kind"], "invalid_input", "{err}");
    assert_eq!(err["details"]["field"], "user_id", "{err}");
    assert_eq!(snapshot(&s.db), before);
    // Commands the seed writes without a user still refuse one.
    let out = call_raw(
        &s.db,
        "ada",
        "get_store_inventory",
        &json!({"user_id": ada}).to_string(),
    );
    assert_eq!(error_of(&out)["kind"], "invalid_input");
}

/// Seed 003's `reconcile_inventory(store_id, counts_data, user_id, notes)`,
/// called exactly as the seed writes it: its argument names, `counted_qty`
/// as a plain number, `user_id` naming the acting user, and the seed's
/// answer (`reconciliation_id`, `total_variance`, `adjustments`,
/// `variances` with `batch_id`, `system_qty`, `counted_qty`, `variance`).
#[test]
fn seed_003_reconcile_inventory_works_as_the_seed_writes_it() {
    let s = store();
    let stores = call(&s.db, "ada", "list_stores", json!({}));
    let store_id = stores[0]["id"].as_str().unwrap().to_string();
    let users = call(&s.db, "ada", "list_users", json!({}));
    let ada = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "ada")
        .unwrap()["id"]
        .clone();
    let json = format!(
        r#"{{"store_id": "{store_id}", "counts_data": [{{"product_id": "{}", "batch_id": "{}", "counted_qty": 47}}], "user_id": {ada}, "notes": "quarterly count"}}"#,
        s.product, s.batch
    );
    let out = call_raw(&s.db, "ada", "reconcile_inventory", &json);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r["reconciliation_id"].is_string(), "{r}");
    assert_eq!(r["total_variance"], "-3");
    assert_eq!(r["adjustments"].as_array().unwrap().len(), 1);
    let v = &r["variances"][0];
    assert_eq!(v["batch_id"], s.batch.as_str());
    assert_eq!(
        (&v["system_qty"], &v["counted_qty"], &v["variance"]),
        (&json!("50"), &json!("47"), &json!("-3"))
    );
    let batch = call(&s.db, "ada", "get_batch", json!({"batch_id": s.batch}));
    assert_eq!(batch["quantity"], "47");
    // One `reconciliation` audit entry per variance, as the seed says.
    let trail = call(
        &s.db,
        "ada",
        "get_audit_trail",
        json!({"batch_id": s.batch}),
    );
    let moves = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["change_type"] == "reconciliation")
        .count();
    assert_eq!(moves, 1, "{trail}");
    // Another user's id is refused, and a cashier may not reconcile.
    let cate = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "cate")
        .unwrap()["id"]
        .clone();
    let claimed = json.replace(&ada.to_string(), &cate.to_string());
    let out = call_raw(&s.db, "ada", "reconcile_inventory", &claimed);
    assert_eq!(error_of(&out)["kind"], "invalid_input");
    let out = call_raw(&s.db, "cate", "reconcile_inventory", &claimed);
    assert_eq!(error_of(&out)["kind"], "forbidden");
    let out = run(&s.db, &["verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
