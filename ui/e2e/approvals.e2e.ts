// Approvals on the demo store, with the real app: a cashier asks for two
// adjustments over the store's threshold (they wait, stock unchanged); the
// manager sees them counted on the dashboard, opens the approvals queue from
// it, approves one (the batch's stock changes) and rejects the other with a
// reason (nothing changes); the dashboard's count goes back down.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, fill, goTo, screenshot, waitForText, waitGone, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

const PRODUCT = "Paracetamol 500mg tablets x12";
const BATCH = "PCM-2405";
const confirm = "//*[@role='alertdialog']";

async function signOut(): Promise<void> {
  await b.$("//div[@class='nav-bottom']/button[2]").click();
  await b.$("fieldset.user-picker").waitForDisplayed();
}

async function pendingCount(): Promise<number> {
  await b.$("nav.nav [data-screen='dashboard']").click();
  const tile = b.$("[data-testid='dash-pending']");
  await tile.waitForDisplayed();
  return Number((await tile.getText()).trim());
}

/** The on-hand cell of the batch on the Adjustments screen (the product chosen). */
async function onHand(): Promise<string> {
  const table = "//table[@aria-label='Batches of the product']";
  const row = b.$(`${table}//tr[@data-batch='${BATCH}']`);
  await row.waitForDisplayed();
  const headers = await b.$$(`${table}//th`).map((h) => h.getText());
  const col = headers.findIndex((h) => h.trim() === "On hand");
  if (col < 0) throw new Error(`no On hand column in ${headers.join(" | ")}`);
  // "100 pack" → "100".
  return (await row.$(`./td[${col + 1}]`).getText()).replace(/[^\d.-]/g, "");
}

async function openBatch(): Promise<void> {
  await goTo(b, "5", "Adjustments and write-offs");
  await fill(b, "Find product", "Paracetamol 500");
  await choose(b, "Product", PRODUCT);
  await clickButton(b, `Select batch ${BATCH}`);
}

async function ask(change: string, reason: string): Promise<void> {
  const form = "//form[@aria-label='Adjust the batch']";
  await fill(b, "Quantity change", change);
  await choose(b, "Reason", reason);
  await clickButton(b, "Adjust", form);
  await waitForText(b, `Adjustment of ${change} pack on batch ${BATCH} of ${PRODUCT} waits for a manager's approval.`);
}

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
});

describe("approvals on the demo store", () => {
  let before = 0;
  let stock = "";

  it("a cashier's adjustments over the threshold wait, stock unchanged", async () => {
    await signInAs(b, "manager");
    before = await pendingCount();
    await signOut();

    await signInAs(b, "cashier");
    await openBatch();
    stock = await onHand();
    await ask("-20", "Damage");
    await ask("-15", "Loss");
    expect(await onHand()).toBe(stock);
    // The cashier sees what waits, without the buttons to decide.
    const pending = "//table[@aria-label='Adjustments waiting for approval']";
    await b.$(`${pending}//tr[contains(., '-20')]`).waitForDisplayed();
    expect(await b.$(`${pending}//button[normalize-space(.)='Approve']`).isExisting()).toBe(false);
    await signOut();
  });

  it("the manager approves one in the queue and rejects the other with a reason", async () => {
    await signInAs(b, "manager");
    expect(await pendingCount()).toBe(before + 2);
    // The dashboard's figure opens the queue.
    await b.$("[data-testid='dash-pending']").click();
    await b.$("//h1[normalize-space(.)='Approvals']").waitForDisplayed();
    const queue = "//table[@aria-label='Requests waiting for approval']";
    const row = (change: string) => `${queue}//tr[contains(., '${BATCH}: ${change} pack')]`;
    await b.$(row("-20")).waitForDisplayed();
    expect(await b.$(row("-20")).getText()).toContain("Demo Cashier");
    await screenshot(b, "50-approvals-queue");

    await clickButton(b, "Approve", row("-20"));
    await b.$(confirm).waitForDisplayed();
    await fill(b, "Note (optional)", "Checked the damaged packs");
    await clickButton(b, "Approve", confirm);
    await waitGone(b, confirm);
    await waitForText(b, "Approved: Adjustment");
    await waitGone(b, row("-20"));

    await clickButton(b, "Reject", row("-15"));
    await b.$(confirm).waitForDisplayed();
    // No reason, no rejection.
    expect(await b.$(`${confirm}//button[normalize-space(.)='Reject']`).isEnabled()).toBe(false);
    await fill(b, "Reason for rejecting (required)", "Found on the back shelf");
    await clickButton(b, "Reject", confirm);
    await waitGone(b, confirm);
    await waitForText(b, "Rejected: Adjustment");
    await waitGone(b, row("-15"));

    expect(await pendingCount()).toBe(before);

    // The batch lost exactly the approved 20; the rejected 15 changed nothing.
    await openBatch();
    expect(Number(await onHand())).toBe(Number(stock) - 20);
    const recent = "//table[@aria-label='Recent adjustments']";
    await b.$(`${recent}//tr[contains(., '-20')][contains(., 'applied')][contains(., 'approved by Demo Manager')]`).waitForDisplayed();
    await b.$(`${recent}//tr[contains(., '-15')][contains(., 'rejected')][contains(., 'rejected by Demo Manager')]`).waitForDisplayed();
  });
});
