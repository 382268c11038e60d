// The one i18n layer: every user-visible string goes through `t()`.
//
// i18next with natural-language keys (the English text is the key, as in
// gettext and Lingui): English needs no catalogue except plural forms, a
// screen's strings read naturally in its code, and a missing translation
// falls back to English instead of a key name. Chosen over FormatJS and Lingui
// because it needs no compile step in Vite and no Babel macro, and `t()` is a
// map lookup, cheap enough for the till's scan path.
//
// The pseudo-locale (`pseudo`) wraps every translated string in ⟦…⟧ and
// accents its letters, so a string that skipped `t()` stands out; the
// end-to-end run in the pseudo-locale fails on any chrome text without the
// brackets. Numbers, money and dates never go through `t()`: they are
// formatted by `Intl` in the store's locale (lib/locale.tsx).
import i18next, { type i18n as I18n } from "i18next";
import { initReactI18next } from "react-i18next";

import en from "./en.json";

/** The languages the app ships. */
export const LANGUAGES = ["en"] as const;
/** The test-only language that marks every translated string. */
export const PSEUDO = "pseudo";
/** localStorage key that switches the UI to the pseudo-locale (tests). */
export const PSEUDO_KEY = "pharmapos.pseudo-locale";

const ACCENTS: Record<string, string> = {
  a: "á", b: "ƀ", c: "ç", d: "ð", e: "é", f: "ƒ", g: "ĝ", h: "ĥ", i: "î", j: "ĵ", k: "ķ", l: "ļ", m: "ɱ",
  n: "ñ", o: "ö", p: "þ", q: "ǫ", r: "ŕ", s: "š", t: "ţ", u: "û", v: "ṽ", w: "ŵ", x: "ẋ", y: "ý", z: "ž",
  A: "Á", B: "Ɓ", C: "Ç", D: "Ð", E: "É", F: "Ƒ", G: "Ĝ", H: "Ĥ", I: "Î", J: "Ĵ", K: "Ķ", L: "Ļ", M: "Ṁ",
  N: "Ñ", O: "Ö", P: "Þ", Q: "Ǫ", R: "Ŕ", S: "Š", T: "Ţ", U: "Û", V: "Ṽ", W: "Ŵ", X: "Ẋ", Y: "Ý", Z: "Ž",
};

// Interpolated values (names, numbers) are data: the pseudo formatter marks
// them so that the post-processor accents only the message around them.
const VALUE_START = "\u0001";
const VALUE_END = "\u0002";

/**
 * "Sign in" → "⟦Šîĝñ îñ⟧"; values marked by the pseudo formatter keep their
 * letters, and markup of <Trans> strings ("<k>F1</k>") is kept as is.
 */
export function pseudoLocalize(s: string): string {
  const parts = s.split(new RegExp(`(${VALUE_START}[^${VALUE_END}]*${VALUE_END})`));
  const body = parts
    .map((p) => (p.startsWith(VALUE_START) ? p.slice(1, -1) : p.replace(/<[^>]*>|[A-Za-z]/g, (c) => (c.length > 1 ? c : (ACCENTS[c] ?? c)))))
    .join("");
  return `⟦${body}⟧`;
}

/** The pseudo-locale's formatter: every interpolated value passes through, marked. */
const pseudoFormatter = {
  type: "formatter" as const,
  init() {},
  format: (value: unknown) => `${VALUE_START}${String(value)}${VALUE_END}`,
  add() {},
  addCached() {},
};

function wantsPseudo(): boolean {
  try {
    return typeof localStorage !== "undefined" && localStorage.getItem(PSEUDO_KEY) === "1";
  } catch {
    return false;
  }
}

/** Sets up `instance` in `language` (the pseudo-locale adds its formatter and marks). */
export function configure(instance: I18n, language: string): I18n {
  const pseudo = language === PSEUDO;
  if (pseudo) instance.use(pseudoFormatter);
  void instance
    .use(initReactI18next)
    .use({ type: "postProcessor", name: PSEUDO, process: (value: string) => pseudoLocalize(value) })
    .init({
      lng: language,
      fallbackLng: "en",
      // Natural-language keys: "." and ":" are ordinary characters in them.
      keySeparator: false,
      nsSeparator: false,
      resources: { en: { translation: en } },
      // React escapes; double escaping would show "&amp;".
      interpolation: { escapeValue: false, alwaysFormat: pseudo },
      postProcess: pseudo ? [PSEUDO] : false,
      initAsync: false,
      returnNull: false,
    });
  return instance;
}

/** Starts the app's i18next (once): English unless the pseudo-locale is switched on. */
export function initI18n(language: string = wantsPseudo() ? PSEUDO : "en"): I18n {
  if (i18next.isInitialized) return i18next;
  return configure(i18next, language);
}

export { i18next };
