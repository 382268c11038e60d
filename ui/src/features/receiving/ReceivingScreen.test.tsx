import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { ProductHit } from "../../bindings/ProductHit";
import type { ReceivedLine } from "../../bindings/ReceivedLine";
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

async function chooseProduct(search: string, productId: string) {
  fireEvent.change(screen.getByLabelText("Find product"), { target: { value: search } });
  const select = screen.getByLabelText<HTMLSelectElement>("Product");
  await waitFor(() => expect(within(select).getAllByRole("option").map((o) => (o as HTMLOptionElement).value)).toContain(productId));
  fireEvent.change(select, { target: { value: productId } });
}

/** Picks a date in the date field labelled `label` (the store, en-NG, writes day, month, year). */
async function pickDate(label: string, ddmmyyyy: string) {
  const user = userEvent.setup();
  await user.click(within(screen.getByRole("group", { name: label })).getAllByRole("spinbutton")[0]!);
  await user.keyboard(ddmmyyyy);
}

async function fillLine(batch: string, quantity: string) {
  fireEvent.change(screen.getByLabelText("Batch number"), { target: { value: batch } });
  fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: quantity } });
  await pickDate("Expiry date", "30062027");
}

// Generous: each test walks several screens' worth of queries, and the
// shared build machine can be slow.
describe("ReceivingScreen", { timeout: 30_000 }, () => {
  it("forgets the product on a new search: Receive is off and Enter books nothing", async () => {
    const calls = renderScreen("manager", {
      receive_stock: (input) =>
        input["product_id"] === "p-para"
          ? result("p-para", "Paracetamol 500mg", String(input["batch_number"]), String(input["quantity"]))
          : result("p-ibu", "Ibuprofen 200mg", String(input["batch_number"]), String(input["quantity"])),
    });
    const form = screen.getByRole("form", { name: "Receive stock" });
    const receive = within(form).getByRole("button", { name: "Receive" });
    await screen.findByRole("option", { name: "Emzor" });
    fireEvent.change(screen.getByLabelText("Supplier"), { target: { value: "sup1" } });
    expect(receive).toBeDisabled();

    await chooseProduct("para", "p-para");
    await fillLine("V-8", "5");
    expect(receive).toBeEnabled();
    fireEvent.submit(form);
    expect(await screen.findByText("Received new batch V-8 of Paracetamol 500mg: +5 tablet, now 5 on hand, expires 30 Jun 2027.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "receive_stock")?.input["expiry_date"]).toBe("2027-06-30");

    // The defect: a new search showed "Choose a product…" yet kept Paracetamol.
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "ibu" } });
    const select = screen.getByLabelText<HTMLSelectElement>("Product");
    expect(select.value).toBe("");
    expect(within(select).getByRole("option", { selected: true })).toHaveTextContent("Choose a product…");
    expect(receive).toBeDisabled();
    await fillLine("V-9", "2");
    fireEvent.submit(form);
    expect(receive).toHaveTextContent("Receive");

    // Once a product is shown as chosen, that product is the one received.
    await chooseProduct("ibu", "p-ibu");
    expect(receive).toBeEnabled();
    fireEvent.submit(form);
    expect(await screen.findByText(/Received new batch V-9 of Ibuprofen 200mg: \+2 tablet/)).toBeInTheDocument();
    // Exactly two bookings, each into the product shown: the Enter above booked nothing.
    const booked = calls.filter((c) => c.name === "receive_stock").map((c) => [c.input["product_id"], c.input["batch_number"]]);
    expect(booked).toEqual([
      ["p-para", "V-8"],
      ["p-ibu", "V-9"],
    ]);
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
