// The screens of the main window and their keyboard shortcuts (Alt+1..9, Alt+0).
import type { Role } from "../../bindings/Role";

/** Identifies a screen. */
export type ScreenId =
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
  { id: "products", label: "Products", key: "1" },
  { id: "stock", label: "Stock", key: "2" },
  { id: "receiving", label: "Receiving", key: "3" },
  { id: "adjustments", label: "Adjustments", key: "4" },
  { id: "expiry", label: "Expiry", key: "5" },
  { id: "suppliers", label: "Suppliers", key: "6" },
  { id: "audit", label: "Audit trail", key: "7" },
  { id: "users", label: "Users", key: "8", roles: ["admin"] },
  { id: "backup", label: "Backup", key: "9", roles: ["admin", "manager"] },
];

/** The screens a role may open. */
export function screensFor(role: Role): ScreenEntry[] {
  return SCREENS.filter((s) => !s.roles || s.roles.includes(role));
}
