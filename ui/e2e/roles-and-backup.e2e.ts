// Users and roles, and backups: an admin creates a cashier and backs the
// store up to a file; the cashier signs in and sees only what a cashier may.
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, fill, goTo, screenshot, setUpAndSignIn, startApp, waitForText, type AppSession } from "./app";

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

describe("roles and backup", () => {
  it("lets the admin create a cashier", async () => {
    await goTo(b, "9", "Users and roles");
    await clickButton(b, "New user");
    await fill(b, "Name", "Bola Ade");
    await choose(b, "Role", "Cashier");
    await fill(b, "PIN", "1357");
    await clickButton(b, "Save user");
    await waitForText(b, "Created Bola Ade (cashier)");
    await b.$("//table[@aria-label='Users']//td[normalize-space(.)='Bola Ade']").waitForDisplayed();
    await screenshot(b, "13-users");
  });

  it("backs the store up to a new file, and refuses to overwrite it", async () => {
    const target = join(app.dataDir, "backup-1.db");
    await goTo(b, "0", "Backup");
    await fill(b, "Backup file", target);
    await clickButton(b, "Back up now");
    await waitForText(b, `Backup written to ${target}`);
    expect(existsSync(target)).toBe(true);
    expect(statSync(target).size).toBeGreaterThan(0);
    await screenshot(b, "14-backup");

    await clickButton(b, "Back up now");
    await waitForText(b, "already exists");
  });

  it("shows a cashier only the cashier's screens", async () => {
    await clickButton(b, "Sign out");
    await b.$("//h1[normalize-space(.)='Sign in']").waitForDisplayed();
    await b.$("//label[contains(., 'Bola Ade')]").click();
    await fill(b, "PIN", "1357");
    await b.keys(["Enter"]);
    // A cashier lands on the till.
    await b.$("//h1[normalize-space(.)='Till']").waitForDisplayed();
    expect(await b.$('[data-testid="status-user"]').getText()).toContain("cashier");
    expect(await b.$$("//nav//button[@data-screen='users']").length).toBe(0);
    expect(await b.$$("//nav//button[@data-screen='backup']").length).toBe(0);
    expect(await b.$$("//nav//button[@data-screen='security']").length).toBe(0);
    expect(await b.$$("//button[contains(., 'New product')]").length).toBe(0);
  });
});
