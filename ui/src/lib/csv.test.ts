import { describe, expect, it } from "vitest";

import { csvOf } from "./csv";

describe("csvOf", () => {
  it("quotes only the cells that need it and doubles quotes", () => {
    expect(csvOf(["a", "b"], [["plain", 'say "hi", then\nleave']])).toBe('a,b\r\nplain,"say ""hi"", then\nleave"\r\n');
  });
  it("writes the header alone for no rows", () => {
    expect(csvOf(["row"], [])).toBe("row\r\n");
  });
});
