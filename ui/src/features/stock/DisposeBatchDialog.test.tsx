import { afterEach, describe, expect, it, vi } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { BatchListRow } from "../../bindings/BatchListRow";
import { renderWithStore } from "../../test/renderWithStore";
import { DisposeBatchDialog, mayDispose } from "./DisposeBatchDialog";

afterEach(() => clearMocks());

const RECALLED = { batch_id: "b1", batch_number: "LOT-B1", product_name: "Botox 100U", unit: "unit", quantity: "200", available: "200", status: "recalled" } as BatchListRow;

describe("DisposeBatchDialog", () => {
  it("wastes a recalled lot as recall by default, or returns it to the supplier", async () => {
    const done = vi.fn();
    const calls = renderWithStore(<DisposeBatchDialog batch={RECALLED} onClose={() => undefined} onDone={done} />, (name) => (name === "dispose_batch" ? {} : undefined));
    const dialog = await screen.findByRole("alertdialog", { name: "Dispose of lot LOT-B1" });
    expect(within(dialog).getByLabelText("Waste reason")).toHaveValue("recall");
    fireEvent.change(within(dialog).getByLabelText("How"), { target: { value: "return_to_supplier" } });
    expect(within(dialog).queryByLabelText("Waste reason")).toBeNull();
    fireEvent.change(within(dialog).getByLabelText("Notes"), { target: { value: "RN-7" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Dispose" }));
    await waitFor(() => expect(done).toHaveBeenCalledWith("Returned lot LOT-B1 to its supplier."));
    expect(calls.find((c) => c.name === "dispose_batch")?.input).toEqual({ batch_id: "b1", method: "return_to_supplier", notes: "RN-7" });
  });

  it("is offered only for held lots", () => {
    expect(mayDispose("available")).toBe(false);
    expect(mayDispose("depleted")).toBe(false);
    for (const s of ["quarantine", "recalled", "damaged", "expired"] as const) expect(mayDispose(s)).toBe(true);
  });
});
