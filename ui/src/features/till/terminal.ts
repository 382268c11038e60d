// This workstation's till id. The engine wants a `terminal_id` on carts,
// shifts and returns; the shell does not provide one yet, so the till keeps
// it in the webview's local storage (default "till-1"), editable on the
// shift panel. Letters, digits, "-", "_" and "." only (engine rule).
const KEY = "pharmapos.terminal_id";
export const DEFAULT_TERMINAL = "till-1";

export function validTerminalId(id: string): boolean {
  return /^[A-Za-z0-9._-]{1,40}$/.test(id);
}

export function loadTerminalId(): string {
  try {
    const v = window.localStorage.getItem(KEY);
    return v && validTerminalId(v) ? v : DEFAULT_TERMINAL;
  } catch {
    return DEFAULT_TERMINAL;
  }
}

export function saveTerminalId(id: string): void {
  try {
    window.localStorage.setItem(KEY, id);
  } catch {
    // Storage unavailable: the id lasts for this session only.
  }
}

/** A fresh idempotency key for complete_sale (UUID v4). */
export function newSaleId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
