// The pseudo-locale run: every string that goes through the i18n layer
// shows as ⟦…⟧ with accented letters; any chrome text on any screen (and on
// sign-in) that does not is a string left hard-coded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { screenshot, type AppSession } from "./app";
import { eachScreen, signInAs, startDemo } from "./demo";
import { untranslatedStrings, usePseudoLocale } from "./pseudo";

let app: AppSession;
let b: WebdriverIO.Browser;

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
  await b.$("fieldset.user-picker").waitForDisplayed({ timeout: 60_000 });
  await usePseudoLocale(b);
});
afterAll(async () => {
  await app?.close();
});

describe("the pseudo-locale", () => {
  it("leaves no hard-coded string on the sign-in screen", async () => {
    await b.$("fieldset.user-picker").waitForDisplayed();
    expect(await b.$("h1").getText()).toMatch(/^⟦.*⟧$/);
    expect(await untranslatedStrings(b)).toEqual([]);
  });

  it("leaves no hard-coded string on any screen", async () => {
    await signInAs(b, "admin");
    const found: string[] = [];
    await eachScreen(b, async (id) => {
      for (const s of await untranslatedStrings(b)) found.push(`${id}: ${s}`);
    });
    await screenshot(b, "33-pseudo-locale");
    expect(found).toEqual([]);
  });
});
