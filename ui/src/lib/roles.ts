// The roles in words, for every screen that shows one. `label` and `help`
// are English t() keys.
import type { TFunction } from "i18next";

import type { Role } from "../bindings/Role";

export const ROLES: readonly { role: Role; label: string; help: string }[] = [
  { role: "cashier", label: "Cashier", help: "sells at the till" },
  { role: "practitioner", label: "Practitioner", help: "clinic: vials, treatment use, waste" },
  { role: "manager", label: "Manager", help: "receives, approves, counts, transfers" },
  { role: "admin", label: "Admin", help: "everything in the store, including its users" },
  { role: "head_office", label: "Head office", help: "reads every store, edits the catalogue" },
];

/** A role in words ("Head office"). */
export function roleWords(role: string, t: TFunction): string {
  const r = ROLES.find((x) => x.role === role);
  return r ? t(r.label) : role.replace(/_/g, " ");
}
