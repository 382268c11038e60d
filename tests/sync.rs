//! The app's background sync against a real server over a real PostgreSQL
//! (`pharmapos_server::testing`): `AppState` (what the app runs on) as the
//! host, the secret in a private folder (the documented alternative to the
//! OS keyring, which this headless machine lacks). A store linked by its
//! admin pushes its record; a linked store with no secret saved is a
//! problem in words; a wrong secret is stuck, not retried in a loop; the
//! server going away is offline and retried; back again, the backlog goes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use pharmapos_desktop::secrets::SecretStore;
use pharmapos_desktop::state::AppState;
use pharmapos_desktop::sync::{SyncHost, SyncRunner};
use pharmapos_engine::ids::StoreId;
use pharmapos_server::testing::{serve, FaultProxy, Pg};
use serde_json::{json, Value};

fn setup(dir: &std::path::Path) -> Arc<AppState> {
    let state = AppState::new(dir.join("store.db"), None);
    state
        .setup_store(
            serde_json::from_value(json!({
                "store_name": "Lekki Pharmacy", "store_code": "LEK", "timezone": "Africa/Lagos",
                "currency": "NGN", "locale": "en-NG", "admin_name": "Ada", "admin_pin": "2580"
            }))
            .unwrap(),
        )
        .unwrap();
    state
        .sign_in(serde_json::from_value(json!({"name": "Ada", "pin": "2580"})).unwrap())
        .unwrap();
    Arc::new(state)
}

fn call(state: &AppState, name: &str, input: Value) -> Value {
    state.call(name, input).unwrap().0
}

fn status(state: &AppState) -> Value {
    call(state, "get_sync_status", json!({}))
}

/// `n` changes of the store's details, each an event of its record.
fn change_details(state: &AppState, store: StoreId, n: usize) {
    for i in 0..n {
        call(
            state,
            "update_store",
            json!({"id": store, "phone": format!("+234 800 000 000{i}")}),
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_pushes_its_store_and_says_why_when_it_cannot() {
    let pg = Pg::start();
    let url = pg.database("desktop_sync").await;
    let base = serve(&url).await;
    let proxy = FaultProxy::start(&base).await;
    let dir = tempfile::tempdir().unwrap();
    let state = setup(dir.path());
    let host: Arc<dyn SyncHost> = state.clone();
    let secrets = SecretStore::Dir(dir.path().join("secrets"));
    let runner = SyncRunner::new(secrets.clone());

    // Not linked: a run does nothing and is not a failure.
    let v = runner.run_once(host.clone()).await;
    assert_eq!((v.online, v.failures, v.problem.clone()), (None, 0, None));
    assert_eq!(v.secret_store, "file");

    // Linked, but no secret saved on this PC: a problem in words.
    let st = call(&state, "configure_sync", json!({"server_url": proxy.url}));
    let store: StoreId = serde_json::from_value(st["store_id"].clone()).unwrap();
    let v = runner.run_once(host.clone()).await;
    let problem = v.problem.expect("a missing secret is a problem");
    assert_eq!(problem.kind, "sync_secret_missing");
    assert!(problem.message.contains("register"), "{}", problem.message);
    assert_eq!(v.failures, 1);
    assert!(status(&state)["backlog"].as_i64().unwrap() > 0);

    // A wrong secret: the server refuses, nothing is acknowledged.
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &store.to_string(), "Lekki Pharmacy")
        .await
        .unwrap();
    secrets.set(store, &proxy.url, "not-the-secret").unwrap();
    let v = runner.run_once(host.clone()).await;
    assert_eq!(
        (v.online, v.failures, v.problem.clone()),
        (Some(true), 2, None)
    );
    let st = status(&state);
    assert_eq!(st["acknowledged_seq"], 0);
    assert_eq!(st["last_error"]["kind"], "unauthenticated");
    assert_eq!(st["last_error"]["retryable"], false);

    // The right secret: the whole record goes up.
    secrets.set(store, &proxy.url, &secret).unwrap();
    let v = runner.run_once(host.clone()).await;
    assert_eq!(
        (v.online, v.failures, v.problem.clone()),
        (Some(true), 0, None)
    );
    let st = status(&state);
    assert_eq!(st["backlog"], 0, "{st}");
    assert!(v.last_events_sent > 0);
    assert!(st["last_error"].is_null());

    // The server goes away: offline, the backlog waits, nothing is lost.
    proxy.cut_after_pushes(0);
    change_details(&state, store, 3);
    let v = runner.run_once(host.clone()).await;
    assert_eq!((v.online, v.failures), (Some(false), 1));
    let st = status(&state);
    assert_eq!(st["backlog"], 3, "{st}");
    assert_eq!(st["last_error"]["retryable"], true);

    // Back: the server had stored the push whose answer was lost, so
    // nothing is sent twice; the status is clean.
    proxy.restore();
    let v = runner.run_once(host.clone()).await;
    assert_eq!(
        (v.online, v.failures, v.last_events_sent),
        (Some(true), 0, 0)
    );
    let st = status(&state);
    assert_eq!(st["backlog"], 0, "{st}");
    assert_eq!(st["acknowledged_seq"], st["local_head_seq"]);
    drop(pg);
}
