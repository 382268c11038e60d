// Onboarding a catalogue from CSV on the demo store, with the real app: the
// manager checks an Odoo-style export holding three mistakes (a SKU the
// store already has, a SKU twice in the file, a price that is not a
// number), sees every one named by row and field with nothing imported,
// fixes the file, checks again, imports it with the progress bar, and finds
// the new products in the catalogue.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, fill, goTo, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;
let file = "";

const HEADER = "Internal Reference,Name,Sales Price,Cost,Product Category,Barcode";
const ERRORS = "//table[@aria-label='Errors in the file']";

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
  file = join(app.dataDir, "odoo-products.csv");
  await signInAs(b, "manager");
});
afterAll(async () => {
  await app?.close();
});

async function summary(): Promise<string> {
  const el = b.$("[data-testid='import-summary']");
  await el.waitForDisplayed();
  return el.getText();
}

describe("importing a catalogue", () => {
  it("lists every error of the file by row and field and imports nothing", async () => {
    writeFileSync(
      file,
      [
        HEADER,
        "E2E-CRM-50,E2E Barrier Cream 50g,1500.00,900.00,Skincare / Creams,",
        "PCM-500-12,Paracetamol again,100.00,50.00,,", // the demo store's own SKU
        "E2E-SYR-100,E2E Cough Syrup 100ml,twelve,400.00,Syrups,",
        "E2E-CRM-50,E2E Barrier Cream twice,1500.00,900.00,,",
        "",
      ].join("\r\n"),
    );
    await goTo(b, "I", "Import");
    await choose(b, "What the file holds", "Products");
    await fill(b, "CSV file", file);
    await clickButton(b, "Check file");
    expect(await summary()).toContain("4 rows, 3 errors");
    // Row 1 is the header: the demo SKU is on row 3, the bad price on 4, the repeat on 5.
    for (const [row, fieldName] of [
      ["3", "sku"],
      ["4", "selling_price"],
      ["5", "sku"],
    ] as const) {
      await b.$(`${ERRORS}//tr[@data-row='${row}'][@data-field='${fieldName}']`).waitForDisplayed();
    }
    expect(await b.$(`${ERRORS}//tr[@data-row='4']`).getText()).toContain("twelve");
    const importButton = b.$("//button[starts-with(normalize-space(.), 'Import 4 rows')]");
    expect(await importButton.isEnabled()).toBe(false);
    await screenshot(b, "52-import-errors");
  });

  it("imports the fixed file with its progress, then the products are in the catalogue", async () => {
    writeFileSync(
      file,
      [
        HEADER,
        "E2E-CRM-50,E2E Barrier Cream 50g,1500.00,900.00,Skincare / Creams,",
        "E2E-SYR-100,E2E Cough Syrup 100ml,1200.00,400.00,Syrups,",
        "E2E-CRM-100,E2E Barrier Cream 100g,2500.00,1500.00,Skincare / Creams,6151234999999",
        "",
      ].join("\r\n"),
    );
    await clickButton(b, "Check again");
    await b.waitUntil(async () => (await summary()).includes("3 rows, no errors"), { timeoutMsg: "the fixed file should check clean" });
    expect(await summary()).toContain("3 products");
    await clickButton(b, "Import 3 rows");
    await waitForText(b, "Imported 3 rows: 3 products");

    await goTo(b, "2", "Products");
    await fill(b, "Find", "E2E Barrier");
    await b.$("//tr[@data-sku='E2E-CRM-100']").waitForDisplayed();
    expect(await b.$("//tr[@data-sku='E2E-CRM-100']").getText()).toContain("E2E Barrier Cream 100g");
    await b.$("//tr[@data-sku='E2E-CRM-50']").waitForDisplayed();
  });
});
