//! Head office's web page: one HTML file, one style sheet and four
//! ES-module scripts ([`SCRIPTS`]: `app.js`; `editor.js`, the list and
//! form the Catalogue and Vendors tabs share; `catalogue.js` and
//! `vendors.js`, those tabs), embedded in the binary (`include_str!`), so
//! the server needs no files beside it, no build step and no CDN. The page is
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
/// The page's scripts, each served at `/ho/<name>`.
const SCRIPTS: [(&str, &str); 4] = [
    ("app.js", include_str!("app.js")),
    ("editor.js", include_str!("editor.js")),
    ("catalogue.js", include_str!("catalogue.js")),
    ("vendors.js", include_str!("vendors.js")),
];
const STYLE_CSS: &str = include_str!("style.css");

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

pub(super) fn routes() -> Router<Pool> {
    let mut router = Router::new()
        .route("/ho", get(|| async { Redirect::permanent("/ho/") }))
        .route(
            "/ho/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/ho/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        );
    for (name, body) in SCRIPTS {
        router = router.route(
            &format!("/ho/{name}"),
            get(move || async move { asset("text/javascript; charset=utf-8", body) }),
        );
    }
    router
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The form's "Kind" offers exactly the catalogue's categories.
    #[test]
    fn the_kind_select_offers_every_category() {
        let offered = options_of("pf-category");
        let mut offered_sorted = offered.clone();
        offered_sorted.sort_unstable();
        let mut want = pharmapos_protocol::PRODUCT_CATEGORIES.to_vec();
        want.sort_unstable();
        assert_eq!(offered_sorted, want, "{offered:?}");
    }

    /// The vendor form's "Status" offers what a vendor's status may be.
    #[test]
    fn the_vendor_status_select_offers_active_and_inactive() {
        assert_eq!(options_of("vf-status"), ["active", "inactive"]);
    }

    /// The values the page's `<select id="{id}">` offers, in order.
    fn options_of(id: &str) -> Vec<&'static str> {
        INDEX_HTML
            .split(&format!("<select id=\"{id}\""))
            .nth(1)
            .and_then(|s| s.split("</select>").next())
            .unwrap_or_default()
            .split("<option value=\"")
            .skip(1)
            .filter_map(|o| o.split('"').next())
            .collect()
    }

    /// Every module a script imports is one the server serves (a missing
    /// one would leave the page blank, its error only in the console).
    #[test]
    fn every_imported_script_is_served() {
        let served: Vec<&str> = SCRIPTS.iter().map(|(name, _)| *name).collect();
        let mut imports = 0;
        for (name, body) in SCRIPTS {
            for import in body.split(" from \"./").skip(1) {
                let target = import.split('"').next().unwrap_or_default();
                assert!(served.contains(&target), "{name} imports {target}");
                imports += 1;
            }
        }
        // app.js imports catalogue.js and vendors.js, and they editor.js.
        assert_eq!(imports, 4);
    }

    /// Every id of the page is one element's (labels and scripts find
    /// their element by it).
    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = INDEX_HTML
            .split(" id=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "an id used twice in index.html");
    }
}
