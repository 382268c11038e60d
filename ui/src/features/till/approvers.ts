// Who may approve at this till: the store's managers and admins, for the
// approval dialog's picker (the manager picks their name instead of typing
// it exactly as the engine knows it).
import { useCommandQuery } from "../../lib/queries";

/** The store's approvers, cached like any command read (refreshed after a data change). */
export function useApprovers(enabled = true) {
  return useCommandQuery("list_approvers", {}, { enabled, retry: false, staleTime: 60_000 });
}
