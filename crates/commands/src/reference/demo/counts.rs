//! Before opening the next morning: a cycle count of paracetamol while the
//! till is already selling, and seed 003's one-shot reconciliation.

use super::super::recorder::{id, Recorder};
use super::{Batches, Catalogue};
use serde_json::json;

pub(super) fn morning(d: &mut Recorder, store_id: &str, c: &Catalogue, b: &Batches) {
    d.at("2026-01-16T06:30:00Z");
    d.say(
        "create_count",
        "A cycle count of paracetamol's batches; lines are ordered for walking the shelves:",
    );
    let count = id(
        &d.call(
            "musa",
            "create_count",
            json!({"count_type": "cycle", "product_ids": [c.para], "notes": "weekly cycle, shelf A"}),
        ),
        "id",
    );
    let spare = id(
        &d.quietly(
            "musa",
            "create_count",
            json!({"count_type": "spot", "batch_ids": [b.vc1], "blind": true}),
        ),
        "id",
    );
    d.call(
        "musa",
        "cancel_count",
        json!({"count_id": spare, "reason": "created twice"}),
    );
    d.say(
        "start_count",
        "Counting starts: every line's system quantity is snapshotted; the shop keeps selling:",
    );
    d.call("chidi", "start_count", json!({"count_id": count}));
    let sheet = d.call(
        "chidi",
        "get_count",
        json!({"count_id": count, "lines": "uncounted", "limit": 50}),
    );
    let lines: Vec<(String, i64)> = sheet["lines"]
        .as_array()
        .map(|ls| {
            ls.iter()
                .map(|l| {
                    (
                        id(l, "batch_id"),
                        l["system_quantity"]
                            .as_str()
                            .and_then(|q| q.parse().ok())
                            .unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    d.say(
        "record_count",
        "Two tablets short on the first batch; each count is compared with the system at the moment it is entered:",
    );
    for (n, (batch, system)) in lines.iter().enumerate() {
        let counted = if n == 0 { system - 2 } else { *system };
        let req =
            json!({"count_id": count, "batch_id": batch, "quantity": counted.max(0).to_string()});
        if n == 0 {
            d.call("chidi", "record_count", req);
        } else {
            d.quietly("chidi", "record_count", req);
        }
    }
    d.call("chidi", "complete_count", json!({"count_id": count}));
    d.call(
        "musa",
        "approve_count",
        json!({"count_id": count, "notes": "blister packs split"}),
    );
    d.say(
        "post_count",
        "Posting keeps whatever moved after each line was counted, in one transaction:",
    );
    d.call("musa", "post_count", json!({"count_id": count}));
    d.call("musa", "list_counts", json!({"status": "posted"}));

    d.say(
        "reconcile_inventory",
        "Seed 003's one-shot reconciliation, argument names as the seed writes them:",
    );
    d.call(
        "musa",
        "reconcile_inventory",
        json!({"store_id": store_id, "user_id": null, "notes": "vitamin C shelf: three packs found behind the display",
               "counts_data": [{"product_id": c.vitc, "batch_id": b.vc1, "counted_qty": 3}]}),
    );
}
