import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { FALLBACK_LOCALE, makeFormatters } from "../../lib/locale";
import type { AuditEntry } from "./auditApi";
import { AuditScreen } from "./AuditScreen";

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

function entry(seq: number, over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: `e${seq}`,
    store_id: "s1",
    seq,
    batch_id: null,
    batch_number: null,
    product_id: null,
    product_name: null,
    change_type: "receipt",
    previous_quantity: null,
    new_quantity: null,
    user_id: "u1",
    user_name: "Ada",
    reference_id: null,
    notes: null,
    created_at: "2026-11-22T10:00:00.000Z",
    hash: "ab".repeat(32),
    kind: "receipt",
    category: "stock",
    summary: `Event ${seq}`,
    changes: [],
    installation_id: "inst-1",
    payload: null,
    ...over,
  };
}

const PRICE = entry(12, {
  change_type: "product_updated",
  kind: "price_changed",
  category: "catalogue",
  product_id: "p1",
  product_name: "Paracetamol 500mg",
  summary: "Selling price of Paracetamol 500mg changed",
  changes: [
    { field: "selling_price", before: "0.50", after: "0.60" },
    { field: "cost_price", before: null, after: "0.30" },
  ],
});
const RECEIPT = entry(11, {
  batch_number: "V-9",
  product_name: "Paracetamol 500mg",
  previous_quantity: "0",
  new_quantity: "2",
  summary: "Received 2 tablet of Paracetamol 500mg into batch V-9",
});

interface Call {
  name: string;
  input: Record<string, unknown>;
}

function renderScreen(trail: (input: Record<string, unknown>) => AuditEntry[], csv?: (input: Record<string, unknown>) => unknown): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "save_export") {
      const { fileName, contents } = args as { fileName: string; contents: string };
      calls.push({ name: "save_export", input: { fileName, contents } });
      return `/home/till/Downloads/${fileName}`;
    }
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    if (name === "get_audit_trail") return trail(input);
    if (name === "export_audit_csv" && csv) return csv(input);
    if (name === "search_products") return [];
    throw new Error(`unexpected call ${name}`);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <AuditScreen />
    </QueryClientProvider>,
  );
  return calls;
}

const trailCalls = (calls: Call[]) => calls.filter((c) => c.name === "get_audit_trail").map((c) => c.input);

// Generous: each test walks several screens' worth of queries, and the
// shared build machine can be slow.
describe("AuditScreen", { timeout: 30_000 }, () => {
  it("says what happened in words, with each field's before and after", async () => {
    renderScreen(() => [PRICE, RECEIPT]);
    const table = await screen.findByRole("table", { name: "Audit events" });
    const price = (await within(table).findByText("Selling price of Paracetamol 500mg changed")).closest("tr");
    expect(price).toHaveAttribute("data-category", "catalogue");
    expect(price).toHaveAttribute("data-kind", "price_changed");
    expect(price).toHaveTextContent("Catalogue");
    const changes = within(price as HTMLElement).getByRole("list", { name: "Changes" });
    const items = within(changes).getAllByRole("listitem");
    expect(items.map((i) => i.textContent)).toEqual(["selling price: 0.50 → 0.60", "cost price: — → 0.30"]);
    const receipt = within(table).getByText("Received 2 tablet of Paracetamol 500mg into batch V-9").closest("tr");
    expect(receipt).toHaveTextContent("0 → 2");
    expect(receipt).toHaveTextContent("Stock");
    expect(within(receipt as HTMLElement).queryByRole("list", { name: "Changes" })).toBeNull();
  });

  it("filters by area, and pages back with the last sequence number as the cursor", async () => {
    const calls = renderScreen((input) => {
      if (input["category"] === "people") return [entry(3, { category: "people", kind: "user_role_changed", summary: "Role of Bola changed" })];
      // A full first page, then what is left.
      const limit = Number(input["limit"]);
      if (input["before_seq"] === undefined) return Array.from({ length: limit }, (_, i) => entry(1000 - i));
      return [entry(5, { summary: "The oldest" })];
    });
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "50" } });
    const older = await screen.findByRole("button", { name: "Older events (next 50)" }, { timeout: 5000 });
    expect(trailCalls(calls)[0]).toEqual({ limit: 200 });
    expect(trailCalls(calls).at(-1)).toEqual({ limit: 50 });
    fireEvent.click(older);
    expect(await screen.findByText("The oldest", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(trailCalls(calls).at(-1)).toEqual({ limit: 50, before_seq: 951 });
    expect(screen.getAllByRole("row")).toHaveLength(1 + 51);
    expect(screen.queryByRole("button", { name: /Older events/ })).toBeNull();

    fireEvent.change(screen.getByLabelText("Area"), { target: { value: "people" } });
    expect(await screen.findByText("Role of Bola changed", {}, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getAllByRole("row")).toHaveLength(2);
    expect(trailCalls(calls).at(-1)).toEqual({ category: "people", limit: 50 });
    const areas = within(screen.getByLabelText("Area")).getAllByRole("option").map((o) => o.textContent);
    expect(areas).toEqual(["All areas", "Stock", "Catalogue", "People", "Sales", "Settings", "Security", "Clinic", "Alerts and cold chain"]);
  });

  it("exports the filtered trail as a CSV file named after today", async () => {
    const calls = renderScreen(
      () => [PRICE],
      () => ({ csv: "seq,kind\n12,price_changed\n", rows: 1 }),
    );
    await screen.findByText("Selling price of Paracetamol 500mg changed");
    fireEvent.change(screen.getByLabelText("Area"), { target: { value: "catalogue" } });
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    // Named after the store's date (a screen outside MainLayout: the fallback store, UTC).
    const name = `audit-${makeFormatters(FALLBACK_LOCALE).today()}.csv`;
    expect(await screen.findByText(`Exported 1 event to /home/till/Downloads/${name}.`)).toBeInTheDocument();
    expect(calls.find((c) => c.name === "export_audit_csv")?.input).toEqual({ category: "catalogue" });
    expect(calls.filter((c) => c.name === "save_export").map((c) => c.input)).toEqual([{ fileName: name, contents: "seq,kind\n12,price_changed\n" }]);
  });

  it("shows a failed export where the user is looking", async () => {
    renderScreen(
      () => [],
      () => {
        throw { kind: "forbidden", message: "cashier 'Cate' is not allowed to view_audit", details: {} };
      },
    );
    expect(await screen.findByText("No events match.")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("not allowed to view_audit");
  });
});
