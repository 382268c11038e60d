import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { ShiftSummary } from "../../bindings/ShiftSummary";
import { renderWithStore } from "../../test/renderWithStore";
import { ShiftsScreen } from "./ShiftsScreen";

afterEach(() => clearMocks());

const CLOSED: ShiftSummary = {
  shift_id: "sh1",
  terminal_id: "FRONT-1",
  status: "closed",
  opened_by: "u1",
  opened_by_name: "Bola Ade",
  opened_at: "2026-11-29T07:00:00Z",
  closed_by: "u1",
  closed_by_name: "Bola Ade",
  closed_at: "2026-11-29T18:00:00Z",
  opening_float: "5000",
  sales_count: 40,
  sales_total: "120000",
  returns_total: "0",
  expected_cash: "60000",
  counted_cash: "59500",
  over_short: "-500",
};

describe("ShiftsScreen", () => {
  it("finds past shifts by till and opens the Z report again", async () => {
    const calls = renderWithStore(<ShiftsScreen />, (name) => {
      if (name === "list_shifts") return { rows: [CLOSED], total: 1 };
      if (name === "get_shift_report") throw { kind: "not_found", message: "report gone", details: {} };
      throw new Error(name);
    });
    const row = (await screen.findByText("FRONT-1")).closest("tr")!;
    // 18:00 UTC is 19:00 in Lagos.
    expect(within(row).getByText(/19:00/)).toBeInTheDocument();
    expect(within(row).getByText("-₦500.00")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Till"), { target: { value: "FRONT-1" } });
    await waitFor(() => expect(calls.at(-1)?.input).toMatchObject({ terminal_id: "FRONT-1", offset: 0 }));
    fireEvent.click(within(screen.getByText("FRONT-1").closest("tr")!).getByRole("button", { name: "Z report" }));
    const dialog = await screen.findByRole("dialog", { name: "Z report" });
    await waitFor(() => expect(calls.some((c) => c.name === "get_shift_report" && (c.input as { shift_id?: string }).shift_id === "sh1")).toBe(true));
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();
  });
});
