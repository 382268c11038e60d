import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { useState } from "react";

import type { ShiftReport } from "../../bindings/ShiftReport";
import { StoreLocaleProvider } from "../../lib/locale";
import { ShiftPanel, ZReport } from "./ShiftPanel";
import { renderInStore } from "../../test-utils";

afterEach(() => clearMocks());

function report(over: Partial<ShiftReport>): ShiftReport {
  return {
    shift_id: "sh1", store_id: "s1", terminal_id: "till-1", status: "open", opened_by: "u1", opened_by_name: "Bola",
    opened_at: "2026-03-01T08:00:00.000Z", closed_by: null, closed_at: null,
    opening_float: "5000", sales_count: 2, sales_total: "210", voids_count: 1, voids_total: "20",
    returns_count: 1, returns_total: "20", discounts_total: "0", tax_total: "10.47", rounding_total: "0",
    tenders: [{ tender: "cash", sales: "90", refunds: "20", net: "70" }], cash_sales: "90", cash_refunds: "20", expected_cash: "5070",
    counted_cash: null, over_short: null, notes: null, record_head: null,
    ...over,
  };
}

/** The shift panel and, once closed, the Z report dialog (as the till shows them). */
function Harness() {
  const [z, setZ] = useState<ShiftReport | null>(null);
  return (
    <>
      {z && <ZReport report={z} onDismiss={() => setZ(null)} />}
      <ShiftPanel terminalId="till-1" onClosed={setZ} />
    </>
  );
}

function renderShift(close: (input: Record<string, unknown>) => unknown) {
  const calls: string[] = [];
  mockIPC((cmd, args) => {
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push(name);
    if (name === "get_shift_report") return report({});
    if (name === "close_shift") return close(input);
    throw new Error(`unexpected ${cmd} ${name}`);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <StoreLocaleProvider store={{ locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" }}>
        <Harness />
      </StoreLocaleProvider>
    </QueryClientProvider>,
  );
  return calls;
}

describe("ShiftPanel", () => {
  it("closes blind: the count first, the expected cash and the variance only in the Z report", async () => {
    const sent: Record<string, unknown>[] = [];
    renderShift((input) => {
      sent.push(input);
      return report({ status: "closed", closed_by: "u1", closed_at: "2026-03-01T17:00:00.000Z", counted_cash: "5065", over_short: "-5" });
    });
    const counted = await screen.findByLabelText("Counted cash");
    await waitFor(() => expect(counted).toHaveFocus());
    // Nothing on screen gives the expected cash away before the count.
    expect(screen.queryByTestId("x-report")).toBeNull();
    expect(document.body).not.toHaveTextContent("5,070");

    fireEvent.change(counted, { target: { value: "5065" } });
    fireEvent.click(screen.getByRole("button", { name: "Close shift" }));
    const z = await screen.findByRole("dialog", { name: "Shift closed — Z report" });
    expect(sent[0]).toEqual({ terminal_id: "till-1", counted_cash: "5065" });
    const variance = within(z).getByTestId("variance");
    expect(variance).toHaveTextContent("Counted cash₦5,065.00");
    expect(variance).toHaveTextContent("Expected cash₦5,070.00");
    expect(within(variance).getByText("Short by ₦5.00")).toHaveAttribute("data-variance", "short");
    expect(within(z).getByTestId("z-report")).toBeInTheDocument();
    // Done (or Esc) closes the dialog.
    fireEvent.click(within(z).getByRole("button", { name: /Done/ }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
  });

  it("says over or exact as such", async () => {
    for (const [overShort, text] of [
      ["2.5", "Over by ₦2.50"],
      ["0", "The drawer matches exactly"],
    ] as const) {
      mockIPC(() => ({ connection: { kind: "none" }, paper_width_mm: 80, cash_drawer: false }));
      const { unmount } = renderInStore(
        <ZReport report={report({ status: "closed", counted_cash: "5072.5", over_short: overShort })} onDismiss={() => undefined} />,
      );
      expect(await screen.findByTestId("variance")).toHaveTextContent(text);
      unmount();
    }
  });

  it("shows the X report only when asked", async () => {
    const calls = renderShift(() => {
      throw new Error("not closing");
    });
    fireEvent.click(await screen.findByRole("button", { name: /Show the X report/ }));
    expect(await screen.findByTestId("report-expected")).toHaveTextContent("₦5,070.00");
    expect(calls).toContain("get_shift_report");
    fireEvent.click(screen.getByRole("button", { name: "Hide the X report" }));
    expect(screen.queryByTestId("x-report")).toBeNull();
  });

  it("puts a refused count by its field", async () => {
    renderShift(() => {
      throw { kind: "invalid_input", message: "counted_cash must not be negative", details: { field: "counted_cash" } };
    });
    const counted = await screen.findByLabelText("Counted cash");
    fireEvent.change(counted, { target: { value: "-1" } });
    fireEvent.click(screen.getByRole("button", { name: "Close shift" }));
    const msg = await screen.findByText("counted_cash must not be negative");
    expect(counted).toHaveAttribute("aria-invalid", "true");
    expect(counted.getAttribute("aria-describedby")).toBe(msg.id);
  });
});
