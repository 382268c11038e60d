//! Alerts: the sweep raises each alert once, raises its severity when the
//! cause grows, resolves it when the cause is gone; people acknowledge,
//! resolve and dismiss with notes; reorder arithmetic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chrono::Duration;
use common::*;
use pharmapos_engine::alerts::list::{
    AcknowledgeAlert, DismissAlert, ListAlerts, NotificationChannel, RecordAlertNotification,
    ResolveAlert,
};
use pharmapos_engine::alerts::reorder::ListReorderRecommendations;
use pharmapos_engine::alerts::sweep::{RunAlertSweep, SweepPlan, UpdateAlertSettings};
use pharmapos_engine::alerts::{AlertStatus, AlertType, Severity};
use pharmapos_engine::catalogue::products::{ProductFields, Thresholds};
use pharmapos_engine::ids::ProductId;
use pharmapos_engine::stock::adjust::{AdjustmentReason, WriteoffBatch};
use pharmapos_engine::stock::allocate::AllocateStockForSale;
use pharmapos_engine::stock::status::SetBatchStatus;
use pharmapos_engine::stock::BatchStatus;

fn open_alerts(fx: &mut Fx, t: AlertType) -> Vec<pharmapos_engine::alerts::list::AlertView> {
    fx.run(ListAlerts {
        alert_type: Some(t),
        open_only: Some(true),
        ..Default::default()
    })
    .rows
}

/// V26's running counts of open alerts agree with counting them.
fn counts_agree(fx: &Fx) {
    let raw = fx.raw();
    let rows = |sql: &str| -> Vec<(String, String, i64)> {
        raw.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let counted = rows(
        "SELECT store_id, severity, COUNT(*) FROM alerts WHERE status IN ('active', 'acknowledged')
          GROUP BY 1, 2 ORDER BY 1, 2",
    );
    let kept =
        rows("SELECT store_id, severity, n FROM alert_open_counts WHERE n > 0 ORDER BY 1, 2");
    assert!(!counted.is_empty(), "nothing open to count");
    assert_eq!(kept, counted);
}

fn sweep(fx: &mut Fx) -> pharmapos_engine::alerts::sweep::SweepResult {
    let s = fx.cashier;
    fx.as_user(s, RunAlertSweep::default()).unwrap()
}

fn with_levels(
    fx: &mut Fx,
    sku: &str,
    reorder: i64,
    max: Option<i64>,
    lead: Option<u32>,
) -> ProductId {
    fx.product(
        sku,
        &format!("Product {sku}"),
        ProductFields {
            cost_price: Some("1.00".parse().unwrap()),
            thresholds: Some(Thresholds {
                reorder_point: Some(qi(reorder)),
                min_level: None,
                max_level: max.map(qi),
                lead_time_days: lead,
            }),
            ..Default::default()
        },
    )
}

fn sell(fx: &mut Fx, p: ProductId, n: i64) {
    fx.run(AllocateStockForSale {
        product_id: p,
        store_id: None,
        quantity: qi(n),
        reference_id: None,
        allow_partial: Some(false),
    });
}

#[test]
fn low_stock_is_raised_once_and_resolves_when_restocked() {
    let mut fx = store_a();
    let p = with_levels(&mut fx, "LOW-1", 10, None, None);
    fx.receive(p, "L1", day(365), 8);
    let r = sweep(&mut fx);
    assert_eq!(r.raised, 2, "low stock and a reorder recommendation");
    let low = open_alerts(&mut fx, AlertType::LowStock);
    assert_eq!(low.len(), 1);
    assert_eq!(low[0].severity, Severity::Warning);
    assert_eq!(low[0].subject_id, p.to_string());
    assert_eq!(low[0].product_id, Some(p));
    // Sweeping again raises nothing new.
    let events = fx.event_count();
    let again = sweep(&mut fx);
    assert_eq!((again.raised, again.resolved), (0, 0));
    assert_eq!(
        fx.event_count(),
        events,
        "a sweep with nothing new writes nothing"
    );
    assert_eq!(open_alerts(&mut fx, AlertType::LowStock).len(), 1);
    // Restocked above the reorder point: resolved on its own.
    fx.receive(p, "L2", day(365), 20);
    let r = sweep(&mut fx);
    assert_eq!(r.resolved, 2);
    assert!(open_alerts(&mut fx, AlertType::LowStock).is_empty());
    let all = fx.run(ListAlerts {
        alert_type: Some(AlertType::LowStock),
        ..Default::default()
    });
    assert_eq!(all.total, 1);
    assert_eq!(all.rows[0].status, AlertStatus::Resolved);
    assert_eq!(all.rows[0].resolved_by.as_deref(), Some(CASHIER));
    assert!(all.rows[0]
        .resolved_note
        .as_deref()
        .unwrap()
        .contains("cause went away"));
    fx.assert_verified();
}

#[test]
fn out_of_stock_replaces_low_stock_and_is_critical() {
    let mut fx = store_a();
    let p = with_levels(&mut fx, "OOS-1", 5, None, None);
    let b = fx.receive(p, "L1", day(365), 3);
    sweep(&mut fx);
    assert_eq!(open_alerts(&mut fx, AlertType::LowStock).len(), 1);
    sell(&mut fx, p, 3);
    let _ = b;
    sweep(&mut fx);
    assert!(open_alerts(&mut fx, AlertType::LowStock).is_empty());
    let oos = open_alerts(&mut fx, AlertType::OutOfStock);
    assert_eq!(oos.len(), 1);
    assert_eq!(oos[0].severity, Severity::Critical);
    let counts = fx.run(ListAlerts::default()).open;
    assert_eq!(counts.critical, 1);
    // A product never received and without a reorder point raises nothing.
    fx.paracetamol();
    sweep(&mut fx);
    assert_eq!(open_alerts(&mut fx, AlertType::OutOfStock).len(), 1);
}

#[test]
fn expiring_soon_escalates_then_becomes_expired_and_resolves_when_written_off() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "E1", day(20), 10);
    fx.receive(p, "FAR", day(200), 10);
    sweep(&mut fx);
    let soon = open_alerts(&mut fx, AlertType::ExpiringSoon);
    assert_eq!(soon.len(), 1, "only the lot within 30 days");
    assert_eq!(soon[0].batch_id, Some(b));
    assert_eq!(soon[0].severity, Severity::Info);
    // Within a week: the same alert, now a warning.
    fx.set_now(now() + Duration::days(15));
    sweep(&mut fx);
    let soon = open_alerts(&mut fx, AlertType::ExpiringSoon);
    assert_eq!(soon.len(), 1);
    assert_eq!(soon[0].severity, Severity::Warning);
    assert_eq!(soon[0].alert_id, soon[0].alert_id);
    counts_agree(&fx);
    // Past its date: expiring_soon resolves, expired is raised.
    fx.set_now(now() + Duration::days(21));
    sweep(&mut fx);
    assert!(open_alerts(&mut fx, AlertType::ExpiringSoon).is_empty());
    assert_eq!(open_alerts(&mut fx, AlertType::Expired).len(), 1);
    counts_agree(&fx);
    fx.run(WriteoffBatch {
        batch_id: b,
        reason: AdjustmentReason::Expired,
        notes: None,
        approver_name: None,
        approver_pin: None,
    });
    sweep(&mut fx);
    assert!(open_alerts(&mut fx, AlertType::Expired).is_empty());
    fx.assert_verified();
}

#[test]
fn the_expiry_window_is_a_store_setting() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "E1", day(45), 10);
    sweep(&mut fx);
    assert!(open_alerts(&mut fx, AlertType::ExpiringSoon).is_empty());
    let s = fx.run(UpdateAlertSettings {
        expiry_alert_days: Some(60),
        ..Default::default()
    });
    assert_eq!(s.expiry_alert_days, 60);
    sweep(&mut fx);
    assert_eq!(open_alerts(&mut fx, AlertType::ExpiringSoon).len(), 1);
    let bad = fx.as_user(
        fx.admin,
        UpdateAlertSettings {
            expiry_alert_days: Some(0),
            ..Default::default()
        },
    );
    assert_kind(bad, "invalid_input");
    // A cashier may not change it.
    let c = fx.cashier;
    assert_kind(
        fx.as_user(
            c,
            UpdateAlertSettings {
                expiry_alert_days: Some(10),
                ..Default::default()
            },
        ),
        "forbidden",
    );
}

#[test]
fn a_recall_raises_a_critical_alert_at_once() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "R1", day(300), 10);
    fx.run(SetBatchStatus {
        batch_id: b,
        status: BatchStatus::Recalled,
        reason: Some("FDA class I".into()),
        recall_class: Some("I".into()),
    });
    let recall = open_alerts(&mut fx, AlertType::Recall);
    assert_eq!(recall.len(), 1);
    assert_eq!(recall[0].severity, Severity::Critical);
    assert!(recall[0].message.contains("class I"));
    // The sweep keeps it (no duplicate) while the lot holds stock; what it
    // raises is that nothing of the product is available any more.
    assert_eq!(sweep(&mut fx).raised, 1);
    assert_eq!(open_alerts(&mut fx, AlertType::OutOfStock).len(), 1);
    assert_eq!(open_alerts(&mut fx, AlertType::Recall).len(), 1);
    fx.run(WriteoffBatch {
        batch_id: b,
        reason: AdjustmentReason::Recall,
        notes: None,
        approver_name: None,
        approver_pin: None,
    });
    sweep(&mut fx);
    assert!(open_alerts(&mut fx, AlertType::Recall).is_empty());
    fx.assert_verified();
}

#[test]
fn people_acknowledge_resolve_and_dismiss_with_notes() {
    let mut fx = store_a();
    let p = with_levels(&mut fx, "ACK-1", 10, None, None);
    let q = with_levels(&mut fx, "ACK-2", 10, None, None);
    fx.receive(p, "L1", day(365), 5);
    fx.receive(q, "L2", day(365), 5);
    sweep(&mut fx);
    let low = open_alerts(&mut fx, AlertType::LowStock);
    let (a, b) = (low[0].alert_id, low[1].alert_id);
    // A cashier sees alerts but may not act on them.
    let c = fx.cashier;
    assert_kind(
        fx.as_user(
            c,
            AcknowledgeAlert {
                alert_id: a,
                note: None,
            },
        ),
        "forbidden",
    );
    let m = fx.manager;
    let acked = fx
        .as_user(
            m,
            AcknowledgeAlert {
                alert_id: a,
                note: Some("ordering Monday".into()),
            },
        )
        .unwrap();
    assert_eq!(acked.status, AlertStatus::Acknowledged);
    assert_eq!(acked.acknowledged_by.as_deref(), Some(MANAGER));
    assert_eq!(acked.acknowledged_note.as_deref(), Some("ordering Monday"));
    // Acknowledged twice: refused.
    assert_kind(
        fx.as_user(
            m,
            AcknowledgeAlert {
                alert_id: a,
                note: None,
            },
        ),
        "alert_not_open",
    );
    // The sweep leaves an acknowledged alert as it is (still one open).
    assert_eq!(sweep(&mut fx).raised, 0);
    counts_agree(&fx);
    let resolved = fx
        .as_user(
            m,
            ResolveAlert {
                alert_id: a,
                note: Some("ordered".into()),
            },
        )
        .unwrap();
    assert_eq!(resolved.status, AlertStatus::Resolved);
    let dismissed = fx
        .as_user(
            m,
            DismissAlert {
                alert_id: b,
                note: Some("seasonal".into()),
            },
        )
        .unwrap();
    assert_eq!(dismissed.status, AlertStatus::Dismissed);
    assert_kind(
        fx.as_user(
            m,
            ResolveAlert {
                alert_id: b,
                note: None,
            },
        ),
        "alert_not_open",
    );
    // The cause is still there: the next sweep raises new alerts.
    assert_eq!(sweep(&mut fx).raised, 2);
    counts_agree(&fx);
    assert_eq!(sweep(&mut fx).open.warning, 2);
    // Every step is an event of the store's record.
    let kinds: Vec<String> = fx
        .raw()
        .prepare(
            "SELECT change_type FROM inventory_audit WHERE change_type LIKE 'alert_%' ORDER BY seq",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        kinds.iter().filter(|k| *k == "alert_acknowledged").count(),
        1
    );
    assert_eq!(kinds.iter().filter(|k| *k == "alert_resolved").count(), 1);
    assert_eq!(kinds.iter().filter(|k| *k == "alert_dismissed").count(), 1);
    fx.assert_verified();
}

/// Notification tracking: each announcement is kept on the alert (first,
/// last, how many) and in the record (who, channel, till); `notified`
/// filters the list, which is how the desktop announces an alert once.
#[test]
fn announcements_are_tracked_on_the_alert_and_in_the_record() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "N1", day(300), 10);
    fx.run(SetBatchStatus {
        batch_id: b,
        status: BatchStatus::Recalled,
        reason: Some("FDA class I".into()),
        recall_class: Some("I".into()),
    });
    let unannounced = |fx: &mut Fx| {
        fx.run(ListAlerts {
            severity: Some(Severity::Critical),
            open_only: Some(true),
            notified: Some(false),
            ..Default::default()
        })
    };
    let page = unannounced(&mut fx);
    assert_eq!(page.total, 1);
    let alert = page.rows[0].clone();
    assert_eq!((alert.notified_count, alert.notified_at.clone()), (0, None));

    // A cashier at the till sees it: alerts are theirs to see.
    let c = fx.cashier;
    let told = fx
        .as_user(
            c,
            RecordAlertNotification {
                alert_id: alert.alert_id,
                channel: NotificationChannel::Desktop,
                terminal_id: Some("TILL-1".into()),
            },
        )
        .unwrap();
    assert_eq!(told.notified_count, 1);
    assert!(told.notified_at.is_some());
    assert_eq!(told.last_notified_at, told.notified_at);
    assert_eq!(
        told.status,
        AlertStatus::Active,
        "announcing is not acknowledging"
    );
    assert_eq!(unannounced(&mut fx).total, 0);
    let announced = fx.run(ListAlerts {
        notified: Some(true),
        ..Default::default()
    });
    assert_eq!(announced.total, 1);

    // Again (another till): the first time stays, the count grows.
    let m = fx.manager;
    let again = fx
        .as_user(
            m,
            RecordAlertNotification {
                alert_id: alert.alert_id,
                channel: NotificationChannel::Desktop,
                terminal_id: None,
            },
        )
        .unwrap();
    assert_eq!(again.notified_count, 2);
    assert_eq!(again.notified_at, told.notified_at);

    let events: Vec<(String, String)> = fx
        .raw()
        .prepare(
            "SELECT u.name, a.payload FROM inventory_audit a JOIN users u ON u.id = a.user_id
              WHERE a.change_type = 'alert_notified' ORDER BY a.seq",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].0, CASHIER);
    let data: serde_json::Value = serde_json::from_str(&events[0].1).unwrap();
    assert_eq!(data["data"]["channel"], "desktop");
    assert_eq!(data["data"]["terminal_id"], "TILL-1");
    assert_eq!(data["data"]["alert_id"], alert.alert_id.to_string());

    // Bad input changes nothing.
    assert_kind(
        fx.as_user(
            c,
            RecordAlertNotification {
                alert_id: pharmapos_engine::ids::AlertId::new(),
                channel: NotificationChannel::Desktop,
                terminal_id: None,
            },
        ),
        "not_found",
    );
    assert_kind(
        fx.as_user(
            c,
            RecordAlertNotification {
                alert_id: alert.alert_id,
                channel: NotificationChannel::Desktop,
                terminal_id: Some("T".repeat(65)),
            },
        ),
        "invalid_input",
    );
    assert_eq!(
        fx.run(ListAlerts::default()).rows[0].notified_count,
        2,
        "refused calls counted nothing"
    );
    fx.assert_verified();
}

#[test]
fn list_alerts_filters_and_pages() {
    let mut fx = store_a();
    for i in 0..5 {
        let p = with_levels(&mut fx, &format!("PG-{i}"), 10, None, None);
        fx.receive(p, "L", day(365), 1);
    }
    sweep(&mut fx);
    let page = fx.run(ListAlerts {
        alert_type: Some(AlertType::LowStock),
        limit: Some(2),
        offset: Some(2),
        ..Default::default()
    });
    assert_eq!(page.total, 5);
    assert_eq!(page.rows.len(), 2);
    assert_eq!(page.open.warning, 5);
    assert_eq!(page.open.info, 5, "reorder recommendations");
    let crit = fx.run(ListAlerts {
        severity: Some(Severity::Critical),
        ..Default::default()
    });
    assert_eq!(crit.total, 0);
    assert_kind(
        fx.as_user(
            fx.admin,
            ListAlerts {
                limit: Some(0),
                ..Default::default()
            },
        ),
        "invalid_input",
    );
}

#[test]
fn reorder_arithmetic_uses_net_usage_and_lead_time() {
    let mut fx = store_a();
    // Reorder point 10, max 100, lead time 5 days.
    let p = with_levels(&mut fx, "RO-1", 10, Some(100), Some(5));
    fx.receive(p, "L1", day(365), 200);
    // 60 sold over the window (30 days by default): 2 a day.
    fx.set_now(now() - Duration::days(10));
    sell(&mut fx, p, 60);
    fx.set_now(now());
    // Waste never counts.
    let b2 = fx.receive(p, "L2", day(365), 5);
    fx.run(WriteoffBatch {
        batch_id: b2,
        reason: AdjustmentReason::Damage,
        notes: None,
        approver_name: None,
        approver_pin: None,
    });
    // 140 available, lead demand 10: nothing to order.
    let none = fx.run(ListReorderRecommendations::default());
    assert_eq!(none.total, 0);
    sell(&mut fx, p, 132);
    // Now 192 sold in 30 days = 6.4 a day; lead demand 32 > reorder point 10; 8 left.
    let rec = fx.run(ListReorderRecommendations::default());
    assert_eq!(rec.total, 1);
    let r = &rec.rows[0];
    assert_eq!(r.usage, qi(192));
    assert_eq!(r.average_daily_usage.to_string(), "6.4");
    assert_eq!(r.trigger_level, q("32"));
    assert_eq!(r.target_level, qi(100));
    assert_eq!(r.recommended_quantity, qi(92));
    assert_eq!(r.days_of_stock.unwrap().to_string(), "1.2");
    // Sales older than the window are not counted.
    fx.set_now(now() + Duration::days(25));
    let rec = fx.run(ListReorderRecommendations::default());
    assert_eq!(rec.rows[0].usage, qi(132));
    // The sweep raises the recommendation as an alert, once.
    sweep(&mut fx);
    assert_eq!(open_alerts(&mut fx, AlertType::ReorderRecommended).len(), 1);
}

#[test]
fn without_a_maximum_the_order_doubles_the_trigger_level() {
    let mut fx = store_a();
    let p = with_levels(&mut fx, "RO-2", 10, None, None);
    fx.receive(p, "L1", day(365), 4);
    let r = &fx.run(ListReorderRecommendations::default()).rows[0];
    // No usage: trigger = reorder point 10, target 20, order 16.
    assert_eq!(r.trigger_level, qi(10));
    assert_eq!(r.target_level, qi(20));
    assert_eq!(r.recommended_quantity, qi(16));
    assert!(r.days_of_stock.is_none());
}

fn sweep_changed(fx: &mut Fx) -> pharmapos_engine::alerts::sweep::SweepResult {
    let s = fx.cashier;
    fx.as_user(
        s,
        RunAlertSweep {
            changed_only: Some(true),
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn a_sweep_of_what_changed_looks_only_at_products_moved_since_the_last_sweep() {
    let mut fx = store_a();
    let low = with_levels(&mut fx, "CH-1", 5, None, None);
    let other = with_levels(&mut fx, "CH-2", 5, None, None);
    fx.receive(low, "L1", day(365), 10);
    fx.receive(other, "O1", day(365), 10);
    // The first sweep of a store is a full one, whatever it asks.
    let first = sweep_changed(&mut fx);
    assert_eq!(first.raised, 0);
    // The sale that takes a product under its reorder point raises low stock
    // at the next sweep of what changed.
    sell(&mut fx, low, 7);
    let r = sweep_changed(&mut fx);
    assert_eq!(
        r.raised, 1,
        "only low stock: reorder waits for the full sweep"
    );
    let alerts = open_alerts(&mut fx, AlertType::LowStock);
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].product_id, Some(low));
    // Nothing moved since: nothing to look at, nothing written.
    let events = fx.event_count();
    let again = sweep_changed(&mut fx);
    assert_eq!((again.raised, again.resolved), (0, 0));
    assert_eq!(fx.event_count(), events);
    // A lot of the other product that comes within the expiry window by the
    // calendar alone (no stock moved) is the full sweep's to find.
    fx.receive(other, "O2", day(400), 1);
    fx.set_now(now() + Duration::days(340));
    sweep_changed(&mut fx);
    let soon = open_alerts(&mut fx, AlertType::ExpiringSoon);
    assert_eq!(
        soon.len(),
        1,
        "lot O1 of the product just received: {soon:?}"
    );
    assert_eq!(soon[0].product_id, Some(other));
    sweep(&mut fx);
    let soon = open_alerts(&mut fx, AlertType::ExpiringSoon);
    assert!(soon.iter().any(|a| a.product_id == Some(low)), "{soon:?}");
    // Restocking resolves through the scoped sweep too.
    fx.receive(low, "L2", day(700), 20);
    let r = sweep_changed(&mut fx);
    assert!(r.resolved >= 1);
    assert!(open_alerts(&mut fx, AlertType::LowStock).is_empty());
    fx.assert_verified();
}

/// The full sweep in steps of `chunk`, as the cashier.
fn sweep_in_steps(fx: &mut Fx, chunk: usize) -> pharmapos_engine::alerts::sweep::SweepResult {
    let s = fx.cashier;
    let mut plan = SweepPlan::read(&mut fx.db, &s, None).unwrap();
    let mut steps = 0;
    loop {
        steps += 1;
        if let Some(r) = plan.step(&mut fx.db, &s, chunk).unwrap() {
            assert_eq!(plan.remaining(), 0);
            assert!(steps >= 1);
            return r;
        }
    }
}

/// Every open alert as (type, subject, severity, status), in order.
fn open_set(fx: &Fx) -> Vec<(String, String, String, String)> {
    fx.raw()
        .prepare(
            "SELECT alert_type, subject_id, severity, status FROM alerts
              WHERE status IN ('active', 'acknowledged') ORDER BY 1, 2",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn the_full_sweep_in_steps_leaves_what_the_sweep_in_one_would() {
    let mut fx = store_a();
    let mut low = Vec::new();
    for i in 0..5 {
        let p = with_levels(&mut fx, &format!("ST-{i}"), 10, None, None);
        fx.receive(p, &format!("S{i}"), day(365), 5);
        low.push(p);
    }
    let p = fx.paracetamol();
    fx.receive(p, "E1", day(20), 10);
    // Two at a time: raises spread over several transactions.
    let r = sweep_in_steps(&mut fx, 2);
    assert_eq!(
        r.raised,
        6 + 5,
        "5 low, 1 expiring, 5 reorder recommendations"
    );
    assert_eq!(r.resolved, 0);
    let after_steps = open_set(&fx);
    // The sweep in one transaction finds nothing left to do.
    let again = sweep(&mut fx);
    assert_eq!((again.raised, again.resolved), (0, 0));
    assert_eq!(again.open, r.open);
    assert_eq!(open_set(&fx), after_steps);
    counts_agree(&fx);

    // Days pass (the lot comes within a week) and one product is restocked:
    // in steps of one, the expiring alert escalates and the low one resolves.
    fx.set_now(now() + Duration::days(15));
    fx.receive(low[0], "S0-2", day(365), 50);
    let r = sweep_in_steps(&mut fx, 1);
    assert_eq!(r.raised, 0);
    assert!(r.resolved >= 1, "{r:?}");
    let soon = open_alerts(&mut fx, AlertType::ExpiringSoon);
    assert_eq!(soon[0].severity, Severity::Warning);
    assert!(open_alerts(&mut fx, AlertType::LowStock)
        .iter()
        .all(|a| a.product_id != Some(low[0])));
    let after_steps = open_set(&fx);
    let again = sweep(&mut fx);
    assert_eq!((again.raised, again.resolved), (0, 0));
    assert_eq!(open_set(&fx), after_steps);
    counts_agree(&fx);

    // Its mark is the record as first read: a sale after it is swept by
    // the sweep of what changed.
    sell(&mut fx, low[1], 5);
    assert_eq!(sweep_changed(&mut fx).raised, 1, "out of stock");
    let s = fx.cashier;
    let mut plan = SweepPlan::read(&mut fx.db, &s, None).unwrap();
    assert_kind(plan.step(&mut fx.db, &s, 0), "invalid_input");
    fx.assert_verified();
}
