// The screens of the main window and their keyboard shortcuts (Alt+1..9, Alt+0).
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
  | "backup";

/** One entry of the navigation. */
export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** The digit pressed with Alt. */
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
];

/** The screen shown after sign-in: the till for everyone who sells at the counter. */
export function firstScreen(role: Role): ScreenId {
  return role === "admin" ? "products" : "till";
}

/** The screens a role may open. */
export function screensFor(role: Role): ScreenEntry[] {
  return SCREENS.filter((s) => !s.roles || s.roles.includes(role));
}
