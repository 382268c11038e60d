import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { Store } from "../../bindings/Store";
import { renderWithStore } from "../../test/renderWithStore";
import { StockFreezeForm } from "./StockFreezeForm";

afterEach(() => clearMocks());

const STORE: Store = {
  id: "s1", code: "LEK", name: "Lekki Pharmacy", timezone: "Africa/Lagos", currency: "NGN", locale: "en-NG", tax_number: null,
  licence_number: null, address: null, phone: null, adjustment_approval_units: "10", adjustment_approval_value: "5000",
  stock_freeze_date: "2026-11-01", is_active: true, installation_id: null,
};

describe("stock freeze date", () => {
  it("shows the date, and sets a new one with a reason", async () => {
    const calls = renderWithStore(<StockFreezeForm store={STORE} />, (_name, input) => ({ ...STORE, stock_freeze_date: input["freeze_date"] }), { role: "manager" });
    expect(screen.getByTestId("freeze-current")).toHaveTextContent("Nothing may be dated before");
    const set = screen.getByRole("button", { name: "Set freeze date" });
    fireEvent.change(screen.getByLabelText("Freeze date"), { target: { value: "2026-11-30" } });
    expect(set).toBeDisabled();
    fireEvent.change(screen.getByLabelText("Reason for the change"), { target: { value: "November count" } });
    fireEvent.click(set);
    expect(await screen.findByText(/Stock is frozen: nothing may be dated before/)).toBeInTheDocument();
    expect(calls).toEqual([{ name: "set_stock_freeze_date", input: { store_id: "s1", freeze_date: "2026-11-30", reason: "November count" } }]);
  });

  it("clears it (the engine refuses a manager; the refusal is shown)", async () => {
    renderWithStore(
      <StockFreezeForm store={STORE} />,
      () => {
        throw { kind: "forbidden", message: "not allowed", details: { user: "musa", role: "manager", permission: "move the stock freeze date earlier or clear it (admins)" } };
      },
      { role: "manager" },
    );
    fireEvent.change(screen.getByLabelText("Reason for the change"), { target: { value: "reopen" } });
    fireEvent.click(screen.getByRole("button", { name: "Clear freeze date" }));
    expect(await screen.findByRole("alert")).toBeInTheDocument();
  });
});
