import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { PurchaseOrder } from "../../bindings/PurchaseOrder";
import type { PurchaseOrderSummary } from "../../bindings/PurchaseOrderSummary";
import type { Role } from "../../bindings/Role";
import { renderInStore } from "../../test-utils";
import { screensFor } from "../shell/screens";
import { PurchaseOrdersScreen } from "./PurchaseOrdersScreen";

afterEach(() => clearMocks());

const LABEL = "STA-PO0001";

function summary(status: PurchaseOrderSummary["status"]): PurchaseOrderSummary {
  return {
    id: "po1", number: 1, label: LABEL, supplier_id: "sup1", supplier_name: "Emzor", status, order_date: null,
    expected_date: "2027-01-20", actual_delivery_date: null, total: "2000", lines: 1, lines_pending: 1, created_at: "2027-01-10T09:00:00Z",
  };
}

function order(status: PurchaseOrder["status"], received = "0", extra: Partial<PurchaseOrder> = {}): PurchaseOrder {
  return {
    id: "po1", number: 1, label: LABEL, store_id: "s-a", supplier_id: "sup1", supplier_name: "Emzor", status,
    order_date: null, expected_date: "2027-01-20", actual_delivery_date: null, carrier: null, tracking_number: null,
    vendor_reference: null, payment_status: "unpaid", payment_terms: null, internal_notes: null, vendor_notes: null,
    subtotal: "2000", line_discounts: "0", order_discount: "0", tax: "0", shipping: "0", total: "2000", closed_short: false,
    created_by: "u1", created_at: "2027-01-10T09:00:00Z", submitted_by: null, submitted_at: null, approved_by: null, approved_at: null,
    rejected_by: null, rejected_at: null, reject_reason: null, confirmed_by: null, confirmed_at: null, shipped_by: null, shipped_at: null,
    received_at: null, cancelled_by: null, cancelled_at: null, cancel_reason: null,
    items: [{ id: "i1", line_no: 1, product_id: "p1", sku: "PCM", product_name: "Paracetamol 500mg", unit: "tablet", ordered: "100",
      unit_cost: "20", discount_kind: null, discount_value: null, gross: "2000", discount: "0", line_total: "2000",
      received, damaged: "0", rejected: "0", pending: String(100 - Number(received)) }],
    receipts: [],
    ...extra,
  };
}

function renderScreen(handlers: Record<string, (input: Record<string, unknown>) => unknown>, role: Role = "manager") {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    const handler = handlers[name];
    if (handler) return handler(input);
    if (name === "list_suppliers") return [{ id: "sup1", name: "Emzor", is_active: true }];
    if (name === "search_products") return [];
    throw new Error(`unexpected call ${name}`);
  });
  renderInStore(<PurchaseOrdersScreen />, { role });
  return calls;
}

const called = (calls: { name: string }[], name: string) => waitFor(() => expect(calls.some((c) => c.name === name)).toBe(true));

describe("PurchaseOrdersScreen", { timeout: 30_000 }, () => {
  it("drafts an order with a line and submits it", async () => {
    let current = order("draft");
    const calls = renderScreen({
      list_purchase_orders: () => ({ rows: [], total: 0 }),
      search_products: () => [{ product: { id: "p1", name: "Paracetamol 500mg", sku: "PCM", unit: "tablet", cost_price: "20" }, available: "0", nearest_expiry: null }],
      create_purchase_order: () => current,
      get_purchase_order: () => current,
      submit_purchase_order: () => (current = order("submitted")),
    });
    fireEvent.click(await screen.findByRole("button", { name: "New order" }));
    const form = await screen.findByRole("form", { name: "New purchase order" });
    await within(form).findByRole("option", { name: "Emzor" });
    fireEvent.change(within(form).getByLabelText("Supplier"), { target: { value: "sup1" } });
    await within(form).findByRole("option", { name: /Paracetamol 500mg/ });
    fireEvent.change(within(form).getByLabelText("Product"), { target: { value: "p1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add line" }));
    fireEvent.change(within(form).getByLabelText("Quantity of Paracetamol 500mg"), { target: { value: "100" } });
    fireEvent.submit(form);
    await called(calls, "create_purchase_order");
    expect(calls.find((c) => c.name === "create_purchase_order")?.input).toEqual({
      supplier_id: "sup1",
      lines: [{ product_id: "p1", quantity: "100", unit_cost: "20" }],
    });
    expect(await screen.findByText("Order STA-PO0001 drafted.")).toBeInTheDocument();
    fireEvent.click(await screen.findByRole("button", { name: "Submit" }));
    await called(calls, "submit_purchase_order");
    expect(await screen.findByText("Order STA-PO0001 submitted.")).toBeInTheDocument();
  });

  it("receives part of an order (partly received) and cancels the rest", async () => {
    let current = order("submitted");
    const calls = renderScreen({
      list_purchase_orders: () => ({ rows: [summary(current.status)], total: 1 }),
      get_purchase_order: () => current,
      receive_purchase_order: () => (current = order("partial_received", "40")),
      cancel_purchase_order: () => (current = order("received", "40", { closed_short: true, cancel_reason: "Vendor out of stock" })),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Open order STA-PO0001" }));
    const form = await screen.findByRole("form", { name: "Receive the order" });
    fireEvent.change(within(form).getByLabelText("Accepted of Paracetamol 500mg"), { target: { value: "40" } });
    fireEvent.change(within(form).getByLabelText("Batch of Paracetamol 500mg"), { target: { value: "PCM-9" } });
    fireEvent.submit(form);
    await called(calls, "receive_purchase_order");
    expect(calls.find((c) => c.name === "receive_purchase_order")?.input).toEqual({
      purchase_order_id: "po1",
      lines: [{ item_id: "i1", quantity: "40", batch_number: "PCM-9" }],
    });
    expect(await screen.findByText("Order STA-PO0001 partly received.")).toBeInTheDocument();
    const dialog = screen.getByRole("dialog");
    expect(await within(dialog).findByText("Partly received")).toBeInTheDocument();
    const cancel = await screen.findByRole("form", { name: "Cancel the rest" });
    fireEvent.change(within(cancel).getByLabelText("Reason to cancel"), { target: { value: "Vendor out of stock" } });
    fireEvent.submit(cancel);
    await called(calls, "cancel_purchase_order");
    expect(calls.find((c) => c.name === "cancel_purchase_order")?.input).toEqual({ purchase_order_id: "po1", reason: "Vendor out of stock" });
    expect(await screen.findByText("Order STA-PO0001 closed with what came.")).toBeInTheDocument();
  });

  it("records a payment with its reference", async () => {
    let current = order("received", "100");
    const calls = renderScreen({
      list_purchase_orders: () => ({ rows: [summary(current.status)], total: 1 }),
      get_purchase_order: () => current,
      set_purchase_order_payment: () => (current = order("received", "100", { payment_status: "paid" })),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Open order STA-PO0001" }));
    const dialog = await screen.findByRole("dialog");
    // The order's line says what is paid.
    expect(await within(dialog).findByText((_, el) => el?.tagName === "P" && / · Unpaid · /.test(el.textContent ?? ""))).toBeInTheDocument();
    const form = await screen.findByRole("form", { name: "Record a payment" });
    // The status it has is not offered again; paid is the first choice.
    expect(within(form).getByLabelText("Payment")).toHaveValue("paid");
    fireEvent.change(within(form).getByLabelText("Payment reference"), { target: { value: "GTB-TRF-1" } });
    fireEvent.submit(form);
    await called(calls, "set_purchase_order_payment");
    expect(calls.find((c) => c.name === "set_purchase_order_payment")?.input).toEqual({ purchase_order_id: "po1", payment_status: "paid", reference: "GTB-TRF-1" });
    expect(await screen.findByText("Order STA-PO0001 marked paid.")).toBeInTheDocument();
  });

  it("offers no payment on a draft", async () => {
    renderScreen({
      list_purchase_orders: () => ({ rows: [summary("draft")], total: 1 }),
      get_purchase_order: () => order("draft"),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Open order STA-PO0001" }));
    await screen.findByRole("button", { name: "Submit" });
    expect(screen.queryByRole("form", { name: "Record a payment" })).not.toBeInTheDocument();
  });

  it("shows an over-receipt refusal at its field", async () => {
    const calls = renderScreen({
      list_purchase_orders: () => ({ rows: [summary("shipped")], total: 1 }),
      get_purchase_order: () => order("shipped"),
      receive_purchase_order: () => {
        throw { kind: "invalid_input", message: "line 1: 120 would exceed the 100 ordered", details: { field: "lines.0.quantity" } };
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "Open order STA-PO0001" }));
    const form = await screen.findByRole("form", { name: "Receive the order" });
    // A manager may allow it.
    expect(within(form).getByRole("checkbox", { name: "Allow over-receipt" })).toBeInTheDocument();
    const qty = within(form).getByLabelText("Accepted of Paracetamol 500mg");
    fireEvent.change(qty, { target: { value: "120" } });
    fireEvent.submit(form);
    await called(calls, "receive_purchase_order");
    await waitFor(() => expect(qty.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(qty.getAttribute("aria-describedby") ?? "")).toHaveTextContent("120 would exceed the 100 ordered");
  });

  it("fills a line from a GS1 scan and sends the code with it", async () => {
    const calls = renderScreen({
      list_purchase_orders: () => ({ rows: [summary("confirmed")], total: 1 }),
      get_purchase_order: () => order("confirmed"),
      parse_scan: () => ({
        code: "GS1", parsed: null, product: { id: "p1", name: "Paracetamol 500mg", sku: "PCM", unit: "tablet" },
        batch_number: "L-77", expiry_date: "2028-03-31", manufacture_date: null, serial_number: null, quantity: "30",
        known_batch: null, pack_expired: false, expiry_differs: false,
      }),
      receive_purchase_order: () => order("partial_received", "30"),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Open order STA-PO0001" }));
    const form = await screen.findByRole("form", { name: "Receive the order" });
    const code = within(form).getByLabelText("Scan a barcode or GS1 code");
    fireEvent.change(code, { target: { value: "GS1" } });
    fireEvent.keyDown(code, { key: "Enter" });
    await waitFor(() => expect(within(form).getByLabelText<HTMLInputElement>("Batch of Paracetamol 500mg").value).toBe("L-77"));
    expect(within(form).getByLabelText<HTMLInputElement>("Accepted of Paracetamol 500mg").value).toBe("30");
    fireEvent.submit(form);
    await called(calls, "receive_purchase_order");
    expect(calls.find((c) => c.name === "receive_purchase_order")?.input).toEqual({
      purchase_order_id: "po1",
      lines: [{ item_id: "i1", scan: "GS1", quantity: "30", batch_number: "L-77", expiry_date: "2028-03-31" }],
    });
  });

  it("is not offered to cashiers", () => {
    expect(screensFor("cashier").some((s) => s.id === "purchasing")).toBe(false);
    expect(screensFor("manager").some((s) => s.id === "purchasing")).toBe(true);
  });
});
