// React Query wrappers over the typed client. Queries are keyed by command
// name and input; every "data-changed" event from the shell invalidates them
// all, so open screens refresh after any committed change without polling.
// The shell's own reads (the till id) are keyed under SHELL_KEY.
import { useEffect } from "react";
import { useMutation, useQuery, type QueryClient, type UseQueryOptions } from "@tanstack/react-query";

import { call, onDataChanged, tillConfig, type CommandName, type CommandRequest, type CommandResponse } from "../api";
import type { TillConfig } from "../bindings/shell/TillConfig";
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

/** This till's id from the shell; read once, refreshed when it is renamed. */
export function useTillConfig() {
  return useQuery<TillConfig, ApiError>({ queryKey: TILL_CONFIG_KEY, queryFn: tillConfig, staleTime: Infinity });
}

/** Subscribes the query cache to the shell's data-changed event. */
export async function wireDataChanged(client: QueryClient): Promise<() => void> {
  return onDataChanged((change) => {
    void client.invalidateQueries({ queryKey: [COMMAND_KEY] });
    if (change.command === "rename_till") void client.invalidateQueries({ queryKey: TILL_CONFIG_KEY });
  });
}
