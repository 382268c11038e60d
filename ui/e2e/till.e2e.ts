// The till, end to end on the real app: a cashier opens the shift, sells
// with a simulated keyboard-wedge scanner (EAN-13 and a GS1 DataMatrix with
// group separators), answers the prescription prompt, takes a split
// payment with change, holds and resumes a cart, is refused an expired and
// a recalled pack, takes a return with a manager's PIN, and closes the
// shift with a Z report.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, dateIn, field, fill, goTo, screenshot, setUpAndSignIn, startApp, waitForText, type AppSession } from "./app";

let app: AppSession;
let b: WebdriverIO.Browser;

const EAN = "5901234123457"; // Paracetamol, a plain EAN-13
const GTIN = "09501101530003"; // Amoxicillin, GS1 DataMatrix packs
const IBU = "4006381333931"; // Ibuprofen, two batches (the line's batch is changed by hand)
const GS = "\u001d";
const YYMMDD = (iso: string) => iso.slice(2).replace(/-/g, "");
const AMOX_EXPIRY = dateIn(300);

/** Calls an engine command as the signed-in user, through the same IPC the UI uses. */
async function api<T = unknown>(name: string, input: Record<string, unknown>): Promise<T> {
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

/**
 * A keyboard-wedge scanner: the code's keys, then Enter, `gapMs` apart,
 * sent to whatever has focus (nothing in particular: no field is clicked).
 * GS (ASCII 29) is sent as the key value a wedge produces for it.
 */
async function scan(code: string, gapMs = 6): Promise<void> {
  await b.executeAsync(
    (c: string, gap: number, done: () => void) => {
      const keys = [...c.split(""), "Enter"];
      const target = document.activeElement ?? document.body;
      let i = 0;
      const next = () => {
        const key = keys[i++];
        if (key === undefined) return done();
        target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
        target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true, cancelable: true }));
        setTimeout(next, gap);
      };
      next();
    },
    code,
    gapMs,
  );
}

async function lineQuantity(sku: string): Promise<string> {
  const input = b.$(`//table[@aria-label='Cart lines']//tr[@data-sku='${sku}']//input`);
  await input.waitForDisplayed();
  return input.getValue();
}

async function text(testId: string): Promise<string> {
  const el = b.$(`[data-testid="${testId}"]`);
  await el.waitForDisplayed();
  return el.getText();
}

async function waitText(testId: string, expected: string): Promise<void> {
  await b.waitUntil(async () => (await text(testId)) === expected, {
    timeoutMsg: `${testId} should read ${expected} (reads ${await text(testId).catch(() => "?")})`,
  });
}

/**
 * Answers the manager-approval dialog: picks `manager` from the store's
 * managers (the only one is already picked) and types the PIN.
 */
async function approveAs(manager: string, pin: string): Promise<void> {
  const form = "//*[@role='dialog']//form[@aria-label='Manager approval']";
  await b.$(form).waitForDisplayed();
  const choice = b.$(`${form}//fieldset//label[normalize-space(.)='${manager}']//input[@type='radio']`);
  await choice.waitForExist();
  if (!(await choice.isSelected())) await b.$(`${form}//fieldset//label[normalize-space(.)='${manager}']`).click();
  expect(await choice.isSelected()).toBe(true);
  await fill(b, "Manager PIN", pin);
  await clickButton(b, "Approve", form);
}

/** The pay-back dialog after a return or a void: says `line`, closed with "Paid back". */
async function paidBack(line: string): Promise<void> {
  const dialog = b.$('[data-testid="payout"]');
  await dialog.waitForDisplayed();
  expect(await dialog.getText()).toContain("Pay the customer back");
  expect(await dialog.$$(".payout-line").map((l) => l.getText())).toEqual([line]);
  await clickButton(b, "Paid back", "//*[@data-testid='payout']");
  await dialog.waitForDisplayed({ reverse: true });
}

let saleNumber = "";
let secondSale = "";

beforeAll(async () => {
  app = await startApp();
  b = app.browser;
  await setUpAndSignIn(b);
  // Catalogue and stock, set up by the administrator through the engine's
  // commands (the inventory journey covers doing this through the screens).
  const supplier = await api<{ id: string }>("create_supplier", { name: "Emzor Pharmaceuticals" });
  const para = await api<{ id: string }>("create_product", {
    sku: "PARA500", name: "Paracetamol 500mg", unit: "pack", selling_price: "20", cost_price: "12", tax_rate: "0", barcodes: [EAN],
  });
  const amox = await api<{ id: string }>("create_product", {
    sku: "AMOX500", name: "Amoxicillin 500mg", unit: "pack", selling_price: "150", cost_price: "90", tax_rate: "7.5",
    prescription_only: true, barcodes: [GTIN.slice(1)],
  });
  await api("receive_stock", { product_id: para.id, supplier_id: supplier.id, batch_number: "P-1", quantity: "50", expiry_date: dateIn(200) });
  await api("receive_stock", { product_id: amox.id, supplier_id: supplier.id, batch_number: "AMOX-1", quantity: "10", expiry_date: AMOX_EXPIRY });
  const recalled = await api<{ batch_id: string }>("receive_stock", {
    product_id: amox.id, supplier_id: supplier.id, batch_number: "AMOX-R", quantity: "5", expiry_date: dateIn(250),
  });
  await api("set_batch_status", { batch_id: recalled.batch_id, status: "recalled", reason: "Manufacturer recall 2026-11", recall_class: "II" });
  const ibu = await api<{ id: string }>("create_product", {
    sku: "IBU200", name: "Ibuprofen 200mg", unit: "pack", selling_price: "15", cost_price: "8", tax_rate: "0", barcodes: [IBU],
  });
  await api("receive_stock", { product_id: ibu.id, supplier_id: supplier.id, batch_number: "IBU-1", quantity: "10", expiry_date: dateIn(100) });
  await api("receive_stock", { product_id: ibu.id, supplier_id: supplier.id, batch_number: "IBU-2", quantity: "10", expiry_date: dateIn(300) });
  await api("update_till_settings", { tenders: ["cash", "card", "transfer"] });
  await api("create_user", { name: "Bola Ade", role: "cashier", pin: "1357" });
  // The cashier takes over the till.
  await clickButton(b, "Sign out");
  await b.$("//h1[normalize-space(.)='Sign in']").waitForDisplayed();
  await b.$("//label[contains(., 'Bola Ade')]").click();
  await fill(b, "PIN", "1357");
  await b.keys(["Enter"]);
  await b.$("//h1[normalize-space(.)='Till']").waitForDisplayed();
});
afterAll(async () => {
  await app?.close();
});

describe("till", () => {
  it("opens the shift with a cash float", async () => {
    await fill(b, "Opening float", "5000");
    await clickButton(b, "Open shift");
    await b.$("//table[@aria-label='Cart lines']").waitForDisplayed();
    expect(await text("till-id")).toContain("shift open");
  });

  it("sells with a scanner without clicking into a field, and types are not scans", async () => {
    // Focus is nowhere in particular (the page itself).
    await b.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    await scan(EAN);
    expect(await lineQuantity("PARA500")).toBe("1");
    await scan(EAN);
    await b.waitUntil(async () => (await lineQuantity("PARA500")) === "2", { timeoutMsg: "a repeat scan adds to the line" });
    // The same digits typed at a person's pace are not a scan.
    await scan(EAN, 120);
    await b.pause(300);
    expect(await lineQuantity("PARA500")).toBe("2");

    // A real keyboard burst through WebDriver (native key events), with
    // no field focused.
    await b.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    // WebDriver paces these keys itself (and the machine may be busy), so
    // the page records the real gaps: a burst whose gaps all stay within
    // 50 ms must be taken as a scan, a slower one must not.
    await b.execute(() => {
      const w = window as unknown as { __gaps: number[]; __last: number };
      w.__gaps = [];
      w.__last = 0;
      window.addEventListener(
        "keydown",
        (e) => {
          if (w.__last) w.__gaps.push(e.timeStamp - w.__last);
          w.__last = e.timeStamp;
        },
        true,
      );
    });
    await b.keys([...EAN.split(""), "Enter"]);
    const gaps = (await b.execute(() => (window as unknown as { __gaps: number[] }).__gaps)) as number[];
    const maxGap = Math.max(...gaps.slice(0, EAN.length));
    console.log(`WebDriver burst: ${EAN.length + 1} keys, largest gap ${maxGap.toFixed(1)} ms`);
    if (maxGap <= 50) {
      await b.waitUntil(async () => (await lineQuantity("PARA500")) === "3", { timeoutMsg: "the native burst adds a third pack" });
      // Back to two.
      const qty = b.$("//table[@aria-label='Cart lines']//tr[@data-sku='PARA500']//input");
      await qty.clearValue();
      await qty.setValue("2");
      await b.keys(["Enter"]);
      await b.waitUntil(async () => (await lineQuantity("PARA500")) === "2");
    } else {
      await b.pause(300);
      expect(await lineQuantity("PARA500")).toBe("2");
    }
  });

  it("scans a GS1 DataMatrix with group separators, asks for the prescription, takes that batch", async () => {
    await b.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    await scan(`]d201${GTIN}17${YYMMDD(AMOX_EXPIRY)}10AMOX-1${GS}21SER0001`);
    await b.$("//form[@aria-label='Prescription reference']").waitForDisplayed();
    await fill(b, "Prescription reference", "RX-2026-0042");
    await clickButton(b, "Add to cart");
    expect(await lineQuantity("AMOX500")).toBe("1");
    const row = await b.$("//table[@aria-label='Cart lines']//tr[@data-sku='AMOX500']").getText();
    expect(row).toContain("Batch AMOX-1");
    expect(row).toContain("RX-2026-0042");
    // Totals exactly as the engine computed them: 2 × 20 + 150 (7.5 % tax included).
    await waitText("total-total", "₦190.00");
    expect(await text("total-tax")).toBe("₦10.47");
    await screenshot(b, "20-till-sale");
  });

  it("refuses an expired pack and a recalled one, big and clear", async () => {
    // Looked up afresh each time: each refusal is a new element.
    const banner = () => b.$('[data-testid="scan-refusal"]');
    await scan(`]d201${GTIN}10AMOX-9${GS}17${YYMMDD(dateIn(-40))}`);
    await banner().waitForDisplayed();
    expect(await banner().getAttribute("data-refusal")).toBe("expired");
    expect(await banner().getText()).toContain("EXPIRED");
    await screenshot(b, "22-till-refused-pack");
    await b.keys(["Escape"]);
    await banner().waitForDisplayed({ reverse: true });

    // The same pack through native key events, the group separator sent as
    // Ctrl+] (as wedge scanners type it): only with the separator kept is
    // AI 17 read, and only then is the pack refused as expired. WebDriver
    // paces the keys itself; the page records the gaps it saw.
    await b.execute(() => {
      const w = window as unknown as { __gaps2: number[]; __last2: number };
      w.__gaps2 = [];
      w.__last2 = 0;
      window.addEventListener(
        "keydown",
        (e) => {
          if (w.__last2) w.__gaps2.push(e.timeStamp - w.__last2);
          w.__last2 = e.timeStamp;
        },
        true,
      );
    });
    let keys = b.action("key");
    for (const ch of `]d201${GTIN}10AMOX-9`) keys = keys.down(ch).up(ch);
    keys = keys.down("\uE009").down("]").up("]").up("\uE009"); // Control+]
    for (const ch of `17${YYMMDD(dateIn(-40))}`) keys = keys.down(ch).up(ch);
    await keys.down("\uE007").up("\uE007").perform(); // Enter
    const gaps = (await b.execute(() => (window as unknown as { __gaps2: number[] }).__gaps2)) as number[];
    const maxGap = Math.max(...gaps);
    console.log(`native GS1 burst with Ctrl+]: ${gaps.length + 1} keys, largest gap ${maxGap.toFixed(1)} ms`);
    if (maxGap <= 50) {
      await banner().waitForDisplayed();
      expect(await banner().getAttribute("data-refusal")).toBe("expired");
      await b.keys(["Escape"]);
      await banner().waitForDisplayed({ reverse: true });
    } else {
      await b.pause(300);
      expect(await banner().isDisplayed()).toBe(false);
    }

    await scan(`]d201${GTIN}10AMOX-R`);
    await banner().waitForDisplayed();
    expect(await banner().getAttribute("data-refusal")).toBe("recalled");
    expect(await banner().getText()).toContain("RECALLED");
    await b.keys(["Escape"]);
    // Nothing was added.
    expect(await b.$$("//table[@aria-label='Cart lines']/tbody/tr[@data-sku]").length).toBe(2);
    await waitText("total-total", "₦190.00");

    // The manual batch picker (search, Shift+Enter) offers the good batch
    // and shows the recalled one as unsellable.
    await b.keys(["F2"]);
    await fill(b, "Search products", "Amoxi");
    const hit = b.$("//ul[@aria-label='Matching products']/li[@data-sku='AMOX500']");
    await hit.waitForDisplayed();
    // Enter acts on the chosen hit of the query as typed: wait until the
    // field names it (its results have arrived), not only until a hit shows.
    const hitId = await hit.getAttribute("id");
    const search = await field(b, "Search products");
    await b.waitUntil(async () => (await search.getValue()) === "Amoxi" && (await search.getAttribute("aria-activedescendant")) === hitId, {
      timeoutMsg: "the search never chose Amoxicillin",
    });
    await b.keys(["Shift", "Enter"]);
    await b.keys(["Shift"]);
    const picker = "//section[@aria-label='Batches of Amoxicillin 500mg']";
    await b.$(`${picker}//tr[@data-batch='AMOX-R']`).waitForDisplayed();
    expect(await b.$(`${picker}//tr[@data-batch='AMOX-R']//button`).isEnabled()).toBe(false);
    expect(await b.$(`${picker}//tr[@data-batch='AMOX-R']`).getText()).toContain("recalled");
    expect(await b.$(`${picker}//tr[@data-batch='AMOX-1']//button`).isEnabled()).toBe(true);
    await clickButton(b, "Back", picker);
    await b.$(picker).waitForDisplayed({ reverse: true });
  });

  it("takes a split payment (card + cash) with change, and prints a receipt", async () => {
    await b.keys(["F4"]);
    // Payment opens in a dialog; Ctrl+2 picks the second tender (card).
    await b.$("//*[@role='dialog']//form[@aria-label='Payment']").waitForDisplayed();
    expect(await text("pay-total")).toBe("₦190.00");
    await b.keys(["Control", "2"]);
    await b.keys(["Control"]);
    await fill(b, "Card amount", "100");
    await fill(b, "Card reference", "SLIP-7781");
    await clickButton(b, "Cash", "//div[@aria-label='Tenders']");
    expect(await (await field(b, "Cash amount")).getValue()).toBe("90.00");
    // A quick-cash note: ₦100 handed over for the ₦90 left.
    await clickButton(b, "₦100.00", "//div[@aria-label='Cash handed over']");
    expect(await (await field(b, "Cash amount")).getValue()).toBe("100.00");
    await waitText("pay-change", "₦10.00");
    await clickButton(b, "Complete sale");
    await b.$('[data-testid="receipt"]').waitForDisplayed();
    expect(await text("receipt-total")).toBe("₦190.00");
    expect(await text("receipt-change")).toBe("₦10.00");
    saleNumber = await text("sale-number");
    // The store's code, the prefix and the number: unique beside other stores.
    expect(saleNumber).toMatch(/^LEK-S-\d+$/);
    const receipt = await b.$('[data-testid="receipt"]').getText();
    expect(receipt).toContain("SLIP-7781");
    expect(receipt).toContain("Batch AMOX-1");
    await screenshot(b, "21-till-receipt");
  });

  it("holds a cart and resumes it", async () => {
    // Scanning while the receipt shows starts the next sale in a new cart.
    await scan(EAN);
    expect(await lineQuantity("PARA500")).toBe("1");
    expect(await b.$$("//table[@aria-label='Cart lines']/tbody/tr[@data-sku]").length).toBe(1);
    await b.keys(["F6"]);
    await fill(b, "Customer name", "Mrs Bello");
    await clickButton(b, "Hold cart");
    await waitForText(b, "Held the cart for Mrs Bello");
    await b.waitUntil(async () => (await b.$$("//table[@aria-label='Cart lines']/tbody/tr[@data-sku]").length) === 0);

    await b.keys(["F7"]);
    await b.$("//table[@aria-label='Held carts']//tr[@data-customer='Mrs Bello']").waitForDisplayed();
    await clickButton(b, "Resume Mrs Bello");
    await waitForText(b, "Resumed the cart of Mrs Bello");
    expect(await lineQuantity("PARA500")).toBe("1");

    // Pay it in cash, exactly (the exact-cash button).
    await b.keys(["F4"]);
    await clickButton(b, "Exact cash ₦20.00", "//div[@aria-label='Cash handed over']");
    await waitText("pay-change", "₦0.00");
    await clickButton(b, "Complete sale");
    await b.$('[data-testid="receipt"]').waitForDisplayed();
    expect(await text("receipt-total")).toBe("₦20.00");
    secondSale = await text("sale-number");
    await b.keys(["Escape"]);
  });

  it("takes a return against the first sale with a manager's PIN", async () => {
    await b.keys(["F8"]);
    await fill(b, "Sale number", saleNumber);
    await clickButton(b, "Find sale");
    const qty = b.$("//input[@aria-label='Return quantity of Paracetamol 500mg']");
    await qty.waitForDisplayed();
    await qty.setValue("1");
    // The refund would go back on the card (most of the sale); this one is paid in cash.
    expect(await (await field(b, "Refund tender")).getValue()).toBe("card");
    await choose(b, "Refund tender", "Cash");
    await clickButton(b, "Return and refund");
    // A cashier's refunds need a manager (store default), picked from the store's managers.
    await approveAs("Ada Okafor", "9999");
    await b.$("//form[@aria-label='Manager approval']//*[@role='alert']").waitForDisplayed();
    await screenshot(b, "25-till-manager-pin");
    await approveAs("Ada Okafor", "2580");
    await waitForText(b, "refund ₦20.00 Cash");
    await paidBack("₦20.00 in Cash");
    expect(await b.$('[data-testid="receipt"]').getText()).toContain("Returned 1");
  });

  it("voids the second sale with a manager's PIN: its stock goes back", async () => {
    // Picked from this shift's sales rather than typed.
    await b.keys(["F7"]);
    await b.keys(["F8"]);
    await clickButton(b, `Open ${secondSale}`);
    await b.$(`//article[@aria-label='Receipt ${secondSale}']`).waitForDisplayed();
    await fill(b, "Void reason", "Customer changed their mind");
    await clickButton(b, "Void sale");
    await approveAs("Ada Okafor", "2580");
    await waitForText(b, `Voided ${secondSale}`);
    // The whole sale goes back in cash, the way it was paid.
    await paidBack("₦20.00 in Cash");
    expect(await b.$('[data-testid="receipt"]').getText()).toContain("VOIDED");
  });

  it("shows what it can sell when stock is short, and records a backorder for the rest", async () => {
    await b.keys(["Escape"]);
    await b.$("//table[@aria-label='Cart lines']").waitForDisplayed();
    await b.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    await scan(EAN);
    expect(await lineQuantity("PARA500")).toBe("1");
    const qty = b.$("//table[@aria-label='Cart lines']//tr[@data-sku='PARA500']//input");
    await qty.clearValue();
    await qty.setValue("100");
    await b.keys(["Enter"]);
    // 50 received − 3 sold + 1 voided = 48 (the returned pack went to
    // quarantine, the store's default for returned medicine).
    await waitForText(b, "Only 48 pack available.");
    await clickButton(b, "Sell what we have / backorder…");
    await b.$('[data-testid="shortage"]').waitForDisplayed();
    expect(await (await field(b, "Backorder quantity")).getValue()).toBe("52");
    await fill(b, "Customer name", "Mr Okon");
    await fill(b, "Customer phone", "+234 803 000 0000");
    await clickButton(b, "Create backorder");
    await waitForText(b, "Backorder recorded: 52 pack of Paracetamol 500mg for Mr Okon");
    await clickButton(b, "Sell the 48 available");
    await b.waitUntil(async () => (await lineQuantity("PARA500")) === "48", { timeoutMsg: "the line takes what is available" });
    await waitForText(b, "Quantity of Paracetamol 500mg set to the 48 available.");
    await screenshot(b, "24-till-shortage");
    // The shortage dialog stays until the cashier closes it.
    await clickButton(b, "Close", "//*[@data-testid='shortage-dialog']");
    await b.$('[data-testid="shortage"]').waitForDisplayed({ reverse: true });
    await clickButton(b, "Cancel cart");
    await clickButton(b, "Yes, cancel cart");
    await waitForText(b, "Cart cancelled");
  });

  it("closes the shift with the counted cash: Z report with over/short", async () => {
    await b.keys(["F9"]);
    // A blind close: the counted cash is asked first, the expected cash is not shown.
    await b.$("//form[@aria-label='Close the shift']").waitForDisplayed();
    expect(await b.$$('[data-testid="x-report"]').length).toBe(0);
    expect(await b.$$('[data-testid="report-expected"]').length).toBe(0);
    // The X report, on request, shows it: 5000 float + 90 (100 cash − 10
    // change) − 20 refunded; the voided sale's 20 left the takings.
    await clickButton(b, "Show the X report");
    await b.$('[data-testid="x-report"]').waitForDisplayed();
    await waitText("report-expected", "₦5,070.00");
    await clickButton(b, "Hide the X report");
    await b.$('[data-testid="x-report"]').waitForDisplayed({ reverse: true });
    await fill(b, "Counted cash", "5065");
    await clickButton(b, "Close shift");
    const z = "//*[@role='dialog'][.//*[@data-testid='z-report']]";
    await b.$(z).waitForDisplayed();
    expect(await text("report-over-short")).toBe("-₦5.00");
    expect(await text("report-sales")).toBe("₦190.00");
    expect(await text("tender-card")).toBe("₦100.00");
    expect(await b.$('[data-testid="variance"] [data-variance]').getAttribute("data-variance")).toBe("short");
    await screenshot(b, "23-z-report");
    await clickButton(b, "Done", z);
    await b.$(z).waitForDisplayed({ reverse: true });
    // The till now asks for a new shift.
    await b.$("//form[@aria-label='Open the shift']").waitForDisplayed();
  });

  it("measures scan → line on screen in the webview", async () => {
    await b.$("//form[@aria-label='Open the shift']").waitForDisplayed();
    await fill(b, "Opening float", "0");
    await clickButton(b, "Open shift");
    await b.$("//table[@aria-label='Cart lines']").waitForDisplayed();
    await b.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    // Each round: a whole scanner burst, then the time until the line's
    // quantity on screen shows the new count (checked every frame).
    const times = (await b.executeAsync(
      (code: string, rounds: number, done: (t: number[]) => void) => {
        const out: number[] = [];
        const qty = () => (document.querySelector("table[aria-label='Cart lines'] tr[data-sku='PARA500'] input") as HTMLInputElement | null)?.value ?? "0";
        const round = (i: number) => {
          if (i > rounds) return done(out);
          for (const key of [...code.split(""), "Enter"]) document.body.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
          const t0 = performance.now();
          const poll = () => {
            if (qty() === String(i)) {
              out.push(performance.now() - t0);
              setTimeout(() => round(i + 1), 60);
            } else if (performance.now() - t0 > 5000) done(out);
            else requestAnimationFrame(poll);
          };
          requestAnimationFrame(poll);
        };
        round(1);
      },
      EAN,
      30,
    )) as number[];
    expect(times.length).toBe(30);
    const sorted = [...times].sort((x, y) => x - y);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
    console.log(`scan → line on screen over ${times.length} scans (debug build): p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms, max ${p(1).toFixed(1)} ms`);
    expect(p(0.5)).toBeLessThan(1000);
    await clickButton(b, "Cancel cart");
    await clickButton(b, "Yes, cancel cart");
    await waitForText(b, "Cart cancelled");
  });

  it("changes a line's batch after adding it, and back to FEFO", async () => {
    await b.execute(() => (document.activeElement as HTMLElement | null)?.blur());
    await scan(IBU);
    expect(await lineQuantity("IBU200")).toBe("1");
    const row = () => b.$("//table[@aria-label='Cart lines']//tr[@data-sku='IBU200']");
    expect(await row().getText()).not.toContain("Batch IBU");
    await clickButton(b, "Change the batch of Ibuprofen 200mg");
    const picker = "//section[@aria-label='Batches of Ibuprofen 200mg']";
    await b.$(`${picker}//tr[@data-batch='IBU-2']`).waitForDisplayed();
    await clickButton(b, "Sell from IBU-2", picker);
    await waitForText(b, "Ibuprofen 200mg now sells from batch IBU-2.");
    await b.waitUntil(async () => (await row().getText()).includes("Batch IBU-2"), { timeoutMsg: "the line shows the chosen batch" });
    await screenshot(b, "26-till-line-batch");
    await clickButton(b, "Change the batch of Ibuprofen 200mg");
    await b.$(`${picker}//tr[@data-batch='IBU-2'][@aria-current='true']`).waitForDisplayed();
    await clickButton(b, "Back to FEFO", picker);
    await waitForText(b, "Ibuprofen 200mg sells FEFO stock again");
    await b.waitUntil(async () => !(await row().getText()).includes("Batch IBU"), { timeoutMsg: "the line is FEFO again" });
    await clickButton(b, "Cancel cart");
    await clickButton(b, "Yes, cancel cart");
    await waitForText(b, "Cart cancelled");
  });

  it("is Alt+1 from anywhere", async () => {
    await goTo(b, "3", "Stock");
    await goTo(b, "1", "Till");
  });
});
