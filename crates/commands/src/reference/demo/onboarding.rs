//! The branch that joins: a second pharmacy's records arrive as CSV files
//! from the system it leaves. Its catalogue is previewed (one error, every
//! error listed at once), fixed and imported; its suppliers, customers and
//! opening stock follow; the catalogue is exported in the same format.

use crate::reference::recorder::{id, Recorder};
use serde_json::json;

pub(super) fn onboarding(d: &mut Recorder) {
    d.at("2026-02-24T08:00:00Z");
    d.say(
        "preview_import",
        "The manager previews the catalogue exported from the old system (Odoo's column names). Nothing is written; the mapping is suggested from the header, and every error is listed with its row and field:",
    );
    let bad = "Internal Reference,Name,Barcode,Sales Price,Cost,Product Category,Unit of Measure\n\
               AMX-250,Amoxicillin 250mg capsules,6151100099991,35.00,12.00,Antibiotics,capsule\n\
               CTZ-10,Cetirizine 10mg tablets,6151100099992,twelve,4.00,Antihistamines,tablet\n";
    d.call(
        "musa",
        "preview_import",
        json!({"kind": "products", "csv": bad}),
    );
    d.refusal("an import whose file still has errors (nothing is written)");
    d.fails(
        "musa",
        "run_import",
        json!({"kind": "products", "csv": bad}),
    );
    d.say(
        "run_import",
        "The price is fixed in the file, and the import runs: both products, and the two categories they name, in one transaction with their events:",
    );
    let good = bad.replace("twelve", "12.00");
    d.call(
        "musa",
        "run_import",
        json!({"kind": "products", "csv": good}),
    );
    d.call(
        "musa",
        "run_import",
        json!({"kind": "suppliers", "csv": "Supplier Name,Email,Phone,Payment Terms\nMeds Direct Ltd,sales@medsdirect.example,+234 1 222 3333,Net 14\n"}),
    );
    d.say(
        "create_customer",
        "Customers come the same way; one is also typed in, then corrected:",
    );
    d.call(
        "musa",
        "run_import",
        json!({"kind": "customers", "csv": "Customer ID,Customer Name,Mobile No,Date of Birth\nC-0001,Adaeze Okafor,+234 803 000 0001,1988-04-12\nC-0002,Tunde Bello,+234 803 000 0002,\n"}),
    );
    let cust = d.call(
        "musa",
        "create_customer",
        json!({"name": "Chioma Eze", "code": "C-0003", "phone": "+234 803 000 0003"}),
    );
    d.call(
        "musa",
        "update_customer",
        json!({"id": id(&cust, "id"), "email": "chioma@example.com"}),
    );
    d.call("musa", "list_customers", json!({"q": "c-000", "limit": 10}));
    d.say(
        "run_import",
        "Opening stock arrives as receipts: a batch per row with its expiry and cost, and a `receipt` event each, so the ledger starts true:",
    );
    d.call(
        "musa",
        "run_import",
        json!({"kind": "opening_stock", "csv": "Item Code,Batch No,Expiry Date,Qty,Valuation Rate,Supplier\nAMX-250,AX2601,2027-06-30,200,12.00,Meds Direct Ltd\nCTZ-10,CZ2602,2027-09-30,500,4.00,Meds Direct Ltd\n"}),
    );
    d.say(
        "export_onboarding_csv",
        "And any of it goes back out in the format the import reads:",
    );
    d.call(
        "musa",
        "export_onboarding_csv",
        json!({"kind": "suppliers"}),
    );
}
