//! The week after the month-end freeze: the spa's practitioner orders from Emzor, the manager
//! approves and follows the order, it arrives in two parts (some packs
//! crushed), and Emzor's performance is read from the history.

use super::Catalogue;
use crate::reference::recorder::{id, Recorder};
use serde_json::json;

pub(super) fn orders(d: &mut Recorder, c: &Catalogue) {
    d.at("2026-02-23T08:00:00Z");
    d.say(
        "set_purchase_order_limit",
        "The owner sets the order total above which a purchase order waits for a manager:",
    );
    d.call("ada", "set_purchase_order_limit", json!({"limit": "10000"}));
    d.say(
        "create_purchase_order",
        "Ngozi (a practitioner: she may order, a cashier may not) drafts an order to Emzor: paracetamol at 18.00 less 5 %, vitamin C less a fixed ₦100, ₦1,500 delivery. The totals are computed exactly:",
    );
    let po = d.call(
        "ngozi",
        "create_purchase_order",
        json!({"supplier_id": c.emzor, "expected_date": "2026-02-27",
               "vendor_notes": "Deliver to the back door",
               "shipping": "1500",
               "lines": [
                   {"product_id": c.para, "quantity": 1000, "unit_cost": "18", "discount_percent": "5"},
                   {"product_id": c.vitc, "quantity": 120, "unit_cost": "14.50", "discount_amount": "100"}]}),
    );
    let po_id = id(&po, "id");
    d.call(
        "ngozi",
        "update_purchase_order",
        json!({"purchase_order_id": po_id, "internal_notes": "for the February promotion"}),
    );
    d.say(
        "submit_purchase_order",
        "Its total is over the store's purchase-order limit, so it waits for a manager:",
    );
    d.call(
        "ngozi",
        "submit_purchase_order",
        json!({"purchase_order_id": po_id}),
    );
    d.call(
        "musa",
        "reject_purchase_order",
        json!({"purchase_order_id": po_id, "reason": "800 tablets are enough"}),
    );
    d.quietly(
        "ngozi",
        "update_purchase_order",
        json!({"purchase_order_id": po_id, "lines": [
            {"product_id": c.para, "quantity": 800, "unit_cost": "18", "discount_percent": "5"},
            {"product_id": c.vitc, "quantity": 120, "unit_cost": "14.50", "discount_amount": "100"}]}),
    );
    d.quietly(
        "ngozi",
        "submit_purchase_order",
        json!({"purchase_order_id": po_id}),
    );
    d.call(
        "musa",
        "approve_purchase_order",
        json!({"purchase_order_id": po_id}),
    );
    d.call(
        "musa",
        "confirm_purchase_order",
        json!({"purchase_order_id": po_id, "expected_date": "2026-02-26", "vendor_reference": "EMZ-SO-5531"}),
    );
    d.call(
        "musa",
        "ship_purchase_order",
        json!({"purchase_order_id": po_id, "carrier": "GIG Logistics", "tracking_number": "GIG-90417"}),
    );
    let items = d.quietly(
        "musa",
        "get_purchase_order",
        json!({"purchase_order_id": po_id}),
    );
    let item = |i: usize| id(&items["items"][i], "id");

    d.at("2026-02-24T10:00:00Z");
    d.say(
        "receive_purchase_order",
        "The first part arrives: 500 tablets, the paracetamol line scanned from the pack's GS1 label (batch, expiry and count filled from it), and the vitamin C with 10 tablets crushed. Accepted units go into stock exactly as `receive_stock` puts them; the order is partly received:",
    );
    d.call(
        "musa",
        "receive_purchase_order",
        json!({"purchase_order_id": po_id, "notes": "driver Tunde", "lines": [
            {"scan": "(01)06151100012357(17)280131(10)PCM-2601(30)500"},
            {"item_id": item(1), "batch_number": "VC-2601", "expiry_date": "2027-12-31",
             "quantity": 60, "damaged": 10}]}),
    );
    d.refusal("accepting more than the line ordered (a manager may allow it)");
    d.fails(
        "musa",
        "receive_purchase_order",
        json!({"purchase_order_id": po_id, "lines": [
            {"item_id": item(0), "batch_number": "PCM-2601", "expiry_date": "2028-01-31", "quantity": 301}]}),
    );
    d.at("2026-02-25T10:00:00Z");
    d.call(
        "musa",
        "receive_purchase_order",
        json!({"purchase_order_id": po_id, "lines": [
            {"item_id": item(0), "batch_number": "PCM-2601", "expiry_date": "2028-01-31", "quantity": 300},
            {"item_id": item(1), "batch_number": "VC-2601", "expiry_date": "2027-12-31", "quantity": 60}]}),
    );
    d.say(
        "set_purchase_order_payment",
        "The store pays the vendor on its terms; the manager records the transfer against the order:",
    );
    d.call(
        "musa",
        "set_purchase_order_payment",
        json!({"purchase_order_id": po_id, "payment_status": "paid", "reference": "GTB-TRF-88231"}),
    );
    d.say(
        "get_purchase_order",
        "The order with each line's ordered, received, damaged and pending quantities and its two receipts:",
    );
    d.call(
        "musa",
        "get_purchase_order",
        json!({"purchase_order_id": po_id}),
    );

    let extra = id(
        &d.quietly(
            "ngozi",
            "create_purchase_order",
            json!({"supplier_id": c.emzor, "lines": [{"product_id": c.ibu, "quantity": 200}]}),
        ),
        "id",
    );
    d.quietly(
        "ngozi",
        "submit_purchase_order",
        json!({"purchase_order_id": extra}),
    );
    d.say(
        "cancel_purchase_order",
        "An order nobody needs any more is cancelled with the reason (a partly received one would be closed short instead, keeping what came):",
    );
    d.call(
        "musa",
        "cancel_purchase_order",
        json!({"purchase_order_id": extra, "reason": "ibuprofen comes with the next transfer"}),
    );
    d.call("musa", "list_purchase_orders", json!({}));
    // Vitamin C sells faster than its old levels said; ibuprofen gets a reorder point.
    d.quietly(
        "ada",
        "update_product",
        json!({"id": c.vitc, "thresholds": {"reorder_point": "1000", "max_level": "1500"}}),
    );
    d.quietly(
        "ada",
        "update_product",
        json!({"id": c.ibu, "thresholds": {"reorder_point": "50", "max_level": "200"}}),
    );
    d.say(
        "draft_orders_from_reorder",
        "What the reorder recommendations say to buy, drafted as one order per vendor (products no vendor ever delivered are listed as skipped):",
    );
    d.call("musa", "draft_orders_from_reorder", json!({}));
    d.say(
        "get_vendor_performance",
        "Emzor's record from the orders' history: delivered by the expected date, lead time from the order date to the first receipt, and the crushed tablets against its quality:",
    );
    d.call("musa", "get_vendor_performance", json!({}));
}
