// axe-core over the shared pieces as they render (jsdom cannot compute
// colours, so contrast is checked by styles.contrast.test.ts and the
// end-to-end run): labels, names, ARIA use, described-by links.
import { afterEach, describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import axe from "axe-core";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { AppStatus } from "../bindings/shell/AppStatus";
import { ReportsScreen } from "../features/reports/ReportsScreen";
import { SetupScreen } from "../features/setup/SetupScreen";
import { renderWithStore } from "../test/renderWithStore";
import { ComboField } from "./ComboField";
import { ConfirmDialog } from "./ConfirmDialog";
import { DateField } from "./DateField";
import { ErrorMessage } from "./ErrorMessage";
import { Field } from "./Field";

async function violations(root: Element = document.body): Promise<string[]> {
  const result = await axe.run(root, { rules: { "color-contrast": { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

afterEach(() => clearMocks());

const status: AppStatus = { db_path: "/tmp/t.db", state: "needs_setup", error: null, idle_lock_seconds: 0, version: "0.1.0", demo: false };

describe("accessibility of the shared pieces (axe-core)", { timeout: 30_000 }, () => {
  it("fields with hints and errors, a date field and a picker", async () => {
    render(
      <main>
        <form aria-label="Example">
          <Field label="Quantity" hint="Whole packs" error="Quantity must be more than zero">
            {(id) => <input id={id} />}
          </Field>
          <DateField label="Expiry date" value="2027-03-31" onChange={() => undefined} error="Too late" />
          <ComboField label="Time zone" value="Africa/Lagos" onChange={() => undefined} options={[{ id: "Africa/Lagos" }, { id: "UTC" }]} hint="Search" />
          <ErrorMessage error={{ kind: "invalid_input", message: "bad", details: { field: "quantity" } }} fields={{ quantity: "Quantity" }} />
        </form>
      </main>,
    );
    expect(await violations()).toEqual([]);
  });

  it("a confirmation dialog", async () => {
    render(
      <ConfirmDialog title="Write off batch B-1?" confirmLabel="Write off" onConfirm={() => undefined} onCancel={() => undefined}>
        <p>10 tablet, ₦0.50 at cost</p>
      </ConfirmDialog>,
    );
    await screen.findByRole("alertdialog");
    expect(await violations()).toEqual([]);
  });

  it("the reports screen: tabs, filters, totals, a paged table", async () => {
    renderWithStore(<ReportsScreen />, (name) => {
      if (name === "list_categories") return [];
      if (name === "get_stock_valuation")
        return {
          store_id: "s1",
          date: "2026-11-30",
          group_by: "product",
          rows: [{ key: "p1", label: "Paracetamol 500mg", sku: "PCM-500", unit: "tablet", products: 1, batches: 1, on_hand: "10", value: "125" }],
          total_rows: 1,
          totals: { products: 1, batches: 1, value: "125" },
        };
      throw new Error(`unexpected ${name}`);
    });
    await screen.findByRole("table", { name: "Stock valuation by product" });
    expect(await violations()).toEqual([]);
  });

  it("the setup screen", async () => {
    render(<SetupScreen status={status} onDone={() => undefined} />);
    expect(await violations()).toEqual([]);
  });
});
