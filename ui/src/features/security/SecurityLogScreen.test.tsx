import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { SecurityLogEntry } from "../../bindings/SecurityLogEntry";
import { isShortcut, screensFor, SCREENS } from "../shell/screens";
import { renderInStore } from "../../test-utils";
import { SecurityLogScreen } from "./SecurityLogScreen";

afterEach(() => clearMocks());

const ENTRIES: SecurityLogEntry[] = [
  {
    id: "e2", occurred_at: "2026-11-22T10:05:00.000Z", event: "approval_failed", user_name: "Mike", user_id: "u2", actor_id: "u3",
    actor_name: "Bola Ade", action: "refund above the cashier limit", outcome: "wrong_pin", detail: "wrong name or PIN",
  },
  {
    id: "e1", occurred_at: "2026-11-22T09:00:00.000Z", event: "sign_in_failed", user_name: "Ada Okafor", user_id: "u1", actor_id: null,
    actor_name: null, action: null, outcome: "wrong_pin", detail: "wrong name or PIN",
  },
];

function renderScreen(): { name: string; input: Record<string, unknown> }[] {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    if (name === "list_security_log") return input["from"] ? [ENTRIES[0]] : ENTRIES;
    throw new Error(`unexpected call ${name}`);
  });
  renderInStore(<SecurityLogScreen />);
  return calls;
}

describe("SecurityLogScreen", () => {
  it("lists failed sign-ins and approvals in plain words", async () => {
    const calls = renderScreen();
    const table = await screen.findByRole("table", { name: "Security log entries" });
    await within(table).findByText("Failed sign-in");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent("Failed approval");
    expect(rows[0]).toHaveTextContent("Bola Ade");
    expect(rows[0]).toHaveTextContent("refund above the cashier limit");
    expect(rows[1]).toHaveTextContent("Ada Okafor");
    expect(rows[1]).toHaveTextContent("wrong PIN");
    expect(calls[0]).toEqual({ name: "list_security_log", input: { limit: 200 } });
  });

  it("sends the command's own filters: from a picked day, latest N", async () => {
    const user = userEvent.setup();
    const calls = renderScreen();
    await screen.findByText("Failed sign-in");
    // The store (en-NG) writes day, month, year.
    await user.click(within(screen.getByRole("group", { name: "From" })).getAllByRole("spinbutton")[0]!);
    await user.keyboard("22112026");
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "50" } });
    await waitFor(() => expect(screen.queryByText("Failed sign-in")).toBeNull());
    const last = calls[calls.length - 1]?.input;
    expect(last?.["limit"]).toBe(50);
    // Midnight in the store's zone (Lagos, UTC+1), not the PC's.
    expect(last?.["from"]).toBe("2026-11-21T23:00:00.000Z");
  });

  it("is in the navigation for managers and admins only, on Alt+S", () => {
    expect(screensFor("admin").map((s) => s.id)).toContain("security");
    expect(screensFor("manager").map((s) => s.id)).toContain("security");
    expect(screensFor("cashier").map((s) => s.id)).not.toContain("security");
    expect(screensFor("practitioner").map((s) => s.id)).not.toContain("security");
    const entry = SCREENS.find((s) => s.id === "security");
    expect(entry && isShortcut(entry, { key: "s", code: "KeyS" })).toBe(true);
    expect(entry && isShortcut(entry, { key: "ß", code: "KeyS" })).toBe(true);
    const till = SCREENS.find((s) => s.id === "till");
    expect(till && isShortcut(till, { key: "1", code: "Digit1" })).toBe(true);
    expect(till && isShortcut(till, { key: "s", code: "KeyS" })).toBe(false);
  });
});
