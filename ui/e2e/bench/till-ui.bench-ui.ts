// Scan → line on screen, and a five-line sale from the first scan to the
// receipt, measured inside the real webview (performance.now()) on a big
// store: the database prepared by scripts/bench-till-ui.sh (100,000
// products with barcodes 6000000000000+i and SKUs SKU-000001…, 1,000,000
// batches) and a PIN user to sign in with. Not run by CI.
//
// Inputs (environment): BENCH_DB (the database, used in place), BENCH_USER /
// BENCH_PIN (a cashier), BENCH_PRODUCTS, BENCH_BURSTS (default 200),
// BENCH_SALES (default 20), BENCH_SEED, BENCH_OUT (JSON written there too),
// PHARMAPOS_APP (the app binary; the script passes the release build),
// BENCH_APP_LOG (the app's log with RUST_LOG=pharmapos::ipc=debug: the
// shell's share of each command, set against the webview's round trip).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

import { clickButton, fill, startApp, type AppSession } from "../app";

const DB = process.env["BENCH_DB"] ?? "";
const USER = process.env["BENCH_USER"] ?? "Till Bench";
const PIN = process.env["BENCH_PIN"] ?? "2468";
const PRODUCTS = Number(process.env["BENCH_PRODUCTS"] ?? 100_000);
const BURSTS = Number(process.env["BENCH_BURSTS"] ?? 200);
const SALES = Number(process.env["BENCH_SALES"] ?? 20);
const LINES_PER_CART = 5;

/** splitmix64 over BigInt, so a seed picks the same products every run. */
function rng(seed: bigint): (n: number) => number {
  let s = seed;
  const M = (1n << 64n) - 1n;
  return (n) => {
    s = (s + 0x9e3779b97f4a7c15n) & M;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z = z ^ (z >> 31n);
    return Number(z % BigInt(n));
  };
}

interface Item {
  code: string;
  sku: string;
}

/** Groups of `size` distinct random products. */
function groups(count: number, size: number, next: (n: number) => number): Item[][] {
  const out: Item[][] = [];
  for (let g = 0; g < count; g++) {
    const seen = new Set<number>();
    const group: Item[] = [];
    while (group.length < size) {
      const i = 1 + next(PRODUCTS);
      if (seen.has(i)) continue;
      seen.add(i);
      group.push({ code: String(6_000_000_000_000 + i), sku: `SKU-${String(i).padStart(6, "0")}` });
    }
    out.push(group);
  }
  return out;
}

function stats(xs: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const p = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(p(0.5)), p99: r(p(0.99)), max: r(p(1)) };
}

/** What the page script sends back. */
interface PageResult {
  scanToDom: number[];
  scanToFrame: number[];
  sales: number[];
  skippedSales: number;
  failures: string[];
  ipc: Record<string, number[]>;
  /** Each timed scan: its first key, its scan_to_cart's request and answer, the line in the DOM (performance.now()). */
  scans: { key: number; sent: number; answered: number; dom: number }[];
  /** performance.timeOrigin: page times + this = the wall clock (epoch ms), as the shell's log. */
  origin: number;
}

let app: AppSession | null = null;
afterAll(async () => {
  await app?.close();
});

describe("till at 100,000 products", () => {
  it("measures scan → line and a five-line sale in the webview", async () => {
    expect(DB, "BENCH_DB names the prepared database").not.toBe("");
    app = await startApp({ dbPath: DB, dataDir: dirname(DB), args: ["--till-id", "BENCH-1"], drawing: "auto" });
    const b = app.browser;
    await b.$("//h1[normalize-space(.)='Sign in']").waitForDisplayed({ timeout: 120_000 });
    // Start-up: from the app's process start to the sign-in screen listing
    // its users (the screen's User Timing mark, on the same wall clock).
    await b.waitUntil(async () => (await b.execute(() => performance.getEntriesByName("pharmapos:sign-in-ready").length)) > 0, { timeout: 60_000 });
    const readyAt = await b.execute(() => {
      const m = performance.getEntriesByName("pharmapos:sign-in-ready")[0];
      return m ? performance.timeOrigin + m.startTime : NaN;
    });
    const startToSignIn = readyAt - processStartedAt(process.env["PHARMAPOS_APP"] ?? "");
    await b.$(`//label[contains(., '${USER}')]`).click();
    await fill(b, "PIN", PIN);
    await b.keys(["Enter"]);
    await b.$("//h1[normalize-space(.)='Till']").waitForDisplayed({ timeout: 60_000 });
    const form = b.$("//form[@aria-label='Open the shift']");
    const table = b.$("//table[@aria-label='Cart lines']");
    await b.waitUntil(async () => (await form.isDisplayed()) || (await table.isDisplayed()), { timeout: 60_000 });
    if (await form.isDisplayed()) {
      await fill(b, "Opening float", "0");
      await clickButton(b, "Open shift");
    }
    await table.waitForDisplayed({ timeout: 60_000 });

    const next = rng(BigInt(process.env["BENCH_SEED"] ?? 42));
    const scanGroups = groups(Math.ceil(BURSTS / LINES_PER_CART), LINES_PER_CART, next);
    const saleGroups = groups(SALES, LINES_PER_CART, next);
    const loadBefore = loadavg();
    const cpuBefore = cpuByThread();
    const started = Date.now();
    const r = (await b.executeAsync(
      (scanGroupsIn: Item[][], saleGroupsIn: Item[][], bursts: number, done: (r: PageResult) => void) => {
        const result: PageResult = {
          scanToDom: [],
          scanToFrame: [],
          sales: [],
          skippedSales: 0,
          failures: [],
          ipc: {},
          scans: [],
          origin: performance.timeOrigin,
        };
        /** The latest scan_to_cart: when it was sent and answered. */
        let lastScanIpc: { sent: number; answered: number } | null = null;
        // Time every IPC round trip by command (engine + IPC): Tauri's IPC
        // is a fetch of ipc://localhost/<command> (the engine command's name
        // is in the body of "call"), looked up on window at each call.
        const originalFetch = window.fetch.bind(window);
        const wrapped: typeof window.fetch = (input, init) => {
          const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
          if (!url.startsWith("ipc:")) return originalFetch(input, init);
          let name = decodeURIComponent(url.split("/").pop() ?? "");
          if (name === "call" && typeof init?.body === "string") {
            try {
              name = String((JSON.parse(init.body) as { name?: string }).name ?? name);
            } catch {
              // not JSON: keep "call"
            }
          }
          const t = performance.now();
          const p = originalFetch(input, init);
          p.then(
            () => {
              const now = performance.now();
              (result.ipc[name] ??= []).push(now - t);
              if (name === "scan_to_cart") lastScanIpc = { sent: t, answered: now };
            },
            () => undefined,
          );
          return p;
        };
        window.fetch = wrapped;
        if (window.fetch !== wrapped) result.failures.push("could not wrap fetch: no IPC breakdown");
        const $ = (sel: string) => document.querySelector(sel);
        const qty = (sku: string) => ($(`table[aria-label='Cart lines'] tr[data-sku='${sku}'] input`) as HTMLInputElement | null)?.value ?? null;
        const lineCount = () => document.querySelectorAll("table[aria-label='Cart lines'] tbody tr[data-sku]").length;
        /** Resolves with performance.now() when `cond` first holds after a DOM change (or a frame), null after 10 s. */
        const until = (cond: () => boolean): Promise<number | null> =>
          new Promise((resolve) => {
            if (cond()) return resolve(performance.now());
            const t0 = performance.now();
            let finished = false;
            const finish = (v: number | null) => {
              if (finished) return;
              finished = true;
              mo.disconnect();
              resolve(v);
            };
            const mo = new MutationObserver(() => cond() && finish(performance.now()));
            mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            const frame = () => {
              if (finished) return;
              if (cond()) return finish(performance.now());
              if (performance.now() - t0 > 10_000) return finish(null);
              requestAnimationFrame(frame);
            };
            requestAnimationFrame(frame);
          });
        const nextFrame = () => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now())));
        /** A keyboard-wedge burst: every key back to back, then Enter, to whatever has focus. */
        const burst = (code: string) => {
          const target = document.activeElement ?? document.body;
          for (const key of [...code, "Enter"]) target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
        };
        const key = (k: string) => document.body.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
        const button = (text: string, scope: ParentNode = document) =>
          Array.from(scope.querySelectorAll("button")).find((x) => (x.textContent ?? "").includes(text) && !x.disabled) ?? null;
        const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
        const cancelCart = async () => {
          if (lineCount() === 0) return;
          button("Cancel cart")?.click();
          await until(() => button("Yes, cancel cart") !== null);
          button("Yes, cancel cart")?.click();
          await until(() => lineCount() === 0);
          await pause(50);
        };
        (async () => {
          (document.activeElement as HTMLElement | null)?.blur();
          // Scan → line: groups of five scans into one cart, then cancel it.
          let done_ = 0;
          for (const group of scanGroupsIn) {
            for (const item of group) {
              if (done_ >= bursts) break;
              await pause(30); // a cashier's gap between packs
              const t0 = performance.now();
              lastScanIpc = null;
              burst(item.code);
              const t1 = await until(() => qty(item.sku) === "1");
              if (t1 === null) {
                result.failures.push(`scan ${item.code}: no line within 10 s`);
                continue;
              }
              const ipc = lastScanIpc as { sent: number; answered: number } | null;
              if (ipc) result.scans.push({ key: t0, sent: ipc.sent, answered: ipc.answered, dom: t1 });
              else result.failures.push(`scan ${item.code}: its scan_to_cart was not seen`);
              const t2 = await nextFrame();
              result.scanToDom.push(t1 - t0);
              result.scanToFrame.push(t2 - t0);
              done_++;
            }
            await cancelCart();
          }
          // Five-line sales: first scan → receipt on screen (cash, exact).
          for (const group of saleGroupsIn) {
            await pause(30);
            const t0 = performance.now();
            let ok = true;
            for (const item of group) {
              burst(item.code);
              if ((await until(() => qty(item.sku) === "1")) === null) {
                ok = false;
                break;
              }
            }
            // A product whose every batch has expired: the line is short and
            // the sale would be refused; such a sale is skipped.
            if (!ok || $("table[aria-label='Cart lines'] tr.short")) {
              result.skippedSales++;
              await cancelCart();
              continue;
            }
            key("F4");
            await until(() => $("form[aria-label='Payment'] button[data-tender='cash']") !== null);
            ($("form[aria-label='Payment'] button[data-tender='cash']") as HTMLButtonElement).click();
            await until(() => $("[data-testid='pay-change']") !== null);
            await until(() => button("Complete sale", $("form[aria-label='Payment']") ?? document) !== null);
            button("Complete sale", $("form[aria-label='Payment']") ?? document)?.click();
            const t1 = await until(() => $("[data-testid='receipt']") !== null);
            if (t1 === null) {
              result.failures.push(`sale ${result.sales.length + 1}: no receipt within 10 s`);
              result.skippedSales++;
              key("Escape");
              await cancelCart();
              continue;
            }
            result.sales.push(t1 - t0);
            key("Escape");
            await until(() => $("[data-testid='receipt']") === null && lineCount() === 0);
            await pause(50);
          }
          done(result);
        })().catch((e: unknown) => {
          result.failures.push(String(e));
          done(result);
        });
      },
      scanGroups,
      saleGroups,
      BURSTS,
    )) as PageResult;
    const loadAfter = loadavg();
    const cpu = cpuSeconds(cpuBefore, cpuByThread());
    const shell = shellTimings();
    // The Nth scan in the page is the Nth in the shell's log (scans are
    // sent one after another): what the round trip spent outside the shell
    // (the webview's IPC and the main thread's hops), call by call.
    const pageScans = r.ipc["scan_to_cart"] ?? [];
    const shellScans = shell["scan_to_cart"]?.["shell"] ?? [];
    const outside =
      pageScans.length === shellScans.length ? pageScans.map((ms, i) => ms - (shellScans[i] ?? 0)) : [];
    if (shell["scan_to_cart"] && pageScans.length !== shellScans.length) {
      r.failures.push(`scan_to_cart: ${pageScans.length} round trips in the page, ${shellScans.length} in the shell's log`);
    }
    const parts = scanParts(r, shellLog());
    const out = {
      products: PRODUCTS,
      build: process.env["BENCH_BUILD"] ?? "unknown",
      bursts: r.scanToDom.length,
      start_to_sign_in_ms: Math.round(startToSignIn),
      scan_to_line_dom_ms: stats(r.scanToDom),
      scan_to_line_next_frame_ms: stats(r.scanToFrame),
      five_line_sale_first_scan_to_receipt_ms: stats(r.sales),
      skipped_sales: r.skippedSales,
      ipc_ms: Object.fromEntries(Object.entries(r.ipc).map(([k, v]) => [k, stats(v)])),
      shell_ms: Object.fromEntries(
        Object.entries(shell).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).map(([part, ms]) => [part, stats(ms)]))]),
      ),
      scan_to_cart_outside_shell_ms: outside.length ? stats(outside) : null,
      // Each timed scan in five parts (wall clock: the page's and the
      // shell's log), and scan → DOM for the scans made while a full alert
      // sweep ran (its window in the log) and for the rest.
      scan_parts_ms: parts
        ? Object.fromEntries(Object.entries(parts.parts).map(([k, v]) => [k, stats(v)]))
        : null,
      scan_to_line_dom_during_full_sweep_ms: parts ? stats(parts.duringSweep) : null,
      scan_to_line_dom_outside_full_sweep_ms: parts ? stats(parts.outsideSweep) : null,
      full_sweeps_s: parts?.sweeps ?? null,
      slowest_scans_ms: parts?.slowest ?? null,
      failures: r.failures,
      wall_s: Math.round((Date.now() - started) / 100) / 10,
      // What the app chose at start (no flag: on the CPU where there is no GPU render node).
      draws_on_cpu: appLogSays("the web view draws on the CPU"),
      cpu_s_by_thread: cpu,
      loadavg_before: loadBefore,
      loadavg_after: loadAfter,
    };
    console.log(`BENCH_RESULT ${JSON.stringify(out)}`);
    if (process.env["BENCH_OUT"]) writeFileSync(process.env["BENCH_OUT"], `${JSON.stringify(out, null, 2)}\n`);
    expect(r.scanToDom.length).toBeGreaterThanOrEqual(Math.min(BURSTS, 200));
  });
});

/** One timed call in the shell's log (`<what> at_us=… queued_us=… shell_us=…`), in ms. */
interface ShellCall {
  what: string;
  us: Record<string, number>;
}

/** The shell's timed calls from BENCH_APP_LOG, in log order (empty without it). */
/** Whether the app's log (BENCH_APP_LOG) has `text`; null without a log. */
function appLogSays(text: string): boolean | null {
  const path = process.env["BENCH_APP_LOG"];
  return path ? readFileSync(path, "utf8").includes(text) : null;
}

function shellLog(): ShellCall[] {
  const path = process.env["BENCH_APP_LOG"];
  if (!path) return [];
  const line = /pharmapos::ipc\] (\S+) (.*)$/;
  const calls: ShellCall[] = [];
  for (const l of readFileSync(path, "utf8").split("\n")) {
    const m = line.exec(l);
    if (!m) continue;
    const us: Record<string, number> = {};
    for (const [, key, n] of (m[2] ?? "").matchAll(/(\w+)_us=(\d+)/g)) us[key ?? ""] = Number(n);
    calls.push({ what: m[1] ?? "", us });
  }
  return calls;
}

/** The shell's timings by command (ms), in log order. */
function shellTimings(): Record<string, Record<string, number[]>> {
  const out: Record<string, Record<string, number[]>> = {};
  for (const c of shellLog()) {
    const t = (out[c.what] ??= {});
    for (const [key, us] of Object.entries(c.us)) if (key !== "at") (t[key] ??= []).push(us / 1000);
  }
  return out;
}

/**
 * Each timed scan in parts: key → request sent (the page), sent → in the
 * shell, the shell, shell → answer in the page, answer → line in the DOM;
 * and scan → DOM split by whether a full alert sweep's window (from the log)
 * overlapped it. The timed scans are matched to the last scan_to_cart calls
 * in the log whose arrival falls in each scan's window. Null without the log.
 */
function scanParts(
  r: PageResult,
  log: ShellCall[],
): {
  parts: Record<string, number[]>;
  duringSweep: number[];
  outsideSweep: number[];
  sweeps: number[][];
  slowest: Record<string, number | boolean>[];
} | null {
  if (!log.length) return null;
  const wall = (t: number) => r.origin + t;
  const scans = log.filter((c) => c.what === "scan_to_cart" && c.us["at"] !== undefined);
  const sweeps = log
    .filter((c) => c.what === "timer:alert_sweep")
    .map((c) => [(c.us["at"] ?? 0) / 1000, ((c.us["at"] ?? 0) + (c.us["shell"] ?? 0)) / 1000] as const);
  const parts: Record<string, number[]> = { before_request: [], to_shell: [], shell: [], from_shell: [], answer_to_dom: [] };
  const duringSweep: number[] = [];
  const outsideSweep: number[] = [];
  const rows: Record<string, number | boolean>[] = [];
  const ms = (x: number) => Math.round(x * 10) / 10;
  for (const s of r.scans) {
    const [key, sent, answered, dom] = [wall(s.key), wall(s.sent), wall(s.answered), wall(s.dom)];
    // Clocks agree to about a millisecond: allow that much either side.
    const call = scans.find((c) => {
      const at = (c.us["at"] ?? 0) / 1000;
      return at >= sent - 2 && at <= answered + 2;
    });
    if (!call) {
      r.failures.push(`a scan at ${new Date(key).toISOString()}: no scan_to_cart in the shell's log in its window`);
      continue;
    }
    const at = (call.us["at"] ?? 0) / 1000;
    const shell = (call.us["shell"] ?? 0) / 1000;
    parts["before_request"]?.push(sent - key);
    parts["to_shell"]?.push(at - sent);
    parts["shell"]?.push(shell);
    parts["from_shell"]?.push(answered - (at + shell));
    parts["answer_to_dom"]?.push(dom - answered);
    const overlaps = sweeps.some(([from, to]) => from <= dom && to >= key);
    (overlaps ? duringSweep : outsideSweep).push(dom - key);
    rows.push({
      at_s: ms((key - wall(r.scans[0]?.key ?? 0)) / 1000),
      total: ms(dom - key),
      before_request: ms(sent - key),
      to_shell: ms(at - sent),
      shell: ms(shell),
      from_shell: ms(answered - (at + shell)),
      answer_to_dom: ms(dom - answered),
      during_full_sweep: overlaps,
    });
  }
  return {
    parts,
    duringSweep,
    outsideSweep,
    slowest: rows.sort((a, b) => Number(b["total"]) - Number(a["total"])).slice(0, 5),
    sweeps: sweeps.map(([from, to]) => [Math.round((from - wall(r.scans[0]?.key ?? 0)) / 100) / 10, Math.round((to - from) / 100) / 10]),
  };
}

/** When the newest process running `binary` started (epoch ms, to 10 ms), from /proc. */
function processStartedAt(binary: string): number {
  const pid = execFileSync("pgrep", ["-n", "-f", binary], { encoding: "utf8" }).trim();
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces): the 22nd field, start time, is the 20th of these.
  const startTicks = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]);
  const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  const uptime = Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);
  return Date.now() - (uptime - startTicks / ticksPerSecond) * 1000;
}

/** CPU ticks by "process/thread" name (threads of one name summed), from /proc. */
function cpuByThread(): Map<string, number> {
  const out = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const proc = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
        const thread = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
        // utime and stime: fields 14 and 15, the 12th and 13th after the name.
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const key = `${proc}/${thread}`;
        out.set(key, (out.get(key) ?? 0) + Number(f[11]) + Number(f[12]));
      }
    } catch {
      // the process ended while being read
    }
  }
  return out;
}

/** The 15 biggest CPU users between two snapshots, in seconds. */
function cpuSeconds(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const hz = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
  return Object.fromEntries(
    [...after]
      .map(([k, v]) => [k, (v - (before.get(k) ?? 0)) / hz] as const)
      .filter(([, s]) => s > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([k, s]) => [k, Math.round(s * 100) / 100]),
  );
}

function loadavg(): string {
  try {
    return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  } catch {
    return "n/a";
  }
}
