import { describe, expect, it } from "vitest";

import { allTimeZones, COMMON_CURRENCIES, regionOf, suggestCurrency } from "./pcLocale";

describe("what the PC suggests for a new store", () => {
  it("takes the currency from the first language that names a region", () => {
    expect(suggestCurrency(["en-NG", "en"], "UTC")).toBe("NGN");
    expect(suggestCurrency(["fr", "fr-CI"], "UTC")).toBe("XOF");
    expect(suggestCurrency(["de-DE"], "Africa/Lagos")).toBe("EUR");
    expect(suggestCurrency(["en-KE"], "Africa/Nairobi")).toBe("KES");
  });

  it("falls back to the time zone's region, and guesses nothing without one", () => {
    // "en" alone names no region: never read it as the US.
    expect(regionOf(["en"])).toBeUndefined();
    expect(suggestCurrency(["en"], "Africa/Accra")).toBe("GHS");
    expect(suggestCurrency(["en"], "Europe/London")).toBe("GBP");
    expect(suggestCurrency(["en"], "Antarctica/Troll")).toBe("");
    expect(suggestCurrency(["not a tag"], "UTC")).toBe("");
  });

  it("lists every zone the runtime knows, plus UTC and the PC's own", () => {
    const zones = allTimeZones("Asia/Calcutta", "UTC", "Asia/Calcutta");
    expect(zones).toContain("Africa/Lagos");
    expect(zones).toContain("UTC");
    expect(zones).toContain("Asia/Calcutta");
    expect(new Set(zones).size).toBe(zones.length);
    expect(COMMON_CURRENCIES).toContain("NGN");
    expect(COMMON_CURRENCIES.every((c) => /^[A-Z]{3}$/.test(c))).toBe(true);
  });
});
