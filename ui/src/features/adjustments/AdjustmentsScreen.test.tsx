import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { Adjustment } from "../../bindings/Adjustment";
import type { BatchView } from "../../bindings/BatchView";
import type { ProductHit } from "../../bindings/ProductHit";
import { renderInStore } from "../../test-utils";
import { AdjustmentsScreen } from "./AdjustmentsScreen";

afterEach(() => clearMocks());

const HITS = [
  { product: { id: "p-para", name: "Paracetamol 500mg", sku: "PCM-500", unit: "tablet" }, available: "10", nearest_expiry: null },
  { product: { id: "p-ibu", name: "Ibuprofen 200mg", sku: "IBU-200", unit: "tablet" }, available: "4", nearest_expiry: null },
] as unknown as ProductHit[];

function batch(productId: string, productName: string, number: string): BatchView {
  return {
    batch_id: `b-${number}`, product_id: productId, product_name: productName, sku: "X", unit: "tablet", store_id: "s1",
    batch_number: number, serial_number: null, expiry_date: "2027-06-30", manufacture_date: null, initial_quantity: "10",
    quantity: "10", reserved: "0", available: "10", cost_price: "0.05", supplier_id: null, supplier_name: null,
    received_date: "2026-11-01", location: null, status: "available", status_reason: null, days_to_expiry: 200, expiry_band: "ok",
  };
}

function renderScreen(
  handlers: Record<string, (input: Record<string, unknown>) => unknown> = {},
  role: "manager" | "cashier" = "manager",
): { name: string; input: Record<string, unknown> }[] {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    const handler = handlers[name];
    if (handler) return handler(input);
    if (name === "list_approvers") return [{ id: "m1", name: "Ada Okafor" }, { id: "m2", name: "Musa Bello" }];
    if (name === "search_products") {
      const q = String(input["query"]).toLowerCase();
      return HITS.filter((h) => h.product.name.toLowerCase().includes(q));
    }
    if (name === "get_store_inventory") {
      return input["product_id"] === "p-para" ? [batch("p-para", "Paracetamol 500mg", "V-1")] : [batch("p-ibu", "Ibuprofen 200mg", "I-1")];
    }
    if (name === "list_adjustments") return [];
    if (name === "adjust_stock") {
      const done: Partial<Adjustment> = {
        id: "a1", kind: "adjustment", batch_id: String(input["batch_id"]), batch_number: "V-1", product_id: "p-para",
        product_name: "Paracetamol 500mg", quantity_change: String(input["quantity_change"]), previous_quantity: "10",
        new_quantity: "8", status: "applied",
      };
      return done;
    }
    if (name === "writeoff_batch") {
      const done: Partial<Adjustment> = {
        id: "w1", kind: "writeoff", batch_id: String(input["batch_id"]), batch_number: "V-1", product_id: "p-para",
        product_name: "Paracetamol 500mg", quantity_change: "-10", previous_quantity: "10", new_quantity: "0", status: "applied",
      };
      return done;
    }
    throw new Error(`unexpected call ${name}`);
  });
  renderInStore(<AdjustmentsScreen />, { role });
  return calls;
}

const PENDING_WRITEOFF: Adjustment = {
  id: "a1", kind: "writeoff", batch_id: "b-V-1", batch_number: "V-1", product_id: "p-para", product_name: "Paracetamol 500mg", store_id: "s1",
  quantity_change: "-40", previous_quantity: null, new_quantity: null, reason: "damage", notes: null, status: "pending",
  user_id: "u3", user_name: "Bola", approved_by: null, approved_by_name: null, created_at: "2026-11-22T10:00:00Z", decided_at: null,
  decision_notes: null, waiting_for: null, supplier_id: null, supplier_name: null,
};

// Generous: each test walks several screens' worth of queries, and the
// shared build machine can be slow.
describe("AdjustmentsScreen", { timeout: 30_000 }, () => {
  it("drops the chosen batch on a new search, and names product, batch and quantity when done", async () => {
    const calls = renderScreen();
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "para" } });
    const select = screen.getByLabelText<HTMLSelectElement>("Product");
    await within(select).findByRole("option", { name: /Paracetamol 500mg/ }, { timeout: 5000 });
    fireEvent.change(select, { target: { value: "p-para" } });
    fireEvent.click(await screen.findByRole("button", { name: "Select batch V-1" }));
    const form = screen.getByRole("form", { name: "Adjust the batch" });
    expect(form).toHaveTextContent("Adjust batch V-1 of Paracetamol 500mg");
    fireEvent.change(within(form).getByLabelText("Quantity change"), { target: { value: "-2" } });
    fireEvent.submit(form);
    expect(await screen.findByText("Adjusted batch V-1 of Paracetamol 500mg by -2 tablet: 10 → 8.")).toBeInTheDocument();

    // A new search: the batch's forms go away with the product they belong to.
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "ibu" } });
    expect(screen.getByLabelText<HTMLSelectElement>("Product").value).toBe("");
    expect(screen.queryByRole("form", { name: "Adjust the batch" })).toBeNull();
    expect(screen.queryByRole("form", { name: "Write off the batch" })).toBeNull();
    expect(screen.queryByRole("table", { name: "Batches of the product" })).toBeNull();
    await waitFor(() => expect(within(screen.getByLabelText("Product")).getAllByRole("option")).toHaveLength(2));
    expect(screen.getByLabelText<HTMLSelectElement>("Product").value).toBe("");
    expect(calls.filter((c) => c.name === "adjust_stock")).toHaveLength(1);
  });

  it("takes the approving manager from the list, and shows what a refused approval was for", async () => {
    const calls = renderScreen({
      adjust_stock: () => {
        throw {
          kind: "approval_required",
          message: "approval refused: wrong approver name or PIN",
          details: { reason: "approval refused: wrong approver name or PIN", measure: "quantity", amount: "30", limit: "20", requested_by: "Bola" },
        };
      },
    });
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "para" } });
    const select = screen.getByLabelText<HTMLSelectElement>("Product");
    await within(select).findByRole("option", { name: /Paracetamol 500mg/ }, { timeout: 5000 });
    fireEvent.change(select, { target: { value: "p-para" } });
    fireEvent.click(await screen.findByRole("button", { name: "Select batch V-1" }));
    const form = screen.getByRole("form", { name: "Adjust the batch" });
    fireEvent.change(within(form).getByLabelText("Quantity change"), { target: { value: "-30" } });
    // A picker, not a typed name.
    const approver = within(form).getByLabelText<HTMLSelectElement>("Approving manager");
    expect(approver.tagName).toBe("SELECT");
    await within(approver).findByRole("option", { name: "Musa Bello" });
    fireEvent.change(approver, { target: { value: "Musa Bello" } });
    fireEvent.change(within(form).getByLabelText("Manager PIN"), { target: { value: "0000" } });
    fireEvent.submit(form);
    const facts = await within(form).findByTestId("approval-facts");
    expect(facts).toHaveTextContent("Amount30");
    expect(facts).toHaveTextContent("Limit it goes past20");
    expect(facts).toHaveTextContent("Asked byBola");
    expect(calls.find((c) => c.name === "adjust_stock")?.input).toMatchObject({ quantity_change: "-30", approver_name: "Musa Bello", approver_pin: "0000" });
  });

  it("shows what a write-off removes, and its value, before it is sent", async () => {
    const calls = renderScreen();
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "para" } });
    const select = screen.getByLabelText<HTMLSelectElement>("Product");
    await within(select).findByRole("option", { name: /Paracetamol 500mg/ }, { timeout: 5000 });
    fireEvent.change(select, { target: { value: "p-para" } });
    fireEvent.click(await screen.findByRole("button", { name: "Select batch V-1" }));
    const form = screen.getByRole("form", { name: "Write off the batch" });
    fireEvent.click(within(form).getByRole("button", { name: "Write off batch…" }));

    const dialog = await screen.findByRole("alertdialog", { name: "Write off batch V-1?" });
    const preview = within(dialog).getByTestId("writeoff-preview");
    expect(preview).toHaveTextContent("Paracetamol 500mg");
    expect(preview).toHaveTextContent("Quantity written off10 tablet");
    // 10 × 0.05 at cost, in the store's currency.
    expect(preview).toHaveTextContent("Value at cost₦0.50");
    expect(preview).toHaveTextContent("Damage");
    expect(calls.some((c) => c.name === "writeoff_batch")).toBe(false);

    fireEvent.click(within(dialog).getByRole("button", { name: "Write off 10 tablet" }));
    expect(await screen.findByText("Wrote off batch V-1 of Paracetamol 500mg (-10 tablet): 10 → 0.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "writeoff_batch")?.input).toEqual({ batch_id: "b-V-1", reason: "damage" });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });
  it("says what each pending adjustment waits for: the figure and the store's limit it goes past", async () => {
    const pending = (id: string, change: string, waiting_for: Adjustment["waiting_for"]): Adjustment => ({
      id, kind: "adjustment", batch_id: "b-V-1", batch_number: "V-1", product_id: "p-para", product_name: "Paracetamol 500mg", store_id: "s1",
      quantity_change: change, previous_quantity: null, new_quantity: null, reason: "damage", notes: null, status: "pending",
      user_id: "u3", user_name: "Bola", approved_by: null, approved_by_name: null, created_at: "2026-11-22T10:00:00Z", decided_at: null,
      decision_notes: null, waiting_for, supplier_id: null, supplier_name: null,
    });
    renderScreen({
      list_adjustments: (input) =>
        input["status"] === "pending"
          ? [
              pending("a1", "-11", { quantity: "11", value: "0.55", quantity_limit: "10", value_limit: null }),
              pending("a2", "12", { quantity: "12", value: "1250", quantity_limit: "10", value_limit: "1000" }),
              pending("a3", "-9", { quantity: "9", value: "23.75", quantity_limit: null, value_limit: null }),
            ]
          : [],
    });
    const table = await screen.findByRole("table", { name: "Adjustments waiting for approval" });
    const cells = within(table).getAllByTestId("waiting-for").map((c) => c.textContent);
    expect(cells).toEqual([
      "11, over the limit of 10",
      "12, over the limit of 10; ₦1,250.00 at cost, over the limit of ₦1,000.00",
      "9 worth ₦23.75 at cost: within the limits now",
    ]);
    // The approval dialog repeats it.
    fireEvent.click(within(table).getAllByRole("button", { name: "Approve" })[1]!);
    const dialog = await screen.findByRole("alertdialog", { name: "Approve this adjustment?" });
    expect(dialog).toHaveTextContent("Waits for approval of12, over the limit of 10; ₦1,250.00 at cost, over the limit of ₦1,000.00");
  });

  it("refuses to reject without a reason, and sends the reason typed", async () => {
    const calls = renderScreen({
      list_adjustments: (input) => (input["status"] === "pending" ? [PENDING_WRITEOFF] : []),
      reject_adjustment: () => ({ ...PENDING_WRITEOFF, status: "rejected" }),
    });
    const table = await screen.findByRole("table", { name: "Adjustments waiting for approval" });
    expect(table).toHaveTextContent("write-off: Damage");
    fireEvent.click(within(table).getByRole("button", { name: "Reject" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Reject this write-off?" });
    const confirm = within(dialog).getByRole("button", { name: "Reject" });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText("Reason for rejecting (required)"), { target: { value: "  " } });
    expect(confirm).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText("Reason for rejecting (required)"), { target: { value: "found on the shelf" } });
    expect(confirm).toBeEnabled();
    fireEvent.click(confirm);
    await waitFor(() => expect(calls.find((c) => c.name === "reject_adjustment")?.input).toEqual({ adjustment_id: "a1", notes: "found on the shelf" }));
  });

  it("lets a cashier ask for a write-off", async () => {
    renderScreen({ list_adjustments: (input) => (input["status"] === "pending" ? [PENDING_WRITEOFF] : []) }, "cashier");
    fireEvent.change(screen.getByLabelText("Find product"), { target: { value: "para" } });
    const select = screen.getByLabelText<HTMLSelectElement>("Product");
    await within(select).findByRole("option", { name: /Paracetamol 500mg/ }, { timeout: 5000 });
    fireEvent.change(select, { target: { value: "p-para" } });
    fireEvent.click(await screen.findByRole("button", { name: "Select batch V-1" }));
    expect(screen.getByRole("form", { name: "Write off the batch" })).toBeInTheDocument();
    // Deciding stays with managers: the cashier sees what waits, without the buttons.
    const table = await screen.findByRole("table", { name: "Adjustments waiting for approval" });
    expect(table).toHaveTextContent("Bola");
    expect(within(table).queryByRole("button", { name: "Reject" })).toBeNull();
  });
});
