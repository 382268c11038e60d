import { afterEach, describe, expect, it } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { ImportPreview } from "../../bindings/ImportPreview";
import type { ImportProgress } from "../../bindings/ImportProgress";
import { LAGOS } from "../../test/renderWithStore";
import { renderInStore } from "../../test-utils";
import { ImportScreen } from "./ImportScreen";

afterEach(() => clearMocks());

const NONE = { products: 0, categories: 0, suppliers: 0, customers: 0, batches: 0, purchase_receipts: 0 };

const FIELDS = [
  { name: "sku", required: true, description: "Stock-keeping unit", synonyms: ["Internal Reference"] },
  { name: "name", required: true, description: "Product name", synonyms: [] },
  { name: "price", required: false, description: "Sell price", synonyms: ["Sales Price"] },
];

const WITH_ERRORS: ImportPreview = {
  kind: "products",
  header: ["Internal Reference", "Name", "Cost"],
  suggested_mapping: { sku: "Internal Reference", name: "Name" },
  mapping: { sku: "Internal Reference", name: "Name" },
  unmapped_columns: ["Cost"],
  fields: FIELDS,
  rows: [{ sku: "AMX-500", name: "Amoxicillin 500mg" }],
  total_rows: 3,
  errors: [
    { row: 3, line: 3, field: "sku", column: "Internal Reference", value: "AMX-500", message: "SKU AMX-500 is already on row 2" },
    { row: 4, line: 4, field: "name", column: "Name", value: "", message: "a product needs a name" },
  ],
  error_count: 2,
  errors_truncated: false,
  will_create: NONE,
};

const CLEAN: ImportPreview = {
  ...WITH_ERRORS,
  mapping: { sku: "Internal Reference", name: "Name", price: "Cost" },
  unmapped_columns: [],
  total_rows: 2,
  errors: [],
  error_count: 0,
  will_create: { ...NONE, products: 2, categories: 1 },
};

type Shell = (cmd: string, args: Record<string, unknown>) => unknown;

/** The mocked shell; every call is kept. */
function renderImport(shell: Shell) {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args: a });
    return shell(cmd, a);
  });
  renderInStore(<ImportScreen />, { store: LAGOS, role: "manager" });
  return calls;
}

/** Sends `p` on the progress channel the screen passed, as the shell does. */
function sendProgress(args: Record<string, unknown>, index: number, p: ImportProgress) {
  const channel = args["onProgress"] as { id: number };
  const internals = (window as unknown as { __TAURI_INTERNALS__: { runCallback: (id: number, data: unknown) => void } }).__TAURI_INTERNALS__;
  internals.runCallback(channel.id, { index, message: p });
}

function checkFile(path: string) {
  fireEvent.change(screen.getByLabelText("CSV file"), { target: { value: path } });
  fireEvent.click(screen.getByRole("button", { name: "Check file" }));
}

describe("ImportScreen", () => {
  it("checks the file by path and lists every error with its row and field; nothing can be imported", async () => {
    const calls = renderImport((cmd) => {
      if (cmd === "preview_import_file") return WITH_ERRORS;
      throw new Error(cmd);
    });
    checkFile("/home/pharmacy/odoo-products.csv");
    expect(await screen.findByTestId("import-summary")).toHaveTextContent("3 rows, 2 errors.");
    expect(calls[0]).toMatchObject({ cmd: "preview_import_file", args: { request: { kind: "products", path: "/home/pharmacy/odoo-products.csv" } } });
    expect(calls[0]!.args["request"]).not.toHaveProperty("mapping");
    const errors = screen.getByRole("table", { name: "Errors in the file" });
    const row3 = within(errors).getByText("SKU AMX-500 is already on row 2").closest("tr")!;
    expect(row3).toHaveAttribute("data-row", "3");
    expect(row3).toHaveAttribute("data-field", "sku");
    expect(within(errors).getByText("a product needs a name")).toBeInTheDocument();
    expect(screen.getByText("Columns not imported: Cost.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Import 3 rows" })).toBeDisabled();
  });

  it("re-checks with the column a user maps, then imports with progress and says what it created", async () => {
    let finish: ((v: unknown) => void) | undefined;
    let runArgs: Record<string, unknown> = {};
    const calls = renderImport((cmd, args) => {
      if (cmd === "preview_import_file") return (args["request"] as { mapping?: unknown }).mapping ? CLEAN : WITH_ERRORS;
      if (cmd === "run_import_file") {
        runArgs = args;
        return new Promise((resolve) => (finish = resolve));
      }
      throw new Error(cmd);
    });
    checkFile("/data/products.csv");
    await screen.findByTestId("import-summary");
    fireEvent.change(screen.getByLabelText("Column for price"), { target: { value: "Cost" } });
    await waitFor(() => expect(screen.getByTestId("import-summary")).toHaveTextContent("2 rows, no errors. Importing creates 2 products, 1 category."));
    expect(calls[1]!.args["request"]).toEqual({ kind: "products", path: "/data/products.csv", mapping: { price: "Cost" } });

    fireEvent.click(screen.getByRole("button", { name: "Import 2 rows" }));
    await waitFor(() => expect(finish).toBeDefined());
    expect(runArgs["request"]).toEqual({ kind: "products", path: "/data/products.csv", mapping: { price: "Cost" } });
    act(() => sendProgress(runArgs, 0, { phase: "writing", rows_checked: 2, rows_written: 1, total_rows: 2, percent: 65 }));
    expect(await screen.findByText("Importing: 1 of 2 rows written")).toBeInTheDocument();
    expect(screen.getByRole("progressbar", { name: "Importing" })).toHaveAttribute("value", "65");

    await act(async () => finish!({ kind: "products", rows: 2, created: { ...NONE, products: 2, categories: 1 } }));
    expect(await screen.findByText("Imported 2 rows: 2 products, 1 category.")).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();
    // The file is in: importing it again would only repeat it.
    expect(screen.queryByRole("button", { name: /^Import \d/ })).not.toBeInTheDocument();
  });

  it("shows the rows run_import refuses when the file changed after the check", async () => {
    renderImport((cmd) => {
      if (cmd === "preview_import_file") return CLEAN;
      if (cmd === "run_import_file")
        throw {
          kind: "invalid_input",
          message: "the file has 1 error; nothing was imported",
          details: { import_kind: "products", error_count: 1, errors_truncated: false, errors: [{ row: 2, line: 2, field: "price", column: "Cost", value: "abc", message: "not a number" }] },
        };
      throw new Error(cmd);
    });
    checkFile("/data/products.csv");
    fireEvent.click(await screen.findByRole("button", { name: "Import 2 rows" }));
    const errors = await screen.findByRole("table", { name: "Errors in the file" });
    expect(within(errors).getByText("not a number")).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent("The file has 1 error; nothing was imported");
  });

  it("shows a file that cannot be read as an error and offers no import", async () => {
    renderImport((cmd) => {
      if (cmd === "preview_import_file") throw { kind: "not_found", message: "no file at /nope.csv", details: { path: "/nope.csv" } };
      throw new Error(cmd);
    });
    checkFile("/nope.csv");
    expect(await screen.findByRole("alert")).toHaveTextContent("no file at /nope.csv");
    expect(screen.queryByTestId("import-summary")).not.toBeInTheDocument();
  });

  it("exports the chosen kind in the import's format and says where the file went", async () => {
    const calls = renderImport((cmd, args) => {
      if (cmd === "call" && args["name"] === "export_onboarding_csv") return { csv: "name,phone\r\n", rows: 0 };
      if (cmd === "save_export") return `/home/till/Downloads/${String(args["fileName"])}`;
      throw new Error(cmd);
    });
    fireEvent.change(screen.getByLabelText("What the file holds"), { target: { value: "suppliers" } });
    fireEvent.click(screen.getByRole("button", { name: "Export suppliers as CSV" }));
    expect(await screen.findByText("Saved to /home/till/Downloads/pharmapos-suppliers.csv.")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "call", args: { name: "export_onboarding_csv", input: { kind: "suppliers" } } });
    expect(calls).toContainEqual({ cmd: "save_export", args: { fileName: "pharmapos-suppliers.csv", contents: "name,phone\r\n" } });
  });
});
