import { afterEach, describe, expect, it } from "vitest";
import { screen, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import { renderWithStore } from "../../test/renderWithStore";
import { ReorderScreen } from "./ReorderScreen";

afterEach(() => clearMocks());

describe("ReorderScreen", () => {
  it("shows each recommendation with how its quantity came about", async () => {
    renderWithStore(<ReorderScreen />, (name) =>
      name === "list_reorder_recommendations"
        ? {
            rows: [
              {
                product_id: "p1",
                sku: "AMX-500",
                name: "Amoxicillin 500mg",
                unit: "capsule",
                available: "8",
                reorder_point: "10",
                max_level: "100",
                lead_time_days: 5,
                usage: "192",
                usage_window_days: 30,
                average_daily_usage: "6.4",
                days_of_stock: "1.2",
                trigger_level: "32",
                target_level: "100",
                recommended_quantity: "92",
              },
            ],
            total: 1,
          }
        : undefined,
    );
    const row = (await screen.findByText("Amoxicillin 500mg (AMX-500)")).closest("tr")!;
    expect(within(row).getByText("92 capsule")).toBeInTheDocument();
    expect(within(row).getByText("6.4 over 30 days")).toBeInTheDocument();
    expect(within(row).getByText("1.2")).toBeInTheDocument();
  });
});
