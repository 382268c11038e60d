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

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, configure, demo, local_head, open, status, Store};
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
