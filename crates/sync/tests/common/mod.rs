//! What the sync client's tests share: a demo store's file (the engine's
//! demo: a store with stock, users and a day of sales) and calls into it as
//! its users.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use pharmapos_engine::ids::StoreId;
use pharmapos_engine::{Db, OpenOptions, Session, SyncMode};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A demo store's file, its store and its admin.
pub struct Store {
    pub _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub id: StoreId,
}

pub fn demo() -> Store {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.sqlite");
    let summary = pharmapos_engine::demo::create(
        &path,
        pharmapos_engine::demo::DemoRequest { timezone: None },
        OpenOptions::default(),
    )
    .unwrap();
    Store {
        _dir: dir,
        path,
        id: summary.store_id,
    }
}

pub fn open(path: &Path) -> Db {
    // Many small writes: no fsync per commit (the data is throw-away).
    Db::open_with(
        path,
        OpenOptions {
            sync: SyncMode::Normal,
            ..OpenOptions::default()
        },
    )
    .unwrap()
}

pub fn call(db: &mut Db, user: &str, name: &str, req: Value) -> Value {
    let session: Session = pharmapos_engine::auth::session_for_name(db, user).unwrap();
    pharmapos_commands::dispatch(db, &session, name, req).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn configure(s: &Store, url: &str) {
    let mut db = open(&s.path);
    call(
        &mut db,
        "Demo Admin",
        "configure_sync",
        json!({"store_id": s.id, "server_url": url}),
    );
}

pub fn status(s: &Store) -> Value {
    let mut db = open(&s.path);
    call(
        &mut db,
        "Demo Cashier",
        "get_sync_status",
        json!({"store_id": s.id}),
    )
}

pub fn local_head(s: &Store) -> (i64, String) {
    let mut db = open(&s.path);
    let head = db
        .read(|tx| pharmapos_engine::audit::chain_head(tx, s.id))
        .unwrap()
        .unwrap();
    (head.seq, head.hash)
}

/// A new store in a file of its own: Ikeja (code IKEJA, Africa/Lagos), its
/// admin "Ike Admin" (no PIN: tests act as them by name).
pub fn ikeja() -> Store {
    new_store("Ikeja Pharmacy", "IKEJA", "Ike Admin")
}

/// A new store named `name` (code `code`, Africa/Lagos) in a file of its
/// own, with one user, its admin `admin` (no PIN).
pub fn new_store(name: &str, code: &str, admin: &str) -> Store {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("{}.sqlite", code.to_lowercase()));
    let mut db = open(&path);
    let r = pharmapos_engine::setup::initialize(
        &mut db,
        pharmapos_engine::setup::InitRequest {
            store_name: name.into(),
            store_code: Some(code.into()),
            timezone: Some("Africa/Lagos".into()),
            currency: None,
            locale: None,
            admin_name: admin.into(),
            admin_pin: None,
        },
    )
    .unwrap();
    Store {
        _dir: dir,
        path,
        id: r.store_id,
    }
}

/// Head office's input for `product` as the demo store's file has it (its
/// SKU, name, unit, price…): how a chain's catalogue starts from its first
/// store.
pub fn product_input(path: &Path, product: &str) -> pharmapos_server::ProductInput {
    let p = {
        let mut db = open(path);
        call(&mut db, "Demo Admin", "get_product", json!({"id": product}))
    };
    let text = |k: &str| p[k].as_str().map(str::to_string);
    pharmapos_server::ProductInput {
        expected_version: None,
        sku: text("sku").unwrap(),
        name: text("name").unwrap(),
        generic_name: text("generic_name"),
        brand: text("brand"),
        description: text("description"),
        category: text("category").unwrap(),
        nafdac_number: text("nafdac_number"),
        barcodes: serde_json::from_value(p["barcodes"].clone()).unwrap(),
        unit: text("unit").unwrap(),
        allow_fractional: p["allow_fractional"].as_bool().unwrap(),
        prescription_only: p["prescription_only"].as_bool().unwrap(),
        selling_price: text("selling_price").unwrap(),
        tax_rate: text("tax_rate").unwrap(),
        status: "active".into(),
    }
}

/// How many events of `kind` the store's record holds.
pub fn events_of(path: &Path, store: StoreId, kind: &str) -> usize {
    let mut db = open(path);
    db.read(|tx| {
        Ok(tx.query_row(
            "SELECT COUNT(*) FROM inventory_audit WHERE store_id = ?1 AND change_type = ?2",
            rusqlite::params![store, kind],
            |r| r.get::<_, i64>(0),
        )?)
    })
    .unwrap() as usize
}

/// A transfer as `user` of the file sees it.
pub fn transfer(path: &Path, user: &str, id: &str) -> Value {
    let mut db = open(path);
    call(&mut db, user, "get_transfer", json!({"transfer_id": id}))
}

/// Head office publishes `product` as the file at `path` has it (its id,
/// SKU, name, unit, price): how a chain's catalogue starts from its first
/// store.
pub async fn publish_from(pool: &pharmapos_server::Pool, path: &Path, product: &str) {
    pharmapos_server::publish_product(pool, "hq", product, product_input(path, product))
        .await
        .unwrap();
}
