// The main journey on a fresh store: supplier, product, three batches received
// out of expiry order in one delivery, FEFO order with expiry colours, an adjustment, a
// write-off, the audit trail and a passing ledger verification.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, dateIn, field, fill, fillDate, goTo, screenshot, setUpAndSignIn, startApp, waitForText, type AppSession } from "./app";

const LINE_FORM = "//form[@aria-label='Add a line']";
let app: AppSession;
let b: WebdriverIO.Browser;

beforeAll(async () => {
  app = await startApp();
  b = app.browser;
  await setUpAndSignIn(b);
});
afterAll(async () => {
  await app?.close();
});

async function rowOf(batch: string) {
  const row = b.$(`//table[@aria-label="Batches in FEFO order" or @aria-label="Batches of the product"]//tr[@data-batch="${batch}"]`);
  await row.waitForDisplayed();
  return row;
}

describe("inventory journey", () => {
  it("creates a supplier", async () => {
    await goTo(b, "7", "Suppliers");
    await clickButton(b, "New supplier");
    await fill(b, "Supplier name", "Emzor Pharmaceuticals");
    await fill(b, "Contact person", "Chidi");
    await fill(b, "Phone", "+234 800 000 0000");
    await fill(b, "Payment terms", "Net 30");
    await clickButton(b, "Save supplier");
    await waitForText(b, "Created supplier Emzor Pharmaceuticals");
    await b.$("//table[@aria-label='Suppliers']//td[contains(., 'Emzor Pharmaceuticals')]").waitForDisplayed();
  });

  it("creates a product", async () => {
    await goTo(b, "2", "Products");
    await b.keys(["Alt", "n"]);
    await b.keys(["Alt"]);
    await fill(b, "SKU", "PARA500");
    await fill(b, "Name", "Paracetamol 500mg");
    await fill(b, "Generic name", "Paracetamol");
    await fill(b, "Unit", "tablet");
    await fill(b, "Cost price", "12.50");
    await fill(b, "Selling price", "20");
    await screenshot(b, "04-product-form");
    await clickButton(b, "Save product");
    await waitForText(b, "Created Paracetamol 500mg (PARA500)");
    await b.$("//table[@aria-label='Products']//tr[@data-sku='PARA500']").waitForDisplayed();
    await screenshot(b, "05-products");
  });

  it("receives three batches, the later-expiring ones first, as one delivery", async () => {
    await goTo(b, "4", "Receiving");
    await choose(b, "Supplier", "Emzor");
    await fill(b, "Invoice number", "INV-1001");
    for (const [batch, quantity, days] of [
      ["B-LATE", "100", 200],
      ["B-SOON", "40", 5],
      ["B-MID", "20", 20],
    ] as const) {
      await fill(b, "Find product", "PARA");
      await choose(b, "Product", "Paracetamol 500mg");
      await fill(b, "Batch number", batch);
      await fill(b, "Quantity", quantity);
      await fillDate(b, "Expiry date", dateIn(days));
      await clickButton(b, "Add line", LINE_FORM);
      await b.$(`//table[@aria-label='Delivery lines']//tr[@data-batch='${batch}']`).waitForDisplayed();
    }
    // 160 × 12.50, the product's cost price suggested on each line.
    await b.waitUntil(async () => (await b.$("[data-testid='delivery-total']").getText()).includes("2,000.00"), { timeoutMsg: "the total should be 2,000.00" });
    await screenshot(b, "06-receiving");
    await clickButton(b, "Post delivery");
    await waitForText(b, "Posted delivery INV-1001: 3 lines");
  });

  it("shows the batches in FEFO order with expiry colours", async () => {
    await goTo(b, "3", "Stock");
    // Without a product: every batch of the store, a page at a time.
    for (const batch of ["B-SOON", "B-MID", "B-LATE"]) await b.$(`//table[@aria-label='Batches']//tr[@data-batch='${batch}']`).waitForDisplayed();
    await fill(b, "Find product", "PARA");
    await choose(b, "Product", "Paracetamol 500mg");
    await b.$('[data-testid="stock-available"]').waitForDisplayed();
    await b.waitUntil(async () => (await b.$('[data-testid="stock-available"]').getText()) === "160", {
      timeoutMsg: "available should be 160",
    });
    const order = await b.$$("//table[@aria-label='Batches in FEFO order']/tbody/tr[@data-batch]").map((r) => r.getAttribute("data-batch"));
    expect(order).toEqual(["B-SOON", "B-MID", "B-LATE"]);
    expect(await (await rowOf("B-SOON")).getAttribute("class")).toContain("exp-within7");
    expect(await (await rowOf("B-SOON")).getText()).toContain("5 days left");
    expect(await (await rowOf("B-MID")).getAttribute("class")).toContain("exp-within30");
    expect(await (await rowOf("B-LATE")).getAttribute("class")).not.toContain("exp-");
    await screenshot(b, "07-stock-fefo");
  });

  it("adjusts a batch and writes another off", async () => {
    await goTo(b, "5", "Adjustments and write-offs");
    await fill(b, "Find product", "PARA");
    await choose(b, "Product", "Paracetamol 500mg");
    await clickButton(b, "Select batch B-LATE");
    await fill(b, "Quantity change", "-3");
    await choose(b, "Reason", "Correction");
    await fill(b, "Notes", "Shelf count");
    await clickButton(b, "Adjust", "//form[@aria-label='Adjust the batch']");
    await waitForText(b, "Adjusted batch B-LATE of Paracetamol 500mg by -3 tablet");
    await b.waitUntil(async () => (await (await rowOf("B-LATE")).getText()).includes("97"), { timeoutMsg: "B-LATE should show 97" });

    await clickButton(b, "Select batch B-SOON");
    const writeOff = "//form[@aria-label='Write off the batch']";
    await b.$(writeOff).waitForDisplayed();
    await clickButton(b, "Write off batch…", writeOff);
    // A confirmation shows what goes, then writes it off.
    const confirm = "//*[@role='alertdialog']";
    await b.$(`${confirm}//*[@data-testid='writeoff-preview']`).waitForDisplayed();
    expect(await b.$(`${confirm}//*[@data-testid='writeoff-preview']`).getText()).toContain("B-SOON");
    await clickButton(b, "Write off 40 tablet", confirm);
    await b.$(confirm).waitForDisplayed({ reverse: true });
    await waitForText(b, "Wrote off batch B-SOON of Paracetamol 500mg");
    await b.$("//table[@aria-label='Recent adjustments']//tr[@data-kind='writeoff'][contains(., 'B-SOON')]").waitForDisplayed();
    await screenshot(b, "08-adjustments");
  });

  it("shows the audit trail and a passing verification", async () => {
    await goTo(b, "8", "Audit trail");
    for (const change of ["receipt", "adjustment", "writeoff"]) {
      await b.$(`//table[@aria-label='Audit events']//tr[@data-change='${change}']`).waitForDisplayed();
    }
    await clickButton(b, "Verify ledger");
    const result = b.$('[data-testid="verify-result"]');
    await result.waitForDisplayed();
    expect(await result.getText()).toContain("Ledger verified");
    await screenshot(b, "10-audit-verified");

    // Filter by change type.
    await choose(b, "Change type", "writeoff");
    await b.waitUntil(async () => (await b.$$("//table[@aria-label='Audit events']/tbody/tr[@data-change]").length) === 1, {
      timeoutMsg: "only the write-off should remain",
    });
  });

  it("refuses bad input with a visible message and changes nothing", async () => {
    await goTo(b, "4", "Receiving");
    await choose(b, "Supplier", "Emzor");
    await fill(b, "Invoice number", "INV-BAD");
    await fill(b, "Find product", "PARA");
    await choose(b, "Product", "Paracetamol 500mg");
    await fill(b, "Batch number", "B-BAD");
    await fill(b, "Quantity", "-5");
    await clickButton(b, "Add line", LINE_FORM);
    await waitForText(b, "Enter a quantity above 0.");
    expect(await (await field(b, "Quantity")).getAttribute("aria-invalid")).toBe("true");
    await screenshot(b, "11-bad-input");

    // Nothing was received.
    await goTo(b, "3", "Stock");
    await fill(b, "Find product", "PARA");
    await choose(b, "Product", "Paracetamol 500mg");
    await b.waitUntil(async () => (await b.$('[data-testid="stock-on-hand"]').getText()) === "117");
    expect(await b.$$("//tr[@data-batch='B-BAD']").length).toBe(0);
  });

  it("lists expiring stock and expires it in one step", async () => {
    await goTo(b, "6", "Expiry");
    await b.$("//table[@aria-label='Expiring batches']//tr[@data-batch='B-MID']").waitForDisplayed();
    expect(await b.$$("//table[@aria-label='Expired batches']//tr[@data-batch]").length).toBe(0);
    await screenshot(b, "12-expiry");

    await fill(b, "Expire batches expiring within (days)", "30");
    await clickButton(b, "Mark as expired…");
    // The confirmation lists what will be expired.
    const confirm = "//*[@role='alertdialog']";
    await b.$(`${confirm}//table[@aria-label='Batches to mark as expired']//tr[@data-batch='B-MID']`).waitForDisplayed();
    await clickButton(b, "Expire 1 batch", confirm);
    await waitForText(b, "Marked 1 batch as expired; it can no longer be sold.");
    await b.$("//table[@aria-label='Expired batches']//tr[@data-batch='B-MID']").waitForDisplayed();

    // The ledger still verifies after the expiry events.
    await goTo(b, "8", "Audit trail");
    await b.$("//table[@aria-label='Audit events']//tr[@data-change='expired']").waitForDisplayed();
    await clickButton(b, "Verify ledger");
    await b.$('[data-testid="verify-result"]').waitForDisplayed();
    expect(await b.$('[data-testid="verify-result"]').getText()).toContain("Ledger verified");
  });
});
