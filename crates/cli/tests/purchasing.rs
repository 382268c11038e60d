//! A purchase order through the `pharmapos` binary: drafted, submitted,
//! received in two parts (one line damaged), an over-receipt refused with
//! its kind on stderr, and the vendor's performance read — then `verify`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Output};

const NOW: &str = "2026-01-01T10:00:00Z";

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pharmapos"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn call_raw(db: &Path, cmd: &str, json: &Value) -> Output {
    run(
        db,
        &[
            "--user",
            "ada",
            "--now",
            NOW,
            "call",
            cmd,
            &json.to_string(),
        ],
    )
}

#[track_caller]
fn call(db: &Path, cmd: &str, json: Value) -> Value {
    let out = call_raw(db, cmd, &json);
    assert!(
        out.status.success(),
        "{cmd} {json} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn s(v: &Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("no {k} in {v}"))
        .to_string()
}

#[test]
fn an_order_is_received_in_two_parts_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("po.db");
    let out = run(
        &db,
        &[
            "--now",
            NOW,
            "init",
            "--store-name",
            "Lekki Pharmacy",
            "--store-code",
            "LEK",
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
    let supplier = s(
        &call(&db, "create_supplier", json!({"name": "Emzor"})),
        "id",
    );
    let product = s(
        &call(
            &db,
            "create_product",
            json!({"sku": "PCM-500", "name": "Paracetamol 500mg", "unit": "tablet", "cost_price": "0.05"}),
        ),
        "id",
    );
    let order = call(
        &db,
        "create_purchase_order",
        json!({"supplier_id": supplier, "expected_date": "2026-01-05",
               "lines": [{"product_id": product, "quantity": 100, "unit_cost": "0.05", "discount_percent": "10"}]}),
    );
    assert_eq!(order["total"], "4.50", "{order}");
    let id = s(&order, "id");
    let item = s(&order["items"][0], "id");
    let submitted = call(
        &db,
        "submit_purchase_order",
        json!({"purchase_order_id": id}),
    );
    assert_eq!(submitted["status"], "submitted");
    let part = call(
        &db,
        "receive_purchase_order",
        json!({"purchase_order_id": id, "lines": [
            {"item_id": item, "batch_number": "B-1", "expiry_date": "2027-01-31", "quantity": 60, "damaged": 5}]}),
    );
    assert_eq!(part["status"], "partial_received", "{part}");
    assert_eq!(part["items"][0]["pending"], "40");
    // The batch costs the ordered unit cost after its discount.
    let batch = s(&part["receipts"][0]["lines"][0], "batch_id");
    let b = call(&db, "get_batch", json!({"batch_id": batch}));
    assert_eq!(b["cost_price"], "0.045", "{b}");
    let refused = call_raw(
        &db,
        "receive_purchase_order",
        &json!({"purchase_order_id": id, "lines": [
            {"item_id": item, "batch_number": "B-1", "expiry_date": "2027-01-31", "quantity": 41}]}),
    );
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "invalid_input", "{err}");
    let done = call(
        &db,
        "receive_purchase_order",
        json!({"purchase_order_id": id, "lines": [
            {"item_id": item, "batch_number": "B-1", "expiry_date": "2027-01-31", "quantity": 40}]}),
    );
    assert_eq!(done["status"], "received", "{done}");
    let perf = call(&db, "get_vendor_performance", json!({}));
    assert_eq!(perf[0]["on_time_rate"], "100", "{perf}");
    assert_eq!(perf[0]["quality_issue_rate"], "4.8", "{perf}"); // 5 of 105
    let verified = run(&db, &["verify"]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
