import { fireEvent, screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";
import { afterEach, describe, expect, it } from "vitest";

import type { Product } from "../../bindings/Product";
import { renderWithStore } from "../../test/renderWithStore";
import { ProductForm } from "./ProductForm";

afterEach(() => clearMocks());

function product(over: Partial<Product>): Product {
  return {
    id: "p1", sku: "AMX500", name: "Amoxicillin 500mg", generic_name: "amoxicillin", brand: null, description: null,
    category: "medicine", category_id: null, nafdac_number: null, barcodes: ["5012345678900"], unit: "capsule",
    allow_fractional: false, prescription_only: true, cost_price: "800.00", selling_price: "1250.00", retail_price: null,
    markup_percent: null, commission_rate: null, tax_rate: "0", injectable: null, storage: null,
    thresholds: { reorder_point: "10" }, tracking: { lot: true, serial: false, expiry_required: true }, status: "active",
    created_at: "2026-12-01T10:00:00Z", updated_at: "2026-12-01T10:00:00Z", deleted_at: null, deleted_by: null,
    catalogue_version: null, ...over,
  };
}

function render(p: Product) {
  return renderWithStore(<ProductForm product={p} onSaved={() => undefined} onCancel={() => undefined} />, (name, input) => {
    if (name === "list_categories") return [];
    if (name === "update_product") return { ...p, ...input };
    throw new Error(`unexpected ${name}`);
  });
}

describe("ProductForm", () => {
  it("shows head office's fields read-only on its products and sends only the store's own", async () => {
    const calls = render(product({ catalogue_version: 3 }));
    expect(await screen.findByTestId("head-office-product")).toHaveTextContent("version 3");
    expect(screen.getByLabelText("SKU")).toBeDisabled();
    expect(screen.getByLabelText("Selling price")).toBeDisabled();
    expect(screen.getByLabelText("Prescription only")).toBeDisabled();
    expect(screen.getByLabelText("Status")).toBeDisabled();
    const reorder = screen.getByLabelText("Reorder point");
    expect(reorder).toBeEnabled();
    expect(screen.getByLabelText("Cost price")).toBeEnabled();
    fireEvent.change(reorder, { target: { value: "40" } });
    fireEvent.click(screen.getByRole("button", { name: "Save product" }));
    await waitFor(() => expect(calls.some((c) => c.name === "update_product")).toBe(true));
    const sent = calls.find((c) => c.name === "update_product")?.input ?? {};
    expect(sent).toMatchObject({ id: "p1", thresholds: { reorder_point: "40" } });
    for (const owned of ["sku", "name", "selling_price", "tax_rate", "barcodes", "unit", "status", "prescription_only"]) {
      expect(sent).not.toHaveProperty(owned);
    }
  });

  it("lets the store edit every field of its own products", async () => {
    const calls = render(product({}));
    expect(screen.queryByTestId("head-office-product")).toBeNull();
    const price = await screen.findByLabelText("Selling price");
    expect(price).toBeEnabled();
    fireEvent.change(price, { target: { value: "1300" } });
    fireEvent.click(screen.getByRole("button", { name: "Save product" }));
    await waitFor(() => expect(calls.some((c) => c.name === "update_product")).toBe(true));
    expect(calls.find((c) => c.name === "update_product")?.input).toMatchObject({ sku: "AMX500", selling_price: "1300" });
  });
});
