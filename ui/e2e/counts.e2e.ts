// A physical count on the demo store, with the real app, while the shop
// keeps selling: the manager drafts a cycle count of one product (one
// batch), starts it (the system quantity is taken then), sells one pack of
// it at the till, comes back and records what is on the shelf — the
// quantity at the start minus the pack sold — completes (approving if the
// store asks) and posts. The shelf already reflects the sale, so posting
// must leave on-hand at exactly what was counted: the Stock screen says so.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, fill, goTo, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

const PRODUCT = "Ibuprofen 400mg tablets x10";
const SKU = "IBU-400-10";
const BATCH = "IBU-2406"; // the product's only batch in the demo
const DIALOG = "//*[@role='dialog']";
const SHEET = "//table[@aria-label='Count sheet']";

/** "80 pack" or "1,234" → "80", "1234". */
const digits = (s: string) => s.replace(/[^\d.-]/g, "");

async function openCounts(): Promise<void> {
  await goTo(b, "O", "Counts");
}

/** The text of the sheet's cell in column `header` of the batch's row. */
async function sheetCell(header: string): Promise<string> {
  const row = b.$(`${SHEET}//tr[@data-batch='${BATCH}']`);
  await row.waitForDisplayed();
  const headers = await b.$$(`${SHEET}//th`).map((h) => h.getText());
  const col = headers.findIndex((h) => h.trim() === header);
  if (col < 0) throw new Error(`no ${header} column in ${headers.join(" | ")}`);
  return row.$(`./td[${col + 1}]`).getText();
}

async function closeDialog(): Promise<void> {
  await b.$(`${DIALOG}//button[@aria-label='Close']`).click();
  await b.$(DIALOG).waitForDisplayed({ reverse: true });
}

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
});

describe("a count while the shop sells, on the demo store", () => {
  let shelf = 0;

  it("drafts a cycle count of one product and starts it", async () => {
    await signInAs(b, "manager");
    await openCounts();
    await clickButton(b, "New count");
    await choose(b, "Type of count", "Cycle");
    await fill(b, "Find product", "Ibuprofen 400");
    await choose(b, "Product", PRODUCT);
    await clickButton(b, "Add to the count");
    await b.$(`//ul[@aria-label='To count']/li[contains(., '${PRODUCT}')]`).waitForDisplayed();
    await fill(b, "Notes", "e2e: cycle count while selling");
    await clickButton(b, "Create count");
    // The draft opens in its sheet.
    await clickButton(b, "Start counting", DIALOG);
    await waitForText(b, "started: system quantities taken now.");
    shelf = Number(digits(await sheetCell("System")));
    expect(shelf).toBeGreaterThan(1);
    await screenshot(b, "counts-started");
    await closeDialog();
  });

  it("sells one pack of it at the till", async () => {
    await goTo(b, "1", "Till");
    // The demo's shift is open at its till once the morning's sales began; before that, open one.
    const openShift = b.$("//form[@aria-label='Open the shift']");
    const cart = b.$("//table[@aria-label='Cart lines']");
    await b.waitUntil(async () => (await openShift.isDisplayed()) || (await cart.isDisplayed()), { timeoutMsg: "the till shows its shift" });
    if (await openShift.isDisplayed()) {
      await fill(b, "Opening float", "0");
      await clickButton(b, "Open shift");
      await cart.waitForDisplayed();
    }
    await b.keys(["F2"]);
    await fill(b, "Search products", "Ibuprofen 400");
    await b.$(`//ul[@aria-label='Matching products']/li[@data-sku='${SKU}']`).waitForDisplayed();
    await b.keys(["Enter"]);
    const qty = b.$(`//table[@aria-label='Cart lines']//tr[@data-sku='${SKU}']//input`);
    await qty.waitForDisplayed();
    expect(await qty.getValue()).toBe("1");
    await b.keys(["F4"]);
    await b.$("//*[@role='dialog']//form[@aria-label='Payment']").waitForDisplayed();
    await clickButton(b, "Exact cash", "//div[@aria-label='Cash handed over']");
    await clickButton(b, "Complete sale");
    await b.$('[data-testid="receipt"]').waitForDisplayed();
    expect(await b.$('[data-testid="receipt"]').getText()).toContain(`Batch ${BATCH}`);
    await b.keys(["Escape"]);
  });

  it("records the shelf (one pack fewer), completes and posts", async () => {
    await openCounts();
    await clickButton(b, "Open", "//table[@aria-label='Counts of the store']//tr[@data-status='in_progress']");
    await b.$(SHEET).waitForDisplayed();
    // The sheet still compares with the quantity at the start; the shelf shows the sale.
    expect(Number(digits(await sheetCell("System")))).toBe(shelf);
    const counted = String(shelf - 1);
    const input = b.$(`input[aria-label='Counted quantity of ${PRODUCT} batch ${BATCH}']`);
    await input.waitForDisplayed();
    await input.setValue(counted);
    await clickButton(b, "Save", `//form[@aria-label='Count ${PRODUCT} batch ${BATCH}']`);
    await b.waitUntil(async () => (await sheetCell("Counted")).includes("Demo Manager"), { timeoutMsg: "the line shows who counted it" });
    expect(digits((await sheetCell("Counted")).split("by")[0] ?? "")).toBe(counted);
    // Counting took the snapshot again: the sale is not a variance.
    expect(digits(await sheetCell("Variance"))).toBe("0");

    await clickButton(b, "Complete the count", DIALOG);
    await b.$(`${DIALOG}//p[@role='status'][contains(., 'completed')]`).waitForDisplayed();
    const approve = b.$(`${DIALOG}//button[normalize-space(.)='Approve variances']`);
    const needsApproval = (await b.$$(`${DIALOG}//*[contains(., 'a manager approves before posting')]`).length) > 0;
    if (needsApproval) {
      await approve.click();
      await b.$(`${DIALOG}//p[@role='status'][contains(., 'approved.')]`).waitForDisplayed();
    }
    await clickButton(b, "Post to stock", DIALOG);
    const posted = b.$("[data-testid='count-posted']");
    await posted.waitForDisplayed();
    expect(await posted.getText()).toContain("Lines applied: 1");
    await screenshot(b, "counts-posted");
    await closeDialog();
    await b.$("//table[@aria-label='Counts of the store']//tr[@data-status='posted']").waitForDisplayed();
  });

  it("leaves on-hand at what was counted (Stock)", async () => {
    await goTo(b, "3", "Stock");
    await fill(b, "Find product", "Ibuprofen 400");
    await choose(b, "Product", PRODUCT);
    const onHand = b.$("[data-testid='stock-on-hand']");
    await onHand.waitForDisplayed();
    expect(Number(digits(await onHand.getText()))).toBe(shelf - 1);
  });
});
