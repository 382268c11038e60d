import { describe, expect, it } from "vitest";

import type { SyncStatus } from "../bindings/SyncStatus";
import type { SyncView } from "../bindings/shell/SyncView";
import { syncErrorSentence, syncState } from "./sync";

const STATUS: SyncStatus = {
  store_id: "s",
  configured: true,
  server_url: "https://sync.example.com",
  acknowledged_seq: 10,
  local_head_seq: 10,
  backlog: 0,
  last_attempt_at: null,
  last_success_at: "2026-11-30T09:42:00Z",
  last_error: null,
  last_pull_at: null,
  inbox_waiting: 0,
  inbox_failures: [],
};
const VIEW: SyncView = {
  secret_store: "keyring",
  online: true,
  running: false,
  last_run_at: null,
  last_events_sent: 0,
  failures: 0,
  next_attempt_at: null,
  problem: null,
};
const unreachable = { kind: "unreachable", message: "refused", retryable: true, at: "2026-11-30T10:00:00Z" };

describe("syncState", () => {
  it("orders the states: not configured, syncing, problem, offline, waiting, up to date", () => {
    expect(syncState({ ...STATUS, configured: false }, { ...VIEW, running: true })).toBe("not_configured");
    expect(syncState({ ...STATUS, backlog: 4 }, { ...VIEW, running: true })).toBe("syncing");
    expect(syncState(STATUS, { ...VIEW, problem: { kind: "sync_secret_missing", message: "m", details: {} } })).toBe("problem");
    expect(syncState({ ...STATUS, last_error: { ...unreachable, kind: "chain_diverged", retryable: false } }, VIEW)).toBe("problem");
    expect(syncState({ ...STATUS, backlog: 4, last_error: unreachable }, { ...VIEW, online: false })).toBe("offline");
    expect(syncState({ ...STATUS, backlog: 4 }, VIEW)).toBe("waiting");
    expect(syncState({ ...STATUS, last_error: { ...unreachable, kind: "unavailable" } }, VIEW)).toBe("waiting");
    expect(syncState(STATUS, VIEW)).toBe("up_to_date");
  });

  it("goes by the engine's last error when the shell's view is not there", () => {
    expect(syncState({ ...STATUS, backlog: 4, last_error: unreachable }, undefined)).toBe("offline");
    expect(syncState({ ...STATUS, backlog: 4 }, undefined)).toBe("waiting");
    expect(syncState({ ...STATUS, backlog: 4 }, { ...VIEW, online: null })).toBe("waiting");
  });

  it("never puts the raw kind in the words", () => {
    for (const kind of ["unreachable", "unavailable", "bad_answer", "unauthenticated", "store_not_owned", "chain_diverged", "chain_broken", "something_new"]) {
      for (const retryable of [true, false]) {
        const words = syncErrorSentence({ kind, message: "m", retryable, at: "" });
        expect(words).not.toContain(kind);
        expect(words.length).toBeGreaterThan(20);
      }
    }
  });
});
