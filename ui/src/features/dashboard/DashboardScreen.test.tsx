import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { Dashboard } from "../../bindings/Dashboard";
import { LAGOS, renderWithStore } from "../../test/renderWithStore";
import { StoreLocaleProvider } from "../../lib/locale";
import { NavigationContext, type NavigationTarget } from "../../lib/navigation";
import { DashboardScreen } from "./DashboardScreen";

afterEach(() => clearMocks());

const DAY = (date: string, total: string, margin: string) => ({ date, sales_count: 3, total, tax: "0", cost: "0", margin });
const DASH: Dashboard = {
  store_id: "s1",
  date: "2026-11-30",
  currency: "NGN",
  locale: "en-NG",
  timezone: "Africa/Lagos",
  today: { date: "2026-11-30", sales_count: 12, total: "50700", tax: "0", cost: "30000", margin: "20700" },
  returns_today: "0",
  returns_today_count: 0,
  last_30_days: [DAY("2026-11-29", "41000", "15000"), DAY("2026-11-30", "50700", "20700")],
  stock_value: "1250000.5",
  stock_batches: 420,
  expiring: [
    { within_days: 30, until: "2026-12-30", batches: 4, value: "12000" },
    { within_days: 60, until: "2027-01-29", batches: 9, value: "30000" },
    { within_days: 90, until: "2027-02-28", batches: 11, value: "41000" },
  ],
  expired_value: "0",
  low_stock: 7,
  pending_adjustments: 2,
  pending_approvals: 3,
};

describe("DashboardScreen", () => {
  it("shows the store's figures in its currency, and the chart's figures as a table", async () => {
    renderWithStore(<DashboardScreen />, () => DASH);
    expect(await screen.findByTestId("dash-sales-today")).toHaveTextContent("₦50,700.00");
    expect(screen.getByTestId("dash-margin-today")).toHaveTextContent("₦20,700.00");
    expect(screen.getByTestId("dash-stock-value")).toHaveTextContent("₦1,250,000.50");
    expect(screen.getByTestId("dash-expiring-30")).toHaveTextContent("₦12,000.00");
    expect(screen.getByTestId("dash-low-stock")).toHaveTextContent("7");
    expect(screen.getByTestId("dash-pending")).toHaveTextContent("3");
    const table = screen.getByRole("table", { name: "Sales and margin by day" });
    expect(table).toHaveTextContent("2026-11-29₦41,000.00₦15,000.00");
  });

  it("opens the list behind a figure", async () => {
    const opened: NavigationTarget[] = [];
    mockIPC(() => DASH);
    render(
      <QueryClientProvider client={new QueryClient()}>
        <NavigationContext.Provider value={(t) => opened.push(t)}>
          <StoreLocaleProvider store={LAGOS}>
            <DashboardScreen />
          </StoreLocaleProvider>
        </NavigationContext.Provider>
      </QueryClientProvider>,
    );
    fireEvent.click(await screen.findByRole("button", { name: /Expiring within 60 days/ }));
    fireEvent.click(screen.getByRole("button", { name: /Waiting for approval/ }));
    expect(opened).toEqual([
      { screen: "expiry", filter: { within_days: "60" } },
      { screen: "approvals" },
    ]);
  });
});
