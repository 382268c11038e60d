import { afterEach, describe, expect, it } from "vitest";
import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { emit } from "@tauri-apps/api/event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { COMMAND_KEY, staleAfter, SYNC_STATUS_KEY, SYNC_VIEW_KEY, TILL_CONFIG_KEY, wireDataChanged } from "./queries";

afterEach(() => clearMocks());

describe("staleAfter", () => {
  it("refreshes everything after a stock or money change", () => {
    for (const c of ["complete_sale", "receive_stock", "hold_cart", "return_items", "void_sale", "close_shift"]) {
      expect(staleAfter(c)).toEqual([{ queryKey: [COMMAND_KEY] }]);
    }
  });

  it("refreshes only the held carts after a cart edit the till has already drawn", () => {
    for (const c of ["add_cart_line", "update_cart_line", "remove_cart_line", "set_line_discount", "override_line_price"]) {
      expect(staleAfter(c)).toEqual([{ queryKey: [COMMAND_KEY, "list_held_carts"] }]);
    }
  });

  it("refreshes only the sync status when a sync run starts or ends, everything after registering", () => {
    expect(staleAfter("sync")).toEqual([{ queryKey: SYNC_STATUS_KEY }]);
    expect(staleAfter("configure_sync")).toEqual([{ queryKey: [COMMAND_KEY] }]);
  });

  it("after a cancelled cart marks every read stale but refetches only the held carts and the sync backlog", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    const fetched: string[] = [];
    // The till's open reads: an observer each, as a mounted screen has.
    const open = ["get_shift_report", "list_alerts", "list_held_carts", "get_sync_status"];
    const unsubscribe = open.map((name) => {
      client.setQueryData([COMMAND_KEY, name, {}], "fresh");
      const observer = new QueryObserver(client, {
        queryKey: [COMMAND_KEY, name, {}],
        queryFn: () => {
          fetched.push(name);
          return "new";
        },
      });
      return observer.subscribe(() => undefined);
    });
    // A screen that is not open.
    client.setQueryData([COMMAND_KEY, "list_products", {}], "fresh");
    const stop = await wireDataChanged(client);
    await emit("data-changed", { command: "cancel_cart" });
    await new Promise((r) => setTimeout(r, 0));
    expect(fetched.sort()).toEqual(["get_sync_status", "list_held_carts"]);
    // The rest are stale, refetched when their screen next asks.
    for (const name of ["get_shift_report", "list_alerts", "list_products"]) {
      expect(client.getQueryState([COMMAND_KEY, name, {}])?.isInvalidated, name).toBe(true);
    }
    // A sale, by contrast, refetches every open read.
    fetched.length = 0;
    await emit("data-changed", { command: "complete_sale" });
    await new Promise((r) => setTimeout(r, 0));
    expect(fetched.sort()).toEqual([...open].sort());
    stop();
    unsubscribe.forEach((u) => u());
  });
});

describe("wireDataChanged", () => {
  it("refreshes the sync view when a run starts or ends and after registering, not after a sale", async () => {
    mockIPC(() => null, { shouldMockEvents: true });
    const client = new QueryClient();
    const keys = [SYNC_VIEW_KEY, SYNC_STATUS_KEY, [COMMAND_KEY, "list_products", {}], TILL_CONFIG_KEY] as const;
    for (const key of keys) client.setQueryData(key, "fresh");
    const stale = () => keys.filter((key) => client.getQueryState(key)?.isInvalidated).map((key) => key[1]);
    const stop = await wireDataChanged(client);
    await emit("data-changed", { command: "complete_sale" });
    expect(stale()).toEqual(["get_sync_status", "list_products"]);
    for (const key of keys) client.setQueryData(key, "fresh");
    await emit("data-changed", { command: "sync" });
    expect(stale()).toEqual(["sync_view", "get_sync_status"]);
    for (const key of keys) client.setQueryData(key, "fresh");
    await emit("data-changed", { command: "configure_sync" });
    expect(stale()).toEqual(["sync_view", "get_sync_status", "list_products"]);
    stop();
  });
});
