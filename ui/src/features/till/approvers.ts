// Who may approve at this till: the store's managers and admins with a PIN,
// for the approval dialog's picker (the manager picks their name instead of
// typing it exactly as the engine knows it).
//
// `list_approvers` is a new engine command (request: optional store_id,
// default the user's store; response: ids and names ordered by name). Its
// generated binding is not in ui/src/bindings on this branch yet, so the
// typed client does not know its name: this one function states the shape
// and is the only place that calls it. When the lead merges the engine's
// branch and regenerates the bindings, it becomes a plain
// `call("list_approvers", {})` with the generated `StoreApprover`.
import { useQuery } from "@tanstack/react-query";

import { call, type ApiError } from "../../api";
import { COMMAND_KEY } from "../../lib/queries";

/** One user who may approve in the store. */
export interface StoreApprover {
  id: string;
  /** Exactly as the approval wants it back (`approver_name`). */
  name: string;
}

/** The store's approvers, from the engine. */
export function listApprovers(): Promise<StoreApprover[]> {
  const untyped = call as unknown as (name: string, input: Record<string, never>) => Promise<StoreApprover[]>;
  return untyped("list_approvers", {});
}

/** The approvers, cached like any command read (refreshed after a data change). */
export function useApprovers(enabled = true) {
  return useQuery<StoreApprover[], ApiError>({
    queryKey: [COMMAND_KEY, "list_approvers", {}],
    queryFn: listApprovers,
    enabled,
    retry: false,
    staleTime: 60_000,
  });
}
