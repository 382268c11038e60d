// The engine's answers the Reports screen's tests (and a local preview)
// render: figures shaped as the engine sends them (docs/reference.md).
import type { BatchAging } from "../../bindings/BatchAging";
import type { ExpiryRisk } from "../../bindings/ExpiryRisk";
import type { MovementLog } from "../../bindings/MovementLog";
import type { ReportCsv } from "../../bindings/ReportCsv";
import type { SalesFigures } from "../../bindings/SalesFigures";
import type { SalesReport } from "../../bindings/SalesReport";
import type { SalesRow } from "../../bindings/SalesRow";
import type { StockValuation } from "../../bindings/StockValuation";
import type { VendorPerformance } from "../../bindings/VendorPerformance";

export const VALUATION: StockValuation = {
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

export const BY_CATEGORY: StockValuation = {
  ...VALUATION,
  group_by: "category",
  rows: [
    { key: "c-anti", label: "Antibiotics", sku: null, unit: null, products: 12, batches: 30, on_hand: "5000", value: "90000" },
    { key: null, label: "(no category)", sku: null, unit: null, products: 3, batches: 4, on_hand: "12", value: "150.75" },
  ],
  total_rows: 2,
};

export const AGING: BatchAging = {
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

export const RISK: ExpiryRisk = {
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

export const MOVEMENTS: MovementLog = {
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
export const WASTE = {
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

export function figures(revenue: string, margin: string): SalesFigures {
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

export function salesRow(key: string, label: string, revenue: string, margin: string, sku: string | null = null): SalesRow {
  return { key, label, sku, ...figures(revenue, margin), sales: 3 };
}

export const SALES_BY_DAY: SalesReport = {
  store_id: "s1",
  from: "2026-11-29",
  to: "2026-11-30",
  timezone: "Africa/Lagos",
  group_by: "day",
  rows: [salesRow("2026-11-29", "2026-11-29", "400", "150"), salesRow("2026-11-30", "2026-11-30", "500", "350")],
  total_rows: 2,
  totals: figures("900", "500"),
};

export const SALES_BY_PRODUCT: SalesReport = {
  ...SALES_BY_DAY,
  group_by: "product",
  rows: [salesRow("p-amx", "Amoxicillin 500mg", "700", "300", "AMX-500")],
  total_rows: 140,
};

export const VENDORS: VendorPerformance[] = [
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

export const CSV: ReportCsv = { csv: "product,value\nAmoxicillin,30450.5\n", rows: 2, total_rows: 2, capped: false, file_name: "stock_valuation-2026-11-30.csv" };

export type Engine = (name: string, input: Record<string, unknown>) => unknown;

export function engine(over: Partial<Record<string, Engine>> = {}): Engine {
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

