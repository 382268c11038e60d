import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

vi.mock("../../lib/download", () => ({ downloadText: vi.fn() }));
import { downloadText } from "../../lib/download";

import type { BatchAging } from "../../bindings/BatchAging";
import type { ExpiryRisk } from "../../bindings/ExpiryRisk";
import type { MovementLog } from "../../bindings/MovementLog";
import type { ReportCsv } from "../../bindings/ReportCsv";
import type { SalesFigures } from "../../bindings/SalesFigures";
import type { SalesReport } from "../../bindings/SalesReport";
import type { SalesRow } from "../../bindings/SalesRow";
import type { StockValuation } from "../../bindings/StockValuation";
import type { VendorPerformance } from "../../bindings/VendorPerformance";
import { makeFormatters } from "../../lib/locale";
import { NGN_STORE } from "../../test-utils";
import { renderWithStore, type Calls } from "../../test/renderWithStore";
import { SCREENS } from "../shell/screens";
import { ReportsScreen } from "./ReportsScreen";

beforeEach(() => vi.mocked(downloadText).mockClear());
afterEach(() => clearMocks());

const VALUATION: StockValuation = {
  store_id: "s1",
  date: "2026-11-30",
  group_by: "product",
  rows: [
    { key: "p-amx", label: "Amoxicillin 500mg", sku: "AMX-500", unit: "capsule", products: 1, batches: 2, on_hand: "1200", value: "30450.5" },
    { key: "p-pcm", label: "Paracetamol 500mg", sku: "PCM-500", unit: "tablet", products: 1, batches: 1, on_hand: "40.5", value: "506.25" },
  ],
  total_rows: 250,
  totals: { products: 250, batches: 410, value: "1234567.89" },
};

const BY_CATEGORY: StockValuation = {
  ...VALUATION,
  group_by: "category",
  rows: [
    { key: "c-anti", label: "Antibiotics", sku: null, unit: null, products: 12, batches: 30, on_hand: "5000", value: "90000" },
    { key: null, label: "(no category)", sku: null, unit: null, products: 3, batches: 4, on_hand: "12", value: "150.75" },
  ],
  total_rows: 2,
};

const AGING: BatchAging = {
  store_id: "s1",
  date: "2026-11-30",
  buckets: [
    { label: "0-30", min_days: 0, max_days: 30, batches: 5, on_hand: "500", value: "2500" },
    { label: "31-90", min_days: 31, max_days: 90, batches: 2, on_hand: "20", value: "100" },
    { label: "91-180", min_days: 91, max_days: 180, batches: 0, on_hand: "0", value: "0" },
    { label: "181-365", min_days: 181, max_days: 365, batches: 0, on_hand: "0", value: "0" },
    { label: "365+", min_days: 366, max_days: null, batches: 1, on_hand: "7", value: "70.1" },
  ],
  slow_days: 90,
  since: "2026-09-02",
  slow_movers: [
    {
      product_id: "p-vit",
      sku: "VITC-1000",
      name: "Vitamin C 1000mg",
      unit: "tablet",
      batches: 1,
      on_hand: "7",
      value: "70.1",
      oldest_received: "2025-06-01",
      last_sale_at: null,
    },
  ],
  slow_total: 1,
  slow_value: "70.1",
};

const RISK: ExpiryRisk = {
  store_id: "s1",
  date: "2026-11-30",
  expired: { within_days: null, until: null, batches: 1, on_hand: "5", value: "62.5" },
  windows: [
    { within_days: 7, until: "2026-12-07", batches: 1, on_hand: "3", value: "0.3" },
    { within_days: 14, until: "2026-12-14", batches: 2, on_hand: "13", value: "100.3" },
    { within_days: 30, until: "2026-12-30", batches: 3, on_hand: "23", value: "1100.3" },
    { within_days: 90, until: "2027-02-28", batches: 4, on_hand: "33", value: "2100.3" },
  ],
  horizon_days: 30,
  batches: [
    {
      batch_id: "b-old",
      batch_number: "OLD-1",
      product_id: "p-pcm",
      sku: "PCM-500",
      product_name: "Paracetamol 500mg",
      unit: "tablet",
      status: "expired",
      expiry_date: "2026-11-28",
      days_left: -2,
      on_hand: "5",
      unit_cost: "12.5",
      value: "62.5",
    },
  ],
  total_batches: 340,
  total_value: "9999.99",
};

const MOVEMENTS: MovementLog = {
  store_id: "s1",
  from: "2026-11-01",
  to: "2026-11-30",
  rows: [
    {
      kind: "writeoff",
      at: "2026-11-20T09:30:00Z",
      document_id: "adj-1",
      detail: "damage",
      batch_id: "b-1",
      batch_number: "IBU-L1",
      product_id: "p-ibu",
      sku: "IBU-400",
      product_name: "Ibuprofen 400mg",
      unit: "tablet",
      quantity: "-20",
      unit_cost: "25",
      value: "-500",
      user_id: "u-musa",
      user_name: "Musa",
    },
  ],
  total_rows: 1,
  total_value: "-500",
};

// As the engine sends it: `by_reason` rows carry source and quantity.
const WASTE = {
  store_id: "s1",
  from: "2026-11-01",
  to: "2026-11-30",
  by_reason: [
    { source: "clinic", reason: "draw_up_loss", records: 1, quantity: "2.7", cost: "2430" },
    { source: "writeoff", reason: "damage", records: 1, quantity: "20", cost: "500" },
  ],
  products: [{ product_id: "p-btx", sku: "BTX-100", name: "Botulinum toxin type A", unit: "unit", records: 1, quantity: "2.7", cost: "2430" }],
  total_products: 2,
  total_records: 2,
  total_cost: "2930",
};

function figures(revenue: string, margin: string): SalesFigures {
  return {
    sales: 0,
    quantity_sold: "10",
    quantity_returned: "1",
    quantity: "9",
    gross_sales: "1075",
    refunds: "107.5",
    tax: "67.5",
    revenue,
    cost: "400",
    margin,
    margin_percent: "55.56",
  };
}

function salesRow(key: string, label: string, revenue: string, margin: string, sku: string | null = null): SalesRow {
  return { key, label, sku, ...figures(revenue, margin), sales: 3 };
}

const SALES_BY_DAY: SalesReport = {
  store_id: "s1",
  from: "2026-11-29",
  to: "2026-11-30",
  timezone: "Africa/Lagos",
  group_by: "day",
  rows: [salesRow("2026-11-29", "2026-11-29", "400", "150"), salesRow("2026-11-30", "2026-11-30", "500", "350")],
  total_rows: 2,
  totals: figures("900", "500"),
};

const SALES_BY_PRODUCT: SalesReport = {
  ...SALES_BY_DAY,
  group_by: "product",
  rows: [salesRow("p-amx", "Amoxicillin 500mg", "700", "300", "AMX-500")],
  total_rows: 140,
};

const VENDORS: VendorPerformance[] = [
  {
    supplier_id: "sup-1",
    name: "Emzor",
    is_preferred: true,
    is_active: true,
    orders: 4,
    orders_received: 3,
    orders_cancelled: 0,
    received_with_expected_date: 3,
    received_on_time: 2,
    on_time_rate: "66.7",
    average_lead_time_days: "4.5",
    lead_time_orders: 3,
    delivered: "1200",
    accepted: "1190",
    damaged: "10",
    rejected: "0",
    quality_issue_rate: "0.8",
  },
];

const CSV: ReportCsv = { csv: "product,value\nAmoxicillin,30450.5\n", rows: 2, total_rows: 2, capped: false, file_name: "stock_valuation-2026-11-30.csv" };

type Engine = (name: string, input: Record<string, unknown>) => unknown;

function engine(over: Partial<Record<string, Engine>> = {}): Engine {
  return (name, input) => {
    const own = over[name];
    if (own) return own(name, input);
    switch (name) {
      case "list_categories":
        return [{ id: "c-anti", name: "Antibiotics", display_name: null, description: null, parent_id: null, path: "Antibiotics" }];
      case "search_products":
        return [];
      case "get_stock_valuation":
        return input["group_by"] === "category" ? BY_CATEGORY : VALUATION;
      case "get_batch_aging":
        return AGING;
      case "get_expiry_risk":
        return RISK;
      case "get_movement_log":
        return MOVEMENTS;
      case "get_waste_report":
        return WASTE;
      case "get_sales_report":
        return input["group_by"] === "product" ? SALES_BY_PRODUCT : SALES_BY_DAY;
      case "get_vendor_performance":
        return VENDORS;
      case "export_report_csv":
        return CSV;
      default:
        throw new Error(`unexpected command ${name}`);
    }
  };
}

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
    await waitFor(() => expect(downloadText).toHaveBeenCalledWith(CSV.csv, "stock_valuation-2026-11-30.csv", "text/csv"));
    expect(sent(calls, "export_report_csv")).toEqual([{ report: "stock_valuation", group_by: "category", query: "amox" }]);
    expect(await within(panel).findByText("Exported 2 rows to stock_valuation-2026-11-30.csv.")).toBeInTheDocument();
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
        "Exported the first 100,000 of 123,456 rows to movement_log-2026-11-30.csv: the file stops at the export limit; narrow the filters for the rest.",
      ),
    ).toBeInTheDocument();
    expect(sent(calls, "export_report_csv")).toEqual([{ report: "movement_log", from, to: TODAY, kind: "writeoff" }]);
    expect(downloadText).toHaveBeenCalledWith("x\n", "movement_log-2026-11-30.csv", "text/csv");
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
