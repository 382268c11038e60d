//! Head office's catalogue against a real server over a real PostgreSQL:
//! an admin publishes products (versioned; a stale edit refused), a store
//! pulls them with their ids, head office's fields are refused locally
//! while the store's own (reorder levels) stay the store's, a product that
//! clashes with a store's own SKU waits with its reason without holding up
//! the rest, and pulling again changes nothing. Head office's vendors
//! travel the same way.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, ikeja, open, Store};
use pharmapos_engine::Session;
use pharmapos_server::testing::{serve, Pg};
use pharmapos_sync::sync;
use serde_json::{json, Value};

/// `PUT /v1/admin/products/{id}` as an admin (or with any token).
async fn put(base: &str, token: &str, id: &str, body: Value) -> (u16, Value) {
    put_at(base, token, &format!("products/{id}"), body).await
}

/// `PUT /v1/admin/{path}`.
async fn put_at(base: &str, token: &str, path: &str, body: Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .put(format!("{base}/v1/admin/{path}"))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (
        status,
        serde_json::from_slice(&res.bytes().await.unwrap()).unwrap(),
    )
}

fn amoxicillin(price: &str) -> Value {
    json!({"sku": "AMX500", "name": "Amoxicillin 500mg", "generic_name": "amoxicillin",
           "category": "medicine", "barcodes": ["5012345678900"], "unit": "capsule",
           "prescription_only": true, "selling_price": price, "tax_rate": "0"})
}

/// Runs `name` as Ike Admin; the error's kind and field on refusal.
fn try_call(s: &Store, name: &str, req: Value) -> Result<Value, (String, Value)> {
    let mut db = open(&s.path);
    let session: Session = pharmapos_engine::auth::session_for_name(&db, "Ike Admin").unwrap();
    pharmapos_commands::dispatch(&mut db, &session, name, req)
        .map_err(|e| (e.kind().to_string(), e.details()))
}

/// A server over a fresh database with an admin ("hq"), and Ikeja's file
/// registered and linked to it.
struct Setup {
    _pg: Pg,
    base: String,
    token: String,
    s: Store,
    secret: String,
}

async fn setup(db: &str) -> Setup {
    let pg = Pg::start();
    let url = pg.database(db).await;
    let base = serve(&url).await;
    let pool = pharmapos_server::pool(&url).unwrap();
    let token = pharmapos_server::add_admin(&pool, "hq").await.unwrap();
    let s = ikeja();
    let secret = pharmapos_server::add_store(&pool, &s.id.to_string(), "Ikeja Pharmacy")
        .await
        .unwrap();
    call(
        &mut open(&s.path),
        "Ike Admin",
        "configure_sync",
        json!({"store_id": s.id, "server_url": base}),
    );
    Setup {
        _pg: pg,
        base,
        token,
        s,
        secret,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_publishes_its_catalogue_and_stores_apply_it_by_ownership() {
    let Setup {
        _pg,
        base,
        token,
        s,
        secret,
    } = setup("sync_catalogue").await;

    // Publishing: refused without an admin's token (a store's secret is not
    // one), and field by field when malformed; a new product is version 1.
    let amx = pharmapos_engine::ids::ProductId::new().to_string();
    let (status, e) = put(&base, &secret, &amx, amoxicillin("1250")).await;
    assert_eq!(
        (status, e["error"]["kind"].as_str()),
        (401, Some("unauthenticated"))
    );
    let (status, e) = put(&base, &token, &amx, amoxicillin("12.34567")).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["error"]["details"]["field"], json!("selling_price"));
    let (status, p) = put(&base, &token, &amx, amoxicillin("1250")).await;
    assert_eq!((status, p["version"].as_i64()), (200, Some(1)), "{p}");
    assert_eq!(p["updated_by"], json!("hq"));

    // The store pulls it: the same id, head office's fields.
    let r = sync(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(
        (r.pull.catalogue_received, r.pull.applied, r.pull.failed),
        (1, 1, 0),
        "{r:?}"
    );
    let got = try_call(&s, "get_product", json!({"id": amx})).unwrap();
    assert_eq!(got["sku"], json!("AMX500"));
    assert_eq!(got["selling_price"], json!("1250.00"));
    assert_eq!(got["barcodes"], json!(["5012345678900"]));
    assert_eq!(got["catalogue_version"], json!(1));
    assert!(got["prescription_only"].as_bool().unwrap());

    // Head office's fields are not the store's to change; its own are.
    let (kind, details) = try_call(
        &s,
        "update_product",
        json!({"id": amx, "selling_price": "999"}),
    )
    .unwrap_err();
    assert_eq!(
        (kind.as_str(), &details["field"]),
        ("invalid_input", &json!("selling_price"))
    );
    let (kind, _) = try_call(&s, "delete_product", json!({"id": amx})).unwrap_err();
    assert_eq!(kind, "invalid_input");
    try_call(
        &s,
        "update_product",
        json!({"id": amx, "thresholds": {"reorder_point": "40"}}),
    )
    .unwrap();

    // A new price: version 2. An edit from version 1 made meanwhile by
    // another admin is refused; the same content again is no new version.
    let mut v2 = amoxicillin("1300");
    v2["expected_version"] = json!(1);
    let (status, p) = put(&base, &token, &amx, v2.clone()).await;
    assert_eq!((status, p["version"].as_i64()), (200, Some(2)), "{p}");
    let (status, e) = put(&base, &token, &amx, v2).await;
    assert_eq!(
        (status, e["error"]["kind"].as_str()),
        (409, Some("version_conflict"))
    );
    let (status, p) = put(&base, &token, &amx, amoxicillin("1300")).await;
    assert_eq!((status, p["version"].as_i64()), (200, Some(2)));

    // A product whose SKU is one of the store's own, and another beside it.
    try_call(
        &s,
        "create_product",
        json!({"sku": "ORS1", "name": "Oral rehydration salts (local)"}),
    )
    .unwrap();
    let ors = pharmapos_engine::ids::ProductId::new().to_string();
    let (status, _) = put(
        &base,
        &token,
        &ors,
        json!({"sku": "ORS1", "name": "ORS sachet", "category": "medicine", "unit": "sachet",
               "selling_price": "300"}),
    )
    .await;
    assert_eq!(status, 200);
    let pcm = pharmapos_engine::ids::ProductId::new().to_string();
    let (status, _) = put(
        &base,
        &token,
        &pcm,
        json!({"sku": "PCM500", "name": "Paracetamol 500mg", "category": "medicine",
               "unit": "tablet", "selling_price": "50", "tax_rate": "7.5"}),
    )
    .await;
    assert_eq!(status, 200);

    let r = sync(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(
        (r.pull.catalogue_received, r.pull.applied, r.pull.failed),
        (3, 2, 1),
        "{r:?}"
    );
    let got = try_call(&s, "get_product", json!({"id": amx})).unwrap();
    assert_eq!(got["selling_price"], json!("1300.00"));
    assert_eq!(got["catalogue_version"], json!(2));
    assert_eq!(
        got["thresholds"]["reorder_point"],
        json!("40"),
        "the store's own field kept"
    );
    assert_eq!(
        try_call(&s, "get_product", json!({"id": pcm})).unwrap()["tax_rate"],
        json!("7.5")
    );
    let status = try_call(&s, "get_sync_status", json!({"store_id": s.id})).unwrap();
    let f = &status["inbox_failures"][0];
    assert_eq!(f["error_kind"], json!("conflict"), "{status}");
    assert_eq!(f["from_store_name"], json!("Head office"));
    assert_eq!(f["subject"], json!("ORS sachet"));
    assert!(f["error_message"].as_str().unwrap().contains("ORS1"), "{f}");

    // Pulling again, even from the start, changes nothing; the clash is
    // tried again and still waits.
    let conn = rusqlite::Connection::open(&s.path).unwrap();
    conn.execute("UPDATE sync_links SET catalogue_cursor = '0.0'", [])
        .unwrap();
    drop(conn);
    let before = {
        let mut db = open(&s.path);
        db.read(|tx| pharmapos_engine::audit::chain_head(tx, s.id))
            .unwrap()
            .unwrap()
            .seq
    };
    let r = sync(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(
        (
            r.pull.catalogue_received,
            r.pull.catalogue_staged,
            r.pull.applied,
            r.pull.failed
        ),
        (3, 0, 0, 1),
        "{r:?}"
    );
    let after = {
        let mut db = open(&s.path);
        db.read(|tx| pharmapos_engine::audit::chain_head(tx, s.id))
            .unwrap()
            .unwrap()
            .seq
    };
    assert_eq!(after, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_office_vendors_reach_stores_and_stay_head_offices() {
    let Setup {
        _pg,
        base,
        token,
        s,
        secret,
    } = setup("sync_vendors").await;
    let emzor = pharmapos_engine::ids::SupplierId::new().to_string();
    let vendor = |terms: &str| {
        json!({"name": "Emzor Pharmaceuticals", "contact_person": "Ada Obi",
               "email": "orders@emzor.example", "payment_terms": terms,
               "categories": ["medicine"]})
    };
    // Refused field by field; then version 1.
    let mut bad = vendor("Net 30");
    bad["email"] = json!("orders");
    let (status, e) = put_at(&base, &token, &format!("vendors/{emzor}"), bad).await;
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["error"]["details"]["field"], json!("email"));
    let (status, v) = put_at(&base, &token, &format!("vendors/{emzor}"), vendor("Net 30")).await;
    assert_eq!((status, v["version"].as_i64()), (200, Some(1)), "{v}");
    // A second vendor with the same name (case aside) is refused.
    let (status, e) = put_at(
        &base,
        &token,
        &format!("vendors/{}", pharmapos_engine::ids::SupplierId::new()),
        json!({"name": "EMZOR PHARMACEUTICALS"}),
    )
    .await;
    assert_eq!(
        (status, e["error"]["kind"].as_str()),
        (409, Some("conflict")),
        "{e}"
    );
    // A vendor whose name one of the store's own suppliers has.
    try_call(&s, "create_supplier", json!({"name": "Fidson Healthcare"})).unwrap();
    let fidson = pharmapos_engine::ids::SupplierId::new().to_string();
    let (status, _) = put_at(
        &base,
        &token,
        &format!("vendors/{fidson}"),
        json!({"name": "Fidson Healthcare", "payment_terms": "COD"}),
    )
    .await;
    assert_eq!(status, 200);

    let r = sync(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(
        (r.pull.catalogue_received, r.pull.applied, r.pull.failed),
        (2, 1, 1),
        "{r:?}"
    );
    let got = try_call(&s, "get_supplier", json!({"id": emzor})).unwrap();
    assert_eq!(got["name"], json!("Emzor Pharmaceuticals"));
    assert_eq!(got["payment_terms"], json!("Net 30"));
    assert_eq!(got["catalogue_version"], json!(1));
    let status = try_call(&s, "get_sync_status", json!({"store_id": s.id})).unwrap();
    let f = &status["inbox_failures"][0];
    assert_eq!(
        (&f["change_type"], &f["error_kind"], &f["subject"]),
        (
            &json!("catalogue_vendor"),
            &json!("conflict"),
            &json!("Fidson Healthcare")
        ),
        "{status}"
    );

    // Head office's fields are not the store's; its account number and
    // preferred flag are.
    let (kind, details) = try_call(
        &s,
        "update_supplier",
        json!({"id": emzor, "payment_terms": "COD"}),
    )
    .unwrap_err();
    assert_eq!(
        (kind.as_str(), &details["field"]),
        ("invalid_input", &json!("payment_terms"))
    );
    let (kind, details) = try_call(
        &s,
        "update_supplier",
        json!({"id": emzor, "is_active": false}),
    )
    .unwrap_err();
    assert_eq!(
        (kind.as_str(), &details["field"]),
        ("invalid_input", &json!("is_active"))
    );
    try_call(
        &s,
        "update_supplier",
        json!({"id": emzor, "account_number": "IKJ-0042", "is_preferred": true}),
    )
    .unwrap();

    // Version 2: new terms, and head office stops the vendor.
    let mut v2 = vendor("Net 60");
    v2["expected_version"] = json!(1);
    v2["status"] = json!("inactive");
    let (status, v) = put_at(&base, &token, &format!("vendors/{emzor}"), v2).await;
    assert_eq!((status, v["version"].as_i64()), (200, Some(2)), "{v}");
    // The store renames its own supplier: head office's vendor then lands.
    try_call(
        &s,
        "update_supplier",
        json!({"id": try_call(&s, "list_suppliers", json!({})).unwrap()
                   .as_array().unwrap().iter()
                   .find(|x| x["name"] == json!("Fidson Healthcare")).unwrap()["id"],
               "name": "Fidson Healthcare (old account)"}),
    )
    .unwrap();
    let r = sync(&s.path, s.id, &secret).await.unwrap();
    assert_eq!(
        (r.pull.catalogue_received, r.pull.applied, r.pull.failed),
        (1, 2, 0),
        "{r:?}"
    );
    let got = try_call(&s, "get_supplier", json!({"id": emzor})).unwrap();
    assert_eq!(
        (
            &got["payment_terms"],
            &got["is_active"],
            &got["account_number"],
            &got["is_preferred"]
        ),
        (
            &json!("Net 60"),
            &json!(false),
            &json!("IKJ-0042"),
            &json!(true)
        ),
        "head office's fields moved, the store's stayed: {got}"
    );
    assert_eq!(
        try_call(&s, "get_supplier", json!({"id": fidson})).unwrap()["payment_terms"],
        json!("COD")
    );
    // The admin list finds vendors by name.
    let list: Value = reqwest::Client::new()
        .get(format!("{base}/v1/admin/vendors?q=emz"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], json!(1), "{list}");
    assert_eq!(list["vendors"][0]["version"], json!(2));
}
