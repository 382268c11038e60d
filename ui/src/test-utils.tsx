// Test helpers: render a screen as MainLayout would, inside a query client
// and a store's locale (an NGN store in Lagos unless told otherwise), so
// money reads "₦190.00" as the store sees it.
import type { ReactElement, ReactNode } from "react";
import { render, type RenderResult } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

import type { Role } from "./bindings/Role";
import { StoreLocaleProvider, type StoreLocale } from "./lib/locale";
import { RoleContext } from "./lib/permissions";

/** The store most tests run in. */
export const NGN_STORE: StoreLocale = { locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" };

/** Where and as whom a test renders: an NGN store, a fresh query client, an admin, unless told. */
export interface StoreOptions {
  store?: StoreLocale;
  client?: QueryClient;
  /** The signed-in role in the store (what the permission table lets them see). */
  role?: Role;
}

/** Wraps `ui` in the store's locale, the signed-in role and a query client. */
export function withStore(ui: ReactNode, { store = NGN_STORE, client, role = "admin" }: StoreOptions = {}): ReactElement {
  const qc = client ?? new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <QueryClientProvider client={qc}>
      <RoleContext.Provider value={role}>
        <StoreLocaleProvider store={store}>{ui}</StoreLocaleProvider>
      </RoleContext.Provider>
    </QueryClientProvider>
  );
}

/** Renders `ui` as `withStore` wraps it. */
export function renderInStore(ui: ReactNode, options: StoreOptions = {}): RenderResult {
  return render(withStore(ui, options));
}
