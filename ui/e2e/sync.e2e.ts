// Settings → Sync in the real app against a real central server (the
// `pharmapos-server` binary over a throw-away PostgreSQL cluster, e2e/central.ts):
// the admin registers the store with the server's address and the secret
// head office gave; the background task sends the store's record; the
// server goes away, the store keeps working and says it is offline, with
// the events waiting counted; the server comes back and "Sync now" catches
// up. The server then holds exactly the store's record, and its chain
// verifies there. Head office publishes a vendor: the next sync brings it,
// and the Suppliers screen shows head office's fields read-only while the
// store still keeps its own account number for it.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clickButton, dateIn, fill, screenshot, startApp, waitForText, type AppSession } from "./app";
import { startCentral, type Central } from "./central";
import { cli, signInAs } from "./demo";

const ADA = { name: "Ada Okafor", pin: "2580" };

let app: AppSession;
let b: WebdriverIO.Browser;
let central: Central;
let dir: string;
let db: string;
let store: string;
let secret: string;
let product: string;
let supplier: string;
/** What the server had acknowledged when it went away. */
let sentBefore = 0;

/** Runs a command with the CLI as Ada (beside the running app); its JSON answer. */
function call<T = { id: string }>(command: string, request: object): T {
  return JSON.parse(cli(["--db", db, "--user", ADA.name, "call", command, JSON.stringify(request)])) as T;
}

/** The store's last event, as its file has it. */
function localHead(): number {
  return call<{ local_head_seq: number }>("get_sync_status", { store_id: store }).local_head_seq;
}

/** What the server acknowledged of the store. */
async function acked(): Promise<number> {
  const { stores } = await central.admin<{ stores: { id: string; acked_seq: number }[] }>("/v1/admin/stores");
  return stores.find((s) => s.id === store)?.acked_seq ?? -1;
}

async function facts(testid: string): Promise<string> {
  return b.$(`[data-testid='${testid}']`).getText();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pharmapos-e2e-sync-"));
  db = join(dir, "store.db");
  store = (
    JSON.parse(
      cli(["--db", db, "init", "--store-name", "Lekki Pharmacy", "--store-code", "LEK", "--timezone", "Africa/Lagos", "--currency", "NGN", "--admin", ADA.name, "--pin", ADA.pin]),
    ) as { store_id: string }
  ).store_id;
  supplier = call("create_supplier", { name: "Emzor" }).id;
  product = call("create_product", { sku: "PCM-500", name: "Paracetamol 500mg", unit: "tablet", cost_price: "20", selling_price: "50" }).id;
  call("receive_stock", { product_id: product, store_id: store, batch_number: "PCM-SYNC", quantity: "100", expiry_date: dateIn(365), supplier_id: supplier });
  central = await startCentral();
  secret = central.addStore(store, "Lekki Pharmacy");
  app = await startApp({ dbPath: db, dataDir: dir });
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
  await central?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("sync with the central server", () => {
  it("registers the store and sends its record", async () => {
    await signInAs(b, ADA);
    await b.$("nav.nav [data-screen='settings']").click();
    await b.$("//section[@aria-label='Sync']").waitForDisplayed();
    expect(await facts("sync-connection")).toBe("not registered");
    expect(Number(await facts("sync-backlog"))).toBeGreaterThan(0);

    // A wrong secret is refused in words, at the server's first answer.
    await fill(b, "Server address", central.url);
    await fill(b, "Store secret", "not-the-secret");
    await clickButton(b, "Register");
    await waitForText(b, `Registered with ${central.url}`);
    await clickButton(b, "Sync now");
    await b.$("[data-testid='sync-last-error']").waitForDisplayed({ timeout: 30_000 });
    expect(await acked()).toBe(0);

    // The right one: the background task sends everything.
    await fill(b, "Store secret", secret);
    await clickButton(b, "Register");
    await waitForText(b, "The secret is kept");
    await clickButton(b, "Sync now");
    // "online" once no push is in flight: the alert sweep's events after the
    // first push are sent in a second one ("sending now…" meanwhile).
    await b.waitUntil(
      async () =>
        (await facts("sync-backlog")) === "0" &&
        (await facts("sync-last-success")) !== "never" &&
        (await facts("sync-connection")) === "online",
      { timeout: 30_000, timeoutMsg: "the record was not sent" },
    );
    sentBefore = await acked();
    expect(sentBefore).toBe(localHead());
  });

  it("keeps working offline, counts what waits, and catches up when the server is back", async () => {
    await central.stop();
    // The store goes on: stock received while the server is away.
    call("receive_stock", { product_id: product, store_id: store, batch_number: "PCM-SYNC-2", quantity: "50", expiry_date: dateIn(300), supplier_id: supplier });
    await clickButton(b, "Sync now");
    await b.waitUntil(async () => (await facts("sync-connection")) === "offline", { timeout: 30_000, timeoutMsg: "not shown offline" });
    await b.waitUntil(async () => Number(await facts("sync-backlog")) > 0, { timeout: 15_000, timeoutMsg: "nothing shown waiting" });
    expect(Number(await facts("sync-backlog"))).toBe(localHead() - sentBefore);
    expect(await b.$("[data-testid='sync-last-error']").isDisplayed()).toBe(true);
    expect(await b.$("p.notice.warn").getText()).toContain("did not finish");
    await b.$("//section[@aria-label='Sync']").scrollIntoView();
    await screenshot(b, "sync-offline");

    await central.start();
    await clickButton(b, "Sync now");
    await waitForText(b, "Sync finished");
    await b.waitUntil(async () => (await facts("sync-backlog")) === "0" && (await facts("sync-connection")) === "online", {
      timeout: 30_000,
      timeoutMsg: "did not catch up",
    });
    expect(await acked()).toBe(localHead());
    const verified = await central.admin<{ ok: boolean; events_checked: number }>(`/v1/admin/stores/${store}/verify`);
    expect(verified).toMatchObject({ ok: true, events_checked: localHead() });
    await b.$("//section[@aria-label='Sync']").scrollIntoView();
    await screenshot(b, "sync-settings");
  });

  it("brings head office's vendor, whose head-office fields the store cannot change", async () => {
    const vendor = randomUUID();
    await central.put(`/v1/admin/vendors/${vendor}`, {
      name: "Fidson Healthcare",
      contact_person: "Bola Ade",
      phone: "+234 1 555 0101",
      payment_terms: "Net 45",
      categories: ["injectables"],
    });
    await clickButton(b, "Sync now");
    // The list refreshes when the run applies what it pulled.
    await b.$("nav.nav [data-screen='suppliers']").click();
    const edit = b.$("//button[@aria-label='Edit Fidson Healthcare']");
    await edit.waitForClickable({ timeout: 30_000, timeoutMsg: "head office's vendor did not arrive" });
    await edit.click();
    await b.$("[data-testid='head-office-vendor']").waitForDisplayed();
    for (const own of ["name", "contact_person", "phone", "payment_terms", "tax_id", "categories"]) {
      expect(await b.$(`form input[name='${own}']`).isEnabled(), own).toBe(false);
    }
    expect(await b.$("form input[name='name']").getValue()).toBe("Fidson Healthcare");
    expect(await b.$("form input[name='payment_terms']").getValue()).toBe("Net 45");
    await fill(b, "Account number", "FID-0042");
    await screenshot(b, "suppliers-head-office");
    await clickButton(b, "Save supplier");
    await waitForText(b, "Saved supplier Fidson Healthcare.");
    const saved = call<{ id: string; account_number: string | null; catalogue_version: number | null; payment_terms: string | null }[]>("list_suppliers", {}).find(
      (s) => s.id === vendor,
    );
    expect(saved).toMatchObject({ account_number: "FID-0042", catalogue_version: 1, payment_terms: "Net 45" });
  });
});
