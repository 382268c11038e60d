import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen } from "@testing-library/react";
import { clearMocks } from "@tauri-apps/api/mocks";

import type { Store } from "../../bindings/Store";
import type { TillSettings } from "../../bindings/TillSettings";
import { renderWithStore } from "../../test/renderWithStore";
import { changedFields, parseTenders, StoreDetailsForm, TillSettingsForm } from "./StoreSettingsForms";

afterEach(() => clearMocks());

const STORE: Store = {
  id: "s1",
  code: "LEK",
  name: "Lekki Pharmacy",
  timezone: "Africa/Lagos",
  currency: "NGN",
  locale: "en-NG",
  tax_number: null,
  licence_number: null,
  address: null,
  phone: null,
  adjustment_approval_units: "10",
  adjustment_approval_value: "5000",
  stock_freeze_date: null,
  is_active: true,
  installation_id: null,
};

const TILL: TillSettings = {
  store_id: "s1",
  prices_include_tax: true,
  rounding_increment: "0",
  tenders: ["cash", "card"],
  receipt_show_batch: true,
  receipt_show_expiry: true,
  receipt_header: null,
  receipt_footer: null,
  hold_ttl_minutes: 30,
  cashier_discount_limit_percent: "10",
  cashier_refund_limit: "5000",
  sale_prefix: "S",
  return_disposition: "quarantine",
};

describe("store settings", () => {
  it("sends only the store details that changed", async () => {
    const calls = renderWithStore(<StoreDetailsForm store={STORE} />, (_name, input) => ({ ...STORE, ...input }), { role: "admin" });
    fireEvent.change(screen.getByLabelText("Address"), { target: { value: "12 Admiralty Way, Lekki" } });
    fireEvent.change(screen.getByLabelText("Phone"), { target: { value: "0803 000 0000" } });
    fireEvent.click(screen.getByRole("button", { name: "Save store details" }));
    expect(await screen.findByText("Store details saved.")).toBeInTheDocument();
    expect(calls).toEqual([{ name: "update_store", input: { id: "s1", address: "12 Admiralty Way, Lekki", phone: "0803 000 0000" } }]);
  });

  it("saves tenders, tax mode and hold time; refuses minutes that are not whole at the field", async () => {
    const calls = renderWithStore(<TillSettingsForm settings={TILL} />, (_name, input) => ({ ...TILL, ...input }));
    fireEvent.change(screen.getByLabelText("Tenders"), { target: { value: "cash, card, Mobile_Money" } });
    fireEvent.change(screen.getByLabelText("Tax mode"), { target: { value: "exclusive" } });
    fireEvent.change(screen.getByLabelText("Minutes a held cart keeps its stock"), { target: { value: "1.5" } });
    fireEvent.click(screen.getByRole("button", { name: "Save till settings" }));
    const minutes = screen.getByLabelText("Minutes a held cart keeps its stock");
    expect(minutes).toHaveAccessibleDescription("Enter whole minutes, e.g. 30.");
    expect(calls).toEqual([]);
    fireEvent.change(minutes, { target: { value: "45" } });
    fireEvent.click(screen.getByRole("button", { name: "Save till settings" }));
    expect(await screen.findByText("Till settings saved.")).toBeInTheDocument();
    expect(calls[0]?.input).toEqual({ store_id: "s1", tenders: ["cash", "card", "mobile_money"], prices_include_tax: false, hold_ttl_minutes: 45 });
  });

  it("knows what changed", () => {
    expect(changedFields({ a: "x", b: ["1"] }, { a: " x ", b: ["1"] })).toEqual({});
    expect(changedFields({ a: "x", b: true }, { a: "y", b: false })).toEqual({ a: "y", b: false });
    expect(parseTenders(" Cash,,card ")).toEqual(["cash", "card"]);
  });
});
