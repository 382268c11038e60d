import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { AlertPage } from "../../bindings/AlertPage";
import type { AlertView } from "../../bindings/AlertView";
import { renderWithStore } from "../../test/renderWithStore";
import { AlertsScreen } from "./AlertsScreen";
import { AlertNavBadge, resetAnnounced } from "./AlertBadge";
import { NavigationContext, type NavigationTarget } from "../../lib/navigation";

afterEach(() => {
  clearMocks();
  resetAnnounced();
  vi.unstubAllGlobals();
});

const LOW: AlertView = {
  alert_id: "a1",
  store_id: "s1",
  alert_type: "low_stock",
  severity: "warning",
  status: "active",
  subject_kind: "product",
  subject_id: "p1",
  subject_name: "Amoxicillin 500mg",
  product_id: "p1",
  product_name: "Amoxicillin 500mg",
  product_sku: "AMX-500",
  batch_id: null,
  title: "Low stock: Amoxicillin 500mg",
  message: "Amoxicillin 500mg: 4 capsule available, reorder point 10",
  raised_at: "2026-11-30T09:00:00Z",
  raised_by: "ada",
  updated_at: "2026-11-30T09:00:00Z",
  acknowledged_at: null,
  acknowledged_by: null,
  acknowledged_note: null,
  resolved_at: null,
  resolved_by: null,
  resolved_note: null,
  dismissed_at: null,
  dismissed_by: null,
  dismissed_note: null,
  notified_at: null,
  last_notified_at: null,
  notified_count: 0,
};

const FRIDGE: AlertView = {
  ...LOW,
  alert_id: "a2",
  alert_type: "temperature_excursion",
  severity: "critical",
  subject_kind: "excursion",
  subject_id: "e1",
  subject_name: "Vaccine fridge",
  message: "Vaccine fridge: 12 °C, above 8 °C",
};

const page = (rows: AlertView[]): AlertPage => ({ rows, total: rows.length, open: { critical: 1, warning: 1, info: 0 } });

describe("AlertsScreen", () => {
  it("opens the stock of the alert's product, found by its SKU", async () => {
    const opened: NavigationTarget[] = [];
    renderWithStore(
      <NavigationContext.Provider value={(t) => opened.push(t)}>
        <AlertsScreen />
      </NavigationContext.Provider>,
      (name) => (name === "list_alerts" ? page([FRIDGE, LOW]) : undefined),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Amoxicillin 500mg" }));
    fireEvent.click(screen.getByRole("button", { name: "Vaccine fridge" }));
    expect(opened).toEqual([
      { screen: "stock", filter: { product_id: "p1", product_query: "AMX-500" } },
      { screen: "coldchain" },
    ]);
  });

  it("lists open alerts with their severity and filters by type", async () => {
    const calls = renderWithStore(<AlertsScreen />, (name) => (name === "list_alerts" ? page([FRIDGE, LOW]) : undefined));
    const row = (await screen.findByText("Amoxicillin 500mg")).closest("tr")!;
    expect(within(row).getByText("Warning")).toBeInTheDocument();
    expect(within(row).getByText("Low stock")).toBeInTheDocument();
    expect(screen.getByText("Open: 1 critical, 1 warnings, 0 for information.")).toBeInTheDocument();
    expect(calls[0]).toEqual({ name: "list_alerts", input: expect.objectContaining({ open_only: true, limit: 50, offset: 0 }) });
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "recall" } });
    await waitFor(() => expect(calls.at(-1)?.input).toEqual(expect.objectContaining({ alert_type: "recall" })));
  });

  it("acknowledges an alert with a note", async () => {
    const calls = renderWithStore(<AlertsScreen />, (name) => {
      if (name === "list_alerts") return page([LOW]);
      if (name === "acknowledge_alert") return { ...LOW, status: "acknowledged" };
      return undefined;
    });
    const row = (await screen.findByText("Amoxicillin 500mg")).closest("tr")!;
    fireEvent.click(within(row).getByRole("button", { name: "Acknowledge…" }));
    const dialog = await screen.findByRole("dialog", { name: "Acknowledge alert" });
    fireEvent.change(within(dialog).getByLabelText("Note"), { target: { value: "ordering Monday" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Acknowledge alert" }));
    expect(await screen.findByText("Acknowledged: Amoxicillin 500mg.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "acknowledge_alert")?.input).toEqual({ alert_id: "a1", note: "ordering Monday" });
  });

  it("offers no resolve or dismiss for an excursion (its lots decide it)", async () => {
    renderWithStore(<AlertsScreen />, (name) => (name === "list_alerts" ? page([FRIDGE]) : undefined));
    const row = (await screen.findByText("Vaccine fridge")).closest("tr")!;
    expect(within(row).getByRole("button", { name: "Acknowledge…" })).toBeInTheDocument();
    expect(within(row).queryByRole("button", { name: "Resolve…" })).toBeNull();
  });

  it("hides the steps from a cashier", async () => {
    renderWithStore(<AlertsScreen />, (name) => (name === "list_alerts" ? page([LOW]) : undefined), { role: "cashier" });
    const row = (await screen.findByText("Amoxicillin 500mg")).closest("tr")!;
    expect(within(row).queryByRole("button", { name: "Acknowledge…" })).toBeNull();
  });
});

describe("AlertNavBadge", () => {
  it("shows the critical count, announces an unannounced critical alert and records it", async () => {
    const shown: { title: string; body?: string }[] = [];
    class FakeNotification {
      static permission = "granted";
      static requestPermission = vi.fn();
      constructor(title: string, opts?: { body?: string }) {
        shown.push({ title, body: opts?.body });
      }
    }
    vi.stubGlobal("Notification", FakeNotification);
    const calls = renderWithStore(<AlertNavBadge />, (name) => {
      if (name === "list_alerts") return page([FRIDGE]);
      if (name === "record_alert_notification") return { ...FRIDGE, notified_count: 1 };
      return undefined;
    });
    expect(await screen.findByRole("status", { name: "1 critical, 1 warnings, 0 for information" })).toHaveTextContent("1");
    await waitFor(() => expect(shown).toEqual([{ title: "Critical alert: Temperature excursion", body: FRIDGE.message }]));
    expect(calls[0]).toEqual({ name: "list_alerts", input: expect.objectContaining({ severity: "critical", open_only: true, notified: false }) });
    await waitFor(() =>
      expect(calls.filter((c) => c.name === "record_alert_notification")).toEqual([
        { name: "record_alert_notification", input: { alert_id: "a2", channel: "desktop" } },
      ]),
    );
  });

  it("records nothing when notifications are refused", async () => {
    const requestPermission = vi.fn(() => Promise.resolve("denied"));
    class RefusedNotification {
      static permission = "default";
      static requestPermission = requestPermission;
      constructor() {
        throw new Error("never constructed");
      }
    }
    vi.stubGlobal("Notification", RefusedNotification);
    const calls = renderWithStore(<AlertNavBadge />, (name) => (name === "list_alerts" ? page([FRIDGE]) : undefined));
    expect(await screen.findByRole("status", { name: "1 critical, 1 warnings, 0 for information" })).toBeInTheDocument();
    await waitFor(() => expect(requestPermission).toHaveBeenCalledTimes(1));
    await new Promise((r) => setTimeout(r, 20));
    expect(calls.map((c) => c.name)).not.toContain("record_alert_notification");
  });

  it("shows nothing when no alert is open", async () => {
    const calls = renderWithStore(<AlertNavBadge />, (name) =>
      name === "list_alerts" ? { rows: [], total: 0, open: { critical: 0, warning: 0, info: 0 } } : undefined,
    );
    await waitFor(() => expect(calls.length).toBe(1));
    expect(screen.queryByRole("status")).toBeNull();
  });
});
