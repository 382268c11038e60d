import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { AppStatus } from "../../bindings/shell/AppStatus";
import { SignInScreen } from "./SignInScreen";

const status: AppStatus = { db_path: "/tmp/t.db", state: "ready", error: null, idle_lock_seconds: 300, version: "0.1.0", demo: false };

afterEach(() => clearMocks());

function mockShell(signIn: (args: unknown) => unknown) {
  mockIPC((cmd, args) => {
    if (cmd === "list_sign_in_users")
      return [
        { id: "u1", name: "Ada", role: "admin" },
        { id: "u2", name: "Bola", role: "cashier" },
      ];
    if (cmd === "sign_in") return signIn(args);
    throw new Error(`unexpected ${cmd}`);
  });
}

describe("SignInScreen", () => {
  it("signs the chosen user in with the PIN", async () => {
    const onSignedIn = vi.fn();
    const calls: unknown[] = [];
    mockShell((args) => {
      calls.push(args);
      return { id: "u2", name: "Bola", role: "cashier", store_id: null };
    });
    render(<SignInScreen status={status} onSignedIn={onSignedIn} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: /Bola/ }));
    await user.type(screen.getByLabelText("PIN"), "2468{Enter}");
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(calls).toEqual([{ request: { name: "Bola", pin: "2468" } }]);
  });

  it("shows a wrong PIN where the user is looking and clears the field", async () => {
    mockShell(() => {
      throw { kind: "unauthenticated", message: "wrong name or PIN", details: { reason: "bad_credentials" } };
    });
    render(<SignInScreen status={status} lastUser="Ada" notice="Locked after inactivity" onSignedIn={() => undefined} />);
    expect(screen.getByText("Locked after inactivity")).toBeInTheDocument();
    const user = userEvent.setup();
    await screen.findByRole("radio", { name: /Ada/ });
    await user.type(screen.getByLabelText("PIN"), "0000{Enter}");
    expect(await screen.findByRole("alert")).toHaveTextContent("Check “PIN”: The name or PIN is wrong. Try again.");
    expect(screen.getByLabelText("PIN")).toHaveAccessibleDescription("The name or PIN is wrong. Try again.");
    expect(screen.getByLabelText("PIN")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("PIN")).toHaveValue("");
  });
});
