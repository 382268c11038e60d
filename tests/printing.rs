//! Receipt printing from the shell, to a file standing in for the printer:
//! who may choose the printer (the engine's permission table), what the
//! bytes say (ESC @, the store's head, lines, totals, cut), the drawer
//! kick only for cash, reprints, X and Z reports, test pages, and clear
//! errors when there is no printer or it cannot be reached.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use pharmapos_desktop::printer::{PrinterConnection, PrinterSettings};
use pharmapos_desktop::state::{AppState, Changed};
use serde_json::{json, Value};

const INIT: &[u8] = &[0x1B, b'@'];
const CUT: &[u8] = &[0x1D, b'V', 66, 0];
const KICK: &[u8] = &[0x1B, b'p', 0, 25, 250];

fn sign_in(state: &AppState, name: &str, pin: &str) {
    state
        .sign_in(serde_json::from_value(json!({ "name": name, "pin": pin })).unwrap())
        .unwrap();
}

fn call(state: &AppState, name: &str, input: Value) -> Value {
    state.call(name, input).unwrap().0
}

/// A store with a manager and a cashier, a product in stock and an open
/// shift at TILL-1; signed in as the cashier.
fn store() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let state = AppState::new(dir.path().join("store.db"), None);
    state
        .setup_store(
            serde_json::from_value(json!({
                "store_name": "Lekki Pharmacy", "store_code": "LEK", "timezone": "Africa/Lagos",
                "currency": "NGN", "admin_name": "Ada", "admin_pin": "2580"
            }))
            .unwrap(),
        )
        .unwrap();
    sign_in(&state, "Ada", "2580");
    let store_id = call(&state, "list_stores", json!({}))[0]["id"].clone();
    call(
        &state,
        "update_store",
        json!({"id": store_id, "address": "1 Admiralty Way, Lekki", "phone": "+234 1 234 5678"}),
    );
    for (name, role, pin) in [("Musa", "manager", "1357"), ("Cate", "cashier", "4680")] {
        call(
            &state,
            "create_user",
            json!({ "name": name, "role": role, "pin": pin }),
        );
    }
    let supplier = call(&state, "create_supplier", json!({ "name": "Emzor" }));
    let product = call(
        &state,
        "create_product",
        json!({"sku": "PCM-500", "name": "Paracetamol 500mg tablets x12", "unit": "pack",
               "cost_price": "180", "selling_price": "1250"}),
    );
    call(
        &state,
        "receive_stock",
        json!({"product_id": product["id"], "supplier_id": supplier["id"], "batch_number": "PCM-2405",
               "quantity": "50", "expiry_date": "2099-06-30"}),
    );
    sign_in(&state, "Cate", "4680");
    call(
        &state,
        "open_shift",
        json!({"terminal_id": "TILL-1", "opening_float": "5000"}),
    );
    (dir, state)
}

/// Sells `quantity` of the product, paid by `tender`; returns the sale id.
fn sell(state: &AppState, quantity: u32, tender: &str, amount: &str) -> Value {
    let product =
        call(state, "search_products", json!({"query": "paracetamol"}))[0]["product"]["id"].clone();
    let cart = call(state, "open_cart", json!({"terminal_id": "TILL-1"}));
    call(
        state,
        "add_cart_line",
        json!({"cart_id": cart["cart_id"], "product_id": product, "quantity": quantity}),
    );
    let sale_id = uuid_v7();
    call(
        state,
        "complete_sale",
        json!({"sale_id": sale_id, "cart_id": cart["cart_id"], "payments": [{"tender": tender, "amount": amount}]}),
    )
}

/// A cart's edits change only the cart (no screen refreshes, and sync and
/// the alert sweep are not woken); the sale changes the store's record.
#[test]
fn a_carts_edits_change_only_the_cart_and_the_sale_the_record() {
    let (_dir, state) = store();
    let product = call(&state, "search_products", json!({"query": "paracetamol"}))[0]["product"]
        ["id"]
        .clone();
    let (cart, changed) = state
        .call("open_cart", json!({"terminal_id": "TILL-1"}))
        .unwrap();
    assert_eq!(changed, Changed::CartOnly);
    let (_, changed) = state
        .call(
            "add_cart_line",
            json!({"cart_id": cart["cart_id"], "product_id": product, "quantity": 2}),
        )
        .unwrap();
    assert_eq!(changed, Changed::CartOnly);
    let (_, changed) = state
        .call(
            "complete_sale",
            json!({"sale_id": uuid_v7(), "cart_id": cart["cart_id"],
                   "payments": [{"tender": "cash", "amount": "2500"}]}),
        )
        .unwrap();
    assert_eq!(changed, Changed::Record);
}

fn uuid_v7() -> String {
    pharmapos_engine::ids::SaleId::new().to_string()
}

fn file_printer(path: &Path, cash_drawer: bool) -> PrinterSettings {
    PrinterSettings {
        connection: PrinterConnection::File {
            path: path.display().to_string(),
        },
        paper_width_mm: 58,
        cash_drawer,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The bytes one print appended to the file.
fn printed(path: &PathBuf, before: usize) -> Vec<u8> {
    std::fs::read(path).unwrap()[before..].to_vec()
}

fn size(path: &PathBuf) -> usize {
    std::fs::metadata(path)
        .map(|m| m.len() as usize)
        .unwrap_or(0)
}

#[test]
fn only_managers_choose_the_printer_and_it_stays_with_the_till() {
    let (dir, state) = store();
    let out = dir.path().join("printer.bin");
    // A cashier may neither see nor change it: the engine says so.
    assert_eq!(state.printer_settings().unwrap_err().kind, "forbidden");
    assert_eq!(
        state
            .set_printer_settings(file_printer(&out, true))
            .unwrap_err()
            .kind,
        "forbidden"
    );
    assert_eq!(state.test_print(None).unwrap_err().kind, "forbidden");

    sign_in(&state, "Musa", "1357");
    let till = state.till_config().unwrap().till_id;
    assert_eq!(
        state.printer_settings().unwrap(),
        PrinterSettings::default(),
        "no printer until one is chosen"
    );
    let bad = PrinterSettings {
        paper_width_mm: 76,
        ..file_printer(&out, true)
    };
    assert_eq!(
        state.set_printer_settings(bad).unwrap_err().details["field"],
        "paper_width_mm"
    );
    let saved = state
        .set_printer_settings(file_printer(&out, true))
        .unwrap();
    assert_eq!(state.printer_settings().unwrap(), saved);
    // Beside the database, with the till id kept.
    let config: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("store.till.json")).unwrap())
            .unwrap();
    assert_eq!(config["till_id"], till.as_str());
    assert_eq!(config["printer"]["connection"]["kind"], "file");
    assert_eq!(config["printer"]["paper_width_mm"], 58);
    state.rename_till("FRONT-1").ok(); // a manager may not; the printer stays either way
    assert_eq!(state.printer_settings().unwrap(), saved);
    assert!(!out.exists(), "choosing a printer prints nothing");

    // A test page on the saved printer: the width's ruler, and the drawer.
    let result = state.test_print(None).unwrap();
    assert!(result.drawer_opened);
    let page = printed(&out, 0);
    assert_eq!(result.bytes, page.len());
    assert!(page.starts_with(INIT));
    assert!(text(&page).contains("PharmaPOS test print"));
    assert!(text(&page).contains("12345678901234567890123456789012\n"));
    assert!(!text(&page).contains("123456789012345678901234567890123"));
    assert!(contains(&page, KICK) && page.ends_with(CUT));
}

#[test]
fn a_receipt_prints_head_lines_totals_and_opens_the_drawer_only_for_cash() {
    let (dir, state) = store();
    let out = dir.path().join("printer.bin");
    // No printer yet: a clear error, nothing read or written.
    let cash = sell(&state, 2, "cash", "3000");
    let sale_id = cash["sale_id"].as_str().unwrap().parse().unwrap();
    let e = state.print_receipt(sale_id, false).unwrap_err();
    assert_eq!(e.kind, "printer_unavailable");
    assert_eq!(e.details["problem"], "not_configured");

    sign_in(&state, "Musa", "1357");
    state
        .set_printer_settings(file_printer(&out, true))
        .unwrap();
    sign_in(&state, "Cate", "4680");

    let result = state.print_receipt(sale_id, false).unwrap();
    assert!(result.drawer_opened);
    assert_eq!(result.printer, format!("file {}", out.display()));
    let bytes = printed(&out, 0);
    assert_eq!(result.bytes, bytes.len());
    assert!(bytes.starts_with(INIT), "ESC @ first");
    assert_eq!(count(&bytes, KICK), 1, "the drawer opens once");
    assert!(bytes.ends_with(CUT), "fed and cut last");
    let t = text(&bytes);
    for expected in [
        "Lekki Pharmacy",
        "1 Admiralty Way, Lekki",
        "Tel +234 1 234 5678",
        cash["sale_number"].as_str().unwrap(),
        cash["local_time"].as_str().unwrap(),
        "Till TILL-1",
        "Paracetamol 500mg",
        "  2 x 1,250.00",
        "2,500.00",
        "TOTAL NGN",
        "Cash",
        "3,000.00",
        "Change",
        "500.00",
        "Batch PCM-2405 exp 2099-06-30",
    ] {
        assert!(t.contains(expected), "{expected:?} missing from:\n{t}");
    }
    assert!(
        t.lines().all(|l| l.chars().count() <= 40),
        "58 mm paper:\n{t}"
    );

    // A card sale: no drawer.
    let card = sell(&state, 1, "card", "1250");
    let before = size(&out);
    let r = state
        .print_receipt(card["sale_id"].as_str().unwrap().parse().unwrap(), false)
        .unwrap();
    assert!(!r.drawer_opened);
    let bytes = printed(&out, before);
    assert!(bytes.starts_with(INIT) && bytes.ends_with(CUT));
    assert!(!contains(&bytes, KICK), "no drawer for a card sale");
    assert!(text(&bytes).contains("Card"));

    // A reprint of the cash sale: marked, and the drawer stays shut.
    let before = size(&out);
    let r = state.print_receipt(sale_id, true).unwrap();
    assert!(!r.drawer_opened);
    let bytes = printed(&out, before);
    assert!(!contains(&bytes, KICK));
    assert!(text(&bytes).contains("REPRINT"));

    // With the drawer switched off, a cash sale does not open it.
    sign_in(&state, "Musa", "1357");
    state
        .set_printer_settings(file_printer(&out, false))
        .unwrap();
    let before = size(&out);
    state.print_receipt(sale_id, false).unwrap();
    assert!(!contains(&printed(&out, before), KICK));

    // Someone else's sale id: the engine's not_found, nothing printed.
    let before = size(&out);
    let e = state
        .print_receipt(uuid_v7().parse().unwrap(), false)
        .unwrap_err();
    assert_eq!(e.kind, "not_found");
    assert_eq!(size(&out), before);
    state.sign_out().unwrap();
    assert_eq!(
        state.print_receipt(sale_id, false).unwrap_err().kind,
        "unauthenticated"
    );
}

#[test]
fn shift_reports_print_x_then_z_with_the_record_head_in_the_store_zone() {
    let (dir, state) = store();
    let out = dir.path().join("printer.bin");
    sign_in(&state, "Musa", "1357");
    state
        .set_printer_settings(file_printer(&out, true))
        .unwrap();
    sign_in(&state, "Cate", "4680");
    sell(&state, 2, "cash", "2500");
    let x = call(&state, "get_shift_report", json!({"terminal_id": "TILL-1"}));
    let shift_id = x["shift_id"].as_str().unwrap().parse().unwrap();
    let r = state.print_shift_report(shift_id).unwrap();
    assert!(!r.drawer_opened, "a report never opens the drawer");
    let bytes = printed(&out, 0);
    assert!(bytes.starts_with(INIT) && bytes.ends_with(CUT));
    assert!(!contains(&bytes, KICK));
    let t = text(&bytes);
    assert!(t.contains("X REPORT"), "{t}");
    assert!(t.contains("Sales (1)") && t.contains("2,500.00"), "{t}");
    assert!(t.contains("7,500.00"), "expected cash 5,000 + 2,500:\n{t}");
    let opened = chrono::DateTime::parse_from_rfc3339(x["opened_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&chrono_tz::Africa::Lagos)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    assert!(t.contains(&opened), "opened at {opened} (Lagos) in:\n{t}");

    let z = call(
        &state,
        "close_shift",
        json!({"terminal_id": "TILL-1", "counted_cash": "7450"}),
    );
    let before = size(&out);
    state.print_shift_report(shift_id).unwrap();
    let t = text(&printed(&out, before));
    assert!(t.contains("Z REPORT"), "{t}");
    assert!(t.contains("Counted cash") && t.contains("Short"), "{t}");
    let head = format!(
        "{}:{}",
        z["record_head"]["seq"],
        z["record_head"]["short_hash"].as_str().unwrap()
    );
    assert!(t.contains(&head), "record head {head} in:\n{t}");
}

#[test]
fn test_print_tries_unsaved_settings_and_reports_an_unreachable_printer() {
    let (dir, state) = store();
    sign_in(&state, "Musa", "1357");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let reader = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut got = Vec::new();
        std::io::Read::read_to_end(&mut s, &mut got).unwrap();
        got
    });
    let network = PrinterSettings {
        connection: PrinterConnection::Network {
            host: "127.0.0.1".into(),
            port,
        },
        paper_width_mm: 80,
        cash_drawer: false,
    };
    let r = state.test_print(Some(network.clone())).unwrap();
    let got = reader.join().unwrap();
    assert_eq!(r.bytes, got.len());
    assert!(got.starts_with(INIT) && got.ends_with(CUT) && !contains(&got, KICK));
    assert!(text(&got).contains(&"1234567890".repeat(4)), "48 columns");
    assert_eq!(
        state.printer_settings().unwrap(),
        PrinterSettings::default(),
        "a test print saves nothing"
    );

    // Nobody listens any more: refused, in words.
    let e = state.test_print(Some(network)).unwrap_err();
    assert_eq!(e.kind, "printer_unavailable");
    assert_eq!(e.details["problem"], "refused");
    assert!(e.message.contains("did not answer"), "{}", e.message);

    // A USB printer that is not plugged in.
    let usb = PrinterSettings {
        connection: PrinterConnection::Usb {
            device: dir.path().join("lp0").display().to_string(),
        },
        ..PrinterSettings::default()
    };
    state.set_printer_settings(usb).unwrap();
    let e = state.test_print(None).unwrap_err();
    assert_eq!(e.details["problem"], "not_found");
    assert!(e.message.contains("plugged in"), "{}", e.message);
}
