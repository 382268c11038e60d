//! What goes on paper: a sale's receipt, a shift's X or Z report and a test
//! page, laid out to the paper's width (32 or 48 characters).
//!
//! Everything printed comes from the engine's documents as they are stored
//! (`Receipt`, `ShiftReport`), never recomputed here. Money is printed with
//! two decimals and thousands separators and the store's currency code
//! (receipt printers have no `₦`); times in the store's time zone.

use chrono::{DateTime, Utc};
use pharmapos_engine::catalogue::stores::Store;
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::sales::receipt::{Receipt, ReceiptStore};
use pharmapos_engine::sales::shifts::ShiftReport;
use rust_decimal::RoundingStrategy;

use super::escpos::{Align, Doc};
use super::PrinterSettings;

/// The block at the head of every printout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreHead {
    /// Store name.
    pub name: String,
    /// Address.
    pub address: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Tax number (TIN / VAT).
    pub tax_number: Option<String>,
    /// Premises licence number.
    pub licence_number: Option<String>,
    /// Extra header text (the store's till settings).
    pub header: Option<String>,
}

/// A text field of the store by name: `tax_number` and `licence_number`
/// come with the store-details migration (V9), so they are read from the
/// store's JSON and this code is right before and after it.
fn store_text(store: Option<&Store>, field: &str) -> Option<String> {
    let value = serde_json::to_value(store?).ok()?;
    value
        .get(field)?
        .as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl StoreHead {
    /// The head of a receipt: the receipt's store block, and the numbers
    /// the store record holds.
    pub fn of(receipt: &ReceiptStore, store: Option<&Store>) -> StoreHead {
        StoreHead {
            name: receipt.name.clone(),
            address: receipt.address.clone(),
            phone: receipt.phone.clone(),
            tax_number: store_text(store, "tax_number"),
            licence_number: store_text(store, "licence_number"),
            header: receipt.header.clone(),
        }
    }

    /// The head of a report: the store record.
    pub fn of_store(store: &Store) -> StoreHead {
        StoreHead {
            name: store.name.clone(),
            address: store.address.clone(),
            phone: store.phone.clone(),
            tax_number: store_text(Some(store), "tax_number"),
            licence_number: store_text(Some(store), "licence_number"),
            header: None,
        }
    }

    fn print(&self, doc: &mut Doc) {
        doc.align(Align::Center).bold(true).large(true);
        // Double width: half the columns.
        for part in super::escpos::wrap(&self.name, doc.columns() / 2) {
            doc.line(&part);
        }
        doc.large(false).bold(false);
        let lines = [
            self.header.clone(),
            self.address.clone(),
            self.phone.as_ref().map(|p| format!("Tel {p}")),
            self.tax_number.as_ref().map(|t| format!("TIN {t}")),
            self.licence_number.as_ref().map(|l| format!("Licence {l}")),
        ];
        for line in lines.into_iter().flatten() {
            doc.wrapped(&line);
        }
        doc.align(Align::Left);
    }
}

/// `1234567.891` → `1,234,567.89` (half away from zero).
pub fn money(m: Money) -> String {
    let d =
        m.0.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let negative = d.is_sign_negative() && !d.is_zero();
    let text = format!("{:.2}", d.abs());
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{cents}", if negative { "-" } else { "" })
}

fn qty(q: Qty) -> String {
    q.0.normalize().to_string()
}

/// A tender's name on paper: `cash` → `Cash`.
fn tender(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(first) => first
            .to_uppercase()
            .chain(c)
            .collect::<String>()
            .replace('_', " "),
        None => String::new(),
    }
}

/// An RFC 3339 instant as `YYYY-MM-DD HH:MM` in `tz` (as stored if it
/// cannot be read).
fn local(instant: &str, tz: &str) -> String {
    let Ok(t) = DateTime::parse_from_rfc3339(instant) else {
        return instant.to_string();
    };
    match tz.parse::<chrono_tz::Tz>() {
        Ok(tz) => t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => t
            .with_timezone(&Utc)
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
    }
}

/// A sale's receipt: head, sale number and time, lines, totals, tenders,
/// change, footer, then feed and cut. `drawer` opens the cash drawer first.
pub fn receipt(
    r: &Receipt,
    head: &StoreHead,
    columns: usize,
    reprint: bool,
    drawer: bool,
) -> Vec<u8> {
    let mut doc = Doc::new(columns);
    if drawer {
        doc.kick_drawer();
    }
    head.print(&mut doc);
    doc.rule();
    doc.pair("Sale", &r.sale_number);
    doc.pair(&r.local_time, &format!("Till {}", r.terminal_id));
    doc.pair("Cashier", &r.cashier_name);
    if reprint {
        doc.align(Align::Center)
            .bold(true)
            .line("*** COPY - REPRINT ***");
        doc.bold(false).align(Align::Left);
    }
    if r.status == "voided" {
        doc.align(Align::Center).bold(true).line("*** VOIDED ***");
        doc.bold(false).align(Align::Left);
        if let Some(reason) = &r.void_reason {
            doc.wrapped(&format!("Reason: {reason}"));
        }
    }
    doc.rule();
    for line in &r.lines {
        doc.wrapped(&line.name);
        doc.pair(
            &format!("  {} x {}", qty(line.quantity), money(line.unit_price)),
            &money(line.gross),
        );
        if !line.discount.is_zero() {
            doc.pair("  Discount", &money(-line.discount));
        }
        for b in &line.batches {
            let text = match (&b.batch_number, &b.expiry_date) {
                (Some(n), Some(e)) => format!("  Batch {n} exp {e}"),
                (Some(n), None) => format!("  Batch {n}"),
                (None, Some(e)) => format!("  Exp {e}"),
                (None, None) => continue,
            };
            doc.wrapped(&text);
        }
        if let Some(rx) = &line.prescription_reference {
            doc.wrapped(&format!("  Rx {rx}"));
        }
    }
    doc.rule();
    doc.pair("Subtotal", &money(r.subtotal));
    if !r.discount.is_zero() {
        doc.pair("Discount", &money(-r.discount));
    }
    for t in &r.taxes {
        let label = if r.prices_include_tax {
            format!("incl. VAT {}% on {}", t.rate.normalize(), money(t.taxable))
        } else {
            format!("VAT {}% on {}", t.rate.normalize(), money(t.taxable))
        };
        doc.pair(&label, &money(t.tax));
    }
    if !r.rounding.is_zero() {
        doc.pair("Rounding", &money(r.rounding));
    }
    doc.bold(true)
        .pair(&format!("TOTAL {}", r.store.currency), &money(r.total))
        .bold(false);
    doc.rule();
    for p in &r.payments {
        let label = match &p.reference {
            Some(reference) => format!("{} {reference}", tender(&p.tender)),
            None => tender(&p.tender),
        };
        doc.pair(&label, &money(p.amount));
    }
    doc.pair("Change", &money(r.change));
    if let Some(footer) = &r.store.footer {
        doc.rule()
            .align(Align::Center)
            .wrapped(footer)
            .align(Align::Left);
    }
    doc.feed(4).cut();
    doc.into_bytes()
}

/// A shift's report: X while the shift is open, Z once closed (with the
/// head of the store's record at the close, as `SEQ:HASH`, which
/// `pharmapos verify --printed-head` checks later).
pub fn shift_report(
    s: &ShiftReport,
    store: &Store,
    columns: usize,
    printed_at: DateTime<Utc>,
) -> Vec<u8> {
    let tz = store.timezone.as_str();
    let closed = s.status == "closed";
    let mut doc = Doc::new(columns);
    StoreHead::of_store(store).print(&mut doc);
    doc.align(Align::Center)
        .bold(true)
        .large(true)
        .line(if closed { "Z REPORT" } else { "X REPORT" })
        .large(false)
        .bold(false)
        .align(Align::Left);
    doc.rule();
    doc.pair("Till", &s.terminal_id);
    doc.pair("Shift", &s.shift_id.to_string());
    doc.pair("Opened", &local(&s.opened_at, tz));
    doc.pair("  by", &s.opened_by_name);
    if let Some(at) = &s.closed_at {
        doc.pair("Closed", &local(at, tz));
    }
    doc.rule();
    doc.pair(&format!("Sales ({})", s.sales_count), &money(s.sales_total));
    doc.pair(&format!("Voids ({})", s.voids_count), &money(s.voids_total));
    doc.pair(
        &format!("Returns ({})", s.returns_count),
        &money(s.returns_total),
    );
    doc.pair("Discounts", &money(s.discounts_total));
    doc.pair("Tax", &money(s.tax_total));
    doc.pair("Rounding", &money(s.rounding_total));
    doc.rule();
    for t in &s.tenders {
        doc.pair(&tender(&t.tender), &money(t.net));
        doc.pair(
            &format!("  sales {}", money(t.sales)),
            &format!("refunds {}", money(t.refunds)),
        );
    }
    doc.rule();
    doc.pair("Opening float", &money(s.opening_float));
    doc.pair("Cash sales", &money(s.cash_sales));
    doc.pair("Cash refunds", &money(-s.cash_refunds));
    doc.bold(true)
        .pair(
            &format!("Expected cash {}", store.currency),
            &money(s.expected_cash),
        )
        .bold(false);
    if let Some(counted) = s.counted_cash {
        doc.pair("Counted cash", &money(counted));
    }
    if let Some(over) = s.over_short {
        let label = if over.is_negative() { "Short" } else { "Over" };
        doc.pair(label, &money(over));
    }
    if let Some(notes) = &s.notes {
        doc.wrapped(&format!("Notes: {notes}"));
    }
    if let Some(head) = &s.record_head {
        doc.rule();
        doc.line("Record head at close");
        doc.bold(true)
            .line(&format!("{}:{}", head.seq, head.short_hash))
            .bold(false);
    }
    doc.rule();
    doc.pair("Printed", &local(&printed_at.to_rfc3339(), tz));
    doc.feed(4).cut();
    doc.into_bytes()
}

/// A test page: the printer as configured, a ruler the width of the paper,
/// a line of accented letters (the code page), and the drawer when the
/// settings open it on cash sales.
pub fn test_page(settings: &PrinterSettings, till: &str) -> Vec<u8> {
    let columns = settings.columns();
    let mut doc = Doc::new(columns);
    if settings.cash_drawer {
        doc.kick_drawer();
    }
    doc.align(Align::Center)
        .bold(true)
        .line("PharmaPOS test print")
        .bold(false)
        .align(Align::Left);
    doc.rule();
    doc.pair("Till", till);
    doc.wrapped(&format!("Printer: {}", settings.connection.describe()));
    doc.pair(
        "Paper",
        &format!("{} mm, {columns} characters", settings.paper_width_mm),
    );
    doc.pair(
        "Cash drawer",
        if settings.cash_drawer {
            "opens on cash sales"
        } else {
            "off"
        },
    );
    let ruler: String = (1..=columns)
        .map(|i| char::from(b'0' + (i % 10) as u8))
        .collect();
    doc.line(&ruler);
    doc.line("Accents: é è à ñ ü ç € £ °");
    doc.feed(4).cut();
    doc.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_two_decimals_and_groups() {
        let m = |s: &str| Money(s.parse().unwrap_or_default());
        assert_eq!(money(m("1234567.891")), "1,234,567.89");
        assert_eq!(money(m("0.005")), "0.01");
        assert_eq!(money(m("-30")), "-30.00");
        assert_eq!(money(m("999")), "999.00");
        assert_eq!(money(m("1000")), "1,000.00");
        assert_eq!(money(m("0")), "0.00");
        assert_eq!(tender("bank_transfer"), "Bank transfer");
    }

    #[test]
    fn times_are_in_the_store_zone() {
        assert_eq!(
            local("2026-01-01T10:00:00.000Z", "Africa/Lagos"),
            "2026-01-01 11:00"
        );
        assert_eq!(
            local("2026-01-01T10:00:00.000Z", "Nowhere/City"),
            "2026-01-01 10:00 UTC"
        );
    }
}
