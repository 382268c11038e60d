// How this workstation shows the app: a theme (light, dark, high contrast)
// and touch mode (every target at least 44 px). Saved per workstation in
// localStorage, not per user: the till's screen and who stands at it decide.
// Applied as <html data-theme data-touch>, which styles.css reads.
import { useCallback, useEffect, useRef, useState } from "react";

export const THEMES = ["light", "dark", "high-contrast"] as const;
export type Theme = (typeof THEMES)[number];

export interface Appearance {
  theme: Theme;
  touch: boolean;
}

/** localStorage key of the saved appearance. */
export const APPEARANCE_KEY = "pharmapos.appearance";

export const DEFAULT_APPEARANCE: Appearance = { theme: "light", touch: false };

/** The saved appearance, or the default (anything unreadable counts as nothing saved). */
export function loadAppearance(): Appearance {
  try {
    const raw = localStorage.getItem(APPEARANCE_KEY);
    if (!raw) return DEFAULT_APPEARANCE;
    const v = JSON.parse(raw) as Partial<Appearance>;
    return {
      theme: THEMES.includes(v.theme as Theme) ? (v.theme as Theme) : DEFAULT_APPEARANCE.theme,
      touch: v.touch === true,
    };
  } catch {
    return DEFAULT_APPEARANCE;
  }
}

/** Shows `a` now: <html data-theme="dark" data-touch="on">. */
export function applyAppearance(a: Appearance, root: HTMLElement = document.documentElement): void {
  root.dataset["theme"] = a.theme;
  root.dataset["touch"] = a.touch ? "on" : "off";
}

/** Saves and applies `a`. */
export function saveAppearance(a: Appearance): void {
  try {
    localStorage.setItem(APPEARANCE_KEY, JSON.stringify(a));
  } catch {
    // Storage full or off: it still applies for this session.
  }
  applyAppearance(a);
}

/** The appearance and a setter that saves and applies it. */
export function useAppearance(): [Appearance, (change: Partial<Appearance>) => void] {
  const [appearance, setAppearance] = useState<Appearance>(loadAppearance);
  const changed = useRef(false);
  useEffect(() => {
    // Only what the user changes is saved (opening the dialog saves nothing).
    if (changed.current) saveAppearance(appearance);
  }, [appearance]);
  const update = useCallback((change: Partial<Appearance>) => {
    changed.current = true;
    setAppearance((current) => ({ ...current, ...change }));
  }, []);
  return [appearance, update];
}
