// The cold chain on the demo store: a manager makes a vaccine fridge and
// puts two lots of a 2–8 °C vaccine in it; a reading of 12.5 °C typed on
// the Cold chain screen holds both lots (a critical alert in the alert
// centre); the manager releases one lot and disposes of the other, lot by
// lot, and the alert resolves; the ledger still verifies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { clickButton, fill, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

async function call<T = unknown>(name: string, input: Record<string, unknown>): Promise<T> {
  const r = (await b.executeAsync(
    (n: string, i: Record<string, unknown>, done: (v: unknown) => void) => {
      const w = window as unknown as { __TAURI_INTERNALS__: { invoke: (c: string, a: unknown) => Promise<unknown> } };
      w.__TAURI_INTERNALS__.invoke("call", { name: n, input: i }).then(
        (ok) => done({ ok }),
        (err) => done({ err }),
      );
    },
    name,
    input,
  )) as { ok?: T; err?: unknown };
  if (r.err !== undefined) throw new Error(`${name}: ${JSON.stringify(r.err)}`);
  return r.ok as T;
}

async function open(id: string, title: string): Promise<void> {
  await b.$(`nav.nav [data-screen='${id}']`).click();
  await b.$(`//h1[normalize-space(.)='${title}']`).waitForDisplayed();
}

/** The row of the held-lots table at the fridge that shows lot `lot`. */
function heldRow(lot: string) {
  return b.$(`//table[@aria-label='Lots held at Vaccine fridge']//tr[.//td[normalize-space(.)='${lot}']]`);
}

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
});

describe("a fridge excursion", () => {
  it("holds the fridge's lots until a manager releases one and disposes of another", async () => {
    await signInAs(b, "manager");
    // A 2–8 °C vaccine with two lots (set up through the engine's commands).
    const suppliers = await call<{ id: string }[]>("list_suppliers", {});
    const product = await call<{ id: string }>("create_product", {
      sku: "E2E-HPV",
      name: "E2E HPV vaccine",
      cost_price: "9500",
      storage: { temperature_min_c: "2", temperature_max_c: "8", refrigerated: true },
    });
    const lots: string[] = [];
    for (const [lot, qty] of [["HPV-A", "6"], ["HPV-B", "4"]] as const) {
      const r = await call<{ batch_id: string }>("receive_stock", {
        product_id: product.id,
        supplier_id: suppliers[0]!.id,
        batch_number: lot,
        quantity: qty,
        expiry_date: `${new Date().getFullYear() + 2}-06-30`,
      });
      lots.push(r.batch_id);
    }

    // The fridge, made on the Cold chain screen.
    await open("coldchain", "Cold chain");
    await clickButton(b, "New location…");
    await fill(b, "Name", "Vaccine fridge");
    await clickButton(b, "Create", "//*[@role='dialog']");
    await waitForText(b, "Created Vaccine fridge.");
    const [fridge] = await call<{ location_id: string; name: string }[]>("list_storage_locations", {});
    expect(fridge?.name).toBe("Vaccine fridge");
    for (const lot of lots) await call("put_lot_in_location", { batch_id: lot, location_id: fridge!.location_id });

    // A hot reading, typed in.
    await b.pause(1100);
    await fill(b, "Taken at (store time)", new Date().toISOString());
    await fill(b, "Temperature (°C)", "12.5");
    await clickButton(b, "Record reading");
    await waitForText(b, "Recorded 1 reading: excursion found, 2 lots on hold.");
    await heldRow("HPV-A").waitForDisplayed();
    await screenshot(b, "40-coldchain-excursion");
    for (const lot of lots) expect((await call<{ status: string }>("get_batch", { batch_id: lot })).status).toBe("quarantine");

    // The alert centre shows it, critical.
    await open("alerts", "Alerts");
    const alertRow = b.$("//tr[.//td[normalize-space(.)='Temperature excursion']]");
    await alertRow.waitForDisplayed();
    expect(await alertRow.getText()).toContain("Critical");

    // Lot by lot: release HPV-A, dispose of HPV-B.
    await open("coldchain", "Cold chain");
    await heldRow("HPV-A").$(".//button[normalize-space(.)='Release…']").click();
    await fill(b, "Note", "stable 72 h per manufacturer");
    await clickButton(b, "Release", "//*[@role='alertdialog']");
    await waitForText(b, "Lot HPV-A is available again.");
    await heldRow("HPV-B").$(".//button[normalize-space(.)='Dispose…']").click();
    await clickButton(b, "Dispose", "//*[@role='alertdialog']");
    await waitForText(b, "Lot HPV-B was written off as waste.");

    const a = await call<{ status: string; quantity: string }>("get_batch", { batch_id: lots[0] });
    const d = await call<{ status: string; quantity: string }>("get_batch", { batch_id: lots[1] });
    expect([a.status, Number(a.quantity)]).toEqual(["available", 6]);
    expect(Number(d.quantity)).toBe(0);
    const alerts = await call<{ rows: { status: string }[] }>("list_alerts", { alert_type: "temperature_excursion" });
    expect(alerts.rows.map((r) => r.status)).toEqual(["resolved"]);
    const report = await call<{ ok: boolean }>("verify", {});
    expect(report.ok).toBe(true);
  });
});
