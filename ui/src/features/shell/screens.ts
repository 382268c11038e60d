// The screens of the main window and their keyboard shortcuts (Alt+1..9,
// Alt+0; the screens past ten take another key: Alt+S security log, Alt+,
// settings).
import type { Role } from "../../bindings/Role";

/** Identifies a screen. */
export type ScreenId =
  | "till"
  | "products"
  | "stock"
  | "receiving"
  | "adjustments"
  | "expiry"
  | "suppliers"
  | "audit"
  | "users"
  | "backup"
  | "security"
  | "settings";

/** One entry of the navigation. */
export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** The digit (or letter) pressed with Alt. */
  key: string;
  /** Roles that see the screen; all roles when absent. */
  roles?: readonly Role[];
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: "till", label: "Till", key: "1" },
  { id: "products", label: "Products", key: "2" },
  { id: "stock", label: "Stock", key: "3" },
  { id: "receiving", label: "Receiving", key: "4" },
  { id: "adjustments", label: "Adjustments", key: "5" },
  { id: "expiry", label: "Expiry", key: "6" },
  { id: "suppliers", label: "Suppliers", key: "7" },
  { id: "audit", label: "Audit trail", key: "8" },
  { id: "users", label: "Users", key: "9", roles: ["admin"] },
  { id: "backup", label: "Backup", key: "0", roles: ["admin", "manager"] },
  // Roles with the engine's view_audit permission.
  { id: "security", label: "Security log", key: "S", roles: ["admin", "manager", "head_office"] },
  // This workstation's till id (the shell's manage_stores check: admins).
  { id: "settings", label: "Settings", key: ",", roles: ["admin"] },
];

const PHYSICAL: Record<string, string> = { ",": "Comma" };

/** True when a keydown with Alt held is this screen's shortcut (by key or by physical key). */
export function isShortcut(s: ScreenEntry, e: { key: string; code: string }): boolean {
  const physical = PHYSICAL[s.key] ?? (/^\d$/.test(s.key) ? `Digit${s.key}` : `Key${s.key.toUpperCase()}`);
  return e.key.toLowerCase() === s.key.toLowerCase() || e.code === physical;
}

/** The screen shown after sign-in: the till for everyone who sells at the counter. */
export function firstScreen(role: Role): ScreenId {
  return role === "admin" ? "products" : "till";
}

/** The screens a role may open. */
export function screensFor(role: Role): ScreenEntry[] {
  return SCREENS.filter((s) => !s.roles || s.roles.includes(role));
}
