// Lets any screen report an "unauthenticated" answer (the shell's session
// ended) to the app, which then shows the lock screen.
import { createContext, useContext } from "react";

import type { ApiError } from "../../api";

export const UnauthenticatedContext = createContext<(e: ApiError) => void>(() => undefined);

/** The handler for errors that mean "sign in again". */
export function useOnUnauthenticated(): (e: ApiError) => void {
  return useContext(UnauthenticatedContext);
}
