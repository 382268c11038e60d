// A window-level keyboard shortcut such as "alt+n" or "escape", active while
// the component is mounted. "/" is ignored while typing in a field.
import { useEffect, useRef } from "react";

function matches(e: KeyboardEvent, combo: string): boolean {
  const parts = combo.toLowerCase().split("+");
  const key = parts[parts.length - 1];
  const alt = parts.includes("alt");
  const ctrl = parts.includes("ctrl");
  if (e.altKey !== alt || e.ctrlKey !== ctrl) return false;
  const pressed = e.key.toLowerCase();
  return pressed === key || e.code.toLowerCase() === `key${key}` || (key === "escape" && pressed === "esc");
}

export function useShortcut(combo: string, handler: () => void, enabled = true): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  }, [handler]);
  useEffect(() => {
    if (!enabled) return;
    function onKey(e: KeyboardEvent) {
      if (combo === "/") {
        const t = e.target as HTMLElement | null;
        if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
      }
      if (matches(e, combo)) {
        e.preventDefault();
        ref.current();
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [combo, enabled]);
}
