import { describe, expect, it } from "vitest";
import { bandClass, expiryLabel } from "./expiry";

describe("expiry bands", () => {
  it.each([
    ["expired", "exp-expired"],
    ["within7_days", "exp-within7"],
    ["within30_days", "exp-within30"],
    ["within90_days", "exp-within90"],
    ["ok", ""],
    ["no_expiry", ""],
  ] as const)("%s has class '%s'", (band, cls) => {
    expect(bandClass(band)).toBe(cls);
  });

  it("labels in words", () => {
    expect(expiryLabel("within7_days", 0)).toBe("expires today");
    expect(expiryLabel("within7_days", 1)).toBe("1 day left");
    expect(expiryLabel("ok", 120)).toBe("120 days left");
    expect(expiryLabel("expired", -1)).toBe("expired 1 day ago");
    expect(expiryLabel("expired", -2)).toBe("expired 2 days ago");
    expect(expiryLabel("no_expiry", null)).toBe("no expiry");
  });
});
