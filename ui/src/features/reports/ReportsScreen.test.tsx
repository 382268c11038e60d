import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";


import { makeFormatters } from "../../lib/locale";
import { NGN_STORE } from "../../test-utils";
import { DOWNLOADS, renderWithStore, saved, type Calls } from "../../test/renderWithStore";
import { SCREENS } from "../shell/screens";
import { CSV, engine } from "./fixtures";
import { ReportsScreen } from "./ReportsScreen";

afterEach(() => clearMocks());

/** The inputs sent with `name`, in order. */
function sent(calls: Calls, name: string): Record<string, unknown>[] {
  return calls.filter((c) => c.name === name).map((c) => c.input as Record<string, unknown>);
}

function last(calls: Calls, name: string): Record<string, unknown> | undefined {
  return sent(calls, name).at(-1);
}

async function openTab(name: string) {
  fireEvent.click(await screen.findByRole("tab", { name }));
  return screen.findByRole("tabpanel", { name });
}

function select(label: string, value: string, root: HTMLElement = document.body) {
  fireEvent.change(within(root).getByLabelText(label), { target: { value } });
}

const TODAY = makeFormatters(NGN_STORE).today();

describe("ReportsScreen", { timeout: 30_000 }, () => {
  it("is on the navigation as Reports (Alt+G), for whoever may read the valuation", () => {
    expect(SCREENS.find((s) => s.id === "reports")).toEqual({ id: "reports", label: "Reports", key: "G", needs: "get_stock_valuation" });
    expect(SCREENS.filter((s) => s.key === "G")).toHaveLength(1);
  });

  it("opens on the stock valuation: the engine's figures in the store's currency, totals over every page", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await screen.findByRole("tabpanel", { name: "Stock valuation" });
    const table = await within(panel).findByRole("table", { name: "Stock valuation by product" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset["key"])).toEqual(["p-amx", "p-pcm"]);
    expect(rows[0]).toHaveTextContent("₦30,450.50");
    expect(rows[0]).toHaveTextContent("1,200 capsule");
    expect(rows[1]).toHaveTextContent("40.5 tablet");
    expect(within(panel).getByTestId("valuation-total-value")).toHaveTextContent("₦1,234,567.89");
    expect(within(panel).getByTestId("valuation-total-batches")).toHaveTextContent("410");
    expect(within(panel).getByTestId("paged-count")).toHaveTextContent("1–2 of 250");
    expect(last(calls, "get_stock_valuation")).toEqual({ group_by: "product", sort: "value", limit: 100, offset: 0 });
    // Every tab the e2e test opens by name is there.
    expect(screen.getAllByRole("tab").map((t) => t.textContent)).toEqual([
      "Stock valuation",
      "Batch aging",
      "Expiry risk",
      "Movements",
      "Waste",
      "Sales",
      "Vendors",
    ]);
  });

  it("sends the valuation's filters, sort and page offset", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await screen.findByRole("tabpanel", { name: "Stock valuation" });
    await within(panel).findByRole("table", { name: "Stock valuation by product" });
    await within(panel).findByRole("option", { name: "Antibiotics" });

    fireEvent.click(within(panel).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(last(calls, "get_stock_valuation")).toMatchObject({ offset: 100, limit: 100 }));

    select("Category", "c-anti", panel);
    fireEvent.change(within(panel).getByLabelText("Product"), { target: { value: "amox" } });
    select("Sort by", "name", panel);
    fireEvent.click(within(panel).getByLabelText("Include expired stock"));
    fireEvent.click(within(panel).getByLabelText("Include quarantined, recalled and damaged stock"));
    await waitFor(() =>
      expect(last(calls, "get_stock_valuation")).toEqual({
        group_by: "product",
        category_id: "c-anti",
        query: "amox",
        sort: "name",
        include_expired: true,
        include_quarantined: true,
        limit: 100,
        offset: 0,
      }),
    );
  });

  it("charts the valuation by category, with every category's figures as a table", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await screen.findByRole("tabpanel", { name: "Stock valuation" });
    await within(panel).findByRole("table", { name: "Stock valuation by product" });
    select("Group by", "category", panel);
    const table = await within(panel).findByRole("table", { name: "Stock valuation by category" });
    expect(last(calls, "get_stock_valuation")).toEqual({ group_by: "category" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[1]).toHaveTextContent("(no category)");
    expect(rows[1]).toHaveTextContent("₦150.75");
    // The chart's accessible table carries the same figures.
    const chart = within(panel).getByRole("table", { name: "Stock value at cost by category" });
    expect(within(chart).getByRole("row", { name: /Antibiotics/ })).toHaveTextContent("₦90,000.00");
    // Not paged: no page bar.
    expect(within(panel).queryByTestId("paged-count")).toBeNull();
  });

  it("exports the valuation with the filters shown and downloads the engine's file", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await screen.findByRole("tabpanel", { name: "Stock valuation" });
    await within(panel).findByRole("table", { name: "Stock valuation by product" });
    select("Group by", "category", panel);
    fireEvent.change(within(panel).getByLabelText("Product"), { target: { value: "amox" } });
    fireEvent.click(within(panel).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toEqual([{ fileName: "stock_valuation-2026-11-30.csv", contents: CSV.csv }]));
    expect(sent(calls, "export_report_csv")).toEqual([{ report: "stock_valuation", group_by: "category", query: "amox" }]);
    expect(await within(panel).findByText(`Exported 2 rows to ${DOWNLOADS}/stock_valuation-2026-11-30.csv.`)).toBeInTheDocument();
  });

  it("shows batch aging's buckets and slow movers, and sends slow days", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await openTab("Batch aging");
    const buckets = await within(panel).findByRole("table", { name: "Stock by days since received" });
    expect(within(buckets).getAllByRole("row").slice(1).map((r) => r.dataset["bucket"])).toEqual(["0-30", "31-90", "91-180", "181-365", "365+"]);
    expect(within(buckets).getByRole("row", { name: /Over 365 days/ })).toHaveTextContent("₦70.10");
    const slow = within(panel).getByRole("table", { name: "Slow movers" });
    expect(within(slow).getByRole("row", { name: /Vitamin C/ })).toHaveTextContent("Never sold");
    expect(within(panel).getByTestId("aging-slow-value")).toHaveTextContent("₦70.10");
    expect(last(calls, "get_batch_aging")).toEqual({ slow_days: 90, limit: 100, offset: 0 });

    select("Slow: no sale for", "180", panel);
    await waitFor(() => expect(last(calls, "get_batch_aging")).toEqual({ slow_days: 180, limit: 100, offset: 0 }));
    fireEvent.click(within(panel).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(sent(calls, "export_report_csv")).toEqual([{ report: "batch_aging", slow_days: 180 }]));
  });

  it("charts expiry risk by window and pages the batches at risk", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await openTab("Expiry risk");
    const chart = await within(panel).findByRole("table", { name: "Value at risk of expiring, by window" });
    const chartRows = within(chart).getAllByRole("row").slice(1);
    expect(chartRows.map((r) => r.textContent)).toEqual([
      "Expired₦62.50",
      "Within 7 days₦0.30",
      "Within 14 days₦100.30",
      "Within 30 days₦1,100.30",
      "Within 90 days₦2,100.30",
    ]);
    const batches = within(panel).getByRole("table", { name: "Batches at risk" });
    expect(within(batches).getByRole("row", { name: /OLD-1/ })).toHaveTextContent("Expired 2 days ago");
    expect(within(panel).getByTestId("risk-total-value")).toHaveTextContent("₦9,999.99");
    expect(within(panel).getByTestId("paged-count")).toHaveTextContent("1–1 of 340");
    expect(last(calls, "get_expiry_risk")).toEqual({ horizon_days: 30, include_expired: true, limit: 100, offset: 0 });

    fireEvent.click(within(panel).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(last(calls, "get_expiry_risk")).toMatchObject({ offset: 100 }));
    select("List batches expiring within", "90", panel);
    fireEvent.click(within(panel).getByLabelText("List expired batches too"));
    await waitFor(() => expect(last(calls, "get_expiry_risk")).toEqual({ horizon_days: 90, include_expired: false, limit: 100, offset: 0 }));
  });

  it("lists movements over the last 30 days by default and filters by kind; a capped export says so", async () => {
    const calls = renderWithStore(
      <ReportsScreen />,
      engine({
        export_report_csv: () => ({ csv: "x\n", rows: 100000, total_rows: 123456, capped: true, file_name: "movement_log-2026-11-30.csv" }),
      }),
    );
    const panel = await openTab("Movements");
    const table = await within(panel).findByRole("table", { name: "Stock movements" });
    const row = within(table).getByRole("row", { name: /IBU-L1/ });
    expect(row).toHaveTextContent("Write-off");
    expect(row).toHaveTextContent("-20 tablet");
    expect(row).toHaveTextContent("-₦500.00");
    expect(within(panel).getByTestId("movements-total-value")).toHaveTextContent("-₦500.00");
    const first = last(calls, "get_movement_log");
    expect(first).toMatchObject({ to: TODAY, limit: 100, offset: 0 });
    expect(first?.["kind"]).toBeUndefined();
    const from = String(first?.["from"]);
    expect((Date.parse(TODAY) - Date.parse(from)) / 86_400_000).toBe(29);

    select("Kind", "writeoff", panel);
    await waitFor(() => expect(last(calls, "get_movement_log")).toEqual({ from, to: TODAY, kind: "writeoff", limit: 100, offset: 0 }));
    fireEvent.click(within(panel).getByRole("button", { name: "Export CSV" }));
    expect(
      await within(panel).findByText(
        `Exported the first 100,000 of 123,456 rows to ${DOWNLOADS}/movement_log-2026-11-30.csv: the file stops at the export limit; narrow the filters for the rest.`,
      ),
    ).toBeInTheDocument();
    expect(sent(calls, "export_report_csv")).toEqual([{ report: "movement_log", from, to: TODAY, kind: "writeoff" }]);
    expect(saved).toEqual([{ fileName: "movement_log-2026-11-30.csv", contents: "x\n" }]);
  });

  it("shows waste by source and reason and per product, and sends source and reason", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await openTab("Waste");
    const reasons = await within(panel).findByRole("table", { name: "Waste by source and reason" });
    const draw = within(reasons).getByRole("row", { name: /Draw-up loss/ });
    expect(draw).toHaveTextContent("Clinic");
    expect(draw).toHaveTextContent("₦2,430.00");
    expect(within(reasons).getByRole("row", { name: /damage/ })).toHaveTextContent("Write-off");
    expect(within(panel).getByTestId("waste-total-cost")).toHaveTextContent("₦2,930.00");
    expect(within(within(panel).getByRole("table", { name: "Waste by product" })).getByRole("row", { name: /Botulinum/ })).toHaveTextContent("2.7 unit");

    select("Source", "writeoff", panel);
    fireEvent.change(within(panel).getByLabelText("Reason"), { target: { value: "damage" } });
    await waitFor(() => expect(last(calls, "get_waste_report")).toMatchObject({ source: "writeoff", reason: "damage", offset: 0 }));
  });

  it("charts sales by day and pages sales by product in the order chosen", async () => {
    const calls = renderWithStore(<ReportsScreen />, engine());
    const panel = await openTab("Sales");
    const chart = await within(panel).findByRole("table", { name: "Revenue and margin by day" });
    expect(within(chart).getByRole("row", { name: /2026-11-30/ })).toHaveTextContent("₦500.00₦350.00");
    expect(within(panel).getByTestId("sales-total-revenue")).toHaveTextContent("₦900.00");
    expect(within(panel).getByTestId("sales-total-margin-percent")).toHaveTextContent("55.56%");
    expect(last(calls, "get_sales_report")).toMatchObject({ group_by: "day", to: TODAY });
    expect(last(calls, "get_sales_report")?.["limit"]).toBeUndefined();

    select("Group by", "product", panel);
    const table = await within(panel).findByRole("table", { name: "Sales by product" });
    expect(within(table).getByRole("row", { name: /Amoxicillin/ })).toHaveTextContent("₦700.00");
    expect(within(panel).getByTestId("paged-count")).toHaveTextContent("1–1 of 140");
    select("Sort by", "margin", panel);
    await waitFor(() => expect(last(calls, "get_sales_report")).toMatchObject({ group_by: "product", sort: "margin", limit: 100, offset: 0 }));
    fireEvent.click(within(panel).getByRole("button", { name: "Next" }));
    await waitFor(() => expect(last(calls, "get_sales_report")).toMatchObject({ sort: "margin", offset: 100 }));
  });

  it("shows each vendor's performance", async () => {
    renderWithStore(<ReportsScreen />, engine());
    const panel = await openTab("Vendors");
    const table = await within(panel).findByRole("table", { name: "Vendor performance" });
    expect(within(table).getByRole("row", { name: /Emzor/ })).toHaveTextContent("66.7 %");
  });

  it("shows a refused report's error where the report would be", async () => {
    renderWithStore(
      <ReportsScreen />,
      engine({
        get_sales_report: () => {
          throw { kind: "forbidden", message: "cashier 'Cate' is not allowed to view_audit", details: { role: "cashier", permission: "view_audit" } };
        },
      }),
    );
    const panel = await openTab("Sales");
    const alert = await within(panel).findByRole("alert");
    expect(alert).toHaveTextContent("Not allowed");
    expect(alert).toHaveTextContent("Your role (cashier) does not allow this.");
    expect(within(panel).queryByTestId("sales-total-revenue")).toBeNull();
  });

  it("prints the open report", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    renderWithStore(<ReportsScreen />, engine());
    await screen.findByRole("table", { name: "Stock valuation by product" });
    fireEvent.click(screen.getByRole("button", { name: "Print" }));
    expect(print).toHaveBeenCalledTimes(1);
    // What is printed: the report panel; the filters are left out.
    expect(screen.getByRole("tabpanel", { name: "Stock valuation" })).toHaveClass("printable");
    expect(screen.getByRole("group", { name: "Stock valuation filters" })).toHaveClass("no-print");
    print.mockRestore();
  });
});
