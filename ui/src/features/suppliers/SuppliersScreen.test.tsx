import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import type { Supplier } from "../../bindings/Supplier";
import { renderWithStore } from "../../test/renderWithStore";
import { SuppliersScreen } from "./SuppliersScreen";

afterEach(() => clearMocks());

function supplier(over: Partial<Supplier>): Supplier {
  return {
    id: "v1", name: "Emzor Pharmaceuticals", contact_person: "Ada Obi", email: "orders@emzor.example", phone: null,
    address: null, account_number: null, payment_terms: "Net 30", tax_id: null, is_preferred: false, categories: ["medicine"],
    on_time_delivery_rate: null, quality_rating: null, average_lead_time_days: null, notes: null, is_active: true,
    created_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z", catalogue_version: null, ...over,
  };
}

function render(s: Supplier) {
  return renderWithStore(<SuppliersScreen />, (name, input) => {
    if (name === "list_suppliers") return [s];
    if (name === "update_supplier") return { ...s, ...input };
    throw new Error(`unexpected ${name}`);
  });
}

async function edit() {
  fireEvent.click(await screen.findByRole("button", { name: "Edit Emzor Pharmaceuticals" }));
}

describe("SuppliersScreen", () => {
  it("shows head office's vendor fields read-only and sends only the store's own", async () => {
    const calls = render(supplier({ catalogue_version: 2 }));
    expect(await screen.findByText("head office")).toBeInTheDocument();
    await edit();
    expect(screen.getByTestId("head-office-vendor")).toHaveTextContent("version 2");
    expect(screen.getByLabelText("Supplier name")).toBeDisabled();
    expect(screen.getByLabelText("Payment terms")).toBeDisabled();
    expect(screen.getByLabelText("Email")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Deactivate…" })).toBeNull();
    const account = screen.getByLabelText("Account number");
    expect(account).toBeEnabled();
    fireEvent.change(account, { target: { value: "IKJ-0042" } });
    fireEvent.click(screen.getByRole("button", { name: "Save supplier" }));
    await waitFor(() => expect(calls.some((c) => c.name === "update_supplier")).toBe(true));
    const sent = calls.find((c) => c.name === "update_supplier")?.input ?? {};
    expect(sent).toMatchObject({ id: "v1", account_number: "IKJ-0042" });
    for (const owned of ["name", "contact_person", "email", "phone", "address", "payment_terms", "tax_id", "categories", "is_active"]) {
      expect(sent).not.toHaveProperty(owned);
    }
  });

  it("lets the store edit every field of its own suppliers", async () => {
    const calls = render(supplier({}));
    await edit();
    expect(screen.queryByTestId("head-office-vendor")).toBeNull();
    const terms = screen.getByLabelText("Payment terms");
    expect(terms).toBeEnabled();
    expect(screen.getByRole("button", { name: "Deactivate…" })).toBeEnabled();
    fireEvent.change(terms, { target: { value: "COD" } });
    fireEvent.click(screen.getByRole("button", { name: "Save supplier" }));
    await waitFor(() => expect(calls.some((c) => c.name === "update_supplier")).toBe(true));
    expect(calls.find((c) => c.name === "update_supplier")?.input).toMatchObject({ name: "Emzor Pharmaceuticals", payment_terms: "COD" });
  });
});
