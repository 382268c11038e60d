import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { TillConfig } from "../../bindings/shell/TillConfig";
import { screensFor } from "../shell/screens";
import { renderInStore } from "../../test-utils";
import { SettingsScreen, validTillId } from "./SettingsScreen";

afterEach(() => clearMocks());

function renderSettings(config: TillConfig, rename: (tillId: string) => TillConfig): string[] {
  const renames: string[] = [];
  mockIPC((cmd, args) => {
    if (cmd === "till_config") return config;
    if (cmd === "get_printer_settings") return { connection: { kind: "none" }, paper_width_mm: 80, cash_drawer: false };
    // Sync has its own tests (SyncSettings.test.tsx).
    if (cmd === "sync_view") return new Promise(() => undefined);
    // The store's own forms have their tests (StoreSettingsForms.test.tsx): no store here.
    if (cmd === "call") return (args as { name: string }).name === "list_stores" ? [] : new Promise(() => undefined);
    if (cmd === "rename_till") {
      const { tillId } = args as { tillId: string };
      renames.push(tillId);
      return rename(tillId);
    }
    throw new Error(`unexpected ${cmd}`);
  });
  renderInStore(<SettingsScreen />, { role: "admin" });
  return renames;
}

const FILE: TillConfig = { till_id: "TILL-1A2B", source: "config_file", config_path: "/data/store.till.json", renamable: true };

describe("SettingsScreen", () => {
  it("renames the till through the shell and shows the new id", async () => {
    const renames = renderSettings(FILE, (id) => ({ ...FILE, till_id: id }));
    expect(await screen.findByTestId("settings-till-id")).toHaveTextContent("TILL-1A2B");
    expect(screen.getByText("/data/store.till.json")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("New till id"), { target: { value: " FRONT-1 " } });
    fireEvent.click(screen.getByRole("button", { name: "Rename till" }));
    expect(await screen.findByText("This till is now FRONT-1.")).toBeInTheDocument();
    expect(screen.getByTestId("settings-till-id")).toHaveTextContent("FRONT-1");
    expect(renames).toEqual(["FRONT-1"]);
  });

  it("refuses a bad id before asking the shell, and shows the shell's refusal", async () => {
    const renames = renderSettings(FILE, () => {
      throw { kind: "conflict", message: "till TILL-1A2B has an open shift: close it before renaming the till", details: { field: "till_id" } };
    });
    const form = await screen.findByRole("form", { name: "Rename this till" });
    for (const bad of ["", "bad id!", "x".repeat(33)]) {
      fireEvent.change(within(form).getByLabelText("New till id"), { target: { value: bad } });
      fireEvent.click(within(form).getByRole("button", { name: "Rename till" }));
      // Said at the field, in plain words, and pointed to from the form.
      const input = within(form).getByLabelText("New till id");
      await waitFor(() => expect(input).toHaveAccessibleDescription(/1 to 32 letters, digits/));
      expect(input).toHaveAttribute("aria-invalid", "true");
      expect(screen.getByRole("alert")).toHaveTextContent("Check “New till id”: A till id is 1 to 32");
    }
    expect(renames).toEqual([]);
    fireEvent.change(within(form).getByLabelText("New till id"), { target: { value: "BACK-1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Rename till" }));
    await waitFor(() => expect(within(form).getByLabelText("New till id")).toHaveAccessibleDescription(/has an open shift: close it before renaming/));
    expect(screen.getByRole("alert")).toHaveTextContent("Check “New till id”: Till TILL-1A2B has an open shift");
    expect(screen.getByTestId("settings-till-id")).toHaveTextContent("TILL-1A2B");
  });

  it("offers no rename for an id fixed on the command line", async () => {
    renderSettings({ ...FILE, till_id: "ARG-1", source: "argument", renamable: false }, () => FILE);
    expect(await screen.findByText(/set by --till-id/)).toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Rename this till" })).toBeNull();
  });

  it("checks ids as the shell does; managers open settings but only admins rename", () => {
    expect(validTillId("FRONT-1")).toBe(true);
    expect(validTillId("till_2")).toBe(true);
    expect(validTillId("A".repeat(32))).toBe(true);
    expect(validTillId("A".repeat(33))).toBe(false);
    expect(validTillId("till.1")).toBe(false);
    expect(validTillId("")).toBe(false);
    expect(screensFor("admin").map((s) => s.id)).toContain("settings");
    expect(screensFor("manager").map((s) => s.id)).toContain("settings");
    expect(screensFor("cashier").map((s) => s.id)).not.toContain("settings");
  });
});
