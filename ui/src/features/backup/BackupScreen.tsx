// Backup: copy the live database to a new file with SQLite's online backup
// (safe while the till keeps selling). The path can be typed or chosen.
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { backupDatabase, chooseBackupFile } from "../../api";
import { ErrorMessage } from "../../components/ErrorMessage";
import { fieldError } from "../../components/errorText";
import { Field } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { useFormat } from "../../lib/locale";

export function BackupScreen() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");
  const fields = { path: t("Backup file") };

  async function browse() {
    setError(null);
    try {
      const chosen = await chooseBackupFile(`pharmapos-backup-${fmt.today()}.db`);
      if (chosen) setPath(chosen);
    } catch (e) {
      setError(e);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setDone("");
    setBusy(true);
    try {
      const written = await backupDatabase(path.trim());
      setDone(t("Backup written to {{path}}. Keep a copy off this computer (USB drive or cloud folder).", { path: written }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen title={t("Backup")}>
      <form className="panel" onSubmit={submit} aria-label={t("Back up the database")}>
        <p>
          {t(
            "Copies the whole store database to a new file. Safe while the app is in use. To restore, close PharmaPOS and put the backup file in place of the store database (see the manual, “Back up and restore”).",
          )}
        </p>
        <div className="toolbar">
          <Field label={fields.path} hint={t("A new file; an existing file is never overwritten")} error={fieldError(error, "path", t)}>
            {(id) => (
              <input
                id={id}
                name="path"
                size={60}
                value={path}
                onChange={(e) => setPath(e.target.value)}
                placeholder={t("/media/usb/pharmapos-backup.db")}
                autoFocus
              />
            )}
          </Field>
          <button type="button" onClick={() => void browse()}>
            {t("Choose…")}
          </button>
          <button type="submit" className="primary" disabled={busy || !path.trim()}>
            {busy ? t("Backing up…") : t("Back up now")}
          </button>
        </div>
        <ErrorMessage error={error} fields={fields} />
        <Notice>{done}</Notice>
      </form>
    </Screen>
  );
}
