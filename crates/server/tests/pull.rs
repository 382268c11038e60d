//! Pull against a real PostgreSQL: a change committed late by a transaction
//! that started early is never skipped (the sequence-gap bug of
//! SYNC-NOTES), pages end exactly at multiples of the page size, a store
//! sees only what is addressed to it, and bad requests change nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_protocol::{
    ErrorBody, PullAnswer, RecordEvent, INSTALLATION_HEADER, PULL_START, STORE_HEADER,
};
use pharmapos_server::testing::{serve, Pg};
use pharmapos_server::NewStore;

fn store(code: &str) -> NewStore {
    NewStore {
        id: uuid::Uuid::now_v7().to_string(),
        name: format!("{code} Pharmacy"),
        code: Some(code.into()),
        timezone: Some("Africa/Lagos".into()),
        currency: None,
    }
}

/// A change as the mailbox holds it (its content does not matter here).
fn event_text(from: &str, n: usize) -> (String, String) {
    let e = RecordEvent {
        format: 2,
        id: uuid::Uuid::now_v7().to_string(),
        store_id: from.into(),
        installation_id: None,
        seq: n as i64,
        batch_id: None,
        product_id: None,
        change_type: "transfer_shipped".into(),
        previous_milli: None,
        new_milli: None,
        user_id: "u".into(),
        reference_id: None,
        notes: Some(format!("change {n}")),
        created_at: "2026-12-01T10:00:00.000Z".into(),
        batch_prev_seq: None,
        payload: None,
        hash: String::new(),
    };
    (e.id.clone(), serde_json::to_string(&e).unwrap())
}

const INSERT: &str =
    "INSERT INTO mailbox (to_store_id, from_store_id, event_id, change_type, event)
                      VALUES ($1, $2, $3, 'transfer_shipped', $4)";

async fn connect(url: &str) -> tokio_postgres::Client {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    client
}

async fn pull(
    base: &str,
    store: &str,
    secret: &str,
    after: &str,
    limit: usize,
) -> Result<PullAnswer, (u16, ErrorBody)> {
    let res = reqwest::Client::new()
        .get(format!("{base}/v1/pull?after={after}&limit={limit}"))
        .header("authorization", format!("Bearer {secret}"))
        .header(STORE_HEADER, store)
        .header(INSTALLATION_HEADER, "test-installation")
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

fn notes(a: &PullAnswer) -> Vec<String> {
    a.changes
        .iter()
        .map(|c| c.event.notes.clone().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pull_never_skips_a_change_committed_late_and_pages_end_exactly() {
    let pg = Pg::start();
    let url = pg.database("pull").await;
    let base = serve(&url).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let (a, b) = (store("LEKKI"), store("IKEJA"));
    let a_secret = pharmapos_server::register_store(&pool, &a).await.unwrap();
    let b_secret = pharmapos_server::register_store(&pool, &b).await.unwrap();
    let mut early = connect(&url).await;
    let late = connect(&url).await;

    // A transaction takes its place first but commits last.
    let tx = early.transaction().await.unwrap();
    let (id1, e1) = event_text(&a.id, 1);
    tx.execute(INSERT, &[&b.id, &a.id, &id1, &e1])
        .await
        .unwrap();
    let (id2, e2) = event_text(&a.id, 2);
    late.execute(INSERT, &[&b.id, &a.id, &id2, &e2])
        .await
        .unwrap();
    // Change 2 is committed, but handing it out now would put the cursor
    // past change 1 for good: it waits.
    let p = pull(&base, &b.id, &b_secret, PULL_START, 500)
        .await
        .unwrap();
    assert!(p.changes.is_empty(), "{p:?}");
    assert_eq!(p.next_cursor, PULL_START);
    tx.commit().await.unwrap();
    let p = pull(&base, &b.id, &b_secret, PULL_START, 500)
        .await
        .unwrap();
    assert_eq!(notes(&p), ["change 1", "change 2"]);
    assert!(!p.more);
    let cursor = p.next_cursor.clone();
    assert_eq!(cursor, p.changes[1].cursor);
    let again = pull(&base, &b.id, &b_secret, &cursor, 500).await.unwrap();
    assert!(again.changes.is_empty());
    assert_eq!(again.next_cursor, cursor);

    // Nothing is addressed to the sender.
    let p = pull(&base, &a.id, &a_secret, PULL_START, 500)
        .await
        .unwrap();
    assert!(p.changes.is_empty());

    // Exactly two pages of 500: the second says there is no more, and the
    // third finds nothing (no change lost at the boundary).
    let mut bulk = connect(&url).await;
    let tx = bulk.transaction().await.unwrap();
    for n in 0..1000 {
        let (id, e) = event_text(&a.id, 100 + n);
        tx.execute(INSERT, &[&b.id, &a.id, &id, &e]).await.unwrap();
    }
    tx.commit().await.unwrap();
    let p1 = pull(&base, &b.id, &b_secret, &cursor, 500).await.unwrap();
    assert_eq!((p1.changes.len(), p1.more), (500, true));
    let p2 = pull(&base, &b.id, &b_secret, &p1.next_cursor, 500)
        .await
        .unwrap();
    assert_eq!((p2.changes.len(), p2.more), (500, false));
    let p3 = pull(&base, &b.id, &b_secret, &p2.next_cursor, 500)
        .await
        .unwrap();
    assert!(p3.changes.is_empty());
    let mut seen: Vec<String> = notes(&p1);
    seen.extend(notes(&p2));
    let want: Vec<String> = (0..1000).map(|n| format!("change {}", 100 + n)).collect();
    assert_eq!(seen, want, "in order, each once");

    // Bad requests: a cursor that is not one, a limit out of range, a wrong secret.
    let (status, e) = pull(&base, &b.id, &b_secret, "yesterday", 10)
        .await
        .unwrap_err();
    assert_eq!((status, e.error.kind.as_str()), (400, "invalid_input"));
    let (status, _) = pull(&base, &b.id, &b_secret, PULL_START, 0)
        .await
        .unwrap_err();
    assert_eq!(status, 400);
    let (status, _) = pull(&base, &b.id, &b_secret, PULL_START, 501)
        .await
        .unwrap_err();
    assert_eq!(status, 400);
    let (status, e) = pull(&base, &b.id, &a_secret, PULL_START, 10)
        .await
        .unwrap_err();
    assert_eq!((status, e.error.kind.as_str()), (401, "unauthenticated"));

    // Registration refuses a second store with the same code.
    let mut dup = store("IKEJA");
    dup.name = "Another".into();
    let err = pharmapos_server::register_store(&pool, &dup)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("IKEJA"), "{err}");
}
