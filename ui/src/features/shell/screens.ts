// The screens of the main window and their keyboard shortcuts (Alt+1..9,
// Alt+0; the screens past ten take another key: Alt+S security log, Alt+,
// settings).
import type { Role } from "../../bindings/Role";
import type { CommandName } from "../../api";
import { roleMayRun } from "../../lib/permissions";

/** Identifies a screen. */
export type ScreenId =
  | "dashboard"
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
  | "settings"
  | "shifts"
  | "categories"
  | "backorders"
  | "vials"
  | "patients"
  | "recalls"
  | "clinic-report"
  | "alerts"
  | "coldchain"
  | "reorder"
  | "transfers"
  | "counts"
  | "approvals"
  | "purchasing"
  | "import"
  | "reports";

/** One entry of the navigation. */
export interface ScreenEntry {
  id: ScreenId;
  label: string;
  /** The digit (or letter) pressed with Alt. */
  key: string;
  /**
   * The command that is the screen's purpose: the screen shows only to roles
   * the engine's permission table lets run it.
   */
  needs: CommandName;
}

export const SCREENS: readonly ScreenEntry[] = [
  { id: "dashboard", label: "Dashboard", key: "D", needs: "get_dashboard" },
  { id: "till", label: "Till", key: "1", needs: "complete_sale" },
  { id: "products", label: "Products", key: "2", needs: "search_products" },
  { id: "stock", label: "Stock", key: "3", needs: "get_store_inventory" },
  { id: "receiving", label: "Receiving", key: "4", needs: "receive_stock" },
  { id: "adjustments", label: "Adjustments", key: "5", needs: "adjust_stock" },
  { id: "expiry", label: "Expiry", key: "6", needs: "expire_batches_within_days" },
  { id: "suppliers", label: "Suppliers", key: "7", needs: "create_supplier" },
  { id: "audit", label: "Audit trail", key: "8", needs: "get_audit_trail" },
  { id: "users", label: "Users", key: "9", needs: "create_user" },
  // The backup is the engine's AuthorizeBackup (manage_stock), same as deciding approvals.
  { id: "backup", label: "Backup", key: "0", needs: "approve_adjustment" },
  { id: "security", label: "Security log", key: "S", needs: "list_security_log" },
  // This workstation's till id and the store's details (manage_stores: admins).
  { id: "shifts", label: "Shifts and reports", key: "R", needs: "list_shifts" },
  { id: "backorders", label: "Backorders", key: "B", needs: "fulfill_backorder" },
  { id: "categories", label: "Categories", key: "C", needs: "create_category" },
  // The clinic: practitioners, managers and admins (clinical); recalls and the
  // clinic's report for managers (manage_stock).
  { id: "vials", label: "Open vials", key: "V", needs: "list_vial_sessions" },
  { id: "patients", label: "Patients", key: "P", needs: "list_patients" },
  { id: "recalls", label: "Recalls", key: "K", needs: "record_recall" },
  { id: "clinic-report", label: "Clinic report", key: "M", needs: "get_clinic_report" },
  // Alerts: every store role sees them (the shell's sweep runs as them).
  { id: "alerts", label: "Alerts", key: "A", needs: "list_alerts" },
  { id: "coldchain", label: "Cold chain", key: "T", needs: "list_storage_locations" },
  { id: "reorder", label: "Reorder", key: "E", needs: "list_reorder_recommendations" },
  // Stock between stores: any store staff may draft one (adjust_stock), managers ship.
  { id: "transfers", label: "Transfers", key: "X", needs: "list_transfers" },
  // Physical counts: any store staff may count (adjust_stock), managers post.
  { id: "counts", label: "Counts", key: "O", needs: "list_counts" },
  // The approvals queue: those who decide (manage_stock), the engine's list_approvals.
  { id: "approvals", label: "Approvals", key: "Q", needs: "list_approvals" },
  // Purchase orders to vendors: whoever may order stock (order_stock; not
  // cashiers). list_purchase_orders only needs view_inventory, which cashiers have.
  { id: "purchasing", label: "Purchase orders", key: "U", needs: "create_purchase_order" },
  // Onboarding from CSV: whoever keeps the catalogue (manage_catalogue).
  { id: "import", label: "Import", key: "I", needs: "run_import" },
  // The manager's reports (issue 14): valuation, aging, expiry risk, movements,
  // waste, sales and vendors; every report needs view_audit, as the dashboard.
  { id: "reports", label: "Reports", key: "G", needs: "get_stock_valuation" },
  // This workstation (till id, printer) and the store's settings: managers
  // change how the store sells; only admins its details and the till id.
  { id: "settings", label: "Settings", key: ",", needs: "update_till_settings" },
];

const PHYSICAL: Record<string, string> = { ",": "Comma" };

/** True when a keydown with Alt held is this screen's shortcut (by key or by physical key). */
export function isShortcut(s: ScreenEntry, e: { key: string; code: string }): boolean {
  const physical = PHYSICAL[s.key] ?? (/^\d$/.test(s.key) ? `Digit${s.key}` : `Key${s.key.toUpperCase()}`);
  return e.key.toLowerCase() === s.key.toLowerCase() || e.code === physical;
}

/** The screen shown after sign-in: the till for everyone who sells at the counter. */
export function firstScreen(role: Role): ScreenId {
  // A manager's home is the dashboard; a practitioner's the open vials;
  // whoever else sells starts at the till.
  if (roleMayRun(role, "get_dashboard")) return "dashboard";
  if (role === "practitioner") return "vials";
  return roleMayRun(role, "complete_sale") ? "till" : (screensFor(role)[0]?.id ?? "products");
}

/** The screens a role may open. */
export function screensFor(role: Role): ScreenEntry[] {
  return SCREENS.filter((s) => roleMayRun(role, s.needs));
}
