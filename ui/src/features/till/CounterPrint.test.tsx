import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { renderInStore } from "../../test-utils";
import { CounterPrint } from "./CounterPrint";

afterEach(() => {
  clearMocks();
  vi.restoreAllMocks();
});

const FILE_PRINTER = { connection: { kind: "file", path: "/tmp/r.bin" }, paper_width_mm: 80, cash_drawer: true };

describe("CounterPrint", () => {
  it("prints a completed sale once on the receipt printer, and reports the drawer", async () => {
    const prints: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === "get_printer_settings") return FILE_PRINTER;
      if (cmd === "print_receipt") {
        prints.push(args);
        return { printer: "/tmp/r.bin", bytes: 400, drawer_opened: true };
      }
      throw new Error(cmd);
    });
    renderInStore(<CounterPrint document="receipt" id="sale-1" label="Print receipt" auto />);
    expect(await screen.findByText("Printed on /tmp/r.bin; the cash drawer is open.")).toBeInTheDocument();
    expect(prints).toEqual([{ saleId: "sale-1", reprint: false }]);
    // Printing it again is a reprint (never opens the drawer).
    fireEvent.click(screen.getByRole("button", { name: "Print receipt" }));
    await screen.findByText("Printed on /tmp/r.bin; the cash drawer is open.");
    expect(prints).toEqual([{ saleId: "sale-1", reprint: false }, { saleId: "sale-1", reprint: true }]);
  });

  it("says why the printer failed and offers the system dialog", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    mockIPC((cmd) => {
      if (cmd === "get_printer_settings") return FILE_PRINTER;
      throw { kind: "printer_unavailable", message: "The receipt printer at /dev/usb/lp0 is not connected.", details: { problem: "not_found" } };
    });
    renderInStore(<CounterPrint document="shift" id="sh-1" label="Print Z report" auto />);
    expect(await screen.findByRole("alert")).toHaveTextContent("The receipt printer at /dev/usb/lp0 is not connected.");
    fireEvent.click(screen.getByRole("button", { name: "Use the system print dialog" }));
    expect(print).toHaveBeenCalledOnce();
  });

  it("uses the system dialog when the till has no receipt printer, and never prints by itself", async () => {
    const print = vi.spyOn(window, "print").mockImplementation(() => undefined);
    const cmds: string[] = [];
    mockIPC((cmd) => {
      cmds.push(cmd);
      return { connection: { kind: "none" }, paper_width_mm: 80, cash_drawer: false };
    });
    renderInStore(<CounterPrint document="receipt" id="sale-1" label="Print receipt" auto />);
    await new Promise((r) => setTimeout(r, 50));
    expect(print).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole("button", { name: "Print receipt" }));
    expect(print).toHaveBeenCalledOnce();
    expect(cmds).toEqual(["get_printer_settings"]);
  });
});
