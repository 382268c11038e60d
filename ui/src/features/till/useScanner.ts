// Window-level scanner listener for the till: no field needs focus. Keys
// typed into ordinary fields (quantities, PINs, payments) are left alone;
// the product search box is the exception, since the cashier often has it
// focused when scanning: a burst there is a scan, and the box is cleared.
import { useEffect, useRef } from "react";

import { DEFAULT_SCAN_OPTIONS, ScanBuffer, type ScanOptions } from "./scanner";

/**
 * Marks a field whose typing may also be a scanner burst. Value "" (the
 * search box): the caller decides what to do with the field. Value
 * "restore" (quantities, discounts, amounts): the field gets back what it
 * held before the burst, so a scan while the cursor sits in a quantity
 * never turns the barcode into a quantity.
 */
export const SCAN_TARGET_ATTR = "data-scan-target";

/** Props for a field whose value a scan must not change. */
export const RESTORE_ON_SCAN = { [SCAN_TARGET_ATTR]: "restore" } as const;

/** Sets a React-controlled input's value the way typing would. */
function setFieldValue(field: HTMLInputElement, value: string): void {
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
  setter?.call(field, value);
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

function isEditable(el: EventTarget | null): el is HTMLElement {
  if (!(el instanceof HTMLElement)) return false;
  return el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable;
}

export function useScanner(
  onScan: (code: string, fromField: HTMLElement | null) => void,
  enabled: boolean,
  options: ScanOptions = DEFAULT_SCAN_OPTIONS,
): { inBurst: () => boolean } {
  const handler = useRef(onScan);
  useEffect(() => {
    handler.current = onScan;
  }, [onScan]);
  const buffer = useRef<ScanBuffer | null>(null);

  useEffect(() => {
    if (!enabled) return;
    const buf = new ScanBuffer(options);
    buffer.current = buf;
    // The field's value when the current burst began (to undo a scan typed into it).
    let before: { field: HTMLInputElement; value: string } | null = null;
    function onKey(e: KeyboardEvent) {
      const target = e.target;
      const field = isEditable(target) ? target : null;
      if (field && !field.hasAttribute(SCAN_TARGET_ATTR)) {
        buf.reset();
        return;
      }
      const now = e.timeStamp || performance.now();
      if (field instanceof HTMLInputElement && buf.startsBurst(now)) before = { field, value: field.value };
      const code = buf.key(e.key, now, e.ctrlKey, e.altKey);
      if (code !== null) {
        // The Enter ends a scan: it must not submit a form or press a button.
        e.preventDefault();
        e.stopPropagation();
        if (field instanceof HTMLInputElement && field.getAttribute(SCAN_TARGET_ATTR) === "restore" && before?.field === field) {
          setFieldValue(field, before.value);
          field.blur();
        }
        before = null;
        handler.current(code, field);
      } else if (!field && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
        // Characters typed outside any field would do nothing anyway; keep
        // them from scrolling the page or pressing a focused button.
        if (e.key === " ") e.preventDefault();
      }
    }
    window.addEventListener("keydown", onKey, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      buffer.current = null;
    };
  }, [enabled, options]);

  return { inBurst: () => buffer.current?.inBurst(performance.now()) ?? false };
}
