// Form helpers. Money, quantities and times are formatted by useFormat()
// (lib/locale.tsx: the store's locale, currency and time zone).

/** Empty strings become undefined, so optional request fields are omitted. */
export function optional(value: string): string | undefined {
  const v = value.trim();
  return v === "" ? undefined : v;
}

