//! A seeded, deterministic simulation of several stores, each in its own
//! database file, selling, transferring between each other (every
//! direction: a store that received stock ships it on) and syncing through a
//! real server over a real PostgreSQL, with faults injected between them:
//! the answer to a push lost and the server gone; the server gone before
//! anything is sent; a slow link while the store keeps selling during the
//! sync; the server crashing in the middle of a push (its runtime dropped
//! at once, as a killed process) and starting again. After every step:
//! - every store's record verifies (hash chains, stock recomputed from the
//!   ledger);
//! - the server holds each store's events 1…n, each once, n its head;
//! - each store's stock is conserved: what it holds changed by exactly what
//!   it received, less what it sold and shipped;
//! - each transfer arrived at its destination once, and a sender never
//!   records more received than its receiver did.
//!
//! At the end, with the faults gone, two rounds of syncs bring both sides of
//! every transfer to the same figures and leave nothing waiting.
//!
//! `SIM_SEEDS` seeds (default 200) of `SIM_STEPS` steps (default 24) with
//! `SIM_STORES` stores (default 3, at most 6) from `SIM_FIRST_SEED`
//! (default 1): a failing seed prints itself and runs again the same way
//! with `SIM_FIRST_SEED=<seed> SIM_SEEDS=1`. The choices replay exactly;
//! where a crash lands inside a push (before or after the server's commit)
//! is up to timing, and both outcomes must keep every invariant.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{call, demo, new_store, open, product_input, Store};
use pharmapos_engine::ids::StoreId;
use pharmapos_server::testing::{FaultProxy, Pg, Server};
use serde_json::{json, Value};
use std::path::Path;

/// splitmix64: the simulation's only source of choices.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map_or(default, |v| v.parse().expect("a number"))
}

const ON_HAND: &str =
    "SELECT SUM(on_hand_milli) FROM batches WHERE store_id = ?1 AND product_id = ?2";
const SOLD: &str = "SELECT SUM(previous_milli - new_milli) FROM inventory_audit
                     WHERE store_id = ?1 AND product_id = ?2 AND change_type = 'allocated'";
const SHIPPED: &str =
    "SELECT SUM(l.shipped_milli) FROM transfer_lots l JOIN transfers t ON t.id = l.transfer_id
                        JOIN transfer_items i ON i.id = l.item_id
                       WHERE t.from_store_id = ?1 AND i.product_id = ?2";
const RECEIVED: &str =
    "SELECT SUM(l.received_milli) FROM transfer_lots l JOIN transfers t ON t.id = l.transfer_id
                         JOIN transfer_items i ON i.id = l.item_id
                        WHERE t.to_store_id = ?1 AND i.product_id = ?2";

/// What one store's file says, read in one go (its record verified first).
struct Seen {
    /// The product held, sold, shipped out, received in.
    figures: [i64; 4],
    /// `transfer_incoming` events in its record, and transfers to it.
    arrivals: (i64, i64),
    /// Every transfer lot the file holds: (lot, received, discrepancy,
    /// whether this store sent it).
    lots: Vec<(String, i64, i64, bool)>,
    /// Transfers it sent.
    sent: i64,
}

fn look(n: &Node, admin: &str, product: &str) -> Seen {
    let mut db = open(&n.store.path);
    let v = call(&mut db, admin, "verify", json!({}));
    assert_eq!(v["ok"], json!(true), "{}: {v}", n.name);
    let store = n.store.id;
    db.read(|tx| {
        let sum = |sql: &str| {
            tx.query_row(sql, rusqlite::params![store, product], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map(|v| v.unwrap_or(0))
        };
        let count = |sql: &str| tx.query_row(sql, [store], |r| r.get::<_, i64>(0));
        let figures = [sum(ON_HAND)?, sum(SOLD)?, sum(SHIPPED)?, sum(RECEIVED)?];
        let arrivals = (
            count("SELECT COUNT(*) FROM inventory_audit WHERE store_id = ?1 AND change_type = 'transfer_incoming'")?,
            count("SELECT COUNT(*) FROM transfers WHERE to_store_id = ?1")?,
        );
        let sent = count("SELECT COUNT(*) FROM transfers WHERE from_store_id = ?1")?;
        let mut stmt = tx.prepare(
            "SELECT l.id, l.received_milli, l.discrepancy_milli, t.from_store_id = ?1
               FROM transfer_lots l JOIN transfers t ON t.id = l.transfer_id ORDER BY l.id",
        )?;
        let lots = stmt
            .query_map([store], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Seen {
            figures,
            arrivals,
            lots,
            sent,
        })
    })
    .unwrap()
}

/// The server holds events 1…n of `store`, each once, n its acknowledged head.
async fn server_holds(pg: &tokio_postgres::Client, store: StoreId) -> i64 {
    let id = store.to_string();
    let r = pg
        .query_one(
            "SELECT COUNT(*), COALESCE(MAX(seq), 0), (SELECT acked_seq FROM stores WHERE id = $1)
               FROM record_events WHERE store_id = $1",
            &[&id],
        )
        .await
        .unwrap();
    let (n, max, acked): (i64, i64, i64) = (r.get(0), r.get(1), r.get(2));
    assert_eq!(
        (n, max),
        (acked, acked),
        "server: count, max seq vs acknowledged"
    );
    acked
}

fn copy_store(template: &Store, name: &str) -> Store {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::copy(&template.path, &path).unwrap();
    Store {
        _dir: dir,
        path,
        id: template.id,
    }
}

/// The stores a run may have: name, code, the user who sells, the admin.
const STORES: [(&str, &str, &str); 6] = [
    ("Lekki", "LEKKI", "Demo Admin"),
    ("Ikeja", "IKEJA", "Ike Admin"),
    ("Yaba", "YABA", "Yaba Admin"),
    ("Ajah", "AJAH", "Ajah Admin"),
    ("Surulere", "SURU", "Suru Admin"),
    ("Ikoyi", "IKOYI", "Ikoyi Admin"),
];

/// One store of a seed: its file, its secret, who acts there, and its
/// stock figures when the seed started.
struct Node {
    name: &'static str,
    user: &'static str,
    store: Store,
    secret: String,
    at_start: [i64; 4],
}

/// The store's biggest batch of `product` that can be shipped, if any.
fn shippable_batch(s: &Store, product: &str) -> Option<String> {
    let mut db = open(&s.path);
    db.read(|tx| {
        Ok(tx
            .query_row(
                "SELECT batch_number FROM batches WHERE store_id = ?1 AND product_id = ?2
                    AND status = 'available' AND on_hand_milli >= 1000
                  ORDER BY on_hand_milli DESC, batch_number LIMIT 1",
                rusqlite::params![s.id, product],
                |r| r.get(0),
            )
            .ok())
    })
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_selling_transferring_and_syncing_through_faults_keep_every_invariant() {
    let seeds = env("SIM_SEEDS", 200);
    let first = env("SIM_FIRST_SEED", 1);
    let steps = env("SIM_STEPS", 24);
    let n_stores = usize::try_from(env("SIM_STORES", 3)).unwrap();
    assert!(
        (2..=STORES.len()).contains(&n_stores),
        "SIM_STORES is 2 to 6"
    );
    let pg = Pg::start();
    // Each seed starts from the same files: the demo store (Lekki, with
    // stock) and new, empty stores.
    let templates: Vec<Store> = STORES[..n_stores]
        .iter()
        .enumerate()
        .map(|(i, (name, code, admin))| {
            if i == 0 {
                demo()
            } else {
                new_store(&format!("{name} Pharmacy"), code, admin)
            }
        })
        .collect();
    let product: String = {
        let mut db = open(&templates[0].path);
        db.read(|tx| {
            Ok(tx.query_row(
                "SELECT product_id FROM batches WHERE store_id = ?1 AND status = 'available'
                    AND on_hand_milli >= 60000 AND expiry_date > date('now', '+60 days')
                  ORDER BY on_hand_milli DESC LIMIT 1",
                [templates[0].id],
                |r| r.get(0),
            )?)
        })
        .unwrap()
    };
    let input = product_input(&templates[0].path, &product);

    let mut tally = std::collections::BTreeMap::<&str, usize>::new();
    let mut transfers = 0i64;
    for seed in first..first + seeds {
        let url = pg.database(&format!("sim_{seed}")).await;
        let mut server = Server::start(&url, None).await;
        let proxy = FaultProxy::start(&server.url).await;
        let pool = pharmapos_server::pool(&url).unwrap();
        let (pgc, conn) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        pharmapos_server::add_admin(&pool, "hq").await.unwrap();
        pharmapos_server::publish_product(&pool, "hq", &product, input.clone())
            .await
            .unwrap();
        let mut nodes = Vec::new();
        for (i, t) in templates.iter().enumerate() {
            let (name, code, admin) = STORES[i];
            let store = copy_store(t, &format!("{}.sqlite", code.to_lowercase()));
            let secret = pharmapos_server::register_store(
                &pool,
                &pharmapos_server::NewStore {
                    id: store.id.to_string(),
                    name: format!("{name} Pharmacy"),
                    code: Some(code.into()),
                    timezone: None,
                    currency: None,
                },
            )
            .await
            .unwrap();
            call(
                &mut open(&store.path),
                admin,
                "configure_sync",
                json!({"store_id": store.id, "server_url": proxy.url}),
            );
            nodes.push(Node {
                name,
                user: if i == 0 { "Demo Cashier" } else { admin },
                store,
                secret,
                at_start: [0; 4],
            });
        }
        // Every store knows the others and the product before the first
        // transfer: each syncs once after all are registered.
        for n in &nodes {
            pharmapos_sync::sync(&n.store.path, n.store.id, &n.secret)
                .await
                .unwrap();
        }
        for (i, n) in nodes.iter_mut().enumerate() {
            n.at_start = look(n, STORES[i].2, &product).figures;
        }
        let mut rng = Rng(seed);
        let mut trace = Vec::new();
        for step in 0..steps {
            let ctx =
                |trace: &[String]| format!("seed {seed} step {step}, after: {}", trace.join("; "));
            let op = rng.below(14);
            let what = match op {
                0..=1 => {
                    let n = &nodes[rng.below(nodes.len() as u64) as usize];
                    format!(
                        "sell 1 at {}: {}",
                        n.name,
                        sell(n, &product, &format!("sim-{seed}-{step}"))
                    )
                }
                2..=4 => {
                    // From a store that holds some (the first has it all
                    // at the start; stores that received ship it on).
                    let stocked: Vec<(usize, String)> = nodes
                        .iter()
                        .enumerate()
                        .filter_map(|(i, n)| shippable_batch(&n.store, &product).map(|b| (i, b)))
                        .collect();
                    let pick = (!stocked.is_empty())
                        .then(|| stocked[rng.below(stocked.len() as u64) as usize].clone());
                    let from = pick.as_ref().map_or(0, |p| p.0);
                    let to = (from + 1 + rng.below(nodes.len() as u64 - 1) as usize) % nodes.len();
                    let q = 1 + rng.below(5);
                    let (a, b) = (&nodes[from], &nodes[to]);
                    match pick {
                        None => "no store has any to ship".to_string(),
                        Some((_, batch)) => {
                            let out = try_call(
                                &a.store.path,
                                STORES[from].2,
                                "initiate_transfer",
                                json!({"from_store_id": a.store.id, "to_store_id": b.store.id,
                                       "product_id": product, "batch_number": batch,
                                       "quantity": q.to_string()}),
                            );
                            match out {
                                Ok(_) => {
                                    if from != 0 {
                                        *tally
                                            .entry("shipped on by a store that received")
                                            .or_default() += 1;
                                    }
                                    format!("ship {q} {} → {}", a.name, b.name)
                                }
                                // The batch ran low: refused, nothing changed (checked below).
                                Err(kind) if kind == "insufficient_stock" => {
                                    format!("ship {q} {} → {}: refused, {kind}", a.name, b.name)
                                }
                                Err(kind) => panic!("{}: ship refused: {kind}", ctx(&trace)),
                            }
                        }
                    }
                }
                5..=6 => {
                    let i = rng.below(nodes.len() as u64) as usize;
                    let n = &nodes[i];
                    let waiting: Option<(String, i64)> = {
                        let mut db = open(&n.store.path);
                        db.read(|tx| {
                            Ok(tx
                                .query_row(
                                    "SELECT t.id, SUM(l.shipped_milli) FROM transfers t JOIN transfer_lots l ON l.transfer_id = t.id
                                      WHERE t.status = 'in_transit' AND t.to_store_id = ?1
                                      GROUP BY t.id ORDER BY t.id LIMIT 1",
                                    [n.store.id],
                                    |r| Ok((r.get(0)?, r.get(1)?)),
                                )
                                .ok())
                        })
                        .unwrap()
                    };
                    match waiting {
                        Some((id, shipped)) => {
                            // Sometimes short: one unit never arrives.
                            let short = rng.below(3) == 0 && shipped > 1000;
                            let got = if short { shipped - 1000 } else { shipped };
                            call(
                                &mut open(&n.store.path),
                                STORES[i].2,
                                "receive_transfer",
                                json!({"transfer_id": id, "received_quantity": (got / 1000).to_string(), "close": true}),
                            );
                            format!(
                                "{} receives {}{}",
                                n.name,
                                got / 1000,
                                if short { " (1 short)" } else { "" }
                            )
                        }
                        None => format!("{} has nothing to receive", n.name),
                    }
                }
                _ => {
                    let n = &nodes[rng.below(nodes.len() as u64) as usize];
                    let fault = rng.below(6);
                    let (label, out) = match fault {
                        1 => {
                            proxy.cut_after_pushes(0);
                            ("answer lost, then down", sync_of(n).await)
                        }
                        2 => {
                            proxy.go_down();
                            ("server down", sync_of(n).await)
                        }
                        3 => {
                            // A slow link, and the till sells while the sync runs.
                            proxy.slow(std::time::Duration::from_millis(3));
                            let running = tokio::spawn(sync_owned(n));
                            let sold = sell(n, &product, &format!("sim-{seed}-{step}-during"));
                            let out = running.await.unwrap();
                            assert!(
                                sold == "ok" || sold == "insufficient_stock",
                                "the till was held up by the sync: {sold}; {}",
                                ctx(&trace)
                            );
                            ("slow link, a sale meanwhile", out)
                        }
                        4 => {
                            // The server crashes once a push reached it
                            // (committed or not, as timing has it), then
                            // starts again.
                            let before = proxy.pushes_forwarded();
                            let running = tokio::spawn(sync_owned(n));
                            let deadline =
                                std::time::Instant::now() + std::time::Duration::from_secs(10);
                            while proxy.pushes_forwarded() == before
                                && !running.is_finished()
                                && std::time::Instant::now() < deadline
                            {
                                tokio::time::sleep(std::time::Duration::from_micros(200)).await;
                            }
                            tokio::time::sleep(std::time::Duration::from_micros(rng.below(3000)))
                                .await;
                            server.crash();
                            let out = running.await.unwrap();
                            server.start_again().await;
                            ("server crashed mid-push, restarted", out)
                        }
                        _ => ("", sync_of(n).await),
                    };
                    proxy.restore();
                    match &out {
                        Ok(_) => {}
                        Err(e) if fault != 0 && fault != 5 && e.retryable() => {}
                        Err(e) => panic!(
                            "{}: sync of {} failed: {e} (fault: {label})",
                            ctx(&trace),
                            n.name
                        ),
                    }
                    *tally
                        .entry(if label.is_empty() { "clean" } else { label })
                        .or_default() += 1;
                    format!(
                        "sync {}{}: {}",
                        n.name,
                        if label.is_empty() {
                            String::new()
                        } else {
                            format!(" ({label})")
                        },
                        if out.is_ok() {
                            "ok"
                        } else {
                            "failed, retryable"
                        }
                    )
                }
            };
            trace.push(what);
            let ctx = ctx(&trace);

            // Invariants.
            let seen: Vec<Seen> = nodes
                .iter()
                .enumerate()
                .map(|(i, n)| look(n, STORES[i].2, &product))
                .collect();
            for (n, seen) in nodes.iter().zip(&seen) {
                server_holds(&pgc, n.store.id).await;
                let [held, sold, shipped, received] = seen.figures;
                let [held0, sold0, shipped0, received0] = n.at_start;
                assert_eq!(
                    held - held0,
                    (received - received0) - (sold - sold0) - (shipped - shipped0),
                    "{}'s stock conserved: {ctx}",
                    n.name
                );
                assert_eq!(
                    seen.arrivals.0, seen.arrivals.1,
                    "each transfer arrived at {} once: {ctx}",
                    n.name
                );
            }
            // A sender never knows of more received than its receiver.
            for (n, mine) in nodes.iter().zip(&seen) {
                for (lot, received, _, sent) in &mine.lots {
                    if !sent {
                        continue;
                    }
                    for (other, theirs) in nodes.iter().zip(&seen) {
                        if let Some(t) = theirs.lots.iter().find(|l| &l.0 == lot && !l.3) {
                            assert!(
                                *received <= t.1,
                                "{} ahead of {} on lot {lot}: {ctx}",
                                n.name,
                                other.name
                            );
                        }
                    }
                }
            }
        }

        // The faults gone: everything converges.
        for _ in 0..2 {
            for n in &nodes {
                sync_of(n)
                    .await
                    .unwrap_or_else(|e| panic!("seed {seed}: {e}"));
            }
        }
        let ctx = format!("seed {seed}, after: {}", trace.join("; "));
        let seen: Vec<Seen> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| look(n, STORES[i].2, &product))
            .collect();
        let mut sides = std::collections::BTreeMap::<&str, Vec<(i64, i64)>>::new();
        for s in &seen {
            for (lot, received, discrepancy, _) in &s.lots {
                sides
                    .entry(lot)
                    .or_default()
                    .push((*received, *discrepancy));
            }
        }
        for (lot, both) in sides {
            assert_eq!(both.len(), 2, "lot {lot} in its two stores' files: {ctx}");
            assert_eq!(both[0], both[1], "both sides of lot {lot} agree: {ctx}");
        }
        transfers += seen.iter().map(|s| s.sent).sum::<i64>();
        *tally.entry("received short").or_default() +=
            trace.iter().filter(|t| t.contains("short")).count();
        *tally
            .entry("syncs failed by a fault and recovered")
            .or_default() += trace.iter().filter(|t| t.contains("failed")).count();
        for n in &nodes {
            let st =
                pharmapos_engine::sync::status_of(&mut open(&n.store.path), n.store.id).unwrap();
            assert_eq!((st.backlog, st.inbox_waiting), (0, 0), "{}: {ctx}", n.name);
            assert_eq!(
                server_holds(&pgc, n.store.id).await,
                st.local_head_seq,
                "{ctx}"
            );
        }
        // The seed's database goes, with the connections its server keeps
        // (a cluster allows 100).
        server.crash();
        drop(pgc);
        drop(pool);
        let (admin, conn) = tokio_postgres::connect(&pg.url("postgres"), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        admin
            .execute(&format!("DROP DATABASE sim_{seed} WITH (FORCE)"), &[])
            .await
            .unwrap();
    }
    println!(
        "simulation: seeds {first}..{}, {steps} steps each, {n_stores} stores: {transfers} transfers; {tally:?}",
        first + seeds - 1
    );
}

/// One sale of 1 at `n`: "ok", or the refusal's kind (nothing left).
fn sell(n: &Node, product: &str, reference: &str) -> String {
    match try_call(
        &n.store.path,
        n.user,
        "allocate_stock_for_sale",
        json!({"product_id": product, "store_id": n.store.id, "quantity": "1",
               "reference_id": reference}),
    ) {
        Ok(_) => "ok".into(),
        Err(kind) if kind == "insufficient_stock" => kind,
        Err(kind) => panic!("a sale at {} refused: {kind}", n.name),
    }
}

async fn sync_of(n: &Node) -> Result<pharmapos_sync::SyncReport, pharmapos_sync::SyncError> {
    pharmapos_sync::sync(&n.store.path, n.store.id, &n.secret).await
}

/// [`sync_of`] as a task of its own.
fn sync_owned(
    n: &Node,
) -> impl std::future::Future<Output = Result<pharmapos_sync::SyncReport, pharmapos_sync::SyncError>>
       + Send
       + 'static {
    let (path, id, secret) = (n.store.path.clone(), n.store.id, n.secret.clone());
    async move { pharmapos_sync::sync(&path, id, &secret).await }
}

/// Runs `name` as `user`; the refusal's kind when refused.
fn try_call(path: &Path, user: &str, name: &str, req: Value) -> Result<Value, String> {
    let mut db = open(path);
    let session = pharmapos_engine::auth::session_for_name(&db, user).unwrap();
    pharmapos_commands::dispatch(&mut db, &session, name, req).map_err(|e| e.kind().to_string())
}
