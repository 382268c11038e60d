import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { ProductHit } from "../../bindings/ProductHit";
import type { ReceivedLine } from "../../bindings/ReceivedLine";
import type { DeliveryReceived } from "../../bindings/DeliveryReceived";
import type { ParsedScan } from "../../bindings/ParsedScan";
import type { ReceiveResult } from "../../bindings/ReceiveResult";
import type { Role } from "../../bindings/Role";
import { renderInStore } from "../../test-utils";
import { ReceivingScreen } from "./ReceivingScreen";

afterEach(() => clearMocks());

function hit(id: string, name: string, sku: string): ProductHit {
  return {
    product: { id, name, sku, unit: "tablet" },
    available: "0",
    nearest_expiry: null,
  } as unknown as ProductHit;
}

const PARACETAMOL = hit("p-para", "Paracetamol 500mg", "PCM-500");
const IBUPROFEN = hit("p-ibu", "Ibuprofen 200mg", "IBU-200");

function result(productId: string, productName: string, batch: string, quantity: string): ReceiveResult {
  return {
    receipt_id: `r-${batch}`,
    batch_id: `b-${batch}`,
    product_id: productId,
    product_name: productName,
    unit: "tablet",
    store_id: "s1",
    batch_number: batch,
    quantity,
    on_hand: quantity,
    expiry_date: "2027-06-30",
    cost_price: "0.05",
    topped_up: false,
    purchase_receipt_id: "pr1",
    cost_price_source: "request",
    pending_backorders: 0,
  };
}

const LINE: ReceivedLine = {
  receipt_id: "r-V-7",
  store_id: "s1",
  batch_id: "b-V-7",
  batch_number: "V-7",
  product_id: "p-para",
  product_name: "Paracetamol 500mg",
  unit: "tablet",
  quantity: "12",
  reference_number: "INV-9",
  supplier_name: "Emzor",
  user_name: "Ada",
  received_at: "2026-11-22T10:00:00.000Z",
  reversed: false,
  reversed_at: null,
  reversed_by: null,
  reversal_reason: null,
};

interface Call {
  name: string;
  input: Record<string, unknown>;
}

function renderScreen(role: Role, handlers: Partial<Record<string, (input: Record<string, unknown>) => unknown>> = {}): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    const handler = handlers[name];
    if (handler) return handler(input);
    if (name === "list_suppliers") return [{ id: "sup1", name: "Emzor", is_preferred: false }];
    if (name === "list_receipts") return [LINE];
    if (name === "search_products") {
      const q = String(input["query"]).toLowerCase();
      return [PARACETAMOL, IBUPROFEN].filter((h) => h.product.name.toLowerCase().includes(q));
    }
    throw new Error(`unexpected call ${name}`);
  });
  renderInStore(<ReceivingScreen />, { role });
  return calls;
}

/** Picks a date in the date field labelled `label` (the store, en-NG, writes day, month, year). */
async function pickDate(label: string, ddmmyyyy: string) {
  const user = userEvent.setup();
  await user.click(within(screen.getByRole("group", { name: label })).getAllByRole("spinbutton")[0]!);
  await user.keyboard(ddmmyyyy);
}

function scanned(over: Partial<Omit<ParsedScan, "product">> & { product?: Partial<ParsedScan["product"]> } = {}): ParsedScan {
  const { product, ...rest } = over;
  return {
    code: "(01)06151100012340(17)270630(10)L-1(21)SN-1",
    parsed: null,
    product: { id: "p-para", sku: "PCM-500", name: "Paracetamol 500mg", unit: "tablet", allow_fractional: false, expiry_required: true, cost_price: "0.05", ...product },
    batch_number: "L-1",
    expiry_date: "2027-06-30",
    manufacture_date: null,
    serial_number: "SN-1",
    quantity: null,
    known_batch: null,
    pack_expired: false,
    expiry_differs: false,
    ...rest,
  };
}

function posted(input: Record<string, unknown>): DeliveryReceived {
  const lines = input["lines"] as Record<string, string>[];
  return {
    purchase_receipt_id: "pr1",
    supplier_id: "sup1",
    reference_number: String(input["reference_number"]),
    lines: lines.map((l) => result(l["product_id"]!, "Paracetamol 500mg", l["batch_number"]!, l["quantity"]!)),
    total: "12.35",
    invoice_total: "12.35",
  };
}

async function startDelivery() {
  await screen.findByRole("option", { name: "Emzor" });
  fireEvent.change(screen.getByLabelText("Supplier"), { target: { value: "sup1" } });
  fireEvent.change(screen.getByLabelText("Invoice number"), { target: { value: "INV-77" } });
}

async function scan(code: string) {
  const input = screen.getByLabelText("Scan a barcode or GS1 code");
  fireEvent.change(input, { target: { value: code } });
  fireEvent.keyDown(input, { key: "Enter" });
  await waitFor(() => expect(input).toHaveValue(""));
}

const lineForm = () => screen.getByRole("form", { name: /^(Add a line|Edit line \d+)$/ });
const linesTable = () => screen.getByRole("table", { name: "Delivery lines" });

// Generous: each test walks several screens' worth of queries, and the
// shared build machine can be slow.
describe("ReceivingScreen", { timeout: 30_000 }, () => {
  it("builds a delivery from scans, totals it exactly and posts it in one call", async () => {
    const codes: Record<string, ParsedScan> = {
      A: scanned(),
      B: scanned({ batch_number: "L-2", expiry_date: "2027-12-31", serial_number: null, product: { cost_price: "0.10" } }),
      C: scanned({ batch_number: "L-3", expiry_date: "2028-01-31", serial_number: null, quantity: "30", product: { cost_price: null } }),
    };
    const calls = renderScreen("manager", {
      parse_scan: (input) => codes[String(input["code"])],
      receive_delivery: posted,
    });
    await startDelivery();
    const post = screen.getByRole("button", { name: "Post delivery" });
    expect(post).toBeDisabled();

    // Line 1: the scan fills product, batch, expiry, serial and the product's cost.
    await scan("A");
    expect(screen.getByTestId("line-product")).toHaveTextContent("Paracetamol 500mg — PCM-500");
    expect(screen.getByLabelText("Batch number")).toHaveValue("L-1");
    expect(screen.getByLabelText("Serial number")).toHaveValue("SN-1");
    expect(screen.getByLabelText("Unit cost")).toHaveValue("0.05");
    expect(document.activeElement).toBe(screen.getByLabelText("Quantity"));
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "100" } });
    fireEvent.submit(lineForm());
    // Line 2: cost typed over the suggestion (0.1 + 0.2 must not be 0.30000000000000004).
    await scan("B");
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "3" } });
    fireEvent.change(screen.getByLabelText("Unit cost"), { target: { value: "0.1" } });
    fireEvent.submit(lineForm());
    // Line 3: the symbol's count fills the quantity; the product has no cost, so it is asked for.
    await scan("C");
    expect(screen.getByLabelText("Quantity")).toHaveValue("30");
    fireEvent.submit(lineForm());
    expect(await screen.findByText("Enter the unit cost from the invoice.")).toBeInTheDocument();
    expect(screen.getByLabelText("Unit cost")).toHaveAttribute("aria-invalid", "true");
    fireEvent.change(screen.getByLabelText("Unit cost"), { target: { value: "0.2" } });
    fireEvent.submit(lineForm());

    const rows = within(linesTable()).getAllByRole("row").filter((r) => r.hasAttribute("data-batch"));
    expect(rows.map((r) => r.getAttribute("data-batch"))).toEqual(["L-1", "L-2", "L-3"]);
    // 100 × 0.05 + 3 × 0.1 + 30 × 0.2 = 5 + 0.3 + 6 = 11.30
    expect(screen.getByTestId("delivery-total")).toHaveTextContent("₦11.30");
    expect(within(linesTable()).getByText("Delivery total (3 lines)")).toBeInTheDocument();

    // Edit line 2's quantity; remove nothing yet.
    fireEvent.click(screen.getByRole("button", { name: "Edit line 2 (batch L-2)" }));
    expect(screen.getByRole("form", { name: "Edit line 2" })).toBeInTheDocument();
    expect(post).toBeDisabled();
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "13.5" } });
    fireEvent.submit(lineForm());
    // 5 + 1.35 + 6 = 12.35
    expect(screen.getByTestId("delivery-total")).toHaveTextContent("₦12.35");

    expect(post).toBeEnabled();
    fireEvent.click(post);
    expect(await screen.findByText("Posted delivery INV-77: 3 lines, ₦12.35.")).toBeInTheDocument();
    const posts = calls.filter((c) => c.name === "receive_delivery");
    expect(posts).toHaveLength(1);
    expect(posts[0]!.input).toEqual({
      supplier_id: "sup1",
      reference_number: "INV-77",
      location: undefined,
      lines: [
        { product_id: "p-para", batch_number: "L-1", quantity: "100", expiry_date: "2027-06-30", manufacture_date: undefined, serial_number: "SN-1", cost_price: "0.05" },
        { product_id: "p-para", batch_number: "L-2", quantity: "13.5", expiry_date: "2027-12-31", manufacture_date: undefined, serial_number: undefined, cost_price: "0.1" },
        { product_id: "p-para", batch_number: "L-3", quantity: "30", expiry_date: "2028-01-31", manufacture_date: undefined, serial_number: undefined, cost_price: "0.2" },
      ],
    });
    expect(calls.some((c) => c.name === "receive_stock")).toBe(false);
    // The lines are gone after posting.
    expect(within(linesTable()).queryAllByRole("row").filter((r) => r.hasAttribute("data-batch"))).toHaveLength(0);
  });

  it("takes a product picked by name, and removes a line before posting", async () => {
    const calls = renderScreen("manager", { receive_delivery: posted });
    await startDelivery();
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "ibu" } });
    const select = screen.getByLabelText<HTMLSelectElement>("Product");
    await waitFor(() => expect(within(select).getAllByRole("option").map((o) => (o as HTMLOptionElement).value)).toContain("p-ibu"));
    fireEvent.change(select, { target: { value: "p-ibu" } });
    expect(screen.getByTestId("line-product")).toHaveTextContent("Ibuprofen 200mg — IBU-200");
    fireEvent.change(screen.getByLabelText("Batch number"), { target: { value: "I-1" } });
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "2" } });
    fireEvent.change(screen.getByLabelText("Unit cost"), { target: { value: "1.25" } });
    await pickDate("Expiry date", "30062027");
    fireEvent.submit(lineForm());
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "ibu" } });
    await waitFor(() => expect(within(screen.getByLabelText("Product")).getAllByRole("option").length).toBeGreaterThan(1));
    fireEvent.change(screen.getByLabelText("Product"), { target: { value: "p-ibu" } });
    fireEvent.change(screen.getByLabelText("Batch number"), { target: { value: "I-2" } });
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "1" } });
    fireEvent.change(screen.getByLabelText("Unit cost"), { target: { value: "1.25" } });
    fireEvent.submit(lineForm());
    expect(screen.getByTestId("delivery-total")).toHaveTextContent("₦3.75");
    fireEvent.click(screen.getByRole("button", { name: "Remove line 2 (batch I-2)" }));
    expect(screen.getByTestId("delivery-total")).toHaveTextContent("₦2.50");
    fireEvent.click(screen.getByRole("button", { name: "Post delivery" }));
    await screen.findByText(/Posted delivery INV-77: 1 line,/);
    const lines = calls.find((c) => c.name === "receive_delivery")?.input["lines"] as Record<string, unknown>[];
    expect(lines).toEqual([
      { product_id: "p-ibu", batch_number: "I-1", quantity: "2", expiry_date: "2027-06-30", manufacture_date: undefined, serial_number: undefined, cost_price: "1.25" },
    ]);
  });

  it("asks for the product, batch and quantity before adding a line", async () => {
    renderScreen("manager");
    await startDelivery();
    fireEvent.submit(lineForm());
    expect(await screen.findByText("Scan the pack or choose the product.")).toBeInTheDocument();
    expect(screen.getByText("Enter the batch number printed on the pack.")).toBeInTheDocument();
    expect(screen.getByText("Enter a quantity above 0.")).toBeInTheDocument();
    expect(within(linesTable()).getByText("No lines yet: scan the first pack below.")).toBeInTheDocument();
  });

  it("opens the refused line with the engine's words at its field; nothing is posted", async () => {
    let refuse = true;
    const calls = renderScreen("manager", {
      parse_scan: (input) => (input["code"] === "B" ? scanned({ batch_number: "L-2", expiry_date: "2025-12-31" }) : scanned()),
      receive_delivery: (input) => {
        if (refuse)
          throw {
            kind: "invalid_input",
            message: "line 2: batch L-2 has expired and cannot be used",
            details: { field: "lines.1.expiry_date" },
          };
        return posted(input);
      },
    });
    await startDelivery();
    await scan("A");
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "10" } });
    fireEvent.submit(lineForm());
    await scan("B");
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "5" } });
    fireEvent.submit(lineForm());
    fireEvent.click(screen.getByRole("button", { name: "Post delivery" }));

    // Line 2 opens in the editor, the words sit at its expiry field, and its row says so.
    const editor = await screen.findByRole("form", { name: "Edit line 2" });
    const expiry = within(editor).getByRole("group", { name: "Expiry date" });
    expect(within(expiry.parentElement!).getByText("Batch L-2 has expired and cannot be used")).toBeInTheDocument();
    const row = within(linesTable()).getAllByRole("row").find((r) => r.getAttribute("data-batch") === "L-2")!;
    expect(row).toHaveAttribute("aria-invalid", "true");
    expect(within(row).getByTestId("line-error")).toHaveTextContent("Line 2: check “Expiry date”: Batch L-2 has expired and cannot be used");

    // Corrected, the line is saved and the delivery posts.
    refuse = false;
    await pickDate("Expiry date", "31122027");
    fireEvent.submit(editor);
    expect(screen.queryByTestId("line-error")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Post delivery" }));
    await screen.findByText(/Posted delivery INV-77: 2 lines/);
    const sent = calls.filter((c) => c.name === "receive_delivery").map((c) => (c.input["lines"] as Record<string, unknown>[])[1]!["expiry_date"]);
    expect(sent).toEqual(["2025-12-31", "2027-12-31"]);
  });

  it("says what the scan found: a known batch, a differing expiry, an expired pack", async () => {
    const known = { batch_id: "b1", expiry_date: "2027-06-30", status: "available" as const, on_hand: "40" };
    const answers: Record<string, ParsedScan> = {
      K: scanned({ known_batch: known }),
      D: scanned({ known_batch: { ...known, expiry_date: "2027-01-31" }, expiry_differs: true }),
      X: scanned({ expiry_date: "2025-12-31", pack_expired: true }),
    };
    renderScreen("manager", { parse_scan: (input) => answers[String(input["code"])] });
    await startDelivery();
    await scan("K");
    expect(await screen.findByText("Batch L-1 is already in stock (40 tablet): this line tops it up.")).toBeInTheDocument();
    await scan("D");
    expect(await screen.findByText("Batch L-1 is on record with expiry 31 Jan 2027, not the pack's: check the pack.")).toBeInTheDocument();
    await scan("X");
    expect(await screen.findByText("This pack expired on 31 Dec 2025: it cannot be received.")).toBeInTheDocument();
  });

  it("shows an unknown code at the scan field", async () => {
    renderScreen("manager", {
      parse_scan: () => {
        throw { kind: "invalid_input", message: "GTIN '06151100012341' has a wrong check digit", details: { field: "code" } };
      },
    });
    await startDelivery();
    const input = screen.getByLabelText("Scan a barcode or GS1 code");
    fireEvent.change(input, { target: { value: "6151100012341" } });
    fireEvent.keyDown(input, { key: "Enter" });
    expect(await screen.findByText("GTIN '06151100012341' has a wrong check digit")).toBeInTheDocument();
    expect(input).toHaveAttribute("aria-invalid", "true");
  });

  it("lets a manager reverse a recent receipt after previewing it and giving a reason", async () => {
    const calls = renderScreen("manager", {
      reverse_receipt: (input) => ({
        receipt_id: input["receipt_id"],
        batch_id: "b-V-7",
        batch_number: "V-7",
        product_id: "p-para",
        product_name: "Paracetamol 500mg",
        unit: "tablet",
        quantity: "12",
        previous_quantity: "12",
        on_hand: "0",
      }),
    });
    const table = await screen.findByRole("table", { name: "Recent receipts" });
    const row = await within(table).findByText("V-7");
    expect(row.closest("tr")).toHaveTextContent("Paracetamol 500mg");
    fireEvent.click(within(table).getByRole("button", { name: "Reverse the receipt of batch V-7" }));

    const dialog = screen.getByRole("alertdialog", { name: "Reverse this receipt?" });
    expect(dialog).toHaveTextContent("Takes 12 tablet of Paracetamol 500mg back off batch V-7");
    const confirm = within(dialog).getByRole("button", { name: "Reverse 12 tablet" });
    expect(confirm).toBeDisabled();
    fireEvent.submit(dialog);
    expect(calls.some((c) => c.name === "reverse_receipt")).toBe(false);

    fireEvent.change(within(dialog).getByLabelText("Reason for the reversal"), { target: { value: " wrong product " } });
    fireEvent.click(confirm);
    expect(await screen.findByText("Reversed the receipt of 12 tablet of Paracetamol 500mg into batch V-7: 12 → 0 on hand.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "reverse_receipt")?.input).toEqual({ receipt_id: "r-V-7", reason: "wrong product" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("shows the engine's refusal in the dialog", async () => {
    renderScreen("manager", {
      reverse_receipt: () => {
        throw {
          kind: "receipt_not_reversible",
          message: "the receipt of 12 tablet into batch V-7 of Paracetamol 500mg cannot be reversed: stock has left the batch since (allocated, 2026-11-22). Correct the batch with a stock adjustment, or write it off, instead",
          details: { receipt_id: "r-V-7", batch: "V-7", reason: "stock_left" },
        };
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Reverse the receipt of batch V-7" }));
    const dialog = screen.getByRole("alertdialog");
    fireEvent.change(within(dialog).getByLabelText("Reason for the reversal"), { target: { value: "error" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Reverse 12 tablet" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Cannot reverse this receipt");
    expect(within(alert).getByText(/stock has left the batch since\. Correct the batch with a stock adjustment or a write-off instead\./)).toBeVisible();
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
  });

  it("offers no reversal to cashiers", async () => {
    renderScreen("cashier");
    const table = await screen.findByRole("table", { name: "Recent receipts" });
    await within(table).findByText("V-7");
    expect(within(table).queryByRole("button", { name: /Reverse/ })).toBeNull();
  });
});
