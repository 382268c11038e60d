// Test helper: renders a screen as MainLayout would (query client, the
// store's locale, the signed-in role) over a mocked shell whose engine
// commands are answered by `engine(name, input)`.
import type { ReactNode } from "react";
import { mockIPC } from "@tauri-apps/api/mocks";

import type { Role } from "../bindings/Role";
import type { StoreLocale } from "../lib/locale";
import { NGN_STORE, renderInStore } from "../test-utils";

export const LAGOS: StoreLocale = NGN_STORE;

/** Every engine call made, in order. */
export type Calls = { name: string; input: unknown }[];

/** Where the mocked shell says it saved exports. */
export const DOWNLOADS = "/home/till/Downloads";

/** The files the screen saved through the shell (`save_export`) since the last render, in order. */
export const saved: { fileName: string; contents: string }[] = [];

export function renderWithStore(
  ui: ReactNode,
  engine: (name: string, input: Record<string, unknown>) => unknown,
  opts: { role?: Role; store?: StoreLocale } = {},
): Calls {
  const calls: Calls = [];
  saved.length = 0;
  mockIPC((cmd, args) => {
    if (cmd === "save_export") {
      const { fileName, contents } = args as { fileName: string; contents: string };
      saved.push({ fileName, contents });
      return `${DOWNLOADS}/${fileName}`;
    }
    if (cmd !== "call") throw new Error(`unexpected shell command ${cmd}`);
    const { name, input } = args as { name: string; input: Record<string, unknown> };
    calls.push({ name, input });
    return engine(name, input);
  });
  renderInStore(ui, { store: opts.store ?? LAGOS, role: opts.role ?? "manager" });
  return calls;
}
