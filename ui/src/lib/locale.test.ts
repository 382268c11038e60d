import { describe, expect, it } from "vitest";

import { makeFormatters } from "./locale";

describe("store locale", () => {
  const ng = makeFormatters({ locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" });

  it("formats money with the store's symbol and grouping, exactly", () => {
    expect(ng.money("5070")).toBe("₦5,070.00");
    expect(ng.money("0.0125")).toBe("₦0.0125");
    // Beyond a double's precision: a decimal string is never a float.
    expect(ng.money("12345678901234.55")).toBe("₦12,345,678,901,234.55");
    expect(ng.money("-3.5")).toBe("-₦3.50");
  });

  it("formats another store's currency and decimals", () => {
    const de = makeFormatters({ locale: "de-DE", currency: "EUR", timeZone: "Europe/Berlin" });
    expect(de.money("1234.5")).toBe("1.234,50\u00a0€");
    expect(de.qty("1234.5", "ml")).toBe("1.234,5 ml");
  });

  it("shows instants in the store's zone, not the PC's", () => {
    const tokyo = makeFormatters({ locale: "en-GB", currency: "JPY", timeZone: "Asia/Tokyo" });
    // 23:30 UTC on the 30th is 08:30 on the 1st in Tokyo.
    expect(tokyo.instant("2026-11-30T23:30:00Z")).toBe("1 Dec 2026, 08:30");
    expect(tokyo.today(new Date("2026-11-30T23:30:00Z"))).toBe("2026-12-01");
    expect(ng.today(new Date("2026-11-30T23:30:00Z"))).toBe("2026-12-01");
    expect(tokyo.money("500")).toBe("JP¥500");
  });

  it("keeps calendar dates as dates", () => {
    const la = makeFormatters({ locale: "en-US", currency: "USD", timeZone: "America/Los_Angeles" });
    expect(la.date("2027-03-31")).toBe("Mar 31, 2027");
  });

  it("starts a store's day at its own midnight", () => {
    expect(ng.dayStart("2026-11-22")).toBe("2026-11-21T23:00:00.000Z");
    expect(ng.dayStart("2026-11-22", true)).toBe("2026-11-22T23:00:00.000Z");
    const la = makeFormatters({ locale: "en-US", currency: "USD", timeZone: "America/Los_Angeles" });
    // Summer (UTC-7) and winter (UTC-8), and the day clocks go back.
    expect(la.dayStart("2026-07-01")).toBe("2026-07-01T07:00:00.000Z");
    expect(la.dayStart("2026-11-01")).toBe("2026-11-01T07:00:00.000Z");
    expect(la.dayStart("2026-11-01", true)).toBe("2026-11-02T08:00:00.000Z");
    expect(ng.dayStart("")).toBeUndefined();
  });

  it("falls back to English for a PC locale that is no language tag", () => {
    const c = makeFormatters({ locale: "C", currency: "NGN", timeZone: "Africa/Lagos" });
    expect(c.money("5070")).toBe("NGN\u00a05,070.00");
    expect(c.instant("2026-11-30T23:30:00Z")).toContain("2026");
  });

  it("shows what it cannot parse as given", () => {
    expect(ng.money("n/a")).toBe("n/a");
    expect(ng.qty("")).toBe("");
  });
});
