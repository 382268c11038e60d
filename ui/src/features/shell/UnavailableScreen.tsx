// Shown when the store database cannot be opened: a newer PharmaPOS wrote it,
// it is not a PharmaPOS file, or it is damaged. Nothing is reset; the screen
// says what happened, where the file is, and what to do.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";

import type { AppStatus } from "../../bindings/shell/AppStatus";
import { ErrorMessage } from "../../components/ErrorMessage";

function advice(kind: string | undefined, t: TFunction): string {
  switch (kind) {
    case "schema_too_new":
      return t("This database was written by a newer version of PharmaPOS. Install that version (or newer) on this computer; the file has not been changed.");
    case "not_a_database":
      return t(
        "This file is not a PharmaPOS database, or it is damaged. The file has not been changed. Restore the latest backup (see the manual's “Back up and restore”), or start PharmaPOS with another database file.",
      );
    default:
      return t("The database could not be opened. Check that the disk is not full and that the file is readable, then try again.");
  }
}

export function UnavailableScreen({ status, onRetry }: { status: AppStatus; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <main className="centered">
      <div className="card wide" data-testid="db-unavailable">
        <h1>{t("The store database cannot be opened")}</h1>
        <p>{advice(status.error?.kind, t)}</p>
        <p>
          {t("Database file:")} <code>{status.db_path}</code>
        </p>
        <ErrorMessage error={status.error} />
        <button type="button" onClick={onRetry} autoFocus>
          {t("Try again")}
        </button>
      </div>
    </main>
  );
}
