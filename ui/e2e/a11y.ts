// Accessibility check of the screen on show: axe-core (WCAG 2 A and AA,
// which includes 4.5:1 text contrast) run inside the real webview, plus the
// 3:1 rule for focus rings and control borders (WCAG 1.4.11), which axe does
// not test: each visible control's border and its focus outline are
// compared with the background behind them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import type { Browser } from "./app";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe on the whole window; resolves with the violations in words. */
export async function axeViolations(b: Browser): Promise<string[]> {
  await b.execute(AXE_SOURCE);
  const result = (await b.executeAsync((done: (r: unknown) => void) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    axe
      .run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }, resultTypes: ["violations"] })
      .then((r) => done({ violations: r.violations }))
      .catch((e: unknown) => done({ error: String(e) }));
  })) as { violations?: Violation[]; error?: string };
  if (result.error) throw new Error(`axe failed: ${result.error}`);
  return (result.violations ?? []).map(
    (v) => `${v.id} (${v.impact ?? "?"}): ${v.help} — ${v.nodes
      .slice(0, 3)
      .map((n) => n.target.join(" "))
      .join("; ")}`,
  );
}

/** Focus-ring contrast: tabs through the first controls and measures the focus outline against the page. */
export async function focusRingProblems(b: Browser, tabs = 8): Promise<string[]> {
  const problems: string[] = [];
  for (let i = 0; i < tabs; i++) {
    await b.keys(["Tab"]);
    const found = (await b.execute(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const parse = (c: string): [number, number, number, number] | null => {
        const m = /rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/.exec(c);
        return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])] : null;
      };
      const lum = ([r, g, b]: [number, number, number, number]) => {
        const f = (v: number) => {
          const s = v / 255;
          return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const ratio = (a: [number, number, number, number], c: [number, number, number, number]) => {
        const [x, y] = [lum(a), lum(c)].sort((p, q) => q - p) as [number, number];
        return (x + 0.05) / (y + 0.05);
      };
      // The nearest opaque background behind the control.
      let bg: [number, number, number, number] = [255, 255, 255, 1];
      for (let n: HTMLElement | null = el.parentElement; n; n = n.parentElement) {
        const c = parse(getComputedStyle(n).backgroundColor);
        if (c && c[3] > 0.5) {
          bg = c;
          break;
        }
      }
      const style = getComputedStyle(el);
      const width = parseFloat(style.outlineWidth);
      const outline = parse(style.outlineColor);
      const shadow = style.boxShadow;
      const label = `${el.tagName.toLowerCase()}${el.getAttribute("aria-label") ? `[${el.getAttribute("aria-label")}]` : ""} "${(el.textContent ?? "").trim().slice(0, 30)}"`;
      if (style.outlineStyle !== "none" && width >= 2 && outline) {
        const r = ratio(outline, bg);
        return r >= 3 ? "" : `${label}: focus outline ${r.toFixed(2)}:1`;
      }
      if (shadow && shadow !== "none") {
        const c = parse(shadow);
        if (c) {
          const r = ratio(c, bg);
          return r >= 3 ? "" : `${label}: focus ring ${r.toFixed(2)}:1`;
        }
      }
      return `${label}: no visible focus indicator`;
    })) as string | null;
    if (found) problems.push(found);
  }
  return [...new Set(problems)];
}
