//! The demo's reports: at the end of the story the manager reads the
//! store's stock, its aging and expiry risk, the day's movements, waste and
//! sales, and exports one as CSV.

use crate::reference::recorder::Recorder;
use serde_json::json;

/// Musa reads the reports.
pub(super) fn read(d: &mut Recorder) {
    d.say(
        "get_stock_valuation",
        "What the sellable stock cost, by category (each batch's on hand × its own unit cost):",
    );
    d.call(
        "musa",
        "get_stock_valuation",
        json!({"group_by": "category"}),
    );
    d.say(
        "get_batch_aging",
        "How long the stock has been in, and what has not sold in the last 30 days:",
    );
    d.call(
        "musa",
        "get_batch_aging",
        json!({"slow_days": 30, "limit": 5}),
    );
    d.say(
        "get_expiry_risk",
        "What expires within 7, 14, 30 and 90 days, and the batches within 90 days, soonest first:",
    );
    d.call(
        "musa",
        "get_expiry_risk",
        json!({"horizon_days": 90, "limit": 5}),
    );
    d.say(
        "get_movement_log",
        "Every adjustment, write-off, transfer and count variance since the first of January, newest first:",
    );
    d.call(
        "musa",
        "get_movement_log",
        json!({"from": "2026-01-01", "limit": 5}),
    );
    d.say(
        "get_waste_report",
        "Waste since the first of January by reason and by product, at cost:",
    );
    d.call("musa", "get_waste_report", json!({"from": "2026-01-01"}));
    d.say(
        "get_sales_report",
        "Sales and margin by product since the first of January, net of returns:",
    );
    d.call(
        "musa",
        "get_sales_report",
        json!({"group_by": "product", "from": "2026-01-01", "limit": 5}),
    );
    d.say(
        "export_report_csv",
        "The same sales, by category, as a CSV file:",
    );
    d.call(
        "musa",
        "export_report_csv",
        json!({"report": "sales_report", "group_by": "category", "from": "2026-01-01"}),
    );
}
