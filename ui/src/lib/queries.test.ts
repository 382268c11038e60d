import { describe, expect, it } from "vitest";

import { COMMAND_KEY, staleAfter, SYNC_STATUS_KEY } from "./queries";

describe("staleAfter", () => {
  it("refreshes everything after a stock or money change", () => {
    for (const c of ["complete_sale", "receive_stock", "hold_cart", "return_items", "void_sale", "close_shift"]) {
      expect(staleAfter(c)).toEqual({ queryKey: [COMMAND_KEY] });
    }
  });

  it("refreshes only the held carts after a cart edit the till has already drawn", () => {
    for (const c of ["add_cart_line", "update_cart_line", "remove_cart_line", "set_line_discount", "override_line_price"]) {
      expect(staleAfter(c)).toEqual({ queryKey: [COMMAND_KEY, "list_held_carts"] });
    }
  });

  it("refreshes only the sync status when a sync run starts or ends, everything after registering", () => {
    expect(staleAfter("sync")).toEqual({ queryKey: SYNC_STATUS_KEY });
    expect(staleAfter("configure_sync")).toEqual({ queryKey: [COMMAND_KEY] });
  });
});
