// The app's phases: loading → (database unavailable | setup | sign-in) → main.
// The shell decides which from the database's state; the session lives in
// the shell, so a reload returns to the same place.
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQueryClient } from "@tanstack/react-query";

import { appStatus, currentSession, signOut, type ApiError } from "./api";
import type { AppStatus } from "./bindings/shell/AppStatus";
import type { SignedInUser } from "./bindings/SignedInUser";
import { ErrorMessage } from "./components/ErrorMessage";
import { SignInScreen } from "./features/auth/SignInScreen";
import { useIdleLock } from "./features/auth/useIdleLock";
import { SetupScreen } from "./features/setup/SetupScreen";
import { MainLayout } from "./features/shell/MainLayout";
import { UnavailableScreen } from "./features/shell/UnavailableScreen";
import { DemoBanner, ExploreDemo } from "./features/demo/DemoControls";

type Phase =
  | { kind: "loading" }
  | { kind: "failed"; error: unknown }
  | { kind: "unavailable"; status: AppStatus }
  | { kind: "setup"; status: AppStatus }
  | { kind: "sign-in"; status: AppStatus; lastUser?: string; notice?: string }
  | { kind: "main"; status: AppStatus; user: SignedInUser };

export function App() {
  const { t } = useTranslation();
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const queryClient = useQueryClient();

  const load = useCallback(async (notice?: string) => {
    try {
      const status = await appStatus();
      if (status.state === "unavailable") return setPhase({ kind: "unavailable", status });
      if (status.state === "needs_setup") return setPhase({ kind: "setup", status });
      const session = await currentSession();
      if (session) return setPhase({ kind: "main", status, user: session.user });
      setPhase({ kind: "sign-in", status, notice });
    } catch (error) {
      setPhase({ kind: "failed", error });
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  // Locking keeps the user preselected (they come back with their PIN);
  // signing out leaves the till for anyone.
  const lock = useCallback(
    async (notice: string, keepUser = true) => {
      if (phase.kind !== "main") return;
      const lastUser = keepUser ? phase.user.name : undefined;
      try {
        await signOut();
      } finally {
        queryClient.clear();
        setPhase({ kind: "sign-in", status: phase.status, lastUser, notice });
      }
    },
    [phase, queryClient],
  );

  const idleSeconds = phase.kind === "main" ? phase.status.idle_lock_seconds : 0;
  useIdleLock(idleSeconds, () => void lock(t("The till locked itself after a period of inactivity. Enter your PIN.")));

  // Any command answering "unauthenticated" means the shell's session ended
  // (idle lock on the Rust side): go to the lock screen.
  const onUnauthenticated = useCallback(
    (e: ApiError) => {
      if (e.kind === "unauthenticated") void lock(t("Your session ended. Sign in again."));
    },
    [lock, t],
  );

  switch (phase.kind) {
    case "loading":
      return (
        <main className="centered" aria-busy="true">
          <p role="status">{t("Opening the store database…")}</p>
        </main>
      );
    case "failed":
      return (
        <main className="centered">
          <div className="card">
            <h1>{t("PharmaPOS could not start")}</h1>
            <ErrorMessage error={phase.error} />
            <button type="button" onClick={() => void load()}>
              {t("Try again")}
            </button>
          </div>
        </main>
      );
    case "unavailable":
      return <UnavailableScreen status={phase.status} onRetry={() => void load()} />;
    case "setup":
      return (
        <SetupScreen status={phase.status} onDone={() => void load(t("The store is ready. Sign in as its administrator."))}>
          <ExploreDemo onSwitched={() => void load(t("This is the demo store. Sign in as Demo Admin with PIN 1111."))} />
        </SetupScreen>
      );
    case "sign-in":
      return (
        <>
          <DemoBanner status={phase.status} onSwitched={() => void load()} />
          <SignInScreen
            status={phase.status}
            lastUser={phase.lastUser}
            notice={phase.notice}
            onSignedIn={(user) => setPhase({ kind: "main", status: phase.status, user })}
          />
        </>
      );
    case "main":
      return (
        <MainLayout
          banner={<DemoBanner status={phase.status} onSwitched={() => void load()} />}
          status={phase.status}
          user={phase.user}
          onLock={() => void lock(t("Locked. Enter your PIN to continue."))}
          onSignOut={() => void lock(t("Signed out."), false)}
          onUnauthenticated={onUnauthenticated}
        />
      );
  }
}
