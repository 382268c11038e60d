// What the PC suggests for a new store: its time zone (Intl knows it) and a
// currency for its region. Intl cannot say which currency a region uses, so
// a small table covers the regions PharmaPOS is most likely set up in; the
// region comes from the PC's languages ("en-NG"), or else from its time zone
// ("Africa/Lagos"). Nothing found: no guess (the user picks).

/** ISO 4217 currency of common ISO 3166 regions. */
export const REGION_CURRENCY: Readonly<Record<string, string>> = {
  // Africa
  NG: "NGN", GH: "GHS", KE: "KES", ZA: "ZAR", EG: "EGP", TZ: "TZS", UG: "UGX", RW: "RWF", ET: "ETB", ZM: "ZMW",
  MW: "MWK", MA: "MAD", DZ: "DZD", TN: "TND", SN: "XOF", CI: "XOF", BJ: "XOF", TG: "XOF", BF: "XOF", ML: "XOF",
  NE: "XOF", CM: "XAF", GA: "XAF", CG: "XAF", TD: "XAF", CF: "XAF", GQ: "XAF", SL: "SLE", LR: "LRD", GM: "GMD",
  BW: "BWP", NA: "NAD", MZ: "MZN", AO: "AOA", CD: "CDF", SD: "SDG", SS: "SSP", SO: "SOS", MU: "MUR", ZW: "ZWG",
  // Americas
  US: "USD", CA: "CAD", MX: "MXN", BR: "BRL", AR: "ARS", CL: "CLP", CO: "COP", PE: "PEN", JM: "JMD", TT: "TTD",
  // Europe
  GB: "GBP", IE: "EUR", FR: "EUR", DE: "EUR", IT: "EUR", ES: "EUR", PT: "EUR", NL: "EUR", BE: "EUR", AT: "EUR",
  FI: "EUR", GR: "EUR", LU: "EUR", CH: "CHF", SE: "SEK", NO: "NOK", DK: "DKK", PL: "PLN", CZ: "CZK", HU: "HUF",
  RO: "RON", TR: "TRY", UA: "UAH",
  // Asia and Oceania
  IN: "INR", PK: "PKR", BD: "BDT", LK: "LKR", NP: "NPR", CN: "CNY", HK: "HKD", JP: "JPY", KR: "KRW", SG: "SGD",
  MY: "MYR", ID: "IDR", PH: "PHP", TH: "THB", VN: "VND", AE: "AED", SA: "SAR", QA: "QAR", KW: "KWD", IL: "ILS",
  AU: "AUD", NZ: "NZD",
};

/** The region of common time zones, for a PC whose languages name none. */
const ZONE_REGION: Readonly<Record<string, string>> = {
  "Africa/Lagos": "NG", "Africa/Accra": "GH", "Africa/Nairobi": "KE", "Africa/Johannesburg": "ZA", "Africa/Cairo": "EG",
  "Africa/Dar_es_Salaam": "TZ", "Africa/Kampala": "UG", "Africa/Kigali": "RW", "Africa/Addis_Ababa": "ET",
  "Africa/Lusaka": "ZM", "Africa/Blantyre": "MW", "Africa/Casablanca": "MA", "Africa/Algiers": "DZ", "Africa/Tunis": "TN",
  "Africa/Dakar": "SN", "Africa/Abidjan": "CI", "Africa/Douala": "CM", "Africa/Freetown": "SL", "Africa/Monrovia": "LR",
  "Africa/Gaborone": "BW", "Africa/Windhoek": "NA", "Africa/Maputo": "MZ", "Africa/Luanda": "AO", "Africa/Kinshasa": "CD",
  "Africa/Harare": "ZW", "Europe/London": "GB", "Europe/Dublin": "IE", "Europe/Paris": "FR", "Europe/Berlin": "DE",
  "Europe/Rome": "IT", "Europe/Madrid": "ES", "Europe/Lisbon": "PT", "Europe/Amsterdam": "NL", "Europe/Brussels": "BE",
  "Europe/Vienna": "AT", "Europe/Zurich": "CH", "Europe/Stockholm": "SE", "Europe/Oslo": "NO", "Europe/Copenhagen": "DK",
  "Europe/Warsaw": "PL", "Europe/Istanbul": "TR", "Asia/Kolkata": "IN", "Asia/Calcutta": "IN", "Asia/Karachi": "PK",
  "Asia/Dhaka": "BD", "Asia/Shanghai": "CN", "Asia/Hong_Kong": "HK", "Asia/Tokyo": "JP", "Asia/Seoul": "KR",
  "Asia/Singapore": "SG", "Asia/Kuala_Lumpur": "MY", "Asia/Jakarta": "ID", "Asia/Manila": "PH", "Asia/Bangkok": "TH",
  "Asia/Dubai": "AE", "Asia/Riyadh": "SA", "Australia/Sydney": "AU", "Australia/Melbourne": "AU", "Pacific/Auckland": "NZ",
  "America/New_York": "US", "America/Chicago": "US", "America/Denver": "US", "America/Los_Angeles": "US",
  "America/Toronto": "CA", "America/Vancouver": "CA", "America/Mexico_City": "MX", "America/Sao_Paulo": "BR",
};

/** The PC's IANA time zone, "UTC" when the runtime does not say. */
export function pcTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  } catch {
    return "UTC";
  }
}

/** The first region named by the language tags ("en-NG" → "NG"); none for "en". */
export function regionOf(languages: readonly string[]): string | undefined {
  for (const tag of languages) {
    try {
      const region = new Intl.Locale(tag).region;
      if (region) return region.toUpperCase();
    } catch {
      // Not a BCP 47 tag: try the next.
    }
  }
  return undefined;
}

/** The currency to suggest for these languages and time zone, or "" when there is no good guess. */
export function suggestCurrency(languages: readonly string[], timeZone: string): string {
  const region = regionOf(languages);
  const fromLanguage = region ? REGION_CURRENCY[region] : undefined;
  if (fromLanguage) return fromLanguage;
  const zoneRegion = ZONE_REGION[timeZone];
  return (zoneRegion && REGION_CURRENCY[zoneRegion]) || "";
}

/** The PC's languages, most preferred first. */
export function pcLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : navigator.language ? [navigator.language] : [];
}

/** Every IANA time zone the runtime knows, with `extra` (the PC's own, UTC) when it lacks them. */
export function allTimeZones(...extra: string[]): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  const set = new Set(zones);
  for (const z of ["UTC", ...extra]) {
    if (z && !set.has(z)) {
      set.add(z);
      zones = [...zones, z];
    }
  }
  return zones;
}

/** Currency codes offered first: the table's, each once, sorted. */
export const COMMON_CURRENCIES: readonly string[] = [...new Set(Object.values(REGION_CURRENCY))].sort();

/**
 * The store locale to suggest: the PC's first language with a region
 * ("en-GB"), else its language with the time zone's region ("en" in
 * Africa/Lagos → "en-NG"), else the language alone.
 */
export function suggestLocale(languages: readonly string[], timeZone: string): string {
  for (const tag of languages) {
    try {
      const l = new Intl.Locale(tag);
      if (l.region) return `${l.language}-${l.region}`;
    } catch {
      // Not a BCP 47 tag: try the next.
    }
  }
  let language = "en";
  try {
    if (languages[0]) language = new Intl.Locale(languages[0]).language;
  } catch {
    // Keep English.
  }
  const region = ZONE_REGION[timeZone];
  return region ? `${language}-${region}` : language;
}
