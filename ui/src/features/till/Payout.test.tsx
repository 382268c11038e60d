import { describe, expect, it, vi } from "vitest";
import { fireEvent, screen, within } from "@testing-library/react";

import type { Receipt } from "../../bindings/Receipt";
import type { ReturnResult } from "../../bindings/ReturnResult";
import { renderInStore } from "../../test-utils";
import { PayoutDialog, payoutOf } from "./Payout";

describe("PayoutDialog", () => {
  it("shows each tender of the engine's pay-out, in the store's money, and Esc says it is done", () => {
    const onDone = vi.fn();
    // A voided split sale: card 100, cash net of its change 85.50 (the engine's figures).
    const voided = { pay_out: [{ tender: "card", amount: "100" }, { tender: "cash", amount: "85.5" }] } as Pick<Receipt, "pay_out">;
    renderInStore(<PayoutDialog payout={payoutOf(voided, "Void of sale LEK-S-000007")} onDone={onDone} />);
    const dialog = screen.getByRole("alertdialog", { name: "Pay the customer back" });
    expect(within(dialog).getByText("Void of sale LEK-S-000007")).toBeInTheDocument();
    const lines = within(dialog).getAllByRole("listitem");
    expect(lines.map((li) => li.textContent)).toEqual(["₦100.00 in Card", "₦85.50 in Cash"]);
    expect(lines.map((li) => li.dataset["payoutTender"])).toEqual(["card", "cash"]);
    fireEvent.keyDown(dialog, { key: "Escape" });
    expect(onDone).toHaveBeenCalledTimes(1);
  });

  it("a return's pay-out is its refund in its tender, as the engine answered", () => {
    const returned = { refund: "19.95", tender: "transfer", pay_out: [{ tender: "transfer", amount: "19.95" }] } as Pick<ReturnResult, "refund" | "tender" | "pay_out">;
    renderInStore(<PayoutDialog payout={payoutOf(returned, "Refund on sale LEK-S-000007")} onDone={() => {}} />);
    const dialog = screen.getByRole("alertdialog", { name: "Pay the customer back" });
    expect(within(dialog).getAllByRole("listitem").map((li) => li.textContent)).toEqual(["₦19.95 in Transfer"]);
    expect(within(dialog).getByRole("button", { name: /Paid back/ })).toHaveFocus();
  });

  it("with an empty pay-out there is nothing to pay back and no line", () => {
    const onDone = vi.fn();
    renderInStore(<PayoutDialog payout={payoutOf({ pay_out: [] }, "Void of sale LEK-S-000008")} onDone={onDone} />);
    const dialog = screen.getByRole("alertdialog", { name: "Nothing to pay back" });
    expect(within(dialog).queryAllByRole("listitem")).toHaveLength(0);
    fireEvent.click(within(dialog).getByRole("button", { name: /Done/ }));
    expect(onDone).toHaveBeenCalledTimes(1);
  });
});
