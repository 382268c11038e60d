import { describe, expect, it } from "vitest";

import { classifyBurst, GS, keyChar, ScanBuffer } from "./scanner";

/** Feeds `text` then Enter with `gap` ms between keys, starting at `t0`. */
function feed(buf: ScanBuffer, text: string, gap: number, t0 = 1000): string | null {
  let t = t0;
  let out: string | null = null;
  for (const ch of text) {
    out = buf.key(ch, t) ?? out;
    t += gap;
  }
  return buf.key("Enter", t) ?? out;
}

describe("classifyBurst", () => {
  it("calls a fast burst ending in Enter a scan", () => {
    expect(classifyBurst([0, 8, 16, 24, 32, 40, 48, 56], 64)).toBe("scan");
  });

  it("calls human typing typing, however long", () => {
    expect(classifyBurst([0, 120, 260, 390, 510, 640, 800, 910], 1050)).toBe("typing");
  });

  it("needs a minimum length", () => {
    expect(classifyBurst([0, 5, 10], 15)).toBe("typing");
    expect(classifyBurst([0, 5, 10, 15], 20)).toBe("scan");
  });

  it("needs the Enter to come as fast as the characters", () => {
    expect(classifyBurst([0, 5, 10, 15, 20], 400)).toBe("typing");
  });

  it("refuses one slow gap in the middle", () => {
    expect(classifyBurst([0, 5, 10, 90, 95, 100], 105)).toBe("typing");
  });

  it("honours the options", () => {
    expect(classifyBurst([0, 60, 120, 180], 240, { maxGapMs: 80, minLength: 4 })).toBe("scan");
    expect(classifyBurst([0, 60, 120, 180], 240, { maxGapMs: 50, minLength: 4 })).toBe("typing");
  });
});

describe("ScanBuffer", () => {
  it("returns an EAN-13 scanned at 5 ms per key", () => {
    expect(feed(new ScanBuffer(), "5901234123457", 5)).toBe("5901234123457");
  });

  it("ignores the same digits typed by a person", () => {
    expect(feed(new ScanBuffer(), "5901234123457", 140)).toBeNull();
  });

  it("keeps a GS1 DataMatrix string with ]d2 and group separators (ASCII 29 or Ctrl+])", () => {
    const buf = new ScanBuffer();
    let t = 0;
    const step = (k: string, ctrl = false) => buf.key(k, (t += 4), ctrl);
    for (const ch of "]d2010950110153000317270101") step(ch);
    step(GS);
    for (const ch of "10ABC123") step(ch);
    step("]", true); // Ctrl+] is GS too
    for (const ch of "21SER1") step(ch);
    expect(step("Enter")).toBe(`]d2010950110153000317270101${GS}10ABC123${GS}21SER1`);
  });

  it("skips Shift (scanners press it for capitals) without breaking the burst", () => {
    const buf = new ScanBuffer();
    let t = 0;
    for (const k of ["Shift", "A", "Shift", "B", "1", "2", "3"]) buf.key(k, (t += 3));
    expect(buf.key("Enter", (t += 3))).toBe("AB123");
  });

  it("starts a new burst after a pause, so a stray key before a scan does not spoil it", () => {
    const buf = new ScanBuffer();
    buf.key("x", 0);
    expect(feed(buf, "40012345", 6, 500)).toBe("40012345");
  });

  it("knows when a burst is in progress (so / and F2 are not taken as shortcuts)", () => {
    const buf = new ScanBuffer();
    buf.key("1", 100);
    buf.key("2", 104);
    expect(buf.inBurst(110)).toBe(true);
    expect(buf.inBurst(400)).toBe(false);
  });
});

describe("keyChar", () => {
  it("maps keys to code characters", () => {
    expect(keyChar("7", false, false)).toBe("7");
    expect(keyChar("]", true, false)).toBe(GS);
    expect(keyChar(GS, false, false)).toBe(GS);
    expect(keyChar("Unidentified", false, false)).toBe(GS);
    expect(keyChar("Shift", false, false)).toBe("");
    expect(keyChar("ArrowDown", false, false)).toBeNull();
    expect(keyChar("a", false, true)).toBeNull();
  });
});
