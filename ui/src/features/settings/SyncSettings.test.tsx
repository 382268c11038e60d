import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import axe from "axe-core";

import type { Role } from "../../bindings/Role";
import type { SyncStatus } from "../../bindings/SyncStatus";
import type { SyncView } from "../../bindings/shell/SyncView";
import { renderInStore } from "../../test-utils";
import { SyncSettings } from "./SyncSettings";

afterEach(() => clearMocks());

const NOT_LINKED: SyncStatus = {
  store_id: "store-1",
  configured: false,
  server_url: null,
  acknowledged_seq: 0,
  local_head_seq: 40,
  backlog: 40,
  last_attempt_at: null,
  last_success_at: null,
  last_error: null,
  last_pull_at: null,
  inbox_waiting: 0,
  inbox_failures: [],
};

const LINKED: SyncStatus = {
  ...NOT_LINKED,
  configured: true,
  server_url: "https://sync.example.com",
  acknowledged_seq: 40,
  backlog: 0,
  last_attempt_at: "2026-11-30T09:42:00Z",
  last_success_at: "2026-11-30T09:42:00Z",
};

const IDLE: SyncView = {
  secret_store: "keyring",
  online: null,
  running: false,
  last_run_at: null,
  last_events_sent: 0,
  failures: 0,
  next_attempt_at: null,
  problem: null,
};

type Shell = {
  status: () => SyncStatus;
  view?: () => SyncView;
  register?: (args: { serverUrl: string; secret: string }) => SyncView;
  syncNow?: () => SyncView | Promise<SyncView>;
};

/** Renders the section over a mocked shell; every shell command asked, in order. */
function renderSync(shell: Shell, role: Role = "admin"): { cmd: string; args: unknown }[] {
  const calls: { cmd: string; args: unknown }[] = [];
  mockIPC((cmd, args) => {
    calls.push({ cmd, args });
    if (cmd === "call") {
      const { name } = args as { name: string };
      if (name === "get_sync_status") return shell.status();
      throw new Error(`unexpected engine command ${name}`);
    }
    if (cmd === "sync_view") return (shell.view ?? (() => IDLE))();
    if (cmd === "register_sync" && shell.register) return shell.register(args as { serverUrl: string; secret: string });
    if (cmd === "sync_now" && shell.syncNow) return shell.syncNow();
    throw new Error(`unexpected ${cmd}`);
  });
  renderInStore(<SyncSettings />, { role });
  return calls;
}

describe("SyncSettings", () => {
  it("registers the store, clears the secret and shows the link", async () => {
    let status = NOT_LINKED;
    const calls = renderSync({
      status: () => status,
      register: ({ serverUrl }) => {
        status = { ...LINKED, server_url: serverUrl };
        return IDLE;
      },
    });
    expect(await screen.findByTestId("sync-server")).toHaveTextContent("not registered");
    const form = screen.getByRole("form", { name: "Register with the central server" });
    fireEvent.change(within(form).getByLabelText("Server address"), { target: { value: " https://sync.example.com " } });
    const secret = within(form).getByLabelText("Store secret");
    expect(secret).toHaveAttribute("type", "password");
    fireEvent.change(secret, { target: { value: "s3cret-from-head-office" } });
    fireEvent.click(within(form).getByRole("button", { name: "Register" }));
    expect(await screen.findByText("Registered with https://sync.example.com. The secret is kept in this computer's keyring.")).toBeInTheDocument();
    expect(within(form).getByLabelText("Store secret")).toHaveValue("");
    await waitFor(() => expect(screen.getByTestId("sync-server")).toHaveTextContent("https://sync.example.com"));
    expect(screen.getByTestId("sync-secret-store")).toHaveTextContent("in this computer's keyring");
    expect(calls.filter((c) => c.cmd === "register_sync").map((c) => c.args)).toEqual([
      { serverUrl: "https://sync.example.com", secret: "s3cret-from-head-office" },
    ]);
    // The secret is never shown back.
    expect(document.body.textContent).not.toContain("s3cret-from-head-office");
  });

  it("says in plain words when the computer has no keyring, at the secret field, with the alternative", async () => {
    renderSync({
      status: () => NOT_LINKED,
      register: () => {
        throw {
          kind: "keyring_unavailable",
          message: "This PC has no working keyring to keep the store's sync secret in (Platform secure storage failure). Start one …",
          details: { reason: "Platform secure storage failure", alternative: "PHARMAPOS_SYNC_SECRET_DIR" },
        };
      },
    });
    const form = await screen.findByRole("form", { name: "Register with the central server" });
    fireEvent.change(within(form).getByLabelText("Server address"), { target: { value: "https://sync.example.com" } });
    fireEvent.change(within(form).getByLabelText("Store secret"), { target: { value: "s3cret" } });
    fireEvent.click(within(form).getByRole("button", { name: "Register" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveAttribute("data-kind", "keyring_unavailable");
    expect(alert).toHaveTextContent("No keyring for the sync secret");
    expect(alert).toHaveTextContent("Check “Store secret”: This computer has no working keyring to keep the sync secret in.");
    expect(within(form).getByLabelText("Store secret")).toHaveAccessibleDescription(/PHARMAPOS_SYNC_SECRET_DIR/);
    expect(within(form).getByLabelText("Store secret")).toHaveAttribute("aria-invalid", "true");
    const result = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(result.violations.map((v) => v.id)).toEqual([]);
  }, 30_000);

  it("names a missing field and a bad address at their fields", async () => {
    const calls = renderSync({
      status: () => NOT_LINKED,
      register: () => {
        throw { kind: "invalid_input", message: "server URL must start with http:// or https://", details: { field: "server_url" } };
      },
    });
    const form = await screen.findByRole("form", { name: "Register with the central server" });
    fireEvent.change(within(form).getByLabelText("Server address"), { target: { value: "https://sync.example.com" } });
    fireEvent.click(within(form).getByRole("button", { name: "Register" }));
    expect(within(form).getByLabelText("Store secret")).toHaveAccessibleDescription(/Enter the store's secret/);
    expect(calls.some((c) => c.cmd === "register_sync")).toBe(false);
    fireEvent.change(within(form).getByLabelText("Server address"), { target: { value: "sync.example.com" } });
    fireEvent.change(within(form).getByLabelText("Store secret"), { target: { value: "s3cret" } });
    fireEvent.click(within(form).getByRole("button", { name: "Register" }));
    await waitFor(() => expect(within(form).getByLabelText("Server address")).toHaveAccessibleDescription(/Server URL must start with http/));
  });

  it("shows a manager the status and Sync now but no register form", async () => {
    renderSync({ status: () => LINKED, view: () => ({ ...IDLE, online: true }) }, "manager");
    expect(await screen.findByTestId("sync-server")).toHaveTextContent("https://sync.example.com");
    expect(screen.getByTestId("sync-connection")).toHaveTextContent("online");
    expect(screen.getByRole("button", { name: "Sync now" })).toBeEnabled();
    expect(screen.queryByRole("form", { name: "Register with the central server" })).toBeNull();
    expect(screen.queryByLabelText("Store secret")).toBeNull();
  });

  it("shows the engine's refusal when an admin of another store tries to register", async () => {
    renderSync({
      status: () => NOT_LINKED,
      register: () => {
        throw { kind: "forbidden", message: "role manager lacks manage_stores", details: { user: "mary", role: "manager", permission: "manage_stores" } };
      },
    });
    const form = await screen.findByRole("form", { name: "Register with the central server" });
    fireEvent.change(within(form).getByLabelText("Server address"), { target: { value: "https://sync.example.com" } });
    fireEvent.change(within(form).getByLabelText("Store secret"), { target: { value: "s3cret" } });
    fireEvent.click(within(form).getByRole("button", { name: "Register" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Your role (manager) does not allow this.");
    // The secret stays for another try; it is not shown as text anywhere.
    expect(within(form).getByLabelText("Store secret")).toHaveValue("s3cret");
  });

  it("runs Sync now, disabled while it runs, then reports what was sent", async () => {
    let release: (v: SyncView) => void = () => undefined;
    let status: SyncStatus = { ...LINKED, backlog: 3, local_head_seq: 43 };
    const calls = renderSync({
      status: () => status,
      syncNow: () =>
        new Promise<SyncView>((resolve) => {
          release = resolve;
        }),
    });
    const button = await screen.findByRole("button", { name: "Sync now" });
    expect(screen.getByTestId("sync-backlog")).toHaveTextContent("3");
    fireEvent.click(button);
    await waitFor(() => expect(screen.getByRole("button", { name: "Syncing…" })).toBeDisabled());
    status = { ...LINKED, acknowledged_seq: 43, local_head_seq: 43, last_success_at: "2026-11-30T09:50:00Z" };
    release({ ...IDLE, online: true, last_run_at: "2026-11-30T09:50:00Z", last_events_sent: 3 });
    expect(await screen.findByText("Sync finished: 3 events sent.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sync now" })).toBeEnabled();
    await waitFor(() => expect(screen.getByTestId("sync-backlog")).toHaveTextContent("0"));
    expect(calls.filter((c) => c.cmd === "sync_now")).toHaveLength(1);
  });

  it("puts the last error in words, the kind only among the details, and the next attempt", async () => {
    renderSync({
      status: () => ({
        ...LINKED,
        backlog: 120,
        last_error: { kind: "unreachable", message: "connection refused", retryable: true, at: "2026-11-30T10:00:00Z" },
      }),
      view: () => ({ ...IDLE, online: false, failures: 3, next_attempt_at: "2026-11-30T10:05:00Z", secret_store: "file" }),
    });
    const error = await screen.findByTestId("sync-last-error");
    expect(error).toHaveTextContent("The central server could not be reached");
    expect(within(error).getByText("unreachable").closest("details")).not.toBeNull();
    expect(screen.getByTestId("sync-connection")).toHaveTextContent("offline");
    expect(screen.getByTestId("sync-backlog")).toHaveTextContent("120");
    expect(screen.getByTestId("sync-next-attempt")).toHaveTextContent("3 failed in a row");
    expect(screen.getByTestId("sync-secret-store")).toHaveTextContent("PHARMAPOS_SYNC_SECRET_DIR");
  });

  it("lists changes from other stores that could not be applied, with why, and when it last received", async () => {
    renderSync({
      status: () => ({
        ...LINKED,
        last_pull_at: "2026-11-30T10:00:00Z",
        inbox_waiting: 1,
        inbox_failures: [
          {
            event_id: "ev-1",
            from_store_id: "store-2",
            from_store_name: "Lekki Pharmacy",
            change_type: "transfer_shipped",
            subject: "LEKKI-T0007",
            error_kind: "not_found",
            error_message: "product Amoxicillin 500mg (p-1) not found",
            attempts: 2,
            last_attempt_at: "2026-11-30T10:00:00Z",
          },
        ],
      }),
    });
    const failure = await screen.findByTestId("sync-inbox-failure");
    expect(failure).toHaveTextContent("a shipment to this store from Lekki Pharmacy (LEKKI-T0007)");
    expect(failure).toHaveTextContent("Amoxicillin 500mg");
    expect(failure).toHaveTextContent("tried 2 times");
    expect(screen.getByTestId("sync-inbox-waiting")).toHaveTextContent("1");
    expect(screen.getByTestId("sync-last-pull")).not.toHaveTextContent("never");
  });

  it("shows no failures section when every pulled change applied", async () => {
    renderSync({ status: () => LINKED });
    await screen.findByTestId("sync-facts");
    expect(screen.queryByTestId("sync-inbox-failures")).toBeNull();
    expect(screen.getByTestId("sync-last-pull")).toHaveTextContent("never");
  });

  it("shows a link with no secret saved as a problem, in words", async () => {
    renderSync({
      status: () => LINKED,
      view: () => ({
        ...IDLE,
        problem: { kind: "sync_secret_missing", message: "No sync secret is saved on this PC for store store-1", details: { store_id: "store-1" } },
      }),
    });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Sync secret missing");
    expect(alert).toHaveTextContent("An administrator registers the store again (Settings → Sync)");
  });

  it("says a secret file others can read is not used", async () => {
    renderSync({
      status: () => LINKED,
      view: () => ({
        ...IDLE,
        secret_store: "file",
        problem: {
          kind: "keyring_unavailable",
          message: "/secrets/store-1.secret can be read by other users (mode 644)",
          details: { reason: "secret_file_not_private", path: "/secrets/store-1.secret" },
        },
      }),
    });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The sync secret file /secrets/store-1.secret can be read by other users, so it is not used.");
    expect(screen.getByTestId("sync-secret-store")).toHaveTextContent("in a private file");
  });
});
