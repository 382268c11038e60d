import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";

import { configure, pseudoLocalize } from "./index";

describe("the pseudo-locale", () => {
  it("accents the message and brackets it, keeping marked values as they are", () => {
    expect(pseudoLocalize("Sign in")).toBe("⟦Šîĝñ îñ⟧");
    expect(pseudoLocalize("Added \u0001Medicines / Analgesics\u0002.")).toBe("⟦Áððéð Medicines / Analgesics.⟧");
  });

  it("leaves data passed to t() readable while marking the message (the real setup)", () => {
    // A fresh instance: the app's own is English in unit tests.
    const i18n = configure(createInstance(), "pseudo");
    expect(i18n.t("Added {{path}}.", { path: "Medicines" })).toBe("⟦Áððéð Medicines.⟧");
    expect(i18n.t("{{count}} items", { count: 2 })).toBe("⟦2 îţéɱš⟧");
  });
});
