//! The next morning: stock moves from Lekki to the Ikeja branch (both
//! stores in this one file, so each transfer completes locally), one
//! arriving short and damaged, and the discrepancies settled at the source.

use super::{Batches, Catalogue};
use crate::reference::recorder::{id, Recorder};
use serde_json::json;

pub(super) fn morning(d: &mut Recorder, c: &Catalogue, b: &Batches) {
    d.at("2026-01-17T08:00:00Z");
    let stores = d.quietly("ada", "list_stores", json!({}));
    let code_of = |s: &serde_json::Value| s["code"].as_str().unwrap_or("").to_string();
    let store = |code: &str| {
        stores
            .as_array()
            .and_then(|a| a.iter().find(|s| code_of(s) == code))
            .map(|s| id(s, "id"))
            .unwrap_or_default()
    };
    let (lekki, ikeja) = (store("LEK-01"), store("IKJ-01"));
    // Ikeja's manager, who receives there (and nowhere else).
    d.quietly(
        "ada",
        "create_user",
        json!({"name": "kemi", "role": "manager", "store_id": ikeja, "pin": "9753"}),
    );
    d.say(
        "list_store_directory",
        "Kemi works only at Ikeja, so `list_stores` shows her one store; the directory shows every active store, to send a transfer to:",
    );
    d.call("kemi", "list_store_directory", json!({}));
    d.say(
        "create_transfer",
        "The cashier drafts a transfer to the Ikeja branch: 40 tablets of one batch, and 4 of vitamin C by FEFO (chosen when it ships):",
    );
    let t = id(
        &d.call(
            "chidi",
            "create_transfer",
            json!({"to_store_id": ikeja, "lines": [
                {"product_id": c.para, "quantity": 40, "batch_id": b.pcm2},
                {"product_id": c.vitc, "quantity": 4}],
                "notes": "Ikeja ran out over the weekend"}),
        ),
        "id",
    );
    d.call("chidi", "request_transfer", json!({"transfer_id": t}));
    d.call("musa", "approve_transfer", json!({"transfer_id": t}));
    d.call(
        "musa",
        "ship_transfer",
        json!({"transfer_id": t, "carrier": "GIG Logistics", "tracking_number": "GIG-88213"}),
    );
    d.say(
        "list_transfers",
        "Ikeja's incoming transfers (its manager works only there):",
    );
    d.call("kemi", "list_transfers", json!({"direction": "incoming"}));
    let shipped = d.call("kemi", "get_transfer", json!({"transfer_id": t}));
    let lot = |i: usize| id(&shipped["lots"][i], "id");
    d.refusal("more than is still expected of a lot");
    d.fails(
        "kemi",
        "receive_transfer",
        json!({"transfer_id": t, "lines": [{"lot_id": lot(0), "received": 41}]}),
    );
    d.say(
        "receive_transfer",
        "The van brings 35 good tablets and 2 crushed ones; the manager says that's all (`close`), so the 3 missing are recorded short. It answers whether the transfer is now fully accounted for:",
    );
    d.call(
        "kemi",
        "receive_transfer",
        json!({"transfer_id": t, "close": true, "lines": [
            {"lot_id": lot(0), "received": 35, "damaged": 2},
            {"lot_id": lot(1), "received": 4}]}),
    );
    let received = d.quietly("musa", "get_transfer", json!({"transfer_id": t}));
    let disc = |i: usize| id(&received["discrepancies"][i], "id");
    d.refusal("the destination resolving a discrepancy (the source bears it)");
    d.fails(
        "kemi",
        "resolve_discrepancy",
        json!({"discrepancy_id": disc(1), "resolution": "lost_in_transit"}),
    );
    d.say(
        "resolve_discrepancy",
        "The 2 crushed tablets, worth less at cost than the source's approval threshold, are written off on the cashier's word. With the threshold lowered to ₦50, the cashier's resolution of the 3 missing ones (worth more) waits for a manager, who refuses it, then approves the next:",
    );
    d.call(
        "chidi",
        "resolve_discrepancy",
        json!({"discrepancy_id": disc(0), "resolution": "written_off", "notes": "crushed in the van"}),
    );
    d.call(
        "ada",
        "update_store",
        json!({"id": lekki, "adjustment_approval_value": "50"}),
    );
    d.call(
        "chidi",
        "resolve_discrepancy",
        json!({"discrepancy_id": disc(1), "resolution": "returned", "notes": "driver says they are in the van"}),
    );
    d.call(
        "musa",
        "reject_discrepancy",
        json!({"discrepancy_id": disc(1), "reason": "the driver found nothing"}),
    );
    d.call(
        "chidi",
        "resolve_discrepancy",
        json!({"discrepancy_id": disc(1), "resolution": "lost_in_transit"}),
    );
    d.call(
        "musa",
        "approve_discrepancy",
        json!({"discrepancy_id": disc(1)}),
    );
    d.quietly(
        "ada",
        "update_store",
        json!({"id": lekki, "adjustment_approval_value": "100"}),
    );

    d.say(
        "initiate_transfer",
        "Seed 003's one-shot form: a manager sends one batch; it is drafted, approved and shipped at once and answers the seed's `pending` (awaiting receipt):",
    );
    let seed = d.call(
        "musa",
        "initiate_transfer",
        json!({"from_store_id": lekki, "to_store_id": ikeja, "product_id": c.para,
               "batch_number": "PCM-2405", "quantity": 10}),
    );
    d.call("kemi", "get_pending_transfers", json!({"store_id": ikeja}));
    d.quietly(
        "kemi",
        "receive_transfer",
        json!({"transfer_id": id(&seed, "transfer_id"), "received_quantity": 10}),
    );
    let draft = id(
        &d.quietly(
            "chidi",
            "create_transfer",
            json!({"to_store_id": ikeja, "lines": [{"product_id": c.para, "quantity": 5}]}),
        ),
        "id",
    );
    d.call(
        "musa",
        "cancel_transfer",
        json!({"transfer_id": draft, "reason": "Ikeja received a delivery"}),
    );
}
