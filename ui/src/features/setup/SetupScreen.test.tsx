import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { AppStatus } from "../../bindings/shell/AppStatus";
import { SetupScreen } from "./SetupScreen";

const status: AppStatus = { db_path: "/tmp/t.db", state: "needs_setup", error: null, idle_lock_seconds: 0, version: "0.1.0", demo: false };

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

/** A PC in `zone` whose languages are `languages`. */
function pcIn(zone: string, languages: string[]) {
  const resolved = Intl.DateTimeFormat.prototype.resolvedOptions;
  vi.spyOn(Intl.DateTimeFormat.prototype, "resolvedOptions").mockImplementation(function (this: Intl.DateTimeFormat) {
    return { ...resolved.call(this), timeZone: zone };
  });
  vi.spyOn(navigator, "languages", "get").mockReturnValue(languages);
}

async function fill(pinAgain: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText("Store name"), "Lekki Pharmacy");
  await user.type(screen.getByLabelText("Administrator name"), "Ada");
  await user.type(screen.getByLabelText("PIN"), "1234");
  await user.type(screen.getByLabelText("PIN again"), pinAgain);
  await user.click(screen.getByRole("button", { name: "Create store" }));
}

describe("SetupScreen", { timeout: 30_000 }, () => {
  it("suggests the PC's time zone and its region's currency", () => {
    pcIn("Africa/Nairobi", ["en-KE", "en"]);
    mockIPC(() => undefined);
    render(<SetupScreen status={status} onDone={() => undefined} />);
    expect(screen.getByRole("combobox", { name: "Time zone" })).toHaveValue("Africa/Nairobi");
    expect(screen.getByRole("combobox", { name: "Currency" })).toHaveValue("KES");
  });

  it("guesses no currency when the PC names no region it knows", async () => {
    pcIn("Antarctica/Troll", ["en"]);
    const ipc = vi.fn();
    mockIPC(ipc);
    render(<SetupScreen status={status} onDone={() => undefined} />);
    expect(screen.getByRole("combobox", { name: "Currency" })).toHaveValue("");
    await fill("1234");
    const currency = screen.getByRole("combobox", { name: "Currency" });
    expect(currency).toHaveAttribute("aria-invalid", "true");
    expect(currency).toHaveAccessibleDescription(/Choose the store's currency/);
    expect(ipc).not.toHaveBeenCalled();
  });

  it("refuses two different PINs at the second PIN, without calling the shell", async () => {
    pcIn("Africa/Lagos", ["en-NG"]);
    const ipc = vi.fn();
    mockIPC(ipc);
    render(<SetupScreen status={status} onDone={() => undefined} />);
    await fill("4321");
    expect(await screen.findByRole("alert")).toHaveTextContent("The two PINs differ");
    expect(screen.getByLabelText("PIN again")).toHaveAccessibleDescription("The two PINs differ. Type the same PIN twice.");
    expect(ipc).not.toHaveBeenCalled();
  });

  it("picks the zone and the currency from searchable lists and sends them", async () => {
    pcIn("UTC", ["en-US"]);
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return { store_id: "s", user_id: "u" };
    });
    const onDone = vi.fn();
    render(<SetupScreen status={status} onDone={onDone} />);
    const user = userEvent.setup();
    const zone = screen.getByRole("combobox", { name: "Time zone" });
    await user.clear(zone);
    await user.type(zone, "lagos");
    await user.click(await screen.findByRole("option", { name: "Africa/Lagos" }));
    expect(zone).toHaveValue("Africa/Lagos");
    const currency = screen.getByRole("combobox", { name: "Currency" });
    await user.clear(currency);
    await user.type(currency, "naira");
    await user.click(await screen.findByRole("option", { name: /NGN/ }));
    expect(currency).toHaveValue("NGN");
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
            // The PC's language and region (jsdom: en-US).
            locale: "en-US",
            admin_name: "Ada",
            admin_pin: "1234",
          },
        },
      ],
    ]);
  });
});
