// The till's ids. This workstation's till id (the engine's `terminal_id`)
// comes from the shell (`useTillConfig`: --till-id, PHARMAPOS_TILL_ID or the
// config file beside the database; an administrator renames it under
// Settings). An id once kept in the webview's local storage is not carried
// over: the admin renames the till to it if a shift is open under it.
/** A fresh idempotency key for complete_sale (UUID v4). */
export function newSaleId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
