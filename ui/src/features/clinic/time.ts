// A time of day typed in the store's zone ("14:30") as the RFC 3339 instant
// the engine takes, for "reconstituted at" (today, in the store's calendar).
import type { Formatters } from "../../lib/locale";

/** "HH:MM" today in the store's zone → an instant; undefined for "" (the engine takes now). */
export function timeTodayToInstant(f: Pick<Formatters, "today" | "dayStart">, hhmm: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m) return undefined;
  const start = f.dayStart(f.today());
  if (!start) return undefined;
  const ms = Date.parse(start) + (Number(m[1]) * 60 + Number(m[2])) * 60_000;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
