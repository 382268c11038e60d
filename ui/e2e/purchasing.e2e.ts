// A purchase order received in two parts on the demo store, with the real
// app: the manager drafts an order for four packs, submits and confirms it,
// receives two with a GS1 scan (which fills batch and expiry), sees the
// order partly received, receives the other two from a second batch, and
// the order is received with both receipts listed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, fill, goTo, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;
let label = "";

const PRODUCT = "Paracetamol 500mg tablets x12";
const GTIN = "06151234000015"; // its EAN-13 as a GTIN-14 (engine demo.rs)
const DIALOG = "//*[@role='dialog']";
const RECEIVE = "//form[@aria-label='Receive the order']";

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
  await signInAs(b, "manager");
});
afterAll(async () => {
  await app?.close();
});

async function lineInput(name: string) {
  const el = b.$(`${DIALOG}//input[@aria-label=${JSON.stringify(name)}]`);
  await el.waitForDisplayed();
  return el;
}

/** Scans `code` into the receipt form and waits for the line to take it. */
async function scan(code: string) {
  await fill(b, "Scan a barcode or GS1 code", code);
  await b.keys(["Enter"]);
  await waitForText(b, `Scanned ${PRODUCT}.`);
}

/** Whether the order dialog's lines table says `received` of the product. */
async function receivedShown(received: string): Promise<boolean> {
  const row = b.$(`${DIALOG}//table[@aria-label='Lines']//tr[contains(., ${JSON.stringify(PRODUCT)})]`);
  return (await row.isExisting()) && (await row.getText()).includes(received);
}

describe("a purchase order received in two parts", () => {
  it("drafts, submits and confirms an order for four packs", async () => {
    await goTo(b, "U", "Purchase orders");
    await clickButton(b, "New order");
    await choose(b, "Supplier", "Emzor Distribution (demo)", DIALOG);
    await fill(b, "Find product", "Paracetamol 500");
    await choose(b, "Product", PRODUCT, DIALOG);
    await clickButton(b, "Add line", DIALOG);
    const qty = await lineInput(`Quantity of ${PRODUCT}`);
    await qty.clearValue();
    await qty.setValue("4");
    await clickButton(b, "Draft order", DIALOG);
    const drafted = await waitForText(b, "drafted.");
    label = (await drafted.getText()).replace(/^Order (.+) drafted\.$/, "$1");
    expect(label).not.toBe("");
    await b.$(`${DIALOG}//*[contains(@class,'dialog-title')][contains(., ${JSON.stringify(label)})]`).waitForDisplayed();
    await clickButton(b, "Submit", DIALOG);
    await waitForText(b, `Order ${label} submitted.`);
    await clickButton(b, "Confirm", "//form[@aria-label='Confirm the order']");
    await waitForText(b, `Order ${label} confirmed.`);
  });

  it("receives two packs of one batch with a GS1 scan: the order is partly received", async () => {
    await scan(`(01)${GTIN}(17)281130(10)E2E-PO-A`);
    expect(await (await lineInput(`Batch of ${PRODUCT}`)).getValue()).toBe("E2E-PO-A");
    const accepted = await lineInput(`Accepted of ${PRODUCT}`);
    await accepted.clearValue();
    await accepted.setValue("2");
    await clickButton(b, "Receive", RECEIVE);
    await waitForText(b, `Order ${label} partly received.`);
    await b.waitUntil(() => receivedShown("2"), { timeoutMsg: "the lines should show 2 received" });
    await screenshot(b, "53-purchase-order-partly-received");
  });

  it("receives the other two from a second batch: the order is received, both receipts listed", async () => {
    await scan(`(01)${GTIN}(17)290531(10)E2E-PO-B`);
    const accepted = await lineInput(`Accepted of ${PRODUCT}`);
    await accepted.clearValue();
    await accepted.setValue("2");
    await clickButton(b, "Receive", RECEIVE);
    await waitForText(b, `Order ${label} received.`);
    const receipts = b.$(`${DIALOG}//section[@aria-label='Receipts']`);
    await b.waitUntil(async () => (await receipts.$$("li").length) === 2, { timeoutMsg: "two receipts should be listed" });
    // Nothing is left to receive: the form is gone.
    await b.$(RECEIVE).waitForDisplayed({ reverse: true });
    await b.$(`${DIALOG}//button[@aria-label='Close']`).click();
    const row = b.$(`//table[@aria-label='Purchase orders']//tr[contains(., ${JSON.stringify(label)})]`);
    await row.waitForDisplayed();
    expect(await row.getText()).toContain("Received");
  });
});
