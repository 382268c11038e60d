// React Query wrappers over the typed client. Queries are keyed by command
// name and input; a "data-changed" event from the shell invalidates them
// (all of them, but for cart edits: see staleAfter), so open screens refresh
// after any committed change without polling.
// The shell's own reads (the till id, the sync view) are keyed under SHELL_KEY.
import { useEffect } from "react";
import { useMutation, useQuery, type QueryClient, type UseQueryOptions } from "@tanstack/react-query";

import { call, getPrinterSettings, onDataChanged, syncView, tillConfig, type CommandName, type CommandRequest, type CommandResponse } from "../api";
import type { TillConfig } from "../bindings/shell/TillConfig";
import type { PrinterSettings } from "../bindings/shell/PrinterSettings";
import type { SyncView } from "../bindings/shell/SyncView";
import type { ApiError } from "../api";
import { useOnUnauthenticated } from "../features/shell/session";

/** Root of every command query key. */
export const COMMAND_KEY = "command";
/** Root of the shell's own query keys. */
export const SHELL_KEY = "shell";
/** The till id's query key. */
export const TILL_CONFIG_KEY = [SHELL_KEY, "till_config"] as const;

/** Reads with an engine command; refetched on every data change. */
export function useCommandQuery<K extends CommandName>(
  name: K,
  input: CommandRequest<K>,
  options?: Omit<UseQueryOptions<CommandResponse<K>, ApiError>, "queryKey" | "queryFn">,
) {
  const onUnauthenticated = useOnUnauthenticated();
  const query = useQuery<CommandResponse<K>, ApiError>({
    queryKey: [COMMAND_KEY, name, input],
    queryFn: () => call(name, input),
    ...options,
  });
  const error = query.error;
  useEffect(() => {
    if (error?.kind === "unauthenticated") onUnauthenticated(error);
  }, [error, onUnauthenticated]);
  return query;
}

/** Runs a writing engine command; the shell's event refreshes the reads. */
export function useCommandMutation<K extends CommandName>(name: K) {
  const onUnauthenticated = useOnUnauthenticated();
  return useMutation<CommandResponse<K>, ApiError, CommandRequest<K>>({
    mutationFn: (input) => call(name, input),
    onError: (error) => {
      if (error.kind === "unauthenticated") onUnauthenticated(error);
    },
  });
}

/** This till's printer settings' query key. */
export const PRINTER_KEY = [SHELL_KEY, "printer"] as const;

/** This till's receipt printer, as the shell keeps it. */
export function usePrinterSettings() {
  return useQuery<PrinterSettings, ApiError>({ queryKey: PRINTER_KEY, queryFn: getPrinterSettings, staleTime: Infinity });
}

/** This till's id from the shell; read once, refreshed when it is renamed. */
export function useTillConfig() {
  return useQuery<TillConfig, ApiError>({ queryKey: TILL_CONFIG_KEY, queryFn: tillConfig, staleTime: Infinity });
}

/** The sync task's view's query key. */
export const SYNC_VIEW_KEY = [SHELL_KEY, "sync_view"] as const;
/** The engine's sync status's query key (`get_sync_status` for the user's store). */
export const SYNC_STATUS_KEY = [COMMAND_KEY, "get_sync_status"] as const;

/** What the app's sync task knows; refreshed when a run starts and ends and after registering. */
export function useSyncView() {
  const onUnauthenticated = useOnUnauthenticated();
  const query = useQuery<SyncView, ApiError>({ queryKey: SYNC_VIEW_KEY, queryFn: syncView, staleTime: Infinity });
  const error = query.error;
  useEffect(() => {
    if (error?.kind === "unauthenticated") onUnauthenticated(error);
  }, [error, onUnauthenticated]);
  return query;
}

/** The engine's sync status of the user's store (every write changes its backlog). */
export function useSyncStatus() {
  return useCommandQuery("get_sync_status", {});
}

/** Data-changed commands after which the sync view is out of date. */
const SYNC_VIEW_COMMANDS: ReadonlySet<string> = new Set(["sync", "configure_sync"]);

/**
 * Writes that change only an open cart and answer with the whole priced
 * cart, which the till draws at once. They move no stock and no money, so
 * only the held-carts list can be out of date. Refetching every open query
 * on each scan (cart, shift report, settings, stores) queued those reads on
 * the shell's one database connection ahead of the next scan. (A scan
 * committed without waiting for the disk sends no event at all: the shell
 * knows it changed only the open cart. These come here when one ran
 * durably, e.g. on a resumed cart giving its holds back.)
 */
const CART_ONLY_COMMANDS: ReadonlySet<string> = new Set([
  "open_cart",
  "add_cart_line",
  "scan_to_cart",
  "update_cart_line",
  "remove_cart_line",
  "set_line_discount",
  "set_cart_discount",
  "override_line_price",
]);

/**
 * Writes that end a cart without a sale. Its holds go back to stock, which
 * screens away from the till show (availability), so every read is marked
 * stale — refetched when its screen opens — but of what the till has open
 * only the held carts and the sync backlog can have changed. Refetching the
 * till's other reads at once queued them on the shell's one database
 * connection ahead of the next customer's first scan.
 */
const CART_END_COMMANDS: ReadonlySet<string> = new Set(["cancel_cart"]);

/** One invalidation: which queries, and whether the open ones refetch now. */
export interface Staleness {
  queryKey: readonly unknown[];
  refetchType?: "none";
}

/**
 * What a data-changed event for `command` makes stale. A sync run ("sync",
 * when it starts and ends) changes only the link's bookkeeping, never the
 * record: only the sync status is refetched, not every open screen.
 */
export function staleAfter(command: string): Staleness[] {
  if (command === "sync") return [{ queryKey: SYNC_STATUS_KEY }];
  if (CART_ONLY_COMMANDS.has(command)) return [{ queryKey: [COMMAND_KEY, "list_held_carts"] }];
  if (CART_END_COMMANDS.has(command)) {
    return [{ queryKey: [COMMAND_KEY], refetchType: "none" }, { queryKey: [COMMAND_KEY, "list_held_carts"] }, { queryKey: SYNC_STATUS_KEY }];
  }
  return [{ queryKey: [COMMAND_KEY] }];
}

/** Subscribes the query cache to the shell's data-changed event. */
export async function wireDataChanged(client: QueryClient): Promise<() => void> {
  return onDataChanged((change) => {
    for (const filter of staleAfter(change.command)) void client.invalidateQueries(filter);
    if (change.command === "rename_till") void client.invalidateQueries({ queryKey: TILL_CONFIG_KEY });
    if (SYNC_VIEW_COMMANDS.has(change.command)) void client.invalidateQueries({ queryKey: SYNC_VIEW_KEY });
  });
}
