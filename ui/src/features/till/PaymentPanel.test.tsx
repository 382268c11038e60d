import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { CartView } from "../../bindings/CartView";
import type { Receipt } from "../../bindings/Receipt";
import { StoreLocaleProvider } from "../../lib/locale";
import { PaymentPanel } from "./PaymentPanel";

afterEach(() => clearMocks());

function cart(total: string, beforeRounding = total): CartView {
  return {
    cart_id: "c1", store_id: "s1", terminal_id: "till-1", user_id: "u1", user_name: "Bola", status: "open", customer_name: null, note: null,
    discount: null, discount_approved_by: null, prices_include_tax: true, lines: [],
    totals: { subtotal: beforeRounding, discount: "0", tax: "0", total_before_rounding: beforeRounding, rounding: "0", total, taxes: [] },
    holds: [], held_at: null, hold_expires_at: null, sale_id: null, created_at: "2026-11-22T10:00:00Z", updated_at: "2026-11-22T10:00:00Z",
  };
}

const RECEIPT = { sale_number: "LEK-S-000001", change: "0" } as unknown as Receipt;

function renderPanel(opts: { total?: string; beforeRounding?: string; increment?: string; tenders?: string[]; scanning?: () => boolean } = {}) {
  const sent: Record<string, unknown>[] = [];
  const paid: Receipt[] = [];
  mockIPC((cmd, args) => {
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    if (cmd === "call" && name === "complete_sale") {
      sent.push(input);
      return RECEIPT;
    }
    throw new Error(`unexpected ${cmd} ${name}`);
  });
  render(
    <StoreLocaleProvider store={{ locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" }}>
      <PaymentPanel
        cart={cart(opts.total ?? "5070", opts.beforeRounding)}
        tenders={opts.tenders ?? ["cash", "card", "transfer"]}
        roundingIncrement={opts.increment ?? "0"}
        isScanning={opts.scanning}
        onPaid={(r) => paid.push(r)}
        onCancel={() => undefined}
      />
    </StoreLocaleProvider>,
  );
  return { sent, paid };
}

const ctrl = (digit: number) => fireEvent.keyDown(document.activeElement ?? document.body, { key: String(digit), code: `Digit${digit}`, ctrlKey: true });

describe("PaymentPanel", () => {
  it("pays exact cash in one press, then Enter completes the sale", async () => {
    const { sent, paid } = renderPanel();
    const exact = screen.getByTestId("exact-cash");
    expect(exact).toHaveTextContent("Exact cash ₦5,070.00");
    fireEvent.click(exact);
    expect(screen.getByLabelText("Cash amount")).toHaveValue("5070.00");
    expect(screen.getByTestId("pay-change")).toHaveTextContent("₦0.00");
    // Focus went to Complete sale: Enter submits the payment.
    const complete = screen.getByRole("button", { name: /Complete sale/ });
    await waitFor(() => expect(complete).toHaveFocus());
    fireEvent.submit(complete.closest("form") as HTMLFormElement);
    await waitFor(() => expect(paid).toHaveLength(1));
    expect(sent[0]?.["payments"]).toEqual([{ tender: "cash", amount: "5070.00" }]);
  });

  it("offers the next round notes above the amount due, and shows the change", () => {
    renderPanel();
    const quick = Array.from(document.querySelectorAll("[data-quick-cash]")).map((b) => b.textContent);
    expect(quick).toEqual(["₦5,100.00", "₦5,500.00", "₦6,000.00", "₦10,000.00"]);
    fireEvent.click(screen.getByRole("button", { name: "₦10,000.00" }));
    expect(screen.getByLabelText("Cash amount")).toHaveValue("10000.00");
    expect(screen.getByTestId("pay-change")).toHaveTextContent("₦4,930.00");
    // A second quick-cash press replaces the amount, it does not add a row.
    fireEvent.click(screen.getByRole("button", { name: "₦6,000.00" }));
    expect(screen.getAllByLabelText("Cash amount")).toHaveLength(1);
    expect(screen.getByTestId("pay-change")).toHaveTextContent("₦930.00");
  });

  it("rounds only the cash part: after a card, exact cash is what is left, rounded", () => {
    renderPanel({ total: "5070", beforeRounding: "5072.40", increment: "5" });
    fireEvent.click(screen.getByRole("button", { name: /^Card/ }));
    fireEvent.change(screen.getByLabelText("Card amount"), { target: { value: "1000" } });
    // 4,072.40 left for cash, rounded to the store's 5: 4,070.
    expect(screen.getByTestId("exact-cash")).toHaveTextContent("₦4,070.00");
    fireEvent.click(screen.getByTestId("exact-cash"));
    expect(screen.getByLabelText("Cash amount")).toHaveValue("4070.00");
    expect(screen.getByTestId("pay-change")).toHaveTextContent("₦0.00");
    const quick = Array.from(document.querySelectorAll("[data-quick-cash]")).map((b) => b.getAttribute("data-quick-cash"));
    expect(quick).toEqual(["4100.00", "4500.00", "5000.00", "10000.00"]);
  });

  it("Ctrl+1…Ctrl+9 pick the n-th enabled tender, as its button", async () => {
    renderPanel();
    expect(screen.getByRole("button", { name: /^Card/ })).toHaveAttribute("aria-keyshortcuts", "Control+2");
    ctrl(2);
    const card = await screen.findByLabelText("Card amount");
    expect(card).toHaveValue("5070.00");
    await waitFor(() => expect(card).toHaveFocus());
    ctrl(3);
    expect(await screen.findByLabelText("Transfer amount")).toBeInTheDocument();
    // No ninth tender: nothing happens.
    ctrl(9);
    expect(document.querySelectorAll("[data-tender-row]")).toHaveLength(2);
  });

  it("leaves Ctrl+digit alone in the middle of a scanner burst (Ctrl+5 can be a GS1 separator)", () => {
    renderPanel({ tenders: ["cash", "card", "transfer", "mobile_money", "cheque"], scanning: () => true });
    ctrl(5);
    ctrl(1);
    expect(document.querySelectorAll("[data-tender-row]")).toHaveLength(0);
  });

  it("has no cash buttons when the store takes no cash", () => {
    renderPanel({ tenders: ["card"] });
    expect(screen.queryByTestId("exact-cash")).toBeNull();
    expect(document.querySelectorAll("[data-quick-cash]")).toHaveLength(0);
  });
});
