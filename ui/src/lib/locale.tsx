// One locale per store: money in the store's currency, quantities and
// percentages through Intl in the store's locale, every instant in the
// store's time zone (never the PC's). Amounts stay decimal strings from the
// engine: `Intl.NumberFormat.format` takes a decimal string exactly
// (ECMA-402 NumberFormat v3), so nothing passes through a float.
import { createContext, useContext, useMemo, type ReactNode } from "react";
import { I18nProvider } from "react-aria-components";

/** The store facts that decide how things are shown. */
export interface StoreLocale {
  /** BCP 47, e.g. "en-NG". */
  locale: string;
  /** ISO 4217, e.g. "NGN". */
  currency: string;
  /** IANA, e.g. "Africa/Lagos". */
  timeZone: string;
}

/** What screens format with. */
export interface Formatters {
  readonly store: StoreLocale;
  /** "5070" → "₦5,070.00" (up to 4 decimals when the amount has them). */
  money(amount: string | null | undefined): string;
  /** "12.5" → "12.5", "1200" → "1,200"; with a unit "12.5 ml". */
  qty(quantity: string | null | undefined, unit?: string | null): string;
  /** "7.5" (percent) → "7.5%". */
  percent(value: string | null | undefined): string;
  /** An RFC 3339 instant as date and time in the store's zone. */
  instant(iso: string | null | undefined): string;
  /** An RFC 3339 instant as a time of day in the store's zone. */
  time(iso: string | null | undefined): string;
  /** A calendar date "2027-03-31" (no zone: it is a date, not an instant). */
  date(ymd: string | null | undefined): string;
  /** The store's calendar date today, "2026-11-30". */
  today(now?: Date): string;
  /**
   * The instant the store's calendar day `ymd` starts (or, with `end`, the
   * next day starts), for "from"/"to" filters; undefined for "".
   */
  dayStart(ymd: string | null | undefined, end?: boolean): string | undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function safeNumberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  try {
    return new Intl.NumberFormat(locale, options);
  } catch {
    // An unknown locale tag falls back to the runtime's; a bad currency
    // code is shown as the code itself.
    const { currency, style, ...rest } = options;
    return style === "currency" && currency
      ? new Intl.NumberFormat(undefined, { ...rest, style: "decimal" })
      : new Intl.NumberFormat(undefined, rest);
  }
}

/** `tag` when the runtime takes it as a locale, else "en" (a PC's "C" or "POSIX" is not one). */
export function usableLocale(tag: string | null | undefined): string {
  try {
    return tag ? (Intl.getCanonicalLocales(tag)[0] ?? "en") : "en";
  } catch {
    return "en";
  }
}

/** Formatters for one store. */
export function makeFormatters(given: StoreLocale): Formatters {
  const store = { ...given, locale: usableLocale(given.locale) };
  const currencyFmt = safeNumberFormat(store.locale, {
    style: "currency",
    currency: store.currency,
    maximumFractionDigits: 4,
  });
  const currencyOk = currencyFmt.resolvedOptions().style === "currency";
  const qtyFmt = safeNumberFormat(store.locale, { maximumFractionDigits: 4 });
  const pctFmt = safeNumberFormat(store.locale, { maximumFractionDigits: 4 });
  let zone = store.timeZone;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone: zone });
  } catch {
    zone = "UTC";
  }
  const dateTimeFmt = new Intl.DateTimeFormat(store.locale, {
    timeZone: zone,
    dateStyle: "medium",
    timeStyle: "short",
  });
  const timeFmt = new Intl.DateTimeFormat(store.locale, { timeZone: zone, timeStyle: "short" });
  const dateFmt = new Intl.DateTimeFormat(store.locale, { timeZone: "UTC", dateStyle: "medium" });
  const ymdFmt = new Intl.DateTimeFormat("en-CA", {
    timeZone: zone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });

  const partsFmt = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  /** How far the store's wall clock is ahead of UTC at `ms`. */
  const offsetAt = (ms: number): number => {
    const p: Record<string, number> = {};
    for (const part of partsFmt.formatToParts(new Date(ms))) if (part.type !== "literal") p[part.type] = Number(part.value);
    const wall = Date.UTC(p["year"]!, p["month"]! - 1, p["day"]!, p["hour"]! % 24, p["minute"]!, p["second"]!);
    return wall - Math.floor(ms / 1000) * 1000;
  };

  // ECMA-402 v3 accepts decimal strings; the cast keeps ES2022 lib typings.
  const fmtDecimal = (f: Intl.NumberFormat, s: string) => f.format(s as unknown as number);

  return {
    store,
    money(amount) {
      if (amount === null || amount === undefined || amount === "") return "";
      const s = amount.trim();
      if (!DECIMAL.test(s)) return s;
      return currencyOk ? fmtDecimal(currencyFmt, s) : `${store.currency} ${fmtDecimal(currencyFmt, s)}`;
    },
    qty(quantity, unit) {
      if (quantity === null || quantity === undefined || quantity === "") return "";
      const s = quantity.trim();
      const n = DECIMAL.test(s) ? fmtDecimal(qtyFmt, s) : s;
      return unit ? `${n} ${unit}` : n;
    },
    percent(value) {
      if (value === null || value === undefined || value === "") return "";
      const s = value.trim();
      return DECIMAL.test(s) ? `${fmtDecimal(pctFmt, s)}%` : s;
    },
    instant(iso) {
      if (!iso) return "";
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dateTimeFmt.format(d);
    },
    time(iso) {
      if (!iso) return "";
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : timeFmt.format(d);
    },
    date(ymd) {
      if (!ymd) return "";
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
      if (!m) return ymd;
      return dateFmt.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
    },
    today(now = new Date()) {
      // From the parts: WebKitGTK's ICU formats en-CA as "11/30/2026", not "2026-11-30".
      const part = (type: string) => ymdFmt.formatToParts(now).find((p) => p.type === type)?.value ?? "";
      return `${part("year")}-${part("month")}-${part("day")}`;
    },
    dayStart(ymd, end = false) {
      const m = ymd ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd.trim()) : null;
      if (!m) return ymd?.trim() || undefined;
      const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0));
      // The offset at the first guess, then again at the result (a DST change that day).
      const first = wall - offsetAt(wall);
      return new Date(wall - offsetAt(first)).toISOString();
    },
  };
}

/** Until the store is known (setup, sign-in): the PC's locale, UTC, no currency symbol guess. */
export const FALLBACK_LOCALE: StoreLocale = { locale: "en", currency: "USD", timeZone: "UTC" };

const FormatContext = createContext<Formatters>(makeFormatters(FALLBACK_LOCALE));

/** Provides the signed-in store's formatters to every screen. */
export function StoreLocaleProvider({ store, children }: { store: StoreLocale; children: ReactNode }) {
  const value = useMemo(
    () => makeFormatters(store),
    [store.locale, store.currency, store.timeZone], // eslint-disable-line react-hooks/exhaustive-deps
  );
  // React Aria's pickers (date segments' order, calendar) follow the store's locale too.
  return (
    <FormatContext.Provider value={value}>
      <I18nProvider locale={store.locale}>{children}</I18nProvider>
    </FormatContext.Provider>
  );
}

/** The current store's formatters. */
export function useFormat(): Formatters {
  return useContext(FormatContext);
}
