//! The database fails over (docs/scaling.md): stores sync to the primary,
//! which streams to a replica; the line between the two is cut, so the
//! primary acknowledges events the replica never receives (asynchronous
//! replication's window); the primary crashes, the replica is promoted and
//! the server is started again over it. The new primary's head for a store
//! is then behind what the store was told was acknowledged. The store's
//! next sync starts from the server's actual head (`GET /v1/head`), moves
//! its own acknowledged position back to it and sends the lost events
//! again: afterwards every event is on the server exactly once, each chain
//! verifies, nothing is lost.
//!
//! And the feeds across the same failover (migration V8): a store that
//! pulled in the lost window holds cursors the new primary numbers new rows
//! below; what is written after the failover still reaches it, once.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{
    call, configure, demo, events_of, ikeja, local_head, open, publish_from, status, transfer,
    Store,
};
use pharmapos_engine::ids::StoreId;
use pharmapos_server::testing::{Pg, Server};
use pharmapos_sync::sync;
use serde_json::json;

/// `n` events of the store's record (till settings changed back and forth).
fn settings_changes(s: &Store, n: usize) {
    let mut db = open(&s.path);
    for i in 0..n {
        call(
            &mut db,
            "Demo Admin",
            "update_till_settings",
            json!({"store_id": s.id, "receipt_footer": format!("Failover ({i})")}),
        );
    }
}

/// The server's acknowledged head for a store, and the hashes it holds in order.
async fn server_side(url: &str, store: StoreId) -> (i64, String, Vec<String>) {
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
    let hashes = client
        .query(
            "SELECT seq, hash FROM record_events WHERE store_id = $1 ORDER BY seq",
            &[&id],
        )
        .await
        .unwrap()
        .iter()
        .enumerate()
        .map(|(i, r)| {
            // Every seq from 1, none twice, none missing.
            assert_eq!(r.get::<_, i64>(0), i as i64 + 1);
            r.get(1)
        })
        .collect();
    (row.get(0), row.get(1), hashes)
}

/// The store's own record, as hashes in order.
fn local_hashes(s: &Store) -> Vec<String> {
    let (head, _) = local_head(s);
    let mut db = open(&s.path);
    let mut hashes = Vec::new();
    while (hashes.len() as i64) < head {
        let events =
            pharmapos_engine::sync::events_after(&mut db, s.id, hashes.len() as i64, 1_000)
                .unwrap();
        assert!(!events.is_empty());
        hashes.extend(events.into_iter().map(|e| e.hash));
    }
    hashes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failover_that_lost_acknowledged_events_stores_push_them_again() {
    let mut primary = Pg::start();
    let url = primary.database("failover").await;
    let mut server = Server::start(&url, None).await;
    let replica = Pg::start_replica(&primary);
    let pool = pharmapos_server::pool(&url).unwrap();
    let token = pharmapos_server::add_admin(&pool, "hq").await.unwrap();
    let stores = [demo(), demo()];
    let mut secrets = Vec::new();
    for (i, s) in stores.iter().enumerate() {
        configure(s, &server.url);
        secrets.push(
            pharmapos_server::add_store(&pool, &s.id.to_string(), &format!("Store {i}"))
                .await
                .unwrap(),
        );
    }
    drop(pool);

    // Both stores sync; the replica replays all of it.
    for (s, secret) in stores.iter().zip(&secrets) {
        let r = sync(&s.path, s.id, secret).await.unwrap();
        assert_eq!(r.push.acknowledged_seq, local_head(s).0);
    }
    replica.wait_replayed(&primary).await;
    let kept: Vec<(i64, String)> = stores.iter().map(local_head).collect();

    // The line to the replica is cut; the stores carry on, and the primary
    // acknowledges events the replica will never have.
    replica.detach_replica().await;
    for (s, secret) in stores.iter().zip(&secrets) {
        settings_changes(s, 30);
        let r = sync(&s.path, s.id, secret).await.unwrap();
        assert_eq!(r.push.acknowledged_seq, local_head(s).0);
        assert_eq!(status(s)["acknowledged_seq"], local_head(s).0);
    }

    // The primary crashes; the replica is promoted; the server starts
    // again on the same address over the new primary.
    primary.stop_immediate();
    replica.promote();
    let new_url = replica.url("failover");
    server.restart(&new_url).await;
    for (s, (seq, hash)) in stores.iter().zip(&kept) {
        let (acked, head_hash, hashes) = server_side(&new_url, s.id).await;
        assert_eq!((acked, &head_hash), (*seq, hash), "the lost window is lost");
        assert_eq!(hashes.len() as i64, *seq);
        assert!(
            status(s)["acknowledged_seq"].as_i64().unwrap() > acked,
            "the store believes more was acknowledged than the new primary holds"
        );
    }

    // The stores sync again (the first with new sales of its own too): each
    // starts from the new primary's head and sends the lost events again.
    settings_changes(&stores[0], 5);
    for ((s, secret), (seq, _)) in stores.iter().zip(&secrets).zip(&kept) {
        let (head, hash) = local_head(s);
        let r = sync(&s.path, s.id, secret).await.unwrap();
        assert_eq!(r.push.server_seq_before, *seq);
        assert_eq!(
            (r.push.events_sent, r.push.events_stored),
            (head - seq, head - seq)
        );
        assert_eq!((r.push.acknowledged_seq, r.push.backlog), (head, 0));
        let st = status(s);
        assert_eq!(st["acknowledged_seq"], head);
        assert!(st["last_error"].is_null(), "{st}");
        // Every event once, exactly the store's own, the head its last.
        let (acked, head_hash, hashes) = server_side(&new_url, s.id).await;
        assert_eq!((acked, head_hash), (head, hash));
        assert_eq!(hashes, local_hashes(s));
        // Head office's check of the chain, on the server.
        let v: serde_json::Value = reqwest::Client::new()
            .get(format!("{}/v1/admin/stores/{}/verify", server.url, s.id))
            .header("authorization", format!("Bearer {token}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(v["events_checked"], head);
        // And the store's own record verifies.
        let mut db = open(&s.path);
        let check = call(&mut db, "Demo Admin", "verify", json!({}));
        assert_eq!(check["ok"], true, "{check}");
    }
}

/// The sync link's three cursors: the mailbox's, the catalogue's, the
/// directory's.
fn cursors(s: &Store) -> [String; 3] {
    let conn = rusqlite::Connection::open(&s.path).unwrap();
    conn.query_row(
        "SELECT pull_cursor, catalogue_cursor, directory_cursor FROM sync_links WHERE store_id = ?1",
        [s.id],
        |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?]),
    )
    .unwrap()
}

/// The transaction id in a cursor (`system.timeline.xid.id`).
fn xid_of(cursor: &str) -> u64 {
    let parts: Vec<&str> = cursor.split('.').collect();
    assert_eq!(parts.len(), 4, "{cursor}");
    parts[2].parse().unwrap()
}

/// The products of the demo store's file, in SKU order.
fn products(s: &Store) -> Vec<String> {
    let conn = rusqlite::Connection::open(&s.path).unwrap();
    let mut st = conn
        .prepare("SELECT id FROM products ORDER BY sku")
        .unwrap();
    let ids = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    ids
}

/// Ships `quantity` of a long-dated batch of `product` from Lekki to Ikeja.
fn ship(lekki: &Store, to: StoreId, product: &str, quantity: &str) -> String {
    let mut db = open(&lekki.path);
    let batch: String = db
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT batch_number FROM batches WHERE store_id = ?1 AND product_id = ?2
                    AND status = 'available' AND expiry_date > date('now', '+60 days')
                  ORDER BY on_hand_milli DESC LIMIT 1",
                rusqlite::params![lekki.id, product],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    let r = call(
        &mut db,
        "Demo Admin",
        "initiate_transfer",
        json!({"from_store_id": lekki.id, "to_store_id": to, "product_id": product,
               "batch_number": batch, "quantity": quantity}),
    );
    r["transfer_id"].as_str().unwrap().to_string()
}

/// Whether the file at `path` knows the other store `id` from the directory.
fn knows_store(s: &Store, user: &str, id: &str) -> bool {
    let mut db = open(&s.path);
    let dir = call(&mut db, user, "list_store_directory", json!({}));
    dir.as_array().unwrap().iter().any(|e| e["id"] == json!(id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_failover_that_lost_transactions_the_feeds_miss_nothing_written_afterwards() {
    let mut primary = Pg::start();
    let url = primary.database("feeds").await;
    let mut server = Server::start(&url, None).await;
    let replica = Pg::start_replica(&primary);
    let pool = pharmapos_server::pool(&url).unwrap();
    pharmapos_server::add_admin(&pool, "hq").await.unwrap();
    let (lekki, ikeja) = (demo(), ikeja());
    let store = |id: String, code: &str| pharmapos_server::NewStore {
        id,
        name: format!("{code} Pharmacy"),
        code: Some(code.into()),
        timezone: Some("Africa/Lagos".into()),
        currency: None,
    };
    let lekki_secret =
        pharmapos_server::register_store(&pool, &store(lekki.id.to_string(), "LEKKI"))
            .await
            .unwrap();
    let ikeja_secret =
        pharmapos_server::register_store(&pool, &store(ikeja.id.to_string(), "IKEJA"))
            .await
            .unwrap();
    configure(&lekki, &server.url);
    call(
        &mut open(&ikeja.path),
        "Ike Admin",
        "configure_sync",
        json!({"store_id": ikeja.id, "server_url": server.url}),
    );
    let ids = products(&lekki);
    let (shipped, lost_product, later_product) = (&ids[0], &ids[1], &ids[2]);
    publish_from(&pool, &lekki.path, shipped).await;
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    replica.wait_replayed(&primary).await;

    // The lost window: many transactions run; Lekki ships to Ikeja; head
    // office publishes a product and registers a store; Ikeja pulls all of
    // it, so its cursors sit above ids the replica never saw.
    replica.detach_replica().await;
    {
        let c = primary.connect("feeds").await;
        for _ in 0..500 {
            c.query_one("SELECT pg_current_xact_id()", &[])
                .await
                .unwrap();
        }
    }
    let first = ship(&lekki, ikeja.id, shipped, "10");
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    publish_from(&pool, &lekki.path, lost_product).await;
    let lost_store = StoreId::new().to_string();
    pharmapos_server::register_store(&pool, &store(lost_store.clone(), "LOST"))
        .await
        .unwrap();
    drop(pool);
    let r = sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(
        (
            r.pull.changes_received,
            r.pull.catalogue_received,
            r.pull.directory.added
        ),
        (1, 1, 1),
        "{r:?}"
    );
    assert_eq!(
        transfer(&ikeja.path, "Ike Admin", &first)["status"],
        json!("in_transit")
    );
    let held = cursors(&ikeja);

    // The primary crashes; the replica is promoted; the server starts again
    // over it. Lekki sends its lost events again (the shipment is routed
    // again) and ships once more; head office publishes another product
    // and registers another store.
    primary.stop_immediate();
    replica.promote();
    let new_url = replica.url("feeds");
    server.restart(&new_url).await;
    let pool = pharmapos_server::pool(&new_url).unwrap();
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    let second = ship(&lekki, ikeja.id, shipped, "5");
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    publish_from(&pool, &lekki.path, later_product).await;
    let later_store = StoreId::new().to_string();
    pharmapos_server::register_store(&pool, &store(later_store.clone(), "LATER"))
        .await
        .unwrap();

    // Each of those rows sits below the cursor Ikeja holds for its feed:
    // by transaction id alone, Ikeja would never see them.
    let c = replica.connect("feeds").await;
    let below = |sql: &'static str, id: String, cursor: &str| {
        let (c, cursor) = (&c, cursor.to_string());
        async move {
            let xid: String = c.query_one(sql, &[&id]).await.unwrap().get(0);
            assert!(
                xid.parse::<u64>().unwrap() < xid_of(&cursor),
                "{xid} vs {cursor}"
            );
        }
    };
    below(
        "SELECT max(xid)::text FROM mailbox WHERE to_store_id = $1",
        ikeja.id.to_string(),
        &held[0],
    )
    .await;
    below(
        "SELECT xid::text FROM catalogue_products WHERE id = $1",
        later_product.clone(),
        &held[1],
    )
    .await;
    below(
        "SELECT dir_xid::text FROM stores WHERE id = $1",
        later_store.clone(),
        &held[2],
    )
    .await;

    // Ikeja's next sync brings all three, and the first shipment (routed
    // again) is kept once.
    let r = sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(r.pull.failed, 0, "{r:?}");
    assert_eq!(
        transfer(&ikeja.path, "Ike Admin", &second)["status"],
        json!("in_transit")
    );
    assert_eq!(events_of(&ikeja.path, ikeja.id, "transfer_incoming"), 2);
    call(
        &mut open(&ikeja.path),
        "Ike Admin",
        "get_product",
        json!({"id": later_product}),
    );
    assert!(knows_store(&ikeja, "Ike Admin", &later_store));
    // What was lost with the old primary stays as Ikeja had it.
    assert!(knows_store(&ikeja, "Ike Admin", &lost_store));
    for (now, before) in cursors(&ikeja).iter().zip(&held) {
        assert_ne!(
            now.split('.').nth(1),
            before.split('.').nth(1),
            "a new timeline: {now}"
        );
    }

    // Ikeja receives both in full; the receipts travel back and close both
    // at Lekki, each once.
    for (t, q) in [(&first, "10"), (&second, "5")] {
        call(
            &mut open(&ikeja.path),
            "Ike Admin",
            "receive_transfer",
            json!({"transfer_id": t, "received_quantity": q, "close": true}),
        );
    }
    sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    for t in [&first, &second] {
        assert_eq!(
            transfer(&lekki.path, "Demo Admin", t)["status"],
            json!("received")
        );
    }
    assert_eq!(events_of(&lekki.path, lekki.id, "transfer_synced"), 2);
    assert_eq!(events_of(&ikeja.path, ikeja.id, "transfer_incoming"), 2);
    for (s, user) in [(&lekki, "Demo Admin"), (&ikeja, "Ike Admin")] {
        let v = call(&mut open(&s.path), user, "verify", json!({}));
        assert_eq!(v["ok"], json!(true), "{v}");
    }
}
