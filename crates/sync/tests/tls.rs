//! The sync client against the server's own HTTPS (`serve_tls`, what
//! `pharmapos-server serve --tls-cert --tls-key` runs) over a real
//! PostgreSQL, with a CA and a server certificate made for the test: a
//! store that trusts head office's CA pushes and pulls; one that does not
//! (the system's roots only, or another CA) is refused with an untrusted
//! certificate and nothing reaches the server; plain HTTP to the TLS port
//! gets nowhere; a CA file that cannot be used is an error, not ignored.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, ikeja, local_head, open, Store};
use pharmapos_engine::ids::{ProductId, StoreId};
use pharmapos_server::testing::{serve_tls, Pg, TestPki};
use pharmapos_sync::{push_trusting, sync_trusting, SyncError, Trust};
use serde_json::{json, Value};

/// Links Ikeja's store to the server at `url`, as its admin.
fn configure(s: &Store, url: &str) {
    let mut db = open(&s.path);
    call(
        &mut db,
        "Ike Admin",
        "configure_sync",
        json!({"store_id": s.id, "server_url": url}),
    );
}

fn status(s: &Store) -> Value {
    let mut db = open(&s.path);
    call(
        &mut db,
        "Ike Admin",
        "get_sync_status",
        json!({"store_id": s.id}),
    )
}

/// The server's head and its number of events for a store.
async fn server_side(url: &str, store: StoreId) -> (i64, i64) {
    let (client, conn) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let id = store.to_string();
    let acked: i64 = client
        .query_one("SELECT acked_seq FROM stores WHERE id = $1", &[&id])
        .await
        .unwrap()
        .get(0);
    let n: i64 = client
        .query_one(
            "SELECT COUNT(*) FROM record_events WHERE store_id = $1",
            &[&id],
        )
        .await
        .unwrap()
        .get(0);
    (acked, n)
}

fn amoxicillin() -> pharmapos_server::ProductInput {
    pharmapos_server::ProductInput {
        expected_version: None,
        sku: "AMX500".into(),
        name: "Amoxicillin 500mg".into(),
        generic_name: Some("amoxicillin".into()),
        brand: None,
        description: None,
        category: "medicine".into(),
        nafdac_number: None,
        barcodes: vec![],
        unit: "capsule".into(),
        allow_fractional: false,
        prescription_only: true,
        selling_price: "1250".into(),
        tax_rate: "0".into(),
        status: "active".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_syncs_over_https_only_when_it_trusts_head_offices_ca() {
    let pki = TestPki::new();
    let pg = Pg::start();
    let url = pg.database("sync_tls").await;
    let base = serve_tls(&url, &pki.cert, &pki.key).await;
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let pool = pharmapos_server::pool(&url).unwrap();
    let s = ikeja();
    let secret = pharmapos_server::add_store(&pool, &s.id.to_string(), "Ikeja Pharmacy")
        .await
        .unwrap();
    pharmapos_server::add_admin(&pool, "hq").await.unwrap();
    pharmapos_server::publish_product(&pool, "hq", &ProductId::new().to_string(), amoxicillin())
        .await
        .unwrap();
    configure(&s, &base);
    let (head, _) = local_head(&s);
    assert!(head > 0);

    // Not trusting head office's CA (the system's roots only, or another
    // CA): refused as an untrusted certificate, in words, not retryable;
    // noted on the link; nothing stored.
    for trust in [Trust::system(), Trust::with_ca_file(&pki.other_ca).unwrap()] {
        let e = push_trusting(&s.path, s.id, &secret, &trust)
            .await
            .unwrap_err();
        assert!(matches!(e, SyncError::Untrusted(_)), "{e:?}");
        assert_eq!(e.kind(), "untrusted_server");
        assert!(!e.retryable());
        let text = e.to_string();
        assert!(text.contains("certificate"), "{text}");
        assert!(text.contains("PHARMAPOS_SYNC_CA_FILE"), "{text}");
        assert_eq!(server_side(&url, s.id).await, (0, 0));
        let st = status(&s);
        assert_eq!(st["last_error"]["kind"], "untrusted_server", "{st}");
    }

    // Plain HTTP to the TLS port: no answer the client can use; nothing stored.
    let plain = base.replacen("https://", "http://", 1);
    configure(&s, &plain);
    let e = push_trusting(
        &s.path,
        s.id,
        &secret,
        &Trust::with_ca_file(&pki.ca).unwrap(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(e, SyncError::Unreachable(_) | SyncError::BadAnswer(_)),
        "{e:?}"
    );
    assert_eq!(server_side(&url, s.id).await, (0, 0));

    // Trusting it: the whole record goes up and head office's catalogue
    // comes down.
    configure(&s, &base);
    let trust = Trust::with_ca_file(&pki.ca).unwrap();
    assert_eq!(trust.ca_file(), Some(pki.ca.as_path()));
    let r = sync_trusting(&s.path, s.id, &secret, &trust).await.unwrap();
    assert_eq!(
        (r.pull.catalogue_received, r.pull.applied, r.pull.failed),
        (1, 1, 0),
        "{r:?}"
    );
    // Everything up to the local head now (the link's changes and the
    // catalogue's application included).
    let (now, _) = local_head(&s);
    assert!(now > head);
    assert_eq!((r.push.acknowledged_seq, r.push.backlog), (now, 0), "{r:?}");
    assert_eq!(server_side(&url, s.id).await, (now, now));
    let st = status(&s);
    assert!(st["last_error"].is_null(), "{st}");
}

#[test]
fn a_ca_file_that_cannot_be_used_is_an_error() {
    let pki = TestPki::new();
    let missing = pki.ca.with_file_name("missing.pem");
    for (path, reason) in [
        (&missing, "No such file"),
        // A key, not a certificate.
        (&pki.key, "no certificate"),
    ] {
        let e = Trust::with_ca_file(path).unwrap_err();
        assert_eq!(e.kind(), "ca_file_unusable");
        assert!(!e.retryable());
        let text = e.to_string();
        assert!(text.contains(&path.display().to_string()), "{text}");
        assert!(text.contains(reason), "{text}");
    }
}
