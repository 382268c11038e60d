// The app's phases from the shell's status: setup, unavailable database,
// sign-in, and the main window with its status bar.
import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { App } from "./App";
import type { AppStatus } from "./bindings/shell/AppStatus";

afterEach(() => clearMocks());

function status(over: Partial<AppStatus>): AppStatus {
  return { db_path: "/data/store.db", state: "ready", error: null, idle_lock_seconds: 0, version: "0.1.0", demo: false, ...over };
}

function renderApp(handlers: Record<string, (args: unknown) => unknown>) {
  mockIPC((cmd, args) => {
    const h = handlers[cmd];
    if (!h) throw new Error(`unexpected command ${cmd}`);
    return h(args);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

describe("App", () => {
  it("shows setup on an empty database", async () => {
    renderApp({ app_status: () => status({ state: "needs_setup" }) });
    expect(await screen.findByRole("heading", { name: "Welcome to PharmaPOS" })).toBeInTheDocument();
  });

  it("explains a database from a newer PharmaPOS instead of crashing", async () => {
    renderApp({
      app_status: () =>
        status({
          state: "unavailable",
          error: { kind: "schema_too_new", message: "this database uses schema version 9", details: { file_version: 9, program_version: 1 } },
        }),
    });
    expect(await screen.findByRole("heading", { name: "The store database cannot be opened" })).toBeInTheDocument();
    expect(screen.getByText(/written by a newer version of PharmaPOS/)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("schema version 9");
  });

  it("goes to sign-in without a session", async () => {
    renderApp({ app_status: () => status({}), current_session: () => null, list_sign_in_users: () => [] });
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeInTheDocument();
  });

  it("opens the main window for a signed-in user, with shortcuts and the status bar", async () => {
    renderApp({
      app_status: () => status({}),
      current_session: () => ({ user: { id: "u1", name: "Bola", role: "cashier", store_id: "s1", head_office: false, stores: [{ store_id: "s1", role: "cashier" }] } }),
      till_config: () => ({ till_id: "TILL-1A2B", source: "config_file", config_path: "/data/store.till.json", renamable: true }),
      call: (args) => {
        const { name } = args as { name: string };
        if (name === "list_stores") return [{ id: "s1", code: "LEK", name: "Lekki Pharmacy" }];
        if (name === "search_products") return [];
        // No open shift on this till yet.
        if (name === "get_shift_report")
          throw { kind: "no_open_shift", message: "till TILL-1A2B has no open shift", details: { terminal_id: "TILL-1A2B" } };
        throw new Error(`unexpected call ${name}`);
      },
    });
    // A cashier starts on the till, which asks for the shift's float first.
    expect(await screen.findByRole("heading", { name: "Till" })).toBeInTheDocument();
    expect(await screen.findByRole("form", { name: "Open the shift" })).toBeInTheDocument();
    // The till id is the shell's, shown on the shift form and in the status bar.
    expect(screen.getByTestId("open-shift-till")).toHaveTextContent("TILL-1A2B");
    expect(screen.getByTestId("status-till")).toHaveTextContent("Till: TILL-1A2B");
    expect(await screen.findByText("Lekki Pharmacy (LEK)")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /Till/ })).toHaveAttribute("aria-keyshortcuts", "Alt+1");
    expect(screen.getByRole("button", { name: /Stock/ })).toHaveAttribute("aria-keyshortcuts", "Alt+3");
    // A cashier sees neither user management nor backup.
    expect(screen.queryByRole("button", { name: /Users/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Backup/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Security log/ })).toBeNull();
    expect(screen.queryByRole("button", { name: /Settings/ })).toBeNull();
  });

  it("shows the keys in a dialog on F1 that Esc closes, and the appearance for everyone", async () => {
    renderApp({
      app_status: () => status({}),
      current_session: () => ({ user: { id: "u1", name: "Bola", role: "cashier", store_id: "s1", head_office: false, stores: [{ store_id: "s1", role: "cashier" }] } }),
      till_config: () => ({ till_id: "TILL-1A2B", source: "config_file", config_path: "/data/store.till.json", renamable: true }),
      call: (args) => {
        const { name } = args as { name: string };
        if (name === "list_stores") return [{ id: "s1", code: "LEK", name: "Lekki Pharmacy", currency: "NGN", timezone: "Africa/Lagos" }];
        if (name === "search_products") return [];
        if (name === "get_shift_report") throw { kind: "no_open_shift", message: "no open shift", details: { terminal_id: "TILL-1A2B" } };
        if (name === "list_alerts") return { rows: [], total: 0, open: { critical: 0, warning: 0, info: 0 } };
        throw new Error(`unexpected call ${name}`);
      },
    });
    await screen.findByRole("heading", { name: "Till" });
    // F1 toggles the dialog; press it once the window listens (on a loaded
    // machine the first press can land while the layout still mounts).
    await waitFor(() => {
      if (!screen.queryByRole("dialog", { name: "Keyboard shortcuts" })) fireEvent.keyDown(window, { key: "F1" });
      expect(screen.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeInTheDocument();
    });
    const keys = screen.getByRole("dialog", { name: "Keyboard shortcuts" });
    expect(keys).toHaveTextContent("Alt+L lock the till");
    fireEvent.keyDown(keys, { key: "Escape" });
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());

    fireEvent.click(screen.getByRole("button", { name: "Appearance" }));
    expect(await screen.findByRole("dialog", { name: "Appearance" })).toBeInTheDocument();
  });
});
