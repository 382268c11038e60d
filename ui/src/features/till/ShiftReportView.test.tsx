import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";

import type { ShiftReport } from "../../bindings/ShiftReport";
import { StoreLocaleProvider } from "../../lib/locale";
import { ShiftReportView } from "./ReceiptView";

function report(over: Partial<ShiftReport>): ShiftReport {
  return {
    shift_id: "sh1", store_id: "s1", terminal_id: "T1", status: "closed", opened_by: "u1", opened_by_name: "Bola",
    opened_at: "2026-03-01T08:00:00.000Z", closed_by: "u1", closed_at: "2026-03-01T17:00:00.000Z",
    opening_float: "50.00", sales_count: 0, sales_total: "0.00", voids_count: 0, voids_total: "0.00",
    returns_count: 0, returns_total: "0.00", discounts_total: "0.00", tax_total: "0.00", rounding_total: "0.00",
    tenders: [], cash_sales: "0.00", cash_refunds: "0.00", expected_cash: "50.00", counted_cash: "50.00",
    over_short: "0.00", notes: null, record_head: null,
    ...over,
  };
}

describe("ShiftReportView", () => {
  it("prints the head of the store's record on a Z report", () => {
    render(
      <ShiftReportView
        report={report({ record_head: { store_id: "s1", seq: 42, hash: "9f3a1c0b7d2e4f61".padEnd(64, "0"), short_hash: "9f3a1c0b7d2e4f61" } })}
      />,
    );
    expect(screen.getByTestId("report-record-head").textContent).toBe("Record #42 · 9f3a1c0b7d2e4f61");
  });

  it("prints no head on an X report", () => {
    render(<ShiftReportView report={report({ status: "open", closed_at: null, counted_cash: null, over_short: null })} />);
    expect(screen.queryByTestId("report-record-head")).toBeNull();
  });

  it("shows the shift's times in the store's time zone and money in its currency", () => {
    render(
      <StoreLocaleProvider store={{ locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" }}>
        <ShiftReportView report={report({ expected_cash: "5070" })} />
      </StoreLocaleProvider>,
    );
    // 08:00 and 17:00 UTC are 09:00 and 18:00 in Lagos (UTC+1), whatever the PC's zone.
    const period = screen.getByTestId("report-period").textContent ?? "";
    expect(period).toMatch(/09:00/);
    expect(period).toMatch(/18:00/);
    expect(period).not.toMatch(/08:00|17:00/);
    expect(screen.getByTestId("report-expected").textContent).toBe("₦5,070.00");
  });
});
