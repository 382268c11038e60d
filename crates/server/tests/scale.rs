//! Past one box with existing engines, on this machine (issue 13,
//! docs/scaling.md): the event tables partitioned by store (migration V7
//! over rows an older schema holds), head office reading from a streaming
//! replica (`serve --read-url`), and two server processes behind HAProxy on
//! one PostgreSQL while one of them is killed and started again. Each
//! ends with every event stored exactly once and every chain verifying.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_protocol::{Head, PushRequest, RecordEvent, INSTALLATION_HEADER, STORE_HEADER};
use pharmapos_server::testing::{chain, free_port, migrate_to, poll, LoadBalancer, Pg};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

/// A store that pushes over raw HTTP, its whole record made up front.
struct Store {
    id: String,
    installation: String,
    secret: String,
    events: Vec<RecordEvent>,
}

impl Store {
    async fn new(pool: &pharmapos_server::Pool, name: &str, n: i64) -> Store {
        let id = uuid::Uuid::now_v7().to_string();
        let secret = pharmapos_server::add_store(pool, &id, name).await.unwrap();
        let installation = uuid::Uuid::now_v7().to_string();
        let events = chain(&id, &installation, n);
        Store {
            id,
            installation,
            secret,
            events,
        }
    }

    fn request(&self, r: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        r.header("authorization", format!("Bearer {}", self.secret))
            .header(STORE_HEADER, &self.id)
            .header(INSTALLATION_HEADER, &self.installation)
    }

    async fn head(&self, http: &reqwest::Client, base: &str) -> Result<Head, String> {
        let res = self
            .request(http.get(format!("{base}/v1/head")))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        answer(res).await
    }

    async fn push(
        &self,
        http: &reqwest::Client,
        base: &str,
        from: i64,
        to: i64,
    ) -> Result<Head, String> {
        let body = PushRequest {
            events: self.events[from as usize..to as usize].to_vec(),
        };
        let res = self
            .request(http.post(format!("{base}/v1/push")))
            .header("content-type", "application/json")
            .body(serde_json::to_vec(&body).unwrap())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        answer(res).await
    }

    /// Pushes up to event `to` in batches of `batch`, as the sync client
    /// does: from the server's head each time, a failed request (a server
    /// gone, a 502/503 from the balancer) sent again from the head the
    /// server then gives. `progress` follows the acknowledged head.
    /// Answers how many requests failed on the way.
    async fn push_to(&self, base: &str, to: i64, batch: i64, progress: &AtomicI64) -> u32 {
        let http = reqwest::Client::new();
        let mut failures = 0u32;
        loop {
            assert!(failures < 200, "store {}: too many failures", self.id);
            let head = match self.head(&http, base).await {
                Ok(h) => h,
                Err(_) => {
                    failures += 1;
                    retry_pause().await;
                    continue;
                }
            };
            let acked = head.acknowledged_seq;
            progress.store(acked, Ordering::SeqCst);
            // The server's head is this record's: every acknowledgement is.
            if acked > 0 {
                assert_eq!(head.head_hash, self.events[acked as usize - 1].hash);
            }
            if acked >= to {
                assert_eq!(acked, to, "the server acknowledged more than was sent");
                return failures;
            }
            match self.push(&http, base, acked, (acked + batch).min(to)).await {
                Ok(h) => progress.store(h.acknowledged_seq, Ordering::SeqCst),
                Err(_) => {
                    failures += 1;
                    retry_pause().await;
                }
            }
        }
    }
}

/// A client's pause before it retries (a retry's backoff, not a wait for
/// an event: the next request itself finds out whether the server is back).
async fn retry_pause() {
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
}

async fn answer(res: reqwest::Response) -> Result<Head, String> {
    let status = res.status();
    let bytes = res.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(serde_json::from_slice(&bytes).unwrap())
    } else {
        Err(format!("{status}: {}", String::from_utf8_lossy(&bytes)))
    }
}

async fn admin_get(base: &str, token: &str, path: &str) -> Value {
    let res = reqwest::Client::new()
        .get(format!("{base}{path}"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// The events head office's store list says the server holds for `store`.
async fn ho_events(base: &str, token: &str, store: &str) -> i64 {
    let stores = admin_get(base, token, "/v1/admin/stores").await;
    stores["stores"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == store)
        .unwrap()["events"]
        .as_i64()
        .unwrap()
}

/// What the database holds of a store's record: each event once, exactly
/// as pushed, its head the last one's; and head office's verify agrees.
async fn assert_stored_once(url: &str, base: &str, token: &str, s: &Store) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let rows = client
        .query(
            "SELECT seq, id, hash FROM record_events WHERE store_id = $1 ORDER BY seq",
            &[&s.id],
        )
        .await
        .unwrap();
    let held: Vec<(i64, String, String)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    let want: Vec<(i64, String, String)> = s
        .events
        .iter()
        .map(|e| (e.seq, e.id.clone(), e.hash.clone()))
        .collect();
    assert_eq!(held, want, "store {}", s.id);
    let v = admin_get(base, token, &format!("/v1/admin/stores/{}/verify", s.id)).await;
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["events_checked"], s.events.len() as i64);
    assert_eq!(v["head_hash"], s.events.last().unwrap().hash.as_str());
}

/// `pharmapos-server serve`, the real binary, on a fixed port; killed
/// (SIGKILL, as a crash) when dropped or by [`ServerProcess::kill`].
struct ServerProcess {
    url: String,
    port: u16,
    child: Option<Child>,
}

impl ServerProcess {
    async fn start(port: u16, database_url: &str, read_url: Option<&str>) -> ServerProcess {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_pharmapos-server"));
        cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .args(["--rate", "1000000", "--burst", "1000000"])
            .env_remove("PHARMAPOS_SERVER_READ_URL")
            // Its warnings only (a killed peer is expected here).
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null());
        if let Some(r) = read_url {
            cmd.args(["--read-url", r]);
        }
        let child = cmd.spawn().unwrap();
        let mut s = ServerProcess {
            url: format!("http://127.0.0.1:{port}"),
            port,
            child: Some(child),
        };
        s.wait_ready().await;
        s
    }

    async fn wait_ready(&mut self) {
        let health = format!("{}/healthz", self.url);
        let http = reqwest::Client::new();
        let child = self.child.as_mut().unwrap();
        poll("the server to answer /healthz", || {
            let exited = child.try_wait().unwrap();
            assert!(exited.is_none(), "the server exited: {exited:?}");
            let r = http.get(&health).send();
            async move { r.await.is_ok_and(|r| r.status() == 200) }
        })
        .await;
    }

    fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            if let Err(e) = c.kill() {
                eprintln!("killing the server on port {}: {e}", self.port);
            }
            if let Err(e) = c.wait() {
                eprintln!("waiting for the server on port {}: {e}", self.port);
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_v7_partitions_the_event_tables_and_keeps_their_rows() {
    let pg = Pg::start();
    let url = pg.database("partitions").await;
    migrate_to(&url, 5).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let s = Store::new(&pool, "Lekki", 100).await;
    let other = Store::new(&pool, "Yaba", 0).await;
    // Sixty events and a mailbox row as the unpartitioned tables held them.
    let db = pg.connect("partitions").await;
    for e in &s.events[..60] {
        db.execute(
            "INSERT INTO record_events (store_id, seq, id, format, installation_id, change_type,
                                        user_id, reference_id, created_at, payload, hash, received_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, '2026-11-30T08:00:00Z')",
            &[
                &e.store_id,
                &e.seq,
                &e.id,
                &e.format,
                &e.installation_id,
                &e.change_type,
                &e.user_id,
                &e.reference_id,
                &e.created_at,
                &e.payload,
                &e.hash,
            ],
        )
        .await
        .unwrap();
    }
    db.execute(
        "UPDATE stores SET installation_id = $2, acked_seq = 60, head_hash = $3 WHERE id = $1",
        &[&s.id, &s.installation, &s.events[59].hash],
    )
    .await
    .unwrap();
    let mail = db
        .query_one(
            "INSERT INTO mailbox (to_store_id, from_store_id, event_id, change_type, event)
             VALUES ($1, $2, 'ev-1', 'transfer_shipped', '{}') RETURNING xid::text, id",
            &[&other.id, &s.id],
        )
        .await
        .unwrap();
    let (mail_xid, mail_id): (String, i64) = (mail.get(0), mail.get(1));

    pharmapos_server::migrate(&url).await.unwrap();

    // Both tables are partitioned by hash of their store, 16 ways.
    for (table, key) in [("record_events", "store_id"), ("mailbox", "to_store_id")] {
        let r = db
            .query_one(
                "SELECT p.partstrat::text, pg_get_partkeydef(c.oid),
                        (SELECT count(*) FROM pg_inherits i WHERE i.inhparent = c.oid)
                   FROM pg_class c JOIN pg_partitioned_table p ON p.partrelid = c.oid
                  WHERE c.relname = $1",
                &[&table],
            )
            .await
            .unwrap();
        let (strategy, def, parts): (String, String, i64) = (r.get(0), r.get(1), r.get(2));
        assert_eq!(
            (strategy.as_str(), def, parts),
            ("h", format!("HASH ({key})"), 16)
        );
    }
    // The rows moved with every column as it was.
    let r = db
        .query_one(
            "SELECT count(*), min(received_at)::text FROM record_events WHERE store_id = $1",
            &[&s.id],
        )
        .await
        .unwrap();
    assert_eq!(r.get::<_, i64>(0), 60);
    assert_eq!(r.get::<_, String>(1), "2026-11-30 08:00:00+00");
    let r = db
        .query_one(
            "SELECT xid::text, id FROM mailbox WHERE to_store_id = $1",
            &[&other.id],
        )
        .await
        .unwrap();
    assert_eq!(
        (r.get::<_, String>(0), r.get::<_, i64>(1)),
        (mail_xid, mail_id)
    );
    // Still append-only, both of them.
    for sql in [
        "UPDATE record_events SET notes = 'x' WHERE store_id = $1",
        "DELETE FROM record_events WHERE store_id = $1",
        "UPDATE mailbox SET event = 'x' WHERE from_store_id = $1",
        "DELETE FROM mailbox WHERE from_store_id = $1",
    ] {
        let e = db.execute(sql, &[&s.id]).await.unwrap_err();
        let message = e.as_db_error().map(|d| d.message().to_string());
        assert!(
            message
                .as_deref()
                .is_some_and(|m| m.ends_with("is append-only")),
            "{sql}: {e:?}"
        );
    }
    // An event id is unique within its store's record.
    let e = &s.events[0];
    let dup = db
        .execute(
            "INSERT INTO record_events (store_id, seq, id, format, change_type, user_id, created_at, hash)
             VALUES ($1, 1000, $2, 2, 'x', 'u', 'now', 'h')",
            &[&s.id, &e.id],
        )
        .await
        .unwrap_err();
    assert_eq!(
        dup.code(),
        Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
    );
    // A new mailbox row's id continues after the moved one's (same sequence).
    let next: i64 = db
        .query_one(
            "INSERT INTO mailbox (to_store_id, from_store_id, event_id, change_type, event)
             VALUES ($1, $2, 'ev-2', 'transfer_shipped', '{}') RETURNING id",
            &[&other.id, &s.id],
        )
        .await
        .unwrap()
        .get(0);
    assert!(next > mail_id, "{next} after {mail_id}");

    // The store carries on: its whole record resent, the moved part
    // checked field by field against what is held, the rest stored.
    let base = pharmapos_server::testing::serve(&url).await;
    let http = reqwest::Client::new();
    let h = s.push(&http, &base, 0, 100).await.unwrap();
    assert_eq!((h.acknowledged_seq, h.stored), (100, 40));
    let token = pharmapos_server::add_admin(&pool, "Head Office")
        .await
        .unwrap();
    assert_stored_once(&url, &base, &token, &s).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_reads_from_the_replica_and_stores_write_to_the_primary() {
    let primary = Pg::start();
    let url = primary.database("replicated").await;
    pharmapos_server::migrate(&url).await.unwrap();
    let pool = pharmapos_server::pool(&url).unwrap();
    let token = pharmapos_server::add_admin(&pool, "Head Office")
        .await
        .unwrap();
    let s = Store::new(&pool, "Lekki", 80).await;
    let replica = Pg::start_replica(&primary);
    let read_url = replica.url("replicated");
    let server = ServerProcess::start(free_port(), &url, Some(&read_url)).await;
    let base = server.url.as_str();
    let http = reqwest::Client::new();

    // The store pushes through the server (to the primary: the replica
    // would refuse the write); head office sees it once the replica has
    // replayed it.
    assert_eq!(
        s.push(&http, base, 0, 50).await.unwrap().acknowledged_seq,
        50
    );
    replica.wait_replayed(&primary).await;
    assert_eq!(ho_events(base, &token, &s.id).await, 50);

    // Replay paused: the store's next push is acknowledged (by the
    // primary), head office still sees the replica's 50 — its reads are the
    // replica's. Replay resumed and caught up: it sees all 80.
    let rep = replica.connect("postgres").await;
    rep.execute("SELECT pg_wal_replay_pause()", &[])
        .await
        .unwrap();
    assert_eq!(
        s.push(&http, base, 50, 80).await.unwrap().acknowledged_seq,
        80
    );
    assert_eq!(ho_events(base, &token, &s.id).await, 50);
    let on_primary: i64 = primary
        .connect("replicated")
        .await
        .query_one(
            "SELECT count(*) FROM record_events WHERE store_id = $1",
            &[&s.id],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(on_primary, 80);
    rep.execute("SELECT pg_wal_replay_resume()", &[])
        .await
        .unwrap();
    replica.wait_replayed(&primary).await;
    assert_eq!(ho_events(base, &token, &s.id).await, 80);
    // Every read-only view answers from the replica.
    for path in [
        "/v1/admin/stock".to_string(),
        "/v1/admin/events?limit=5".into(),
        "/v1/admin/change-types".into(),
    ] {
        admin_get(base, &token, &path).await;
    }
    assert_stored_once(&url, base, &token, &s).await;

    // A write on the read pool is never made, even if it names the primary:
    // its sessions are read-only.
    let reads = pharmapos_server::read_pool(&url).unwrap();
    let e = reads
        .get()
        .await
        .unwrap()
        .execute(
            "INSERT INTO admins (name, token_sha256) VALUES ('intruder', 'x')",
            &[],
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.code(),
        Some(&tokio_postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION)
    );
    let admins: i64 = pool
        .get()
        .await
        .unwrap()
        .query_one("SELECT count(*) FROM admins", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(admins, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_sync_through_haproxy_while_one_of_two_servers_is_killed_and_restarted() {
    let pg = Pg::start();
    let url = pg.database("balanced").await;
    // Each instance names itself to PostgreSQL, to tell which one served.
    let url_of = |name: &str| format!("{url} application_name={name}");
    let (port_a, port_b) = (free_port(), free_port());
    // One at a time: the first applies the migrations, the second finds them.
    let mut a = ServerProcess::start(port_a, &url_of("serve-a"), None).await;
    let b = ServerProcess::start(port_b, &url_of("serve-b"), None).await;
    let lb = LoadBalancer::haproxy(&[&a.url, &b.url]).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let token = pharmapos_server::add_admin(&pool, "Head Office")
        .await
        .unwrap();
    const PER_STORE: i64 = 900;
    let mut stores = Vec::new();
    for name in ["Lekki", "Yaba", "Ikeja"] {
        stores.push(Arc::new(Store::new(&pool, name, PER_STORE).await));
    }
    let progress: Arc<Vec<AtomicI64>> =
        Arc::new(stores.iter().map(|_| AtomicI64::new(0)).collect());
    let total = |p: &[AtomicI64]| p.iter().map(|a| a.load(Ordering::SeqCst)).sum::<i64>();
    let db = pg.connect("balanced").await;
    let serving = |name: &'static str| {
        let db = &db;
        async move {
            db.query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                &[&name],
            )
            .await
            .unwrap()
            .get::<_, i64>(0)
        }
    };
    // Every store syncs up to `to`, all at once, in batches of `batch`.
    let run = |to: i64, batch: i64| {
        stores
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (s, progress, base) = (s.clone(), progress.clone(), lb.url.clone());
                tokio::spawn(async move { s.push_to(&base, to, batch, &progress[i]).await })
            })
            .collect::<Vec<_>>()
    };

    // Both up: round-robin reaches both.
    for t in run(100, 10) {
        assert_eq!(t.await.unwrap(), 0, "nothing fails while both are up");
    }
    assert!(serving("serve-a").await > 0 && serving("serve-b").await > 0);

    // Instance A is killed while the stores are pushing; they carry on
    // through B (HAProxy sends a refused connection to the other server; a
    // request lost with A is the client's to send again).
    let tasks = run(500, 5);
    poll("the stores to get going", || async {
        total(&progress) > 3 * 100 + 10
    })
    .await;
    a.kill();
    let at_kill = total(&progress);
    assert!(
        at_kill < 3 * 500,
        "the stores finished before A was killed: nothing was tested"
    );
    poll("A's connections to close", || async {
        serving("serve-a").await == 0
    })
    .await;
    let mut failed = 0;
    for t in tasks {
        failed += t.await.unwrap();
    }
    // How many requests the kill cost the stores (sent again); for the log.
    eprintln!("requests failed and retried while A was down: {failed}");

    // A starts again on its port while they push; HAProxy's health check
    // takes it back, and it serves again.
    let tasks = run(PER_STORE, 5);
    poll("the stores to get going", || async {
        total(&progress) > 3 * 500 + 10
    })
    .await;
    let a = ServerProcess::start(port_a, &url_of("serve-a"), None).await;
    for t in tasks {
        t.await.unwrap();
    }
    for s in &stores {
        assert_stored_once(&url, &lb.url, &token, s).await;
    }
    // The checks above went through HAProxy too; round-robin reaches A.
    for _ in 0..4 {
        admin_get(&lb.url, &token, "/v1/admin/change-types").await;
    }
    assert!(serving("serve-a").await > 0, "the restarted A never served");
    let n: i64 = db
        .query_one("SELECT count(*) FROM record_events", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 3 * PER_STORE);
    drop((a, b));
}
