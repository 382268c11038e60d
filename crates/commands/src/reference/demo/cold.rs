//! After the day: the fridge's temperatures, an excursion and the
//! manager's decisions, the alert centre and what to reorder.

use super::Catalogue;
use crate::reference::recorder::{id, Recorder};
use serde_json::json;

pub(super) fn evening(d: &mut Recorder, c: &Catalogue) {
    d.at("2026-01-15T18:00:00Z");
    let vaccine = id(
        &d.quietly(
            "ada",
            "create_product",
            json!({"sku": "HPV-1", "name": "HPV vaccine 0.5 mL", "cost_price": "9500",
                   "selling_price": "14000", "storage": {"temperature_min_c": "2", "temperature_max_c": "8", "refrigerated": true},
                   "thresholds": {"reorder_point": "5", "max_level": "40", "lead_time_days": 7}}),
        ),
        "id",
    );
    d.say(
        "create_storage_location",
        "A fridge whose lots are judged against each product's range: a single reading more than 2 °C outside holds them at once; smaller excursions add up, and more than 30 minutes of them in a day hold them too.",
    );
    let fridge = id(
        &d.call(
            "musa",
            "create_storage_location",
            json!({"name": "Vaccine fridge", "kind": "fridge", "tolerance_minutes": 30, "window_minutes": 1440}),
        ),
        "location_id",
    );
    let mut lots = Vec::new();
    for (lot, qty) in [("HPV-A", "6"), ("HPV-B", "4")] {
        let b = id(
            &d.quietly(
                "ada",
                "receive_stock",
                json!({"product_id": vaccine, "batch_number": lot, "quantity": qty, "expiry_date": "2027-06-30", "supplier_id": c.emzor}),
            ),
            "batch_id",
        );
        lots.push(b);
    }
    d.call(
        "musa",
        "put_lot_in_location",
        json!({"batch_id": lots[0], "location_id": fridge}),
    );
    d.quietly(
        "musa",
        "put_lot_in_location",
        json!({"batch_id": lots[1], "location_id": fridge}),
    );
    d.say(
        "update_storage_location",
        "The manager tightens the fridge's tolerance:",
    );
    d.call(
        "musa",
        "update_storage_location",
        json!({"location_id": fridge, "tolerance_minutes": 20}),
    );
    d.refusal("retiring a storage location that still holds lots");
    d.fails(
        "musa",
        "update_storage_location",
        json!({"location_id": fridge, "is_active": false}),
    );
    d.at("2026-01-15T19:30:00Z");
    d.say(
        "record_readings",
        "The cashier types the fridge's display at closing (times in the store's local time or RFC 3339):",
    );
    d.call(
        "chidi",
        "record_readings",
        json!({"location_id": fridge, "readings": [{"taken_at": "2026-01-15 19:30", "celsius": "5.5"}]}),
    );
    d.say(
        "import_readings_csv",
        "The data logger's file: a door left ajar kept the fridge above 8 °C for 40 minutes, which holds both lots:",
    );
    let imported = d.call(
        "chidi",
        "import_readings_csv",
        json!({"location_id": fridge, "csv": "Time,Temperature (°C)\n2026-01-15 19:35,9.1\n2026-01-15 19:55,9.6\n2026-01-15 20:15,6.0\n"}),
    );
    let excursion = id(&imported["excursions"][0], "excursion_id");
    d.refusal("a logger file with a bad line imports nothing");
    d.fails(
        "chidi",
        "import_readings_csv",
        json!({"location_id": fridge, "csv": "2026-01-15 19:40,9.3\n2026-01-15 19:45,warm\n"}),
    );
    d.call(
        "musa",
        "list_readings",
        json!({"location_id": fridge, "limit": 3}),
    );
    d.call("musa", "list_storage_locations", json!({}));
    d.say(
        "decide_excursion_lot",
        "The manager decides lot by lot: one is released on the manufacturer's stability data, the other disposed of (written off as waste); the alert resolves with the last decision.",
    );
    d.call(
        "musa",
        "decide_excursion_lot",
        json!({"excursion_id": excursion, "batch_id": lots[0], "decision": "release", "note": "stable 72 h up to 25 °C per manufacturer"}),
    );
    d.quietly(
        "musa",
        "decide_excursion_lot",
        json!({"excursion_id": excursion, "batch_id": lots[1], "decision": "dispose", "note": "no stability data"}),
    );
    d.call("musa", "list_excursions", json!({}));

    d.call("musa", "get_alert_settings", json!({}));
    d.call(
        "musa",
        "update_alert_settings",
        json!({"expiry_alert_days": 45}),
    );
    d.say(
        "run_alert_sweep",
        "The desktop shell runs the sweep at sign-in and every few minutes, as whoever is signed in:",
    );
    d.call("chidi", "run_alert_sweep", json!({}));
    let alerts = d.call(
        "musa",
        "list_alerts",
        json!({"open_only": true, "limit": 2}),
    );
    let alert = id(&alerts["rows"][0], "alert_id");
    d.call(
        "musa",
        "acknowledge_alert",
        json!({"alert_id": alert, "note": "checking the shelf"}),
    );
    d.call(
        "musa",
        "resolve_alert",
        json!({"alert_id": alert, "note": "moved to the clearance shelf"}),
    );
    let other = id(&alerts["rows"][1], "alert_id");
    d.call(
        "musa",
        "dismiss_alert",
        json!({"alert_id": other, "note": "seasonal product"}),
    );
    d.say(
        "record_alert_notification",
        "The desktop announces each critical alert nobody was told of yet, then records it:",
    );
    let unannounced = d.call(
        "musa",
        "list_alerts",
        json!({"severity": "critical", "open_only": true, "notified": false, "limit": 1}),
    );
    let critical = id(&unannounced["rows"][0], "alert_id");
    d.call(
        "musa",
        "record_alert_notification",
        json!({"alert_id": critical, "channel": "desktop", "terminal_id": "TILL-1"}),
    );
    d.call("musa", "list_reorder_recommendations", json!({"limit": 3}));
}
