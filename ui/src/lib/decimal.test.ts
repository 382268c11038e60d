import { describe, expect, it } from "vitest";

import { compareDecimal, divDecimal, isDecimal, isZeroDecimal, mulDecimal, shiftDecimal, subDecimal, sumDecimals } from "./decimal";

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

  it("divides to a number of places, rounding half away from zero", () => {
    // 100 U in 2.5 mL: 40 U per mL, 4 U per 0.1 mL.
    expect(divDecimal("100", "2.5")).toBe("40");
    expect(divDecimal("100", "3")).toBe("33.333");
    expect(divDecimal("2", "3", 2)).toBe("0.67");
    expect(divDecimal("-1", "8", 2)).toBe("-0.13");
    expect(divDecimal("1", "0")).toBeNull();
    expect(divDecimal("x", "1")).toBeNull();
  });

  it("shifts, subtracts and compares exactly", () => {
    expect(shiftDecimal("40", 1)).toBe("4");
    expect(shiftDecimal("33.333", 1)).toBe("3.3333");
    expect(subDecimal("100", "12.5")).toBe("87.5");
    expect(subDecimal("0.3", "0.1")).toBe("0.2");
    expect(compareDecimal("12.5", "12.50")).toBe(0);
    expect(compareDecimal("12.5", "20")).toBe(-1);
    expect(compareDecimal("20", "12.5")).toBe(1);
    expect(compareDecimal("a", "1")).toBeNull();
    expect(isDecimal("12.5")).toBe(true);
    expect(isDecimal("12,5")).toBe(false);
  });
});
