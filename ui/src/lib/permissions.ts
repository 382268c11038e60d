// What the signed-in user may do in the store they work in, from the
// engine's permission table (generated into bindings/Commands.ts, never
// copied by hand). Screens and buttons ask before the user fills in a form,
// so a cashier never meets "not allowed" at the end; the engine still
// decides every command.
import { createContext, useContext } from "react";

import { COMMAND_PERMISSION, ROLE_PERMISSIONS } from "../bindings/Commands";
import type { Permission } from "../bindings/Permission";
import type { Role } from "../bindings/Role";
import type { SignedInUser } from "../bindings/SignedInUser";
import type { CommandName } from "../api";

/** The role the user holds in the store they work in (their home store). */
export function roleInStore(user: Pick<SignedInUser, "role" | "store_id" | "stores">): Role {
  return user.stores.find((s) => s.store_id === user.store_id)?.role ?? user.role;
}

/** Whether `role` holds `permission`. */
export function roleHas(role: Role, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[role] as readonly Permission[]).includes(permission);
}

/** Whether `role` may run `command`. */
export function roleMayRun(role: Role, command: CommandName): boolean {
  return roleHas(role, COMMAND_PERMISSION[command]);
}

/** The signed-in user's role in the store, for `useMayRun`. */
export const RoleContext = createContext<Role | null>(null);

/** `mayRun("approve_adjustment")`: whether to show the action at all. */
export function useMayRun(): (command: CommandName) => boolean {
  const role = useContext(RoleContext);
  return (command) => role !== null && roleMayRun(role, command);
}
