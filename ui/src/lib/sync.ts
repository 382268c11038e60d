// Sync in words: one state for the status bar and the Settings screen from
// the engine's `get_sync_status` (what the server acknowledged, the
// backlog, the last error) and the shell's `sync_view` (online, running, a
// missing secret). The error kinds of a push (the server's and the
// client's) become plain sentences here; the raw kind is only ever shown
// among the technical details.
import i18next, { type TFunction } from "i18next";

import type { SyncErrorNote } from "../bindings/SyncErrorNote";
import type { SyncStatus } from "../bindings/SyncStatus";
import type { SyncView } from "../bindings/shell/SyncView";

/** The status bar's `data-sync-state`. */
export type SyncState = "not_configured" | "syncing" | "up_to_date" | "waiting" | "offline" | "problem";

/**
 * The one state to show. A link with no secret, or a last error that will
 * not pass by itself, is a problem; a server that cannot be reached is
 * offline; events not yet acknowledged are waiting.
 */
export function syncState(status: SyncStatus, view: SyncView | undefined): SyncState {
  if (!status.configured) return "not_configured";
  if (view?.running) return "syncing";
  if (view?.problem) return "problem";
  const error = status.last_error;
  if (error && !error.retryable) return "problem";
  if (isOffline(status, view)) return "offline";
  if (status.backlog > 0 || error) return "waiting";
  return "up_to_date";
}

/** Whether the last attempt failed to reach the server (the shell's view, else the engine's last error). */
export function isOffline(status: SyncStatus, view: SyncView | undefined): boolean {
  if (view && view.online !== null) return !view.online;
  return status.last_error?.kind === "unreachable";
}

/** A push's error in plain words (what happened, what to do). */
export function syncErrorSentence(note: SyncErrorNote, t: TFunction = i18next.t): string {
  switch (note.kind) {
    case "unreachable":
      return t("The central server could not be reached (no connection, or it did not answer). Sales are kept here; PharmaPOS tries again by itself.");
    case "unavailable":
      return t("The central server is busy or down for maintenance. PharmaPOS tries again by itself.");
    case "bad_answer":
      return t("The central server's answer was not understood. Check the server address; PharmaPOS tries again by itself.");
    case "unauthenticated":
      return t("The central server refused this store's secret. An administrator registers the store again with the secret head office gave.");
    case "store_not_owned":
      return t("The central server says this store belongs to another installation: this file may be a copy. Ask head office before going on.");
    case "chain_diverged":
      return t("This store's record no longer matches what the central server holds (an older backup restored?). Nothing more is sent until head office has looked at it.");
    case "chain_broken":
      return t("The central server found a gap or a change in the store's record it was sent. Nothing more is sent: ask support.");
    default:
      return note.retryable
        ? t("The last attempt to send failed. PharmaPOS tries again by itself.")
        : t("The last attempt to send failed and will not succeed until someone acts. Ask support.");
  }
}

/** Where the secret is kept, in words. */
export function secretStoreWords(kind: string, t: TFunction = i18next.t): string {
  switch (kind) {
    case "keyring":
      return t("in this computer's keyring");
    case "file":
      return t("in a private file in the folder PHARMAPOS_SYNC_SECRET_DIR names");
    default:
      return kind;
  }
}
