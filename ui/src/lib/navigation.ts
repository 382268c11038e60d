// Moving between screens from inside one (a dashboard figure opens its
// list). MainLayout provides the function; a screen outside it (tests)
// gets null and shows figures without links.
import { createContext, useContext } from "react";

/** A screen to open and, optionally, what its list should start filtered by. */
export interface NavigationTarget {
  screen: string;
  /** Screen-specific initial filter, e.g. { within_days: "30" }. */
  filter?: Record<string, string>;
}

export const NavigationContext = createContext<((target: NavigationTarget) => void) | null>(null);

/** Opens another screen, or null outside the main window. */
export function useNavigate(): ((target: NavigationTarget) => void) | null {
  return useContext(NavigationContext);
}
