//! Property tests: random sequences of stock operations on a few products
//! and batches whose expiries straddle "today", with the clock moving
//! forward now and then. After every operation:
//! - no batch is negative and `reserved <= on_hand`;
//! - every batch's on-hand equals a model kept from the operations' own
//!   results (receipts add, allocations/confirmations/adjustments/write-offs
//!   take away; refused operations change nothing);
//! - every allocation took batches in FEFO order (non-decreasing expiry),
//!   never an expired, quarantined, recalled or damaged one, never more than
//!   was free, and skipped no sellable batch of nearer expiry;
//! - business refusals are the only errors (never storage or internal);
//!
//! and at the end `verify` passes (hash chain and conservation) and SQLite's
//! integrity check is clean.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use pharmapos_engine::ids::{BatchId, ProductId, ReservationId};
use pharmapos_engine::num::Qty;
use pharmapos_engine::stock::adjust::{AdjustStock, AdjustmentReason, WriteoffBatch};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::expiry::ExpireBatchesWithinDays;
use pharmapos_engine::stock::reservations::{ConfirmReservation, ReleaseReservation, ReserveStock};
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::{BatchStatus, BatchView};
use proptest::prelude::*;
use std::collections::HashMap;

/// Business refusals a random sequence may legitimately run into.
const ALLOWED: &[&str] = &[
    "insufficient_stock",
    "conflict",
    "batch_not_sellable",
    "batch_empty",
    "batch_status_unchanged",
    "batch_not_quarantined",
    "reservation_not_active",
];

#[derive(Clone, Debug)]
enum Op {
    /// Receive into batch number `number` of `product`, expiring `expiry` days from today.
    Receive {
        product: usize,
        number: u8,
        expiry: i64,
        qty: u32,
        half: bool,
    },
    Allocate {
        product: usize,
        qty: u32,
        half: bool,
        allow_partial: bool,
    },
    Adjust {
        batch: usize,
        delta: i32,
    },
    Writeoff {
        batch: usize,
    },
    Reserve {
        batch: usize,
        qty: u32,
    },
    Release {
        hold: usize,
    },
    Confirm {
        hold: usize,
    },
    Expire {
        days: i64,
    },
    SetStatus {
        batch: usize,
        status: BatchStatus,
    },
    NextDays {
        days: i64,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, 0..6u8, 0..25i64, 1..30u32, any::<bool>())
            .prop_map(|(product, number, expiry, qty, half)| Op::Receive { product, number, expiry, qty, half }),
        5 => (0..2usize, 1..15u32, any::<bool>(), any::<bool>())
            .prop_map(|(product, qty, half, allow_partial)| Op::Allocate { product, qty, half, allow_partial }),
        2 => (any::<usize>(), -12..12i32).prop_filter("non-zero", |(_, d)| *d != 0).prop_map(|(batch, delta)| Op::Adjust { batch, delta }),
        1 => any::<usize>().prop_map(|batch| Op::Writeoff { batch }),
        3 => (any::<usize>(), 1..8u32).prop_map(|(batch, qty)| Op::Reserve { batch, qty }),
        2 => any::<usize>().prop_map(|hold| Op::Release { hold }),
        2 => any::<usize>().prop_map(|hold| Op::Confirm { hold }),
        1 => (0..5i64).prop_map(|days| Op::Expire { days }),
        2 => (
            any::<usize>(),
            prop_oneof![Just(BatchStatus::Quarantine), Just(BatchStatus::Available), Just(BatchStatus::Recalled), Just(BatchStatus::Damaged)]
        )
            .prop_map(|(batch, status)| Op::SetStatus { batch, status }),
        1 => (1..4i64).prop_map(|days| Op::NextDays { days }),
    ]
}

/// Initial batches: (product, expiry offset from today, quantity).
fn initial() -> impl Strategy<Value = Vec<(usize, i64, u32)>> {
    prop::collection::vec((0..2usize, -10..20i64, 1..30u32), 1..6)
}

struct World {
    fx: Fx,
    products: [ProductId; 2],
    batches: Vec<BatchId>,
    holds: Vec<ReservationId>,
    model: HashMap<BatchId, i64>,
    offset: i64,
}

fn milli(q: Qty) -> i64 {
    q.to_scaled("q").unwrap()
}

fn qty(n: u32, half: bool, product: usize) -> Qty {
    // Product 1 is botox (fractions allowed); product 0 is paracetamol.
    if half && product == 1 {
        Qty::from_scaled(i64::from(n) * 1000 + 500)
    } else {
        Qty::from(i64::from(n))
    }
}

fn expiry_key(b: &BatchView) -> String {
    b.expiry_date.clone().unwrap_or_else(|| "9999-12-31".into())
}

impl World {
    fn today(&self) -> String {
        day(self.offset).to_string()
    }

    fn snapshot(&mut self) -> HashMap<BatchId, BatchView> {
        self.fx
            .inventory()
            .into_iter()
            .map(|b| (b.batch_id, b))
            .collect()
    }

    fn pick(&self, i: usize) -> Option<BatchId> {
        (!self.batches.is_empty()).then(|| self.batches[i % self.batches.len()])
    }

    fn pick_hold(&self, i: usize) -> Option<ReservationId> {
        (!self.holds.is_empty()).then(|| self.holds[i % self.holds.len()])
    }

    fn check_invariants(&mut self) -> Result<(), TestCaseError> {
        let snap = self.snapshot();
        prop_assert_eq!(snap.len(), self.batches.len());
        for (id, b) in &snap {
            let on_hand = milli(b.quantity);
            prop_assert!(
                on_hand >= 0,
                "batch {} negative: {}",
                b.batch_number,
                b.quantity
            );
            prop_assert!(
                b.reserved <= b.quantity,
                "batch {} reserves {} of {}",
                b.batch_number,
                b.reserved,
                b.quantity
            );
            prop_assert_eq!(
                Some(&on_hand),
                self.model.get(id),
                "batch {} on-hand differs from the model",
                b.batch_number
            );
        }
        Ok(())
    }

    fn apply(&mut self, op: &Op) -> Result<(), TestCaseError> {
        let admin = self.fx.admin;
        let before = self.snapshot();
        let result: pharmapos_engine::Result<()> = match *op {
            Op::Receive {
                product,
                number,
                expiry,
                qty: n,
                half,
            } => {
                let req = self.fx.receive_req(
                    self.products[product],
                    &format!("P{product}-B{number}"),
                    day(self.offset + expiry),
                    qty(n, half, product),
                );
                self.fx.as_user(admin, req).map(|r| {
                    if !self.batches.contains(&r.batch_id) {
                        self.batches.push(r.batch_id);
                    }
                    *self.model.entry(r.batch_id).or_insert(0) += milli(r.quantity);
                })
            }
            Op::Allocate {
                product,
                qty: n,
                half,
                allow_partial,
            } => {
                let want = qty(n, half, product);
                let pid = self.products[product];
                let res = self.fx.as_user(
                    admin,
                    AllocateStockForSale {
                        product_id: pid,
                        store_id: None,
                        quantity: want,
                        reference_id: None,
                        allow_partial: Some(allow_partial),
                    },
                );
                match res {
                    Ok(r) => {
                        self.check_allocation(pid, want, &r, &before)?;
                        for b in &r.batches {
                            *self.model.get_mut(&b.batch_id).unwrap() -= milli(b.quantity);
                        }
                        Ok(())
                    }
                    Err(e) => {
                        // All-or-nothing refused: there really was not enough free, sellable stock.
                        if e.kind() == "insufficient_stock" {
                            let free: i64 =
                                self.sellable(pid, &before).iter().map(|(_, f)| f).sum();
                            prop_assert!(
                                free < milli(want),
                                "refused {want} with {free} (milli) free"
                            );
                        }
                        Err(e)
                    }
                }
            }
            Op::Adjust { batch, delta } => match self.pick(batch) {
                None => Ok(()),
                Some(id) => self
                    .fx
                    .as_user(
                        admin,
                        AdjustStock {
                            batch_id: id,
                            quantity_change: Qty::from(i64::from(delta)),
                            reason: AdjustmentReason::Correction,
                            notes: None,
                            approver_name: None,
                            approver_pin: None,
                        },
                    )
                    .map(|a| {
                        assert_eq!(a.status, "applied", "an admin's adjustment applies at once");
                        *self.model.get_mut(&id).unwrap() += i64::from(delta) * 1000;
                    }),
            },
            Op::Writeoff { batch } => match self.pick(batch) {
                None => Ok(()),
                Some(id) => self
                    .fx
                    .as_user(
                        admin,
                        WriteoffBatch {
                            batch_id: id,
                            reason: AdjustmentReason::Loss,
                            notes: None,
                            approver_name: None,
                            approver_pin: None,
                        },
                    )
                    .map(|_| {
                        self.model.insert(id, 0);
                    }),
            },
            Op::Reserve { batch, qty: n } => match self.pick(batch) {
                None => Ok(()),
                Some(id) => self
                    .fx
                    .as_user(
                        admin,
                        ReserveStock {
                            product_batch_id: id,
                            quantity: Qty::from(i64::from(n)),
                            reason: "pending_sale".into(),
                            reference_id: None,
                            ttl_minutes: None,
                        },
                    )
                    .map(|r| self.holds.push(r.reservation_id)),
            },
            Op::Release { hold } => match self.pick_hold(hold) {
                None => Ok(()),
                Some(id) => self
                    .fx
                    .as_user(admin, ReleaseReservation { reservation_id: id })
                    .map(|_| ()),
            },
            Op::Confirm { hold } => match self.pick_hold(hold) {
                None => Ok(()),
                Some(id) => self
                    .fx
                    .as_user(
                        admin,
                        ConfirmReservation {
                            reservation_id: id,
                            reference_id: None,
                        },
                    )
                    .map(|r| {
                        *self.model.get_mut(&r.product_batch_id).unwrap() -= milli(r.quantity);
                    }),
            },
            Op::Expire { days } => self
                .fx
                .as_user(
                    admin,
                    ExpireBatchesWithinDays {
                        store_id: None,
                        days,
                        dry_run: None,
                        limit: None,
                    },
                )
                .map(|_| ()),
            Op::SetStatus { batch, status } => match self.pick(batch) {
                None => Ok(()),
                Some(id) => self
                    .fx
                    .as_user(
                        admin,
                        SetBatchStatus {
                            batch_id: id,
                            status,
                            reason: Some("random".into()),
                            recall_class: None,
                        },
                    )
                    .map(|_| ()),
            },
            Op::NextDays { days } => {
                self.offset += days;
                let t = now() + Duration::days(self.offset);
                self.fx.set_now(t);
                Ok(())
            }
        };
        if let Err(e) = &result {
            prop_assert!(
                ALLOWED.contains(&e.kind()),
                "{op:?} failed with an unexpected error: {}",
                e.to_json()
            );
            // A refusal writes nothing.
            let after = self.snapshot();
            prop_assert_eq!(
                format!("{:?}", sorted(&before)),
                format!("{:?}", sorted(&after)),
                "refused {:?} changed batches",
                op
            );
        }
        self.check_invariants()
    }

    /// Sellable batches of a product in a snapshot: (batch, free milli).
    fn sellable(
        &self,
        product: ProductId,
        snap: &HashMap<BatchId, BatchView>,
    ) -> Vec<(BatchId, i64)> {
        let today = self.today();
        snap.values()
            .filter(|b| {
                b.product_id == product
                    && b.status == BatchStatus::Available
                    && expiry_key(b) >= today
            })
            .map(|b| (b.batch_id, milli(b.quantity) - milli(b.reserved)))
            .filter(|(_, free)| *free > 0)
            .collect()
    }

    fn check_allocation(
        &self,
        product: ProductId,
        want: Qty,
        r: &pharmapos_engine::stock::allocate::AllocationResult,
        before: &HashMap<BatchId, BatchView>,
    ) -> Result<(), TestCaseError> {
        let today = self.today();
        let total: i64 = r.batches.iter().map(|b| milli(b.quantity)).sum();
        prop_assert_eq!(total, milli(r.allocated_quantity));
        prop_assert!(total <= milli(want));
        prop_assert_eq!(r.partial, total < milli(want));
        prop_assert_eq!(milli(r.shortage), milli(want) - total);
        let mut last = String::new();
        for a in &r.batches {
            let b = before
                .get(&a.batch_id)
                .expect("allocated batch existed before");
            prop_assert_eq!(b.product_id, product);
            prop_assert_eq!(
                b.status,
                BatchStatus::Available,
                "allocated from a {:?} batch",
                b.status
            );
            let exp = expiry_key(b);
            prop_assert!(
                exp >= today,
                "allocated from batch {} expired on {exp} (today {today})",
                b.batch_number
            );
            prop_assert!(exp >= last, "FEFO order broken: {exp} after {last}");
            prop_assert!(milli(a.quantity) > 0);
            prop_assert!(
                milli(a.quantity) <= milli(b.quantity) - milli(b.reserved),
                "took more than was free"
            );
            last = exp;
        }
        // Nothing nearer-expiring was left behind; when short, everything free was taken.
        for (id, free) in self.sellable(product, before) {
            let exp = expiry_key(&before[&id]);
            let took = r
                .batches
                .iter()
                .find(|a| a.batch_id == id)
                .map(|a| milli(a.quantity))
                .unwrap_or(0);
            if exp < last || r.partial {
                prop_assert_eq!(
                    took,
                    free,
                    "batch {} (expiry {}) was not used up before later batches",
                    before[&id].batch_number,
                    exp
                );
            }
        }
        Ok(())
    }
}

fn sorted(m: &HashMap<BatchId, BatchView>) -> Vec<(BatchId, Qty, Qty, BatchStatus)> {
    let mut v: Vec<_> = m
        .values()
        .map(|b| (b.batch_id, b.quantity, b.reserved, b.status))
        .collect();
    v.sort_by_key(|t| t.0);
    v
}

fn run_sequence(init: Vec<(usize, i64, u32)>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut fx = store_a();
    let products = [fx.paracetamol(), fx.botox()];
    let mut w = World {
        fx,
        products,
        batches: Vec::new(),
        holds: Vec::new(),
        model: HashMap::new(),
        offset: 0,
    };
    // Initial stock arrives a month ago, so some of it is already past expiry today.
    w.fx.set_now(now() - Duration::days(30));
    for (i, (product, expiry, n)) in init.into_iter().enumerate() {
        let id = w.fx.receive(
            products[product],
            &format!("INIT-{i}"),
            day(expiry),
            i64::from(n),
        );
        w.batches.push(id);
        w.model.insert(id, i64::from(n) * 1000);
    }
    w.fx.set_now(now());
    w.check_invariants()?;
    for op in &ops {
        w.apply(op)?;
    }
    let report = w.fx.db.verify().unwrap();
    prop_assert!(report.ok, "verify: {:?}", report.problems);
    prop_assert!(w.fx.db.integrity_check().is_ok());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_operation_sequences_keep_the_invariants(init in initial(), ops in prop::collection::vec(op(), 1..40)) {
        run_sequence(init, ops)?;
    }
}
