//! The med spa's day: patients, an opened vial drawn for two patients
//! (12.5 units), waste, the clinic's window and its sweep, a recall down
//! to the patients.

use super::super::recorder::{id, Recorder};
use super::Catalogue;
use serde_json::json;

pub(super) fn day(d: &mut Recorder, c: &Catalogue) {
    let btx = &c.btx;
    d.at("2026-01-16T08:00:00Z");
    let amaka = id(
        &d.call(
            "ngozi",
            "create_patient",
            json!({"name": "Amaka Obi", "date_of_birth": "1988-04-12", "chart_id": "CH-0042", "phone": "+234 803 555 0101"}),
        ),
        "patient_id",
    );
    let tunde = id(
        &d.quietly(
            "ngozi",
            "create_patient",
            json!({"name": "Tunde Bakare", "date_of_birth": "1979-09-30", "chart_id": "CH-0043"}),
        ),
        "patient_id",
    );
    d.call(
        "ngozi",
        "update_patient",
        json!({"patient_id": amaka, "email": "amaka@example.com"}),
    );
    d.call("ngozi", "list_patients", json!({"query": "ama"}));

    d.say(
        "set_vial_policy",
        "The label says 24 hours; the clinic follows the ASDS consensus (4 weeks refrigerated):",
    );
    d.call(
        "musa",
        "set_vial_policy",
        json!({"product_id": btx, "window_hours": 672, "reason": "ASDS consensus (Alam et al. 2015): 4 weeks at 2-8 °C"}),
    );
    d.call("musa", "list_vial_policies", json!({}));
    d.call("musa", "get_clinic_settings", json!({}));
    d.call(
        "musa",
        "update_clinic_settings",
        json!({"vial_reminder_age_hours": 48, "vial_reminder_idle_hours": 8}),
    );

    d.call("ngozi", "list_practitioners", json!({}));
    d.call("ngozi", "suggest_vial_lots", json!({"product_id": btx}));
    let vial = d.call(
        "ngozi",
        "open_vial_session",
        json!({"product_id": btx, "reconstitution": {"diluent": "0.9% saline, preservative-free", "volume_ml": "2.5"}}),
    );
    let vial_id = id(&vial, "session_id");
    let lot = id(&vial, "batch_id");
    d.say(
        "record_treatment",
        "12.5 units for glabellar lines, from the open vial:",
    );
    d.call(
        "ngozi",
        "record_treatment",
        json!({"patient_id": amaka, "appointment_ref": "APT-3101", "service": "Botox — glabellar lines",
               "areas": [{"area": "glabellar lines", "units": "12.5"}],
               "sources": [{"session_id": vial_id, "units": "12.5"}]}),
    );
    d.quietly(
        "ngozi",
        "record_treatment",
        json!({"patient_id": tunde, "appointment_ref": "APT-3102",
               "areas": [{"area": "forehead", "units": "10"}, {"area": "lateral canthal lines", "units": "24"}],
               "sources": [{"session_id": vial_id, "units": "34"}], "price_per_unit": "2200"}),
    );
    d.call(
        "ngozi",
        "record_waste",
        json!({"session_id": vial_id, "quantity": "2.7", "reason": "draw_up_loss", "notes": "18 G needle dead space"}),
    );
    d.call("ngozi", "get_vial_session", json!({"session_id": vial_id}));
    d.call("ngozi", "list_vial_sessions", json!({}));

    d.say(
        "sweep_vials",
        "Five weeks later the clinic's 4-week window has passed: the sweep closes the vial and wastes what is left as `stability_exceeded`:",
    );
    d.at("2026-02-20T08:00:00Z");
    d.call("ngozi", "sweep_vials", json!({}));
    d.call("musa", "list_waste", json!({}));
    d.call(
        "musa",
        "get_clinic_report",
        json!({"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"}),
    );
    let second = id(
        &d.quietly(
            "ngozi",
            "open_vial_session",
            json!({"product_id": btx, "batch_id": lot, "units": "50",
            "reconstitution": {"diluent": "0.9% saline", "volume_ml": "1"}}),
        ),
        "session_id",
    );
    d.call(
        "ngozi",
        "close_vial_session",
        json!({"session_id": second, "reason": "contamination", "notes": "stopper punctured twice"}),
    );
    d.call("ngozi", "get_patient_history", json!({"patient_id": amaka}));
    d.call("ngozi", "trace_lot", json!({"batch_id": lot}));
    d.call("ngozi", "export_lot_trace_csv", json!({"batch_id": lot}));

    d.say(
        "import_fda_recalls",
        "An openFDA enforcement report, as downloaded, matched against the lots held:",
    );
    let report = json!({"results": [{
        "recall_number": "D-0456-2026", "classification": "Class I", "status": "Ongoing",
        "product_description": "Botulinum toxin type A, 100 units per vial, for injection",
        "code_info": "Lot #: BTX-A1, BTX-Z9; Exp 06/2026", "reason_for_recall": "Lack of sterility assurance",
        "recalling_firm": "Glow Aesthetics Ltd", "recall_initiation_date": "20260215"}]});
    d.call(
        "musa",
        "import_fda_recalls",
        json!({"report": report.to_string()}),
    );
    d.call(
        "musa",
        "record_recall",
        json!({"batch_ids": [lot], "fda_class": "I", "reason": "Lack of sterility assurance", "source": "FDA",
               "recall_number": "D-0456-2026", "recall_date": "2026-02-15"}),
    );
    d.call("musa", "list_recalls", json!({}));
    d.call(
        "musa",
        "dispose_batch",
        json!({"batch_id": lot, "method": "return_to_supplier", "notes": "RMA 7781, collected by Glow"}),
    );
    d.at_start();
}
