//! `pharmapos sync …` against a real server over a real PostgreSQL
//! (`pharmapos_server::testing`): configure, push (the secret from the
//! environment or a file; missing or wrong, a clear error), status; and
//! against the server's own HTTPS with a private CA, trusted by
//! `--ca-file` or `PHARMAPOS_SYNC_CA_FILE` and refused without.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_server::testing::{serve, serve_tls, Pg, TestPki};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the binary on a blocking thread (the server answers on the runtime).
async fn pharmapos(db: &Path, args: &[&str], secret: Option<&str>) -> Output {
    let env: Vec<(&str, &str)> = secret
        .map(|s| ("PHARMAPOS_SYNC_SECRET", s))
        .into_iter()
        .collect();
    pharmapos_with(db, args, &env).await
}

/// [`pharmapos`] with these environment variables (and no other sync ones).
async fn pharmapos_with(db: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pharmapos"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("PHARMAPOS_SYNC_SECRET")
        .env_remove("PHARMAPOS_SYNC_CA_FILE")
        .envs(env.iter().copied());
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_over_https_trusts_head_offices_ca_only_when_given() {
    let pki = TestPki::new();
    let pg = Pg::start();
    let url = pg.database("cli_sync_tls").await;
    let base = serve_tls(&url, &pki.cert, &pki.key).await;
    let dir = tempfile::tempdir().unwrap();
    let db: PathBuf = dir.path().join("demo.sqlite");
    let demo = ok(&pharmapos(&db, &["demo"], None).await);
    let store = demo["store_id"].as_str().unwrap().to_string();
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &store, "Demo Pharmacy")
        .await
        .unwrap();
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
    let head = st["local_head_seq"].as_i64().unwrap();
    let ca = pki.ca.to_str().unwrap();
    let push = ["sync", "push", "--store", &store];

    // No CA given: refused in words, not retryable, nothing acknowledged.
    let e = err(&pharmapos(&db, &push, Some(&secret)).await);
    assert_eq!(
        (e["kind"].as_str(), e["retryable"].as_bool()),
        (Some("untrusted_server"), Some(false)),
        "{e}"
    );
    assert!(
        e["message"].as_str().unwrap().contains("certificate"),
        "{e}"
    );
    // A CA file that cannot be used: said so, not ignored.
    let missing = dir.path().join("missing-ca.pem");
    let e = err(&pharmapos_with(
        &db,
        &push,
        &[
            ("PHARMAPOS_SYNC_SECRET", &secret),
            ("PHARMAPOS_SYNC_CA_FILE", missing.to_str().unwrap()),
        ],
    )
    .await);
    assert_eq!(e["kind"], "ca_file_unusable", "{e}");
    let st = ok(&pharmapos(&db, &["sync", "status", "--store", &store], None).await);
    assert_eq!(st["acknowledged_seq"], 0);

    // The CA from the environment: the whole record goes up.
    let r = ok(&pharmapos_with(
        &db,
        &push,
        &[
            ("PHARMAPOS_SYNC_SECRET", &secret),
            ("PHARMAPOS_SYNC_CA_FILE", ca),
        ],
    )
    .await);
    assert_eq!(r["acknowledged_seq"], head, "{r}");
    // Or from the flag: a run (push, then pull) over the same https.
    let r = ok(&pharmapos(
        &db,
        &["sync", "run", "--store", &store, "--ca-file", ca],
        Some(&secret),
    )
    .await);
    assert!(
        r["push"]["acknowledged_seq"].as_i64().unwrap() >= head,
        "{r}"
    );
    assert_eq!(r["push"]["backlog"], 0, "{r}");
}
