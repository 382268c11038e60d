//! The server's limits against a real PostgreSQL: a caller over its rate is
//! refused with `rate_limited`, retryable, with how long to wait, and other
//! callers are not; a body over the size limit is refused in the
//! protocol's words; neither changes anything.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_protocol::{ErrorBody, INSTALLATION_HEADER, STORE_HEADER};
use pharmapos_server::testing::{serve_limited, Pg};
use pharmapos_server::RateLimit;

async fn head(base: &str, store: &str, secret: &str) -> reqwest::Response {
    reqwest::Client::new()
        .get(format!("{base}/v1/head"))
        .header("authorization", format!("Bearer {secret}"))
        .header(STORE_HEADER, store)
        .header(INSTALLATION_HEADER, "i-1")
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_over_its_rate_or_size_is_refused_in_words_and_others_are_not() {
    let pg = Pg::start();
    let url = pg.database("limits").await;
    let base = serve_limited(
        &url,
        RateLimit {
            per_second: 2,
            burst: 3,
        },
    )
    .await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let a = uuid::Uuid::now_v7().to_string();
    let b = uuid::Uuid::now_v7().to_string();
    let a_secret = pharmapos_server::add_store(&pool, &a, "Lekki")
        .await
        .unwrap();
    let b_secret = pharmapos_server::add_store(&pool, &b, "Ikeja")
        .await
        .unwrap();

    // A burst of 3, then refused with how long to wait.
    let mut codes = Vec::new();
    let mut refused = None;
    for _ in 0..6 {
        let res = head(&base, &a, &a_secret).await;
        codes.push(res.status().as_u16());
        if res.status().as_u16() == 429 {
            let retry_after = res.headers().get("retry-after").cloned();
            let body: ErrorBody = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
            refused = Some((retry_after, body));
        }
    }
    assert_eq!(&codes[..3], &[200, 200, 200], "{codes:?}");
    assert!(codes[3..].contains(&429), "{codes:?}");
    let (retry_after, body) = refused.unwrap();
    assert!(retry_after.is_some());
    assert_eq!(body.error.kind, "rate_limited");
    assert!(body.error.retryable);
    let wait = body.error.details["retry_after_ms"].as_u64().unwrap();
    assert!((1..=1000).contains(&wait), "{wait}");

    // Another store has its own budget; the first gets through after waiting.
    assert_eq!(head(&base, &b, &b_secret).await.status().as_u16(), 200);
    tokio::time::sleep(std::time::Duration::from_millis(wait + 50)).await;
    assert_eq!(head(&base, &a, &a_secret).await.status().as_u16(), 200);

    // The health check is never counted.
    for _ in 0..10 {
        let res = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(res.status().as_u16(), 200);
    }

    // A body over the size limit: too_large, in the protocol's words.
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    let res = reqwest::Client::new()
        .post(format!("{base}/v1/push"))
        .header("authorization", format!("Bearer {b_secret}"))
        .header(STORE_HEADER, &b)
        .header(INSTALLATION_HEADER, "i-2")
        .header("content-type", "application/json")
        .body(vec![b' '; pharmapos_server::MAX_BODY_BYTES + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 413);
    let body: ErrorBody = serde_json::from_slice(&res.bytes().await.unwrap()).unwrap();
    assert_eq!(body.error.kind, "too_large");
    let (client, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(conn);
    let n: i64 = client
        .query_one("SELECT count(*) FROM record_events", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(n, 0);
}
