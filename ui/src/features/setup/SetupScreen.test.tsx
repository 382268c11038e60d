import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { AppStatus } from "../../bindings/shell/AppStatus";
import { SetupScreen } from "./SetupScreen";

const status: AppStatus = { db_path: "/tmp/t.db", state: "needs_setup", error: null, idle_lock_seconds: 0, version: "0.1.0" };

afterEach(() => clearMocks());

async function fill(pinAgain: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Store name"), "Lekki Pharmacy");
  await user.clear(screen.getByLabelText("Time zone"));
  await user.type(screen.getByLabelText("Time zone"), "Africa/Lagos");
  await user.type(screen.getByLabelText("Administrator name"), "Ada");
  await user.type(screen.getByLabelText("PIN"), "1234");
  await user.type(screen.getByLabelText("PIN again"), pinAgain);
  await user.click(screen.getByRole("button", { name: "Create store" }));
}

describe("SetupScreen", () => {
  it("refuses two different PINs without calling the shell", async () => {
    const ipc = vi.fn();
    mockIPC(ipc);
    render(<SetupScreen status={status} onDone={() => undefined} />);
    await fill("4321");
    expect(await screen.findByRole("alert")).toHaveTextContent("The two PINs differ");
    expect(ipc).not.toHaveBeenCalled();
  });

  it("sends the store and admin, omitting empty optional fields", async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { store_id: "s", user_id: "u" };
    });
    const onDone = vi.fn();
    render(<SetupScreen status={status} onDone={onDone} />);
    await fill("1234");
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls).toEqual([
      [
        "setup_store",
        {
          request: {
            store_name: "Lekki Pharmacy",
            store_code: undefined,
            timezone: "Africa/Lagos",
            currency: "NGN",
            admin_name: "Ada",
            admin_pin: "1234",
          },
        },
      ],
    ]);
  });
});
