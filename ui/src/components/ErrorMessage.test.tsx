import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";

import { ErrorMessage } from "./ErrorMessage";

describe("ErrorMessage", () => {
  it("shows a plain title, the message, and the details", () => {
    render(
      <ErrorMessage
        error={{ kind: "insufficient_stock", message: "insufficient stock: requested 5, available 2", details: { requested: "5", available: "2" } }}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Not enough stock");
    expect(alert).toHaveTextContent("requested 5, available 2");
    expect(alert).toHaveTextContent("available");
    expect(alert.dataset["kind"]).toBe("insufficient_stock");
  });

  it("renders nothing without an error", () => {
    const { container } = render(<ErrorMessage error={null} />);
    expect(container).toBeEmptyDOMElement();
  });

  it("hides empty details", () => {
    render(<ErrorMessage error={{ kind: "conflict", message: "duplicate", details: { field: null } }} />);
    expect(screen.queryByText(/Details/)).toBeNull();
  });
});
