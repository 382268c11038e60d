import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { ClinicReport } from "../../bindings/ClinicReport";
import { renderWithStore } from "../../test/renderWithStore";
import { ClinicReportScreen } from "./ClinicReportScreen";
import { BOTOX } from "./fixtures";

afterEach(() => clearMocks());

const LINE = {
  product_id: "p-botox",
  product_name: "Botox 100U",
  vials_opened: 2,
  units_used: "56.5",
  units_wasted: "43.5",
  revenue: "678",
  used_cost: "282.5",
  waste_cost: "217.5",
  profit: "178",
  margin_percent: "26.25",
};
const REPORT: ClinicReport = { lines: [LINE], total: { ...LINE, product_id: "", product_name: "" }, waste_by_reason: [{ reason: "stability_exceeded", records: 1, cost: "200" }, { reason: "draw_up_loss", records: 2, cost: "17.5" }] };

function engine(name: string) {
  switch (name) {
    case "get_clinic_report":
      return REPORT;
    case "get_clinic_settings":
      return { store_id: "s1", vial_reminder_age_hours: 24, vial_reminder_idle_hours: 4 };
    case "update_clinic_settings":
      return { store_id: "s1", vial_reminder_age_hours: 48, vial_reminder_idle_hours: 4 };
    case "list_vial_policies":
      return [];
    case "search_products":
      return [{ product: BOTOX, available: "300", nearest_expiry: null }];
    case "set_vial_policy":
      return {};
    default:
      throw new Error(name);
  }
}

describe("ClinicReportScreen", () => {
  it("asks for the month so far and shows each product, the totals and the waste by reason", async () => {
    const calls = renderWithStore(<ClinicReportScreen />, engine);
    const table = await screen.findByRole("table", { name: "Clinic report by product" });
    const row = (await within(table).findByText("Botox 100U")).closest("tr")!;
    expect(within(row).getByText("₦678.00")).toBeInTheDocument();
    expect(within(row).getByText("26.25%")).toBeInTheDocument();
    expect(within(table).getByText("All products")).toBeInTheDocument();
    const waste = screen.getByRole("table", { name: "Waste by reason" });
    expect(within(waste).getByText("Past its beyond-use time")).toBeInTheDocument();
    expect(within(waste).getByText("₦200.00")).toBeInTheDocument();
    const input = calls.find((c) => c.name === "get_clinic_report")?.input as { from: string; to: string };
    expect(Date.parse(input.to)).toBeGreaterThan(Date.parse(input.from));
  });

  it("saves the reminder hours and sets a clinic window with its reason", async () => {
    const calls = renderWithStore(<ClinicReportScreen />, engine);
    const age = await screen.findByLabelText("Hours open before a reminder");
    await waitFor(() => expect(age).toHaveValue("24"));
    fireEvent.change(age, { target: { value: "48" } });
    fireEvent.click(screen.getByRole("button", { name: "Save reminders" }));
    expect(await screen.findByText("Saved when open vials raise a reminder.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "update_clinic_settings")?.input).toEqual({ vial_reminder_age_hours: 48, vial_reminder_idle_hours: 4 });

    const form = screen.getByRole("form", { name: "Set a clinic window" });
    await within(form).findByRole("option", { name: "Botox 100U" });
    fireEvent.change(within(form).getByLabelText("Product"), { target: { value: "p-botox" } });
    fireEvent.change(within(form).getByLabelText("Window (hours)"), { target: { value: "672" } });
    fireEvent.change(within(form).getByLabelText("Why"), { target: { value: "ASDS consensus, 4 weeks refrigerated" } });
    fireEvent.click(within(form).getByRole("button", { name: "Set the window" }));
    expect(await screen.findByText("Set the clinic's window for vials opened from now on.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "set_vial_policy")?.input).toEqual({ product_id: "p-botox", window_hours: 672, reason: "ASDS consensus, 4 weeks refrigerated" });
  });
});
