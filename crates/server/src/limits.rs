//! Request rate limits, per caller: a store (by its store header), an admin
//! (by a digest of the token) or, for anything else, everyone who names
//! neither (one shared budget, so unauthenticated probing cannot crowd out
//! the stores). GCRA from the `governor` crate: a steady rate with a burst,
//! kept in memory by each server instance — behind a load balancer the
//! effective limit is the per-instance one times the instances, which is
//! still a bound. A request over the limit changes nothing and gets 429
//! `rate_limited` (retryable) with `Retry-After` and `details.retry_after_ms`;
//! the sync client backs off on it like on any retryable refusal.
//!
//! Request size is limited apart: [`crate::MAX_BODY_BYTES`] per body and
//! [`pharmapos_protocol::MAX_EVENTS_PER_PUSH`] events per push.

use crate::ApiError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use pharmapos_protocol::STORE_HEADER;
use serde_json::json;
use std::num::NonZeroU32;
use std::sync::Arc;

/// How many requests a caller may make: `per_second` steadily, `burst` at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// The steady rate.
    pub per_second: u32,
    /// The burst allowed above it.
    pub burst: u32,
}

impl Default for RateLimit {
    /// 50 requests a second with bursts of 100: a store's sync run makes
    /// about five requests plus one per 1,000 events of backlog, so a
    /// catching-up store still pushes at 50,000 events a second, while one
    /// caller cannot take the server's whole capacity (about 330 sync
    /// cycles a second on the benchmark machine).
    fn default() -> Self {
        RateLimit {
            per_second: 50,
            burst: 100,
        }
    }
}

/// The limiter shared by every request of one server instance.
#[derive(Clone)]
pub struct Limiter {
    limiter: Arc<DefaultKeyedRateLimiter<String>>,
}

impl Limiter {
    /// A limiter enforcing `limit` per caller.
    pub fn new(limit: RateLimit) -> Limiter {
        let nz = |v: u32| NonZeroU32::new(v.max(1)).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(nz(limit.per_second)).allow_burst(nz(limit.burst));
        Limiter {
            limiter: Arc::new(RateLimiter::keyed(quota)),
        }
    }

    /// Whether `key` may make a request now; else how long to wait.
    fn check(&self, key: &str) -> Result<(), std::time::Duration> {
        // Forget callers idle long enough to be back at a full burst.
        if self.limiter.len() > 100_000 {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&key.to_string())
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// Who a request counts against.
fn caller_key(req: &Request) -> String {
    let h = req.headers();
    if let Some(store) = h.get(STORE_HEADER).and_then(|v| v.to_str().ok()) {
        return format!("store:{}", store.trim());
    }
    if let Some(auth) = h.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        // The digest, not the token, is what stays in memory.
        return format!("admin:{}", &crate::sha256_hex(auth.trim())[..16]);
    }
    "anonymous".to_string()
}

/// The middleware: refuses a request over its caller's limit.
pub async fn limit(State(limiter): State<Limiter>, req: Request, next: Next) -> Response {
    // Head office's page itself (static files) and the health check are not counted.
    let path = req.uri().path();
    if path == "/healthz" || path == "/ho" || path.starts_with("/ho/") {
        return next.run(req).await;
    }
    match limiter.check(&caller_key(&req)) {
        Ok(()) => {
            let res = next.run(req).await;
            if res.status() == StatusCode::PAYLOAD_TOO_LARGE && !is_json(&res) {
                // axum's own refusal of a body over MAX_BODY_BYTES, in the
                // protocol's words.
                return ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too_large",
                    format!(
                        "a request body is at most {} bytes; push at most {} events at a time",
                        crate::MAX_BODY_BYTES,
                        pharmapos_protocol::MAX_EVENTS_PER_PUSH
                    ),
                )
                .with(json!({"max_bytes": crate::MAX_BODY_BYTES}))
                .into_response();
            }
            res
        }
        Err(wait) => {
            let ms = wait.as_millis().max(1) as u64;
            let mut res = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests: wait {ms} ms and try again"),
            )
            .with(json!({"retry_after_ms": ms}))
            .retryable()
            .into_response();
            if let Ok(v) = HeaderValue::from_str(&ms.div_ceil(1000).to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
            res
        }
    }
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}
