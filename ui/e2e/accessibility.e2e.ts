// Accessibility of every screen, in the real webview: axe-core (WCAG 2.1 A
// and AA, which includes 4.5:1 text contrast) on each screen an admin can
// open, in the light, dark and high-contrast themes, and the focus ring's
// 3:1 contrast while tabbing; Esc closes a dialog.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { axeViolations, focusRingProblems } from "./a11y";
import { type AppSession } from "./app";
import { eachScreen, signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

async function setTheme(theme: "light" | "dark" | "high-contrast"): Promise<void> {
  await b.execute((t: string) => {
    localStorage.setItem("pharmapos.appearance", JSON.stringify({ theme: t, touch: false }));
    document.documentElement.dataset["theme"] = t;
  }, theme);
}

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
  await signInAs(b, "admin");
});
afterAll(async () => {
  await app?.close();
});

describe("accessibility", () => {
  for (const theme of ["light", "dark", "high-contrast"] as const) {
    it(`has no WCAG A/AA violation on any screen (${theme} theme)`, async () => {
      await setTheme(theme);
      const problems: string[] = [];
      const screens = await eachScreen(b, async (id) => {
        for (const v of await axeViolations(b)) problems.push(`${id}: ${v}`);
      });
      expect(screens.length).toBeGreaterThan(12);
      expect(problems).toEqual([]);
    });
  }

  it("shows a focus ring of at least 3:1 on the controls reached by Tab", async () => {
    await setTheme("light");
    const problems: string[] = [];
    for (const id of ["dashboard", "till", "stock", "settings"]) {
      await b.$(`nav.nav [data-screen='${id}']`).click();
      await b.$("#screen-title").waitForDisplayed();
      for (const p of await focusRingProblems(b, 10)) problems.push(`${id}: ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it("closes a dialog with Esc", async () => {
    await b.keys(["F1"]);
    const dialog = b.$("[role=dialog]");
    await dialog.waitForDisplayed();
    await b.keys(["Escape"]);
    await dialog.waitForDisplayed({ reverse: true });
  });
});
