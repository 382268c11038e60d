import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { Transfer } from "../../bindings/Transfer";
import type { TransferSummary } from "../../bindings/TransferSummary";
import { renderInStore } from "../../test-utils";
import { TransfersScreen } from "./TransfersScreen";

afterEach(() => clearMocks());

const A = "s-a";
const B = "s-b";

function summary(label: string, status: TransferSummary["status"], from = A, to = B): TransferSummary {
  return {
    id: `t-${label}`, number: 1, label, from_store_id: from, from_store_name: from === A ? "Lekki" : "Ikeja",
    to_store_id: to, to_store_name: to === A ? "Lekki" : "Ikeja", status, carrier: null, tracking_number: null, lines: 1,
    contents: "Paracetamol 500mg ×40", open_discrepancies: 0, created_at: "2026-01-15T09:00:00Z", shipped_at: null, received_at: null,
  };
}

function transfer(label: string, status: Transfer["status"], from = A, to = B, extra: Partial<Transfer> = {}): Transfer {
  const s = summary(label, status, from, to);
  return {
    id: s.id, number: 1, label, from_store_id: from, from_store_name: s.from_store_name, to_store_id: to, to_store_name: s.to_store_name,
    status, carrier: null, tracking_number: null, notes: null, cancel_reason: null, created_by: "u1", created_by_name: "chidi",
    created_at: s.created_at, requested_by: null, requested_at: null, approved_by: null, approved_at: null, shipped_by: null, shipped_at: null,
    received_by: null, received_at: null, cancelled_by: null, cancelled_at: null,
    items: [{ id: "i1", line_no: 1, product_id: "p1", product_name: "Paracetamol 500mg", sku: "PCM", unit: "tablet", batch_id: null, batch_number: null,
      requested: "40", approved: "40", shipped: "40", received: "0", discrepancy: "0", unit_cost: "20" }],
    lots: [{ id: "l1", item_id: "i1", product_id: "p1", product_name: "Paracetamol 500mg", unit: "tablet", source_batch_id: "b1", batch_number: "PCM-1",
      expiry_date: "2027-05-31", manufacture_date: null, cost_price: "20", shipped: "40", received: "0", discrepancy: "0", outstanding: "40", dest_batch_id: null }],
    discrepancies: [],
    ...extra,
  };
}

function renderScreen(handlers: Record<string, (input: Record<string, unknown>) => unknown>, storeId = A) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    const handler = handlers[name];
    if (handler) return handler(input);
    throw new Error(`unexpected call ${name}`);
  });
  renderInStore(<TransfersScreen storeId={storeId} />, { role: "manager" });
  return calls;
}

describe("TransfersScreen", { timeout: 30_000 }, () => {
  it("lists outgoing and incoming transfers and ships an approved one with its carrier", async () => {
    const calls = renderScreen({
      list_transfers: (input) => (input["direction"] === "incoming" ? [summary("STB-T0003", "in_transit", B, A)] : [summary("STA-T0001", "approved")]),
      get_transfer: () => transfer("STA-T0001", "approved"),
      ship_transfer: () => transfer("STA-T0001", "in_transit"),
    });
    const row = await screen.findByText("STA-T0001");
    expect(row.closest("tr")).toHaveTextContent("Approved");
    fireEvent.click(screen.getByRole("button", { name: "Open transfer STA-T0001" }));
    const ship = await screen.findByRole("form", { name: "Ship the transfer" });
    fireEvent.change(within(ship).getByLabelText("Carrier"), { target: { value: "GIG" } });
    fireEvent.change(within(ship).getByLabelText("Tracking number"), { target: { value: "GIG-1" } });
    fireEvent.submit(ship);
    await waitFor(() => expect(calls.some((c) => c.name === "ship_transfer")).toBe(true));
    expect(calls.find((c) => c.name === "ship_transfer")?.input).toEqual({ transfer_id: "t-STA-T0001", carrier: "GIG", tracking_number: "GIG-1" });
    expect(await screen.findByText("Transfer STA-T0001 shipped.")).toBeInTheDocument();
    // The destination never ships: no receive form on the source's side either.
    expect(screen.queryByRole("form", { name: "Receive the transfer" })).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Close" }));
    fireEvent.click(await screen.findByRole("tab", { name: "Incoming" }));
    expect(await screen.findByText("STB-T0003")).toBeInTheDocument();
  });

  it("receives per batch with damaged and short at the destination", async () => {
    let received = false;
    const calls = renderScreen(
      {
        list_transfers: () => [summary("STA-T0001", "in_transit")],
        get_transfer: () =>
          received
            ? transfer("STA-T0001", "received", A, B, {
                discrepancies: [{ id: "d1", transfer_id: "t-STA-T0001", lot_id: "l1", product_name: "Paracetamol 500mg", batch_number: "PCM-1",
                  kind: "short", quantity: "3", value: "60", status: "open", resolution: null, notes: null, recorded_by: "u2",
                  recorded_at: "2026-01-15T10:00:00Z", requested_by: null, requested_at: null, resolved_by: null, resolved_at: null, resolution_notes: null }],
              })
            : transfer("STA-T0001", "in_transit"),
        receive_transfer: () => {
          received = true;
          return true;
        },
      },
      B,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Open transfer STA-T0001" }));
    const form = await screen.findByRole("form", { name: "Receive the transfer" });
    const got = within(form).getByLabelText<HTMLInputElement>("Received of batch PCM-1");
    expect(got.value).toBe("40");
    fireEvent.change(got, { target: { value: "35" } });
    fireEvent.change(within(form).getByLabelText("Damaged of batch PCM-1"), { target: { value: "2" } });
    fireEvent.click(within(form).getByRole("checkbox"));
    fireEvent.submit(form);
    await waitFor(() => expect(calls.some((c) => c.name === "receive_transfer")).toBe(true));
    expect(calls.find((c) => c.name === "receive_transfer")?.input).toEqual({
      transfer_id: "t-STA-T0001",
      close: true,
      lines: [{ lot_id: "l1", received: "35", damaged: "2" }],
    });
    expect(await screen.findByText("Transfer STA-T0001 received.")).toBeInTheDocument();
  });

  it("lets the source resolve an open discrepancy", async () => {
    const calls = renderScreen({
      list_transfers: () => [summary("STA-T0001", "received")],
      get_transfer: () =>
        transfer("STA-T0001", "received", A, B, {
          discrepancies: [{ id: "d1", transfer_id: "t-STA-T0001", lot_id: "l1", product_name: "Paracetamol 500mg", batch_number: "PCM-1",
            kind: "short", quantity: "3", value: "60", status: "open", resolution: null, notes: null, recorded_by: "u2",
            recorded_at: "2026-01-15T10:00:00Z", requested_by: null, requested_at: null, resolved_by: null, resolved_at: null, resolution_notes: null }],
        }),
      resolve_discrepancy: () => ({ status: "pending_approval" }),
    });
    fireEvent.click(await screen.findByRole("button", { name: "Open transfer STA-T0001" }));
    const choice = await screen.findByLabelText("Resolution of PCM-1");
    fireEvent.change(choice, { target: { value: "returned" } });
    fireEvent.click(screen.getByRole("button", { name: "Resolve" }));
    await waitFor(() => expect(calls.find((c) => c.name === "resolve_discrepancy")?.input).toEqual({ discrepancy_id: "d1", resolution: "returned" }));
    expect(await screen.findByText("The resolution waits for a manager's approval.")).toBeInTheDocument();
  });
});
