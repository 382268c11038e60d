// The typed client: the only module that talks to the Tauri shell.
//
// Shell commands (status, setup, sign-in, backup, the till id) have their own wrappers;
// every engine operation goes through `call(name, input)`, typed by the
// generated `Commands` map so that a wrong field name or a wrong response
// shape is a compile error. The acting user is never sent: the shell uses
// the signed-in session.
import { Channel, invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { open, save } from "@tauri-apps/plugin-dialog";

import type { Commands } from "../bindings/Commands";
import type { InitRequest } from "../bindings/InitRequest";
import type { InitResult } from "../bindings/InitResult";
import type { SignInRequest } from "../bindings/SignInRequest";
import type { SignedInUser } from "../bindings/SignedInUser";
import type { UserSummary } from "../bindings/UserSummary";
import type { AppStatus } from "../bindings/shell/AppStatus";
import type { DataChanged } from "../bindings/shell/DataChanged";
import type { SessionInfo } from "../bindings/shell/SessionInfo";
import type { TillConfig } from "../bindings/shell/TillConfig";
import type { DemoRequest } from "../bindings/DemoRequest";
import type { PrinterSettings } from "../bindings/shell/PrinterSettings";
import type { PrintResult } from "../bindings/shell/PrintResult";
import type { SyncView } from "../bindings/shell/SyncView";
import type { ImportOutcome } from "../bindings/ImportOutcome";
import type { ImportPreview } from "../bindings/ImportPreview";
import type { ImportProgress } from "../bindings/ImportProgress";
import type { PreviewImport } from "../bindings/PreviewImport";
import type { RunImport } from "../bindings/RunImport";
import { toApiError } from "./errors";

/** Every engine command's name. */
export type CommandName = keyof Commands & string;
/** What a command takes. */
export type CommandRequest<K extends CommandName> = Commands[K]["request"];
/** What a command answers. */
export type CommandResponse<K extends CommandName> = Commands[K]["response"];

/** Name of the event the shell emits after every committed change. */
export const DATA_CHANGED = "data-changed";

async function invokeTyped<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toApiError(raw);
  }
}

/** Database path, whether setup is needed, and why the database is unavailable. */
export function appStatus(): Promise<AppStatus> {
  return invokeTyped<AppStatus>("app_status");
}

/** First start: creates the store and its first admin. */
export function setupStore(request: InitRequest): Promise<InitResult> {
  return invokeTyped<InitResult>("setup_store", { request });
}

/** Users for the sign-in picker. */
export function listSignInUsers(): Promise<UserSummary[]> {
  return invokeTyped<UserSummary[]>("list_sign_in_users");
}

/** Checks the PIN and starts the session. */
export function signIn(request: SignInRequest): Promise<SignedInUser> {
  return invokeTyped<SignedInUser>("sign_in", { request });
}

/** Ends the session. */
export function signOut(): Promise<void> {
  return invokeTyped<void>("sign_out");
}

/** The signed-in user, or null when signed out or locked. */
export function currentSession(): Promise<SessionInfo | null> {
  return invokeTyped<SessionInfo | null>("current_session");
}

/** Runs an engine command as the signed-in user. */
export function call<K extends CommandName>(name: K, input: CommandRequest<K>): Promise<CommandResponse<K>> {
  return invokeTyped<CommandResponse<K>>("call", { name, input });
}

/** Backs the live database up to a new file; resolves to its path. */
export function backupDatabase(path: string): Promise<string> {
  return invokeTyped<string>("backup_database", { path });
}

/** This till's id (kept by the shell: --till-id, PHARMAPOS_TILL_ID or its config file). */
export function tillConfig(): Promise<TillConfig> {
  return invokeTyped<TillConfig>("till_config");
}

/** Renames this till (administrators; refused while its shift is open). */
export function renameTill(tillId: string): Promise<TillConfig> {
  return invokeTyped<TillConfig>("rename_till", { tillId });
}

/** Switches the app to the demo store (made on first use beside the store's file); ends the session. */
export function openDemo(request: DemoRequest = {}): Promise<AppStatus> {
  return invokeTyped<AppStatus>("open_demo", { request });
}

/** Leaves the demo for the store's own file; ends the session. */
export function leaveDemo(): Promise<AppStatus> {
  return invokeTyped<AppStatus>("leave_demo");
}

/** This till's receipt printer (kept by the shell beside the till id). */
export function getPrinterSettings(): Promise<PrinterSettings> {
  return invokeTyped<PrinterSettings>("get_printer_settings");
}

/** Saves this till's printer (managers; the engine decides). */
export function setPrinterSettings(settings: PrinterSettings): Promise<PrinterSettings> {
  return invokeTyped<PrinterSettings>("set_printer_settings", { settings });
}

/** Prints a sale's receipt on this till's printer (a completed cash sale opens the drawer, a reprint never). */
export function printReceipt(saleId: string, reprint = false): Promise<PrintResult> {
  return invokeTyped<PrintResult>("print_receipt", { saleId, reprint });
}

/** Prints a shift's X or Z report on this till's printer. */
export function printShiftReport(shiftId: string): Promise<PrintResult> {
  return invokeTyped<PrintResult>("print_shift_report", { shiftId });
}

/** Prints a test page, with `settings` when given (not saved) or the saved ones. */
export function testPrint(settings?: PrinterSettings): Promise<PrintResult> {
  return invokeTyped<PrintResult>("test_print", settings ? { settings } : {});
}

/** What the app's sync task knows (online, running, next attempt, a missing secret); the engine's side is `get_sync_status`. */
export function syncView(): Promise<SyncView> {
  return invokeTyped<SyncView>("sync_view");
}

/** "Sync now": one push at once (after the running one, if any); resolves when it ends. */
export function syncNow(): Promise<SyncView> {
  return invokeTyped<SyncView>("sync_now");
}

/**
 * Links the signed-in user's store to the central server (`configure_sync`:
 * administrators) and keeps `secret` in the OS keyring (or the secret
 * folder), then pushes. The secret is never read back.
 */
export function registerSync(serverUrl: string, secret: string): Promise<SyncView> {
  return invokeTyped<SyncView>("register_sync", { serverUrl, secret });
}

/**
 * Saves an export's text as `fileName` in the Downloads folder (or
 * PHARMAPOS_EXPORT_DIR); an existing file is never overwritten ("name (2).csv").
 * Resolves to the full path written.
 */
export function saveExport(fileName: string, contents: string): Promise<string> {
  return invokeTyped<string>("save_export", { fileName, contents });
}

/** Asks the user where to save a backup; null when cancelled. */
export async function chooseBackupFile(defaultName: string): Promise<string | null> {
  try {
    return await save({ defaultPath: defaultName, filters: [{ name: "PharmaPOS backup", extensions: ["db"] }] });
  } catch (raw) {
    throw toApiError(raw);
  }
}

/**
 * `preview_import` through the shell, which sends the engine's progress
 * (every few thousand rows) to `onProgress` while it checks.
 */
export function previewImportFile(request: PreviewImport, onProgress: (p: ImportProgress) => void): Promise<ImportPreview> {
  return invokeTyped<ImportPreview>("preview_import_file", { request, onProgress: new Channel<ImportProgress>(onProgress) });
}

/** `run_import` through the shell, with progress as `previewImportFile`. */
export function runImportFile(request: RunImport, onProgress: (p: ImportProgress) => void): Promise<ImportOutcome> {
  return invokeTyped<ImportOutcome>("run_import_file", { request, onProgress: new Channel<ImportProgress>(onProgress) });
}

/** Asks the user for a CSV file to import; null when cancelled. */
export async function chooseCsvFile(): Promise<string | null> {
  try {
    return await open({ multiple: false, directory: false, filters: [{ name: "CSV", extensions: ["csv", "txt"] }] });
  } catch (raw) {
    throw toApiError(raw);
  }
}

/** Calls `handler` after every committed change; resolves to an unsubscribe. */
export async function onDataChanged(handler: (change: DataChanged) => void): Promise<() => void> {
  return listen<DataChanged>(DATA_CHANGED, (event) => handler(event.payload));
}
