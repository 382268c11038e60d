//! `configure_sync` and `get_sync_status`: who may point a store at a
//! server, what a bad address does (nothing), and that registering the same
//! server again keeps what it acknowledged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_kind, store_a};
use pharmapos_engine::sync::{self, ConfigureSync, GetSyncStatus};

fn configure(url: &str) -> ConfigureSync {
    ConfigureSync {
        store_id: None,
        server_url: url.into(),
    }
}

#[test]
fn a_store_is_linked_by_an_admin_to_one_server_at_a_time() {
    let mut fx = store_a();
    let st = fx.run(GetSyncStatus { store_id: None });
    assert!(!st.configured);
    assert!(sync::linked_stores(&mut fx.db).unwrap().is_empty());

    // Bad addresses and the wrong people change nothing.
    let events = fx.event_count();
    for bad in [
        "",
        "ftp://hq.example.com",
        "https://",
        "https://u:p@hq.example.com",
        "hq.example.com",
    ] {
        let e = assert_kind(fx.as_user(fx.admin, configure(bad)), "invalid_input");
        assert_eq!(e.details()["field"], "server_url", "{bad}");
    }
    for who in [fx.manager, fx.cashier] {
        assert_kind(
            fx.as_user(who, configure("https://hq.example.com")),
            "forbidden",
        );
    }
    assert_eq!(fx.event_count(), events);
    assert!(sync::linked_stores(&mut fx.db).unwrap().is_empty());

    // The admin links it: one event, the URL normalised.
    let st = fx.run(configure("https://hq.example.com/sync/"));
    assert!(st.configured);
    assert_eq!(
        st.server_url.as_deref(),
        Some("https://hq.example.com/sync")
    );
    assert_eq!(st.acknowledged_seq, 0);
    assert_eq!(fx.event_count(), events + 1);
    assert_eq!(
        sync::linked_stores(&mut fx.db).unwrap(),
        vec![(fx.store, "https://hq.example.com/sync".to_string())]
    );

    // The server acknowledges the record so far.
    let head = sync::push_start(&mut fx.db, fx.store).unwrap();
    let hash = sync::hash_at(&mut fx.db, fx.store, head.local_head_seq)
        .unwrap()
        .unwrap();
    sync::note_ack(&mut fx.db, fx.store, head.local_head_seq, &hash).unwrap();

    // The same server again (a new secret): nothing changes, no event.
    let events = fx.event_count();
    let again = fx.run(configure("https://hq.example.com/sync"));
    assert_eq!(again.acknowledged_seq, head.local_head_seq);
    assert_eq!(fx.event_count(), events);

    // Another server starts from nothing.
    let other = fx.run(configure("http://10.0.0.5:8080"));
    assert_eq!(other.acknowledged_seq, 0);
    assert_eq!(other.server_url.as_deref(), Some("http://10.0.0.5:8080"));
    assert_eq!(fx.event_count(), events + 1);
    fx.assert_verified();

    // Every role reads the status.
    let st = fx
        .as_user(fx.cashier, GetSyncStatus { store_id: None })
        .unwrap();
    assert_eq!(st.backlog, st.local_head_seq);
}
