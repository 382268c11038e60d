//! `pharmapos sync …` against a real server over a real PostgreSQL
//! (`pharmapos_server::testing`): configure, push (the secret from the
//! environment or a file; missing or wrong, a clear error), status.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_server::testing::{serve, Pg};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary on a blocking thread (the server answers on the runtime).
async fn pharmapos(db: &Path, args: &[&str], secret: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pharmapos"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PHARMAPOS_SYNC_SECRET");
    if let Some(s) = secret {
        cmd.env("PHARMAPOS_SYNC_SECRET", s);
    }
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[track_caller]
fn ok(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[track_caller]
fn err(out: &Output) -> Value {
    assert!(
        !out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty());
    let v: Value = serde_json::from_slice(&out.stderr)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["error"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_configure_push_and_status() {
    let pg = Pg::start();
    let url = pg.database("cli_sync").await;
    let base = serve(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("demo.sqlite");
    let demo = ok(&pharmapos(&db, &["demo"], None).await);
    let store = demo["store_id"].as_str().unwrap().to_string();
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &store, "Demo Pharmacy")
        .await
        .unwrap();

    // Configure: an admin, an http(s) URL with a host.
    let e = err(&pharmapos(
        &db,
        &[
            "--user",
            "Demo Admin",
            "sync",
            "configure",
            "--store",
            &store,
            "--server",
            "ftp://x",
        ],
        None,
    )
    .await);
    assert_eq!(e["kind"], "invalid_input");
    let e = err(&pharmapos(
        &db,
        &[
            "--user",
            "Demo Cashier",
            "sync",
            "configure",
            "--store",
            &store,
            "--server",
            &base,
        ],
        None,
    )
    .await);
    assert_eq!(e["kind"], "forbidden");
    let st = ok(&pharmapos(
        &db,
        &[
            "--user",
            "Demo Admin",
            "sync",
            "configure",
            "--store",
            &store,
            "--server",
            &base,
        ],
        None,
    )
    .await);
    assert_eq!(st["configured"], true);
    let head = st["local_head_seq"].as_i64().unwrap();
    assert_eq!(st["backlog"], head);

    // Push: no secret is a clear error; a wrong one is refused for good.
    let e = err(&pharmapos(&db, &["sync", "push", "--store", &store], None).await);
    assert_eq!(e["kind"], "invalid_input");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("PHARMAPOS_SYNC_SECRET"));
    let wrong = dir.path().join("wrong-secret");
    std::fs::write(&wrong, "0".repeat(64)).unwrap();
    let e = err(&pharmapos(
        &db,
        &[
            "sync",
            "push",
            "--store",
            &store,
            "--secret-file",
            wrong.to_str().unwrap(),
        ],
        None,
    )
    .await);
    assert_eq!(
        (e["kind"].as_str(), e["retryable"].as_bool()),
        (Some("unauthenticated"), Some(false))
    );
    let st = ok(&pharmapos(&db, &["sync", "status", "--store", &store], None).await);
    assert_eq!(st["last_error"]["kind"], "unauthenticated");

    let report = ok(&pharmapos(&db, &["sync", "push", "--store", &store], Some(&secret)).await);
    assert_eq!(report["acknowledged_seq"], head);
    assert_eq!(report["events_sent"], head);
    let right = dir.path().join("secret");
    std::fs::write(&right, format!("{secret}\n")).unwrap();
    let again = ok(&pharmapos(
        &db,
        &[
            "sync",
            "push",
            "--store",
            &store,
            "--secret-file",
            right.to_str().unwrap(),
        ],
        None,
    )
    .await);
    assert_eq!(
        (again["events_sent"].as_i64(), again["batches"].as_i64()),
        (Some(0), Some(0))
    );

    // Status, as a user (the engine's operation) and as the operator.
    let st = ok(&pharmapos(
        &db,
        &[
            "--user",
            "Demo Cashier",
            "sync",
            "status",
            "--store",
            &store,
        ],
        None,
    )
    .await);
    assert_eq!(
        (st["acknowledged_seq"].as_i64(), st["backlog"].as_i64()),
        (Some(head), Some(0))
    );
    assert!(st["last_error"].is_null());
    assert!(st["last_success_at"].is_string());

    // Pull alone, then a whole run (push, then pull): the directory holds
    // only this store, nothing is addressed to it yet.
    let pulled = ok(&pharmapos(&db, &["sync", "pull", "--store", &store], Some(&secret)).await);
    assert_eq!(
        (
            pulled["changes_received"].as_i64(),
            pulled["applied"].as_i64(),
            pulled["failed"].as_i64()
        ),
        (Some(0), Some(0), Some(0)),
        "{pulled}"
    );
    let run = ok(&pharmapos(&db, &["sync", "run", "--store", &store], Some(&secret)).await);
    assert_eq!(run["push"]["backlog"], json!(0), "{run}");
    assert_eq!(run["pull"]["failed"], json!(0), "{run}");
    let st = ok(&pharmapos(&db, &["sync", "status", "--store", &store], None).await);
    assert!(st["last_pull_at"].is_string(), "{st}");
    assert_eq!(st["inbox_waiting"], json!(0));
    // A pull with no secret is refused before anything is sent.
    let e = err(&pharmapos(&db, &["sync", "pull", "--store", &store], None).await);
    assert_eq!(e["kind"], "invalid_input");
}
