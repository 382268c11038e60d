// Receiving a delivery on the demo store: the manager names the supplier
// and the invoice once, scans three GS1 DataMatrix packs (typed into the
// scan field in their bracket form, as a person keys a damaged label),
// which fill product, batch, expiry and serial; types quantities and unit
// costs; sees the running total; posts; and finds the new batches in stock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, field, fill, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

// The demo's first three products' EAN-13s as GTIN-14 (see engine demo.rs).
const PCM = "06151234000015"; // Paracetamol 500mg tablets x12
const PCX = "06151234000114"; // Paracetamol + Caffeine tablets x10
const IBU = "06151234000213"; // Ibuprofen 400mg tablets x10
const LINE_FORM = "//form[@aria-label='Add a line']";

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
  await signInAs(b, "manager");
});
afterAll(async () => {
  await app?.close();
});

async function scan(code: string) {
  const input = await field(b, "Scan a barcode or GS1 code");
  await input.click();
  await input.setValue(code);
  await b.keys(["Enter"]);
  await b.waitUntil(async () => (await input.getValue()) === "", { timeoutMsg: `the scan of ${code} should be read` });
}

async function hidden(name: string): Promise<string> {
  return b.$(`${LINE_FORM}//input[@type='hidden'][@name='${name}']`).getValue();
}

describe("receiving a delivery", () => {
  it("scans three packs, shows the running total and posts the delivery", async () => {
    await b.$("nav.nav [data-screen='receiving']").click();
    await b.$("//h1[normalize-space(.)='Receiving']").waitForDisplayed();
    await choose(b, "Supplier", "Emzor Distribution (demo)");
    await fill(b, "Invoice number", "INV-E2E-1");

    await scan(`(01)${PCM}(17)281100(10)E2E-PCM(21)SN-0042`);
    await waitForText(b, "Paracetamol 500mg tablets x12 — PCM-500-12");
    expect(await (await field(b, "Batch number")).getValue()).toBe("E2E-PCM");
    expect(await (await field(b, "Serial number")).getValue()).toBe("SN-0042");
    // Day 00 is the month's last day.
    expect(await hidden("expiry_date")).toBe("2028-11-30");
    // The product's cost price is suggested.
    expect(await (await field(b, "Unit cost")).getValue()).toBe("180.00");
    await fill(b, "Quantity", "24");
    await clickButton(b, "Add line", LINE_FORM);
    await b.$("//table[@aria-label='Delivery lines']//tr[@data-batch='E2E-PCM']").waitForDisplayed();

    await scan(`(01)${PCX}(17)280630(10)E2E-PCX`);
    await waitForText(b, "Paracetamol + Caffeine tablets x10");
    await fill(b, "Quantity", "10");
    await fill(b, "Unit cost", "95.50");
    await clickButton(b, "Add line", LINE_FORM);

    // The symbol's count (AI 30) fills the quantity.
    await scan(`(01)${IBU}(17)271231(10)E2E-IBU(30)12`);
    await waitForText(b, "Ibuprofen 400mg tablets x10");
    expect(await (await field(b, "Quantity")).getValue()).toBe("12");
    await fill(b, "Unit cost", "60.25");
    await clickButton(b, "Add line", LINE_FORM);

    // 24 × 180 + 10 × 95.50 + 12 × 60.25 = 4,320 + 955 + 723 = 5,998.
    const total = b.$("[data-testid='delivery-total']");
    await b.waitUntil(async () => (await total.getText()) === "₦5,998.00", { timeoutMsg: "the total should be ₦5,998.00" });
    await screenshot(b, "06b-receiving-delivery");

    await clickButton(b, "Post delivery");
    await waitForText(b, "Posted delivery INV-E2E-1: 3 lines, ₦5,998.00.");
    expect(await b.$$("//table[@aria-label='Delivery lines']//tr[@data-batch]").length).toBe(0);
    // The recent receipts show the three lines under the invoice.
    for (const batch of ["E2E-PCM", "E2E-PCX", "E2E-IBU"]) {
      await b.$(`//table[@aria-label='Recent receipts']//tr[contains(., '${batch}')][contains(., 'INV-E2E-1')]`).waitForDisplayed();
    }
  });

  it("finds the received batches in stock", async () => {
    await b.$("nav.nav [data-screen='stock']").click();
    await b.$("//h1[normalize-space(.)='Stock']").waitForDisplayed();
    await fill(b, "Find product", "IBU-400-10");
    await choose(b, "Product", "Ibuprofen 400mg tablets x10");
    const row = b.$("//table[@aria-label='Batches in FEFO order']//tr[@data-batch='E2E-IBU']");
    await row.waitForDisplayed();
    expect(await row.getText()).toContain("12");
  });
});
