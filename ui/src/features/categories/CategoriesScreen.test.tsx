import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { Category } from "../../bindings/Category";
import { renderWithStore } from "../../test/renderWithStore";
import { CategoriesScreen } from "./CategoriesScreen";

afterEach(() => clearMocks());

const MEDS: Category = { id: "c1", name: "Medicines", display_name: null, description: null, parent_id: null, path: "Medicines" };

describe("CategoriesScreen", () => {
  it("adds a category inside another", async () => {
    const calls = renderWithStore(<CategoriesScreen />, (name, input) => {
      if (name === "list_categories") return [MEDS];
      if (name === "create_category") return { ...MEDS, id: "c2", name: input["name"], parent_id: "c1", path: "Medicines / Analgesics" };
      throw new Error(name);
    });
    expect(await screen.findByText("1 category")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: " Analgesics " } });
    fireEvent.change(screen.getByLabelText("Inside"), { target: { value: "c1" } });
    fireEvent.click(screen.getByRole("button", { name: "Add category" }));
    expect(await screen.findByText("Added Medicines / Analgesics.")).toBeInTheDocument();
    expect(calls.find((c) => c.name === "create_category")?.input).toEqual({ name: "Analgesics", parent_id: "c1" });
  });

  it("names the empty field by the field and sends nothing", async () => {
    const calls = renderWithStore(<CategoriesScreen />, () => [MEDS]);
    fireEvent.click(await screen.findByRole("button", { name: "Add category" }));
    const input = screen.getByLabelText("Name");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("Enter the category's name.");
    expect(calls.map((c) => c.name)).not.toContain("create_category");
  });

  it("lets a cashier read but not add", async () => {
    renderWithStore(<CategoriesScreen />, () => [MEDS], { role: "cashier" });
    expect(await screen.findByText("1 category")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Add category" })).toBeNull();
  });
});
