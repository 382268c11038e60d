//! A transfer between two stores in two database files, through a real
//! server over a real PostgreSQL: shipped at Lekki (the engine's demo
//! store), it reaches Ikeja's file by pull; a change Ikeja cannot apply yet
//! (a product its file lacks) is kept with its reason and applied once head
//! office publishes the product; Ikeja's short receipt travels back and closes it at
//! Lekki; Lekki's resolution of the shortage travels to Ikeja. Every step
//! applied exactly once: pulling again, or from the start, changes nothing;
//! both chains verify and the stock is conserved.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, configure, demo, events_of, ikeja, open, publish_from, transfer, Store};
use pharmapos_engine::ids::StoreId;
use pharmapos_server::testing::{serve, Pg};
use pharmapos_sync::{pull, sync};
use serde_json::{json, Value};
use std::path::Path;

/// On hand of `product` in `store` (thousandths), from the batches.
fn on_hand(path: &Path, store: StoreId, product: &str) -> i64 {
    let mut db = open(path);
    db.read(|tx| {
        Ok(tx.query_row(
            "SELECT COALESCE(SUM(on_hand_milli), 0) FROM batches WHERE store_id = ?1 AND product_id = ?2",
            rusqlite::params![store, product],
            |r| r.get(0),
        )?)
    })
    .unwrap()
}

fn head(path: &Path, store: StoreId) -> i64 {
    let mut db = open(path);
    db.read(|tx| pharmapos_engine::audit::chain_head(tx, store))
        .unwrap()
        .map_or(0, |h| h.seq)
}

fn ikeja_status(s: &Store) -> Value {
    let mut db = open(&s.path);
    call(
        &mut db,
        "Ike Admin",
        "get_sync_status",
        json!({"store_id": s.id}),
    )
}

fn verify(path: &Path, user: &str) {
    let mut db = open(path);
    let v = call(&mut db, user, "verify", json!({}));
    assert_eq!(v["ok"], json!(true), "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_between_two_files_travels_through_the_server_exactly_once() {
    let pg = Pg::start();
    let url = pg.database("sync_transfers").await;
    let base = serve(&url).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let lekki = demo();
    let ikeja = ikeja();
    let register = |s: &Store, name: &str, code: &str| pharmapos_server::NewStore {
        id: s.id.to_string(),
        name: name.into(),
        code: Some(code.into()),
        timezone: Some("Africa/Lagos".into()),
        currency: None,
    };
    let lekki_secret =
        pharmapos_server::register_store(&pool, &register(&lekki, "Lekki Pharmacy", "LEKKI"))
            .await
            .unwrap();
    let ikeja_secret =
        pharmapos_server::register_store(&pool, &register(&ikeja, "Ikeja Pharmacy", "IKEJA"))
            .await
            .unwrap();
    configure(&lekki, &base);
    {
        let mut db = open(&ikeja.path);
        call(
            &mut db,
            "Ike Admin",
            "configure_sync",
            json!({"store_id": ikeja.id, "server_url": base}),
        );
    }

    // First syncs: each file learns the other store from the directory.
    let r = sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    assert_eq!(r.pull.directory.added, 1, "{r:?}");
    let r = sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(r.pull.directory.added, 1, "{r:?}");
    assert_eq!((r.pull.changes_received, r.pull.applied), (0, 0));
    {
        let mut db = open(&lekki.path);
        let dir = call(&mut db, "Demo Admin", "list_store_directory", json!({}));
        assert!(
            dir.as_array()
                .unwrap()
                .iter()
                .any(|s| s["id"] == json!(ikeja.id.to_string())),
            "{dir}"
        );
        // Ikeja is not one of Lekki's own stores.
        let own = call(&mut db, "Demo Admin", "list_stores", json!({}));
        assert_eq!(own.as_array().unwrap().len(), 1, "{own}");
    }

    // Lekki ships 10 of a product to Ikeja.
    let (product, batch_number): (String, String) = {
        let mut db = open(&lekki.path);
        db.read(|tx| {
            Ok(tx.query_row(
                "SELECT product_id, batch_number FROM batches WHERE store_id = ?1 AND status = 'available'
                    AND on_hand_milli >= 50000 AND expiry_date > date('now', '+60 days')
                  ORDER BY on_hand_milli DESC LIMIT 1",
                [lekki.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .unwrap()
    };
    let lekki_before = on_hand(&lekki.path, lekki.id, &product);
    let shipped = {
        let mut db = open(&lekki.path);
        call(
            &mut db,
            "Demo Admin",
            "initiate_transfer",
            json!({"from_store_id": lekki.id, "to_store_id": ikeja.id, "product_id": product,
                   "batch_number": batch_number, "quantity": "10"}),
        )
    };
    let transfer_id = shipped["transfer_id"].as_str().unwrap().to_string();
    assert_eq!(
        on_hand(&lekki.path, lekki.id, &product),
        lekki_before - 10_000
    );
    let r = sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    assert_eq!(r.push.backlog, 0);

    // Ikeja pulls it, but its file has no such product: kept, with why.
    let r = sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(
        (r.pull.changes_received, r.pull.changes_staged),
        (1, 1),
        "{r:?}"
    );
    assert_eq!((r.pull.applied, r.pull.failed), (0, 1), "{r:?}");
    let st = ikeja_status(&ikeja);
    assert_eq!(st["inbox_waiting"], json!(1), "{st}");
    let failure = &st["inbox_failures"][0];
    assert_eq!(failure["error_kind"], json!("not_found"), "{st}");
    assert_eq!(failure["change_type"], json!("transfer_shipped"));
    assert_eq!(failure["from_store_name"], json!("Lekki Pharmacy"));
    assert!(
        failure["error_message"]
            .as_str()
            .unwrap()
            .contains(&product),
        "{failure}"
    );
    assert_eq!(events_of(&ikeja.path, ikeja.id, "transfer_incoming"), 0);

    // Head office publishes the product (with the id Lekki's file uses):
    // Lekki's own product becomes head office's, and Ikeja's next sync
    // brings the product first, then applies the waiting shipment.
    pharmapos_server::add_admin(&pool, "hq").await.unwrap();
    publish_from(&pool, &lekki.path, &product).await;
    let r = sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    assert_eq!((r.pull.catalogue_received, r.pull.applied), (1, 1), "{r:?}");
    let r = sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(
        (r.pull.changes_received, r.pull.catalogue_received),
        (0, 1),
        "{r:?}"
    );
    assert_eq!((r.pull.applied, r.pull.failed), (2, 0), "{r:?}");
    assert_eq!(ikeja_status(&ikeja)["inbox_waiting"], json!(0));
    let t = transfer(&ikeja.path, "Ike Admin", &transfer_id);
    assert_eq!(t["status"], json!("in_transit"), "{t}");
    assert_eq!(t["from_store_name"], json!("Lekki Pharmacy"));
    assert_eq!(t["lots"][0]["batch_number"], json!(batch_number));
    assert_eq!(events_of(&ikeja.path, ikeja.id, "transfer_incoming"), 1);

    // Ikeja receives 8 and closes the receipt: 2 short.
    {
        let mut db = open(&ikeja.path);
        let done = call(
            &mut db,
            "Ike Admin",
            "receive_transfer",
            json!({"transfer_id": transfer_id, "received_quantity": "8", "close": true}),
        );
        assert_eq!(done, json!(true), "{done}");
    }
    assert_eq!(on_hand(&ikeja.path, ikeja.id, &product), 8_000);
    sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();

    // Back at Lekki: received, with the shortage to resolve.
    let r = sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    assert_eq!(r.pull.applied, 1, "{r:?}");
    let t = transfer(&lekki.path, "Demo Admin", &transfer_id);
    assert_eq!(t["status"], json!("received"), "{t}");
    assert_eq!(t["lots"][0]["received"], json!("8"));
    assert_eq!(t["lots"][0]["discrepancy"], json!("2"));
    let d = &t["discrepancies"][0];
    assert_eq!(
        (d["kind"].clone(), d["status"].clone()),
        (json!("short"), json!("open"))
    );
    assert_eq!(events_of(&lekki.path, lekki.id, "transfer_synced"), 1);

    // Lekki writes the 2 off as lost in transit; Ikeja hears of it.
    {
        let mut db = open(&lekki.path);
        call(
            &mut db,
            "Demo Admin",
            "resolve_discrepancy",
            json!({"discrepancy_id": d["id"], "resolution": "lost_in_transit"}),
        );
    }
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    let r = sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(r.pull.applied, 1, "{r:?}");
    let t = transfer(&ikeja.path, "Ike Admin", &transfer_id);
    assert_eq!(t["discrepancies"][0]["status"], json!("resolved"), "{t}");
    assert_eq!(
        t["discrepancies"][0]["resolution"],
        json!("lost_in_transit")
    );

    // Exactly once: syncing again changes nothing, and neither does pulling
    // every change again from the start (a cursor lost with a restored link).
    let heads = (head(&lekki.path, lekki.id), head(&ikeja.path, ikeja.id));
    sync(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    sync(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    for s in [&lekki, &ikeja] {
        let conn = rusqlite::Connection::open(&s.path).unwrap();
        conn.execute("UPDATE sync_links SET pull_cursor = '0.0'", [])
            .unwrap();
    }
    let r = pull(&ikeja.path, ikeja.id, &ikeja_secret).await.unwrap();
    assert_eq!(
        (r.changes_received, r.changes_staged, r.applied),
        (2, 0, 0),
        "{r:?}"
    );
    let r = pull(&lekki.path, lekki.id, &lekki_secret).await.unwrap();
    assert_eq!(
        (r.changes_received, r.changes_staged, r.applied),
        (1, 0, 0),
        "{r:?}"
    );
    assert_eq!(
        (head(&lekki.path, lekki.id), head(&ikeja.path, ikeja.id)),
        heads
    );
    assert_eq!(events_of(&ikeja.path, ikeja.id, "transfer_incoming"), 1);
    assert_eq!(events_of(&ikeja.path, ikeja.id, "transfer_synced"), 1);
    assert_eq!(events_of(&lekki.path, lekki.id, "transfer_synced"), 1);

    // Conserved: 10 left Lekki, 8 arrived, 2 written off as lost.
    assert_eq!(
        on_hand(&lekki.path, lekki.id, &product),
        lekki_before - 10_000
    );
    assert_eq!(on_hand(&ikeja.path, ikeja.id, &product), 8_000);
    verify(&lekki.path, "Demo Admin");
    verify(&ikeja.path, "Ike Admin");
}
