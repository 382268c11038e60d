// The pseudo-locale check: with `pharmapos.pseudo-locale` set, every string
// that went through t() shows as ⟦…⟧ with accented letters. Any chrome text
// (headings, labels, buttons, table headers, legends, tabs, placeholders,
// aria-labels, titles) with plain ASCII words outside brackets skipped the
// i18n layer. Data is marked translate="no" and skipped.
import type { Browser } from "./app";

export const PSEUDO_KEY = "pharmapos.pseudo-locale";

/** Switches the window to the pseudo-locale and reloads it. */
export async function usePseudoLocale(b: Browser, on = true): Promise<void> {
  await b.execute(
    (key: string, value: boolean) => (value ? localStorage.setItem(key, "1") : localStorage.removeItem(key)),
    PSEUDO_KEY,
    on,
  );
  await b.refresh();
}

/** Chrome texts on screen that are not translated. */
export async function untranslatedStrings(b: Browser): Promise<string[]> {
  return (await b.execute(() => {
    const found = new Set<string>();
    // Words of two or more plain letters outside ⟦…⟧; keys such as "F4",
    // "Alt+1", "Esc" and "PIN"-style abbreviations up to 3 capitals are not words.
    const plain = (s: string) =>
      s
        .replace(/⟦[^⟧]*⟧/g, " ")
        .replace(/\b(Alt|Ctrl|Shift|Esc|Enter|Tab|F\d{1,2})\b/g, " ")
        .match(/\b[A-Za-z]*[a-z][A-Za-z]+\b/g);
    // React Aria labels its date segments ("year, ") from its own catalogue, in the locale it is given.
    const skip = (el: Element) => el.closest('[translate="no"], code, kbd, .brand, [role="spinbutton"]') !== null;
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null || getComputedStyle(el).position === "fixed";
    const selectors = "h1, h2, h3, h4, label, button, th, legend, [role=tab], summary, caption, .hint, nav a, option";
    for (const el of Array.from(document.querySelectorAll(selectors))) {
      if (skip(el) || !visible(el)) continue;
      // Own text only: data inside a label (a user's name) sits in its own element.
      const own = Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent ?? "")
        .join(" ");
      const words = plain(own);
      if (words) found.add(`<${el.tagName.toLowerCase()}> ${own.trim().slice(0, 60)}`);
    }
    for (const attr of ["placeholder", "aria-label", "title", "alt"]) {
      for (const el of Array.from(document.querySelectorAll(`[${attr}]`))) {
        if (skip(el)) continue;
        const v = el.getAttribute(attr) ?? "";
        if (plain(v)) found.add(`[${attr}] ${v.slice(0, 60)}`);
      }
    }
    return Array.from(found);
  })) as string[];
}
