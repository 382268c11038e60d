// The clinic on the demo store, with the real app: an admin opens a vial of
// the demo's neurotoxin, draws for three patients (one of 12.5 units),
// records waste and reads the vial's economics; a manager records a class I
// recall of the lot and the trace lists the three patients; at the till the
// cashier's scan of that lot is refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { choose, clickButton, fill, screenshot, waitForText, type AppSession } from "./app";
import { signInAs, startDemo } from "./demo";

let app: AppSession;
let b: WebdriverIO.Browser;

const LOT = "BTX-2611";

/** The demo's toxin barcode (crates/engine/src/demo.rs: ean13(615_123_409_990)) as a GTIN-14. */
function toxinGtin(): string {
  const body = "615123409990";
  const sum = body
    .split("")
    .reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `0${body}${(10 - (sum % 10)) % 10}`;
}

async function open(id: string, title: string): Promise<void> {
  await b.$(`nav.nav [data-screen='${id}']`).click();
  await b.$(`//h1[normalize-space(.)='${title}']`).waitForDisplayed();
}

async function signOut(): Promise<void> {
  await b.$("//div[@class='nav-bottom']/button[2]").click();
  await b.$("fieldset.user-picker").waitForDisplayed();
}

const dialog = (title: string) => `//*[(@role='dialog' or @role='alertdialog')][.//*[contains(normalize-space(.), "${title}")]]`;

async function draw(patient: string, chart: string, units: string, area: string): Promise<void> {
  await clickButton(b, "Draw…");
  await waitForText(b, "Draw from");
  await clickButton(b, "New patient…");
  await fill(b, "Full name", patient);
  await fill(b, "Chart id", chart);
  await clickButton(b, "Register patient");
  await b.waitUntil(async () => (await (await b.$("//label[normalize-space(.)='Patient']/following-sibling::*[1]")).getValue()) !== "", {
    timeoutMsg: `${patient} is registered and chosen`,
  });
  await fill(b, "Units from this vial", units);
  await fill(b, "Area 1", area);
  await fill(b, "Units in area 1", units);
  await clickButton(b, "Record the draw");
  await b.$(`//td[normalize-space(.)='${patient} (${chart})']`).waitForDisplayed();
}

beforeAll(async () => {
  app = await startDemo();
  b = app.browser;
});
afterAll(async () => {
  await app?.close();
});

describe("the clinic on the demo store", () => {
  it("opens a vial, draws for three patients including 12.5 units, records waste and shows the economics", async () => {
    await signInAs(b, "admin");
    await open("vials", "Open vials");
    await clickButton(b, "Open a vial…");
    await waitForText(b, "Open a vial");
    // The demo's only injectable is chosen, its first-expiring lot and 100 units proposed.
    await b.waitUntil(async () => (await (await b.$("//label[normalize-space(.)='Lot']/following-sibling::*[1]")).getText()).includes(LOT), {
      timeoutMsg: "the lot is suggested",
    });
    expect(await (await b.$("//label[normalize-space(.)='Units in the vial']/following-sibling::*[1]")).getValue()).toBe("100");
    await fill(b, "Diluent", "0.9% saline, preservative-free");
    await fill(b, "Volume (mL)", "2.5");
    expect(await b.$("[data-testid='strength']").getText()).toContain("4 unit per 0.1 mL");
    await clickButton(b, "Open the vial");
    await waitForText(b, `lot ${LOT}`);

    await draw("Ada Obi", "CH-E2E-1", "20", "Glabellar lines");
    await draw("Bayo Ade", "CH-E2E-2", "12.5", "Forehead");
    await draw("Chi Eze", "CH-E2E-3", "24", "Lateral canthal lines");

    await clickButton(b, "Waste…");
    await waitForText(b, "Record waste from");
    await choose(b, "Reason", "Draw-up loss");
    await fill(b, "Quantity", "2");
    await clickButton(b, "Record waste", dialog("Record waste from"));
    await b.$("//td[normalize-space(.)='Draw-up loss (syringe and needle dead space)']").waitForDisplayed();

    // 56.5 U given at ₦12, 2 U wasted; the lot's unit cost is ₦5.
    expect(await b.$("[data-testid='vial-revenue']").getText()).toBe("₦678.00");
    expect(await b.$("[data-testid='vial-waste-cost']").getText()).toBe("₦10.00");
    expect(await b.$("[data-testid='vial-profit']").getText()).toBe("₦385.50");
    expect(await b.$("[data-testid='vial-margin']").getText()).toBe("56.86%");
    await screenshot(b, "40-clinic-vials");
    await clickButton(b, "Back", dialog("Vial of"));
    await signOut();
  });

  it("records a class I recall of the lot and traces it to the three patients", async () => {
    await signInAs(b, "manager");
    await open("recalls", "Recalls");
    await clickButton(b, "Record recall…");
    await fill(b, "Find lot", LOT);
    await clickButton(b, `lot ${LOT}`);
    await b.$(`//ul[@aria-label='Lots recalled']/li[contains(., '${LOT}')]`).waitForDisplayed();
    await choose(b, "Class", "Class I");
    await fill(b, "Reason", "Sterility not assured (e2e)");
    await fill(b, "Source", "FDA");
    await fill(b, "Recall number", "D-E2E-2026");
    await clickButton(b, "Record the recall");
    await b.waitUntil(async () => (await b.$("p.notice").isExisting()) || (await b.$("[role='alert']").isExisting()), { timeoutMsg: "recorded or refused" });
    const refused = b.$("[role='alert']");
    if (await refused.isExisting()) throw new Error(`recall refused: ${await refused.getText()}`);
    await waitForText(b, "Recorded the class I recall of 1 lot.");

    await clickButton(b, `Trace lot ${LOT}`);
    await waitForText(b, "Patients (3)");
    for (const name of ["Ada Obi", "Bayo Ade", "Chi Eze"]) await b.$(`//td[normalize-space(.)='${name}']`).waitForDisplayed();
    await b.$("//td[normalize-space(.)='12.5']").waitForDisplayed();
    await screenshot(b, "41-clinic-trace");
    await clickButton(b, "Back", dialog("Trace of lot"));
    await signOut();
  });

  it("refuses the recalled lot at the till", async () => {
    await signInAs(b, "cashier");
    await b.$("//h1[normalize-space(.)='Till']").waitForDisplayed();
    await b.executeAsync(
      (c: string, done: () => void) => {
        const keys = [...c.split(""), "Enter"];
        const target = document.activeElement ?? document.body;
        let i = 0;
        const next = () => {
          const key = keys[i++];
          if (key === undefined) return done();
          target.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
          target.dispatchEvent(new KeyboardEvent("keyup", { key, bubbles: true, cancelable: true }));
          setTimeout(next, 6);
        };
        next();
      },
      `]d201${toxinGtin()}10${LOT}`,
    );
    const banner = b.$('[data-testid="scan-refusal"]');
    await banner.waitForDisplayed();
    expect(await banner.getAttribute("data-refusal")).toBe("recalled");
  });
});
