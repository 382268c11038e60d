// Drives one real PharmaPOS window: opens the app on a fresh database file,
// finds controls by their visible labels (as a user would), and takes
// screenshots (into docs/screenshots/ with UPDATE_SCREENSHOTS=1).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { remote } from "webdriverio";

import { appBinary, DRIVER_PORT, SCREENSHOTS } from "./paths";

export type Browser = WebdriverIO.Browser;

export interface AppSession {
  browser: Browser;
  dataDir: string;
  dbPath: string;
  close: () => Promise<void>;
}

/**
 * Starts the app on `dbPath` (default: a fresh temporary folder), with extra
 * command-line `args`. It draws with `--gpu` unless `drawing` is "auto":
 * on a PC without a GPU render node (this one) the app would otherwise draw
 * on the CPU, where WebKitWebDriver's screenshots hang.
 */
export async function startApp(
  options: { dbPath?: string; dataDir?: string; args?: string[]; drawing?: "gpu" | "auto" } = {},
): Promise<AppSession> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "pharmapos-e2e-"));
  const dbPath = options.dbPath ?? join(dataDir, "store.db");
  const browser = await remote({
    hostname: "127.0.0.1",
    port: DRIVER_PORT,
    logLevel: "warn",
    waitforTimeout: 15_000,
    connectionRetryCount: 1,
    capabilities: {
      // @ts-expect-error tauri-driver's own capability
      "tauri:options": { application: appBinary(), args: ["--db", dbPath, ...(options.drawing === "auto" ? [] : ["--gpu"]), ...(options.args ?? [])] },
    },
  });
  return {
    browser,
    dataDir,
    dbPath,
    close: async () => {
      await browser.deleteSession().catch(() => undefined);
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function xpathLiteral(s: string): string {
  return s.includes('"') ? `concat("${s.split('"').join('", \'"\', "')}")` : `"${s}"`;
}

/** The control of the Field labelled `label` (exact label text), inside `within` (an XPath) when given. */
export async function field(b: Browser, label: string, within = "") {
  const el = b.$(`${within}//label[normalize-space(.)=${xpathLiteral(label)}]/following-sibling::*[1]`);
  await el.waitForDisplayed();
  return el;
}

/** Types into the field labelled `label`, replacing its content. */
export async function fill(b: Browser, label: string, value: string): Promise<void> {
  const el = await field(b, label);
  await el.clearValue();
  if (value !== "") await el.setValue(value);
}

/** Chooses the option of the select labelled `label` (inside `within`) whose text contains `text`. */
export async function choose(b: Browser, label: string, text: string, within = ""): Promise<void> {
  const select = await field(b, label, within);
  const option = select.$(`.//option[contains(normalize-space(.), ${xpathLiteral(text)})]`);
  await option.waitForExist();
  const value = await option.getAttribute("value");
  await select.selectByAttribute("value", value ?? "");
}

/**
 * Types `text` into the focused element one key at a time. WebdriverIO's
 * `keys` presses every key of its list before releasing any (a chord), so a
 * character repeated in one call is pressed again while still down, and a
 * date segment took "22" as "2" (the journey failed on dates like the 22nd).
 */
export async function typeText(b: Browser, text: string): Promise<void> {
  for (const key of text) await b.keys([key]);
}

/**
 * Types `value` into the searchable picker (React Aria ComboBox) labelled
 * `label` and picks the listed option that is exactly `value` (typing an
 * option's exact text already picks it and closes the list).
 */
export async function pick(b: Browser, label: string, value: string): Promise<void> {
  // Cleared as a person would: React Aria holds the text itself, and WebDriver's clear does not reach it.
  const input = await field(b, label);
  await input.click();
  await b.keys(["Control", "a"]);
  await b.keys(["Control"]);
  await b.keys(["Backspace"]);
  await typeText(b, value);
  const option = b.$(`//*[@role='option'][.//*[normalize-space(.)=${xpathLiteral(value)}]]`);
  if (await option.isDisplayed()) await option.click();
  await b.waitUntil(async () => (await input.getAttribute("aria-expanded")) !== "true" && (await input.getValue()) === value, {
    timeoutMsg: `${label} should hold ${value}, its list closed`,
  });
}

/**
 * Types the date `iso` ("YYYY-MM-DD") into the date field (React Aria
 * DateField: one segment per part, in the store locale's order) labelled
 * `label`: clicks the first segment and types each part in the order shown.
 */
export async function fillDate(b: Browser, label: string, iso: string): Promise<void> {
  // The picker's label is a span (there is no single input to label): its group of segments follows it.
  const group = b.$(`//*[@role='group'][@aria-labelledby=//span[normalize-space(.)=${xpathLiteral(label)}]/@id]`);
  await group.waitForDisplayed();
  const segments = await group.$$("[role='spinbutton'][data-type]");
  const [y, m, d] = iso.split("-");
  const parts: Record<string, string> = { year: y ?? "", month: m ?? "", day: d ?? "" };
  const order: string[] = [];
  for (const s of segments) order.push((await s.getAttribute("data-type")) ?? "");
  const first = segments[0];
  if (!first) throw new Error(`no date segments under ${label}`);
  await first.click();
  for (const type of order) {
    const part = parts[type];
    if (part === undefined) throw new Error(`unexpected date segment ${type}`);
    await typeText(b, part);
  }
  // Every segment shows its part; a named field's form value is the ISO date.
  const hidden = group.$("./parent::*//input[@type='hidden']");
  // What the field last showed goes into the failure message.
  let last = "";
  await b
    .waitUntil(async () => {
      const shown: Record<string, string> = {};
      for (const s of await group.$$("[role='spinbutton'][data-type]")) shown[(await s.getAttribute("data-type")) ?? ""] = await s.getText();
      const form = (await hidden.isExisting()) ? await hidden.getValue() : null;
      last = `segments ${JSON.stringify(shown)}, form value ${JSON.stringify(form)}`;
      const parts = Number(shown["year"]) === Number(y) && Number(shown["month"]) === Number(m) && Number(shown["day"]) === Number(d);
      return parts && (form === null || form === iso);
    })
    .catch((e: unknown) => {
      throw new Error(`${label} should show ${iso} (typed ${order.join("/")}); it showed ${last}`, { cause: e });
    });
}

/** Clicks the enabled button whose accessible text contains `text`. */
export async function clickButton(b: Browser, text: string, within?: string): Promise<void> {
  const scope = within ?? "";
  const el = b.$(`${scope}//button[contains(normalize-space(.), ${xpathLiteral(text)}) or @aria-label=${xpathLiteral(text)}]`);
  await el.waitForClickable();
  await el.click();
}

/** Waits until nothing matching `xpath` is displayed. Asked in one script in
 *  the page, so an element removed between being found and being checked (a
 *  dialog closing, a row re-rendered) cannot surface as a stale reference. */
export async function waitGone(b: Browser, xpath: string): Promise<void> {
  await b.waitUntil(
    () =>
      b.execute((x: string) => {
        const found = document.evaluate(x, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
        for (let i = 0; i < found.snapshotLength; i++) {
          const el = found.snapshotItem(i);
          if (el instanceof Element && el.getClientRects().length > 0) return false;
        }
        return true;
      }, xpath),
    { timeoutMsg: `still displayed: ${xpath}` },
  );
}

/** Waits until some element's text contains `text`; returns it. */
export async function waitForText(b: Browser, text: string, selector = "*") {
  const el = b.$(`//${selector}[contains(normalize-space(.), ${xpathLiteral(text)})][not(*[contains(normalize-space(.), ${xpathLiteral(text)})])]`);
  await el.waitForDisplayed();
  return el;
}

/** The first visible alert's text (errors are role="alert"). */
export async function alertText(b: Browser): Promise<string> {
  const el = b.$('[role="alert"]');
  await el.waitForDisplayed();
  return el.getText();
}

/** Saves a screenshot of the window as <name>.png in SCREENSHOTS (paths.ts). */
export async function screenshot(b: Browser, name: string): Promise<void> {
  // WebKitGTK under Xvfb snapshots the last composited frame, which can lag
  // behind the DOM: let two frames render and settle first.
  await b.executeAsync((done: () => void) => requestAnimationFrame(() => requestAnimationFrame(() => done())));
  await b.pause(250);
  await b.saveScreenshot(join(SCREENSHOTS, `${name}.png`));
}

/** Opens a screen with its Alt+digit (or Alt+letter) shortcut and waits for its heading. */
export async function goTo(b: Browser, digit: string, title: string): Promise<void> {
  await b.keys(["Alt", digit]);
  await b.keys(["Alt"]); // release
  const heading = b.$(`//h1[normalize-space(.)=${xpathLiteral(title)}]`);
  await heading.waitForDisplayed();
}

/** A date `days` from today (local), "YYYY-MM-DD". */
export function dateIn(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** First start: creates the store and its admin, then signs in. */
export async function setUpAndSignIn(b: Browser, opts: { shots?: boolean } = {}): Promise<void> {
  await b.$("//h1[normalize-space(.)='Welcome to PharmaPOS']").waitForDisplayed({ timeout: 30_000 });
  await fill(b, "Store name", "Lekki Pharmacy");
  await fill(b, "Store code", "LEK");
  await pick(b, "Time zone", "Africa/Lagos");
  await pick(b, "Currency", "NGN");
  // A Nigerian store formats money as ₦5,070.00 and dates day first.
  await fill(b, "Number and date format", "en-NG");
  await fill(b, "Administrator name", "Ada Okafor");
  await fill(b, "PIN", "2580");
  await fill(b, "PIN again", "2580");
  if (opts.shots) await screenshot(b, "01-setup");
  await clickButton(b, "Create store");
  await b.$("//h1[normalize-space(.)='Sign in']").waitForDisplayed();
  await b.$("//label[contains(., 'Ada Okafor')]").waitForDisplayed();
  await fill(b, "PIN", "2580");
  if (opts.shots) await screenshot(b, "02-sign-in");
  await b.keys(["Enter"]);
  // An administrator's home is the dashboard.
  await b.$("//h1[normalize-space(.)='Dashboard']").waitForDisplayed();
}
