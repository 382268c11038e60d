//! The central server against a real PostgreSQL (Debian's server binaries,
//! a throw-away cluster on a free port: `pharmapos_server::testing`) and a real store file made by the
//! engine: registration, binding to an installation, idempotent pushes in
//! batches, and every refusal changing nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_protocol::{
    ErrorBody, Head, PushRequest, RecordEvent, INSTALLATION_HEADER, STORE_HEADER,
};
use pharmapos_server::testing::{serve, Pg};
use std::path::Path;

/// The demo store's file and its record.
fn demo_store(dir: &Path) -> (String, Vec<RecordEvent>) {
    let path = dir.join("demo.sqlite");
    let summary = pharmapos_engine::demo::create(
        &path,
        pharmapos_engine::demo::DemoRequest { timezone: None },
        pharmapos_engine::OpenOptions::default(),
    )
    .unwrap();
    let mut db = pharmapos_engine::Db::open(&path).unwrap();
    let events = db
        .read(|tx| pharmapos_engine::audit::record_after(tx, summary.store_id, 0, i64::MAX))
        .unwrap();
    (summary.store_id.to_string(), events)
}

struct Client {
    http: reqwest::Client,
    base: String,
    store: String,
    installation: String,
    secret: String,
}

impl Client {
    async fn push(&self, events: &[RecordEvent]) -> Result<Head, (u16, ErrorBody)> {
        let body = serde_json::to_vec(&PushRequest {
            events: events.to_vec(),
        })
        .unwrap();
        self.send(self.http.post(format!("{}/v1/push", self.base)).body(body))
            .await
    }

    async fn head(&self) -> Result<Head, (u16, ErrorBody)> {
        self.send(self.http.get(format!("{}/v1/head", self.base)))
            .await
    }

    async fn send(&self, r: reqwest::RequestBuilder) -> Result<Head, (u16, ErrorBody)> {
        let res = r
            .header("authorization", format!("Bearer {}", self.secret))
            .header(STORE_HEADER, &self.store)
            .header(INSTALLATION_HEADER, &self.installation)
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap();
        if status == 200 {
            Ok(serde_json::from_slice(&bytes).unwrap())
        } else {
            Err((
                status,
                serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                    panic!("{status}: {e}: {}", String::from_utf8_lossy(&bytes))
                }),
            ))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_pushes_its_record_in_batches_idempotently_and_every_refusal_changes_nothing() {
    let pg = Pg::start();
    let url = pg.database("push").await;
    let base = serve(&url).await;
    let dir = tempfile::tempdir().unwrap();
    let (store, events) = demo_store(dir.path());
    assert!(
        events.len() > 60,
        "the demo writes a day of events ({})",
        events.len()
    );
    let installation = events[0].installation_id.clone().unwrap();
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &store, "Demo Pharmacy")
        .await
        .unwrap();
    assert!(
        pharmapos_server::add_store(&pool, &store, "Again")
            .await
            .is_err(),
        "registered once"
    );
    let c = Client {
        http: reqwest::Client::new(),
        base: base.clone(),
        store: store.clone(),
        installation: installation.clone(),
        secret: secret.clone(),
    };

    // Nothing yet.
    let h = c.head().await.unwrap();
    assert_eq!(
        (h.acknowledged_seq, h.head_hash.as_str()),
        (0, pharmapos_protocol::GENESIS_HASH)
    );

    // A wrong secret, an unknown store: one answer, nothing stored.
    let wrong = Client {
        secret: "0".repeat(64),
        ..c_clone(&c)
    };
    let (status, e) = wrong.push(&events[..10]).await.unwrap_err();
    assert_eq!(
        (status, e.error.kind.as_str(), e.error.retryable),
        (401, "unauthenticated", false)
    );
    let unknown = Client {
        store: uuid_like(),
        ..c_clone(&c)
    };
    assert_eq!(
        unknown.push(&events[..10]).await.unwrap_err().1.error.kind,
        "unauthenticated"
    );

    // A gap (starting at 2) is refused with where to start.
    let (status, e) = c.push(&events[1..10]).await.unwrap_err();
    assert_eq!((status, e.error.kind.as_str()), (409, "chain_broken"));
    assert_eq!(e.error.details["expected_seq"], 1);

    // A tampered event: refused, nothing of the batch stored.
    let mut tampered = events[..10].to_vec();
    tampered[5].new_milli = tampered[5].new_milli.map(|q| q + 1000).or(Some(1));
    let (_, e) = c.push(&tampered).await.unwrap_err();
    assert_eq!(e.error.kind, "chain_broken");
    assert_eq!(e.error.details["seq"], 6);
    assert_eq!(c.head().await.unwrap().acknowledged_seq, 0);

    // In batches of 25 (an exact multiple at the end is the classic off-by-one).
    let cut = events.len() - events.len() % 25;
    let mut acked = 0;
    for chunk in events[..cut].chunks(25) {
        let h = c.push(chunk).await.unwrap();
        acked += chunk.len() as i64;
        assert_eq!((h.acknowledged_seq, h.stored), (acked, chunk.len() as i64));
    }
    // The same batch again: the same answer, nothing stored twice.
    let again = c.push(&events[cut - 25..cut]).await.unwrap();
    assert_eq!((again.acknowledged_seq, again.stored), (acked, 0));
    // Overlapping: the known part is checked, the new part stored.
    let h = c.push(&events[cut - 5..]).await.unwrap();
    assert_eq!(h.acknowledged_seq, events.len() as i64);
    assert_eq!(h.head_hash, events.last().unwrap().hash);
    // A rewritten past event is a divergence, not a silent skip.
    let mut rewritten = events[..3].to_vec();
    rewritten[2].notes = Some("edited".into());
    let (_, e) = c.push(&rewritten).await.unwrap_err();
    assert_eq!(e.error.kind, "chain_diverged");

    // A copied database file (another installation) cannot push as the store.
    let copy = Client {
        installation: uuid_like(),
        ..c_clone(&c)
    };
    let (status, e) = copy.push(&events[..1]).await.unwrap_err();
    assert_eq!((status, e.error.kind.as_str()), (403, "store_not_owned"));

    // What the server holds is the store's record, row for row.
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let n: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM record_events WHERE store_id = $1",
            &[&store],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, events.len() as i64);
    let last_error: Option<String> = client
        .query_one("SELECT last_error FROM stores WHERE id = $1", &[&store])
        .await
        .unwrap()
        .get(0);
    assert!(
        last_error.unwrap().starts_with("store_not_owned"),
        "head office sees why pushes fail"
    );
    // The record is append-only on the server too.
    assert!(client
        .execute("DELETE FROM record_events WHERE store_id = $1", &[&store])
        .await
        .is_err());

    // Bad bodies and too many events.
    let bad = c
        .http
        .post(format!("{base}/v1/push"))
        .header("authorization", format!("Bearer {secret}"))
        .header(STORE_HEADER, &store)
        .header(INSTALLATION_HEADER, &installation)
        .body("{\"events\": 3}")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);
    let many: Vec<RecordEvent> = std::iter::repeat_n(
        events[0].clone(),
        pharmapos_protocol::MAX_EVENTS_PER_PUSH + 1,
    )
    .collect();
    assert_eq!(c.push(&many).await.unwrap_err().1.error.kind, "too_large");
}

fn c_clone(c: &Client) -> Client {
    Client {
        http: c.http.clone(),
        base: c.base.clone(),
        store: c.store.clone(),
        installation: c.installation.clone(),
        secret: c.secret.clone(),
    }
}

fn uuid_like() -> String {
    "0193a1c2-0000-7000-8000-0000000000ff".into()
}
