import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { APPEARANCE_KEY, applyAppearance, loadAppearance } from "../../lib/appearance";
import { AppearanceDialog } from "./AppearanceDialog";

beforeEach(() => localStorage.clear());
afterEach(() => {
  delete document.documentElement.dataset["theme"];
  delete document.documentElement.dataset["touch"];
});

describe("Appearance", () => {
  it("switches theme and touch mode at once and keeps them on this computer", async () => {
    const user = userEvent.setup();
    render(<AppearanceDialog onClose={() => undefined} />);
    const dialog = await screen.findByRole("dialog", { name: "Appearance" });
    expect(screen.getByRole("radio", { name: /^Light/ })).toBeChecked();

    await user.click(screen.getByRole("radio", { name: /High contrast/ }));
    await user.click(screen.getByRole("checkbox", { name: /Touch mode/ }));
    await waitFor(() => expect(document.documentElement.dataset["theme"]).toBe("high-contrast"));
    expect(document.documentElement.dataset["touch"]).toBe("on");
    expect(JSON.parse(localStorage.getItem(APPEARANCE_KEY) ?? "{}")).toEqual({ theme: "high-contrast", touch: true });
    expect(loadAppearance()).toEqual({ theme: "high-contrast", touch: true });
    expect(dialog).toBeInTheDocument();
  });

  it("closes on Esc", async () => {
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(<AppearanceDialog onClose={onClose} />);
    await screen.findByRole("dialog", { name: "Appearance" });
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalled();
  });

  it("reads a damaged or foreign setting as the default, and applies to <html>", () => {
    localStorage.setItem(APPEARANCE_KEY, "{not json");
    expect(loadAppearance()).toEqual({ theme: "light", touch: false });
    localStorage.setItem(APPEARANCE_KEY, JSON.stringify({ theme: "neon", touch: "yes" }));
    expect(loadAppearance()).toEqual({ theme: "light", touch: false });
    applyAppearance({ theme: "dark", touch: false });
    expect(document.documentElement.dataset["theme"]).toBe("dark");
    expect(document.documentElement.dataset["touch"]).toBe("off");
  });
});
