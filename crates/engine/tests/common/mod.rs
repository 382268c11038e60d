//! Shared fixtures for the engine's integration tests.
//!
//! Every test gets its own migrated SQLite file in a temp directory, copied
//! from a template that is built once per test binary (store A in
//! Africa/Lagos, an admin, a manager and a cashier with PINs, one active
//! supplier), so argon2 PIN hashing and the migrations run once, not per test.
//! The clock is fixed at [`NOW`] (2026-01-01 11:00 in Lagos), so "today" is
//! 2026-01-01 for every test unless it moves the clock.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::products::{CreateProduct, ProductCategory, ProductFields};
use pharmapos_engine::catalogue::suppliers::{CreateSupplier, SupplierFields};
use pharmapos_engine::catalogue::users::CreateUser;
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::ids::{BatchId, ProductId, StoreId, SupplierId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::setup::{initialize, InitRequest};
use pharmapos_engine::stock::queries::{GetBatch, GetStoreInventory};
use pharmapos_engine::stock::receive::{ReceiveResult, ReceiveStock};
use pharmapos_engine::stock::BatchView;
use pharmapos_engine::{Db, OpenOptions, Operation, Session, SyncMode};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The store's time zone (UTC+1, no DST).
pub const TZ: &str = "Africa/Lagos";
pub const ADMIN: &str = "ada";
pub const ADMIN_PIN: &str = "1111";
pub const MANAGER: &str = "mike";
pub const MANAGER_PIN: &str = "2222";
pub const CASHIER: &str = "cate";
pub const CASHIER_PIN: &str = "3333";

/// The fixed "now": 2026-01-01T10:00:00Z, i.e. 11:00 on 2026-01-01 in Lagos.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap()
}

/// The store's local "today" at [`now`].
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// `today() + days`.
pub fn day(days: i64) -> NaiveDate {
    today() + Duration::days(days)
}

/// Shorthand for a quantity from text ("12.5").
pub fn q(s: &str) -> Qty {
    s.parse().unwrap()
}

/// Shorthand for a whole quantity.
pub fn qi(n: i64) -> Qty {
    Qty::from(n)
}

/// Ids of everything the template holds.
#[derive(Clone, Debug)]
struct Template {
    path: PathBuf,
    store: StoreId,
    admin: Session,
    manager: Session,
    cashier: Session,
    supplier: SupplierId,
    _dir: Arc<tempfile::TempDir>,
}

static TEMPLATE: OnceLock<Template> = OnceLock::new();

fn template() -> &'static Template {
    TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.db");
        let mut db = open(&path);
        let init = initialize(
            &mut db,
            InitRequest {
                store_name: "Store A".into(),
                store_code: Some("STA".into()),
                timezone: Some(TZ.into()),
                currency: None,
                locale: None,
                admin_name: ADMIN.into(),
                admin_pin: Some(ADMIN_PIN.into()),
            },
        )
        .unwrap();
        let admin = Session {
            user_id: init.user_id,
        };
        let mk = |db: &mut Db, name: &str, role: Role, pin: &str| {
            let u = db
                .execute(
                    &admin,
                    CreateUser {
                        name: name.into(),
                        role,
                        pin: Some(pin.into()),
                        store_id: Some(init.store_id),
                        stores: None,
                        head_office: None,
                    },
                )
                .unwrap();
            Session { user_id: u.id }
        };
        let manager = mk(&mut db, MANAGER, Role::Manager, MANAGER_PIN);
        let cashier = mk(&mut db, CASHIER, Role::Cashier, CASHIER_PIN);
        let supplier = db
            .execute(
                &admin,
                CreateSupplier {
                    name: "Emzor Distribution".into(),
                    fields: SupplierFields::default(),
                },
            )
            .unwrap()
            .id;
        drop(db); // last connection closed: the WAL is checkpointed into the file
        Template {
            path,
            store: init.store_id,
            admin,
            manager,
            cashier,
            supplier,
            _dir: Arc::new(dir),
        }
    })
}

/// Opens `path` with full durability and the fixed clock.
pub fn open(path: &Path) -> Db {
    Db::open_with(
        path,
        OpenOptions {
            sync: SyncMode::Full,
            clock: Arc::new(FixedClock(now())),
        },
    )
    .unwrap()
}

/// One test's world: its own database file and the template's people.
pub struct Fx {
    pub db: Db,
    pub path: PathBuf,
    pub store: StoreId,
    pub admin: Session,
    pub manager: Session,
    pub cashier: Session,
    pub supplier: SupplierId,
    pub dir: tempfile::TempDir,
}

/// A fresh copy of store A: Africa/Lagos, admin/manager/cashier with PINs,
/// one active supplier, no products, clock at [`now`].
pub fn store_a() -> Fx {
    let t = template();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    std::fs::copy(&t.path, &path).unwrap();
    for ext in ["-wal", "-shm"] {
        let src = PathBuf::from(format!("{}{ext}", t.path.display()));
        if src.exists() {
            std::fs::copy(&src, format!("{}{ext}", path.display())).unwrap();
        }
    }
    let db = open(&path);
    Fx {
        db,
        path,
        store: t.store,
        admin: t.admin,
        manager: t.manager,
        cashier: t.cashier,
        supplier: t.supplier,
        dir,
    }
}

impl Fx {
    /// Runs an operation as the admin, panicking on error.
    pub fn run<O: Operation>(&mut self, op: O) -> O::Output {
        let s = self.admin;
        match self.db.execute(&s, op) {
            Ok(o) => o,
            Err(e) => panic!("{} failed: {e} ({})", O::NAME, e.to_json()),
        }
    }

    /// Runs an operation as `who`.
    pub fn as_user<O: Operation>(
        &mut self,
        who: Session,
        op: O,
    ) -> pharmapos_engine::Result<O::Output> {
        self.db.execute(&who, op)
    }

    /// Moves the clock.
    pub fn set_now(&mut self, t: DateTime<Utc>) {
        self.db.set_clock(Arc::new(FixedClock(t)));
    }

    /// Creates a product with the given fields.
    pub fn product(&mut self, sku: &str, name: &str, fields: ProductFields) -> ProductId {
        self.run(CreateProduct {
            sku: sku.into(),
            name: name.into(),
            fields,
        })
        .id
    }

    /// Paracetamol 500 mg tablets: whole units only, cost 0.05 each.
    pub fn paracetamol(&mut self) -> ProductId {
        self.product(
            "PCM-500",
            "Paracetamol 500mg",
            ProductFields {
                category: Some(ProductCategory::Medicine),
                unit: Some("tablet".into()),
                allow_fractional: Some(false),
                barcodes: Some(vec!["6151100012345".into()]),
                cost_price: Some("0.05".parse::<Money>().unwrap()),
                selling_price: Some("0.20".parse::<Money>().unwrap()),
                ..Default::default()
            },
        )
    }

    /// Botox 100U: a neurotoxin counted in units, fractions allowed.
    pub fn botox(&mut self) -> ProductId {
        self.product(
            "BTX-100",
            "Botox 100U",
            ProductFields {
                category: Some(ProductCategory::Neurotoxin),
                unit: Some("unit".into()),
                allow_fractional: Some(true),
                cost_price: Some("2.50".parse::<Money>().unwrap()),
                ..Default::default()
            },
        )
    }

    /// The receive request for a batch (edit fields before running it).
    pub fn receive_req(
        &self,
        product: ProductId,
        batch: &str,
        expiry: NaiveDate,
        qty: Qty,
    ) -> ReceiveStock {
        ReceiveStock {
            product_id: product,
            store_id: None,
            batch_number: batch.into(),
            quantity: qty,
            expiry_date: Some(expiry),
            manufacture_date: None,
            serial_number: None,
            cost_price: None,
            supplier_id: self.supplier,
            reference_number: None,
            location: None,
            storage_location_id: None,
            notes: None,
        }
    }

    /// Receives a batch as the admin.
    pub fn receive(
        &mut self,
        product: ProductId,
        batch: &str,
        expiry: NaiveDate,
        qty: i64,
    ) -> BatchId {
        self.receive_full(product, batch, expiry, qi(qty)).batch_id
    }

    /// Receives a batch as the admin and returns the whole result.
    pub fn receive_full(
        &mut self,
        product: ProductId,
        batch: &str,
        expiry: NaiveDate,
        qty: Qty,
    ) -> ReceiveResult {
        let req = self.receive_req(product, batch, expiry, qty);
        self.run(req)
    }

    /// Receives a batch that is already past its expiry date "today": the
    /// delivery is booked with the clock a year earlier (receiving expired
    /// stock is refused), then the clock comes back.
    pub fn receive_backdated(
        &mut self,
        product: ProductId,
        batch: &str,
        expiry: NaiveDate,
        qty: i64,
    ) -> BatchId {
        self.set_now(now() - Duration::days(365));
        let id = self.receive(product, batch, expiry, qty);
        self.set_now(now());
        id
    }

    /// One batch as seen now.
    pub fn batch(&mut self, id: BatchId) -> BatchView {
        self.run(GetBatch { batch_id: id })
    }

    /// On-hand of a batch.
    pub fn on_hand(&mut self, id: BatchId) -> Qty {
        self.batch(id).quantity
    }

    /// Every batch of the store, empty ones included, FEFO order.
    pub fn inventory(&mut self) -> Vec<BatchView> {
        self.run(GetStoreInventory {
            store_id: None,
            product_id: None,
            include_empty: Some(true),
        })
    }

    /// Number of audit events in the file.
    pub fn event_count(&self) -> i64 {
        self.raw()
            .query_row("SELECT COUNT(*) FROM inventory_audit", [], |r| r.get(0))
            .unwrap()
    }

    /// A plain rusqlite connection on the test's file (reads, tampering).
    pub fn raw(&self) -> rusqlite::Connection {
        let c = rusqlite::Connection::open(&self.path).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(30)).unwrap();
        c
    }

    /// `verify()` must pass.
    pub fn assert_verified(&mut self) {
        let r = self.db.verify().unwrap();
        assert!(r.ok, "verify found problems: {:?}", r.problems);
        self.db.integrity_check().unwrap();
    }
}

/// Asserts that a result is an error of the given kind.
#[track_caller]
pub fn assert_kind<T: std::fmt::Debug>(
    r: pharmapos_engine::Result<T>,
    kind: &str,
) -> pharmapos_engine::Error {
    match r {
        Ok(v) => panic!("expected a {kind} error, got Ok({v:?})"),
        Err(e) => {
            assert_eq!(e.kind(), kind, "wrong error kind: {e} ({})", e.to_json());
            e
        }
    }
}
