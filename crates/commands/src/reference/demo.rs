//! The demo the reference's examples come from: a day in a pharmacy and
//! med spa in Lagos, run through the command table with a fixed clock.
//!
//! Adding a command: call it somewhere in the story below with
//! `d.call(user, "its_name", json!({…}))` (and `d.say("its_name", "…")` before
//! it for a sentence of context). A command without an example fails the
//! reference test, naming it. Refusals worth showing go through `d.fails`,
//! announced by `d.refusal("what is refused")`: the "Errors" section heads
//! them with the kind they really failed with.

use super::recorder::{id, Recorder, DB_NAME, ERRORS};
use pharmapos_engine::setup::{initialize, InitRequest};
use serde_json::json;

/// The demo's "now": 10:00 in Lagos.
pub(super) const START: &str = "2026-01-15T09:00:00Z";

/// Runs the whole demo.
pub(super) fn run() -> Recorder {
    let mut d = Recorder::new(START);
    let store = init(&mut d);
    let c = catalogue(&mut d, &store);
    let b = stock(&mut d, &c);
    cli_examples(&mut d, &c);
    inventory_errors(&mut d, &c, &b);
    till(&mut d, &c, &b);
    d
}

/// What the catalogue part made, for the parts after it.
struct Catalogue {
    para: String,
    btx: String,
    vitc: String,
    ibu: String,
    emzor: String,
    glow: String,
}

/// Batches (and the pending adjustment) made by the stock part.
struct Batches {
    pcm1: String,
    pcm2: String,
    pcm18: String,
    vc1: String,
    adj1: String,
}

fn init(d: &mut Recorder) -> String {
    let res = initialize(
        d.db(),
        InitRequest {
            store_name: "Lekki Pharmacy & Med Spa".into(),
            store_code: Some("LEK-01".into()),
            timezone: Some("Africa/Lagos".into()),
            currency: Some("NGN".into()),
            admin_name: "ada".into(),
            admin_pin: Some("1234".into()),
        },
    )
    .unwrap();
    let value = serde_json::to_value(&res).unwrap();
    d.console(
        "cli_init",
        &format!("pharmapos --db {DB_NAME} --now {START} init --store-name 'Lekki Pharmacy & Med Spa' --store-code LEK-01 --timezone Africa/Lagos --currency NGN --admin ada --pin 1234"),
        &value,
        &serde_json::to_string_pretty(&res).unwrap(),
    );
    res.store_id.to_string()
}

fn catalogue(d: &mut Recorder, store: &str) -> Catalogue {
    // People and stores.
    d.call(
        "ada",
        "create_user",
        json!({"name": "musa", "role": "manager", "pin": "2468"}),
    );
    d.call(
        "ada",
        "create_user",
        json!({"name": "chidi", "role": "cashier", "pin": "1357"}),
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
    d.call(
        "ada",
        "create_store",
        json!({"name": "Ikeja Branch", "code": "IKJ-01", "timezone": "Africa/Lagos", "address": "12 Allen Avenue, Ikeja"}),
    );
    d.call(
        "ada",
        "update_store",
        json!({"id": store, "phone": "+234 800 000 0000", "adjustment_approval_units": "10", "adjustment_approval_value": "5000"}),
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

fn stock(d: &mut Recorder, c: &Catalogue) -> Batches {
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

    // Views.
    d.call("ada", "search_products", json!({"query": "para"}));
    d.call("ada", "search_products", json!({"query": "6151100012357"}));
    d.call_first(3, "chidi", "get_store_inventory", json!({}));
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
    d.call("ada", "verify", json!({}));
    Batches {
        pcm1,
        pcm2,
        pcm18,
        vc1,
        adj1,
    }
}

/// The CLI's own subcommands, over the same database.
fn cli_examples(d: &mut Recorder, c: &Catalogue) {
    let request = json!({"product_id": c.btx});
    let session = pharmapos_engine::auth::session_for_name(d.db(), "chidi").unwrap();
    let out = crate::dispatch(d.db(), &session, "get_product_stock", request.clone()).unwrap();
    let line = format!(
        "echo '{request}' | {} call get_product_stock -",
        d.globals("chidi")
    );
    d.console(
        "cli_stdin",
        &line,
        &out,
        &serde_json::to_string_pretty(&out).unwrap(),
    );

    d.db().integrity_check().unwrap();
    let report = d.db().verify().unwrap();
    assert!(report.ok, "the demo's books do not verify: {report:?}");
    let text = serde_json::to_string_pretty(&report).unwrap();
    let value = serde_json::to_value(&report).unwrap();
    d.console(
        "cli_verify",
        &format!("pharmapos --db {DB_NAME} verify"),
        &value,
        &text,
    );

    let dest = d.dir().join("demo-backup.db");
    d.db().backup_to(&dest).unwrap();
    let shown = json!({"backup": "demo-backup.db"});
    d.console(
        "cli_backup",
        &format!("pharmapos --db {DB_NAME} backup demo-backup.db"),
        &shown,
        &serde_json::to_string_pretty(&shown).unwrap(),
    );
}

fn inventory_errors(d: &mut Recorder, c: &Catalogue, b: &Batches) {
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

/// A day at the till (docs/till.md): chidi sells at TILL-1, musa approves
/// what is beyond a cashier's limits. It runs after the inventory errors so
/// that the security log at the end shows both wrong PINs.
fn till(d: &mut Recorder, c: &Catalogue, b: &Batches) {
    let (para, btx, vitc, ibu) = (&c.para, &c.btx, &c.vitc, &c.ibu);
    d.call("chidi", "get_till_settings", json!({}));
    d.say(
        "update_till_settings",
        "musa rounds totals to 5 naira, takes bank transfers too, sets the receipt's header and footer and keeps holds for 30 minutes:",
    );
    d.call(
        "musa",
        "update_till_settings",
        json!({"rounding_increment": "5", "tenders": ["cash", "card", "transfer"], "receipt_header": "Admiralty Way, Lekki Phase 1", "receipt_footer": "Thank you. Keep all medicines out of the reach of children.", "hold_ttl_minutes": 30}),
    );

    d.say(
        "scan_barcode",
        "The paracetamol box's EAN-13, a store barcode matched as it is: the symbol names no batch, so FEFO decides at completion:",
    );
    d.call("chidi", "scan_barcode", json!({"code": "6151100012345"}));
    d.say(
        "scan_barcode",
        "A GS1 DataMatrix in its bracket form (GTIN, expiry, batch) naming batch PCM-2405, which this store holds: sell from that batch (`use_batch`; pass `batch.batch_id` to `add_cart_line`). The GTIN `06151100012357` is matched through its 13-digit form, the product's second barcode:",
    );
    let scanned = id(
        &d.call(
            "chidi",
            "scan_barcode",
            json!({"code": "(01)06151100012357(17)270531(10)PCM-2405"}),
        ),
        "batch.batch_id",
    );
    d.say(
        "scan_barcode",
        "The same pack as a scanner sends it: the symbology prefix `]d2`, and ASCII 29 (the FNC1 separator, `\\u001d` in JSON) ending the variable-length batch number before the next element:",
    );
    d.call(
        "chidi",
        "scan_barcode",
        json!({"code": "]d2010615110001235710PCM-2405\u{1d}17270531"}),
    );
    d.say(
        "scan_barcode",
        "A pack of PCM-2318, which `expire_batches_within_days` marked expired: refused, with a sentence for the cashier. A refusal is an answer (`decision: refused`), not an error:",
    );
    d.call(
        "chidi",
        "scan_barcode",
        json!({"code": "(01)06151100012357(17)260119(10)PCM-2318"}),
    );
    d.say(
        ERRORS,
        "At the till (see [The till](#the-till)), in the order of the demo:",
    );
    d.refusal("a GS1 code whose GTIN has a wrong check digit");
    d.say(ERRORS, "The demo box's own EAN-13, `6151100012345`, is a store label (its check digit would be 0): it is found as it is when scanned alone, but inside a GS1 element string the GTIN must be valid:");
    d.fails(
        "chidi",
        "scan_barcode",
        json!({"code": "(01)06151100012345(10)PCM-2405"}),
    );

    let shift = id(
        &d.call(
            "chidi",
            "open_shift",
            json!({"terminal_id": "TILL-1", "opening_float": "20000"}),
        ),
        "shift_id",
    );
    d.refusal("a second shift on the same till");
    d.fails(
        "musa",
        "open_shift",
        json!({"terminal_id": "TILL-1", "opening_float": "5000"}),
    );

    d.say(
        "open_cart",
        "chidi's first cart on TILL-1. Until it is sold, held or cancelled, asking again returns this same cart, lines and all:",
    );
    let cart1 = id(
        &d.call("chidi", "open_cart", json!({"terminal_id": "TILL-1"})),
        "cart_id",
    );
    d.say(
        "add_cart_line",
        "20 tablets from the EAN scan (no batch: FEFO at completion):",
    );
    let line1 = id(
        &d.call(
            "chidi",
            "add_cart_line",
            json!({"cart_id": cart1, "product_id": para, "quantity": 20}),
        ),
        "lines.0.line_id",
    );
    d.say(
        "add_cart_line",
        "10 tablets from the DataMatrix scan, pinned to the scanned batch PCM-2405 (from here on, cart views show only the lines an example changes; the others are `…`):",
    );
    let line2 = id(
        &d.call_lines(
            &[1],
            "chidi",
            "add_cart_line",
            json!({"cart_id": cart1, "product_id": para, "quantity": 10, "batch_id": scanned}),
        ),
        "lines.1.line_id",
    );
    d.say("add_cart_line", "2 vitamin C tablets (tax rate 0):");
    let line3 = id(
        &d.call_lines(
            &[2],
            "chidi",
            "add_cart_line",
            json!({"cart_id": cart1, "product_id": vitc, "quantity": 2}),
        ),
        "lines.2.line_id",
    );
    d.say(
        "add_cart_line",
        "Ibuprofen, whose only batch was written off: the line is added but flagged `short` (`available` 0), so the till can say so before payment:",
    );
    let line4 = id(
        &d.call_lines(
            &[3],
            "chidi",
            "add_cart_line",
            json!({"cart_id": cart1, "product_id": ibu}),
        ),
        "lines.3.line_id",
    );
    d.refusal("a prescription-only product without its prescription reference");
    d.fails(
        "chidi",
        "add_cart_line",
        json!({"cart_id": cart1, "product_id": btx, "quantity": "12.5"}),
    );
    d.refusal("adding the pack the scanner refused, pinned to its expired batch");
    d.fails(
        "chidi",
        "add_cart_line",
        json!({"cart_id": cart1, "product_id": para, "batch_id": b.pcm18}),
    );
    d.say(
        "remove_cart_line",
        "The ibuprofen line goes (the three other lines are unchanged; see `get_cart` for a whole cart):",
    );
    d.call_lines(
        &[],
        "chidi",
        "remove_cart_line",
        json!({"cart_id": cart1, "line_id": line4}),
    );
    d.say(
        "update_cart_line",
        "The customer wants 30 tablets on the first line:",
    );
    d.call_lines(
        &[0],
        "chidi",
        "update_cart_line",
        json!({"cart_id": cart1, "line_id": line1, "quantity": 30}),
    );
    d.say(
        "update_cart_line",
        "The cashier pins that line by hand to PCM-2401 (the strip in the customer's hand), then lets FEFO choose again:",
    );
    d.call_lines(
        &[0],
        "chidi",
        "update_cart_line",
        json!({"cart_id": cart1, "line_id": line1, "batch_id": b.pcm1}),
    );
    d.call_lines(
        &[0],
        "chidi",
        "update_cart_line",
        json!({"cart_id": cart1, "line_id": line1, "use_fefo": true}),
    );
    d.refusal("pinning a cart line to a batch that cannot fill it");
    d.fails(
        "chidi",
        "update_cart_line",
        json!({"cart_id": cart1, "line_id": line1, "quantity": 200, "batch_id": b.pcm1}),
    );
    d.call("chidi", "get_cart", json!({"cart_id": cart1}));

    // Discounts and overrides.
    d.say(
        "set_line_discount",
        "5 % off the first line, within the cashier's limit (10 %): no approval needed:",
    );
    d.call_lines(
        &[0],
        "chidi",
        "set_line_discount",
        json!({"cart_id": cart1, "line_id": line1, "discount": {"kind": "percent", "value": "5"}}),
    );
    d.refusal("a cashier's 20 % line discount (the limit is 10 %) without a manager, then with a wrong manager PIN (\"approval refused\")");
    d.say(ERRORS, "The wrong PIN is also written to the security log (see `list_security_log`) and counts towards musa's lockout.");
    d.fails(
        "chidi",
        "set_line_discount",
        json!({"cart_id": cart1, "line_id": line2, "discount": {"kind": "percent", "value": "20"}}),
    );
    d.fails(
        "chidi",
        "set_line_discount",
        json!({"cart_id": cart1, "line_id": line2, "discount": {"kind": "percent", "value": "20"}, "approver_name": "musa", "approver_pin": "2486"}),
    );
    d.say(
        "set_line_discount",
        "20 % off the second line is above the limit: musa approves at the till with his name and PIN (`discount_approved_by`):",
    );
    d.call_lines(
        &[1],
        "chidi",
        "set_line_discount",
        json!({"cart_id": cart1, "line_id": line2, "discount": {"kind": "percent", "value": "20"}, "approver_name": "musa", "approver_pin": "2468"}),
    );
    d.say(
        "override_line_price",
        "Vitamin C at 35 instead of 40 (a price override always needs a manager; `price_overridden_by`):",
    );
    d.call_lines(
        &[2],
        "chidi",
        "override_line_price",
        json!({"cart_id": cart1, "line_id": line3, "unit_price": "35", "approver_name": "musa", "approver_pin": "2468"}),
    );
    d.say(
        "set_cart_discount",
        "100 off the whole cart (well within 10 % of it), shared across the lines in proportion (`cart_discount` per line):",
    );
    let cart = d.call(
        "chidi",
        "set_cart_discount",
        json!({"cart_id": cart1, "discount": {"kind": "amount", "value": "100"}}),
    );

    // A split payment: 1000 by card, the rest in cash rounded up to 500s.
    let total = cents(cart["totals"]["total"].as_str().unwrap());
    let rest = total - 100_000;
    let cash = (rest + 49_999) / 50_000 * 50_000;
    d.say(
        "complete_sale",
        &format!(
            "A split payment of the {} due: 1000 by card (with the slip's reference) and {} in cash for the remaining {}; the difference comes back as `change`. `sale_id` is minted by the till when \"pay\" is pressed:",
            money(total),
            money(cash),
            money(rest)
        ),
    );
    let sale1 = pharmapos_engine::ids::SaleId::new().to_string();
    let sold = d.call(
        "chidi",
        "complete_sale",
        json!({"sale_id": sale1, "cart_id": cart1, "payments": [{"tender": "card", "amount": "1000", "reference": "POS-558201"}, {"tender": "cash", "amount": money(cash)}]}),
    );
    let sale1_number = id(&sold, "sale_number");
    let sold_lines: Vec<String> = (0..3)
        .map(|i| id(&sold, &format!("lines.{i}.sale_line_id")))
        .collect();
    d.say(
        "get_receipt",
        "A reprint is the stored sale read back, identical to what `complete_sale` answered; this one was taken after the return shown under `return_items`, so `returned_quantity` shows it:",
    );

    // Hold and resume.
    let cart2 = id(
        &d.quietly("chidi", "open_cart", json!({"terminal_id": "TILL-1"})),
        "cart_id",
    );
    d.quietly(
        "chidi",
        "add_cart_line",
        json!({"cart_id": cart2, "product_id": para, "quantity": 10}),
    );
    d.say(
        "hold_cart",
        "Mrs Okafor steps out to the bank: her cart is put aside and its stock reserved (`holds`, lifetime 30 minutes from the settings):",
    );
    d.call(
        "chidi",
        "hold_cart",
        json!({"cart_id": cart2, "customer_name": "Mrs Okafor", "note": "back from the bank"}),
    );
    d.call("chidi", "list_held_carts", json!({}));
    d.say(
        "cancel_cart",
        "Meanwhile a walk-in customer changes their mind:",
    );
    let cart3 = id(
        &d.quietly("chidi", "open_cart", json!({"terminal_id": "TILL-1"})),
        "cart_id",
    );
    d.quietly(
        "chidi",
        "add_cart_line",
        json!({"cart_id": cart3, "product_id": vitc}),
    );
    d.call("chidi", "cancel_cart", json!({"cart_id": cart3}));
    d.say(
        "resume_cart",
        "Mrs Okafor is back; her cart returns to TILL-1 with its holds:",
    );
    let resumed = d.call(
        "chidi",
        "resume_cart",
        json!({"cart_id": cart2, "terminal_id": "TILL-1"}),
    );
    d.say(
        "complete_sale",
        "The resumed cart, paid by bank transfer (the holds are confirmed: `confirm_reserve` events):",
    );
    d.call(
        "chidi",
        "complete_sale",
        json!({"sale_id": pharmapos_engine::ids::SaleId::new().to_string(), "cart_id": cart2, "payments": [{"tender": "transfer", "amount": resumed["totals"]["total"], "reference": "TRF-0115-7731"}]}),
    );

    // A sale rung up twice, voided by the manager.
    let cart4 = id(
        &d.quietly("chidi", "open_cart", json!({"terminal_id": "TILL-1"})),
        "cart_id",
    );
    d.quietly(
        "chidi",
        "add_cart_line",
        json!({"cart_id": cart4, "product_id": para, "quantity": 10}),
    );
    let sale4 = pharmapos_engine::ids::SaleId::new().to_string();
    d.quietly(
        "chidi",
        "complete_sale",
        json!({"sale_id": sale4, "cart_id": cart4, "payments": [{"tender": "cash", "amount": "1000"}]}),
    );
    d.call("chidi", "list_sales", json!({"terminal_id": "TILL-1"}));
    d.say(
        "void_sale",
        "The last sale was rung up twice: musa voids it (a cashier would send `approver_name` and `approver_pin`). Its 10 tablets go back onto the batches they came from:",
    );
    d.call(
        "musa",
        "void_sale",
        json!({"sale_id": sale4, "reason": "rung up twice"}),
    );

    // A return against the first sale.
    d.say(
        "find_sale",
        "The first sale, looked up by the number on its receipt (its lines, as in `get_receipt`, are left out here):",
    );
    d.call_lines(
        &[],
        "chidi",
        "find_sale",
        json!({"sale_number": sale1_number}),
    );
    d.say(
        "return_items",
        "The customer brings back 2 tablets of the first line (sealed: back on the shelf), 1 of the second (opened: quarantined beside its batch, as PCM-2405-RET) and 1 vitamin C (crushed: waste). Any cashier refund needs a manager (the store's cashier refund limit is 0), so musa's PIN comes with it:",
    );
    d.call(
        "chidi",
        "return_items",
        json!({"sale_id": sale1, "terminal_id": "TILL-1", "lines": [
            {"sale_line_id": sold_lines[0], "quantity": 2, "disposition": "restock"},
            {"sale_line_id": sold_lines[1], "quantity": 1, "disposition": "quarantine"},
            {"sale_line_id": sold_lines[2], "quantity": 1, "disposition": "waste"}
        ], "tender": "cash", "reason": "bought the wrong strength", "approver_name": "musa", "approver_pin": "2468"}),
    );
    d.call("chidi", "get_receipt", json!({"sale_id": sale1}));
    d.refusal("voiding a sale that has a return");
    d.fails(
        "musa",
        "void_sale",
        json!({"sale_id": sale1, "reason": "customer unhappy"}),
    );

    // Closing the day.
    d.say(
        "get_shift_report",
        "The X report of TILL-1's open shift (voided sales are counted apart and their payments leave the takings):",
    );
    let x = d.call(
        "chidi",
        "get_shift_report",
        json!({"terminal_id": "TILL-1"}),
    );
    let counted = cents(x["expected_cash"].as_str().unwrap()) - 5_000;
    d.say(
        "close_shift",
        "At 18:00 in Lagos chidi counts the drawer, 50 short (`over_short` is negative when short):",
    );
    d.at("2026-01-15T17:00:00Z");
    d.call(
        "chidi",
        "close_shift",
        json!({"terminal_id": "TILL-1", "counted_cash": money(counted), "notes": "50 short; no slip found"}),
    );
    d.say("get_shift_report", "A closed shift's Z report, by its id:");
    d.at("2026-01-15T17:05:00Z");
    d.call("musa", "get_shift_report", json!({"shift_id": shift}));
    d.refusal("selling after the till's shift was closed");
    d.at("2026-01-15T17:10:00Z");
    let cart5 = id(
        &d.quietly("chidi", "open_cart", json!({"terminal_id": "TILL-1"})),
        "cart_id",
    );
    d.quietly(
        "chidi",
        "add_cart_line",
        json!({"cart_id": cart5, "product_id": vitc}),
    );
    d.fails(
        "chidi",
        "complete_sale",
        json!({"sale_id": pharmapos_engine::ids::SaleId::new().to_string(), "cart_id": cart5, "payments": [{"tender": "cash", "amount": "100"}]}),
    );

    d.say(
        "list_security_log",
        "The wrong PINs typed today: musa's at the till (a discount) and the one for a stock adjustment (see [Errors](#errors)):",
    );
    d.at("2026-01-15T17:30:00Z");
    d.call(
        "musa",
        "list_security_log",
        json!({"from": "2026-01-15T00:00:00Z"}),
    );
    d.at_start();
}

/// Money as integer hundredths (the demo's amounts have two places at most).
fn cents(s: &str) -> i64 {
    let (whole, frac) = s.split_once('.').unwrap_or((s, "0"));
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().unwrap() * 100 + frac[..2].parse::<i64>().unwrap()
}

/// Hundredths as money text ("1234.50").
fn money(c: i64) -> String {
    format!("{}.{:02}", c / 100, c % 100)
}
