// Helpers for tests that run on the demo store (`--demo`: sample products,
// stock and a day of sales, made by the real operations) and sign in by
// clicking a name and typing a PIN, without reading any label text (so the
// pseudo-locale run can use them too).
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";

import { startApp, type AppSession, type Browser } from "./app";
import { appBinary } from "./paths";

export const DEMO_USERS = {
  admin: { name: "Demo Admin", pin: "1111" },
  manager: { name: "Demo Manager", pin: "2222" },
  cashier: { name: "Demo Cashier", pin: "3333" },
} as const;

/** Starts the app on the demo store (in a fresh data folder). */
export async function startDemo(): Promise<AppSession> {
  return startApp({ args: ["--demo"] });
}

/** Signs in as `who` on the sign-in screen (by the user's radio and the password field). */
export async function signInAs(b: Browser, who: keyof typeof DEMO_USERS | { name: string; pin: string }): Promise<void> {
  const u = typeof who === "string" ? DEMO_USERS[who] : who;
  const choice = b.$(`//fieldset[contains(@class,'user-picker')]//label[.//span[normalize-space(.)='${u.name}']]`);
  await choice.waitForDisplayed({ timeout: 60_000 });
  await choice.click();
  const pin = b.$("input[type=password]");
  await pin.setValue(u.pin);
  await b.keys(["Enter"]);
  try {
    await b.$("nav.nav").waitForDisplayed({ timeout: 30_000 });
  } catch (e) {
    const { writeFileSync } = await import("node:fs");
    writeFileSync("/tmp/pharmapos-signin-failed.html", await b.getPageSource());
    throw e;
  }
}

/** Opens every screen in the navigation in turn, calling `visit` on each (id from data-screen). */
export async function eachScreen(b: Browser, visit: (id: string) => Promise<void>): Promise<string[]> {
  const ids = (await b.$$("nav.nav [data-screen]").map((el) => el.getAttribute("data-screen"))).filter((x): x is string => x !== null);
  for (const id of ids) {
    await b.$(`nav.nav [data-screen='${id}']`).click();
    await b.$(`nav.nav [data-screen='${id}'][aria-current='page']`).waitForExist();
    await b.$("#screen-title").waitForDisplayed();
    // Let the screen's first queries answer.
    await b.waitUntil(async () => (await b.$$("[role=status][aria-live=polite].loading").length) === 0, { timeout: 15_000 }).catch(() => undefined);
    await visit(id);
  }
  return ids;
}

/** The CLI built beside the app (`pharmapos`), for preparing database files. */
export function cli(args: string[]): string {
  const bin = process.env["PHARMAPOS_CLI"] ?? join(dirname(appBinary()), "pharmapos");
  return execFileSync(bin, args, { encoding: "utf8" });
}
