//! Head office's view against a real PostgreSQL (a throw-away cluster:
//! `pharmapos_server::testing`) and a real store's record (the engine's
//! demo store, pushed as a store pushes it): the admin API's every answer
//! checked against the store's own file, its refusals, and the web page in
//! a real browser (headless Debian Chromium over WebDriver).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "ho/browser.rs"]
mod browser;

use pharmapos_protocol::{
    PushRequest, RecordEvent, INSTALLATION_HEADER, LOCAL_HEAD_HEADER, STORE_HEADER,
};
use pharmapos_server::testing::{serve, Pg};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The demo store's file, its id and its record.
struct DemoStore {
    _dir: tempfile::TempDir,
    path: PathBuf,
    id: String,
    events: Vec<RecordEvent>,
}

fn demo_store() -> DemoStore {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lekki.sqlite");
    let summary = pharmapos_engine::demo::create(
        &path,
        pharmapos_engine::demo::DemoRequest {
            timezone: Some("Africa/Lagos".into()),
        },
        pharmapos_engine::OpenOptions::default(),
    )
    .unwrap();
    let mut db = pharmapos_engine::Db::open(&path).unwrap();
    let events = db
        .read(|tx| pharmapos_engine::audit::record_after(tx, summary.store_id, 0, i64::MAX))
        .unwrap();
    DemoStore {
        _dir: dir,
        path,
        id: summary.store_id.to_string(),
        events,
    }
}

/// The store's own on-hand per product (thousandths) and product names,
/// read from its file.
fn engine_stock(path: &Path, store: &str) -> BTreeMap<String, (i64, String)> {
    let mut db = pharmapos_engine::Db::open(path).unwrap();
    db.read(|tx| {
        let mut stmt = tx.prepare(
            "SELECT b.product_id, SUM(b.on_hand_milli), p.name FROM batches b JOIN products p ON p.id = b.product_id
              WHERE b.store_id = ?1 GROUP BY b.product_id, p.name",
        )?;
        let rows = stmt.query_map([store], |r| {
            Ok((r.get::<_, String>(0)?, (r.get::<_, i64>(1)?, r.get::<_, String>(2)?)))
        })?;
        Ok(rows.collect::<Result<BTreeMap<_, _>, _>>()?)
    })
    .unwrap()
}

/// An exact decimal string as thousandths ("12.5" → 12500).
fn milli(text: &str) -> i64 {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, text),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    assert!(frac.len() <= 3, "{text}");
    let m = whole.parse::<i64>().unwrap() * 1000 + format!("{frac:0<3}").parse::<i64>().unwrap();
    if neg {
        -m
    } else {
        m
    }
}

/// Pushes `events` as the store at `base` (raw HTTP, as a store does).
async fn push(
    http: &reqwest::Client,
    base: &str,
    store: &str,
    secret: &str,
    events: &[RecordEvent],
) -> (u16, Value) {
    let installation = events[0].installation_id.clone().unwrap();
    let res = http
        .post(format!("{base}/v1/push"))
        .header("authorization", format!("Bearer {secret}"))
        .header(STORE_HEADER, store)
        .header(INSTALLATION_HEADER, installation)
        .header("content-type", "application/json")
        .body(
            serde_json::to_vec(&PushRequest {
                events: events.to_vec(),
            })
            .unwrap(),
        )
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

/// A server with two stores: Lekki (the demo store, its whole record
/// pushed) and Ikeja (registered, never pushed successfully: one refused
/// push noted), and an admin.
struct World {
    _pg: Pg,
    url: String,
    base: String,
    lekki: DemoStore,
    lekki_secret: String,
    ikeja: String,
    admin: String,
}

async fn world(db: &str) -> World {
    let pg = Pg::start();
    let url = pg.database(db).await;
    let base = serve(&url).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let lekki = demo_store();
    let ikeja = uuid::Uuid::now_v7().to_string();
    let register = |id: &str, name: &str, code: &str| pharmapos_server::NewStore {
        id: id.into(),
        name: name.into(),
        code: Some(code.into()),
        timezone: Some("Africa/Lagos".into()),
        currency: None,
    };
    let lekki_secret =
        pharmapos_server::register_store(&pool, &register(&lekki.id, "Lekki Pharmacy", "LEKKI"))
            .await
            .unwrap();
    let ikeja_secret =
        pharmapos_server::register_store(&pool, &register(&ikeja, "Ikeja Pharmacy", "IKEJA"))
            .await
            .unwrap();
    let http = reqwest::Client::new();
    for chunk in lekki.events.chunks(pharmapos_protocol::MAX_EVENTS_PER_PUSH) {
        let (status, body) = push(&http, &base, &lekki.id, &lekki_secret, chunk).await;
        assert_eq!(status, 200, "{body}");
    }
    // Ikeja pushing Lekki's events: refused, and noted for head office.
    let (status, body) = push(&http, &base, &ikeja, &ikeja_secret, &lekki.events[..2]).await;
    assert_eq!(
        (status, body["error"]["kind"].as_str()),
        (409, Some("chain_broken"))
    );
    let admin = pharmapos_server::add_admin(&pool, "Head Office")
        .await
        .unwrap();
    World {
        _pg: pg,
        url,
        base,
        lekki,
        lekki_secret,
        ikeja,
        admin,
    }
}

/// GET `path` with `token` (none: no Authorization header).
async fn get(base: &str, path: &str, token: Option<&str>) -> (u16, Value) {
    let mut r = reqwest::Client::new().get(format!("{base}{path}"));
    if let Some(t) = token {
        r = r.header("authorization", format!("Bearer {t}"));
    }
    let res = r.send().await.unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {status} {e}: {text}")),
    )
}

/// PUT `body` to `path` as an admin with `token`.
async fn put(base: &str, path: &str, token: &str, body: &Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .put(format!("{base}{path}"))
        .header("authorization", format!("Bearer {token}"))
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

/// `GET /v1/head` as the store, saying its own head is `local` (what a
/// store's sync does before it pushes): the server's head for it.
async fn report_head(base: &str, store: &DemoStore, secret: &str, local: &str) -> (u16, Value) {
    let res = reqwest::Client::new()
        .get(format!("{base}/v1/head"))
        .header("authorization", format!("Bearer {secret}"))
        .header(STORE_HEADER, &store.id)
        .header(
            INSTALLATION_HEADER,
            store.events[0].installation_id.as_deref().unwrap(),
        )
        .header(LOCAL_HEAD_HEADER, local)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap())
}

fn error_kind(v: &Value) -> &str {
    v["error"]["kind"].as_str().unwrap_or("")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_reads_every_store_from_what_they_pushed() {
    let w = world("ho_api").await;
    let (base, token) = (w.base.as_str(), Some(w.admin.as_str()));
    let lekki = &w.lekki;
    let n = lekki.events.len() as i64;
    assert!(n > 60, "the demo writes a day of events ({n})");

    // Every admin route: 401 with no token, a wrong one, or a store's secret
    // (and before any input is looked at).
    let routes = [
        "/v1/admin/stores".to_string(),
        format!("/v1/admin/stores/{}/verify", lekki.id),
        "/v1/admin/stock".into(),
        "/v1/admin/stock?limit=0".into(),
        "/v1/admin/events".into(),
        "/v1/admin/events?before=nonsense".into(),
        "/v1/admin/change-types".into(),
        "/v1/admin/products?q=para".into(),
        format!("/v1/admin/products/{}", uuid::Uuid::now_v7()),
    ];
    let wrong = "0".repeat(64);
    for route in &routes {
        for t in [None, Some(wrong.as_str()), Some(w.lekki_secret.as_str())] {
            let (status, body) = get(base, route, t).await;
            assert_eq!(
                (status, error_kind(&body)),
                (401, "unauthenticated"),
                "{route} {t:?}"
            );
        }
        assert_eq!(get(base, route.as_str(), token).await.0 / 100, {
            if route.contains("limit=0")
                || route.contains("nonsense")
                || route.starts_with("/v1/admin/products/")
            {
                4
            } else {
                2
            }
        });
    }

    // Stores: both, with their sync and their record.
    let (status, stores) = get(base, "/v1/admin/stores", token).await;
    assert_eq!(status, 200, "{stores}");
    let stores = stores["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 2);
    let (ikeja, lekki_row) = (&stores[0], &stores[1]);
    assert_eq!(lekki_row["code"], "LEKKI");
    assert_eq!(lekki_row["id"], json!(lekki.id));
    assert_eq!(lekki_row["events"], json!(n));
    assert_eq!(lekki_row["acked_seq"], json!(n));
    assert_eq!(
        lekki_row["head_hash"],
        json!(lekki.events.last().unwrap().hash)
    );
    assert_eq!(
        lekki_row["installation_id"],
        json!(lekki.events[0].installation_id)
    );
    assert!(lekki_row["last_push_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(lekki_row["last_error"], Value::Null);
    assert_eq!(lekki_row["timezone"], "Africa/Lagos");
    // The store has not reported its head: the backlog is unknown, not 0.
    assert_eq!(lekki_row["reported_head"], Value::Null);
    assert_eq!(lekki_row["backlog"], Value::Null);
    assert_eq!(ikeja["code"], "IKEJA");
    assert_eq!(
        (ikeja["events"].as_i64(), ikeja["acked_seq"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        ikeja["installation_id"],
        Value::Null,
        "a refused push binds nothing"
    );
    assert!(
        ikeja["last_error"]
            .as_str()
            .unwrap()
            .starts_with("chain_broken: "),
        "{ikeja}"
    );
    assert!(ikeja["last_error_at"].is_string());
    // With a reported head (the store's sync sends it on `GET /v1/head`),
    // the backlog is known; a header that is not a count changes nothing.
    {
        let (status, head) = report_head(base, lekki, &w.lekki_secret, &(n + 12).to_string()).await;
        assert_eq!(status, 200, "{head}");
        assert_eq!(head["acknowledged_seq"], json!(n));
        let (_, stores) = get(base, "/v1/admin/stores", token).await;
        let row = &stores["stores"][1];
        assert_eq!(
            (&row["reported_head"], &row["backlog"]),
            (&json!(n + 12), &json!(12))
        );
        let (status, _) = report_head(base, lekki, &w.lekki_secret, "lots").await;
        assert_eq!(status, 200);
        let (_, stores) = get(base, "/v1/admin/stores", token).await;
        assert_eq!(stores["stores"][1]["backlog"], json!(12));
        // Everything pushed: no backlog (0, not unknown).
        report_head(base, lekki, &w.lekki_secret, &n.to_string()).await;
        let (_, stores) = get(base, "/v1/admin/stores", token).await;
        assert_eq!(stores["stores"][1]["backlog"], json!(0));
    }

    // The catalogue's refusals as the page reads them: every problem with
    // its field, the current version on a conflict, the field an SKU or
    // barcode clash is at.
    {
        let admin = w.admin.as_str();
        let id = uuid::Uuid::now_v7().to_string();
        let path = format!("/v1/admin/products/{id}");
        let product = json!({
            "expected_version": 0, "sku": "HO-1", "name": "Amoxicillin 250 mg", "category": "medicine",
            "unit": "capsule", "selling_price": "1250.50", "tax_rate": "7.5", "barcodes": ["5012345678900"],
        });
        let mut bad = product.clone();
        bad["name"] = json!(" ");
        bad["selling_price"] = json!("12,50");
        let (status, e) = put(base, &path, admin, &bad).await;
        assert_eq!((status, error_kind(&e)), (400, "invalid_input"), "{e}");
        let fields: Vec<&str> = e["error"]["details"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["name", "selling_price"], "{e}");
        let (status, p) = put(base, &path, admin, &product).await;
        assert_eq!(status, 200, "{p}");
        assert_eq!(
            (&p["version"], &p["selling_price"], &p["tax_rate"]),
            (&json!(1), &json!("1250.50"), &json!("7.5")),
            "prices as typed, as text"
        );
        assert_eq!(p["updated_by"], "Head Office");
        let (status, e) = put(base, &path, admin, &product).await;
        assert_eq!((status, error_kind(&e)), (409, "version_conflict"), "{e}");
        assert_eq!(e["error"]["details"]["current_version"], json!(1));
        let other = format!("/v1/admin/products/{}", uuid::Uuid::now_v7());
        let mut clash = product.clone();
        clash["barcodes"] = json!([]);
        let (status, e) = put(base, &other, admin, &clash).await;
        assert_eq!((status, error_kind(&e)), (409, "conflict"), "{e}");
        assert_eq!(e["error"]["details"]["field"], "sku");
        clash["sku"] = json!("HO-2");
        clash["barcodes"] = json!(["5012345678900"]);
        let (status, e) = put(base, &other, admin, &clash).await;
        assert_eq!((status, error_kind(&e)), (409, "conflict"), "{e}");
        assert_eq!(e["error"]["details"]["field"], "barcodes");
        let (status, one) = get(base, &path, token).await;
        assert_eq!((status, &one["version"]), (200, &json!(1)));
        let (_, list) = get(base, "/v1/admin/products?q=ho-1", token).await;
        assert_eq!(list["total"], 1, "found by SKU, whatever its case");
        assert_eq!(list["products"][0]["id"], json!(id));
    }

    // Verify: the chain recomputed on the server.
    let (status, v) = get(
        base,
        &format!("/v1/admin/stores/{}/verify", lekki.id),
        token,
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["events_checked"], json!(n));
    assert_eq!(v["head_hash"], json!(lekki.events.last().unwrap().hash));
    assert_eq!(v["problem"], Value::Null);
    let (_, v) = get(base, &format!("/v1/admin/stores/{}/verify", w.ikeja), token).await;
    assert_eq!(
        (v["ok"].as_bool(), v["events_checked"].as_i64()),
        (Some(true), Some(0))
    );
    let (status, v) = get(base, "/v1/admin/stores/nope/verify", token).await;
    assert_eq!((status, error_kind(&v)), (404, "not_found"));
    // A record altered on the server (written behind the API's back) is found.
    {
        let pool = pharmapos_server::pool(&w.url).unwrap();
        let forged = uuid::Uuid::now_v7().to_string();
        pharmapos_server::add_store(&pool, &forged, "Forged")
            .await
            .unwrap();
        let client = pool.get().await.unwrap();
        for e in &lekki.events[..3] {
            client
                .execute(
                    "INSERT INTO record_events (store_id, seq, id, format, change_type, user_id, created_at, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[&forged, &e.seq, &uuid::Uuid::now_v7().to_string(), &e.format, &e.change_type,
                      &e.user_id, &e.created_at, &e.hash],
                )
                .await
                .unwrap();
        }
        let (_, v) = get(base, &format!("/v1/admin/stores/{forged}/verify"), token).await;
        assert_eq!(v["ok"], false, "{v}");
        assert_eq!(
            (v["problem"]["seq"].as_i64(), v["events_checked"].as_i64()),
            (Some(1), Some(0))
        );
        assert!(
            v["problem"]["reason"].as_str().unwrap().contains("hash"),
            "{v}"
        );
        assert_eq!(v["head_hash"], Value::Null);
    }

    // Stock rebuilt from the events equals the store's own, product for
    // product, through pages of 7.
    let want = engine_stock(&lekki.path, &lekki.id);
    assert!(want.len() > 5, "{want:?}");
    let mut got: BTreeMap<String, (i64, String)> = BTreeMap::new();
    let mut offset = 0;
    loop {
        let (status, page) = get(
            base,
            &format!(
                "/v1/admin/stock?store_id={}&limit=7&offset={offset}",
                lekki.id
            ),
            token,
        )
        .await;
        assert_eq!(status, 200, "{page}");
        for r in page["rows"].as_array().unwrap() {
            assert_eq!(r["store_id"], json!(lekki.id));
            assert_eq!(r["store_code"], "LEKKI");
            let before = got.insert(
                r["product_id"].as_str().unwrap().into(),
                (
                    milli(r["on_hand"].as_str().unwrap()),
                    r["product_name"].as_str().unwrap_or("").into(),
                ),
            );
            assert!(before.is_none(), "each product once: {r}");
        }
        // One store: each total is its one row.
        for (t, r) in page["totals"]
            .as_array()
            .unwrap()
            .iter()
            .zip(page["rows"].as_array().unwrap())
        {
            assert_eq!(
                (&t["product_id"], &t["on_hand"], &t["stores"]),
                (&r["product_id"], &r["on_hand"], &json!(1))
            );
        }
        assert_eq!(page["products"], json!(want.len()));
        offset += 7;
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(
        got, want,
        "on hand and names, from the events = the store's own"
    );
    // Across stores (Ikeja has none): the same, and one product alone.
    let (_, all) = get(base, "/v1/admin/stock?limit=500", token).await;
    assert_eq!(all["rows"].as_array().unwrap().len(), want.len());
    assert_eq!(all["more"], false);
    let (product, (on_hand, name)) = want.iter().max_by_key(|(_, (q, _))| *q).unwrap();
    let (_, one) = get(
        base,
        &format!("/v1/admin/stock?product_id={product}"),
        token,
    )
    .await;
    assert_eq!(one["totals"][0]["product_name"], json!(name));
    assert_eq!(
        milli(one["totals"][0]["on_hand"].as_str().unwrap()),
        *on_hand
    );
    assert_eq!(one["products"], 1);
    let (_, none) = get(
        base,
        &format!("/v1/admin/stock?store_id={}", w.ikeja),
        token,
    )
    .await;
    assert_eq!(
        (
            none["products"].as_i64(),
            none["rows"].as_array().map(Vec::len)
        ),
        (Some(0), Some(0))
    );
    for (bad, status, kind) in [
        ("limit=0", 400, "invalid_input"),
        ("limit=501", 400, "invalid_input"),
        ("limit=ten", 400, "invalid_input"),
        ("offset=-1", 400, "invalid_input"),
        ("store_id=nope", 404, "not_found"),
    ] {
        let (s, e) = get(base, &format!("/v1/admin/stock?{bad}"), token).await;
        assert_eq!((s, error_kind(&e)), (status, kind), "{bad}: {e}");
        assert!(e["error"]["message"].as_str().unwrap().len() > 10);
    }

    // The trail: every event once, newest first, through pages of 7.
    let mut seen = HashSet::new();
    let mut before: Option<String> = None;
    let mut last: Option<(String, String, i64)> = None;
    loop {
        let path = match &before {
            Some(b) => format!("/v1/admin/events?limit=7&before={b}"),
            None => "/v1/admin/events?limit=7".into(),
        };
        let (status, page) = get(base, &path, token).await;
        assert_eq!(status, 200, "{page}");
        for e in page["events"].as_array().unwrap() {
            let key = (
                e["received_at"].as_str().unwrap().to_string(),
                e["store_id"].as_str().unwrap().to_string(),
                e["seq"].as_i64().unwrap(),
            );
            if let Some(l) = &last {
                assert!(key < *l, "newest first: {key:?} after {l:?}");
            }
            assert!(seen.insert((key.1.clone(), key.2)), "once: {e}");
            last = Some(key);
        }
        if !page["more"].as_bool().unwrap() {
            assert_eq!(page["next_before"], Value::Null);
            break;
        }
        before = Some(page["next_before"].as_str().unwrap().to_string());
    }
    let of_lekki = seen.iter().filter(|(s, _)| *s == lekki.id).count() as i64;
    assert_eq!(of_lekki, n, "every event of Lekki's record, once");
    assert_eq!(seen.len() as i64, n + 3, "and the forged store's three");

    // Sales: the filter, and a sale found by its number.
    let sales: Vec<&RecordEvent> = lekki
        .events
        .iter()
        .filter(|e| e.change_type == "sale_completed")
        .collect();
    assert!(!sales.is_empty());
    let (_, page) = get(
        base,
        "/v1/admin/events?change_type=sale_completed&limit=200",
        token,
    )
    .await;
    let rows = page["events"].as_array().unwrap();
    assert_eq!(rows.len(), sales.len());
    assert!(rows
        .iter()
        .all(|e| e["change_type"] == "sale_completed" && e["subject_type"] == "sale"));
    let sale = sales[sales.len() / 2];
    let number: String = serde_json::from_str::<Value>(sale.payload.as_deref().unwrap()).unwrap()
        ["subject"]["name"]
        .as_str()
        .unwrap()
        .into();
    let (_, found) = get(
        base,
        &format!("/v1/admin/events?q={}", number.to_lowercase()),
        token,
    )
    .await;
    let found = found["events"].as_array().unwrap();
    let row = found
        .iter()
        .find(|e| e["seq"] == json!(sale.seq) && e["store_code"] == "LEKKI")
        .unwrap_or_else(|| panic!("{number}: {found:?}"));
    assert_eq!(row["subject_name"], json!(number));
    let receipt: Value = serde_json::from_str(sale.payload.as_deref().unwrap()).unwrap();
    let total = receipt["data"]["total"].as_str().unwrap();
    assert_eq!(row["document_total"], json!(total));
    assert_eq!(row["user_id"], json!(sale.user_id));
    assert_eq!(row["created_at"], json!(sale.created_at));
    // A stock event reads in decimals with its product's name.
    let moved = lekki
        .events
        .iter()
        .find(|e| e.change_type == "receipt")
        .unwrap();
    let (_, page) = get(
        base,
        &format!(
            "/v1/admin/events?store_id={}&change_type=receipt&limit=200",
            lekki.id
        ),
        token,
    )
    .await;
    let row = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["seq"] == json!(moved.seq))
        .unwrap();
    assert_eq!(
        milli(row["new_quantity"].as_str().unwrap()),
        moved.new_milli.unwrap()
    );
    assert_eq!(
        row["product_name"],
        json!(want[moved.product_id.as_deref().unwrap()].1)
    );
    // Wildcards are searched for as text.
    let (_, page) = get(base, "/v1/admin/events?q=%25%25%25zz", token).await;
    assert_eq!(page["events"].as_array().unwrap().len(), 0);
    let (_, kinds) = get(base, "/v1/admin/change-types", token).await;
    let sale_kind = kinds["change_types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["change_type"] == "sale_completed")
        .unwrap();
    assert_eq!(sale_kind["events"], json!(sales.len()));
    let long = "x".repeat(201);
    for (bad, status, kind) in [
        ("limit=0".to_string(), 400, "invalid_input"),
        ("limit=201".into(), 400, "invalid_input"),
        ("before=12".into(), 400, "invalid_input"),
        ("before=x:y:z".into(), 400, "invalid_input"),
        ("change_type=Sale%20Completed".into(), 400, "invalid_input"),
        (format!("q={long}"), 400, "invalid_input"),
        ("store_id=nope".into(), 404, "not_found"),
    ] {
        let (s, e) = get(base, &format!("/v1/admin/events?{bad}"), token).await;
        assert_eq!((s, error_kind(&e)), (status, kind), "{bad}: {e}");
    }

    // A large record: verified across chunks of 5,000, and its stock
    // (one of Lekki's products) totalled across both stores.
    {
        let pool = pharmapos_server::pool(&w.url).unwrap();
        let bulk = uuid::Uuid::now_v7().to_string();
        let secret = pharmapos_server::add_store(&pool, &bulk, "Bulk")
            .await
            .unwrap();
        let (events, bulk_milli) = synthetic_record(&bulk, product, 5_001);
        let http = reqwest::Client::new();
        for chunk in events.chunks(pharmapos_protocol::MAX_EVENTS_PER_PUSH) {
            let (status, body) = push(&http, base, &bulk, &secret, chunk).await;
            assert_eq!(status, 200, "{body}");
        }
        let (_, v) = get(base, &format!("/v1/admin/stores/{bulk}/verify"), token).await;
        assert_eq!(v["ok"], true, "{v}");
        assert_eq!(v["events_checked"], 5_001);
        assert_eq!(v["head_hash"], json!(events.last().unwrap().hash));
        let (_, one) = get(
            base,
            &format!("/v1/admin/stock?product_id={product}"),
            token,
        )
        .await;
        let rows = one["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 2, "{one}");
        let of = |store: &str| {
            milli(
                rows.iter().find(|r| r["store_id"] == json!(store)).unwrap()["on_hand"]
                    .as_str()
                    .unwrap(),
            )
        };
        assert_eq!((of(&lekki.id), of(&bulk)), (*on_hand, bulk_milli));
        assert_eq!(
            milli(one["totals"][0]["on_hand"].as_str().unwrap()),
            on_hand + bulk_milli
        );
        assert_eq!(one["totals"][0]["stores"], 2);
        assert_eq!(one["totals"][0]["product_name"], json!(name));
    }

    // The page itself is public (it asks for the token); its API is not.
    let res = reqwest::get(format!("{base}/ho/")).await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let csp = res.headers()["content-security-policy"].clone();
    assert!(csp.to_str().unwrap().contains("script-src 'self'"));
    assert!(res.text().await.unwrap().contains("Admin token"));
    // Every file of the page, with the page's own policy and headers.
    for (asset, kind) in [
        ("app.js", "text/javascript"),
        ("editor.js", "text/javascript"),
        ("catalogue.js", "text/javascript"),
        ("vendors.js", "text/javascript"),
        ("style.css", "text/css"),
    ] {
        let res = reqwest::get(format!("{base}/ho/{asset}")).await.unwrap();
        assert_eq!(res.status().as_u16(), 200, "{asset}");
        let h = res.headers();
        assert!(
            h["content-type"].to_str().unwrap().starts_with(kind),
            "{asset}"
        );
        assert_eq!(h["content-security-policy"], csp, "{asset}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{asset}");
    }
}

/// A record made here for `store`: `n` events moving three batches of
/// `product` (every fifth one linked to its batch with no quantity, as a
/// reservation is), validly chained. Returns it and the store's on-hand of
/// the product at its end (thousandths).
fn synthetic_record(store: &str, product: &str, n: i64) -> (Vec<RecordEvent>, i64) {
    let installation = uuid::Uuid::now_v7().to_string();
    let batches: Vec<String> = (0..3).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let mut on_hand = [0i64; 3];
    let mut last_seq: [Option<i64>; 3] = [None; 3];
    let mut prev = pharmapos_protocol::GENESIS_HASH.to_string();
    let mut events = Vec::new();
    for seq in 1..=n {
        let b = (seq % 3) as usize;
        let quantity = (seq % 5 != 0).then(|| (seq * 7919) % 100_000);
        let mut e = RecordEvent {
            format: pharmapos_protocol::FORMAT_V2,
            id: uuid::Uuid::now_v7().to_string(),
            store_id: store.into(),
            installation_id: Some(installation.clone()),
            seq,
            batch_id: Some(batches[b].clone()),
            product_id: Some(product.into()),
            change_type: if quantity.is_some() {
                "adjustment"
            } else {
                "reserved"
            }
            .into(),
            previous_milli: quantity.map(|_| on_hand[b]),
            new_milli: quantity,
            user_id: "bulk-user".into(),
            reference_id: None,
            notes: Some(format!("bulk {seq}")),
            created_at: "2026-12-01T10:00:00.000Z".into(),
            batch_prev_seq: last_seq[b],
            payload: None,
            hash: String::new(),
        };
        e.hash = pharmapos_protocol::chain_hash(&prev, &e.canonical()).unwrap();
        prev = e.hash.clone();
        if let Some(q) = quantity {
            on_hand[b] = q;
        }
        last_seq[b] = Some(seq);
        events.push(e);
    }
    (events, on_hand.iter().sum())
}
