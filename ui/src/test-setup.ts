// Vitest setup: DOM matchers, a clean DOM between tests, and a longer wait
// for `findBy…` on a loaded CI machine (a missing element still fails).
import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterEach } from "vitest";

import { initI18n } from "./i18n";

initI18n("en");
configure({ asyncUtilTimeout: 5_000 });
afterEach(() => cleanup());
