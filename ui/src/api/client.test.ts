// The typed client against a mocked Tauri IPC: argument shapes, and errors
// narrowed to ApiError whatever the shell rejected with.
import { afterEach, describe, expect, it } from "vitest";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";

import { ApiError, appStatus, backupDatabase, call, onDataChanged, registerSync, signIn, syncNow, syncView, toApiError } from "./index";

afterEach(() => clearMocks());

describe("typed client", () => {
  it("sends engine commands as call(name, input)", async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return [];
    });
    const result = await call("list_suppliers", { include_inactive: true });
    expect(result).toEqual([]);
    expect(seen).toEqual([["call", { name: "list_suppliers", input: { include_inactive: true } }]]);
  });

  it("wraps shell requests in `request`", async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return { id: "u1", name: "Ada", role: "admin", store_id: "s1", head_office: false, stores: [{ store_id: "s1", role: "admin" }] };
    });
    const user = await signIn({ name: "Ada", pin: "1234" });
    expect(user.name).toBe("Ada");
    expect(seen).toEqual([["sign_in", { request: { name: "Ada", pin: "1234" } }]]);
  });

  it("turns {kind, message, details} rejections into ApiError", async () => {
    mockIPC(() => {
      throw { kind: "insufficient_stock", message: "insufficient stock: requested 5, available 2", details: { requested: "5", available: "2" } };
    });
    const err = await call("get_product_stock", { product_id: "p" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("insufficient_stock");
    expect((err as ApiError).details["available"]).toBe("2");
  });

  it("treats bare string rejections (Tauri argument errors) as internal", async () => {
    mockIPC(() => {
      throw "invalid args `request` for command `sign_in`";
    });
    const err = await appStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).kind).toBe("internal");
    expect((err as ApiError).message).toContain("invalid args");
  });

  it("passes the backup path through", async () => {
    mockIPC((cmd, args) => (cmd === "backup_database" ? (args as { path: string }).path : null));
    await expect(backupDatabase("/tmp/b.db")).resolves.toBe("/tmp/b.db");
  });

  it("sends the sync commands with the shell's camelCase arguments", async () => {
    const seen: unknown[] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return { secret_store: "keyring", online: null, running: false, last_run_at: null, last_events_sent: 0, failures: 0, next_attempt_at: null, problem: null };
    });
    await syncView();
    await syncNow();
    await registerSync("https://sync.example.com", "s3cret");
    expect(seen).toEqual([
      ["sync_view", {}],
      ["sync_now", {}],
      ["register_sync", { serverUrl: "https://sync.example.com", secret: "s3cret" }],
    ]);
  });

  it("keeps the shell's own kinds (no keyring, a missing sync secret)", async () => {
    mockIPC(() => {
      throw { kind: "keyring_unavailable", message: "no OS keyring: set PHARMAPOS_SYNC_SECRET_DIR", details: {} };
    });
    const err = await registerSync("https://sync.example.com", "s").catch((e: unknown) => e);
    expect((err as ApiError).kind).toBe("keyring_unavailable");
    expect(toApiError({ kind: "sync_secret_missing", message: "m", details: {} }).kind).toBe("sync_secret_missing");
  });

  it("delivers data-changed events", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const got: string[] = [];
    const stop = await onDataChanged((c) => got.push(c.command));
    await emit("data-changed", { command: "receive_stock" });
    stop();
    expect(got).toEqual(["receive_stock"]);
  });
});

describe("toApiError", () => {
  it("maps unknown kinds to internal and keeps the field", () => {
    expect(toApiError({ kind: "weird", message: "m", details: {} }).kind).toBe("internal");
    expect(toApiError({ kind: "invalid_input", message: "bad", details: { field: "sku" } }).field).toBe("sku");
    expect(toApiError(new Error("boom")).message).toBe("boom");
  });

  it("knows the engine's named kinds and narrows their details by kind", () => {
    const e = toApiError({
      kind: "batch_not_sellable",
      message: "batch L-7 is recalled and cannot be used",
      details: { batch_id: "b1", batch: "L-7", reason: "recalled", expiry_date: null },
    });
    expect(e.kind).toBe("batch_not_sellable");
    // Typed access: `reason` is a BatchStatus once the kind is known.
    const reason = e.is("batch_not_sellable") ? e.details.reason : null;
    expect(reason).toBe("recalled");
    expect(e.is("insufficient_stock")).toBe(false);
    const shift = toApiError({ kind: "no_open_shift", message: "till T1 has no open shift", details: { terminal_id: "T1" } });
    expect(shift.is("no_open_shift") ? shift.details.terminal_id : null).toBe("T1");
    // The retired catch-all is not a kind any more.
    expect(toApiError({ kind: "invalid_state", message: "m", details: {} }).kind).toBe("internal");
  });
});
