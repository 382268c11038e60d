import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";

import { Field } from "./Field";

describe("Field", () => {
  it("ties the label, the hint and the error to the control", () => {
    render(
      <Field label="Quantity" hint="Whole packs" error="Quantity must be more than zero">
        {(id) => <input id={id} name="quantity" />}
      </Field>,
    );
    const input = screen.getByLabelText("Quantity");
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription("Whole packs Quantity must be more than zero");
    const ids = (input.getAttribute("aria-describedby") ?? "").split(" ");
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual(["Whole packs", "Quantity must be more than zero"]);
    // The control comes right after its label (the end-to-end tests rely on it).
    expect(input.previousElementSibling?.tagName).toBe("LABEL");
  });

  it("is valid and undescribed without hint or error", () => {
    render(<Field label="Notes">{(id) => <input id={id} />}</Field>);
    const input = screen.getByLabelText("Notes");
    expect(input).not.toHaveAttribute("aria-invalid");
    expect(input).not.toHaveAttribute("aria-describedby");
    expect(screen.queryByText(/must/)).toBeNull();
  });

  it("passes the attributes to a control that spreads them itself", () => {
    render(
      <Field label="PIN" error="The two PINs differ">
        {(id, a11y) => (
          <span>
            <input id={id} {...a11y} />
          </span>
        )}
      </Field>,
    );
    expect(screen.getByLabelText("PIN")).toHaveAccessibleDescription("The two PINs differ");
    expect(screen.getByLabelText("PIN")).toHaveAttribute("aria-invalid", "true");
  });
});
