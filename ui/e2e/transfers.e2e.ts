// A transfer between two stores of one database file, in the real app: the
// file is prepared with the CLI (store Lekki with 100 tablets of one batch,
// store Ikeja with its own manager; the admin works in both). The admin
// drafts, requests, approves and ships 40 tablets from Lekki; Ikeja's
// manager receives 35 and says that's all (5 recorded short); the admin
// resolves the shortfall as lost in transit. Lekki has 60 left, Ikeja 35 of
// the same batch, and the books verify.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, dateIn, fill, screenshot, startApp, waitForText, type AppSession } from "./app";
import { cli, signInAs } from "./demo";

const ADA = { name: "Ada Okafor", pin: "2580" };
const KEMI = { name: "Kemi Bello", pin: "9753" };
const BATCH = "PCM-E2E";

let app: AppSession;
let b: WebdriverIO.Browser;
let dir: string;
let db: string;
let lekki: string;
let ikeja: string;

/** Runs a command with the CLI as Ada; its JSON answer. */
function call<T = { id: string }>(command: string, request: object): T {
  return JSON.parse(cli(["--db", db, "--user", ADA.name, "call", command, JSON.stringify(request)])) as T;
}

/** "batch:quantity" of each batch with stock in the store. */
function onHand(store: string): string[] {
  return call<{ batch_number: string; quantity: string }[]>("get_store_inventory", { store_id: store }).map((x) => `${x.batch_number}:${x.quantity}`);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pharmapos-e2e-transfers-"));
  db = join(dir, "chain.db");
  const init = JSON.parse(
    cli(["--db", db, "init", "--store-name", "Lekki Pharmacy", "--store-code", "LEK", "--timezone", "Africa/Lagos", "--currency", "NGN", "--admin", ADA.name, "--pin", ADA.pin]),
  ) as { store_id: string };
  lekki = init.store_id;
  ikeja = call("create_store", { name: "Ikeja Branch", code: "IKJ", timezone: "Africa/Lagos", currency: "NGN" }).id;
  call("create_user", { name: KEMI.name, role: "manager", store_id: ikeja, pin: KEMI.pin });
  const supplier = call("create_supplier", { name: "Emzor" }).id;
  const product = call("create_product", { sku: "PCM-500", name: "Paracetamol 500mg", unit: "tablet", cost_price: "20", selling_price: "50" }).id;
  call("receive_stock", { product_id: product, store_id: lekki, batch_number: BATCH, quantity: "100", expiry_date: dateIn(365), supplier_id: supplier });
  app = await startApp({ dbPath: db, dataDir: dir });
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openTransfers(): Promise<void> {
  await b.$("nav.nav [data-screen='transfers']").click();
  await b.$("//h1[normalize-space(.)='Transfers']").waitForDisplayed();
}

async function signOut(): Promise<void> {
  await clickButton(b, "Sign out");
  await b.$("fieldset.user-picker").waitForDisplayed();
}

async function openTransfer(label: string): Promise<void> {
  await clickButton(b, `Open transfer ${label}`);
  await b.$(`//*[@role='dialog']//*[contains(normalize-space(.), 'Transfer ${label}')]`).waitForDisplayed();
}

async function closeDialog(): Promise<void> {
  await b.$("//*[@role='dialog']//button[@aria-label='Close']").click();
  await b.$("//*[@role='dialog']").waitForDisplayed({ reverse: true });
}

describe("a transfer between two stores in one file", () => {
  it("ships from Lekki", async () => {
    await signInAs(b, ADA);
    await openTransfers();
    await clickButton(b, "New transfer");
    await choose(b, "Destination store", "Ikeja Branch");
    await fill(b, "Find product", "Para");
    await choose(b, "Product", "Paracetamol 500mg");
    await choose(b, "Batch (optional)", BATCH);
    await fill(b, "Quantity", "40");
    await clickButton(b, "Add line");
    await waitForText(b, "Paracetamol 500mg × 40");
    await clickButton(b, "Draft transfer");
    // The new transfer opens: the source asks, approves and ships.
    await b.$("//*[@role='dialog']//*[contains(normalize-space(.), 'Transfer LEK-T0001')]").waitForDisplayed();
    await clickButton(b, "Request approval");
    await clickButton(b, "Approve");
    await fill(b, "Carrier", "GIG Logistics");
    await fill(b, "Tracking number", "GIG-88213");
    await screenshot(b, "transfers-ship");
    await clickButton(b, "Ship");
    await waitForText(b, "In transit");
    await closeDialog();
    expect(onHand(lekki)).toEqual([`${BATCH}:60`]);
    expect(onHand(ikeja)).toEqual([]);
  });

  it("is received short at Ikeja", async () => {
    await signOut();
    await signInAs(b, KEMI);
    await openTransfers();
    await b.$("//*[@role='tab'][normalize-space(.)='Incoming']").click();
    await openTransfer("LEK-T0001");
    const got = b.$(`input[aria-label='Received of batch ${BATCH}']`);
    await got.waitForDisplayed();
    await got.clearValue();
    await got.setValue("35");
    await b.$("//label[contains(., \"That's all\")]/input").click();
    await clickButton(b, "Receive");
    await waitForText(b, "short of Paracetamol 500mg batch PCM-E2E");
    await screenshot(b, "transfers-received-short");
    await closeDialog();
    expect(onHand(ikeja)).toEqual([`${BATCH}:35`]);
  });

  it("has its shortfall resolved at Lekki, and both stores' stock is as expected", async () => {
    await signOut();
    await signInAs(b, ADA);
    await openTransfers();
    await openTransfer("LEK-T0001");
    const resolution = b.$(`select[aria-label='Resolution of ${BATCH}']`);
    await resolution.waitForDisplayed();
    await resolution.selectByVisibleText("Lost in transit");
    await clickButton(b, "Resolve");
    await waitForText(b, "Resolved: Lost in transit");
    await closeDialog();
    expect(onHand(lekki)).toEqual([`${BATCH}:60`]);
    expect(onHand(ikeja)).toEqual([`${BATCH}:35`]);
    const t = call<{ status: string; open_discrepancies: number }[]>("list_transfers", { store_id: lekki });
    expect(t.map((x) => [x.status, x.open_discrepancies])).toEqual([["received", 0]]);
    expect((JSON.parse(cli(["--db", db, "verify"])) as { ok: boolean }).ok).toBe(true);
  });
});
