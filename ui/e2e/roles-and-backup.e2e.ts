// Users and roles, backups and the till id: an admin creates a cashier,
// backs the store up to a file and renames this till (kept by the shell in
// a file beside the database); the cashier signs in and sees only what a
// cashier may, under the new till id.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { alertText, choose, clickButton, fill, goTo, screenshot, setUpAndSignIn, startApp, waitForText, type AppSession } from "./app";

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
    await waitForText(b, "Created Bola Ade (Cashier).");
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

  it("shows the till id the shell generated, and lets the admin rename it", async () => {
    const tillFile = join(app.dataDir, "store.till.json");
    await b.keys(["Alt", ","]);
    await b.keys(["Alt"]);
    await b.$("//h1[normalize-space(.)='Settings']").waitForDisplayed();
    const shown = await b.$('[data-testid="settings-till-id"]').getText();
    expect(shown).toMatch(/^TILL-[0-9A-F]{4}$/);
    expect(JSON.parse(readFileSync(tillFile, "utf8"))).toEqual({ till_id: shown });
    expect(await b.$('[data-testid="status-till"]').getText()).toContain(shown);

    await fill(b, "New till id", "front desk!");
    await clickButton(b, "Rename till");
    expect(await alertText(b)).toContain("1 to 32 letters");
    await fill(b, "New till id", "FRONT-1");
    await clickButton(b, "Rename till");
    await waitForText(b, "This till is now FRONT-1.");
    await b.waitUntil(async () => (await b.$('[data-testid="status-till"]').getText()).includes("FRONT-1"));
    expect(JSON.parse(readFileSync(tillFile, "utf8"))).toEqual({ till_id: "FRONT-1" });
    await screenshot(b, "16-settings-till");
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
    // The till asks for the shift's float under the renamed id.
    expect(await b.$('[data-testid="open-shift-till"]').getText()).toBe("FRONT-1");
    // The navigation is there (the till's own entry), without the manager's screens.
    expect(await b.$$("//nav//button[@data-screen='till']").length).toBe(1);
    expect(await b.$$("//nav//button[@data-screen='dashboard']").length).toBe(0);
    expect(await b.$$("//nav//button[@data-screen='settings']").length).toBe(0);
    expect(await b.$$("//nav//button[@data-screen='users']").length).toBe(0);
    expect(await b.$$("//nav//button[@data-screen='backup']").length).toBe(0);
    expect(await b.$$("//nav//button[@data-screen='security']").length).toBe(0);
    expect(await b.$$("//button[contains(., 'New product')]").length).toBe(0);
  });
});
