import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import { renderWithStore } from "../../test/renderWithStore";
import { screensFor } from "../shell/screens";
import { ADA, BOTOX, VIAL, VIAL_DETAIL } from "./fixtures";
import { VialsScreen } from "./VialsScreen";

afterEach(() => clearMocks());

const PAGE = { rows: [VIAL], total: 1 };

/** The engine of a clinic with one open vial; `extra` answers the rest. */
function clinic(extra: (name: string, input: Record<string, unknown>) => unknown = () => undefined) {
  return (name: string, input: Record<string, unknown>) => {
    const answer = extra(name, input);
    if (answer !== undefined) return answer;
    switch (name) {
      case "sweep_vials":
        return { closed: [], reminders: [] };
      case "list_vial_sessions":
        return PAGE;
      case "get_vial_session":
        return VIAL_DETAIL;
      case "list_patients":
        return { rows: [ADA], total: 1 };
      case "list_approvers":
        return [{ id: "m1", name: "Mgr Bola" }];
      case "list_practitioners":
        return [{ id: "u-pia", name: "Pia Nurse", role: "practitioner" }];
      default:
        throw new Error(`unexpected ${name}`);
    }
  };
}

async function openDetail() {
  fireEvent.click(await screen.findByRole("button", { name: "Botox 100U" }));
  return screen.findByRole("dialog", { name: "Vial of Botox 100U, lot LOT-B1" });
}

describe("VialsScreen", () => {
  it("sweeps before it lists, and shows units, the clock, the time left and the reminder", async () => {
    const calls = renderWithStore(<VialsScreen />, clinic((name) => (name === "sweep_vials" ? { closed: [{ session_id: "old", reason: "stability_exceeded", wasted: "40" }], reminders: ["v1"] } : undefined)), { role: "practitioner" });
    const row = (await screen.findByRole("button", { name: "Botox 100U" })).closest("tr")!;
    expect(calls.map((c) => c.name).slice(0, 2)).toEqual(["sweep_vials", "list_vial_sessions"]);
    expect(within(row).getByText("32.5 drawn, 2 wasted, 65.5 left of 100 unit")).toBeInTheDocument();
    expect(within(row).getByText("Label")).toBeInTheDocument();
    expect(within(row).getByText(/2 h 5 min left/)).toBeInTheDocument();
    expect(within(row).getByText("Open long, no recent draw")).toBeInTheDocument();
    expect(screen.getByText("1 vial past its window was closed and its remainder recorded as waste.")).toBeInTheDocument();
  });

  it("opens a vial from the first-expiring lot with the product's units and shows the strength per 0.1 mL", async () => {
    const calls = renderWithStore(
      <VialsScreen />,
      clinic((name) => {
        if (name === "search_products") return [{ product: BOTOX, available: "300", nearest_expiry: "2027-01-31" }, { product: { ...BOTOX, id: "p-para", name: "Paracetamol", injectable: null }, available: "5", nearest_expiry: null }];
        if (name === "suggest_vial_lots")
          return [
            { batch_id: "b-first", batch_number: "LOT-A", expiry_date: "2027-01-31", free: "200", cost_per_unit: "5" },
            { batch_id: "b-later", batch_number: "LOT-B", expiry_date: "2027-06-30", free: "100", cost_per_unit: "5" },
          ];
        if (name === "open_vial_session") return { ...VIAL, session_id: "v-new", batch_number: "LOT-A" };
        return undefined;
      }),
      { role: "practitioner" },
    );
    fireEvent.click(await screen.findByRole("button", { name: "Open a vial…" }));
    const dialog = await screen.findByRole("dialog", { name: "Open a vial" });
    // Only injectables are offered; the only one is chosen.
    const product = within(dialog).getByLabelText("Product");
    await waitFor(() => expect(product).toHaveValue("p-botox"));
    expect(within(product).queryByText("Paracetamol")).toBeNull();
    await waitFor(() => expect(within(dialog).getByLabelText("Lot")).toHaveValue("b-first"));
    expect(within(dialog).getByLabelText("Units in the vial")).toHaveValue("100");
    fireEvent.change(within(dialog).getByLabelText("Diluent"), { target: { value: "0.9% saline" } });
    fireEvent.change(within(dialog).getByLabelText("Volume (mL)"), { target: { value: "2.5" } });
    expect(within(dialog).getByTestId("strength")).toHaveTextContent("Strength: 4 unit per 0.1 mL");
    fireEvent.click(within(dialog).getByRole("button", { name: "Open the vial" }));
    await screen.findByText("Opened a vial of Botox 100U from lot LOT-A.");
    expect(calls.find((c) => c.name === "open_vial_session")?.input).toEqual({
      product_id: "p-botox",
      batch_id: "b-first",
      units: "100",
      reconstitution: { diluent: "0.9% saline", volume_ml: "2.5" },
    });
  });

  it("shows a vial's draws by area, its waste, its economics and which clock applies", async () => {
    renderWithStore(<VialsScreen />, clinic(), { role: "practitioner" });
    const dialog = await openDetail();
    expect(await within(dialog).findByText("Glabellar lines 20 · Forehead 12.5")).toBeInTheDocument();
    expect(within(dialog).getByText("Ada Obi (CH-001)")).toBeInTheDocument();
    expect(within(dialog).getByText("Draw-up loss (syringe and needle dead space)")).toBeInTheDocument();
    expect(within(dialog).getByTestId("vial-revenue")).toHaveTextContent("₦390.00");
    expect(within(dialog).getByTestId("vial-waste-cost")).toHaveTextContent("₦10.00");
    expect(within(dialog).getByTestId("vial-profit")).toHaveTextContent("₦217.50");
    expect(within(dialog).getByTestId("vial-margin")).toHaveTextContent("55.77%");
    expect(within(dialog).getByTestId("clock-applies")).toHaveTextContent("Label");
    expect(within(dialog).getByText("4 unit per 0.1 mL (40 per mL; 0.9% saline, 2.5 mL)")).toBeInTheDocument();
  });

  it("draws 12.5 units only when the areas add up to the draw", async () => {
    const calls = renderWithStore(<VialsScreen />, clinic((name) => (name === "record_treatment" ? { treatment_id: "t2" } : undefined)), { role: "practitioner" });
    fireEvent.click(within(await openDetail()).getByRole("button", { name: "Draw…" }));
    const dialog = await screen.findByRole("dialog", { name: "Draw from Botox 100U, lot LOT-B1" });
    await within(dialog).findByRole("option", { name: "Ada Obi (CH-001)" });
    fireEvent.change(within(dialog).getByLabelText("Patient"), { target: { value: "pa-ada" } });
    fireEvent.change(within(dialog).getByLabelText("Units from this vial"), { target: { value: "12.5" } });
    fireEvent.change(within(dialog).getByLabelText("Area 1"), { target: { value: "Glabellar lines" } });
    fireEvent.change(within(dialog).getByLabelText("Units in area 1"), { target: { value: "10" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Record the draw" }));
    expect(await within(dialog).findByText("The areas add up to 10, the draw is 12.5.")).toBeInTheDocument();
    expect(calls.map((c) => c.name)).not.toContain("record_treatment");
    fireEvent.click(within(dialog).getByRole("button", { name: "Add an area" }));
    fireEvent.change(within(dialog).getByLabelText("Area 2"), { target: { value: "Crow's feet" } });
    fireEvent.change(within(dialog).getByLabelText("Units in area 2"), { target: { value: "2.5" } });
    fireEvent.change(within(dialog).getByLabelText("Appointment"), { target: { value: "APT-7" } });
    await within(dialog).findByRole("option", { name: "Pia Nurse" });
    fireEvent.change(within(dialog).getByLabelText("Practitioner"), { target: { value: "u-pia" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Record the draw" }));
    await screen.findByRole("dialog", { name: "Vial of Botox 100U, lot LOT-B1" });
    expect(calls.find((c) => c.name === "record_treatment")?.input).toEqual({
      patient_id: "pa-ada",
      practitioner_id: "u-pia",
      appointment_ref: "APT-7",
      areas: [
        { area: "Glabellar lines", units: "10" },
        { area: "Crow's feet", units: "2.5" },
      ],
      sources: [{ session_id: "v1", units: "12.5" }],
    });
  });

  it("offers a manager override for a vial past its window and sends it approved", async () => {
    let tries = 0;
    const calls = renderWithStore(
      <VialsScreen />,
      clinic((name) => {
        if (name !== "record_treatment") return undefined;
        if (tries++ === 0)
          throw { kind: "vial_beyond_use", message: "past", details: { session_id: "v1", product: "Botox 100U", batch: "LOT-B1", clock: "label", until: "2026-11-30T08:00:00Z" } };
        return { treatment_id: "t3" };
      }),
      { role: "practitioner" },
    );
    fireEvent.click(within(await openDetail()).getByRole("button", { name: "Draw…" }));
    const dialog = await screen.findByRole("dialog", { name: "Draw from Botox 100U, lot LOT-B1" });
    await within(dialog).findByRole("option", { name: "Ada Obi (CH-001)" });
    fireEvent.change(within(dialog).getByLabelText("Patient"), { target: { value: "pa-ada" } });
    fireEvent.change(within(dialog).getByLabelText("Units from this vial"), { target: { value: "4" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Record the draw" }));
    expect(await within(dialog).findByText(/passed the label's beyond-use time/)).toBeInTheDocument();
    expect(within(dialog).getByRole("button", { name: "Close vial…" })).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Manager override…" }));
    await within(dialog).findByRole("option", { name: "Mgr Bola" });
    fireEvent.change(within(dialog).getByLabelText("Approving manager"), { target: { value: "Mgr Bola" } });
    fireEvent.change(within(dialog).getByLabelText("Manager's PIN"), { target: { value: "4321" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve and record the draw" }));
    await screen.findByRole("dialog", { name: "Vial of Botox 100U, lot LOT-B1" });
    expect(calls.filter((c) => c.name === "record_treatment")[1]?.input).toMatchObject({
      sources: [{ session_id: "v1", units: "4" }],
      override_beyond_use: true,
      approver_name: "Mgr Bola",
      approver_pin: "4321",
    });
  });

  it("records waste with its reason", async () => {
    const calls = renderWithStore(<VialsScreen />, clinic((name) => (name === "record_waste" ? { waste_id: "w2" } : undefined)), { role: "practitioner" });
    fireEvent.click(within(await openDetail()).getByRole("button", { name: "Waste…" }));
    const dialog = await screen.findByRole("dialog", { name: "Record waste from Botox 100U, lot LOT-B1" });
    fireEvent.change(within(dialog).getByLabelText("Reason"), { target: { value: "contamination" } });
    fireEvent.change(within(dialog).getByLabelText("Quantity"), { target: { value: "1.5" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Record waste" }));
    await screen.findByRole("dialog", { name: "Vial of Botox 100U, lot LOT-B1" });
    expect(calls.find((c) => c.name === "record_waste")?.input).toEqual({ session_id: "v1", quantity: "1.5", reason: "contamination" });
  });

  it("asks what the remainder is wasted as before closing a vial by hand", async () => {
    const calls = renderWithStore(<VialsScreen />, clinic((name) => (name === "close_vial_session" ? VIAL : undefined)), { role: "practitioner" });
    fireEvent.click(within(await openDetail()).getByRole("button", { name: "Close vial…" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Close the vial of Botox 100U, lot LOT-B1" });
    expect(within(dialog).getByText("65.5 unit left in the vial will be recorded as waste.")).toBeInTheDocument();
    fireEvent.click(within(dialog).getByRole("button", { name: "Close the vial" }));
    expect(await within(dialog).findByText("Choose what the remainder is wasted as.")).toBeInTheDocument();
    expect(calls.map((c) => c.name)).not.toContain("close_vial_session");
    fireEvent.change(within(dialog).getByLabelText("Remainder wasted as"), { target: { value: "patient_no_show" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Close the vial" }));
    await screen.findByRole("dialog", { name: "Vial of Botox 100U, lot LOT-B1" });
    expect(calls.find((c) => c.name === "close_vial_session")?.input).toEqual({ session_id: "v1", reason: "manual_close", waste_reason: "patient_no_show" });
  });

  it("is a screen for clinical roles only", () => {
    expect(screensFor("practitioner").map((s) => s.id)).toEqual(expect.arrayContaining(["vials", "patients"]));
    expect(screensFor("practitioner").map((s) => s.id)).not.toContain("recalls");
    expect(screensFor("manager").map((s) => s.id)).toEqual(expect.arrayContaining(["vials", "patients", "recalls", "clinic-report"]));
    for (const role of ["cashier", "head_office"] as const) {
      const ids = screensFor(role).map((s) => s.id);
      for (const id of ["vials", "patients", "recalls", "clinic-report"] as const) expect(ids).not.toContain(id);
    }
  });
});
