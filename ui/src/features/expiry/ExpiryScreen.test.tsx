import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { BatchView } from "../../bindings/BatchView";
import { renderInStore } from "../../test-utils";
import { ExpiryScreen } from "./ExpiryScreen";

afterEach(() => clearMocks());

function batch(number: string, over: Partial<BatchView>): BatchView {
  return {
    batch_id: `b-${number}`, product_id: "p", product_name: "Paracetamol 500mg", sku: "PCM-500", unit: "tablet", store_id: "s1",
    batch_number: number, serial_number: null, expiry_date: "2026-11-20", manufacture_date: null, initial_quantity: "100",
    quantity: "100", reserved: "0", available: "100", cost_price: "12.5", supplier_id: null, supplier_name: null,
    received_date: "2026-01-01", location: null, status: "available", status_reason: null, days_to_expiry: -2, expiry_band: "expired",
    ...over,
  };
}

// Past its date but still available (to be marked), already marked (not again), in date soon.
const PAST = batch("PAST", { quantity: "40", cost_price: "12.5" });
const MARKED = batch("MARKED", { status: "expired", quantity: "5" });
const SOON = batch("SOON", { expiry_date: "2026-11-25", days_to_expiry: 3, expiry_band: "within7_days", quantity: "3", cost_price: "0.1" });

function renderScreen() {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    if (name === "get_expired_batches") return [PAST, MARKED];
    if (name === "get_expiring_batches") return Number(input["days"]) >= 3 ? [SOON] : [];
    if (name === "expire_batches_within_days") {
      // The engine's dry run names what a real run marks: PAST for 0 days, PAST and SOON from 4.
      const marked = Number(input["days"]) >= 4 ? [PAST, SOON] : [PAST];
      const value = marked.length === 2 ? "500.3" : "500";
      return { dry_run: input["dry_run"] === true, count: marked.length, batch_ids: marked.map((b) => b.batch_id), batches: marked, value };
    }
    throw new Error(`unexpected ${cmd} ${name}`);
  });
  renderInStore(<ExpiryScreen />);
  return calls;
}

describe("ExpiryScreen", { timeout: 30_000 }, () => {
  it("lists the batches mark-expired will take out of sale, with their value, before it acts", async () => {
    const calls = renderScreen();
    const form = screen.getByRole("form", { name: "Expire batches" });
    fireEvent.change(within(form).getByLabelText("Expire batches expiring within (days)"), { target: { value: "4" } });
    fireEvent.click(within(form).getByRole("button", { name: "Mark as expired…" }));

    const dialog = await screen.findByRole("alertdialog", { name: "Mark 2 batches as expired?" });
    const table = within(dialog).getByRole("table", { name: "Batches to mark as expired" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.dataset["batch"])).toEqual(["PAST", "SOON"]);
    // The engine's value at cost, in the store's currency.
    expect(within(dialog).getByTestId("expire-total")).toHaveTextContent("₦500.30");
    expect(rows[0]).toHaveTextContent("₦500.00");
    // Only the dry run so far: the preview is the engine's, nothing was marked.
    expect(calls.filter((c) => c.name === "expire_batches_within_days").map((c) => c.input)).toEqual([{ days: 4, dry_run: true }]);

    fireEvent.click(within(dialog).getByRole("button", { name: "Expire 2 batches" }));
    expect(await screen.findByText("Marked 2 batches as expired; they can no longer be sold.")).toBeInTheDocument();
    expect(calls.filter((c) => c.name === "expire_batches_within_days").map((c) => c.input)).toContainEqual({ days: 4 });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("refuses a bad number of days at the field, and Esc keeps everything", async () => {
    const calls = renderScreen();
    const form = screen.getByRole("form", { name: "Expire batches" });
    const days = within(form).getByLabelText("Expire batches expiring within (days)");
    fireEvent.change(days, { target: { value: "soon" } });
    fireEvent.click(within(form).getByRole("button", { name: "Mark as expired…" }));
    expect(days).toHaveAttribute("aria-invalid", "true");
    expect(days).toHaveAccessibleDescription(/Enter a whole number of days from 0 to 3650\./);
    expect(screen.queryByRole("alertdialog")).toBeNull();

    fireEvent.change(days, { target: { value: "0" } });
    fireEvent.click(within(form).getByRole("button", { name: "Mark as expired…" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Mark 1 batch as expired?" });
    fireEvent.keyDown(dialog, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(calls.filter((c) => c.name === "expire_batches_within_days").every((c) => c.input["dry_run"] === true)).toBe(true);
  });
});
