import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { Backorder } from "../../bindings/Backorder";
import { renderWithStore } from "../../test/renderWithStore";
import { BackordersScreen } from "./BackordersScreen";

afterEach(() => clearMocks());

const OWED: Backorder = {
  backorder_id: "b1",
  product_id: "p1",
  product_name: "Amoxicillin 500mg",
  store_id: "s1",
  quantity: "10",
  fulfilled_quantity: "4",
  customer_id: null,
  customer_name: "Chidi Obi",
  customer_phone: "0803",
  status: "partial",
  notes: null,
  user_id: "u1",
  created_at: "2026-11-30T09:00:00Z",
  fulfilled_date: null,
};

describe("BackordersScreen", () => {
  it("fulfils what is still owed after showing it", async () => {
    const calls = renderWithStore(<BackordersScreen />, (name) => {
      if (name === "list_backorders") return [OWED];
      if (name === "fulfill_backorder") return { backorder: { ...OWED, status: "fulfilled" }, batches: [{}, {}] };
      throw new Error(name);
    });
    const row = (await screen.findByText("Amoxicillin 500mg")).closest("tr")!;
    expect(within(row).getByText("Partly fulfilled")).toBeInTheDocument();
    fireEvent.click(within(row).getByRole("button", { name: "Fulfil…" }));
    const dialog = await screen.findByRole("dialog", { name: "Fulfil backorder" });
    // 10 owed, 4 given: 6 still owed, proposed as the quantity.
    expect(within(dialog).getByLabelText("Quantity to hand over")).toHaveValue("6");
    fireEvent.click(within(dialog).getByRole("button", { name: "Fulfil" }));
    expect(await screen.findByText("Fulfilled 6 of Amoxicillin 500mg from 2 batches.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "fulfill_backorder")?.input).toEqual({ backorder_id: "b1", fulfilled_quantity: "6" });
  });

  it("hides the actions from a role that may not run them", async () => {
    renderWithStore(<BackordersScreen />, (name) => (name === "list_backorders" ? [OWED] : undefined), { role: "head_office" });
    const row = (await screen.findByText("Amoxicillin 500mg")).closest("tr")!;
    expect(within(row).queryByRole("button", { name: "Fulfil…" })).toBeNull();
  });

  it("closes the confirmation on Esc without changing anything", async () => {
    const calls = renderWithStore(<BackordersScreen />, (name) => (name === "list_backorders" ? [OWED] : undefined));
    fireEvent.click(await screen.findByRole("button", { name: "Cancel…" }));
    const dialog = await screen.findByRole("dialog", { name: "Cancel backorder" });
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(calls.map((c) => c.name)).not.toContain("cancel_backorder");
  });
});
