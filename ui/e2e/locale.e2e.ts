// One locale per store: a store in Tokyo that keeps its books in euros and
// writes numbers the German way shows money, quantities and times as that
// store does, whatever the PC's own locale and zone.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startApp, type AppSession } from "./app";
import { cli, signInAs } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;
let openedAt = "";

beforeAll(async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const dataDir = mkdtempSync(join(tmpdir(), "pharmapos-e2e-locale-"));
  const db = join(dataDir, "store.db");
  cli(["--db", db, "init", "--store-name", "Ginza Apotheke", "--store-code", "GNZ", "--timezone", "Asia/Tokyo", "--currency", "EUR", "--locale", "de-DE", "--admin", "Hana Sato", "--pin", "4321"]);
  cli(["--db", db, "--user", "Hana Sato", "call", "create_product", JSON.stringify({ sku: "VITC", name: "Vitamin C 1000", unit: "tube", selling_price: "1234.5", cost_price: "800" })]);
  const shift = JSON.parse(cli(["--db", db, "--user", "Hana Sato", "call", "open_shift", JSON.stringify({ terminal_id: "GNZ-1", opening_float: "150" })])) as { opened_at: string };
  openedAt = shift.opened_at;
  app = await startApp({ dbPath: db, dataDir });
  b = app.browser;
  await signInAs(b, { name: "Hana Sato", pin: "4321" });
});
afterAll(async () => {
  await app?.close();
});

describe("a store in another currency, locale and time zone", () => {
  it("shows prices in euros, written the German way", async () => {
    await b.$("nav.nav [data-screen='products']").click();
    const row = b.$("//table[@aria-label='Products']//tr[@data-sku='VITC']");
    await row.waitForDisplayed();
    expect(await row.getText()).toContain("1.234,50 €");
  });

  it("shows the shift's opening time in Tokyo, not the PC's zone", async () => {
    await b.$("nav.nav [data-screen='shifts']").click();
    const row = b.$("//table[@aria-label='Shifts']//tr[.//td[normalize-space(.)='GNZ-1']]");
    await row.waitForDisplayed();
    const tokyo = new Intl.DateTimeFormat("de-DE", { timeZone: "Asia/Tokyo", dateStyle: "medium", timeStyle: "short" }).format(new Date(openedAt));
    expect(await row.getText()).toContain(tokyo);
    expect(await row.getText()).toContain("0,00 €");
  });
});
