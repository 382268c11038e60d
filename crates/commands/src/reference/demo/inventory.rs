//! The back office: people, stores, the catalogue, stock and the refusals
//! an inventory meets.

use super::{Batches, Catalogue};
use crate::reference::recorder::{id, Recorder, ERRORS};
use serde_json::json;

pub(super) fn catalogue(d: &mut Recorder, store: &str) -> Catalogue {
    // People and stores.
    d.call(
        "ada",
        "create_user",
        json!({"name": "musa", "role": "manager", "pin": "2468"}),
    );
    let chidi = id(
        &d.call(
            "ada",
            "create_user",
            json!({"name": "chidi", "role": "cashier", "pin": "1357"}),
        ),
        "id",
    );
    d.quietly(
        "ada",
        "create_user",
        json!({"name": "ngozi", "role": "practitioner", "pin": "8642"}),
    );
    let temp = id(
        &d.quietly(
            "ada",
            "create_user",
            json!({"name": "temp", "role": "cashier"}),
        ),
        "id",
    );
    d.call(
        "ada",
        "update_user",
        json!({"id": temp, "is_active": false}),
    );
    d.call("ada", "list_users", json!({"include_inactive": true}));
    let ikeja = id(
        &d.call(
            "ada",
            "create_store",
            json!({"name": "Ikeja Branch", "code": "IKJ-01", "timezone": "Africa/Lagos", "address": "12 Allen Avenue, Ikeja"}),
        ),
        "id",
    );
    d.say(
        "assign_user_store",
        "A cashier of the first store also works at the new branch, as a cashier there (the creator of a store is its admin):",
    );
    d.call(
        "ada",
        "assign_user_store",
        json!({"user_id": chidi, "store_id": ikeja, "role": "cashier"}),
    );
    d.call("ada", "list_user_stores", json!({"user_id": chidi}));
    d.call(
        "ada",
        "remove_user_store",
        json!({"user_id": chidi, "store_id": ikeja}),
    );
    d.call(
        "ada",
        "update_store",
        json!({"id": store, "phone": "+234 800 000 0000", "locale": "en-NG", "tax_number": "TIN 01234567-0001",
               "licence_number": "PCN/LAG/2026/0042", "adjustment_approval_units": "10", "adjustment_approval_value": "5000"}),
    );
    d.call("ada", "list_stores", json!({}));

    // Catalogue.
    let analgesics = id(
        &d.call(
            "ada",
            "create_category",
            json!({"name": "Analgesics", "description": "Pain relief"}),
        ),
        "id",
    );
    let oral = id(
        &d.call(
            "ada",
            "create_category",
            json!({"name": "Oral", "parent_id": analgesics}),
        ),
        "id",
    );
    let aesthetics = id(
        &d.quietly("ada", "create_category", json!({"name": "Aesthetics"})),
        "id",
    );
    d.call("ada", "list_categories", json!({}));
    let emzor = id(
        &d.call(
            "ada",
            "create_supplier",
            json!({"name": "Emzor Distribution", "contact_person": "Bola Ade", "email": "orders@emzor.example", "phone": "+234 1 000 0000", "payment_terms": "Net 30", "is_preferred": true, "categories": ["medicine"], "average_lead_time_days": 3}),
        ),
        "id",
    );
    let glow = id(
        &d.quietly(
            "ada",
            "create_supplier",
            json!({"name": "Glow Aesthetics Supply", "payment_terms": "COD", "categories": ["neurotoxin", "filler"]}),
        ),
        "id",
    );
    d.call(
        "ada",
        "update_supplier",
        json!({"id": glow, "quality_rating": "4.5", "on_time_delivery_rate": "97.5"}),
    );
    d.call("ada", "get_supplier", json!({"id": emzor}));
    d.call("ada", "list_suppliers", json!({}));
    let para = id(
        &d.call(
            "ada",
            "create_product",
            json!({"sku": "PARA-500", "name": "Paracetamol 500mg tablets", "generic_name": "paracetamol", "brand": "Emzor", "category": "medicine", "category_id": oral, "nafdac_number": "A4-1234", "barcodes": ["6151100012345"], "unit": "tablet", "cost_price": "20", "selling_price": "50", "tax_rate": "7.5", "thresholds": {"reorder_point": "100", "min_level": "50", "max_level": "2000"}}),
        ),
        "id",
    );
    let btx = id(
        &d.call(
            "ada",
            "create_product",
            json!({"sku": "BTX-100", "name": "Botulinum toxin type A 100U vial", "category": "neurotoxin", "category_id": aesthetics, "unit": "unit", "allow_fractional": true, "prescription_only": true, "cost_price": "900", "selling_price": "2500", "injectable": {"concentration": "100 units/vial", "dilution_ratio": "2.5 ml saline", "reconstitution_required": true, "units_per_vial": "100", "stability_hours": 24}, "storage": {"temperature_min_c": "2", "temperature_max_c": "8", "refrigerated": true}}),
        ),
        "id",
    );
    let vitc = id(
        &d.quietly(
            "ada",
            "create_product",
            json!({"sku": "VITC-1000", "name": "Vitamin C 1000mg tablets", "category": "supplement", "unit": "tablet", "cost_price": "15", "selling_price": "40"}),
        ),
        "id",
    );
    let ibu = id(
        &d.quietly(
            "ada",
            "create_product",
            json!({"sku": "IBU-400", "name": "Ibuprofen 400mg tablets", "category": "medicine", "unit": "tablet", "cost_price": "25", "selling_price": "60"}),
        ),
        "id",
    );
    d.call(
        "ada",
        "update_product",
        json!({"id": para, "selling_price": "55", "barcodes": ["6151100012345", "6151100012357"]}),
    );
    d.call("ada", "get_product", json!({"id": btx}));
    let old = id(
        &d.quietly(
            "ada",
            "create_product",
            json!({"sku": "OLD-01", "name": "Discontinued cough syrup", "status": "discontinued"}),
        ),
        "id",
    );
    d.call("ada", "delete_product", json!({"id": old}));
    Catalogue {
        para,
        btx,
        vitc,
        ibu,
        emzor,
        glow,
    }
}

pub(super) fn stock(d: &mut Recorder, c: &Catalogue) -> Batches {
    let (para, btx, vitc, emzor, glow) = (&c.para, &c.btx, &c.vitc, &c.emzor, &c.glow);
    // Receiving.
    let pcm1 = id(
        &d.call(
            "musa",
            "receive_stock",
            json!({"product_id": para, "batch_number": "PCM-2401", "quantity": 200, "expiry_date": "2026-02-10", "supplier_id": emzor, "reference_number": "INV-1001", "location": "Shelf A3"}),
        ),
        "batch_id",
    );
    let pcm2 = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": para, "batch_number": "PCM-2405", "quantity": "500", "expiry_date": "2027-05-31", "manufacture_date": "2025-06-01", "cost_price": "18.5", "supplier_id": emzor, "reference_number": "INV-1001", "location": "Shelf A3"}),
        ),
        "batch_id",
    );
    d.say(
        "receive_stock",
        "The same batch number with the same expiry tops the batch up (the unit cost becomes the weighted average):",
    );
    d.call(
        "musa",
        "receive_stock",
        json!({"product_id": para, "batch_number": "PCM-2405", "quantity": "100", "expiry_date": "2027-05-31", "cost_price": "21", "supplier_id": emzor, "reference_number": "INV-1002"}),
    );
    d.quietly(
        "musa",
        "receive_stock",
        json!({"product_id": para, "batch_number": "PCM-2319", "quantity": "40", "expiry_date": "2026-01-20", "supplier_id": emzor}),
    );
    d.say(
        "receive_stock",
        "A med-spa neurotoxin, received in units (the product allows fractions):",
    );
    let btx1 = id(
        &d.call(
            "musa",
            "receive_stock",
            json!({"product_id": btx, "batch_number": "BTX-A1", "quantity": "200", "expiry_date": "2026-06-30", "supplier_id": glow, "location": "Fridge 1"}),
        ),
        "batch_id",
    );
    let btx2 = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": btx, "batch_number": "BTX-A2", "quantity": "100", "expiry_date": "2026-11-30", "supplier_id": glow, "location": "Fridge 1"}),
        ),
        "batch_id",
    );
    let vc1 = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": vitc, "batch_number": "VC-01", "quantity": "10", "expiry_date": "2026-09-30", "supplier_id": emzor}),
        ),
        "batch_id",
    );
    let ibu1 = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": c.ibu, "batch_number": "IBU-2402", "quantity": "20", "expiry_date": "2027-02-28", "supplier_id": emzor}),
        ),
        "batch_id",
    );

    // A receipt booked in error is taken back while nothing has left it.
    let wrong = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": c.ibu, "batch_number": "IBU-9999", "quantity": "12", "expiry_date": "2027-03-31", "cost_price": "30", "supplier_id": emzor}),
        ),
        "receipt_id",
    );
    d.call(
        "musa",
        "reverse_receipt",
        json!({"receipt_id": wrong, "reason": "booked on the wrong product"}),
    );
    d.call_first(2, "musa", "list_receipts", json!({}));

    // A delivery: the invoice once, lines from scans, posted all or nothing.
    d.say(
        "parse_scan",
        "The Receiving screen reads a pack's GS1 DataMatrix (bracket form here): the product by its GTIN, and the batch, expiry and serial to fill in the line:",
    );
    d.call(
        "musa",
        "parse_scan",
        json!({"code": "(01)06151100012357(17)281100(10)PCM-2811(21)SN-0042"}),
    );
    d.say(
        "receive_delivery",
        "The delivery is posted in one call; `total` is Σ quantity × unit cost:",
    );
    d.call(
        "musa",
        "receive_delivery",
        json!({"supplier_id": emzor, "reference_number": "INV-1010", "location": "Shelf A3", "lines": [
            {"product_id": para, "batch_number": "PCM-2811", "quantity": "120", "expiry_date": "2028-11-30", "serial_number": "SN-0042", "cost_price": "19.50"},
            {"product_id": btx, "batch_number": "BTX-B1", "quantity": "50", "expiry_date": "2027-01-31", "cost_price": "880", "location": "Fridge 1"}
        ]}),
    );
    d.refusal("a delivery line that cannot be received; nothing of the delivery is booked");
    d.say(
        ERRORS,
        "`receive_delivery` names the refused line's field as a path (`lines.<index>.<field>`, from 0):",
    );
    d.fails(
        "musa",
        "receive_delivery",
        json!({"supplier_id": emzor, "reference_number": "INV-1011", "lines": [
            {"product_id": para, "batch_number": "PCM-2812", "quantity": "10", "expiry_date": "2028-12-31", "cost_price": "19.50"},
            {"product_id": para, "batch_number": "PCM-2813", "quantity": "10", "expiry_date": "2025-01-31", "cost_price": "19.50"}
        ]}),
    );

    // Views.
    d.call("ada", "search_products", json!({"query": "para"}));
    d.call("ada", "search_products", json!({"query": "6151100012357"}));
    d.call_first(3, "chidi", "get_store_inventory", json!({}));
    d.say(
        "list_products",
        "The Products screen's list: a page at a time, filtered, sorted and counted by the engine. Active products, most stock first, two to a page:",
    );
    d.call(
        "ada",
        "list_products",
        json!({"active": true, "sort": "on_hand", "descending": true, "limit": 2}),
    );
    d.say(
        "list_batches",
        "The Stock screen's list: the two batches holding the most value (`value` = on hand × unit cost), and how many batches hold stock:",
    );
    d.call(
        "chidi",
        "list_batches",
        json!({"sort": "value", "descending": true, "limit": 2}),
    );
    d.call("chidi", "get_batch", json!({"batch_id": pcm1}));
    d.call("chidi", "get_product_stock", json!({"product_id": para}));
    d.call("chidi", "get_expiring_batches", json!({"days": 30}));

    // Sales.
    d.say(
        "allocate_stock_for_sale",
        "100 tablets: FEFO empties PCM-2319 (40, expiring 2026-01-20) and takes the rest from PCM-2401 (expiring 2026-02-10); PCM-2405 (2027) is untouched:",
    );
    d.call(
        "chidi",
        "allocate_stock_for_sale",
        json!({"product_id": para, "quantity": 100, "reference_id": "SALE-0001"}),
    );
    d.say(
        "allocate_stock_for_sale",
        "A neurotoxin treatment dose of 12.5 units, by a practitioner:",
    );
    d.call(
        "ngozi",
        "allocate_stock_for_sale",
        json!({"product_id": btx, "quantity": "12.5", "reference_id": "TX-0001"}),
    );
    d.say(
        "allocate_stock_for_sale",
        "A shortage with `allow_partial` left at its default (true): what there is is allocated, the shortage is reported and a backorder suggested:",
    );
    d.call(
        "chidi",
        "allocate_stock_for_sale",
        json!({"product_id": vitc, "quantity": 15}),
    );

    // Backorders.
    let bo1 = id(
        &d.call(
            "chidi",
            "create_backorder",
            json!({"product_id": vitc, "quantity": 5, "customer_name": "Mrs Okafor", "customer_phone": "+234 803 000 0000", "notes": "call when in"}),
        ),
        "backorder_id",
    );
    let bo2 = id(
        &d.quietly(
            "chidi",
            "create_backorder",
            json!({"product_id": vitc, "quantity": 2, "customer_name": "Mr Bello"}),
        ),
        "backorder_id",
    );
    d.call("chidi", "list_backorders", json!({}));
    d.say(
        "receive_stock",
        "When stock arrives for a product with open backorders, the result counts them (`pending_backorders`):",
    );
    d.call(
        "musa",
        "receive_stock",
        json!({"product_id": vitc, "batch_number": "VC-02", "quantity": "24", "expiry_date": "2026-12-31", "supplier_id": emzor}),
    );
    d.call(
        "chidi",
        "fulfill_backorder",
        json!({"backorder_id": bo1, "fulfilled_quantity": 3}),
    );
    d.say(
        "fulfill_backorder",
        "Without `fulfilled_quantity`, everything still owed is handed over:",
    );
    d.call("chidi", "fulfill_backorder", json!({"backorder_id": bo1}));
    d.call("chidi", "cancel_backorder", json!({"backorder_id": bo2}));

    // Reservations.
    let res1 = id(
        &d.call(
            "chidi",
            "reserve_stock",
            json!({"product_batch_id": pcm2, "quantity": 10, "reason": "pending_sale", "reference_id": "CART-42", "ttl_minutes": 30}),
        ),
        "reservation_id",
    );
    let res2 = id(
        &d.quietly(
            "chidi",
            "reserve_stock",
            json!({"product_batch_id": pcm2, "quantity": 5, "reason": "pending_sale", "reference_id": "CART-43"}),
        ),
        "reservation_id",
    );
    d.quietly(
        "chidi",
        "reserve_stock",
        json!({"product_batch_id": btx2, "quantity": "25", "reason": "hold", "reference_id": "PATIENT-7", "ttl_minutes": 15}),
    );
    d.call("chidi", "list_reservations", json!({}));
    d.call(
        "chidi",
        "confirm_reservation",
        json!({"reservation_id": res1, "reference_id": "SALE-0002"}),
    );
    d.call(
        "chidi",
        "release_reservation",
        json!({"reservation_id": res2}),
    );
    d.say(
        "release_expired_reservations",
        "An hour later (note `--now`), the 15-minute hold on BTX-A2 has lapsed:",
    );
    d.at("2026-01-15T10:00:00Z");
    d.call("chidi", "release_expired_reservations", json!({}));
    d.call("chidi", "list_reservations", json!({"status": "expired"}));
    d.at_start();

    // Adjustments.
    d.say(
        "adjust_stock",
        "A cashier's small correction (within the store's threshold of 10 units and 5,000 in value) applies at once:",
    );
    d.call(
        "chidi",
        "adjust_stock",
        json!({"batch_id": pcm2, "quantity_change": -2, "reason": "damage", "notes": "dropped blister"}),
    );
    d.say(
        "adjust_stock",
        "Above the threshold it waits for a manager (`status: pending`, stock unchanged):",
    );
    let adj1 = id(
        &d.call(
            "chidi",
            "adjust_stock",
            json!({"batch_id": pcm2, "quantity_change": -30, "reason": "loss", "notes": "count short after stock-take"}),
        ),
        "id",
    );
    let adj2 = id(
        &d.quietly(
            "chidi",
            "adjust_stock",
            json!({"batch_id": btx1, "quantity_change": "20", "reason": "found"}),
        ),
        "id",
    );
    d.say(
        "adjust_stock",
        "A manager approving at the till with name and PIN applies it at once:",
    );
    d.call(
        "chidi",
        "adjust_stock",
        json!({"batch_id": pcm2, "quantity_change": "12", "reason": "correction", "approver_name": "musa", "approver_pin": "2468"}),
    );
    d.call("musa", "list_adjustments", json!({"status": "pending"}));
    d.call(
        "musa",
        "approve_adjustment",
        json!({"adjustment_id": adj1, "notes": "confirmed by recount"}),
    );
    d.call(
        "musa",
        "reject_adjustment",
        json!({"adjustment_id": adj2, "notes": "no record of extra vials"}),
    );
    d.call(
        "musa",
        "writeoff_batch",
        json!({"batch_id": ibu1, "reason": "damage", "notes": "water damage in store room"}),
    );

    // Batch status and expiry.
    d.call(
        "musa",
        "set_batch_status",
        json!({"batch_id": btx2, "status": "quarantine", "reason": "cold-chain excursion"}),
    );
    d.say("set_batch_status", "Releasing it from quarantine:");
    d.call(
        "musa",
        "set_batch_status",
        json!({"batch_id": btx2, "status": "available", "reason": "temperature log reviewed"}),
    );
    d.say("set_batch_status", "A recall with its class:");
    d.call(
        "musa",
        "set_batch_status",
        json!({"batch_id": vc1, "status": "recalled", "reason": "NAFDAC recall notice 2026/014", "recall_class": "II"}),
    );
    let pcm18 = id(
        &d.quietly(
            "musa",
            "receive_stock",
            json!({"product_id": para, "batch_number": "PCM-2318", "quantity": "30", "expiry_date": "2026-01-19", "supplier_id": emzor}),
        ),
        "batch_id",
    );
    d.say(
        "expire_batches_within_days",
        "A dry run first: the batches a real run would mark and their value at cost; nothing changes:",
    );
    d.call(
        "musa",
        "expire_batches_within_days",
        json!({"days": 7, "dry_run": true}),
    );
    d.say("expire_batches_within_days", "Then the real run:");
    d.call("musa", "expire_batches_within_days", json!({"days": 7}));
    d.say(
        "allocate_stock_for_sale",
        "After PCM-2318 was marked expired (see `expire_batches_within_days`), a sale passes over it and reports why in `skipped`:",
    );
    d.call(
        "chidi",
        "allocate_stock_for_sale",
        json!({"product_id": para, "quantity": 5}),
    );
    d.call("chidi", "get_expired_batches", json!({}));
    d.say(
        "get_expired_batches",
        "A month later the date alone makes PCM-2401 expired too (it still holds stock, but `available` is 0):",
    );
    d.at("2026-02-15T09:00:00Z");
    d.call_first(3, "chidi", "get_expired_batches", json!({}));
    d.call("chidi", "get_product_stock", json!({"product_id": para}));
    d.at_start();

    // Audit.
    d.call(
        "ada",
        "get_audit_trail",
        json!({"batch_id": pcm2, "oldest_first": true, "limit": 3}),
    );
    d.call_first(
        2,
        "ada",
        "get_audit_trail",
        json!({"change_type": "allocated"}),
    );
    d.call_first(
        2,
        "ada",
        "get_audit_trail",
        json!({"category": "catalogue"}),
    );
    d.call(
        "ada",
        "export_audit_csv",
        json!({"category": "people", "limit": 3}),
    );
    d.call("ada", "verify", json!({}));
    Batches {
        pcm1,
        pcm2,
        pcm18,
        vc1,
        adj1,
    }
}

pub(super) fn errors(d: &mut Recorder, c: &Catalogue, b: &Batches) {
    let (para, vitc, emzor) = (&c.para, &c.vitc, &c.emzor);
    d.refusal("all-or-nothing sale (`allow_partial: false`) when there is not enough");
    d.fails(
        "chidi",
        "allocate_stock_for_sale",
        json!({"product_id": vitc, "quantity": 500, "allow_partial": false}),
    );
    d.refusal(
        "receiving a batch whose expiry date is already past (the store's today is 2026-01-15)",
    );
    d.fails(
        "musa",
        "receive_stock",
        json!({"product_id": para, "batch_number": "PCM-2312", "quantity": 50, "expiry_date": "2026-01-10", "supplier_id": emzor}),
    );
    d.refusal("a cashier creating a product");
    d.fails(
        "chidi",
        "create_product",
        json!({"sku": "NEW-1", "name": "Something new"}),
    );
    d.refusal("half a tablet (the product does not allow fractions), and an unknown field");
    d.fails(
        "chidi",
        "allocate_stock_for_sale",
        json!({"product_id": para, "quantity": "0.5"}),
    );
    d.fails(
        "ada",
        "create_product",
        json!({"sku": "NEW-1", "name": "Something new", "colour": "red"}),
    );
    d.refusal("reserving from a recalled batch");
    d.fails(
        "chidi",
        "reserve_stock",
        json!({"product_batch_id": b.vc1, "quantity": 1, "reason": "pending_sale"}),
    );
    d.refusal("a SKU that is taken; a batch number received again with another expiry");
    d.fails(
        "ada",
        "create_product",
        json!({"sku": "PARA-500", "name": "Duplicate"}),
    );
    d.fails(
        "musa",
        "receive_stock",
        json!({"product_id": para, "batch_number": "PCM-2405", "quantity": 10, "expiry_date": "2027-06-30", "supplier_id": emzor}),
    );
    d.refusal("a batch id that names no batch");
    d.fails(
        "chidi",
        "get_batch",
        json!({"batch_id": "01900000-0000-7000-8000-000000000000"}),
    );
    d.refusal("approving an adjustment that was already applied");
    d.fails(
        "musa",
        "approve_adjustment",
        json!({"adjustment_id": b.adj1}),
    );
    d.refusal("a user name that is not in the database");
    d.fails("nobody", "list_stores", json!({}));
    d.refusal(
        "a wrong manager PIN at the till (\"approval refused\"; the cashier stays signed in)",
    );
    d.fails(
        "chidi",
        "adjust_stock",
        json!({"batch_id": b.pcm2, "quantity_change": -50, "reason": "loss", "approver_name": "musa", "approver_pin": "0000"}),
    );
}
