import { describe, expect, it } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";

import { DataTable, type Column } from "./DataTable";

type Item = { id: string; name: string; qty: number; low: boolean };

const ITEMS: Item[] = [
  { id: "a", name: "Paracetamol", qty: 120, low: false },
  { id: "b", name: "Amoxicillin", qty: 3, low: true },
];

function columns(onEdit: (i: Item) => void = () => undefined): Column<Item>[] {
  return [
    { header: "Name", cell: (i) => i.name },
    { header: "On hand", className: "num", cellClassName: (i) => (i.low ? "bad" : undefined), cell: (i) => i.qty },
    { header: "Note", cellClassName: "small", cell: (i) => (i.low ? "reorder" : "") },
    {
      label: "Actions",
      cell: (i) => (
        <button type="button" onClick={() => onEdit(i)}>
          Edit {i.name}
        </button>
      ),
    },
  ];
}

describe("DataTable", () => {
  it("shows a header per column and a row per item, in order, with the row's attributes", () => {
    const edited: string[] = [];
    render(
      <DataTable
        label="Stock"
        columns={columns((i) => edited.push(i.id))}
        rows={ITEMS}
        rowKey={(i) => i.id}
        rowAttributes={(i) => ({ "data-name": i.name, className: i.low ? "selected" : undefined })}
        empty="Nothing here."
      />,
    );
    const table = screen.getByRole("table", { name: "Stock" });
    expect(table.parentElement).toHaveClass("table-wrap");
    const [head, ...rows] = within(table).getAllByRole("row");
    const headers = within(head!).getAllByRole("columnheader");
    expect(headers.map((h) => h.textContent)).toEqual(["Name", "On hand", "Note", ""]);
    expect(headers[1]).toHaveClass("num");
    expect(headers[2]?.hasAttribute("class")).toBe(false);
    expect(headers[3]).toHaveAttribute("aria-label", "Actions");

    expect(rows.map((r) => r.dataset["name"])).toEqual(["Paracetamol", "Amoxicillin"]);
    expect(rows[0]?.hasAttribute("class")).toBe(false);
    expect(rows[1]).toHaveClass("selected");
    const cells = rows.map((r) => within(r).getAllByRole("cell"));
    expect(cells[0]?.map((c) => c.textContent)).toEqual(["Paracetamol", "120", "", "Edit Paracetamol"]);
    expect(cells[0]?.[0]?.hasAttribute("class")).toBe(false);
    expect(cells[0]?.[1]?.className).toBe("num");
    expect(cells[1]?.[1]?.className).toBe("num bad");
    expect(cells[1]?.[2]?.className).toBe("small");
    expect(screen.queryByText("Nothing here.")).toBeNull();

    fireEvent.click(within(rows[1]!).getByRole("button", { name: "Edit Amoxicillin" }));
    expect(edited).toEqual(["b"]);
  });

  it("says so across the whole row when the list is empty, and not when there is no list", () => {
    const { rerender } = render(<DataTable label="Stock" columns={columns()} rows={[]} rowKey={(i) => i.id} empty="Nothing here." />);
    const cell = screen.getByText("Nothing here.");
    expect(cell).toHaveClass("empty");
    expect(cell).toHaveAttribute("colspan", "4");

    rerender(<DataTable label="Stock" columns={columns()} rows={undefined} rowKey={(i) => i.id} empty="Nothing here." />);
    expect(screen.getByRole("table", { name: "Stock" })).toBeInTheDocument();
    expect(screen.queryByText("Nothing here.")).toBeNull();
  });

  it("shows Loading instead of the table while pending, and the error above it", () => {
    const { rerender } = render(
      <DataTable label="Stock" columns={columns()} rows={undefined} rowKey={(i) => i.id} loading={{ pending: true, what: "stock" }} />,
    );
    expect(screen.getByRole("status")).toHaveTextContent("Loading stock…");
    expect(screen.queryByRole("table")).toBeNull();

    rerender(
      <DataTable
        label="Stock"
        columns={columns()}
        rows={undefined}
        rowKey={(i) => i.id}
        loading={{ pending: false, what: "stock" }}
        error={{ kind: "forbidden", message: "not allowed to view stock", details: {} }}
      />,
    );
    expect(screen.queryByRole("status")).toBeNull();
    expect(screen.getByRole("alert")).toHaveTextContent("not allowed to view stock");
    expect(screen.getByRole("table", { name: "Stock" })).toBeInTheDocument();
  });
});
