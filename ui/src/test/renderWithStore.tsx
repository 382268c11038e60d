// Test helper: renders a screen as MainLayout would (query client, the
// store's locale, the signed-in role) over a mocked shell whose engine
// commands are answered by `engine(name, input)`.
import type { ReactNode } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { mockIPC } from "@tauri-apps/api/mocks";

import type { Role } from "../bindings/Role";
import { StoreLocaleProvider, type StoreLocale } from "../lib/locale";
import { RoleContext } from "../lib/permissions";

export const LAGOS: StoreLocale = { locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" };

/** Every engine call made, in order. */
export type Calls = { name: string; input: unknown }[];

export function renderWithStore(
  ui: ReactNode,
  engine: (name: string, input: Record<string, unknown>) => unknown,
  opts: { role?: Role; store?: StoreLocale } = {},
): Calls {
  const calls: Calls = [];
  mockIPC((cmd, args) => {
    if (cmd !== "call") throw new Error(`unexpected shell command ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    return engine(name, input);
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RoleContext.Provider value={opts.role ?? "manager"}>
        <StoreLocaleProvider store={opts.store ?? LAGOS}>{ui}</StoreLocaleProvider>
      </RoleContext.Provider>
    </QueryClientProvider>,
  );
  return calls;
}
