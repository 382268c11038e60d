// A store's day on the demo store: the demo is marked as such; a cashier
// sees only a cashier's screens and starts at the till; a manager starts at
// the dashboard, whose figures open their lists; the Stock screen pages
// every batch from the engine; receipts and Z reports print over ESC/POS to
// the till's printer (a file here), a cash sale opening the drawer.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { screenshot, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

async function invoke<T = unknown>(command: string, args: Record<string, unknown>): Promise<T> {
  const r = (await b.executeAsync(
    (c: string, a: Record<string, unknown>, done: (v: unknown) => void) => {
      const w = window as unknown as { __TAURI_INTERNALS__: { invoke: (c: string, a: unknown) => Promise<unknown> } };
      w.__TAURI_INTERNALS__.invoke(c, a).then(
        (ok) => done({ ok }),
        (err) => done({ err }),
      );
    },
    command,
    args,
  )) as { ok?: T; err?: unknown };
  if (r.err !== undefined) throw new Error(`${command}: ${JSON.stringify(r.err)}`);
  return r.ok as T;
}

const call = <T = unknown>(name: string, input: Record<string, unknown>) => invoke<T>("call", { name, input });

async function navIds(): Promise<string[]> {
  return (await b.$$("nav.nav [data-screen]").map((el) => el.getAttribute("data-screen"))).filter((x): x is string => x !== null);
}

async function open(id: string, title: string): Promise<void> {
  await b.$(`nav.nav [data-screen='${id}']`).click();
  await b.$(`//h1[normalize-space(.)='${title}']`).waitForDisplayed();
}

async function signOut(): Promise<void> {
  await b.$("//div[@class='nav-bottom']/button[2]").click();
  await b.$("fieldset.user-picker").waitForDisplayed();
}

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
});

describe("a store's day on the demo store", () => {
  it("marks the demo and gives a cashier only a cashier's screens, starting at the till", async () => {
    await signInAs(b, "cashier");
    await b.$("[data-testid='demo-banner']").waitForDisplayed();
    await b.$("//h1[normalize-space(.)='Till']").waitForDisplayed();
    const ids = await navIds();
    expect(ids).toEqual(expect.arrayContaining(["till", "products", "stock", "shifts"]));
    for (const hidden of ["dashboard", "receiving", "expiry", "audit", "backup", "users", "security", "settings", "suppliers", "categories"]) {
      expect(ids).not.toContain(hidden);
    }
    await signOut();
  });

  it("opens the manager's dashboard on today's figures, each opening its list", async () => {
    await signInAs(b, "manager");
    await b.$("//h1[normalize-space(.)='Dashboard']").waitForDisplayed();
    const sales = b.$("[data-testid='dash-sales-today']");
    await sales.waitForDisplayed();
    // The demo sold this morning, in naira.
    await b.waitUntil(async () => /^₦[1-9]/.test(await sales.getText()), { timeoutMsg: "today's sales in naira" });
    expect(await b.$("[data-testid='dash-stock-value']").getText()).toMatch(/^₦[1-9][\d,]*\.\d\d$/);
    expect(Number(await b.$("[data-testid='dash-low-stock']").getText())).toBeGreaterThan(0);
    // The 30-day chart is drawn (uPlot, canvas) beside its table of figures.
    await b.$("figure.chart canvas").waitForExist();
    await screenshot(b, "30-dashboard");
    await b.$("//button[.//span[normalize-space(.)='Expiring within 60 days']]").click();
    await b.$("//h1[normalize-space(.)='Expiry']").waitForDisplayed();
    const window = b.$("//label[normalize-space(.)='Expiring within']/following-sibling::select");
    expect(await window.getValue()).toBe("60");
    expect(await navIds()).toEqual(expect.arrayContaining(["dashboard", "receiving", "expiry", "audit", "settings"]));
    expect(await navIds()).not.toContain("users");
  });

  it("pages every batch of the store from the engine, sorted there", async () => {
    await open("stock", "Stock");
    const count = b.$("[data-testid='paged-count']");
    await b.waitUntil(async () => /^1–\d+ of [\d,]+$/.test(await count.getText()), { timeoutMsg: "the batch count" });
    const total = Number((await count.getText()).split(" of ")[1]!.replace(/,/g, ""));
    expect(total).toBeGreaterThan(20);
    await b.$("//label[contains(normalize-space(.),'Rows per page')]/select").selectByAttribute("value", "50");
    await b.waitUntil(async () => (await count.getText()) === `1–${Math.min(50, total)} of ${total}`);
    await b.$("//button[@aria-label='Sort by Value']").click();
    await b.$("//button[@aria-label='Sort by Value']").click();
    await b.$("//th[@aria-sort='descending']").waitForExist();
    await screenshot(b, "31-stock-paged");
    if (total > 50) {
      await b.$("//div[@class='paged-bar']//button[normalize-space(.)='Next']").click();
      await b.waitUntil(async () => (await count.getText()).startsWith("51–"));
    }
  });

  it("prints the Z report and a cash sale over ESC/POS to the till's printer, the sale opening the drawer", async () => {
    const file = join(app.dataDir, "receipt-printer.bin");
    await open("settings", "Settings");
    const form = "//form[@aria-label='Receipt printer']";
    await b.$(`${form}//label[normalize-space(.)='Connection']/following-sibling::select`).selectByAttribute("value", "file");
    await b.$(`${form}//label[normalize-space(.)='File']/following-sibling::input`).setValue(file);
    await b.$(`${form}//label[contains(., 'Open the cash drawer')]/input`).click();
    await b.$(`${form}//button[normalize-space(.)='Save printer']`).click();
    await b.$("//*[normalize-space(.)='Printer saved.']").waitForDisplayed();
    await screenshot(b, "32-settings-printer");

    // Yesterday's Z report, found among the past shifts and printed again.
    await open("shifts", "Shifts and reports");
    await b.$("//table[@aria-label='Shifts']//button[normalize-space(.)='Z report']").click();
    await b.$("//*[@role='dialog']//*[@data-testid='z-report']").waitForDisplayed();
    await b.$("//*[@role='dialog']//button[normalize-space(.)='Print again']").click();
    await b.$("//*[@role='dialog']//*[contains(@class,'print-status') and contains(., 'Printed on')]").waitForDisplayed();
    await b.keys(["Escape"]);
    const z = readFileSync(file);
    expect(z.subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40])); // ESC @
    expect(z.toString("latin1")).toContain("Z REPORT");
    expect(z.toString("latin1")).toContain("\x1dV"); // GS V: cut
    expect(z.toString("latin1")).not.toContain("\x1bp"); // no drawer for a report

    // A cash sale at the demo's till, through the engine, then its receipt.
    const hits = await call<{ product: { id: string; name: string } }[]>("search_products", { query: "paracetamol", limit: 1 });
    const product = hits[0]!.product;
    const cart = await call<{ cart_id: string }>("open_cart", { terminal_id: "DEMO-1" });
    const priced = await call<{ cart_id: string; totals: { total: string } }>("add_cart_line", { cart_id: cart.cart_id, product_id: product.id, quantity: "1" });
    const sale = await call<{ sale_id: string }>("complete_sale", {
      sale_id: "0193f0a0-0000-7000-8000-0000000000e2",
      cart_id: priced.cart_id,
      payments: [{ tender: "cash", amount: priced.totals.total }],
    });
    const before = readFileSync(file).length;
    const printed = await invoke<{ drawer_opened: boolean }>("print_receipt", { saleId: sale.sale_id, reprint: false });
    expect(printed.drawer_opened).toBe(true);
    const receipt = readFileSync(file).subarray(before).toString("latin1");
    expect(receipt.startsWith("\x1b@")).toBe(true);
    expect(receipt).toContain("DEMO STORE");
    expect(receipt).toContain(product.name.slice(0, 12));
    expect(receipt).toContain("\x1bp"); // ESC p: the drawer kick
    expect(receipt).toContain("\x1dV");
    expect(existsSync(file)).toBe(true);
  });
});
