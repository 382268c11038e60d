//! Head office's web page: one HTML file, one style sheet and one
//! ES-module script, embedded in the binary (`include_str!`), so the
//! server needs no files beside it, no build step and no CDN. The page is
//! public; everything it shows comes from the admin API, which needs the
//! admin token the page asks for (kept in the tab's sessionStorage).
//!
//! The Content-Security-Policy allows only this server's own script, style
//! and requests: nothing a store wrote into its record (notes, names) can
//! run as code, and the script only ever sets text, never HTML.

use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use deadpool_postgres::Pool;

const INDEX_HTML: &str = include_str!("index.html");
const APP_JS: &str = include_str!("app.js");
const STYLE_CSS: &str = include_str!("style.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

pub(super) fn routes() -> Router<Pool> {
    Router::new()
        .route("/ho", get(|| async { Redirect::permanent("/ho/") }))
        .route(
            "/ho/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/ho/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/ho/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            // The page changes with the server: always ask again.
            (header::CACHE_CONTROL, "no-cache"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        body,
    )
        .into_response()
}
