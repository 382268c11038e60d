//! Stock control at the end of the day: a write-off and a return to supplier
//! that wait for a manager, the approvals queue, a rejection (which needs a
//! reason), and the stock freeze date.

use super::super::recorder::{id, Recorder};
use super::Catalogue;
use serde_json::json;

pub(super) fn approvals(d: &mut Recorder, c: &Catalogue) {
    d.at("2026-02-21T08:00:00Z");
    let (vitc, emzor) = (&c.vitc, &c.emzor);
    let vc = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": vitc, "batch_number": "VC-2410", "quantity": "60", "expiry_date": "2027-10-31", "supplier_id": emzor}),
        ),
        "batch_id",
    );
    let vc2 = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": vitc, "batch_number": "VC-2411", "quantity": "24", "expiry_date": "2027-11-30", "supplier_id": emzor}),
        ),
        "batch_id",
    );
    d.say(
        "return_to_supplier",
        "A cashier sends 40 tablets back to the batch's supplier; over the store's threshold it waits for a manager:",
    );
    let ret = id(
        &d.call(
            "chidi",
            "return_to_supplier",
            json!({"batch_id": vc, "quantity": "40", "reason": "damage", "notes": "crushed bottles, Emzor RMA 5521"}),
        ),
        "id",
    );
    d.say(
        "writeoff_batch",
        "A cashier's write-off over the threshold waits too (the quantity on hand when asked is what a manager approves):",
    );
    let wo = id(
        &d.call(
            "chidi",
            "writeoff_batch",
            json!({"batch_id": vc2, "reason": "obsolete", "notes": "old label"}),
        ),
        "id",
    );
    d.call("musa", "list_approvals", json!({}));
    d.call(
        "musa",
        "approve_adjustment",
        json!({"adjustment_id": ret, "notes": "RMA confirmed by phone"}),
    );
    d.refusal("a rejection without a reason");
    d.fails("musa", "reject_adjustment", json!({"adjustment_id": wo}));
    d.quietly(
        "musa",
        "reject_adjustment",
        json!({"adjustment_id": wo, "notes": "relabel instead"}),
    );

    d.say(
        "set_stock_freeze_date",
        "After the month-end count the manager closes the books up to today:",
    );
    d.call(
        "musa",
        "set_stock_freeze_date",
        json!({"freeze_date": "2026-02-21", "reason": "month-end count signed off"}),
    );
    d.refusal("a freeze date in the future");
    d.fails(
        "musa",
        "set_stock_freeze_date",
        json!({"freeze_date": "2026-02-22", "reason": "too early"}),
    );
    d.refusal("moving the freeze date earlier as a manager (admins only)");
    d.fails(
        "musa",
        "set_stock_freeze_date",
        json!({"freeze_date": "2026-02-01", "reason": "reopen"}),
    );
    // A PC whose clock says yesterday: every stock movement is refused.
    d.at("2026-02-20T20:00:00Z");
    d.refusal("a stock movement dated before the freeze date (a PC clock a day behind)");
    d.fails(
        "chidi",
        "adjust_stock",
        json!({"batch_id": vc, "quantity_change": "-1", "reason": "damage"}),
    );
    d.at("2026-02-21T08:30:00Z");
}
