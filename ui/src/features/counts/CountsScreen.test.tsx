import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { CountLine } from "../../bindings/CountLine";
import type { CountSheet } from "../../bindings/CountSheet";
import type { CountSummary } from "../../bindings/CountSummary";
import type { PostedCount } from "../../bindings/PostedCount";
import type { ProductHit } from "../../bindings/ProductHit";
import type { Role } from "../../bindings/Role";
import { renderInStore } from "../../test-utils";
import { CountsScreen } from "./CountsScreen";

afterEach(() => clearMocks());

const IBU = [
  { product: { id: "p-ibu", sku: "IBU-400", name: "Ibuprofen 400mg", unit: "pack" }, available: "80", nearest_expiry: null },
] as unknown as ProductHit[];

function summary(status: CountSummary["status"], extra: Partial<CountSummary> = {}): CountSummary {
  return {
    id: "c1", number: 1, name: "Count 1 (cycle)", store_id: "s1", count_type: "cycle", category_id: null, scope: "products", status,
    blind: false, scheduled_date: null, notes: null, needs_approval: false, created_by_name: "Musa", created_at: "2026-11-30T08:00:00Z",
    started_at: status === "draft" ? null : "2026-11-30T08:05:00Z", completed_at: null, approved_by_name: null, approved_at: null,
    posted_at: null, cancelled_at: null, cancel_reason: null, lines: 1, counted_lines: 0, variance_lines: 0, variance_cost: "0.00", reveals: true,
    ...extra,
  };
}

function line(extra: Partial<CountLine> = {}): CountLine {
  return {
    id: "l1", line_no: 1, batch_id: "b1", batch_number: "IBU-1", expiry_date: "2027-06-30", location: "Shelf B2", product_id: "p-ibu",
    product_name: "Ibuprofen 400mg", sku: "IBU-400", unit: "pack", system_quantity: "80", counted: null, counted_by_name: null, counted_at: null,
    recounts: [], added: false, variance: null, variance_percent: null, variance_cost: null, movement: null, status: "pending", flag_reason: null,
    ...extra,
  };
}

const COUNTED = line({ counted: "79", counted_by_name: "Chidi", counted_at: "2026-11-30T08:10:00Z", status: "counted", variance: "-1", variance_percent: "-1.3", variance_cost: "-250.00" });

function sheet(count: CountSummary, lines: CountLine[] = [line()]): CountSheet {
  return { count, lines, total: lines.length };
}

type Handlers = Record<string, (input: Record<string, unknown>) => unknown>;

function renderScreen(handlers: Handlers, role: Role = "manager") {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    const handler = handlers[name];
    if (handler) return handler(input);
    throw new Error(`unexpected call ${name}`);
  });
  renderInStore(<CountsScreen />, { role });
  return calls;
}

/** Opens count 1 from the list. */
async function openCount() {
  fireEvent.click(await screen.findByRole("button", { name: "Open count 1" }));
  return screen.findByRole("dialog", { name: "Count 1" });
}

describe("CountsScreen", { timeout: 30_000 }, () => {
  it("lists the store's counts with their progress and variance, filtered by status", async () => {
    const calls = renderScreen({
      list_counts: (input) => ({
        rows: input["status"] === "posted" ? [] : [summary("in_progress", { counted_lines: 3, lines: 12, variance_cost: "-500.00" })],
        total: input["status"] === "posted" ? 0 : 1,
      }),
    });
    const row = (await screen.findByText("Count 1")).closest("tr");
    expect(row).toHaveTextContent("Counting");
    expect(row).toHaveTextContent("3 of 12");
    expect(row).toHaveTextContent("-₦500.00");
    expect(row).toHaveTextContent("Musa");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "posted" } });
    expect(await screen.findByText("No counts.")).toBeInTheDocument();
    expect(calls.filter((c) => c.name === "list_counts").at(-1)?.input).toEqual({ status: "posted", limit: 50, offset: 0 });
  });

  it("creates a cycle count of a product and starts it", async () => {
    let status: CountSummary["status"] | null = null;
    const calls = renderScreen({
      list_counts: () => ({ rows: status ? [summary(status)] : [], total: status ? 1 : 0 }),
      search_products: () => IBU,
      create_count: () => {
        status = "draft";
        return summary("draft");
      },
      get_count: () => sheet(summary(status ?? "draft"), [line({ system_quantity: status === "draft" ? null : "80" })]),
      start_count: () => {
        status = "in_progress";
        return summary("in_progress");
      },
    });
    fireEvent.click(await screen.findByRole("button", { name: "New count" }));
    const form = await screen.findByRole("form", { name: "New count" });
    expect(within(form).getByLabelText<HTMLSelectElement>("Type of count").value).toBe("cycle");
    const product = within(form).getByLabelText("Product");
    await within(product).findByText(/Ibuprofen 400mg/);
    fireEvent.change(product, { target: { value: "p-ibu" } });
    fireEvent.click(within(form).getByRole("button", { name: "Add to the count" }));
    expect(within(within(form).getByRole("list", { name: "To count" })).getByText(/Ibuprofen 400mg/)).toBeInTheDocument();
    fireEvent.change(within(form).getByLabelText("Notes"), { target: { value: "weekly, shelf B" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create count" }));
    await waitFor(() => expect(calls.some((c) => c.name === "create_count")).toBe(true));
    expect(calls.find((c) => c.name === "create_count")?.input).toEqual({ count_type: "cycle", product_ids: ["p-ibu"], blind: false, notes: "weekly, shelf B" });

    // The draft opens in its sheet, to be started.
    const dialog = await screen.findByRole("dialog", { name: "Count 1" });
    fireEvent.click(await within(dialog).findByRole("button", { name: "Start counting" }));
    await waitFor(() => expect(calls.find((c) => c.name === "start_count")?.input).toEqual({ count_id: "c1" }));
    expect(await within(dialog).findByText("Count 1 started: system quantities taken now.")).toBeInTheDocument();
    // Counting: each line takes a counted quantity; the system quantity shows (not blind).
    expect(await within(dialog).findByLabelText("Counted quantity of Ibuprofen 400mg batch IBU-1")).toBeInTheDocument();
    expect(within(dialog).getByRole("columnheader", { name: "System" })).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Start counting" })).toBeNull();
  });

  it("records a line by hand and by scan, and offers a recount when someone counted it first", async () => {
    let counted = false;
    let clash = true;
    const calls = renderScreen({
      list_counts: () => ({ rows: [summary("in_progress")], total: 1 }),
      get_count: () => sheet(summary("in_progress", { counted_lines: counted ? 1 : 0 }), [counted ? COUNTED : line()]),
      record_count: (input) => {
        if (input["code"]) return { ...COUNTED, counted: "80" };
        if (clash && !input["recount"]) {
          clash = false;
          throw { kind: "conflict", message: "line 1 was already counted: 78 by Bola", details: {} };
        }
        counted = true;
        return COUNTED;
      },
    });
    const dialog = await openCount();
    const qty = await within(dialog).findByLabelText("Counted quantity of Ibuprofen 400mg batch IBU-1");
    fireEvent.change(qty, { target: { value: "79" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    // Someone else counted it meanwhile: the engine says who; the user replaces it with their count.
    expect(await within(dialog).findByText("Line 1 was already counted: 78 by Bola")).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Replace it with my count" }));
    await waitFor(() => expect(calls.filter((c) => c.name === "record_count").at(-1)?.input).toEqual({ count_id: "c1", line_id: "l1", quantity: "79", recount: true }));
    expect(calls.filter((c) => c.name === "record_count")[0]?.input).toEqual({ count_id: "c1", line_id: "l1", quantity: "79" });
    // The sheet refreshes: the line shows its count, by whom, and its variance.
    const row = await within(dialog).findByText("by Chidi");
    expect(row.closest("tr")).toHaveTextContent("-₦250.00");
    expect(within(dialog).getByRole("button", { name: "Recount Ibuprofen 400mg batch IBU-1" })).toBeInTheDocument();

    // A scan typed into the scan field (Enter) finds the line.
    const scan = within(dialog).getByLabelText("Scan a barcode or GS1 code");
    fireEvent.change(scan, { target: { value: "]d2010950110153000310IBU-1" } });
    fireEvent.keyDown(scan, { key: "Enter" });
    await waitFor(() => expect(calls.filter((c) => c.name === "record_count").at(-1)?.input).toEqual({ count_id: "c1", code: "]d2010950110153000310IBU-1" }));
    expect(await within(dialog).findByText("Ibuprofen 400mg batch IBU-1: 80 pack counted.")).toBeInTheDocument();
  });

  it("completes, then posts a count and shows what posting did", async () => {
    let status: CountSummary["status"] = "in_progress";
    const posted: PostedCount = {
      count: summary("posted", { counted_lines: 1, variance_lines: 1, variance_cost: "-250.00" }),
      reconciliation_id: "r1", applied_lines: 1, moved_lines: 1, total_variance: "-1", flagged: [],
    };
    const calls = renderScreen({
      list_counts: () => ({ rows: [summary(status)], total: 1 }),
      get_count: () => sheet(summary(status, { counted_lines: 1, variance_lines: 1, variance_cost: "-250.00" }), [COUNTED]),
      complete_count: () => {
        status = "completed";
        return summary("completed");
      },
      post_count: () => {
        status = "posted";
        return posted;
      },
    });
    const dialog = await openCount();
    expect(within(dialog).queryByRole("button", { name: "Post to stock" })).toBeNull();
    fireEvent.click(await within(dialog).findByRole("button", { name: "Complete the count" }));
    await waitFor(() => expect(calls.find((c) => c.name === "complete_count")?.input).toEqual({ count_id: "c1" }));
    expect(await within(dialog).findByText("Count 1 completed.")).toBeInTheDocument();
    // No variance waits for approval: a manager may post straight away (or approve first).
    fireEvent.click(await within(dialog).findByRole("button", { name: "Post to stock" }));
    await waitFor(() => expect(calls.find((c) => c.name === "post_count")?.input).toEqual({ count_id: "c1" }));
    const result = await within(dialog).findByTestId("count-posted");
    expect(result).toHaveTextContent("Lines applied: 1; lines that changed the stock: 1; total variance: -1.");
    await waitFor(() => expect(within(dialog).queryByRole("button", { name: "Complete the count" })).toBeNull());
    expect(within(dialog).queryByRole("form", { name: "Cancel the count" })).toBeNull();
  });

  it("shows the engine's refusal where the button is, and asks for approval before posting past the thresholds", async () => {
    const calls = renderScreen({
      list_counts: () => ({ rows: [summary("in_progress")], total: 1 }),
      get_count: () => sheet(summary("in_progress", { lines: 3, counted_lines: 1 }), [COUNTED]),
      complete_count: () => {
        throw { kind: "conflict", message: "2 lines are not counted yet", details: { uncounted: 2 } };
      },
    });
    const dialog = await openCount();
    fireEvent.click(await within(dialog).findByRole("button", { name: "Complete the count" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Conflict");
    expect(alert).toHaveTextContent("2 lines are not counted yet");
    // Counting the rest as zero is a choice made on purpose.
    fireEvent.click(within(dialog).getByLabelText("Record lines not counted as counted zero"));
    fireEvent.click(within(dialog).getByRole("button", { name: "Complete the count" }));
    await waitFor(() => expect(calls.filter((c) => c.name === "complete_count").at(-1)?.input).toEqual({ count_id: "c1", uncounted_as_zero: true }));
  });

  it("offers approval, not posting, while variances wait for a manager", async () => {
    const calls = renderScreen({
      list_counts: () => ({ rows: [summary("completed", { needs_approval: true })], total: 1 }),
      get_count: () => sheet(summary("completed", { needs_approval: true, counted_lines: 1 }), [COUNTED]),
      approve_count: () => summary("approved"),
    });
    const dialog = await openCount();
    expect(await within(dialog).findByText(/a manager approves before posting/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("button", { name: "Post to stock" })).toBeNull();
    fireEvent.change(within(dialog).getByLabelText("Approval note (optional)"), { target: { value: "blister packs split" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve variances" }));
    await waitFor(() => expect(calls.find((c) => c.name === "approve_count")?.input).toEqual({ count_id: "c1", notes: "blister packs split" }));
    expect(await within(dialog).findByText("Count 1 approved.")).toBeInTheDocument();
  });

  it("hides system quantities and variances of a blind count from a cashier, who cannot post or cancel", async () => {
    renderScreen(
      {
        list_counts: () => ({ rows: [summary("in_progress", { blind: true, reveals: false, variance_lines: null, variance_cost: null })], total: 1 }),
        get_count: () =>
          sheet(summary("in_progress", { blind: true, reveals: false, variance_lines: null, variance_cost: null }), [line({ system_quantity: null })]),
      },
      "cashier",
    );
    expect((await screen.findByText("Count 1")).closest("tr")).toHaveTextContent("hidden");
    const dialog = await openCount();
    expect(await within(dialog).findByLabelText("Counted quantity of Ibuprofen 400mg batch IBU-1")).toBeInTheDocument();
    expect(within(dialog).getByText(/Blind count: system quantities and variances show once the count is completed/)).toBeInTheDocument();
    expect(within(dialog).queryByRole("columnheader", { name: "System" })).toBeNull();
    expect(within(dialog).queryByRole("columnheader", { name: "Variance" })).toBeNull();
    expect(within(dialog).queryByText("80 pack")).toBeNull();
    expect(within(dialog).queryByRole("option", { name: "With a variance" })).toBeNull();
    expect(within(dialog).getByRole("button", { name: "Complete the count" })).toBeInTheDocument();
    expect(within(dialog).queryByRole("form", { name: "Cancel the count" })).toBeNull();
  });
});
