import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { renderInStore } from "../../test-utils";
import { fromDraft, PrinterSettingsForm } from "./PrinterSettingsForm";

afterEach(() => clearMocks());

describe("PrinterSettingsForm", () => {
  it("tests unsaved settings, then saves a network printer", async () => {
    const calls: { cmd: string; args: unknown }[] = [];
    mockIPC((cmd, args) => {
      calls.push({ cmd, args });
      if (cmd === "test_print") return { printer: "192.168.1.50:9100", bytes: 312, drawer_opened: false };
      if (cmd === "set_printer_settings") return (args as { settings: unknown }).settings;
      throw new Error(cmd);
    });
    renderInStore(<PrinterSettingsForm settings={{ connection: { kind: "none" }, paper_width_mm: 80, cash_drawer: false }} canChange />, { role: "manager" });
    fireEvent.change(screen.getByLabelText("Connection"), { target: { value: "network" } });
    fireEvent.change(screen.getByLabelText("Address"), { target: { value: " 192.168.1.50 " } });
    fireEvent.change(screen.getByLabelText("Paper width"), { target: { value: "58" } });
    fireEvent.click(screen.getByLabelText("Open the cash drawer after a cash sale"));
    fireEvent.click(screen.getByRole("button", { name: "Print a test page" }));
    expect(await screen.findByText("Sent a test page to 192.168.1.50:9100 (312 bytes).")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Save printer" }));
    expect(await screen.findByText("Printer saved.")).toBeInTheDocument();
    const settings = { connection: { kind: "network", host: "192.168.1.50", port: 9100 }, paper_width_mm: 58, cash_drawer: true };
    expect(calls).toEqual([
      { cmd: "test_print", args: { settings } },
      { cmd: "set_printer_settings", args: { settings } },
    ]);
  });

  it("names the wrong field and sends nothing", async () => {
    const calls: string[] = [];
    mockIPC((cmd) => calls.push(cmd));
    renderInStore(<PrinterSettingsForm settings={{ connection: { kind: "none" }, paper_width_mm: 80, cash_drawer: false }} canChange />);
    fireEvent.change(screen.getByLabelText("Connection"), { target: { value: "serial" } });
    fireEvent.change(screen.getByLabelText("Device"), { target: { value: "/dev/ttyUSB0" } });
    fireEvent.change(screen.getByLabelText("Speed (baud)"), { target: { value: "fast" } });
    fireEvent.click(screen.getByRole("button", { name: "Save printer" }));
    expect(screen.getByLabelText("Speed (baud)")).toHaveAccessibleDescription(/Enter the speed in baud/);
    expect(calls).toEqual([]);
  });

  it("is read-only for whoever may not change it", () => {
    mockIPC(() => undefined);
    renderInStore(<PrinterSettingsForm settings={{ connection: { kind: "usb", device: "/dev/usb/lp0" }, paper_width_mm: 80, cash_drawer: true }} canChange={false} />);
    expect(screen.getByLabelText("Device")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save printer" })).toBeNull();
  });

  it("reads a network port in range only", () => {
    const base = { kind: "network" as const, device: "", baud: "", host: "p", port: "70000", path: "", width: "80", drawer: false };
    expect(fromDraft(base)).toEqual({ field: "port", message: "Enter a port from 1 to 65535 (printers use 9100)." });
    expect(fromDraft({ ...base, port: "9100" })).toEqual({ settings: { connection: { kind: "network", host: "p", port: 9100 }, paper_width_mm: 80, cash_drawer: false } });
  });
});
