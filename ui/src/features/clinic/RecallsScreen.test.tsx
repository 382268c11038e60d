import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { LotTrace } from "../../bindings/LotTrace";
import type { Recall } from "../../bindings/Recall";
import { DOWNLOADS, renderWithStore, saved } from "../../test/renderWithStore";
import { RecallsScreen } from "./RecallsScreen";

afterEach(() => clearMocks());

const RECALL: Recall = {
  recall_id: "r1",
  store_id: "s1",
  recall_number: "D-0123-2026",
  fda_class: "I",
  reason: "Sterility not assured",
  source: "FDA",
  recall_date: "2026-11-29",
  lots: [{ batch_id: "b1", batch_number: "LOT-B1", product_id: "p-botox", product_name: "Botox 100U", on_hand: "200" }],
  recorded_at: "2026-11-29T10:00:00Z",
  recorded_by: "m1",
};

const tracedUse = (name: string, chart: string, units: string) => ({
  used_at: "2026-11-28T10:00:00Z",
  patient_id: `pa-${chart}`,
  patient_name: name,
  date_of_birth: "1990-01-02",
  chart_id: chart,
  phone: "0803 555",
  email: null,
  quantity: units,
  practitioner_id: "u1",
  practitioner_name: "Dr Ngozi",
  appointment_ref: null,
  session_id: "v1",
  treatment_id: `t-${chart}`,
});

const TRACE: LotTrace = {
  batch_id: "b1",
  batch_number: "LOT-B1",
  store_id: "s1",
  product_id: "p-botox",
  product_name: "Botox 100U",
  expiry_date: "2027-06-30",
  status: "recalled",
  recall_class: "I",
  received: "300",
  on_hand: "200",
  uses: [tracedUse("Ada Obi", "CH-1", "20"), tracedUse("Bayo Ade", "CH-2", "12.5"), tracedUse("Chi Eze", "CH-3", "24")],
  patients: 3,
  sales: [],
  waste: [],
  waste_cost: "0",
};

describe("RecallsScreen", () => {
  it("traces a recalled lot to its patients with their contact details, and exports the CSV", async () => {
    const calls = renderWithStore(<RecallsScreen />, (name) => {
      if (name === "list_recalls") return [RECALL];
      if (name === "trace_lot") return TRACE;
      if (name === "export_lot_trace_csv") return { csv: "# contains patient data\npatient\n", rows: 3 };
      throw new Error(name);
    });
    expect(await screen.findByText("Class I")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Trace lot LOT-B1" }));
    const dialog = await screen.findByRole("dialog", { name: "Trace of lot LOT-B1 (Botox 100U)" });
    expect(await within(dialog).findByText("Patients (3)")).toBeInTheDocument();
    const patients = within(dialog).getByRole("table", { name: "Patients" });
    for (const name of ["Ada Obi", "Bayo Ade", "Chi Eze"]) expect(within(patients).getByText(name)).toBeInTheDocument();
    expect(within(patients).getByText("12.5")).toBeInTheDocument();
    expect(within(patients).getAllByText("0803 555")).toHaveLength(3);
    fireEvent.click(within(dialog).getByRole("button", { name: "Export CSV" }));
    await waitFor(() => expect(saved).toEqual([{ fileName: "trace-LOT-B1.csv", contents: "# contains patient data\npatient\n" }]));
    expect(await within(dialog).findByText(`Saved to ${DOWNLOADS}/trace-LOT-B1.csv.`)).toBeInTheDocument();
    expect(calls.find((c) => c.name === "export_lot_trace_csv")?.input).toEqual({ batch_id: "b1" });
  });

  it("records a class I recall of lots found as in the stock list", async () => {
    const calls = renderWithStore(<RecallsScreen />, (name) => {
      if (name === "list_recalls") return [];
      if (name === "list_batches")
        return { rows: [{ batch_id: "b1", batch_number: "LOT-B1", product_name: "Botox 100U", quantity: "200", unit: "unit" }], total: 1 };
      if (name === "record_recall") return RECALL;
      throw new Error(name);
    });
    fireEvent.click(await screen.findByRole("button", { name: "Record recall…" }));
    const dialog = await screen.findByRole("dialog", { name: "Record a recall" });
    fireEvent.click(within(dialog).getByRole("button", { name: "Record the recall" }));
    expect(await within(dialog).findByText("Add at least one lot.")).toBeInTheDocument();
    fireEvent.change(within(dialog).getByLabelText("Find lot"), { target: { value: "LOT-B1" } });
    fireEvent.click(await within(dialog).findByRole("button", { name: "Add Botox 100U, lot LOT-B1 (200 unit on hand)" }));
    fireEvent.change(within(dialog).getByLabelText("Reason"), { target: { value: "Sterility not assured" } });
    fireEvent.change(within(dialog).getByLabelText("Source"), { target: { value: "FDA" } });
    fireEvent.change(within(dialog).getByLabelText("Recall number"), { target: { value: "D-0123-2026" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Record the recall" }));
    expect(await screen.findByText("Recorded the class I recall of 1 lot.")).toBeInTheDocument();
    const input = calls.find((c) => c.name === "record_recall")?.input as Record<string, unknown>;
    expect(input).toMatchObject({ batch_ids: ["b1"], fda_class: "I", reason: "Sterility not assured", source: "FDA", recall_number: "D-0123-2026" });
    expect(input.recall_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("imports an FDA report and records a matched proposal on confirmation", async () => {
    const calls = renderWithStore(<RecallsScreen />, (name) => {
      if (name === "list_recalls") return [];
      if (name === "import_fda_recalls")
        return [
          {
            recall_number: "D-0456-2026",
            fda_class: "II",
            status: "Ongoing",
            reason: "Subpotent",
            product_description: "Botox (onabotulinumtoxinA) 100 Units",
            code_info: "Lot LOT-B1",
            recalling_firm: "Allergan",
            recall_date: "2026-11-20",
            already_recorded: false,
            matches: [{ batch_id: "b1", batch_number: "LOT-B1", product_id: "p-botox", product_name: "Botox 100U", expiry_date: "2027-06-30", status: "available", on_hand: "200" }],
          },
          { recall_number: "D-9", fda_class: "III", status: null, reason: "x", product_description: "Other", code_info: "Z", recalling_firm: null, recall_date: null, already_recorded: false, matches: [] },
        ];
      if (name === "record_recall") return { ...RECALL, fda_class: "II" };
      throw new Error(name);
    });
    fireEvent.click(await screen.findByRole("button", { name: "Import FDA report…" }));
    const dialog = await screen.findByRole("dialog", { name: "Import an FDA enforcement report" });
    const file = new File(['{"results":[]}'], "report.json", { type: "application/json" });
    fireEvent.change(within(dialog).getByLabelText("Report file (openFDA JSON)"), { target: { files: [file] } });
    expect(await within(dialog).findByText("2 recalls in the report; 1 match lots of this store.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "import_fda_recalls")?.input).toEqual({ report: '{"results":[]}' });
    expect(within(dialog).queryByText("D-9, class III")).toBeNull();
    fireEvent.click(within(dialog).getByRole("button", { name: "Record this recall" }));
    expect(await screen.findByText("Recorded the class II recall of 1 lot.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "record_recall")?.input).toEqual({
      batch_ids: ["b1"],
      fda_class: "II",
      reason: "Subpotent",
      source: "FDA (Allergan)",
      recall_number: "D-0456-2026",
      recall_date: "2026-11-20",
    });
  });
});
