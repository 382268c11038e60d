//! The sync client against a real server over a real PostgreSQL
//! (`pharmapos_server::testing`) and a real store file made by the engine's
//! demo: the first push, a push with nothing new, a backlog over 1,000
//! events in batches, new sales going up next time, the server going away
//! in the middle of a push (the answer to a stored batch lost), and the
//! refusals (wrong secret, a copied file) recorded and changing nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, configure, demo, local_head, open, status, Store};
use pharmapos_engine::ids::StoreId;
use pharmapos_server::testing::{serve, FaultProxy, Pg};
use pharmapos_sync::{push, SyncError, MAX_EVENTS_PER_PUSH};
use serde_json::json;

/// `n` events of the store's record (till settings changed back and forth).
fn settings_changes(s: &Store, n: usize) {
    let mut db = open(&s.path);
    for i in 0..n {
        call(
            &mut db,
            "Demo Admin",
            "update_till_settings",
            json!({"store_id": s.id, "receipt_footer": format!("Thank you ({i})")}),
        );
    }
}

/// `n` sales of one tablet (FEFO allocations), one event each at least.
fn sales(s: &Store, n: usize) {
    let mut db = open(&s.path);
    let product: String = db
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT product_id FROM batches WHERE store_id = ?1 AND status = 'available'
                    AND on_hand_milli >= 100000 AND expiry_date > date('now', '+30 days')
                  ORDER BY on_hand_milli DESC LIMIT 1",
                [s.id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    for i in 0..n {
        call(
            &mut db,
            "Demo Cashier",
            "allocate_stock_for_sale",
            json!({"product_id": product, "store_id": s.id, "quantity": "1",
                   "reference_id": format!("test-sale-{i}")}),
        );
    }
}

/// The server's head and row count for a store.
async fn server_side(url: &str, store: StoreId) -> (i64, String, i64) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let id = store.to_string();
    let row = client
        .query_one(
            "SELECT acked_seq, head_hash FROM stores WHERE id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let n: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM record_events WHERE store_id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    (row.get(0), row.get(1), n)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_pushes_in_batches_and_resumes_after_the_server_goes_away() {
    let pg = Pg::start();
    let url = pg.database("sync_push").await;
    let base = serve(&url).await;
    let proxy = FaultProxy::start(&base).await;
    let s = demo();
    configure(&s, &proxy.url);
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &s.id.to_string(), "Demo Pharmacy")
        .await
        .unwrap();
    let (head, _) = local_head(&s);
    let st = status(&s);
    assert_eq!(
        (st["configured"].as_bool(), st["backlog"].as_i64()),
        (Some(true), Some(head))
    );

    // The first push: the whole record.
    let r = push(&s.path, s.id, &secret).await.unwrap();
    assert_eq!((r.server_seq_before, r.acknowledged_seq), (0, head));
    assert_eq!((r.events_sent, r.events_stored), (head, head));
    assert_eq!(
        r.batches as usize,
        (head as usize).div_ceil(MAX_EVENTS_PER_PUSH)
    );
    assert_eq!(r.backlog, 0);
    let (seq, hash, n) = server_side(&url, s.id).await;
    assert_eq!((seq, hash, n), (head, local_head(&s).1, head));
    let st = status(&s);
    assert_eq!(st["acknowledged_seq"], head);
    assert_eq!(st["backlog"], 0);
    assert!(st["last_success_at"].is_string());
    assert!(st["last_error"].is_null());

    // Nothing new: nothing sent.
    let r = push(&s.path, s.id, &secret).await.unwrap();
    assert_eq!((r.batches, r.events_sent, r.acknowledged_seq), (0, 0, head));

    // A backlog over 1,000 goes in batches of at most 1,000, up to the head.
    settings_changes(&s, 1_150);
    sales(&s, 3);
    let (head2, hash2) = local_head(&s);
    let backlog = head2 - head;
    assert!(backlog > 1_000, "{backlog}");
    let r = push(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(r.batches, 2);
    assert_eq!((r.events_sent, r.events_stored), (backlog, backlog));
    assert_eq!(r.acknowledged_seq, head2);
    assert_eq!(server_side(&url, s.id).await, (head2, hash2, head2));

    // New sales go up next time.
    sales(&s, 4);
    let (head3, hash3) = local_head(&s);
    let r = push(&s.path, s.id, &secret).await.unwrap();
    assert_eq!((r.events_sent, r.acknowledged_seq), (head3 - head2, head3));
    assert_eq!(server_side(&url, s.id).await, (head3, hash3, head3));

    // The server goes away mid-push: the first batch is acknowledged, the
    // second is stored but its answer never comes back, then nothing
    // answers at all.
    settings_changes(&s, 2_300);
    let (head4, hash4) = local_head(&s);
    proxy.cut_after_pushes(1);
    let e = push(&s.path, s.id, &secret).await.unwrap_err();
    assert!(proxy.is_down());
    assert!(matches!(e, SyncError::Unreachable(_)), "{e:?}");
    assert!(e.retryable());
    let st = status(&s);
    let first_batch = head3 + MAX_EVENTS_PER_PUSH as i64;
    assert_eq!(
        st["acknowledged_seq"], first_batch,
        "the lost answer is not noted as an ack"
    );
    assert_eq!(st["last_error"]["kind"], "unreachable");
    assert_eq!(st["last_error"]["retryable"], true);
    let (server_seq, _, _) = server_side(&url, s.id).await;
    assert_eq!(server_seq, first_batch + MAX_EVENTS_PER_PUSH as i64);
    // Still down: the next try fails fast and changes nothing.
    let e = push(&s.path, s.id, &secret).await.unwrap_err();
    assert!(e.retryable(), "{e:?}");
    assert_eq!(status(&s)["acknowledged_seq"], first_batch);

    // Back: the push starts from the server's head, nothing lost or doubled.
    proxy.restore();
    let r = push(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(r.server_seq_before, server_seq);
    assert_eq!(
        (r.events_sent, r.events_stored),
        (head4 - server_seq, head4 - server_seq)
    );
    assert_eq!(r.acknowledged_seq, head4);
    assert_eq!(server_side(&url, s.id).await, (head4, hash4, head4));
    let st = status(&s);
    assert!(st["last_error"].is_null(), "{st}");
    assert_eq!(st["backlog"], 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_recorded_and_change_nothing() {
    let pg = Pg::start();
    let url = pg.database("sync_refusals").await;
    let base = serve(&url).await;
    let s = demo();
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &s.id.to_string(), "Demo Pharmacy")
        .await
        .unwrap();

    // Not configured: a clear local error, nothing sent.
    let e = push(&s.path, s.id, &secret).await.unwrap_err();
    assert_eq!((e.kind(), e.retryable()), ("not_found", false));
    configure(&s, &base);

    // A wrong secret: unauthenticated, noted, nothing stored anywhere.
    let e = push(&s.path, s.id, &"0".repeat(64)).await.unwrap_err();
    assert_eq!((e.kind(), e.retryable()), ("unauthenticated", false));
    let st = status(&s);
    assert_eq!(st["last_error"]["kind"], "unauthenticated");
    assert_eq!(st["last_error"]["retryable"], false);
    assert_eq!(st["acknowledged_seq"], 0);
    assert_eq!(server_side(&url, s.id).await.2, 0);

    // The right one: pushed (and the store bound to this installation).
    let (head, hash) = local_head(&s);
    push(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(server_side(&url, s.id).await, (head, hash.clone(), head));

    // A copy of the file on another PC (another installation). As it is,
    // the engine itself refuses to push a store it does not own…
    let copy_dir = tempfile::tempdir().unwrap();
    let copy = copy_dir.path().join("copy.sqlite");
    std::fs::copy(&s.path, &copy).unwrap();
    {
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute(
            "UPDATE installation SET id = '0193a1c2-0000-7000-8000-0000000000ff'",
            [],
        )
        .unwrap();
    }
    let e = push(&copy, s.id, &secret).await.unwrap_err();
    assert_eq!(e.kind(), "store_not_owned");
    // …and a copy hand-edited to claim the store is refused by the server.
    {
        let conn = rusqlite::Connection::open(&copy).unwrap();
        conn.execute(
            "UPDATE stores SET installation_id = '0193a1c2-0000-7000-8000-0000000000ff' WHERE id = ?1",
            [s.id],
        )
        .unwrap();
    }
    settings_changes(
        &Store {
            _dir: tempfile::tempdir().unwrap(),
            path: copy.clone(),
            id: s.id,
        },
        2,
    );
    let e = push(&copy, s.id, &secret).await.unwrap_err();
    assert_eq!((e.kind(), e.retryable()), ("store_not_owned", false));
    let mut db = open(&copy);
    let st = pharmapos_engine::sync::status_of(&mut db, s.id).unwrap();
    assert_eq!(st.last_error.unwrap().kind, "store_not_owned");
    assert_eq!(st.acknowledged_seq, head);
    // The server still holds the original's record, untouched.
    assert_eq!(server_side(&url, s.id).await, (head, hash, head));
}
