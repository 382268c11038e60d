import { afterEach, describe, expect, it } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { clearMocks, mockIPC } from "@tauri-apps/api/mocks";

import { ApprovalPrompt, type Approver, type PendingApproval } from "./ApprovalPrompt";

afterEach(() => clearMocks());

function renderPrompt(approvers: () => unknown, run: (a: Approver) => Promise<unknown>) {
  const asked: unknown[] = [];
  mockIPC((cmd, args) => {
    const { name, input } = args as { name: string; input: unknown };
    if (cmd === "call" && name === "list_approvers") {
      asked.push(input);
      return approvers();
    }
    throw new Error(`unexpected ${cmd} ${name}`);
  });
  const done: string[] = [];
  const pending: PendingApproval = {
    what: "Void of sale LEK-S-000007",
    amount: "₦190.00",
    limit: "every void",
    cashier: "Bola Ade",
    reason: "a void needs a manager's approval",
    run,
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <ApprovalPrompt pending={pending} onDone={() => done.push("done")} onCancel={() => done.push("cancel")} />
    </QueryClientProvider>,
  );
  return { asked, done };
}

describe("ApprovalPrompt", () => {
  it("shows what is approved and lets the manager pick their name", async () => {
    const sent: Approver[] = [];
    const { asked, done } = renderPrompt(
      () => [
        { id: "m1", name: "Ada Okafor" },
        { id: "m2", name: "Chidi Eze" },
      ],
      async (a) => sent.push(a),
    );
    const dialog = await screen.findByRole("dialog", { name: "Manager approval needed" });
    const facts = within(dialog).getByTestId("approval-facts");
    expect(facts).toHaveTextContent("Void of sale LEK-S-000007");
    expect(facts).toHaveTextContent("Amount₦190.00");
    expect(facts).toHaveTextContent("Limit it goes pastevery void");
    expect(facts).toHaveTextContent("CashierBola Ade");
    expect(within(dialog).queryByRole("textbox", { name: "Approving manager" })).toBeNull();
    // Nobody is chosen for them when there are several.
    fireEvent.change(await within(dialog).findByLabelText("Manager PIN"), { target: { value: "2580" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    expect(await within(dialog).findByText("Choose the approving manager.")).toBeInTheDocument();
    expect(sent).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole("radio", { name: "Chidi Eze" }));
    fireEvent.click(within(dialog).getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(done).toEqual(["done"]));
    expect(sent).toEqual([{ approver_name: "Chidi Eze", approver_pin: "2580" }]);
    expect(asked).toEqual([{}]);
  });

  it("chooses the only manager and goes straight to the PIN; a wrong PIN is said in place", async () => {
    let tries = 0;
    const sent: Approver[] = [];
    renderPrompt(
      () => [{ id: "m1", name: "Ada Okafor" }],
      async (a) => {
        sent.push(a);
        if (tries++ === 0) throw { kind: "approval_required", message: "wrong PIN for Ada Okafor", details: { reason: "wrong PIN for Ada Okafor" } };
      },
    );
    const radio = await screen.findByRole("radio", { name: "Ada Okafor" });
    expect(radio).toBeChecked();
    const pin = screen.getByLabelText("Manager PIN");
    await waitFor(() => expect(pin).toHaveFocus());
    fireEvent.change(pin, { target: { value: "9999" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve" }));
    expect(await screen.findByText("PIN refused")).toBeInTheDocument();
    expect(pin).toHaveValue("");
    expect(pin).toHaveAttribute("aria-invalid", "true");
    expect(pin.getAttribute("aria-describedby")).toBeTruthy();
    expect(document.getElementById(pin.getAttribute("aria-describedby") ?? "")).toHaveTextContent("wrong PIN for Ada Okafor");
    expect(sent[0]).toEqual({ approver_name: "Ada Okafor", approver_pin: "9999" });
  });

  it("falls back to typing the name when the list cannot be had", async () => {
    const sent: Approver[] = [];
    renderPrompt(
      () => {
        throw { kind: "not_found", message: "unknown command list_approvers", details: { entity: "command", id: "list_approvers" } };
      },
      async (a) => sent.push(a),
    );
    fireEvent.change(await screen.findByRole("textbox", { name: "Approving manager" }), { target: { value: " Ada Okafor " } });
    fireEvent.change(screen.getByLabelText("Manager PIN"), { target: { value: "2580" } });
    fireEvent.click(screen.getByRole("button", { name: "Approve" }));
    await waitFor(() => expect(sent).toEqual([{ approver_name: "Ada Okafor", approver_pin: "2580" }]));
  });

  it("says so when the store has nobody who can approve", async () => {
    renderPrompt(() => [], async () => undefined);
    expect(await screen.findByText(/No manager of this store has a PIN yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Approve" })).toBeDisabled();
  });

  it("closes on Esc", async () => {
    const { done } = renderPrompt(() => [{ id: "m1", name: "Ada Okafor" }], async () => undefined);
    const pin = await screen.findByLabelText("Manager PIN");
    await waitFor(() => expect(pin).toHaveFocus());
    fireEvent.keyDown(pin, { key: "Escape" });
    await waitFor(() => expect(done).toEqual(["cancel"]));
  });
});
