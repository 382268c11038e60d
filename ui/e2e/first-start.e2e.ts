// First start on an empty data folder: setup, sign-in, status bar, lock and
// unlock, the wrong PIN in the security log; and a damaged database file
// gets a clear screen, not a crash.
import { writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

import { alertText, clickButton, fill, goTo, screenshot, setUpAndSignIn, startApp, type AppSession } from "./app";

let app: AppSession | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

describe("first start", () => {
  it("sets up the store, signs in, shows the status bar, locks and unlocks", async () => {
    app = await startApp();
    const b = app.browser;
    await setUpAndSignIn(b, { shots: true });
    const bar = await b.$('[aria-label="Status"]');
    expect(await bar.getText()).toContain("Lekki Pharmacy");
    expect(await b.$('[data-testid="status-user"]').getText()).toContain("Ada Okafor");
    expect(await b.$('[data-testid="status-db"]').getText()).toContain("OK");

    // Lock with the keyboard; a wrong PIN is refused visibly; the right one unlocks.
    await b.keys(["Alt", "l"]);
    await b.keys(["Alt"]);
    await b.$("//h1[normalize-space(.)='Locked']").waitForDisplayed();
    await fill(b, "PIN", "9999");
    await b.keys(["Enter"]);
    expect(await alertText(b)).toMatch(/PIN/i);
    await screenshot(b, "03-locked-wrong-pin");
    await fill(b, "PIN", "2580");
    await b.keys(["Enter"]);
    // Back where the admin was: the dashboard.
    await b.$("//h1[normalize-space(.)='Dashboard']").waitForDisplayed();

    // The wrong PIN is in the security log, which the admin opens with Alt+S.
    await goTo(b, "s", "Security log");
    const row = b.$("//table[@aria-label='Security log entries']//tr[@data-event='sign_in_failed']");
    await row.waitForDisplayed();
    const text = await row.getText();
    expect(text).toContain("Failed sign-in");
    expect(text).toContain("Ada Okafor");
    expect(text).toContain("wrong PIN");
    await screenshot(b, "15-security-log");
  });

  it("shows a clear screen for a file that is not a PharmaPOS database", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pharmapos-e2e-bad-"));
    const dbPath = join(dir, "store.db");
    writeFileSync(dbPath, "this is not a database, just some text that someone saved here\n".repeat(100));
    try {
      app = await startApp({ dbPath, dataDir: dir });
      const b = app.browser;
      const screen = b.$('[data-testid="db-unavailable"]');
      await screen.waitForDisplayed({ timeout: 30_000 });
      expect(await screen.getText()).toContain("cannot be opened");
      expect(await screen.getText()).toContain(dbPath);
      await screenshot(b, "09-database-unavailable");
      await clickButton(b, "Try again");
      await screen.waitForDisplayed();
    } finally {
      await app?.close();
      app = null;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
