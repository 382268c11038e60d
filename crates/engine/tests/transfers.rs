//! Transfers between two stores of one file: every transition and refusal
//! of the workflow, receipts in parts with short and damaged stock, the
//! discrepancies' resolutions and their approval, seed 003's forms, and a
//! property test that stock is conserved across both stores over random
//! transfers, receipts and sales.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::stores::CreateStore;
use pharmapos_engine::catalogue::users::CreateUser;
use pharmapos_engine::control::transfers::*;
use pharmapos_engine::ids::{BatchId, ProductId, StoreId, TransferId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::queries::GetStoreInventory;
use pharmapos_engine::stock::reservations::ReserveStock;
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::{BatchStatus, BatchView};
use pharmapos_engine::Session;
use proptest::prelude::*;

/// Store A (the template's) and store B, with the admin working in both, a
/// manager and a cashier in A (the template's) and a manager in B only.
struct World {
    fx: Fx,
    a: StoreId,
    b: StoreId,
    manager_b: Session,
    cashier_b: Session,
    pcm: ProductId,
}

fn world() -> World {
    let mut fx = store_a();
    let a = fx.store;
    let b = fx
        .run(CreateStore {
            name: "Store B".into(),
            code: Some("STB".into()),
            timezone: Some(TZ.into()),
            currency: None,
            address: None,
            phone: None,
            ..Default::default()
        })
        .id;
    let mut user = |name: &str, role: Role| {
        let u = fx.run(CreateUser {
            name: name.into(),
            role,
            pin: Some("4321".into()),
            store_id: Some(b),
            stores: None,
            head_office: None,
        });
        Session { user_id: u.id }
    };
    let manager_b = user("bea", Role::Manager);
    let cashier_b = user("ben", Role::Cashier);
    let pcm = fx.paracetamol();
    World {
        fx,
        a,
        b,
        manager_b,
        cashier_b,
        pcm,
    }
}

impl World {
    fn line(&self, qty: i64, batch: Option<BatchId>) -> NewTransferLine {
        NewTransferLine {
            product_id: self.pcm,
            quantity: qi(qty),
            batch_id: batch,
        }
    }

    fn draft(&mut self, who: Session, lines: Vec<NewTransferLine>) -> Transfer {
        let b = self.b;
        self.fx
            .as_user(
                who,
                CreateTransfer {
                    from_store_id: None,
                    to_store_id: b,
                    lines,
                    notes: None,
                    user_id: None,
                },
            )
            .unwrap()
    }

    /// Drafted by A's cashier, requested, approved and shipped by A's manager.
    fn shipped(&mut self, lines: Vec<NewTransferLine>) -> Transfer {
        let t = self.draft(self.fx.cashier, lines);
        self.request(t.id);
        self.approve(t.id);
        self.ship(t.id).unwrap()
    }

    fn request(&mut self, id: TransferId) -> Transfer {
        let c = self.fx.cashier;
        self.fx
            .as_user(c, RequestTransfer { transfer_id: id })
            .unwrap()
    }

    fn approve(&mut self, id: TransferId) -> Transfer {
        let m = self.fx.manager;
        self.fx
            .as_user(
                m,
                ApproveTransfer {
                    transfer_id: id,
                    notes: None,
                },
            )
            .unwrap()
    }

    fn ship(&mut self, id: TransferId) -> pharmapos_engine::Result<Transfer> {
        let m = self.fx.manager;
        self.fx.as_user(
            m,
            ShipTransfer {
                transfer_id: id,
                carrier: Some("DHL".into()),
                tracking_number: Some("TRK-1".into()),
            },
        )
    }

    fn receive(
        &mut self,
        id: TransferId,
        lines: Vec<ReceiveTransferLine>,
        close: bool,
    ) -> pharmapos_engine::Result<bool> {
        let m = self.manager_b;
        self.fx.as_user(
            m,
            ReceiveTransfer {
                transfer_id: id,
                received_quantity: None,
                lines: Some(lines),
                close: Some(close),
                notes: None,
                user_id: None,
            },
        )
    }

    fn get(&mut self, id: TransferId) -> Transfer {
        self.fx.run(GetTransfer { transfer_id: id })
    }

    fn stock(&mut self, store: StoreId) -> Vec<BatchView> {
        self.fx.run(GetStoreInventory {
            store_id: Some(store),
            product_id: None,
            include_empty: Some(true),
        })
    }

    fn on_hand_in(&mut self, store: StoreId) -> i64 {
        self.stock(store)
            .iter()
            .map(|b| b.quantity.to_scaled("q").unwrap())
            .sum()
    }

    /// (store, change type) of every event about the transfer, in order.
    fn events(&self, id: TransferId) -> Vec<(StoreId, String)> {
        let c = self.fx.raw();
        let mut s = c
            .prepare(
                "SELECT store_id, change_type FROM inventory_audit WHERE reference_id = ?1 ORDER BY created_at, store_id, seq",
            )
            .unwrap();
        s.query_map([id.to_string()], |r| {
            Ok((r.get::<_, String>(0)?.parse().unwrap(), r.get(1)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }
}

fn rl(lot: &TransferLot, received: i64, damaged: i64) -> ReceiveTransferLine {
    ReceiveTransferLine {
        lot_id: lot.id,
        received: qi(received),
        damaged: Some(qi(damaged)),
    }
}

#[test]
fn a_transfer_runs_draft_to_received_and_each_step_is_an_event_of_its_side() {
    let mut w = world();
    let (a, b) = (w.a, w.b);
    let early = w.fx.receive(w.pcm, "PCM-E", day(60), 30);
    let late = w.fx.receive(w.pcm, "PCM-L", day(300), 100);
    let t = w.draft(w.fx.cashier, vec![w.line(50, None)]);
    assert_eq!(t.status, TransferStatus::Draft);
    assert_eq!(t.label, "STA-T0001");
    assert_eq!(t.items[0].requested, qi(50));
    let t = w.request(t.id);
    assert_eq!(t.status, TransferStatus::Requested);
    assert_eq!(t.requested_by, Some(w.fx.cashier.user_id));
    let t = w.approve(t.id);
    assert_eq!(t.status, TransferStatus::Approved);
    assert_eq!(t.items[0].approved, Some(qi(50)));
    let t = w.ship(t.id).unwrap();
    assert_eq!(t.status, TransferStatus::InTransit);
    assert_eq!(t.carrier.as_deref(), Some("DHL"));
    assert_eq!(t.tracking_number.as_deref(), Some("TRK-1"));
    // FEFO: the early batch is emptied first, the rest comes from the late one.
    assert_eq!(t.lots.len(), 2);
    assert_eq!(
        (t.lots[0].batch_number.as_str(), t.lots[0].shipped),
        ("PCM-E", qi(30))
    );
    assert_eq!(
        (t.lots[1].batch_number.as_str(), t.lots[1].shipped),
        ("PCM-L", qi(20))
    );
    assert_eq!(t.lots[0].expiry_date, Some(day(60).to_string()));
    assert_eq!(w.fx.on_hand(early), qi(0));
    assert_eq!(w.fx.on_hand(late), qi(80));
    assert_eq!(w.on_hand_in(b), 0, "in transit: in neither store");
    // Awaiting receipt at B, not at A.
    let pending =
        w.fx.as_user(w.manager_b, GetPendingTransfers { store_id: None })
            .unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].contents, "Paracetamol 500mg ×50");
    assert!(w
        .fx
        .run(GetPendingTransfers { store_id: Some(a) })
        .is_empty());

    let lots = t.lots.clone();
    let done = w
        .receive(t.id, vec![rl(&lots[0], 30, 0), rl(&lots[1], 20, 0)], false)
        .unwrap();
    assert!(done);
    let t = w.get(t.id);
    assert_eq!(t.status, TransferStatus::Received);
    assert_eq!(t.received_by, Some(w.manager_b.user_id));
    assert_eq!(t.items[0].received, qi(50));
    // The same batches arrive at B: number, expiry and cost.
    let at_b = w.stock(b);
    assert_eq!(at_b.len(), 2);
    for lot in &t.lots {
        let got = at_b
            .iter()
            .find(|x| x.batch_number == lot.batch_number)
            .unwrap();
        assert_eq!(got.quantity, lot.shipped);
        assert_eq!(got.expiry_date, lot.expiry_date);
        assert_eq!(got.cost_price, lot.cost_price);
        assert_eq!(Some(got.batch_id), lot.dest_batch_id);
    }
    assert_eq!(w.on_hand_in(a) + w.on_hand_in(b), 130_000);
    // Each transition is an event of the side that owns it.
    let events = w.events(t.id);
    let of = |store: StoreId| -> Vec<&str> {
        events
            .iter()
            .filter(|e| e.0 == store)
            .map(|e| e.1.as_str())
            .collect()
    };
    assert_eq!(
        of(a),
        [
            "transfer_created",
            "transfer_requested",
            "transfer_approved",
            "transfer_out",
            "transfer_out",
            "transfer_shipped"
        ]
    );
    assert_eq!(of(b), ["transfer_in", "transfer_in", "transfer_received"]);
    w.fx.assert_verified();
}

#[test]
fn the_ship_event_carries_what_the_destination_needs() {
    let mut w = world();
    w.fx.receive(w.pcm, "PCM-1", day(90), 40);
    let t = w.shipped(vec![w.line(15, None)]);
    let c = w.fx.raw();
    let payload: String = c
        .query_row(
            "SELECT payload FROM inventory_audit WHERE change_type = 'transfer_shipped' AND reference_id = ?1",
            [t.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&payload).unwrap();
    let shipped = &v["data"]["transfer"];
    assert_eq!(shipped["from_store_id"], w.a.to_string());
    assert_eq!(shipped["to_store_id"], w.b.to_string());
    assert_eq!(shipped["number"], 1);
    let lot = &shipped["lots"][0];
    assert_eq!(lot["batch_number"], "PCM-1");
    assert_eq!(lot["expiry_date"], day(90).to_string());
    assert_eq!(lot["cost_price"], "0.05");
    assert_eq!(lot["shipped"], "15");
    assert_eq!(lot["product_id"], w.pcm.to_string());
}

#[test]
fn each_transition_is_refused_to_the_wrong_side_and_the_wrong_role() {
    let mut w = world();
    w.fx.receive(w.pcm, "PCM-1", day(90), 40);
    let (a, mb) = (w.a, w.manager_b);
    // B's manager does not work in A: cannot draft from A, approve, ship or cancel.
    assert_kind(
        w.fx.as_user(
            mb,
            CreateTransfer {
                from_store_id: Some(a),
                to_store_id: w.b,
                lines: vec![w.line(1, None)],
                notes: None,
                user_id: None,
            },
        ),
        "forbidden",
    );
    let t = w.draft(w.fx.cashier, vec![w.line(10, None)]);
    assert_kind(
        w.fx.as_user(mb, RequestTransfer { transfer_id: t.id }),
        "forbidden",
    );
    w.request(t.id);
    // A's cashier may draft and request, not approve.
    assert_kind(
        w.fx.as_user(
            w.fx.cashier,
            ApproveTransfer {
                transfer_id: t.id,
                notes: None,
            },
        ),
        "forbidden",
    );
    assert_kind(
        w.fx.as_user(
            mb,
            ApproveTransfer {
                transfer_id: t.id,
                notes: None,
            },
        ),
        "forbidden",
    );
    w.approve(t.id);
    assert_kind(
        w.fx.as_user(
            mb,
            ShipTransfer {
                transfer_id: t.id,
                carrier: None,
                tracking_number: None,
            },
        ),
        "forbidden",
    );
    let t = w.ship(t.id).unwrap();
    // A's manager does not work in B: cannot receive; B's cashier lacks receive_stock.
    let lot = t.lots[0].clone();
    for who in [w.fx.manager, w.cashier_b] {
        assert_kind(
            w.fx.as_user(
                who,
                ReceiveTransfer {
                    transfer_id: t.id,
                    received_quantity: Some(qi(10)),
                    lines: None,
                    close: None,
                    notes: None,
                    user_id: None,
                },
            ),
            "forbidden",
        );
    }
    // B's cashier cannot even see A's outgoing list, but B's manager sees the transfer.
    assert_kind(
        w.fx.as_user(
            w.cashier_b,
            ListTransfers {
                store_id: Some(a),
                ..Default::default()
            },
        ),
        "forbidden",
    );
    assert_eq!(
        w.fx.as_user(mb, GetTransfer { transfer_id: t.id })
            .unwrap()
            .id,
        t.id
    );
    w.receive(t.id, vec![rl(&lot, 7, 0)], true).unwrap();
    // The short is the source's to resolve, not the destination's.
    let d = w.get(t.id).discrepancies[0].id;
    assert_kind(
        w.fx.as_user(
            mb,
            ResolveDiscrepancy {
                discrepancy_id: d,
                resolution: DiscrepancyResolution::LostInTransit,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        ),
        "forbidden",
    );
    w.fx.assert_verified();
}

#[test]
fn each_transition_is_refused_in_the_wrong_status() {
    let mut w = world();
    w.fx.receive(w.pcm, "PCM-1", day(90), 40);
    let t = w.draft(w.fx.cashier, vec![w.line(10, None)]);
    let m = w.fx.manager;
    let approve = |id| ApproveTransfer {
        transfer_id: id,
        notes: None,
    };
    assert_kind(w.fx.as_user(m, approve(t.id)), "conflict");
    assert_kind(w.ship(t.id), "conflict");
    assert_kind(w.receive(t.id, vec![], true), "conflict");
    w.request(t.id);
    assert_kind(
        w.fx.as_user(w.fx.cashier, RequestTransfer { transfer_id: t.id }),
        "conflict",
    );
    assert_kind(w.ship(t.id), "conflict");
    w.approve(t.id);
    assert_kind(w.fx.as_user(m, approve(t.id)), "conflict");
    let t = w.ship(t.id).unwrap();
    assert_kind(w.ship(t.id), "conflict");
    assert_kind(
        w.fx.as_user(
            m,
            CancelTransfer {
                transfer_id: t.id,
                reason: "too late".into(),
            },
        ),
        "conflict",
    );
    let lot = t.lots[0].clone();
    assert!(w.receive(t.id, vec![rl(&lot, 10, 0)], false).unwrap());
    assert_kind(w.receive(t.id, vec![rl(&lot, 1, 0)], false), "conflict");
    w.fx.assert_verified();
}

#[test]
fn a_transfer_is_cancelled_with_a_reason_before_it_ships_and_nothing_moves() {
    let mut w = world();
    let batch = w.fx.receive(w.pcm, "PCM-1", day(90), 40);
    let t = w.draft(w.fx.cashier, vec![w.line(10, None)]);
    w.request(t.id);
    w.approve(t.id);
    let m = w.fx.manager;
    assert_kind(
        w.fx.as_user(
            m,
            CancelTransfer {
                transfer_id: t.id,
                reason: "  ".into(),
            },
        ),
        "invalid_input",
    );
    let t =
        w.fx.as_user(
            m,
            CancelTransfer {
                transfer_id: t.id,
                reason: "B found stock".into(),
            },
        )
        .unwrap();
    assert_eq!(t.status, TransferStatus::Cancelled);
    assert_eq!(t.cancel_reason.as_deref(), Some("B found stock"));
    assert_eq!(w.fx.on_hand(batch), qi(40));
    assert_kind(w.ship(t.id), "conflict");
}

#[test]
fn expired_recalled_and_reserved_stock_never_ships() {
    let mut w = world();
    let m = w.fx.manager;
    let expired = w.fx.receive_backdated(w.pcm, "PCM-OLD", day(-5), 50);
    let recalled = w.fx.receive(w.pcm, "PCM-REC", day(20), 50);
    let good = w.fx.receive(w.pcm, "PCM-OK", day(200), 10);
    w.fx.run(SetBatchStatus {
        batch_id: recalled,
        status: BatchStatus::Recalled,
        reason: Some("FDA".into()),
        recall_class: Some("II".into()),
    });
    // Naming an expired or recalled batch is refused at once.
    for b in [expired, recalled] {
        assert_kind(
            w.fx.as_user(
                w.fx.cashier,
                CreateTransfer {
                    from_store_id: None,
                    to_store_id: w.b,
                    lines: vec![w.line(1, Some(b))],
                    notes: None,
                    user_id: None,
                },
            ),
            "batch_not_sellable",
        );
    }
    // FEFO passes them over: only the 10 good ones may ship.
    let t = w.draft(w.fx.cashier, vec![w.line(11, None)]);
    w.request(t.id);
    w.approve(t.id);
    assert_kind(w.ship(t.id), "insufficient_stock");
    assert_eq!(w.get(t.id).status, TransferStatus::Approved);
    assert_eq!(w.fx.on_hand(good), qi(10));
    // A batch recalled after the transfer named it does not ship either.
    let t = w.draft(w.fx.cashier, vec![w.line(5, Some(good))]);
    w.request(t.id);
    w.approve(t.id);
    w.fx.as_user(
        m,
        SetBatchStatus {
            batch_id: good,
            status: BatchStatus::Quarantine,
            reason: Some("inspection".into()),
            recall_class: None,
        },
    )
    .unwrap();
    assert_kind(w.ship(t.id), "batch_not_sellable");
    w.fx.run(SetBatchStatus {
        batch_id: good,
        status: BatchStatus::Available,
        reason: None,
        recall_class: None,
    });
    // Nor what is held for customers: 6 of the 10 reserved leave 4.
    w.fx.run(ReserveStock {
        product_batch_id: good,
        quantity: qi(6),
        reason: "customer".into(),
        reference_id: None,
        ttl_minutes: None,
    });
    assert_kind(w.ship(t.id), "insufficient_stock");
    let t4 = w.draft(w.fx.cashier, vec![w.line(4, None)]);
    w.request(t4.id);
    w.approve(t4.id);
    let t4 = w.ship(t4.id).unwrap();
    assert_eq!(t4.lots[0].batch_number, "PCM-OK");
    assert_eq!(w.fx.on_hand(good), qi(6));
    assert_eq!(w.fx.batch(good).reserved, qi(6));
    assert_eq!(w.fx.on_hand(expired), qi(50));
    assert_eq!(w.fx.on_hand(recalled), qi(50));
    w.fx.assert_verified();
}

#[test]
fn receipts_come_in_parts_and_over_receipt_is_refused() {
    let mut w = world();
    w.fx.receive(w.pcm, "PCM-1", day(90), 40);
    let t = w.shipped(vec![w.line(30, None)]);
    let lot = t.lots[0].clone();
    let e = assert_kind(
        w.receive(t.id, vec![rl(&lot, 31, 0)], false),
        "invalid_input",
    );
    assert!(e.to_string().contains("more than"), "{e}");
    assert_kind(
        w.receive(t.id, vec![rl(&lot, 20, 11)], false),
        "invalid_input",
    );
    assert_kind(
        w.receive(t.id, vec![rl(&lot, 0, 0)], false),
        "invalid_input",
    );
    assert!(!w.receive(t.id, vec![rl(&lot, 10, 0)], false).unwrap());
    let now = w.get(t.id);
    assert_eq!(now.status, TransferStatus::PartiallyReceived);
    assert_eq!(now.lots[0].outstanding, qi(20));
    assert!(!w.receive(t.id, vec![rl(&lot, 12, 2)], false).unwrap());
    assert_kind(
        w.receive(t.id, vec![rl(&lot, 7, 0)], false),
        "invalid_input",
    );
    // Both shapes at once, or neither, is refused.
    let mb = w.manager_b;
    assert_kind(
        w.fx.as_user(
            mb,
            ReceiveTransfer {
                transfer_id: t.id,
                received_quantity: Some(qi(1)),
                lines: Some(vec![rl(&lot, 1, 0)]),
                close: None,
                notes: None,
                user_id: None,
            },
        ),
        "invalid_input",
    );
    // "That's all": the missing 6 are recorded short.
    assert!(w.receive(t.id, vec![rl(&lot, 0, 0)], true).unwrap());
    let t = w.get(t.id);
    assert_eq!(t.status, TransferStatus::Received);
    assert_eq!(t.items[0].received, qi(22));
    assert_eq!(t.items[0].discrepancy, qi(8));
    let kinds: Vec<(DiscrepancyKind, Qty)> = t
        .discrepancies
        .iter()
        .map(|d| (d.kind, d.quantity))
        .collect();
    assert_eq!(
        kinds,
        vec![
            (DiscrepancyKind::Damaged, qi(2)),
            (DiscrepancyKind::Short, qi(6))
        ]
    );
    assert!(t
        .discrepancies
        .iter()
        .all(|d| d.status == DiscrepancyStatus::Open));
    // The destination's batch was topped up, not duplicated.
    let b = w.b;
    let at_b = w.stock(b);
    assert_eq!(at_b.len(), 1);
    assert_eq!(at_b[0].quantity, qi(22));
    w.fx.assert_verified();
}

#[test]
fn discrepancies_are_resolved_by_the_source_and_big_ones_wait_for_a_manager() {
    let mut w = world();
    let (a, c, m) = (w.a, w.fx.cashier, w.fx.manager);
    let batch = w.fx.receive(w.pcm, "PCM-1", day(90), 5000);
    // 0.05 a tablet: 3000 short are 150.00, over the default 100.00 threshold.
    let t = w.shipped(vec![w.line(4000, None)]);
    let lot = t.lots[0].clone();
    w.receive(t.id, vec![rl(&lot, 900, 100)], true).unwrap();
    let t = w.get(t.id);
    let damaged = t.discrepancies[0].clone();
    let short = t.discrepancies[1].clone();
    assert_eq!(
        (damaged.kind, damaged.quantity),
        (DiscrepancyKind::Damaged, qi(100))
    );
    assert_eq!(short.value, "150.00".parse::<Money>().unwrap());
    // Within the threshold a cashier's word settles it: returned goes back on the batch.
    let d =
        w.fx.as_user(
            c,
            ResolveDiscrepancy {
                discrepancy_id: damaged.id,
                resolution: DiscrepancyResolution::Returned,
                notes: Some("driver brought them back".into()),
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(d.status, DiscrepancyStatus::Resolved);
    assert_eq!(d.resolved_by, Some(c.user_id));
    assert_eq!(w.fx.on_hand(batch), qi(1100));
    assert_kind(
        w.fx.as_user(
            c,
            ResolveDiscrepancy {
                discrepancy_id: damaged.id,
                resolution: DiscrepancyResolution::WrittenOff,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        ),
        "conflict",
    );
    // Over it, the cashier's resolution waits.
    let resolve = |r| ResolveDiscrepancy {
        discrepancy_id: short.id,
        resolution: r,
        notes: None,
        approver_name: None,
        approver_pin: None,
    };
    let d =
        w.fx.as_user(c, resolve(DiscrepancyResolution::Returned))
            .unwrap();
    assert_eq!(d.status, DiscrepancyStatus::PendingApproval);
    assert_eq!(
        w.fx.on_hand(batch),
        qi(1100),
        "nothing moves while it waits"
    );
    assert_kind(
        w.fx.as_user(
            c,
            ApproveDiscrepancy {
                discrepancy_id: short.id,
                notes: None,
            },
        ),
        "forbidden",
    );
    // Refused with a reason: open again.
    assert_kind(
        w.fx.as_user(
            m,
            RejectDiscrepancy {
                discrepancy_id: short.id,
                reason: "".into(),
            },
        ),
        "invalid_input",
    );
    let d =
        w.fx.as_user(
            m,
            RejectDiscrepancy {
                discrepancy_id: short.id,
                reason: "they never came back".into(),
            },
        )
        .unwrap();
    assert_eq!((d.status, d.resolution), (DiscrepancyStatus::Open, None));
    w.fx.as_user(c, resolve(DiscrepancyResolution::LostInTransit))
        .unwrap();
    assert_kind(
        w.fx.as_user(
            m,
            RejectDiscrepancy {
                discrepancy_id: damaged.id,
                reason: "x".into(),
            },
        ),
        "conflict",
    );
    let d =
        w.fx.as_user(
            m,
            ApproveDiscrepancy {
                discrepancy_id: short.id,
                notes: None,
            },
        )
        .unwrap();
    assert_eq!(d.status, DiscrepancyStatus::Resolved);
    assert_eq!(d.resolution, Some(DiscrepancyResolution::LostInTransit));
    assert_eq!(d.resolved_by, Some(m.user_id));
    // Lost stock stays lost: A 1100 + B 900 of the 5000 − 3000 lost.
    let b = w.b;
    assert_eq!(w.on_hand_in(a) + w.on_hand_in(b), 2_000_000);
    // A manager's own resolution applies at once.
    let t2 = w.shipped(vec![w.line(1000, None)]);
    let lot2 = t2.lots[0].clone();
    w.receive(t2.id, vec![rl(&lot2, 0, 0)], true).unwrap();
    let big = w.get(t2.id).discrepancies[0].id;
    let d =
        w.fx.as_user(
            m,
            ResolveDiscrepancy {
                discrepancy_id: big,
                resolution: DiscrepancyResolution::Returned,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(d.status, DiscrepancyStatus::Resolved);
    assert_eq!(w.fx.on_hand(batch), qi(1100));
    w.fx.assert_verified();
}

#[test]
fn seed_003_initiate_receive_and_pending_work_as_the_seed_writes_them() {
    let mut w = world();
    let (a, b, m) = (w.a, w.b, w.fx.admin);
    let batch = w.fx.receive(w.pcm, "LOT-7", day(120), 60);
    let wrong_user = InitiateTransfer {
        from_store_id: a,
        to_store_id: b,
        product_id: w.pcm,
        batch_number: "LOT-7".into(),
        quantity: qi(25),
        user_id: Some(w.manager_b.user_id),
    };
    assert_kind(w.fx.as_user(m, wrong_user), "invalid_input");
    assert_kind(
        w.fx.as_user(
            w.fx.cashier,
            InitiateTransfer {
                from_store_id: a,
                to_store_id: b,
                product_id: w.pcm,
                batch_number: "LOT-7".into(),
                quantity: qi(25),
                user_id: None,
            },
        ),
        "forbidden",
    );
    assert_kind(
        w.fx.as_user(
            m,
            InitiateTransfer {
                from_store_id: a,
                to_store_id: b,
                product_id: w.pcm,
                batch_number: "NOPE".into(),
                quantity: qi(25),
                user_id: None,
            },
        ),
        "not_found",
    );
    let r =
        w.fx.as_user(
            m,
            InitiateTransfer {
                from_store_id: a,
                to_store_id: b,
                product_id: w.pcm,
                batch_number: "LOT-7".into(),
                quantity: qi(25),
                user_id: Some(m.user_id),
            },
        )
        .unwrap();
    assert_eq!(r.status, "pending");
    assert_eq!(r.quantity, qi(25));
    assert_eq!(r.workflow_status, TransferStatus::InTransit);
    assert_eq!(w.fx.on_hand(batch), qi(35));
    let pending = w.fx.run(GetPendingTransfers { store_id: Some(b) });
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].id, r.transfer_id);
    let done =
        w.fx.as_user(
            m,
            ReceiveTransfer {
                transfer_id: r.transfer_id,
                received_quantity: Some(qi(25)),
                lines: None,
                close: None,
                notes: None,
                user_id: Some(m.user_id),
            },
        )
        .unwrap();
    assert!(done);
    assert!(w
        .fx
        .run(GetPendingTransfers { store_id: Some(b) })
        .is_empty());
    let at_b = w.stock(b);
    assert_eq!(at_b[0].batch_number, "LOT-7");
    assert_eq!(at_b[0].quantity, qi(25));
    w.fx.assert_verified();
}

#[test]
fn lists_show_outgoing_and_incoming_by_status() {
    let mut w = world();
    w.fx.receive(w.pcm, "PCM-1", day(90), 100);
    let (a, b) = (w.a, w.b);
    let shipped = w.shipped(vec![w.line(5, None)]);
    let draft = w.draft(w.fx.cashier, vec![w.line(5, None)]);
    let list = |w: &mut World, store, direction, status| {
        w.fx.run(ListTransfers {
            store_id: Some(store),
            direction,
            status,
            limit: None,
        })
        .into_iter()
        .map(|t| t.id)
        .collect::<Vec<_>>()
    };
    assert_eq!(
        list(&mut w, a, Some(TransferDirection::Outgoing), None),
        vec![draft.id, shipped.id]
    );
    assert!(list(&mut w, a, Some(TransferDirection::Incoming), None).is_empty());
    assert_eq!(
        list(&mut w, b, Some(TransferDirection::Incoming), None),
        vec![draft.id, shipped.id]
    );
    assert_eq!(
        list(&mut w, a, None, Some(TransferStatus::InTransit)),
        vec![shipped.id]
    );
    assert_eq!(draft.number, 2);
}

// ---- Property: conservation across both stores ---------------------------

#[derive(Clone, Debug)]
enum Step {
    /// Ship this many from A (FEFO) to B.
    Ship(i64),
    /// Receive this share (0–100 %) of what is outstanding, with some damaged, maybe closing.
    Receive { pct: i64, damaged: i64, close: bool },
    /// Sell this many at A.
    SellA(i64),
    /// Sell this many at B.
    SellB(i64),
    /// Resolve the oldest open discrepancy.
    Resolve(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1i64..60).prop_map(Step::Ship),
        (0i64..=100, 0i64..4, any::<bool>()).prop_map(|(pct, damaged, close)| Step::Receive {
            pct,
            damaged,
            close
        }),
        (1i64..30).prop_map(Step::SellA),
        (1i64..30).prop_map(Step::SellB),
        (0u8..3).prop_map(Step::Resolve),
    ]
}

fn run_steps(steps: Vec<Step>) -> Result<(), TestCaseError> {
    let mut w = world();
    let (a, b) = (w.a, w.b);
    w.fx.receive(w.pcm, "P-1", day(30), 120);
    w.fx.receive(w.pcm, "P-2", day(90), 80);
    w.fx.receive(w.pcm, "P-3", day(400), 60);
    let mut sold = 0i64;
    let mut returned = 0i64;
    let mut transfers: Vec<TransferId> = Vec::new();
    for s in steps {
        match s {
            Step::Ship(n) => {
                let t = w.draft(w.fx.admin, vec![w.line(n, None)]);
                w.fx.run(RequestTransfer { transfer_id: t.id });
                w.fx.run(ApproveTransfer {
                    transfer_id: t.id,
                    notes: None,
                });
                let admin = w.fx.admin;
                match w.fx.as_user(
                    admin,
                    ShipTransfer {
                        transfer_id: t.id,
                        carrier: None,
                        tracking_number: None,
                    },
                ) {
                    Ok(_) => transfers.push(t.id),
                    Err(e) => prop_assert_eq!(e.kind(), "insufficient_stock"),
                }
            }
            Step::Receive {
                pct,
                damaged,
                close,
            } => {
                let Some(&id) = transfers
                    .iter()
                    .find(|id| w.get(**id).status != TransferStatus::Received)
                else {
                    continue;
                };
                let t = w.get(id);
                let lines: Vec<ReceiveTransferLine> = t
                    .lots
                    .iter()
                    .map(|l| {
                        let out = l.outstanding.to_scaled("q").unwrap() / 1000;
                        let d = damaged.min(out);
                        let r = (out - d) * pct / 100;
                        rl(l, r, d)
                    })
                    .filter(|l| !l.received.is_zero() || !l.damaged.unwrap().is_zero())
                    .collect();
                if lines.is_empty() && !close {
                    continue;
                }
                let admin = w.fx.admin;
                w.fx.as_user(
                    admin,
                    ReceiveTransfer {
                        transfer_id: id,
                        received_quantity: None,
                        lines: Some(lines),
                        close: Some(close),
                        notes: None,
                        user_id: None,
                    },
                )
                .unwrap();
            }
            Step::SellA(n) | Step::SellB(n) => {
                let store = if matches!(s, Step::SellA(_)) { a } else { b };
                let r = w.fx.run(AllocateStockForSale {
                    product_id: w.pcm,
                    store_id: Some(store),
                    quantity: qi(n),
                    reference_id: None,
                    allow_partial: Some(true),
                });
                sold += r.allocated_quantity.to_scaled("q").unwrap();
            }
            Step::Resolve(r) => {
                let open = transfers.iter().find_map(|id| {
                    w.get(*id)
                        .discrepancies
                        .into_iter()
                        .find(|d| d.status == DiscrepancyStatus::Open)
                });
                let Some(d) = open else { continue };
                let resolution = match r {
                    0 => DiscrepancyResolution::LostInTransit,
                    1 => DiscrepancyResolution::Returned,
                    _ => DiscrepancyResolution::WrittenOff,
                };
                // The admin (a manager everywhere) settles it at once.
                w.fx.run(ResolveDiscrepancy {
                    discrepancy_id: d.id,
                    resolution,
                    notes: None,
                    approver_name: None,
                    approver_pin: None,
                });
                if resolution == DiscrepancyResolution::Returned {
                    returned += d.quantity.to_scaled("q").unwrap();
                }
            }
        }
    }
    // Per lot and per line: shipped = received + recorded discrepancy + still expected.
    let mut in_transit = 0i64;
    let mut discrepancy = 0i64;
    for id in &transfers {
        let t = w.get(*id);
        for l in &t.lots {
            let (s, r, d, o) = (
                l.shipped.to_scaled("q").unwrap(),
                l.received.to_scaled("q").unwrap(),
                l.discrepancy.to_scaled("q").unwrap(),
                l.outstanding.to_scaled("q").unwrap(),
            );
            prop_assert_eq!(s, r + d + o);
            prop_assert!(o >= 0);
            in_transit += o;
        }
        for i in &t.items {
            prop_assert_eq!(
                i.shipped,
                i.received + i.discrepancy + {
                    let o: i64 = t
                        .lots
                        .iter()
                        .filter(|l| l.item_id == i.id)
                        .map(|l| l.outstanding.to_scaled("q").unwrap())
                        .sum();
                    Qty::from_scaled(o)
                }
            );
            discrepancy += i.discrepancy.to_scaled("q").unwrap();
        }
        prop_assert_eq!(
            t.status == TransferStatus::Received,
            t.lots.iter().all(|l| l.outstanding.is_zero())
        );
    }
    // Stock across both stores: what was there, less what was sold, what is on
    // the road and what was recorded lost, plus what came back.
    let total = w.on_hand_in(a) + w.on_hand_in(b);
    prop_assert_eq!(total, 260_000 - sold - in_transit - discrepancy + returned);
    w.fx.assert_verified();
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn transfers_receipts_and_sales_conserve_stock(steps in prop::collection::vec(step(), 1..25)) {
        run_steps(steps)?;
    }
}
