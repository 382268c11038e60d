import { afterEach, describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { QueryClient } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { SyncStatus } from "../../bindings/SyncStatus";
import type { SyncView } from "../../bindings/shell/SyncView";
import { SYNC_VIEW_KEY } from "../../lib/queries";
import { renderInStore } from "../../test-utils";
import { StatusBar } from "./StatusBar";

afterEach(() => clearMocks());

const LINKED: SyncStatus = {
  store_id: "store-1",
  configured: true,
  server_url: "https://sync.example.com",
  acknowledged_seq: 40,
  local_head_seq: 40,
  backlog: 0,
  last_attempt_at: "2026-11-30T09:42:00Z",
  last_success_at: "2026-11-30T09:42:00Z",
  last_error: null,
  last_pull_at: null,
  inbox_waiting: 0,
  inbox_failures: [],
};

const IDLE: SyncView = {
  secret_store: "keyring",
  online: true,
  running: false,
  last_run_at: "2026-11-30T09:42:00Z",
  last_events_sent: 0,
  failures: 0,
  next_attempt_at: null,
  problem: null,
};

/** The status bar over a mocked shell answering the sync status and view given. */
function renderBar(status: SyncStatus, view: SyncView, client?: QueryClient) {
  mockIPC((cmd, args) => {
    if (cmd === "till_config") return { till_id: "FRONT-1", source: "config_file", config_path: "/d/t.json", renamable: true };
    if (cmd === "sync_view") return view;
    if (cmd === "call") {
      const { name } = args as { name: string };
      if (name === "list_stores") return [];
      if (name === "get_sync_status") return status;
    }
    throw new Error(`unexpected ${cmd}`);
  });
  renderInStore(
    <StatusBar
      status={{ db_path: "/d/store.db", state: "ready", error: null, idle_lock_seconds: 0, version: "0.1.0", demo: false }}
      user={{ id: "u1", name: "Ada", role: "admin", store_id: "store-1", head_office: false, stores: [] }}
    />,
    { client },
  );
}

async function syncItem(state: string): Promise<HTMLElement> {
  const item = screen.getByTestId("status-sync");
  await waitFor(() => expect(item).toHaveAttribute("data-sync-state", state));
  return item;
}

describe("the status bar's sync", () => {
  it("says when the store is not linked", async () => {
    renderBar({ ...LINKED, configured: false, server_url: null, backlog: 40, last_success_at: null, last_attempt_at: null }, { ...IDLE, online: null });
    const item = await syncItem("not_configured");
    expect(item).toHaveTextContent("Sync: not configured");
    expect(item).toHaveAttribute("title", expect.stringContaining("Settings → Sync"));
  });

  it("shows the last success in the store's time zone when up to date", async () => {
    renderBar(LINKED, IDLE);
    const item = await syncItem("up_to_date");
    // 09:42 UTC is 10:42 in Lagos.
    expect(item.textContent).toMatch(/^Sync: up to date · 10:42/);
  });

  it("shows a run in progress", async () => {
    renderBar({ ...LINKED, backlog: 5 }, { ...IDLE, running: true });
    expect(await syncItem("syncing")).toHaveTextContent("Sync: syncing…");
  });

  it("counts what waits while offline", async () => {
    renderBar(
      { ...LINKED, backlog: 120, last_error: { kind: "unreachable", message: "connection refused", retryable: true, at: "2026-11-30T10:00:00Z" } },
      { ...IDLE, online: false, failures: 2, next_attempt_at: "2026-11-30T10:01:00Z" },
    );
    const item = await syncItem("offline");
    expect(item).toHaveTextContent("Sync: offline · 120 waiting");
    expect(item).toHaveAttribute("title", expect.stringContaining("could not be reached"));
    expect(item.getAttribute("title")).not.toContain("unreachable");
  });

  it("counts what waits for the next push while online", async () => {
    renderBar({ ...LINKED, backlog: 7 }, IDLE);
    expect(await syncItem("waiting")).toHaveTextContent("Sync: 7 waiting");
  });

  it("shows a problem someone has to fix, with the words in the title", async () => {
    renderBar(
      { ...LINKED, backlog: 3, last_error: { kind: "unauthenticated", message: "bad secret", retryable: false, at: "2026-11-30T10:00:00Z" } },
      IDLE,
    );
    const item = await syncItem("problem");
    expect(item).toHaveTextContent("Sync: problem");
    expect(item).toHaveAttribute("title", expect.stringContaining("refused this store's secret"));
  });

  it("shows a missing secret as a problem", async () => {
    renderBar(LINKED, { ...IDLE, problem: { kind: "sync_secret_missing", message: "no secret", details: {} } });
    const item = await syncItem("problem");
    expect(item).toHaveAttribute("title", expect.stringContaining("No sync secret is saved on this computer"));
  });

  it("follows the sync view as it changes", async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    renderBar(LINKED, IDLE, client);
    await syncItem("up_to_date");
    client.setQueryData(SYNC_VIEW_KEY, { ...IDLE, running: true });
    await syncItem("syncing");
  });
});
