// Entry point: React root, the query client, and the data-changed wiring.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";

import { I18nProvider } from "react-aria-components";

import { App } from "./App";
import { usableLocale } from "./lib/locale";
import { initI18n } from "./i18n";
import { applyAppearance, loadAppearance } from "./lib/appearance";
import { wireDataChanged } from "./lib/queries";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    // Local engine: no network retries, no background polling; the shell's
    // data-changed event is what refreshes.
    queries: { retry: false, refetchOnWindowFocus: false, staleTime: Infinity },
    mutations: { retry: false },
  },
});

// The workstation's theme and touch mode before the first paint.
applyAppearance(loadAppearance());
initI18n();
void wireDataChanged(queryClient);

const root = document.getElementById("root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        {/* React Aria's own words and date order; a PC's LANG=C is no locale. */}
        <I18nProvider locale={usableLocale(navigator.language)}>
          <App />
        </I18nProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
