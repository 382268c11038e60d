// The frame of one screen: heading, optional toolbar, content.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

export function Screen({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="screen" aria-labelledby="screen-title">
      <header className="screen-header">
        <h1 id="screen-title">{title}</h1>
        {actions && <div className="screen-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** A short success note after a change. */
export function Notice({ children, tone = "ok" }: { children: ReactNode; tone?: "ok" | "warn" }) {
  if (!children) return null;
  return (
    <p className={tone === "warn" ? "notice warn" : "notice"} role="status">
      {children}
    </p>
  );
}

/** Shown while a query loads. */
export function Loading({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p className="loading" role="status" aria-live="polite">
      {t("Loading {{what}}…", { what })}
    </p>
  );
}
