// The themes' colour pairs, computed from the hex values in styles.css (the
// WCAG 2 contrast ratio): text at least 4.5:1 on its background, control
// borders and focus rings at least 3:1 on what they sit on. Run with
// `npx vitest run src/styles.contrast.test.ts`; each pair's ratio is in the
// test's name, per theme.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Tests run from ui/ (vite.config.ts).
const CSS = readFileSync(resolve(process.cwd(), "src/styles.css"), "utf8");

/** The `--name: #hex` variables of the block whose selector is `selector`. */
function themeVars(selector: string): Record<string, string> {
  const start = CSS.indexOf(`${selector} {`);
  if (start < 0) throw new Error(`no block ${selector}`);
  const body = CSS.slice(start, CSS.indexOf("}", start));
  const vars: Record<string, string> = {};
  for (const m of body.matchAll(/--([\w-]+):\s*(#[0-9a-fA-F]{6})\s*;/g)) vars[m[1]!] = m[2]!.toLowerCase();
  return vars;
}

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG 2 contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** Text colour on background, read as words: at least 4.5:1. */
const TEXT: readonly [string, string][] = [
  ...["bg", "panel", "panel-alt", "input-bg", "button-bg", "button-hover", "row-hover", "row-selected", "row-sub", "status-bg"].map(
    (bg) => ["text", bg] as [string, string],
  ),
  ...["exp-expired", "exp-7", "exp-30", "exp-90", "rx-bg", "kbd-bg", "warn-bg", "ok-bg"].map((bg) => ["text", bg] as [string, string]),
  ...["bg", "panel", "panel-alt", "input-bg", "status-bg", "row-hover", "row-selected", "kbd-bg"].map((bg) => ["muted", bg] as [string, string]),
  ["on-brand", "brand"],
  ["on-brand", "brand-dark"],
  ["brand", "panel"],
  ["danger", "panel"],
  ["danger", "bg"],
  ["danger", "button-bg"],
  ["danger", "button-hover"],
  ["danger", "status-bg"],
  ["danger-text", "danger-bg"],
  ["ok", "panel"],
  ["ok-text", "ok-bg"],
  ["warn-text", "warn-bg"],
  ["on-focus", "focus"],
  ["nav-text", "nav-bg"],
  ["nav-text", "nav-hover"],
  ["nav-active-text", "nav-active-bg"],
  ["badge-expired-text", "badge-expired-bg"],
  ["badge-7-text", "badge-7-bg"],
  ["badge-30-text", "badge-30-bg"],
  ["badge-90-text", "badge-90-bg"],
];

/** Control borders and focus rings on what they sit on: at least 3:1. */
const NON_TEXT: readonly [string, string][] = [
  ...["panel", "bg", "input-bg", "panel-alt"].map((bg) => ["control-border", bg] as [string, string]),
  ...["bg", "panel", "panel-alt", "input-bg", "row-selected", "exp-expired", "exp-7", "exp-30", "status-bg"].map((bg) => ["focus", bg] as [string, string]),
  ["nav-focus", "nav-bg"],
  ["nav-focus", "nav-hover"],
  ["danger", "input-bg"],
  ["brand", "bg"],
  ["ok", "status-bg"],
  ["warn-border", "warn-bg"],
];

const THEMES = { light: ':root,\n[data-theme="light"]', dark: '[data-theme="dark"]', "high contrast": '[data-theme="high-contrast"]' };

describe.each(Object.entries(THEMES))("the %s theme", (_, selector) => {
  const vars = themeVars(selector);
  const ratio = (a: string, b: string) => {
    if (!vars[a] || !vars[b]) throw new Error(`--${a} or --${b} is not a hex colour of ${selector}`);
    return contrast(vars[a], vars[b]);
  };

  it("defines every colour the other themes do", () => {
    expect(Object.keys(vars).sort()).toEqual(Object.keys(themeVars(THEMES.light)).sort());
  });

  it.each(TEXT.map(([fg, bg]) => [fg, bg, ratio(fg, bg).toFixed(2)]))("text --%s on --%s: %s:1 ≥ 4.5", (fg, bg) => {
    expect(ratio(fg!, bg!)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(NON_TEXT.map(([fg, bg]) => [fg, bg, ratio(fg, bg).toFixed(2)]))("border --%s on --%s: %s:1 ≥ 3", (fg, bg) => {
    expect(ratio(fg!, bg!)).toBeGreaterThanOrEqual(3);
  });
});

describe("contrast", () => {
  it("matches WCAG's reference values", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
    expect(contrast("#ffffff", "#ffffff")).toBe(1);
  });
});
