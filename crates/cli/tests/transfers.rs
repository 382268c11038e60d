//! Seed 003's StockTransferService through the `pharmapos` binary, called
//! exactly as the seed writes it (argument names included):
//! `initiate_transfer(from_store_id, to_store_id, product_id, batch_number,
//! quantity, user_id)`, `get_pending_transfers(store_id)` and
//! `receive_transfer(transfer_id, received_quantity, user_id)` — the seed's
//! `test_transfer_workflow`: initiate, receive, check both stores' stock.

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

fn call_raw(db: &Path, user: &str, cmd: &str, json: &Value) -> Output {
    run(
        db,
        &["--user", user, "--now", NOW, "call", cmd, &json.to_string()],
    )
}

#[track_caller]
fn call(db: &Path, user: &str, cmd: &str, json: Value) -> Value {
    let out = call_raw(db, user, cmd, &json);
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

/// On-hand of each batch of a store, by batch number.
fn stock(db: &Path, store: &str) -> Vec<(String, String)> {
    call(
        db,
        "ada",
        "get_store_inventory",
        json!({"store_id": store, "include_empty": true}),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|b| (s(b, "batch_number"), s(b, "quantity")))
    .collect()
}

#[test]
fn the_seeds_transfer_workflow_runs_through_the_cli_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("chain.db");
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
    let init: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (lekki, ada) = (s(&init, "store_id"), s(&init, "user_id"));
    // The second store: its creator (ada) is its admin, so she works in both.
    let ikeja = s(
        &call(
            &db,
            "ada",
            "create_store",
            json!({"name": "Ikeja", "code": "IKJ", "timezone": "Africa/Lagos"}),
        ),
        "id",
    );
    let supplier = s(
        &call(&db, "ada", "create_supplier", json!({"name": "Emzor"})),
        "id",
    );
    let product = s(
        &call(
            &db,
            "ada",
            "create_product",
            json!({"sku": "PCM-500", "name": "Paracetamol 500mg", "unit": "tablet", "cost_price": "0.05"}),
        ),
        "id",
    );
    call(
        &db,
        "ada",
        "receive_stock",
        json!({"product_id": product, "store_id": lekki, "batch_number": "B-77", "quantity": 100,
               "expiry_date": "2027-03-31", "supplier_id": supplier}),
    );

    let initiated = call(
        &db,
        "ada",
        "initiate_transfer",
        json!({"from_store_id": lekki, "to_store_id": ikeja, "product_id": product,
               "batch_number": "B-77", "quantity": 40, "user_id": ada}),
    );
    assert_eq!(initiated["status"], "pending", "{initiated}");
    assert_eq!(initiated["quantity"], "40", "{initiated}");
    let transfer = s(&initiated, "transfer_id");
    assert_eq!(stock(&db, &lekki), [("B-77".to_string(), "60".to_string())]);

    let pending = call(
        &db,
        "ada",
        "get_pending_transfers",
        json!({"store_id": ikeja}),
    );
    assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
    assert_eq!(pending[0]["id"], transfer.as_str());

    // A user_id other than the acting user is refused, and nothing is received.
    let other = call(
        &db,
        "ada",
        "create_user",
        json!({"name": "kemi", "role": "manager", "store_id": ikeja, "pin": "9753"}),
    );
    let refused = call_raw(
        &db,
        "ada",
        "receive_transfer",
        &json!({"transfer_id": transfer, "received_quantity": 40, "user_id": s(&other, "id")}),
    );
    assert!(!refused.status.success());
    let err: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(err["error"]["kind"], "invalid_input", "{err}");

    let received = call(
        &db,
        "ada",
        "receive_transfer",
        json!({"transfer_id": transfer, "received_quantity": 40, "user_id": ada}),
    );
    assert_eq!(received, json!(true));
    assert_eq!(stock(&db, &ikeja), [("B-77".to_string(), "40".to_string())]);
    assert_eq!(stock(&db, &lekki), [("B-77".to_string(), "60".to_string())]);
    let pending = call(
        &db,
        "ada",
        "get_pending_transfers",
        json!({"store_id": ikeja}),
    );
    assert_eq!(pending, json!([]));
    let verified = run(&db, &["verify"]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
}
