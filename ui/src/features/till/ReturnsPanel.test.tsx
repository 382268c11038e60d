import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { Receipt } from "../../bindings/Receipt";
import type { ReceiptPayment } from "../../bindings/ReceiptPayment";
import { StoreLocaleProvider } from "../../lib/locale";
import { originalTender, ReturnsPanel } from "./ReturnsPanel";

afterEach(() => clearMocks());

const USER = { id: "u1", name: "Bola", role: "cashier" as const, store_id: "s1", head_office: false, stores: [{ store_id: "s1", role: "cashier" as const }] };

function sale(payments: ReceiptPayment[], over: Partial<Receipt> = {}): Receipt {
  return {
    sale_id: "sale-1", sale_number: "LEK-S-000007", status: "completed",
    store: { name: "Lekki Pharmacy", code: "LEK", address: null, phone: null, currency: "NGN", header: null, footer: null },
    terminal_id: "till-1", cashier_id: "u1", cashier_name: "Bola", created_at: "2026-11-22T10:00:00Z", local_time: "2026-11-22 11:00",
    prices_include_tax: true,
    lines: [
      {
        sale_line_id: "sl1", line_no: 1, product_id: "p1", name: "Paracetamol 500mg", sku: "PARA500", unit: "pack", quantity: "2", unit_price: "20",
        gross: "40", discount: "0", tax_rate: "0", tax: "0", total: "40", cost: "24", price_overridden_by: null, discount_approved_by: null,
        prescription_reference: null, returned_quantity: "0", batches: [],
      },
    ],
    taxes: [], subtotal: "40", discount: "0", tax: "0", rounding: "0", total: "40", payments, paid: "40", change: "0",
    cart_discount_approved_by: null, voided_at: null, voided_by: null, void_reason: null, pay_out: [], ...over,
  } as Receipt;
}

type Handler = (name: string, input: Record<string, unknown>) => unknown;

function renderReturns(handle: Handler, tenders = ["cash", "card", "transfer"]) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    if (name === "list_sales") return [];
    if (name === "list_approvers") return [{ id: "m1", name: "Ada Okafor" }];
    if (name === "get_till_settings") return { tenders, cashier_refund_limit: "1000", cashier_discount_limit_percent: "10" };
    return handle(name, input);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <StoreLocaleProvider store={{ locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" }}>
        <ReturnsPanel terminalId="till-1" tenders={tenders} user={USER} defaultDisposition="quarantine" />
      </StoreLocaleProvider>
    </QueryClientProvider>,
  );
  return calls;
}

async function findSale(number = "LEK-S-000007") {
  fireEvent.change(await screen.findByLabelText("Sale number"), { target: { value: number } });
  fireEvent.click(screen.getByRole("button", { name: "Find sale" }));
  await screen.findByTestId("receipt");
}

describe("ReturnsPanel", () => {
  it("refunds to the tender the sale was paid with by default", async () => {
    renderReturns((name) => {
      if (name === "find_sale") return sale([{ tender: "card", amount: "40", reference: "SLIP-1" }]);
      throw new Error(`unexpected call ${name}`);
    });
    await findSale();
    expect(screen.getByLabelText("Refund tender")).toHaveValue("card");
  });

  it("takes the tender that kept most of a split, cash net of its change", async () => {
    renderReturns((name) => {
      if (name === "find_sale")
        return sale(
          [
            { tender: "cash", amount: "100", reference: null },
            { tender: "transfer", amount: "30", reference: "T-9" },
          ],
          { total: "40", paid: "130", change: "90" },
        );
      throw new Error(`unexpected call ${name}`);
    });
    await findSale();
    // Cash kept 100 − 90 = 10, the transfer 30.
    expect(screen.getByLabelText("Refund tender")).toHaveValue("transfer");
    expect(within(screen.getByLabelText("Refund tender")).getAllByRole("option").map((o) => o.textContent)).toEqual(["Cash", "Card", "Transfer"]);
  });

  it("keeps the choice when the store no longer takes the sale's tender", () => {
    expect(originalTender(sale([{ tender: "voucher", amount: "40", reference: null }]), ["cash", "card"])).toBeNull();
    expect(originalTender(sale([{ tender: "card", amount: "40", reference: null }]), ["cash", "card"])).toBe("card");
  });

  it("after a return approved by a manager, says how much to pay back and in which tender, from the engine's answer", async () => {
    const calls = renderReturns((name, input) => {
      if (name === "find_sale" || name === "get_receipt") return sale([{ tender: "cash", amount: "50", reference: null }], { paid: "50", change: "10" });
      if (name === "return_items") {
        if (!input["approver_pin"])
          throw {
            kind: "approval_required",
            message: "x",
            details: { reason: "a refund above the cashier limit needs a manager's approval", measure: "money", amount: "1250.00", limit: "1000.00", requested_by: "Bola" },
          };
        return {
          return_id: "r1", sale_id: "sale-1", sale_number: "LEK-S-000007", refund: "19.95", tender: "cash", approved_by: "m1", lines: [],
          pay_out: [{ tender: "cash", amount: "19.95" }],
        };
      }
      throw new Error(`unexpected call ${name}`);
    });
    await findSale();
    fireEvent.change(screen.getByLabelText("Return quantity of Paracetamol 500mg"), { target: { value: "1" } });
    fireEvent.click(screen.getByRole("button", { name: "Return and refund" }));
    const prompt = await screen.findByRole("form", { name: "Manager approval" });
    // The engine's figures: the refund and the cashier's limit.
    expect(within(prompt).getByTestId("approval-amount")).toHaveTextContent("₦1,250.00");
    expect(within(prompt).getByTestId("approval-limit")).toHaveTextContent("₦1,000.00");
    expect(within(prompt).getByTestId("approval-cashier")).toHaveTextContent("Bola");
    fireEvent.change(await within(prompt).findByLabelText("Manager PIN"), { target: { value: "2580" } });
    fireEvent.click(within(prompt).getByRole("button", { name: "Approve" }));
    const payout = await screen.findByRole("alertdialog", { name: "Pay the customer back" });
    // The engine's refund, not a figure worked out here.
    expect(within(payout).getByText("₦19.95 in Cash")).toBeInTheDocument();
    expect(calls.filter((c) => c.name === "return_items")[1]?.input).toMatchObject({ tender: "cash", approver_name: "Ada Okafor", approver_pin: "2580" });
    fireEvent.click(within(payout).getByRole("button", { name: /Paid back/ }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("after a void, shows the engine's pay-out per tender, not a figure worked out from the payments", async () => {
    const paid = [
      { tender: "card", amount: "100", reference: "SLIP-1" },
      { tender: "cash", amount: "100", reference: null },
    ];
    renderReturns((name) => {
      if (name === "find_sale") return sale(paid, { total: "190", paid: "200", change: "10" });
      // Deliberately not what the payments less the change would give (100 card + 90 cash):
      // the dialog must show the engine's answer as it is.
      if (name === "void_sale")
        return sale(paid, {
          status: "voided", total: "190", paid: "200", change: "10", void_reason: "changed mind",
          pay_out: [{ tender: "card", amount: "100" }, { tender: "cash", amount: "85.5" }],
        });
      throw new Error(`unexpected call ${name}`);
    });
    await findSale();
    fireEvent.change(screen.getByLabelText("Void reason"), { target: { value: "changed mind" } });
    fireEvent.click(screen.getByRole("button", { name: "Void sale" }));
    const payout = await screen.findByRole("alertdialog", { name: "Pay the customer back" });
    expect(within(payout).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["₦100.00 in Card", "₦85.50 in Cash"]);
  });

  it("after a return with nothing to refund, says there is nothing to pay back", async () => {
    renderReturns((name) => {
      if (name === "find_sale" || name === "get_receipt") return sale([{ tender: "cash", amount: "40", reference: null }]);
      if (name === "return_items")
        return { return_id: "r1", sale_id: "sale-1", sale_number: "LEK-S-000007", refund: "0", tender: "cash", approved_by: null, lines: [], pay_out: [] };
      throw new Error(`unexpected call ${name}`);
    });
    await findSale();
    fireEvent.change(screen.getByLabelText("Return quantity of Paracetamol 500mg"), { target: { value: "1" } });
    fireEvent.click(screen.getByRole("button", { name: "Return and refund" }));
    const payout = await screen.findByRole("alertdialog", { name: "Nothing to pay back" });
    expect(within(payout).queryAllByRole("listitem")).toHaveLength(0);
    expect(within(payout).getByRole("button", { name: /Done/ })).toBeInTheDocument();
  });
});
