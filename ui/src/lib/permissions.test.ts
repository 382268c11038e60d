import { describe, expect, it } from "vitest";

import { firstScreen, screensFor } from "../features/shell/screens";
import { roleInStore, roleMayRun } from "./permissions";

describe("screens follow the engine's permission table", () => {
  it("a cashier sees the till but not receiving, expiry, audit, backup or users", () => {
    const ids = screensFor("cashier").map((s) => s.id);
    expect(ids).toContain("till");
    expect(ids).toContain("stock");
    for (const hidden of ["receiving", "expiry", "audit", "backup", "users", "security", "settings", "suppliers"]) {
      expect(ids).not.toContain(hidden);
    }
    // Any store staff may ask for a write-off (over the threshold it waits); only managers decide.
    expect(roleMayRun("cashier", "writeoff_batch")).toBe(true);
    expect(roleMayRun("cashier", "approve_adjustment")).toBe(false);
    expect(ids).not.toContain("approvals");
    expect(firstScreen("cashier")).toBe("till");
  });

  it("a manager runs the store but not its users or details, and starts at the dashboard", () => {
    const ids = screensFor("manager").map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(["dashboard", "receiving", "expiry", "audit", "backup", "security", "settings"]));
    expect(ids).not.toContain("users");
    expect(roleMayRun("manager", "update_store")).toBe(false);
    expect(firstScreen("manager")).toBe("dashboard");
    expect(roleMayRun("manager", "approve_adjustment")).toBe(true);
    expect(ids).toContain("approvals");
  });

  it("head office reads but does not sell", () => {
    const ids = screensFor("head_office").map((s) => s.id);
    expect(ids).not.toContain("till");
    expect(ids).toContain("audit");
    expect(firstScreen("head_office")).toBe(ids[0]);
  });

  it("uses the role held in the user's own store", () => {
    const user = {
      role: "admin" as const,
      store_id: "s2",
      stores: [
        { store_id: "s1", role: "admin" as const },
        { store_id: "s2", role: "cashier" as const },
      ],
    };
    expect(roleInStore(user)).toBe("cashier");
  });
});
