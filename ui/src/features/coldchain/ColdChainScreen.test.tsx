import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { Excursion } from "../../bindings/Excursion";
import type { StorageLocation } from "../../bindings/StorageLocation";
import { renderWithStore } from "../../test/renderWithStore";
import { ColdChainScreen } from "./ColdChainScreen";

afterEach(() => clearMocks());

const FRIDGE: StorageLocation = {
  location_id: "l1",
  store_id: "s1",
  name: "Vaccine fridge",
  kind: "fridge",
  instant_margin_c: "2.00",
  tolerance_minutes: 30,
  window_minutes: 1440,
  lots: [
    {
      batch_id: "b1",
      product_id: "p1",
      product_name: "HPV vaccine",
      batch_number: "HPV-A",
      expiry_date: "2027-06-30",
      quantity: "6",
      status: "quarantine",
      temperature_min_c: "2.00",
      temperature_max_c: "8.00",
      located_at: "2026-11-30T08:00:00.000Z",
    },
  ],
  last_celsius: "12.00",
  last_taken_at: "2026-11-30T09:00:00.000Z",
  open_excursions: 1,
  is_active: true,
};

const EXCURSION: Excursion = {
  excursion_id: "e1",
  store_id: "s1",
  location_id: "l1",
  location_name: "Vaccine fridge",
  kind: "too_hot",
  detected_at: "2026-11-30T09:00:00.000Z",
  peak_c: "12.00",
  limit_c: "8.00",
  minutes_outside: 0,
  status: "open",
  created_at: "2026-11-30T09:00:01.000Z",
  closed_at: null,
  lots: [
    { batch_id: "b1", product_id: "p1", product_name: "HPV vaccine", batch_number: "HPV-A", expiry_date: "2027-06-30", quantity: "6", status: "quarantine", decision: null, decided_at: null, decided_by: null, note: null },
    { batch_id: "b2", product_id: "p1", product_name: "HPV vaccine", batch_number: "HPV-B", expiry_date: "2027-06-30", quantity: "4", status: "quarantine", decision: null, decided_at: null, decided_by: null, note: null },
  ],
};

function engine(extra: (name: string, input: Record<string, unknown>) => unknown = () => undefined) {
  return (name: string, input: Record<string, unknown>) => {
    const r = extra(name, input);
    if (r !== undefined) return r;
    if (name === "list_storage_locations") return [FRIDGE];
    if (name === "list_readings") return { rows: [{ reading_id: "r1", taken_at: "2026-11-30T09:00:00.000Z", celsius: "12.00", source: "manual", recorded_by: "chidi" }], total: 1 };
    if (name === "list_excursions") return { rows: [EXCURSION], total: 1 };
    return undefined;
  };
}

describe("ColdChainScreen", () => {
  it("shows the locations, the chosen one's lots and readings, and the excursions", async () => {
    renderWithStore(<ColdChainScreen />, engine());
    expect(await screen.findByRole("button", { name: "Vaccine fridge" })).toBeInTheDocument();
    const lots = await screen.findByRole("table", { name: "Lots in Vaccine fridge" });
    expect(within(lots).getByText("HPV-A")).toBeInTheDocument();
    expect(within(lots).getByText("2 to 8 °C")).toBeInTheDocument();
    const held = await screen.findByRole("table", { name: "Lots held at Vaccine fridge" });
    expect(within(held).getAllByText("On hold")).toHaveLength(2);
  });

  it("records a typed reading and says when it held lots", async () => {
    const calls = renderWithStore(
      <ColdChainScreen />,
      engine((name) => (name === "record_readings" ? { recorded: 1, duplicates: 0, excursions: [EXCURSION] } : undefined)),
    );
    const form = await screen.findByRole("form", { name: "Record a reading" });
    fireEvent.change(within(form).getByLabelText("Taken at (store time)"), { target: { value: "2026-11-30 10:00" } });
    fireEvent.change(within(form).getByLabelText("Temperature (°C)"), { target: { value: "12,5" } });
    fireEvent.click(within(form).getByRole("button", { name: "Record reading" }));
    expect(await screen.findByText("Recorded 1 reading: excursion found, 2 lots on hold.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "record_readings")?.input).toEqual({
      location_id: "l1",
      readings: [{ taken_at: "2026-11-30 10:00", celsius: "12.5" }],
    });
  });

  it("lists a logger file's bad lines by number", async () => {
    renderWithStore(
      <ColdChainScreen />,
      engine((name) => {
        if (name === "import_readings_csv")
          throw { kind: "csv_rejected", message: "2 line(s) of the file are wrong", details: { problems: [{ line: 3, message: "'warm' is not a temperature in °C" }, { line: 7, message: "2027-01-01T09:15:00.000Z is in the future" }] } };
        return undefined;
      }),
    );
    const input = await screen.findByLabelText("Import a logger file (CSV)");
    const file = new File(["Time,Temp\n"], "logger.csv", { type: "text/csv" });
    fireEvent.change(input, { target: { files: [file] } });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Some lines of the file are wrong");
    expect(alert).toHaveTextContent("line 3: 'warm' is not a temperature in °C; line 7: 2027-01-01T09:15:00.000Z is in the future");
  });

  it("releases one held lot and disposes of another, each confirmed", async () => {
    const calls = renderWithStore(<ColdChainScreen />, engine((name) => (name === "decide_excursion_lot" ? EXCURSION : undefined)));
    const held = await screen.findByRole("table", { name: "Lots held at Vaccine fridge" });
    const rowA = within(held).getByText("HPV-A").closest("tr")!;
    fireEvent.click(within(rowA).getByRole("button", { name: "Release…" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Release lot HPV-A" });
    fireEvent.change(within(dialog).getByLabelText("Note"), { target: { value: "stable 72 h" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Release" }));
    expect(await screen.findByText("Lot HPV-A is available again.")).toBeInTheDocument();
    const rowB = within(held).getByText("HPV-B").closest("tr")!;
    fireEvent.click(within(rowB).getByRole("button", { name: "Dispose…" }));
    const dispose = await screen.findByRole("alertdialog", { name: "Dispose of lot HPV-B" });
    expect(dispose).toHaveTextContent("All 4 left of HPV vaccine are written off as waste.");
    fireEvent.click(within(dispose).getByRole("button", { name: "Dispose" }));
    await waitFor(() => expect(calls.filter((c) => c.name === "decide_excursion_lot")).toHaveLength(2));
    expect(calls.filter((c) => c.name === "decide_excursion_lot").map((c) => c.input)).toEqual([
      { excursion_id: "e1", batch_id: "b1", decision: "release", note: "stable 72 h" },
      { excursion_id: "e1", batch_id: "b2", decision: "dispose", note: undefined },
    ]);
  });

  it("lets a cashier log temperatures but not decide lots", async () => {
    renderWithStore(<ColdChainScreen />, engine(), { role: "cashier" });
    expect(await screen.findByRole("form", { name: "Record a reading" })).toBeInTheDocument();
    const held = await screen.findByRole("table", { name: "Lots held at Vaccine fridge" });
    expect(within(held).queryByRole("button", { name: "Release…" })).toBeNull();
  });

  it("edits a location's tolerance, refusing minutes that are not whole, and retires it", async () => {
    const calls = renderWithStore(
      <ColdChainScreen />,
      engine((name, input) => (name === "update_storage_location" ? { ...FRIDGE, ...input, is_active: input["is_active"] ?? true } : undefined)),
    );
    fireEvent.click(await screen.findByRole("button", { name: "Edit…" }));
    const dialog = await screen.findByRole("dialog", { name: "Edit Vaccine fridge" });
    const tolerance = within(dialog).getByLabelText("Minutes outside the range tolerated per window");
    fireEvent.change(tolerance, { target: { value: "12.5" } });
    expect(within(dialog).getByText("Enter whole minutes from 0 to 10080.")).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Save" })).toBeDisabled();
    fireEvent.change(tolerance, { target: { value: "20" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved Vaccine fridge.")).toBeInTheDocument();
    fireEvent.click(screen.getByRole("button", { name: "Retire" }));
    expect(await screen.findByText("Retired Vaccine fridge.")).toBeInTheDocument();
    expect(calls.filter((c) => c.name === "update_storage_location").map((c) => c.input)).toEqual([
      { location_id: "l1", name: "Vaccine fridge", kind: "fridge", instant_margin_c: "2.00", tolerance_minutes: 20, window_minutes: 1440 },
      { location_id: "l1", is_active: false },
    ]);
  });

  it("lists retired locations only when asked", async () => {
    const calls = renderWithStore(<ColdChainScreen />, engine());
    fireEvent.click(await screen.findByLabelText("Show retired locations"));
    await waitFor(() => expect(calls.some((c) => c.name === "list_storage_locations" && (c.input as { include_retired?: boolean }).include_retired === true)).toBe(true));
  });
});
