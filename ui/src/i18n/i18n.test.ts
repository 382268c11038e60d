import { describe, expect, it } from "vitest";

import { pseudoLocalize } from "./index";

describe("pseudo-locale", () => {
  it("marks and accents text, keeping the markup of <Trans> strings", () => {
    expect(pseudoLocalize("Sign in")).toBe("⟦Šîĝñ îñ⟧");
    expect(pseudoLocalize("<k>Alt+L</k> lock the till")).toBe("⟦<k>Áļţ+Ļ</k> ļöçķ ţĥé ţîļļ⟧");
  });
});
