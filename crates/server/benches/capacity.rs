//! Capacity: how many stores, each syncing every 5 minutes, one server and
//! one PostgreSQL on this machine hold with pull p99 under one second.
//!
//! For each store count N, the load N stores make is played for a while
//! (time-compressed: one sync cycle every 300/N seconds, open loop, so a
//! slow server makes cycles pile up instead of slowing the load down). A
//! cycle is what the client does: `GET /v1/head` (with the store's head),
//! `POST /v1/push` of the five minutes' events (8 sales of 3 events), then
//! the pulls: directory, catalogue and mailbox. Every store starts with a
//! pushed history and a mailbox holding changes addressed to it.
//!
//! ```text
//! cargo bench -p pharmapos-server --features testing --bench capacity -- [SECONDS] [N…]
//! ```
//! Defaults: 20 s per step; N = 1000 2000 5000 10000 20000 40000.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_protocol::{
    chain_hash, PushRequest, RecordEvent, FORMAT_V2, GENESIS_HASH, INSTALLATION_HEADER,
    LOCAL_HEAD_HEADER, PULL_START, STORE_HEADER,
};
use pharmapos_server::testing::{serve, Pg};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const SECRET: &str = "capacity-bench-secret-capacity-bench-secret-capacity-bench-00";
const EVENTS_PER_CYCLE: i64 = 24;
const HISTORY: i64 = 20;
const MAILBOX_PER_STORE: i64 = 20;

/// A simulated store: its id, installation and the head of its chain.
struct Sim {
    id: String,
    installation: String,
    seq: i64,
    hash: String,
}

fn next_events(s: &mut Sim, n: i64) -> Vec<RecordEvent> {
    (0..n)
        .map(|_| {
            s.seq += 1;
            let mut e = RecordEvent {
                format: FORMAT_V2,
                id: uuid::Uuid::now_v7().to_string(),
                store_id: s.id.clone(),
                installation_id: Some(s.installation.clone()),
                seq: s.seq,
                batch_id: None,
                product_id: None,
                change_type: "sale_completed".into(),
                previous_milli: None,
                new_milli: None,
                user_id: "01934a6e-0000-7000-8000-000000000001".into(),
                reference_id: Some(format!("sale-{}", s.seq)),
                notes: None,
                created_at: "2026-12-01T10:00:00.000Z".into(),
                batch_prev_seq: None,
                payload: Some(format!(
                    r#"{{"subject":{{"kind":"sale","id":"x","name":"S-{:06}"}},"data":{{"total":"1250.00","tender":"cash"}}}}"#,
                    s.seq
                )),
                hash: String::new(),
            };
            e.hash = chain_hash(&s.hash, &e.canonical()).unwrap();
            s.hash = e.hash.clone();
            e
        })
        .collect()
}

/// Registers `n` stores in bulk (one secret for all: the bench is not about
/// authentication) and pushes each one's history.
async fn setup(url: &str, base: &str, n: usize) -> Vec<Arc<Mutex<Sim>>> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let sha = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(SECRET.as_bytes()))
    };
    let mut sims = Vec::with_capacity(n);
    let ids: Vec<String> = (0..n).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    client
        .execute(
            "INSERT INTO stores (id, name, code, secret_sha256, head_hash)
             SELECT id, 'Store ' || id, 'C' || replace(id, '-', ''), $2, $3 FROM unnest($1::text[]) AS id",
            &[&ids, &sha, &GENESIS_HASH],
        )
        .await
        .unwrap();
    // Changes addressed to every store, from the first (a transfer a day).
    let shipped = {
        let mut from = Sim {
            id: ids[0].clone(),
            installation: "x".into(),
            seq: 0,
            hash: GENESIS_HASH.into(),
        };
        let mut e = next_events(&mut from, 1).remove(0);
        e.change_type = "transfer_shipped".into();
        serde_json::to_string(&e).unwrap()
    };
    client
        .execute(
            "INSERT INTO mailbox (to_store_id, from_store_id, event_id, change_type, event)
             SELECT s.id, $1, s.id || '-' || g, 'transfer_shipped', $3
               FROM stores s CROSS JOIN generate_series(1, $2::int) AS g",
            &[&ids[0], &(MAILBOX_PER_STORE as i32), &shipped],
        )
        .await
        .unwrap();
    let http = reqwest::Client::new();
    for chunk in ids.chunks(16) {
        let mut pushes = Vec::new();
        for id in chunk {
            let mut s = Sim {
                id: id.clone(),
                installation: uuid::Uuid::now_v7().to_string(),
                seq: 0,
                hash: GENESIS_HASH.into(),
            };
            let events = next_events(&mut s, HISTORY);
            let r = request(&http, base, &s, "POST", "/v1/push")
                .body(serde_json::to_vec(&PushRequest { events }).unwrap())
                .send();
            pushes.push(tokio::spawn(async move { ok(r.await.unwrap()).await }));
            sims.push(Arc::new(Mutex::new(s)));
        }
        for p in pushes {
            p.await.unwrap();
        }
    }
    sims
}

fn request(
    http: &reqwest::Client,
    base: &str,
    s: &Sim,
    method: &str,
    path: &str,
) -> reqwest::RequestBuilder {
    let r = if method == "POST" {
        http.post(format!("{base}{path}"))
            .header("content-type", "application/json")
    } else {
        http.get(format!("{base}{path}"))
    };
    r.header("authorization", format!("Bearer {SECRET}"))
        .header(STORE_HEADER, &s.id)
        .header(INSTALLATION_HEADER, &s.installation)
}

/// One store's sync cycle; the pull's latency (the three pull requests).
async fn cycle(http: &reqwest::Client, base: &str, sim: &Mutex<Sim>) -> Duration {
    let (events, head, who) = {
        let mut s = sim.lock().unwrap();
        let head = s.seq;
        let events = next_events(&mut s, EVENTS_PER_CYCLE);
        let who = Sim {
            id: s.id.clone(),
            installation: s.installation.clone(),
            seq: 0,
            hash: String::new(),
        };
        (events, head, who)
    };
    ok(request(http, base, &who, "GET", "/v1/head")
        .header(LOCAL_HEAD_HEADER, (head + EVENTS_PER_CYCLE).to_string())
        .send()
        .await
        .unwrap())
    .await;
    ok(request(http, base, &who, "POST", "/v1/push")
        .body(serde_json::to_vec(&PushRequest { events }).unwrap())
        .send()
        .await
        .unwrap())
    .await;
    let started = Instant::now();
    for path in ["/v1/stores", "/v1/catalogue", "/v1/pull"] {
        // A store that synced before asks from its cursor; the bench asks
        // from the start of the catalogue and mailbox (worst case: the
        // whole mailbox page every time) and from the end of the directory.
        let after = if path == "/v1/stores" {
            "18446744073709551615.0"
        } else {
            PULL_START
        };
        ok(request(
            http,
            base,
            &who,
            "GET",
            &format!("{path}?after={after}&limit=500"),
        )
        .send()
        .await
        .unwrap())
        .await;
    }
    started.elapsed()
}

async fn ok(r: reqwest::Response) {
    let status = r.status();
    let body = r.bytes().await.unwrap();
    assert!(
        status.is_success(),
        "{status}: {}",
        String::from_utf8_lossy(&body)
    );
}

fn p(v: &mut [Duration], q: f64) -> f64 {
    v.sort_unstable();
    if v.is_empty() {
        return 0.0;
    }
    let i = ((v.len() as f64 - 1.0) * q / 100.0).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.parse().unwrap())
        .collect();
    let seconds = args.first().copied().unwrap_or(20);
    let steps: Vec<usize> = if args.len() > 1 {
        args[1..].iter().map(|&n| n as usize).collect()
    } else {
        vec![1000, 2000, 5000, 10_000, 20_000, 40_000]
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let pg = Pg::start();
        for n in steps {
            let url = pg.database(&format!("capacity_{n}")).await;
            let base = serve(&url).await;
            let sims = setup(&url, &base, n).await;
            let http = reqwest::Client::new();
            // N stores every 300 s: one cycle every 300/N s.
            let every = Duration::from_secs_f64(300.0 / n as f64);
            let pulls = Arc::new(Mutex::new(Vec::new()));
            let started = Instant::now();
            let mut tasks = Vec::new();
            let mut i = 0usize;
            let mut ticks = tokio::time::interval(every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
            while started.elapsed() < Duration::from_secs(seconds) {
                ticks.tick().await;
                let (http, base, sim, pulls) =
                    (http.clone(), base.clone(), sims[i % n].clone(), pulls.clone());
                tasks.push(tokio::spawn(async move {
                    let d = cycle(&http, &base, &sim).await;
                    pulls.lock().unwrap().push(d);
                }));
                i += 1;
            }
            let offered = started.elapsed().as_secs_f64();
            for t in tasks {
                t.await.unwrap();
            }
            let drained = started.elapsed().as_secs_f64();
            let mut v = pulls.lock().unwrap().clone();
            let (p50, p99) = (p(&mut v, 50.0), p(&mut v, 99.0));
            println!(
                "{n} stores: {i} cycles ({:.1}/s offered) over {offered:.0} s, all done after {drained:.1} s; pull p50 {p50:.1} ms, p99 {p99:.1} ms{}",
                i as f64 / offered,
                if p99 < 1000.0 && drained < offered * 1.1 { "" } else { "  <- over" }
            );
        }
    });
}
