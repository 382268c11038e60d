import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";

import { Field } from "./Field";
import { ErrorMessage } from "./ErrorMessage";
import { fieldError } from "./errorText";

describe("ErrorMessage", () => {
  it("says what happened in plain words first, the engine's wording only under technical details", () => {
    render(
      <ErrorMessage
        error={{ kind: "insufficient_stock", message: "insufficient stock: requested 5, available 2", details: { requested: "5", available: "2", product_id: null, batch_id: null } }}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Not enough stock");
    expect(screen.getByText("Not enough stock: 5 asked for, 2 available.")).toBeVisible();
    expect(alert.dataset["kind"]).toBe("insufficient_stock");
    // The engine's message and kind are kept for support, folded away.
    const technical = screen.getByText("Technical details").closest("details");
    expect(technical).not.toHaveAttribute("open");
    expect(technical).toHaveTextContent("insufficient stock: requested 5, available 2");
    expect(technical).toHaveTextContent("insufficient_stock");
    expect(screen.queryByText(/Details \(/)).toBeNull();
  });

  it("renders nothing without an error", () => {
    const { container } = render(<ErrorMessage error={null} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("shows the engine's reason under the sentence when the reason is the specific part", () => {
    render(<ErrorMessage error={{ kind: "conflict", message: "sku PARA500 is already used by another product", details: {} }} />);
    expect(screen.getByRole("alert")).toHaveTextContent("This clashes with what is already saved. Nothing was changed.");
    expect(screen.getByText("Sku PARA500 is already used by another product")).toBeVisible();
  });

  it("points to the field the error is about, and the field shows it", () => {
    const error = { kind: "invalid_input", message: "quantity must be more than zero", details: { field: "quantity" } };
    render(
      <>
        <Field label="Quantity" error={fieldError(error, "quantity")}>
          {(id) => <input id={id} />}
        </Field>
        <ErrorMessage error={error} fields={{ quantity: "Quantity" }} />
      </>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Check “Quantity”: Quantity must be more than zero");
    expect(screen.getByLabelText("Quantity")).toHaveAccessibleDescription("Quantity must be more than zero");
    expect(screen.getByLabelText("Quantity")).toHaveAttribute("aria-invalid", "true");
  });

  it("maps a dotted engine field and a kind to the form's field", () => {
    expect(fieldError({ kind: "invalid_input", message: "bad", details: { field: "thresholds.min_level" } }, "min_level")).toBe("Bad");
    expect(fieldError({ kind: "no_cost_price", message: "x", details: { product_id: "p", sku: "PARA" } }, "cost_price")).toBe(
      "Product PARA has no cost price. Enter this delivery's cost price.",
    );
    expect(fieldError({ kind: "invalid_input", message: "bad", details: { field: "sku" } }, "name")).toBeUndefined();
  });
});
