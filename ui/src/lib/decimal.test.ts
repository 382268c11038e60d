import { describe, expect, it } from "vitest";

import { isZeroDecimal, mulDecimal, sumDecimals } from "./decimal";

describe("decimal strings", () => {
  it("multiplies exactly", () => {
    expect(mulDecimal("12.5", "0.05")).toBe("0.625");
    expect(mulDecimal("3", "190")).toBe("570");
    expect(mulDecimal("-2", "1.10")).toBe("-2.2");
    // 0.1 × 3 is not 0.30000000000000004.
    expect(mulDecimal("0.1", "3")).toBe("0.3");
    expect(mulDecimal("123456789012.345", "1000")).toBe("123456789012345");
    expect(mulDecimal("x", "1")).toBeNull();
    expect(mulDecimal(null, "1")).toBeNull();
  });

  it("adds exactly", () => {
    expect(sumDecimals(["0.1", "0.2"])).toBe("0.3");
    expect(sumDecimals(["1200", "0.625", "-0.625"])).toBe("1200");
    expect(sumDecimals([])).toBe("0");
    expect(sumDecimals(["5", null, "n/a"])).toBe("5");
  });

  it("knows zero", () => {
    expect(isZeroDecimal("0.000")).toBe(true);
    expect(isZeroDecimal("0.001")).toBe(false);
    expect(isZeroDecimal("")).toBe(false);
  });
});
