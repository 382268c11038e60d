import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { Store } from "../../bindings/Store";
import type { User } from "../../bindings/User";
import { UsersScreen } from "./UsersScreen";

afterEach(() => clearMocks());

const STORE = (id: string, code: string, name: string): Store => ({
  id, code, name, timezone: "Africa/Lagos", currency: "NGN", locale: "en-NG", tax_number: null, licence_number: null, address: null, phone: null,
  adjustment_approval_units: "10", adjustment_approval_value: "100.00", stock_freeze_date: null, is_active: true, installation_id: "i1",
});

const BOLA: User = {
  id: "u1", name: "Bola", role: "cashier", store_id: "s1", head_office: false, is_active: true, has_pin: true,
  created_at: "2026-11-22T09:00:00.000Z",
  stores: [
    { store_id: "s1", store_code: "LEK", store_name: "Lekki", role: "cashier", created_at: "2026-11-22T09:00:00.000Z" },
    { store_id: "s2", store_code: "IKJ", store_name: "Ikeja", role: "manager", created_at: "2026-11-22T09:00:00.000Z" },
  ],
};
const HQ: User = {
  id: "u2", name: "Hadiza", role: "head_office", store_id: null, head_office: true, is_active: true, has_pin: true,
  created_at: "2026-11-22T09:00:00.000Z", stores: [],
};

function renderScreen(): { name: string; input: Record<string, unknown> }[] {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    if (name === "list_users") return [BOLA, HQ];
    if (name === "list_stores") return [STORE("s2", "IKJ", "Ikeja"), STORE("s1", "LEK", "Lekki")];
    if (name === "remove_user_store") return { ...BOLA, stores: [BOLA.stores[0]] };
    if (name === "assign_user_store") return BOLA;
    if (name === "update_user") return { ...BOLA, is_active: input["is_active"] ?? BOLA.is_active };
    throw new Error(`unexpected call ${name}`);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <UsersScreen />
    </QueryClientProvider>,
  );
  return calls;
}

describe("UsersScreen", () => {
  it("shows each user's stores with the role in each, and head office", async () => {
    renderScreen();
    const table = await screen.findByRole("table", { name: "Users" });
    const rows = (await within(table).findAllByRole("row")).slice(1);
    expect(rows[0]).toHaveTextContent("Lekki: cashier, Ikeja: manager");
    expect(rows[1]).toHaveTextContent("head office");
  });

  it("removes a user from a store and assigns them to another", async () => {
    const calls = renderScreen();
    const table = await screen.findByRole("table", { name: "Users" });
    fireEvent.click(await within(table).findByRole("button", { name: "Edit Bola" }));
    fireEvent.click(await screen.findByRole("button", { name: "Remove Bola from Ikeja" }));
    // A confirmation says what removing does before anything is sent.
    const confirm = await screen.findByRole("alertdialog", { name: "Remove Bola from Ikeja?" });
    expect(confirm).toHaveTextContent("Bola will no longer work in Ikeja (now manager there).");
    expect(calls.some((c) => c.name === "remove_user_store")).toBe(false);
    fireEvent.click(within(confirm).getByRole("button", { name: "Remove from Ikeja" }));
    await waitFor(() => expect(calls.some((c) => c.name === "remove_user_store")).toBe(true));
    expect(calls.find((c) => c.name === "remove_user_store")?.input).toEqual({ user_id: "u1", store_id: "s2" });
    expect(await screen.findByText("Bola no longer works in Ikeja.")).toBeInTheDocument();

    fireEvent.click(await within(table).findByRole("button", { name: "Edit Bola" }));
    await screen.findByRole("option", { name: "Ikeja (IKJ)" });
    fireEvent.change(screen.getByLabelText("Role in that store"), { target: { value: "manager" } });
    fireEvent.click(screen.getByRole("button", { name: "Assign" }));
    await waitFor(() => expect(calls.some((c) => c.name === "assign_user_store")).toBe(true));
    expect(calls.find((c) => c.name === "assign_user_store")?.input).toEqual({ user_id: "u1", store_id: "s2", role: "manager" });
  });

  it("says what deactivating a user does before doing it", async () => {
    const calls = renderScreen();
    const table = await screen.findByRole("table", { name: "Users" });
    fireEvent.click(await within(table).findByRole("button", { name: "Edit Bola" }));
    fireEvent.click(await screen.findByRole("button", { name: "Deactivate…" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Deactivate Bola?" });
    expect(confirm).toHaveTextContent("Bola (Cashier) will no longer be able to sign in or approve anything.");
    expect(confirm).toHaveTextContent("Stores: Lekki: cashier, Ikeja: manager");
    // Focus starts on the safe choice.
    await waitFor(() => expect(document.activeElement).toHaveTextContent("Cancel"));
    expect(calls.some((c) => c.name === "update_user")).toBe(false);
    fireEvent.click(within(confirm).getByRole("button", { name: "Deactivate" }));
    expect(await screen.findByText("Bola deactivated.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "update_user")?.input).toEqual({ id: "u1", is_active: false });
  });
});
