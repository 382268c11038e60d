//! Pushes duplicated, reordered, overlapping and tampered, against a real
//! PostgreSQL: every event stored exactly once, in order, whatever the
//! network does to the requests; a break or a rewrite refused and nothing
//! stored.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_protocol::{
    ErrorBody, Head, PushRequest, RecordEvent, INSTALLATION_HEADER, STORE_HEADER,
};
use pharmapos_server::testing::{chain, serve, Pg};

struct Store {
    base: String,
    id: String,
    installation: String,
    secret: String,
}

impl Store {
    async fn push(&self, events: &[RecordEvent]) -> Result<Head, (u16, ErrorBody)> {
        let res = reqwest::Client::new()
            .post(format!("{}/v1/push", self.base))
            .header("authorization", format!("Bearer {}", self.secret))
            .header(STORE_HEADER, &self.id)
            .header(INSTALLATION_HEADER, &self.installation)
            .header("content-type", "application/json")
            .body(
                serde_json::to_vec(&PushRequest {
                    events: events.to_vec(),
                })
                .unwrap(),
            )
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let bytes = res.bytes().await.unwrap();
        if status == 200 {
            Ok(serde_json::from_slice(&bytes).unwrap())
        } else {
            Err((status, serde_json::from_slice(&bytes).unwrap()))
        }
    }
}

async fn stored(url: &str, store: &str) -> Vec<i64> {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
        .query(
            "SELECT seq FROM record_events WHERE store_id = $1 ORDER BY seq",
            &[&store],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_reordered_overlapping_and_tampered_pushes_store_each_event_once() {
    let pg = Pg::start();
    let url = pg.database("faults").await;
    let base = serve(&url).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let id = uuid::Uuid::now_v7().to_string();
    let secret = pharmapos_server::add_store(&pool, &id, "Lekki")
        .await
        .unwrap();
    let s = Store {
        base,
        id: id.clone(),
        installation: uuid::Uuid::now_v7().to_string(),
        secret,
    };
    let events = chain(&id, &s.installation, 400);
    let batch = |from: i64, to: i64| events[(from - 1) as usize..to as usize].to_vec();

    // The same batch twice at once (a retry racing the original): one
    // stores it, the other finds it there; both answer the same head.
    let first = batch(1, 100);
    let (a, b) = tokio::join!(s.push(&first), s.push(&first));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!((a.acknowledged_seq, b.acknowledged_seq), (100, 100));
    assert_eq!(a.head_hash, b.head_hash);
    assert_eq!(a.stored + b.stored, 100, "stored once between them");

    // Reordered: the third batch before the second is refused (it does not
    // continue the chain) and stores nothing; in order, both go in.
    let (status, e) = s.push(&batch(201, 300)).await.unwrap_err();
    assert_eq!((status, e.error.kind.as_str()), (409, "chain_broken"));
    assert_eq!(e.error.details["expected_seq"], 101);
    assert_eq!(stored(&url, &id).await.len(), 100);
    assert_eq!(
        s.push(&batch(101, 200)).await.unwrap().acknowledged_seq,
        200
    );
    assert_eq!(
        s.push(&batch(201, 300)).await.unwrap().acknowledged_seq,
        300
    );

    // Overlapping (an old batch resent with new events after it): the known
    // part is checked, the new part stored.
    let h = s.push(&batch(251, 350)).await.unwrap();
    assert_eq!((h.acknowledged_seq, h.stored), (350, 50));

    // A resent batch whose known part was rewritten: refused, nothing stored.
    let mut tampered = batch(341, 400);
    tampered[2].notes = Some("rewritten".into());
    let (status, e) = s.push(&tampered).await.unwrap_err();
    assert_eq!((status, e.error.kind.as_str()), (409, "chain_diverged"));
    assert_eq!(stored(&url, &id).await.len(), 350);

    // A batch with a gap inside: refused whole.
    let mut gap = batch(351, 400);
    gap.remove(10);
    let (_, e) = s.push(&gap).await.unwrap_err();
    assert_eq!(e.error.kind, "chain_broken");

    // Every event once, in order, and the chain's head is the last one's.
    let h = s.push(&batch(351, 400)).await.unwrap();
    assert_eq!((h.acknowledged_seq, h.stored), (400, 50));
    assert_eq!(h.head_hash, events[399].hash);
    assert_eq!(stored(&url, &id).await, (1..=400).collect::<Vec<i64>>());
}
