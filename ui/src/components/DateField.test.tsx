import { describe, expect, it, vi } from "vitest";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { StoreLocaleProvider } from "../lib/locale";
import { DateField, fromCalendarDate, toCalendarDate } from "./DateField";

function Harness({ initial, onValue }: { initial: string; onValue: (v: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <StoreLocaleProvider store={{ locale: "en-GB", currency: "GBP", timeZone: "Europe/London" }}>
      <form aria-label="f">
        <DateField
          label="Expiry date"
          name="expiry_date"
          value={value}
          onChange={(v) => {
            setValue(v);
            onValue(v);
          }}
          error={value === "" ? "Enter the expiry date" : undefined}
        />
      </form>
    </StoreLocaleProvider>
  );
}

describe("DateField", () => {
  it("converts YYYY-MM-DD both ways, and nothing else", () => {
    expect(fromCalendarDate(toCalendarDate("2027-03-31"))).toBe("2027-03-31");
    expect(toCalendarDate("")).toBeNull();
    expect(toCalendarDate("31/03/2027")).toBeNull();
    expect(toCalendarDate("2027-02-30")).toBeNull();
    expect(fromCalendarDate(null)).toBe("");
  });

  it("shows a YYYY-MM-DD value in the store's order and gives back YYYY-MM-DD", async () => {
    const user = userEvent.setup();
    const onValue = vi.fn();
    const { container } = render(<Harness initial="2027-03-31" onValue={onValue} />);
    const group = screen.getByRole("group", { name: "Expiry date" });
    const segments = within(group).getAllByRole("spinbutton");
    // en-GB: day, month, year.
    expect(segments.map((s) => s.textContent)).toEqual(["31", "03", "2027"]);
    expect(container.querySelector<HTMLInputElement>("input[name=expiry_date]")?.value).toBe("2027-03-31");

    await user.click(segments[0]!);
    await user.keyboard("{ArrowDown}");
    expect(onValue).toHaveBeenLastCalledWith("2027-03-30");
    await user.click(segments[2]!);
    await user.keyboard("2028");
    expect(onValue).toHaveBeenLastCalledWith("2028-03-30");
    expect(container.querySelector<HTMLInputElement>("input[name=expiry_date]")?.value).toBe("2028-03-30");
  });

  it("shows again the date it keeps when left with a blank segment", async () => {
    const user = userEvent.setup();
    const onValue = vi.fn();
    render(<Harness initial="2027-03-31" onValue={onValue} />);
    const segments = () => within(screen.getByRole("group", { name: "Expiry date" })).getAllByRole("spinbutton");
    await user.click(segments()[0]!);
    await user.keyboard("{Backspace}{Backspace}");
    expect(segments()[0]).toHaveTextContent("dd");
    await user.tab({ shift: true });
    expect(segments().map((s) => s.textContent)).toEqual(["03", "03", "2027"]);
    expect(onValue).toHaveBeenLastCalledWith("2027-03-03");
  });

  it("gives back \"\" when cleared, with the error by the field", async () => {
    const user = userEvent.setup();
    const onValue = vi.fn();
    render(<Harness initial="2027-03-31" onValue={onValue} />);
    const segments = within(screen.getByRole("group", { name: "Expiry date" })).getAllByRole("spinbutton");
    const day = segments[0]!;
    await user.click(day);
    await user.keyboard("{Backspace}{Backspace}");
    await user.click(segments[1]!);
    await user.keyboard("{Backspace}{Backspace}");
    await user.click(segments[2]!);
    await user.keyboard("{Backspace}{Backspace}{Backspace}{Backspace}");
    expect(onValue).toHaveBeenLastCalledWith("");
    const error = await screen.findByText("Enter the expiry date");
    const ids = (day.getAttribute("aria-describedby") ?? "").split(" ");
    expect(ids).toContain(error.id);
    expect(day).toHaveAttribute("aria-invalid", "true");
  });

  it("takes every typed digit of a date entered again after the form reset it", async () => {
    const user = userEvent.setup();
    function Reset() {
      const [value, setValue] = useState("");
      return (
        <StoreLocaleProvider store={{ locale: "en-GB", currency: "GBP", timeZone: "Europe/London" }}>
          <DateField label="Expiry date" name="expiry_date" value={value} onChange={setValue} />
          <button type="button" onClick={() => setValue("")}>
            Next line
          </button>
          <output data-testid="value">{value}</output>
        </StoreLocaleProvider>
      );
    }
    render(<Reset />);
    const segments = () => within(screen.getByRole("group", { name: "Expiry date" })).getAllByRole("spinbutton");
    for (const [typed, iso] of [
      ["20062027", "2027-06-20"],
      ["07122026", "2026-12-07"],
      ["22122026", "2026-12-22"],
    ] as const) {
      await user.click(segments()[0]!);
      await user.keyboard(typed);
      expect(screen.getByTestId("value")).toHaveTextContent(iso);
      expect(segments().map((s) => s.textContent)).toEqual([iso.slice(8), iso.slice(5, 7), iso.slice(0, 4)]);
      await user.click(screen.getByRole("button", { name: "Next line" }));
      expect(screen.getByTestId("value")).toHaveTextContent("");
    }
  });
});
