//! A store offline for a week of busy sales catches up: the engine's demo
//! store (its record pushed first, as a store that synced until the
//! network went), then a week of till sales made through the till's own
//! operations (open cart, add lines, complete with exact cash), then one
//! timed `pharmapos_sync::sync` — the push of the week's record and the pull
//! after it — against a real server over a real PostgreSQL (the test
//! harness's throw-away cluster: fsync and full-page writes off, or on with
//! `PG_DURABLE=1`).
//!
//! ```text
//! cargo bench -p pharmapos-sync --bench catch_up -- [SALES_PER_DAY] [LINES] [DAYS]
//! ```
//! Defaults: 400 sales a day of 2 lines, 7 days.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_engine::{Db, OpenOptions, Session, SyncMode};
use pharmapos_server::testing::{serve, Pg};
use serde_json::{json, Value};
use std::time::Instant;

fn call(db: &mut Db, session: &Session, name: &str, req: Value) -> Value {
    pharmapos_commands::dispatch(db, session, name, req).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.parse().unwrap())
        .collect();
    let per_day = args.first().copied().unwrap_or(400);
    let lines = args.get(1).copied().unwrap_or(2);
    let days = args.get(2).copied().unwrap_or(7);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.sqlite");
    let store = pharmapos_engine::demo::create(
        &path,
        pharmapos_engine::demo::DemoRequest { timezone: None },
        OpenOptions::default(),
    )
    .unwrap()
    .store_id;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async move {
        let pg = Pg::start();
        let url = pg.database("bench_catch_up").await;
        let base = serve(&url).await;
        let pool = pharmapos_server::pool(&url).unwrap();
        let secret = pharmapos_server::add_store(&pool, &store.to_string(), "Lekki Pharmacy")
            .await
            .unwrap();
        let mut db = Db::open_with(
            &path,
            OpenOptions {
                sync: SyncMode::Normal,
                ..OpenOptions::default()
            },
        )
        .unwrap();
        let admin = pharmapos_engine::auth::session_for_name(&db, "Demo Admin").unwrap();
        call(
            &mut db,
            &admin,
            "configure_sync",
            json!({"store_id": store, "server_url": base}),
        );
        // Synced until the network went.
        pharmapos_sync::sync(&path, store, &secret).await.unwrap();

        // Stock for a week: a large batch of every whole-unit product.
        let (supplier, products): (String, Vec<String>) = db
            .read(|tx| {
                let supplier = tx.query_row("SELECT id FROM suppliers LIMIT 1", [], |r| r.get(0))?;
                let mut stmt = tx.prepare(
                    "SELECT id FROM products WHERE allow_fractional = 0 AND prescription_only = 0
                        AND status = 'active' AND deleted_at IS NULL ORDER BY sku",
                )?;
                let ids = stmt
                    .query_map([], |r| r.get(0))?
                    .collect::<rusqlite::Result<Vec<String>>>()?;
                Ok((supplier, ids))
            })
            .unwrap();
        let expiry = (chrono::Utc::now() + chrono::Duration::days(700))
            .format("%Y-%m-%d")
            .to_string();
        for (i, p) in products.iter().enumerate() {
            call(
                &mut db,
                &admin,
                "receive_stock",
                json!({"product_id": p, "batch_number": format!("WEEK-{i}"), "quantity": "100000",
                       "expiry_date": expiry, "cost_price": "10", "supplier_id": supplier}),
            );
        }
        let before = pharmapos_engine::sync::status_of(&mut db, store).unwrap();

        // The week, offline.
        let cashier = pharmapos_engine::auth::session_for_name(&db, "Demo Cashier").unwrap();
        call(
            &mut db,
            &cashier,
            "open_shift",
            json!({"terminal_id": "BENCH-1", "opening_float": "100"}),
        );
        let made = Instant::now();
        let mut n = 0usize;
        for _ in 0..per_day * days {
            let cart = call(&mut db, &cashier, "open_cart", json!({"terminal_id": "BENCH-1"}));
            let mut view = Value::Null;
            for l in 0..lines {
                let p = &products[(n * lines + l) % products.len()];
                view = call(
                    &mut db,
                    &cashier,
                    "add_cart_line",
                    json!({"cart_id": cart["cart_id"], "product_id": p, "quantity": "1"}),
                );
            }
            call(
                &mut db,
                &cashier,
                "complete_sale",
                json!({"sale_id": pharmapos_engine::ids::SaleId::new(), "cart_id": cart["cart_id"],
                       "payments": [{"tender": "cash", "amount": view["totals"]["total"]}]}),
            );
            n += 1;
        }
        let status = pharmapos_engine::sync::status_of(&mut db, store).unwrap();
        drop(db);
        println!(
            "a week offline: {n} sales of {lines} lines made in {:.1} s; backlog {} events ({} before the week's stock)",
            made.elapsed().as_secs_f64(),
            status.backlog,
            before.backlog
        );

        // Back online: one sync.
        let started = Instant::now();
        let report = pharmapos_sync::sync(&path, store, &secret).await.unwrap();
        let took = started.elapsed().as_secs_f64();
        assert_eq!(report.push.backlog, 0);
        println!(
            "catch-up: {} events pushed in {} batches, then pulled, in {took:.2} s ({:.0} events/s)",
            report.push.events_sent,
            report.push.batches,
            report.push.events_sent as f64 / took
        );
    });
}
