//! Crash test: a seller killed with SIGKILL at random moments, 25 times, on
//! one database file; after every kill the file must reopen cleanly, pass
//! `PRAGMA integrity_check` and `pharmapos verify`, and conserve stock
//! (on hand + sold == received).
//!
//! How the seller runs, and why: each sale is one real `pharmapos call
//! allocate_stock_for_sale` process, spawned directly by the test (no shell
//! in between, so SIGKILL hits exactly the process that holds the database).
//! The CLI gets no test-only hooks, and `pharmapos bench` is not used because
//! it deletes its database first. A process's life covers every crash point
//! that matters: opening the file and checking migrations, `BEGIN
//! IMMEDIATE`, the writes, the `synchronous=FULL` commit (WAL append and
//! fsync), and the checkpoint SQLite runs when the last connection closes
//! (which copies WAL pages into the main file). Each round lets 0–2 sales
//! finish, then starts one more and kills it after a random delay drawn
//! uniformly from [0, 1.5 × the measured duration of a sale), so kills land
//! anywhere in that life, including mid-transaction and mid-checkpoint. The
//! random delay chooses the moment of the fault; the test never sleeps to
//! wait for something, and asserts nothing about time.
//!
//! Accounting is independent of the ledger: the test counts sales whose
//! process exited 0 (acknowledged). A killed sale may or may not have
//! committed, so after each round the ledger's sold quantity must have grown
//! by the acknowledged sales plus 0 or 1 — never more, never less. The
//! database lives under the target directory (a real disk, so fsync costs
//! what it costs on a till).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const NOW: &str = "2026-01-01T10:00:00Z";
const ROUNDS: usize = 25;
const RECEIVED: i64 = 400;

fn run(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pharmapos"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn call(db: &Path, cmd: &str, body: Value) -> Value {
    let out = run(
        db,
        &[
            "--user",
            "ada",
            "--now",
            NOW,
            "call",
            cmd,
            &body.to_string(),
        ],
    );
    assert!(
        out.status.success(),
        "{cmd}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn sale_command(db: &Path, product: &str, reference: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pharmapos"));
    c.arg("--db")
        .arg(db)
        .args(["--user", "ada", "--now", NOW, "call", "allocate_stock_for_sale"])
        .arg(json!({"product_id": product, "quantity": 1, "allow_partial": false, "reference_id": reference}).to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

/// Sold and on-hand quantities (thousandths) as the file says, read after
/// opening it through the engine (which recovers the WAL) and checking it.
fn check_file(db: &Path, round: usize) -> (i64, i64) {
    let out = run(db, &["verify"]);
    assert!(
        out.status.success(),
        "round {round}: `pharmapos verify` failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let mut engine = pharmapos_engine::Db::open(db)
        .unwrap_or_else(|e| panic!("round {round}: reopen failed: {e}"));
    engine
        .integrity_check()
        .unwrap_or_else(|e| panic!("round {round}: {e}"));
    let report = engine.verify().unwrap();
    assert!(report.ok, "round {round}: {:?}", report.problems);
    drop(engine);
    let c = rusqlite::Connection::open(db).unwrap();
    let integrity: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "round {round}");
    let sold: i64 = c
        .query_row(
            "SELECT COALESCE(SUM(previous_milli - new_milli), 0) FROM inventory_audit WHERE change_type = 'allocated'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let (on_hand, received): (i64, i64) = c
        .query_row(
            "SELECT SUM(on_hand_milli), SUM(initial_milli) FROM batches",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(received, RECEIVED * 1000, "round {round}: received changed");
    assert_eq!(
        on_hand + sold,
        received,
        "round {round}: on hand + sold != received"
    );
    (sold, on_hand)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn sigkill_at_random_moments_never_corrupts_or_loses_stock() {
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let db: PathBuf = dir.path().join("till.db");
    let out = run(
        &db,
        &[
            "--now",
            NOW,
            "init",
            "--store-name",
            "Crash Pharmacy",
            "--admin",
            "ada",
            "--timezone",
            "Africa/Lagos",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let supplier = call(&db, "create_supplier", json!({"name": "Emzor"}))["id"]
        .as_str()
        .unwrap()
        .to_string();
    let product = call(
        &db,
        "create_product",
        json!({"sku": "PCM-500", "name": "Paracetamol", "unit": "tablet", "cost_price": "0.05"}),
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    for (i, (qty, exp)) in [
        (150, "2026-03-01"),
        (150, "2026-06-01"),
        (100, "2026-09-01"),
    ]
    .iter()
    .enumerate()
    {
        call(
            &db,
            "receive_stock",
            json!({"product_id": product, "batch_number": format!("K{i}"), "quantity": qty, "expiry_date": exp, "supplier_id": supplier}),
        );
    }

    // Seed from the clock so every run kills at new moments; printed for replay.
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    eprintln!("crash test seed: {seed} (set CRASH_SEED to replay)");
    let mut rng = Rng(seed);

    // How long one sale takes here, to spread the kills over a sale's life.
    let mut samples = Vec::new();
    let mut acked: i64 = 0;
    for i in 0..3 {
        let t = Instant::now();
        let out = sale_command(&db, &product, &format!("WARM-{i}"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        samples.push(t.elapsed());
        acked += 1000;
    }
    samples.sort();
    let span = samples[1].mul_f64(1.5).as_micros().max(1) as u64;

    let (mut sold, _) = check_file(&db, 0);
    assert_eq!(sold, acked);
    let (mut killed, mut committed_though_killed) = (0, 0);
    for round in 1..=ROUNDS {
        let finished = rng.next() % 3;
        for i in 0..finished {
            let out = sale_command(&db, &product, &format!("R{round}-{i}"))
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            acked += 1000;
        }
        let mut child = sale_command(&db, &product, &format!("R{round}-KILL"))
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.next() % span));
        child.kill().unwrap(); // SIGKILL
        let status = child.wait().unwrap();
        let was_killed = !status.success();
        if was_killed {
            killed += 1;
        } else {
            acked += 1000; // it finished before the signal
        }

        let (now_sold, _) = check_file(&db, round);
        let unacked = now_sold - acked;
        assert!(
            unacked == 0 || (was_killed && unacked == 1000),
            "round {round}: ledger sold {now_sold}, acknowledged {acked}: a sale was lost or invented"
        );
        if unacked == 1000 {
            committed_though_killed += 1;
            acked += 1000; // the killed sale committed: count it from now on
        }
        assert!(now_sold >= sold);
        sold = now_sold;
    }
    eprintln!("{ROUNDS} rounds: {killed} processes killed before exiting, {committed_though_killed} of them after their commit");
    assert!(
        killed > 0,
        "no round actually killed a running sale; the test proved nothing"
    );
    assert!(
        sold < RECEIVED * 1000,
        "stock ran out: the test would stop exercising sales"
    );
}
