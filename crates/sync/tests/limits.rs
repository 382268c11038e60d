//! The client under the server's rate limit: a store catching up with more
//! batches than its burst allows waits as long as the server says, sends
//! the same request again, and ends with its whole record up, instead of
//! failing halfway.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, configure, demo, open, status};
use pharmapos_server::testing::{serve_limited, Pg};
use pharmapos_server::RateLimit;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_over_the_rate_limit_waits_and_finishes() {
    let pg = Pg::start();
    let url = pg.database("sync_limits").await;
    let base = serve_limited(
        &url,
        RateLimit {
            per_second: 4,
            burst: 2,
        },
    )
    .await;
    let s = demo();
    configure(&s, &base);
    {
        let mut db = open(&s.path);
        for i in 0..2100 {
            call(
                &mut db,
                "Demo Admin",
                "update_till_settings",
                json!({"store_id": s.id, "receipt_footer": format!("Thank you ({i})")}),
            );
        }
    }
    let pool = pharmapos_server::pool(&url).unwrap();
    let secret = pharmapos_server::add_store(&pool, &s.id.to_string(), "Demo Pharmacy")
        .await
        .unwrap();
    // Head, three batches, then the directory, catalogue and mailbox: more
    // requests than the burst of 2 at 4 a second.
    let r = pharmapos_sync::sync(&s.path, s.id, &secret).await.unwrap();
    assert!(r.push.batches >= 3, "{r:?}");
    assert_eq!(r.push.backlog, 0);
    let st = status(&s);
    assert_eq!(st["backlog"], json!(0), "{st}");
    assert!(st["last_error"].is_null(), "{st}");
}
