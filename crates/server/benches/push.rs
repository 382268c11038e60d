//! Push throughput of the central server against a real PostgreSQL (the
//! test harness's throw-away cluster: fsync and full-page writes off, or on
//! with `PG_DURABLE=1`), beside
//! PostgreSQL's own `COPY` of the same rows into a table with the same keys
//! on the same machine — the floor any insert path is measured against.
//!
//! ```text
//! cargo bench -p pharmapos-server --features testing --bench push -- [STORES] [EVENTS_PER_STORE]
//! ```
//! Defaults: one store of 100,000 events, then 100 stores of 2,000 events
//! each pushing at once. Each store's events are a valid chain (hashed with
//! `pharmapos_protocol`), with a sale-sized payload, pushed in batches of
//! [`MAX_EVENTS_PER_PUSH`] over HTTP exactly as the client does; every
//! event is verified and stored by the server.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures_util::SinkExt;
use pharmapos_protocol::{
    chain_hash, PushRequest, RecordEvent, FORMAT_V2, GENESIS_HASH, INSTALLATION_HEADER,
    MAX_EVENTS_PER_PUSH, STORE_HEADER,
};
use pharmapos_server::testing::{serve, Pg};
use std::time::Instant;

/// A store's record of `n` sale-sized events.
fn chain(store: &str, installation: &str, n: usize) -> Vec<RecordEvent> {
    let mut prev = GENESIS_HASH.to_string();
    let batch = uuid::Uuid::now_v7().to_string();
    let product = uuid::Uuid::now_v7().to_string();
    (1..=n as i64)
        .map(|seq| {
            let mut e = RecordEvent {
                format: FORMAT_V2,
                id: uuid::Uuid::now_v7().to_string(),
                store_id: store.into(),
                installation_id: Some(installation.into()),
                seq,
                batch_id: Some(batch.clone()),
                product_id: Some(product.clone()),
                change_type: "allocated".into(),
                previous_milli: Some(10_000_000 - (seq - 1) * 1000),
                new_milli: Some(10_000_000 - seq * 1000),
                user_id: "01934a6e-0000-7000-8000-000000000001".into(),
                reference_id: Some(format!("sale-{seq}")),
                notes: Some("Sold 1 tablet of Paracetamol 500mg from batch P-2291".into()),
                created_at: "2026-12-01T10:00:00.000Z".into(),
                batch_prev_seq: (seq > 1).then_some(seq - 1),
                payload: Some(format!(
                    r#"{{"subject":{{"kind":"sale","id":"{}","name":"LEK-S-{seq:06}"}},"data":{{"quantity":"1","unit_price":"50.00","tender":"cash","till":"till-1"}}}}"#,
                    uuid::Uuid::now_v7()
                )),
                hash: String::new(),
            };
            e.hash = chain_hash(&prev, &e.canonical()).unwrap();
            prev = e.hash.clone();
            e
        })
        .collect()
}

async fn push_all(
    base: &str,
    store: &str,
    secret: &str,
    installation: &str,
    events: &[RecordEvent],
) {
    let http = reqwest::Client::new();
    for batch in events.chunks(MAX_EVENTS_PER_PUSH) {
        let body = serde_json::to_vec(&PushRequest {
            events: batch.to_vec(),
        })
        .unwrap();
        let res = http
            .post(format!("{base}/v1/push"))
            .header("authorization", format!("Bearer {secret}"))
            .header(STORE_HEADER, store)
            .header(INSTALLATION_HEADER, installation)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    }
}

/// A registered store and its record.
struct Store {
    id: String,
    secret: String,
    installation: String,
    events: Vec<RecordEvent>,
}

async fn stores(pool: &pharmapos_server::Pool, n: usize, events: usize) -> Vec<Store> {
    let mut out = Vec::new();
    for _ in 0..n {
        let id = uuid::Uuid::now_v7().to_string();
        let installation = uuid::Uuid::now_v7().to_string();
        let secret = pharmapos_server::register_store(
            pool,
            &pharmapos_server::NewStore {
                id: id.clone(),
                name: format!("Bench store {id}"),
                code: Some(id.replace('-', "")[20..].to_string()),
                timezone: None,
                currency: None,
            },
        )
        .await
        .unwrap();
        let events = chain(&id, &installation, events);
        out.push(Store {
            id,
            secret,
            installation,
            events,
        });
    }
    out
}

/// `COPY` of the same rows into a table with record_events' columns and
/// keys (no trigger), from one connection.
async fn copy(url: &str, all: &[&Store]) -> (usize, f64) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .batch_execute(
            "DROP TABLE IF EXISTS copy_floor;
             CREATE TABLE copy_floor (LIKE record_events INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING CONSTRAINTS);",
        )
        .await
        .unwrap();
    fn field(out: &mut String, v: Option<&str>) {
        match v {
            None => out.push_str("\\N"),
            Some(s) => {
                for c in s.chars() {
                    match c {
                        '\\' => out.push_str("\\\\"),
                        '\t' => out.push_str("\\t"),
                        '\n' => out.push_str("\\n"),
                        '\r' => out.push_str("\\r"),
                        c => out.push(c),
                    }
                }
            }
        }
    }
    let mut text = String::new();
    let mut rows = 0;
    for s in all {
        for e in &s.events {
            let num = |v: Option<i64>| v.map(|v| v.to_string());
            let cols: [Option<String>; 17] = [
                Some(e.store_id.clone()),
                Some(e.seq.to_string()),
                Some(e.id.clone()),
                Some(e.format.to_string()),
                e.installation_id.clone(),
                e.batch_id.clone(),
                e.product_id.clone(),
                Some(e.change_type.clone()),
                num(e.previous_milli),
                num(e.new_milli),
                Some(e.user_id.clone()),
                e.reference_id.clone(),
                e.notes.clone(),
                Some(e.created_at.clone()),
                num(e.batch_prev_seq),
                e.payload.clone(),
                Some(e.hash.clone()),
            ];
            for (i, c) in cols.iter().enumerate() {
                if i > 0 {
                    text.push('\t');
                }
                field(&mut text, c.as_deref());
            }
            text.push('\n');
            rows += 1;
        }
    }
    let started = Instant::now();
    let sink = client
        .copy_in(
            "COPY copy_floor (store_id, seq, id, format, installation_id, batch_id, product_id, change_type,
                              previous_milli, new_milli, user_id, reference_id, notes, created_at,
                              batch_prev_seq, payload, hash) FROM STDIN",
        )
        .await
        .unwrap();
    futures_util::pin_mut!(sink);
    sink.send(bytes::Bytes::from(text)).await.unwrap();
    sink.finish().await.unwrap();
    (rows, started.elapsed().as_secs_f64())
}

async fn count(url: &str) -> i64 {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .query_one("SELECT count(*) FROM record_events", &[])
        .await
        .unwrap()
        .get(0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let many: usize = args.first().map_or(100, |a| a.parse().unwrap());
    let per: usize = args.get(1).map_or(2000, |a| a.parse().unwrap());
    let single = many * per;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let pg = Pg::start();
        let url = pg.database("bench_push").await;
        let base = serve(&url).await;
        let pool = pharmapos_server::pool(&url).unwrap();

        // One store, its whole backlog.
        let one = stores(&pool, 1, single).await;
        let started = Instant::now();
        push_all(
            &base,
            &one[0].id,
            &one[0].secret,
            &one[0].installation,
            &one[0].events,
        )
        .await;
        let t1 = started.elapsed().as_secs_f64();
        println!(
            "push, 1 store: {single} events in {t1:.2} s = {:.0} events/s",
            single as f64 / t1
        );

        // Many stores at once.
        let many_stores = stores(&pool, many, per).await;
        let started = Instant::now();
        let mut tasks = Vec::new();
        for s in &many_stores {
            let (base, id, secret, inst, events) = (
                base.clone(),
                s.id.clone(),
                s.secret.clone(),
                s.installation.clone(),
                s.events.clone(),
            );
            tasks.push(tokio::spawn(async move {
                push_all(&base, &id, &secret, &inst, &events).await
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let tn = started.elapsed().as_secs_f64();
        println!(
            "push, {many} stores at once: {} events in {tn:.2} s = {:.0} events/s",
            many * per,
            (many * per) as f64 / tn
        );
        assert_eq!(count(&url).await, (single + many * per) as i64);

        // The floor: COPY of the same rows.
        let all: Vec<&Store> = one.iter().chain(many_stores.iter()).collect();
        let (rows, tc) = copy(&url, &all).await;
        println!(
            "COPY floor: {rows} rows in {tc:.2} s = {:.0} rows/s",
            rows as f64 / tc
        );
        let pushed = (single + many * per) as f64 / (t1 + tn);
        println!(
            "push / COPY: {:.1}× slower ({pushed:.0} vs {:.0} rows/s)",
            (rows as f64 / tc) / pushed,
            rows as f64 / tc
        );
    });
}
