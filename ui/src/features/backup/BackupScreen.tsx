// Backup: copy the live database to a new file with SQLite's online backup
// (safe while the till keeps selling). The path can be typed or chosen.
import { useState, type FormEvent } from "react";

import { backupDatabase, chooseBackupFile } from "../../api";
import { ErrorMessage } from "../../components/ErrorMessage";
import { Field } from "../../components/Field";
import { Notice, Screen } from "../../components/Screen";
import { localToday } from "../../lib/expiry";

export function BackupScreen() {
  const [path, setPath] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState("");

  async function browse() {
    setError(null);
    try {
      const chosen = await chooseBackupFile(`pharmapos-backup-${localToday()}.db`);
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
      setDone(`Backup written to ${written}. Keep a copy off this computer (USB drive or cloud folder).`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Screen title="Backup">
      <form className="panel" onSubmit={submit} aria-label="Back up the database">
        <p>
          Copies the whole store database to a new file. Safe while the app is in use. To restore, close PharmaPOS and put the backup file in
          place of the store database (see the manual, “Back up and restore”).
        </p>
        <div className="toolbar">
          <Field label="Backup file" hint="A new file; an existing file is never overwritten">
            {(id) => (
              <input id={id} name="path" size={60} value={path} onChange={(e) => setPath(e.target.value)} placeholder="/media/usb/pharmapos-backup.db" autoFocus />
            )}
          </Field>
          <button type="button" onClick={() => void browse()}>
            Choose…
          </button>
          <button type="submit" className="primary" disabled={busy || !path.trim()}>
            {busy ? "Backing up…" : "Back up now"}
          </button>
        </div>
        <ErrorMessage error={error} />
        <Notice>{done}</Notice>
      </form>
    </Screen>
  );
}
