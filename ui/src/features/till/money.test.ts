import { describe, expect, it } from "vitest";

import { formatMoney, isZeroMoney, parseMoney, subtractMoney, sumMoney } from "./money";

describe("money previews (exact, no floats)", () => {
  it("parses and formats decimal strings", () => {
    expect(parseMoney("12.50")).toBe(125000n);
    expect(parseMoney("0.1")).toBe(1000n);
    expect(parseMoney("abc")).toBeNull();
    expect(parseMoney("")).toBeNull();
    expect(formatMoney(125000n)).toBe("12.50");
    expect(formatMoney(-5n * 100n)).toBe("-0.05");
    expect(formatMoney(12345n)).toBe("1.2345");
  });

  it("adds where floats would not", () => {
    expect(formatMoney(sumMoney(["0.1", "0.2"]))).toBe("0.30");
    expect(subtractMoney("100", "92.35")).toBe("7.65");
    expect(subtractMoney("10", "x")).toBeNull();
  });

  it("knows zero in any spelling", () => {
    expect(isZeroMoney("0")).toBe(true);
    expect(isZeroMoney("0.00")).toBe(true);
    expect(isZeroMoney("0.01")).toBe(false);
  });
});

describe("quantities", () => {
  it("subtracts without money decimals", async () => {
    const { subtractQty } = await import("./money");
    expect(subtractQty("100", "48")).toBe("52");
    expect(subtractQty("2.5", "1")).toBe("1.5");
    expect(subtractQty("3", "3")).toBe("0");
  });
});

describe("quick cash", () => {
  const q = async (due: string) => {
    const { quickCashAmounts } = await import("./money");
    return quickCashAmounts(parseMoney(due) ?? 0n).map(formatMoney);
  };

  it("offers the next round notes above an NGN-sized amount", async () => {
    expect(await q("5070")).toEqual(["5100.00", "5500.00", "6000.00", "10000.00"]);
    expect(await q("190")).toEqual(["200.00", "500.00", "1000.00"]);
    expect(await q("1977.50")).toEqual(["2000.00", "5000.00", "10000.00"]);
  });

  it("offers bigger notes only when the amount is already round", async () => {
    expect(await q("5000")).toEqual(["10000.00", "50000.00"]);
  });

  it("works in cents for small currencies, exactly", async () => {
    expect(await q("12.37")).toEqual(["13.00", "15.00", "20.00", "50.00"]);
    expect(await q("0.3")).toEqual(["0.50", "1.00"]);
  });

  it("offers nothing when nothing is due", async () => {
    expect(await q("0")).toEqual([]);
    expect(await q("-5")).toEqual([]);
  });
});
