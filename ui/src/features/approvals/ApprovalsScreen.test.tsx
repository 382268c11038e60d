import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import type { ApprovalRequest } from "../../bindings/ApprovalRequest";
import { NavigationContext, type NavigationTarget } from "../../lib/navigation";
import { StoreLocaleProvider } from "../../lib/locale";
import { LAGOS } from "../../test/renderWithStore";
import { renderInStore } from "../../test-utils";
import { ApprovalsScreen } from "./ApprovalsScreen";

afterEach(() => clearMocks());

const REQUESTS: ApprovalRequest[] = [
  {
    kind: "supplier_return", id: "r1", store_id: "s1", summary: "Paracetamol 500mg, batch V-1: return to Emzor -30 tablet (expired)",
    requested_by: "u3", requested_by_name: "Bola", requested_at: "2026-11-22T09:00:00Z", measure: "quantity", amount: "30", limit: "10",
    approve_command: "approve_adjustment", reject_command: "reject_adjustment",
  },
  {
    kind: "writeoff", id: "w1", store_id: "s1", summary: "Ibuprofen 200mg, batch I-1: write off -4 tablet (damage)",
    requested_by: "u3", requested_by_name: "Bola", requested_at: "2026-11-22T10:00:00Z", measure: "money", amount: "1250", limit: "1000",
    approve_command: "approve_adjustment", reject_command: "reject_adjustment",
  },
  {
    kind: "count", id: "c1", store_id: "s1", summary: "Cycle count CC-7: variance -12 units",
    requested_by: "u4", requested_by_name: "Chidi", requested_at: "2026-11-22T11:00:00Z", measure: null, amount: null, limit: null,
    approve_command: "approve_count", reject_command: "reject_count",
  },
];

type Call = { name: string; input: Record<string, unknown> };

function mock(handlers: Record<string, (input: Record<string, unknown>) => unknown> = {}): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected ${cmd}`);
    const { name, input } = args as Call;
    calls.push({ name, input });
    const handler = handlers[name];
    if (handler) return handler(input);
    if (name === "list_approvals") return REQUESTS;
    throw new Error(`unexpected call ${name}`);
  });
  return calls;
}

describe("ApprovalsScreen", { timeout: 30_000 }, () => {
  it("lists every request with who asked and its figure against the limit", async () => {
    mock();
    renderInStore(<ApprovalsScreen />, { role: "manager" });
    const table = await screen.findByRole("table", { name: "Requests waiting for approval" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.getAttribute("data-kind"))).toEqual(["supplier_return", "writeoff", "count"]);
    expect(rows[0]).toHaveTextContent("Return to supplier");
    expect(rows[0]).toHaveTextContent("Bola");
    const figures = within(table).getAllByTestId("approval-figure").map((c) => c.textContent);
    expect(figures).toEqual(["30, over the limit of 10", "₦1,250.00, over the limit of ₦1,000.00", ""]);
    // A kind this build cannot decide is read-only, never a failure.
    expect(within(rows[2]!).queryByRole("button", { name: /Approve/ })).toBeNull();
    expect(rows[2]).toHaveTextContent("Decide on its own screen");
  });

  it("approves with an optional note through the request's own command", async () => {
    const calls = mock({ approve_adjustment: () => ({}) });
    renderInStore(<ApprovalsScreen />, { role: "manager" });
    const table = await screen.findByRole("table", { name: "Requests waiting for approval" });
    fireEvent.click(within(table).getByRole("button", { name: `Approve: ${REQUESTS[0]!.summary}` }));
    const dialog = await screen.findByRole("alertdialog", { name: "Approve this request?" });
    expect(dialog).toHaveTextContent("30, over the limit of 10");
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(calls.find((c) => c.name === "approve_adjustment")?.input).toEqual({ adjustment_id: "r1" }));
    expect(await screen.findByText(/Approved: Return to supplier/)).toBeInTheDocument();
  });

  it("needs a reason to reject, and shows the engine's refusal", async () => {
    const calls = mock({
      reject_adjustment: (input) => {
        if (input["notes"] === "no") throw { kind: "adjustment_not_pending", message: "adjustment w1 is already applied", details: { adjustment_id: "w1", status: "applied" } };
        return {};
      },
    });
    renderInStore(<ApprovalsScreen />, { role: "manager" });
    const table = await screen.findByRole("table", { name: "Requests waiting for approval" });
    fireEvent.click(within(table).getByRole("button", { name: `Reject: ${REQUESTS[1]!.summary}` }));
    const dialog = await screen.findByRole("alertdialog", { name: "Reject this request?" });
    const confirm = within(dialog).getByRole("button", { name: "Reject" });
    expect(confirm).toBeDisabled();
    const reason = within(dialog).getByLabelText("Reason for rejecting (required)");
    fireEvent.change(reason, { target: { value: "no" } });
    fireEvent.click(confirm);
    expect(await within(dialog).findByText("This adjustment was already decided (applied).")).toBeInTheDocument();
    fireEvent.change(reason, { target: { value: "relabel instead" } });
    fireEvent.click(confirm);
    await waitFor(() => expect(calls.filter((c) => c.name === "reject_adjustment").at(-1)?.input).toEqual({ adjustment_id: "w1", notes: "relabel instead" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
  });

  it("decides a count's variances here: approve_count, and a refusal cancels the count with the reason", async () => {
    const count: ApprovalRequest = { ...REQUESTS[2]!, approve_command: "approve_count", reject_command: "cancel_count" };
    const calls = mock({ list_approvals: () => [count], cancel_count: () => ({}) });
    renderInStore(<ApprovalsScreen />, { role: "manager" });
    const table = await screen.findByRole("table", { name: "Requests waiting for approval" });
    expect(within(table).getByRole("button", { name: `Approve: ${count.summary}` })).toBeInTheDocument();
    fireEvent.click(within(table).getByRole("button", { name: `Reject: ${count.summary}` }));
    const dialog = await screen.findByRole("alertdialog", { name: "Reject this request?" });
    fireEvent.change(within(dialog).getByLabelText("Reason for rejecting (required)"), { target: { value: "recount shelf B" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Reject" }));
    await waitFor(() => expect(calls.find((c) => c.name === "cancel_count")?.input).toEqual({ count_id: "c1", reason: "recount shelf B" }));
  });

  it("links a request it cannot decide to its own screen", async () => {
    mock();
    const opened: NavigationTarget[] = [];
    render(
      <QueryClientProvider client={new QueryClient()}>
        <NavigationContext.Provider value={(t) => opened.push(t)}>
          <StoreLocaleProvider store={LAGOS}>
            <ApprovalsScreen />
          </StoreLocaleProvider>
        </NavigationContext.Provider>
      </QueryClientProvider>,
    );
    fireEvent.click(await screen.findByRole("button", { name: "Decide on its own screen" }));
    expect(opened).toEqual([{ screen: "counts" }]);
  });

  it("says when nothing waits", async () => {
    mock({ list_approvals: () => [] });
    renderInStore(<ApprovalsScreen />, { role: "manager" });
    expect(await screen.findByTestId("approvals-empty")).toHaveTextContent("Nothing waits for approval.");
  });
});
