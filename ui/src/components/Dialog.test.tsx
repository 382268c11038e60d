import { describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { ConfirmDialog } from "./ConfirmDialog";
import { Dialog } from "./Dialog";

function Opener() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Open
      </button>
      {open && (
        <Dialog title="Keyboard" onClose={() => setOpen(false)}>
          <p>Help text</p>
          <button type="button">Inside</button>
        </Dialog>
      )}
    </>
  );
}

describe("Dialog", () => {
  it("is a titled modal that Esc closes, keeping focus inside and giving it back", async () => {
    const user = userEvent.setup();
    render(<Opener />);
    const opener = screen.getByRole("button", { name: "Open" });
    await user.click(opener);
    const dialog = await screen.findByRole("dialog", { name: "Keyboard" });
    expect(dialog).toHaveTextContent("Help text");
    await waitFor(() => expect(dialog.contains(document.activeElement)).toBe(true));
    // Tab cycles inside the dialog (focus trap).
    for (let i = 0; i < 4; i++) {
      await user.tab();
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(opener));
  });

  it("keeps its Esc to itself: a form's window-level Esc under it does not fire", async () => {
    const user = userEvent.setup();
    const formEsc = vi.fn();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") formEsc();
    };
    window.addEventListener("keydown", onKey);
    try {
      const onClose = vi.fn();
      render(
        <Dialog title="Remove?" onClose={onClose}>
          <button type="button">Inside</button>
        </Dialog>,
      );
      await screen.findByRole("dialog");
      await user.keyboard("{Escape}");
      expect(onClose).toHaveBeenCalledTimes(1);
      expect(formEsc).not.toHaveBeenCalled();
    } finally {
      window.removeEventListener("keydown", onKey);
    }
  });

  it("closes on its close button", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <Dialog title="Appearance" onClose={onClose}>
        <p>x</p>
      </Dialog>,
    );
    await user.click(screen.getByRole("button", { name: "Close" }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });
});

describe("ConfirmDialog", () => {
  it("shows the preview, starts on the safe choice, and confirms only when asked", async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog title="Mark 2 batches as expired?" confirmLabel="Mark as expired" onConfirm={onConfirm} onCancel={onCancel}>
        <p>B-1 and B-2, worth ₦1,200.00</p>
      </ConfirmDialog>,
    );
    const dialog = await screen.findByRole("alertdialog", { name: "Mark 2 batches as expired?" });
    expect(dialog).toHaveAccessibleDescription("B-1 and B-2, worth ₦1,200.00");
    await waitFor(() => expect(document.activeElement).toHaveTextContent("Cancel"));
    await user.keyboard("{Enter}");
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    await user.click(screen.getByRole("button", { name: "Mark as expired" }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it("Esc cancels", async () => {
    const user = userEvent.setup();
    const onCancel = vi.fn();
    render(
      <ConfirmDialog title="Deactivate Bola?" confirmLabel="Deactivate" onConfirm={() => undefined} onCancel={onCancel}>
        <p>Bola can no longer sign in.</p>
      </ConfirmDialog>,
    );
    await screen.findByRole("alertdialog");
    await user.keyboard("{Escape}");
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it("keeps the action's error in the dialog, in plain words", async () => {
    render(
      <ConfirmDialog
        title="Write off?"
        confirmLabel="Write off"
        onConfirm={() => undefined}
        onCancel={() => undefined}
        error={{ kind: "batch_empty", message: "batch B-1 is empty", details: { batch_id: "b1", batch: "B-1" } }}
      >
        <p>preview</p>
      </ConfirmDialog>,
    );
    expect(await screen.findByRole("alert")).toHaveTextContent("Batch B-1 is empty.");
  });
});
