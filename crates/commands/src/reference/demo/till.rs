//! A day at the till.

use super::{cents, money, Batches, Catalogue};
use crate::reference::recorder::{id, Recorder, ERRORS};
use serde_json::json;

/// A day at the till (docs/till.md): chidi sells at TILL-1, musa approves
/// what is beyond a cashier's limits. It runs after the inventory errors so
/// that the security log at the end shows both wrong PINs.
pub(super) fn day(d: &mut Recorder, c: &Catalogue, b: &Batches) {
    let (para, btx, vitc, ibu) = (&c.para, &c.btx, &c.vitc, &c.ibu);
    d.call("chidi", "get_till_settings", json!({}));
    d.say(
        "list_approvers",
        "Who can approve at this store's till (the approval dialog lists them to pick from):",
    );
    d.call("chidi", "list_approvers", json!({}));
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
        "100 off the whole cart, shared across the lines in proportion (`cart_discount` per line). The cashier's limit applies to each line's own discount and its share of the cart's together, so with the line discount above a manager approves:",
    );
    let cart = d.call(
        "chidi",
        "set_cart_discount",
        json!({"cart_id": cart1, "discount": {"kind": "amount", "value": "100"}, "approver_name": "musa", "approver_pin": "2468"}),
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
    d.say(
        "scan_to_cart",
        "The walk-in customer's box of paracetamol, scanned straight into the new cart: the scan and the added line in one step (this is what the till sends for every scan):",
    );
    d.call(
        "chidi",
        "scan_to_cart",
        json!({"cart_id": cart3, "code": "6151100012345"}),
    );
    d.say(
        "scan_to_cart",
        "A pack of the expired batch PCM-2318: refused, and nothing is added (`cart` is absent):",
    );
    d.call(
        "chidi",
        "scan_to_cart",
        json!({"cart_id": cart3, "code": "(01)06151100012357(17)260119(10)PCM-2318"}),
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
    d.say(
        "list_shifts",
        "Past shifts, newest first, to find a Z report again (reprint it with `get_shift_report` and its `shift_id`):",
    );
    d.call("musa", "list_shifts", json!({"closed": true}));
    d.say(
        "get_dashboard",
        "musa's home at the end of the day: today's takings and margin, the last 30 days (oldest first), stock and expiring value, low stock and adjustments waiting:",
    );
    d.call("musa", "get_dashboard", json!({}));
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
