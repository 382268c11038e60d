import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import { renderWithStore } from "../../test/renderWithStore";
import { ADA, VIAL_DETAIL } from "./fixtures";
import { PatientsScreen } from "./PatientsScreen";

afterEach(() => clearMocks());

describe("PatientsScreen", () => {
  it("searches in the engine, page by page", async () => {
    const calls = renderWithStore(<PatientsScreen />, (name) => (name === "list_patients" ? { rows: [ADA], total: 1 } : undefined), { role: "practitioner" });
    expect(await screen.findByText("Ada Obi")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Find"), { target: { value: "CH-0" } });
    fireEvent.click(screen.getByLabelText("Show archived patients"));
    await waitFor(() =>
      expect(calls.filter((c) => c.name === "list_patients").at(-1)?.input).toEqual({ query: "CH-0", include_inactive: true, limit: 50, offset: 0 }),
    );
  });

  it("registers a patient and shows the engine's error at its field", async () => {
    let tries = 0;
    const calls = renderWithStore(
      <PatientsScreen />,
      (name) => {
        if (name === "list_patients") return { rows: [], total: 0 };
        if (name === "create_patient") {
          if (tries++ === 0) throw { kind: "conflict", message: "chart id CH-001 is taken", details: { field: "chart_id" } };
          return { ...ADA, name: "Bayo Ade" };
        }
        return undefined;
      },
      { role: "practitioner" },
    );
    fireEvent.click(await screen.findByRole("button", { name: "New patient…" }));
    const dialog = await screen.findByRole("dialog", { name: "New patient" });
    fireEvent.change(within(dialog).getByLabelText("Full name"), { target: { value: "Bayo Ade" } });
    fireEvent.change(within(dialog).getByLabelText("Chart id"), { target: { value: "CH-001" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Register patient" }));
    expect(await within(dialog).findByText("Chart id CH-001 is taken")).toBeInTheDocument();
    expect(within(dialog).getByLabelText("Chart id")).toHaveAttribute("aria-invalid", "true");
    fireEvent.change(within(dialog).getByLabelText("Chart id"), { target: { value: "CH-002" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Register patient" }));
    expect(await screen.findByText("Registered Bayo Ade.")).toBeInTheDocument();
    expect(calls.filter((c) => c.name === "create_patient")[1]?.input).toEqual({ name: "Bayo Ade", chart_id: "CH-002" });
  });

  it("archives after confirming, and shows a patient's history with the lots used", async () => {
    const calls = renderWithStore(
      <PatientsScreen />,
      (name) => {
        if (name === "list_patients") return { rows: [ADA], total: 1 };
        if (name === "update_patient") return { ...ADA, active: false };
        if (name === "get_patient_history") return { patient: ADA, treatments: VIAL_DETAIL.draws };
        return undefined;
      },
      { role: "practitioner" },
    );
    fireEvent.click(await screen.findByRole("button", { name: "History of Ada Obi" }));
    const history = await screen.findByRole("dialog", { name: "History of Ada Obi" });
    expect(await within(history).findByText("Botox 100U lot LOT-B1: 32.5")).toBeInTheDocument();
    expect(within(history).getByText("Glabellar lines 20 · Forehead 12.5")).toBeInTheDocument();
    fireEvent.click(within(history).getByRole("button", { name: "Back" }));
    fireEvent.click(screen.getByRole("button", { name: "Archive Ada Obi" }));
    const confirm = await screen.findByRole("alertdialog", { name: "Archive Ada Obi?" });
    fireEvent.click(within(confirm).getByRole("button", { name: "Archive" }));
    expect(await screen.findByText("Archived Ada Obi; their history stays.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "update_patient")?.input).toEqual({ patient_id: "pa-ada", active: false });
  });
});
