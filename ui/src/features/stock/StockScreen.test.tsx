import { afterEach, describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { ProductHit } from "../../bindings/ProductHit";
import { renderWithStore } from "../../test/renderWithStore";
import { StockScreen } from "./StockScreen";

afterEach(() => clearMocks());

const HITS = [
  { product: { id: "p-amx", name: "Amoxicillin 500mg", sku: "AMX-500", unit: "capsule" }, available: "4", nearest_expiry: null },
] as unknown as ProductHit[];

describe("StockScreen", () => {
  it("opens on the product an alert links to, searching by its SKU", async () => {
    const calls = renderWithStore(<StockScreen initialProductId="p-amx" initialProductQuery="AMX-500" />, (name, input) => {
      if (name === "search_products") return String(input["query"]) === "AMX-500" ? HITS : [];
      if (name === "get_store_inventory") return [];
      return undefined;
    });
    expect(await screen.findByLabelText("Find product")).toHaveValue("AMX-500");
    await waitFor(() => expect(screen.getByLabelText("Product")).toHaveValue("p-amx"));
    expect(await screen.findByRole("heading", { name: "Batches, first to expire first (FEFO)" })).toBeInTheDocument();
    expect(calls.some((c) => c.name === "get_store_inventory" && (c.input as { product_id?: string }).product_id === "p-amx")).toBe(true);
  });
});
