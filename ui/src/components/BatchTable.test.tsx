import { describe, expect, it } from "vitest";
import { render, screen, within } from "@testing-library/react";

import type { BatchView } from "../bindings/BatchView";
import { BatchTable } from "./BatchTable";

function batch(n: string, expiry: string, band: BatchView["expiry_band"], days: number): BatchView {
  return {
    batch_id: `id-${n}`,
    product_id: "p",
    product_name: "Paracetamol 500mg",
    sku: "PARA500",
    unit: "tablet",
    store_id: "s",
    batch_number: n,
    serial_number: null,
    expiry_date: expiry,
    manufacture_date: null,
    initial_quantity: "100",
    quantity: "100",
    reserved: "0",
    available: band === "expired" ? "0" : "100",
    cost_price: "10",
    supplier_id: null,
    supplier_name: "Emzor",
    received_date: "2026-11-01",
    location: null,
    status: band === "expired" ? "expired" : "available",
    status_reason: null,
    days_to_expiry: days,
    expiry_band: band,
  };
}

describe("BatchTable", () => {
  it("keeps the engine's FEFO order and colours rows by band, with words", () => {
    render(
      <BatchTable
        label="Batches"
        batches={[batch("OLD", "2026-11-20", "expired", -2), batch("SOON", "2026-11-25", "within7_days", 3), batch("LATER", "2027-06-01", "ok", 191)]}
      />,
    );
    const rows = within(screen.getByRole("table", { name: "Batches" })).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset["batch"])).toEqual(["OLD", "SOON", "LATER"]);
    expect(rows[0]).toHaveClass("exp-expired");
    expect(rows[1]).toHaveClass("exp-within7");
    expect(rows[2]?.className).toBe("");
    expect(rows[0]).toHaveTextContent("expired 2 days ago");
    expect(rows[1]).toHaveTextContent("3 days left");
  });

  it("says so when empty", () => {
    render(<BatchTable label="Batches" batches={[]} empty="No stock on hand." />);
    expect(screen.getByText("No stock on hand.")).toBeInTheDocument();
  });
});
