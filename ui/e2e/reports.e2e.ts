// The manager's reports on the demo store, with the real app: every tab of
// the Reports screen opens and shows the engine's figures in a table (no
// error, nothing left loading), the sales report exports its rows as CSV,
// and the valuation's total matches the sum of its rows.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, goTo, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

const TABS = ["Stock valuation", "Batch aging", "Expiry risk", "Movements", "Waste", "Sales", "Vendors"] as const;
const PANEL = "//*[@role='tabpanel']";

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
  await signInAs(b, "manager");
  await goTo(b, "G", "Reports");
});
afterAll(async () => {
  await app?.close();
});

async function openTab(name: string): Promise<void> {
  const tab = b.$(`//*[@role='tab'][normalize-space(.)='${name}']`);
  await tab.waitForClickable();
  await tab.click();
  await b.waitUntil(async () => (await tab.getAttribute("aria-selected")) === "true", { timeoutMsg: `${name} should be the selected tab` });
  // Loaded: a table is shown, nothing says "Loading", no error.
  await b.waitUntil(
    async () => (await b.$(`${PANEL}//table`).isDisplayed()) && !(await b.$(`${PANEL}//*[contains(@class,'loading')]`).isExisting()),
    { timeoutMsg: `${name} should show its figures` },
  );
  expect(await b.$(`${PANEL}//*[@role='alert']`).isExisting(), `${name} shows an error`).toBe(false);
}

describe("the reports", () => {
  it("opens every report", async () => {
    for (const name of TABS) await openTab(name);
  });

  it("exports the sales report as CSV with the demo day's sales in it", async () => {
    await openTab("Sales");
    await clickButton(b, "Export CSV", PANEL);
    const notice = await waitForText(b, "rows to ");
    const said = (await notice.getText()).match(/Exported (\d[\d,]*) rows? to (.+\.csv)\./);
    const rows = Number((said?.[1] ?? "0").replace(/,/g, ""));
    expect(rows).toBeGreaterThan(0);
    // The file is where the notice says, header first, one line a row.
    const lines = readFileSync(said?.[2] ?? "", "utf8").trimEnd().split(/\r?\n/);
    expect(lines[0]).toContain("revenue");
    expect(lines).toHaveLength(rows + 1);
    await screenshot(b, "50-reports-sales");
  });

  it("shows stock valuation by category, its total the sum of the rows", async () => {
    await openTab("Stock valuation");
    await choose(b, "Group by", "Category", PANEL);
    const table = `${PANEL}//table[@aria-label='Stock valuation by category']`;
    await b.$(table).waitForDisplayed();
    const headers = await b.$$(`${table}//th`).map((h) => h.getText());
    const col = headers.findIndex((h) => h.trim() === "Value at cost");
    expect(col).toBeGreaterThan(0);
    const cells = await b.$$(`${table}/tbody/tr/td[${col + 1}]`).map((c) => c.getText());
    expect(cells.length).toBeGreaterThan(0);
    // "₦12,345.67" → kobo, summed exactly.
    const kobo = (s: string) => Math.round(Number(s.replace(/[^\d.-]/g, "")) * 100);
    const sum = cells.reduce((acc, c) => acc + kobo(c), 0);
    const total = await b.$("[data-testid='valuation-total-value']").getText();
    expect(total).toContain("₦");
    expect(sum).toBe(kobo(total));
    await screenshot(b, "51-reports-valuation");
  });
});
