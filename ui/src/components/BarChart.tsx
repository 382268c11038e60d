// A bar chart on uPlot (small, fast, canvas) with the same figures as a
// table for screen readers and for anyone who wants the numbers. uPlot was
// chosen over ECharts (ten times the size) and Recharts (SVG per point,
// slower on long series): the dashboard redraws on every data change.
//
// Bar heights are plotted from the exact decimal strings as JavaScript
// numbers: a drawing position, never a figure shown; labels and the table
// show the strings as the engine sent them, formatted by the store locale.
import { useEffect, useRef } from "react";
import type uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface BarSeries {
  label: string;
  /** CSS colour. */
  color: string;
  /** One decimal string per category. */
  values: readonly string[];
}

function canDraw(): boolean {
  try {
    return typeof document !== "undefined" && document.createElement("canvas").getContext("2d") !== null;
  } catch {
    return false;
  }
}

/**
 * uPlot builds an `Intl.NumberFormat(navigator.language)` when its module
 * loads; on a PC whose locale is `C` or `POSIX` (a kiosk, a CI box) the
 * webview reports "C", Intl throws and the chart never loads. Such a PC
 * speaks no language: English it is.
 */
function usableNavigatorLanguage(): void {
  try {
    new Intl.NumberFormat(navigator.language);
  } catch {
    Object.defineProperty(navigator, "language", { value: "en", configurable: true });
  }
}

/** The uPlot class from its module, however the bundler wrapped the default export. */
function uPlotClass(mod: unknown): typeof uPlot {
  let u = (mod as { default?: unknown }).default ?? mod;
  if (typeof u !== "function" && (u as { default?: unknown }).default) u = (u as { default: unknown }).default;
  return u as typeof uPlot;
}

/** Canvas does not read CSS variables: "var(--chart-1, #1d4ed8)" → the theme's colour. */
function resolveColor(color: string, el: HTMLElement): string {
  const m = /^var\((--[\w-]+)(?:,\s*([^)]+))?\)$/.exec(color.trim());
  if (!m) return color;
  return getComputedStyle(el).getPropertyValue(m[1] ?? "").trim() || (m[2] ?? "").trim() || "#1d4ed8";
}

function draw(
  UPlot: typeof uPlot,
  el: HTMLElement,
  categories: readonly string[],
  series: readonly BarSeries[],
  format: (value: string) => string,
  height: number,
  xLabel: string,
  tick: (category: string) => string,
): uPlot {
  const xs = categories.map((_, i) => i);
  const bars = UPlot.paths?.bars?.({ size: [0.7, 40], gap: 2 });
  return new UPlot(
    {
      width: Math.max(320, el.clientWidth),
      height,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      // Half a bar's room at each end, so the first and last bars show whole.
      // Bars stand on zero: the value axis always includes it.
      scales: {
        x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] },
        y: { range: (_u, min, max) => [Math.min(0, min), max > 0 ? max * 1.05 : 1] },
      },
      axes: [
        {
          // A label at each bar's own position only (uPlot may split between bars).
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? tick(categories[i] ?? "") : "")),
          stroke: "currentColor",
          grid: { show: false },
        },
        { stroke: "currentColor", size: 70 },
      ],
      series: [
        { label: xLabel, value: (_u: uPlot, v: number | null) => (v === null ? "" : (categories[Math.round(v)] ?? "")) },
        ...series.map((s, k) => ({
          label: s.label,
          stroke: resolveColor(s.color, el),
          fill: resolveColor(s.color, el),
          paths: bars,
          points: { show: false },
          value: (_u: uPlot, _v: number | null, _si: number, idx: number | null) => (idx === null ? "" : format(series[k]?.values[idx] ?? "")),
        })),
      ],
    },
    [xs, ...series.map((s) => s.values.map((v) => Number(v)))],
    el,
  );
}

/** A date category "2026-11-30" on the axis: "11-30". */
export function dayTick(category: string): string {
  return category.slice(5);
}

/** A named category (a product category, a window) on the axis, whole. */
export function fullTick(category: string): string {
  return category;
}

export function BarChart({
  label,
  categories,
  series,
  format,
  height = 220,
  xLabel,
  tickLabel = dayTick,
  categoriesAreData = false,
}: {
  label: string;
  /** X labels, one per bar group (e.g. dates). */
  categories: readonly string[];
  series: readonly BarSeries[];
  /** How a value is shown (money in the store's currency). */
  format: (value: string) => string;
  height?: number;
  /** The legend's name of the x axis (e.g. "Day"), translated by the caller. */
  xLabel: string;
  /** The axis label of a category (default: a date's "MM-DD"; pass `fullTick` for names). */
  tickLabel?: (category: string) => string;
  /** The categories are the store's data (category names), not translated text: marked translate="no". */
  categoriesAreData?: boolean;
}) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el || !canDraw() || categories.length === 0) return;
    let plot: uPlot | null = null;
    let cancelled = false;
    const resize = () => plot?.setSize({ width: Math.max(320, el.clientWidth), height });
    // Loaded on first use: the till and sign-in never pay for the chart code.
    usableNavigatorLanguage();
    void import("uplot").then((mod) => {
      if (cancelled) return;
      plot = draw(uPlotClass(mod), el, categories, series, format, height, xLabel, tickLabel);
      window.addEventListener("resize", resize);
    });
    return () => {
      cancelled = true;
      window.removeEventListener("resize", resize);
      plot?.destroy();
    };
  }, [categories, series, format, height, xLabel, tickLabel]);

  return (
    <figure className="chart" aria-label={label}>
      <div ref={host} aria-hidden="true" />
      <table className="visually-hidden" aria-label={label}>
        <thead>
          <tr>
            <th scope="col"> </th>
            {series.map((s) => (
              <th key={s.label} scope="col">
                {s.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {categories.map((c, i) => (
            <tr key={c}>
              <th scope="row" translate={categoriesAreData ? "no" : undefined}>
                {c}
              </th>
              {series.map((s) => (
                <td key={s.label}>{format(s.values[i] ?? "")}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
