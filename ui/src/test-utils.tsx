// Test helpers: render a screen as MainLayout would, inside a query client
// and a store's locale (an NGN store in Lagos unless told otherwise), so
// money reads "₦190.00" as the store sees it.
import type { ReactElement, ReactNode } from "react";
import { render, type RenderResult } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

import { StoreLocaleProvider, type StoreLocale } from "./lib/locale";

/** The store most tests run in. */
export const NGN_STORE: StoreLocale = { locale: "en-NG", currency: "NGN", timeZone: "Africa/Lagos" };

/** Wraps `ui` in the store's locale (and a fresh query client unless `client` is given). */
export function withStore(ui: ReactNode, store: StoreLocale = NGN_STORE, client?: QueryClient): ReactElement {
  const qc = client ?? new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return (
    <QueryClientProvider client={qc}>
      <StoreLocaleProvider store={store}>{ui}</StoreLocaleProvider>
    </QueryClientProvider>
  );
}

/** Renders `ui` in an NGN store (or `store`). */
export function renderInStore(ui: ReactNode, store: StoreLocale = NGN_STORE, client?: QueryClient): RenderResult {
  return render(withStore(ui, store, client));
}
