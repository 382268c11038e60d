//! `pharmapos call preview_import / run_import / export_onboarding_csv`
//! through the binary, with the file given by path: the preview lists the
//! bad row, the refused import exits non-zero with every row error in its
//! details and writes nothing, the fixed file imports, and the export reads
//! back.

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

fn call(db: &Path, cmd: &str, json: &Value) -> Output {
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

fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_catalogue_file_is_previewed_refused_fixed_and_imported_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("store.db");
    ok(&run(
        &db,
        &[
            "--now",
            NOW,
            "init",
            "--store-name",
            "Lekki",
            "--admin",
            "ada",
            "--pin",
            "1234",
        ],
    ));
    let file = dir.path().join("f.csv");
    std::fs::write(
        &file,
        "Internal Reference,Name,Sales Price\nAMX-1,Amoxicillin,35.00\nCTZ-1,Cetirizine,twelve\n",
    )
    .unwrap();
    let req = json!({"kind": "products", "path": file.display().to_string()});
    let p = ok(&call(&db, "preview_import", &req));
    assert_eq!(p["error_count"], 1, "{p}");
    assert_eq!(p["errors"][0]["row"], 3);
    assert_eq!(p["errors"][0]["field"], "selling_price");
    assert_eq!(p["mapping"]["sku"], "Internal Reference");

    let out = call(&db, "run_import", &req);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["kind"], "invalid_input", "{e}");
    assert_eq!(e["error"]["details"]["errors"][0]["row"], 3, "{e}");
    assert_eq!(e["error"]["details"]["error_count"], 1);
    let listed = ok(&call(&db, "list_products", &json!({})));
    assert_eq!(listed["total"], 0, "nothing written: {listed}");

    std::fs::write(
        &file,
        "Internal Reference,Name,Sales Price\nAMX-1,Amoxicillin,35.00\nCTZ-1,Cetirizine,12\n",
    )
    .unwrap();
    let done = ok(&call(&db, "run_import", &req));
    assert_eq!(done["created"]["products"], 2, "{done}");
    let csv = ok(&call(
        &db,
        "export_onboarding_csv",
        &json!({"kind": "products"}),
    ));
    assert_eq!(csv["rows"], 2);
    assert!(csv["csv"].as_str().unwrap().contains("CTZ-1,Cetirizine"));
    ok(&run(&db, &["verify"]));
}
