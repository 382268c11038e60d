// Keyboard-wedge scanners "type" a whole code in a burst of keys a few
// milliseconds apart, ending with Enter; people type far slower. The till
// listens to every key (no field needs focus) and treats a fast burst ending
// in Enter as a scan. GS1 codes keep their group separator: scanners send it
// as ASCII 29 or as Ctrl+] (the same control code), and the "]d2"/"]C1"
// symbology prefix arrives as ordinary characters; both go to the engine as is.

/** How fast and how long a burst must be to count as a scan. */
export interface ScanOptions {
  /** Largest gap between two keys of one burst (ms). */
  maxGapMs: number;
  /** Fewest characters in a scanned code. */
  minLength: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = { maxGapMs: 50, minLength: 4 };

/** ASCII 29, GS1's FNC1 in element strings. */
export const GS = "\u001d";

/**
 * Pure classifier: the times (ms) of a burst's characters and of the Enter
 * that ended it → a scanner's burst or a person typing.
 */
export function classifyBurst(charTimes: readonly number[], enterTime: number, options: ScanOptions = DEFAULT_SCAN_OPTIONS): "scan" | "typing" {
  if (charTimes.length < options.minLength) return "typing";
  const times = [...charTimes, enterTime];
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0);
    if (gap < 0 || gap > options.maxGapMs) return "typing";
  }
  return "scan";
}

/** The character a key adds to a code; null for keys that break a burst, "" for keys to skip. */
export function keyChar(key: string, ctrl: boolean, alt: boolean): string | null {
  if (key === "Shift" || key === "Control" || key === "Alt" || key === "AltGraph" || key === "CapsLock") return "";
  if (ctrl && (key === "]" || key === "5")) return GS; // Ctrl+] is GS (some layouts report Ctrl+5)
  // ASCII 29 has no key of its own: WebKitGTK reports a typed U+001D as
  // "Unidentified". Inside a scanner burst that can only be the separator.
  if (key === GS || key === "GroupSeparator" || key === "Unidentified") return GS;
  if (ctrl || alt) return null;
  if (key.length === 1) return key;
  return null;
}

/**
 * Follows the keys one by one and answers the code when an Enter ends a
 * scanner burst. Keys are never swallowed here; the caller decides.
 */
export class ScanBuffer {
  private chars: string[] = [];
  private times: number[] = [];

  constructor(private readonly options: ScanOptions = DEFAULT_SCAN_OPTIONS) {}

  /** Feeds one keydown; returns the scanned code when this key completes a scan. */
  key(key: string, time: number, ctrl = false, alt = false): string | null {
    const last = this.times[this.times.length - 1];
    if (last !== undefined && time - last > this.options.maxGapMs) this.reset();
    if (key === "Enter") {
      const verdict = classifyBurst(this.times, time, this.options);
      const code = this.chars.join("");
      this.reset();
      return verdict === "scan" ? code : null;
    }
    const ch = keyChar(key, ctrl, alt);
    if (ch === "") return null;
    if (ch === null) {
      this.reset();
      return null;
    }
    this.chars.push(ch);
    this.times.push(time);
    return null;
  }

  /** True when a key at `time` would start a new burst (nothing pending, or after a pause). */
  startsBurst(time: number): boolean {
    const last = this.times[this.times.length - 1];
    return last === undefined || time - last > this.options.maxGapMs;
  }

  /** True while keys are arriving at scanner speed (so "/" and F2 are part of a code, not shortcuts). */
  inBurst(now: number): boolean {
    const last = this.times[this.times.length - 1];
    return this.chars.length >= 2 && last !== undefined && now - last <= this.options.maxGapMs;
  }

  /** Characters of the burst so far. */
  get pending(): string {
    return this.chars.join("");
  }

  reset(): void {
    this.chars = [];
    this.times = [];
  }
}
