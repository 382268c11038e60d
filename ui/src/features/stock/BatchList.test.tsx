import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { BatchListRow } from "../../bindings/BatchListRow";
import { renderWithStore } from "../../test/renderWithStore";
import { addDays, BatchList } from "./BatchList";

afterEach(() => clearMocks());

const ROW: BatchListRow = {
  value: "45000",
  batch_id: "b1",
  product_id: "p1",
  product_name: "Paracetamol 500mg",
  sku: "PCM-500",
  unit: "pack",
  store_id: "s1",
  batch_number: "LOT-7",
  serial_number: null,
  expiry_date: "2027-06-30",
  manufacture_date: null,
  initial_quantity: "100",
  quantity: "90",
  reserved: "0",
  available: "90",
  cost_price: "500",
  supplier_id: null,
  supplier_name: null,
  received_date: "2026-11-01",
  location: null,
  status: "available",
  status_reason: null,
  days_to_expiry: 212,
  expiry_band: "ok",
};

describe("BatchList", () => {
  it("asks the engine for a page, says how many there are, and pages and sorts there", async () => {
    const calls = renderWithStore(<BatchList />, (name) => (name === "list_batches" ? { rows: [ROW], total: 1234 } : undefined));
    expect(await screen.findByText("1–1 of 1,234")).toBeInTheDocument();
    const row = screen.getByText("Paracetamol 500mg").closest("tr")!;
    expect(within(row).getByText("₦45,000.00")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await waitFor(() => expect(calls.at(-1)?.input).toMatchObject({ offset: 100, limit: 100, sort: "expiry" }));
    fireEvent.click(screen.getByRole("button", { name: "Sort by Value" }));
    await waitFor(() => expect(calls.at(-1)?.input).toMatchObject({ sort: "value", descending: false, offset: 0 }));
    expect(screen.getByRole("columnheader", { name: /Value/ })).toHaveAttribute("aria-sort", "ascending");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "quarantine" } });
    await waitFor(() => expect(calls.at(-1)?.input).toMatchObject({ status: "quarantine", offset: 0 }));
  });

  it("lets a manager quarantine a batch with a reason, after saying what it does", async () => {
    const calls = renderWithStore(<BatchList />, (name, input) => {
      if (name === "list_batches") return { rows: [ROW], total: 1 };
      if (name === "set_batch_status") return { ...ROW, status: input["status"] };
      throw new Error(name);
    });
    const row = (await screen.findByText("Paracetamol 500mg")).closest("tr")!;
    fireEvent.click(within(row).getByRole("button", { name: "Quarantine" }));
    const dialog = await screen.findByRole("dialog", { name: "Quarantine batch" });
    expect(within(dialog).getByText(/can no longer be sold/)).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Quarantine batch" }));
    expect(within(dialog).getByLabelText("Reason")).toHaveAccessibleDescription("Say why, for the record.");
    fireEvent.change(within(dialog).getByLabelText("Reason"), { target: { value: "damp packs" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Quarantine batch" }));
    expect(await screen.findByText("Quarantine batch: Paracetamol 500mg, batch LOT-7.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "set_batch_status")?.input).toEqual({ batch_id: "b1", status: "quarantine", reason: "damp packs" });
  });

  it("shows a cashier no status actions", async () => {
    renderWithStore(<BatchList />, () => ({ rows: [ROW], total: 1 }), { role: "cashier" });
    const row = (await screen.findByText("Paracetamol 500mg")).closest("tr")!;
    expect(within(row).queryByRole("button")).toBeNull();
  });

  it("adds calendar days across months and years", () => {
    expect(addDays("2026-12-25", 7)).toBe("2027-01-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });
});
