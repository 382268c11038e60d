//! Backups and restores, and their place in the record.
//!
//! A backup is a consistent copy of the whole file (SQLite's online backup),
//! so it carries the installation identity and every store's chain with it.
//! Taking one and restoring one are events of each store this installation
//! owns: an inspector sees when the books were copied and when they were put
//! back, with the chain heads at that moment. The backup's own event is
//! written after the copy succeeds, so it never claims a copy that failed
//! (and so the copy ends one event earlier than the live file).

use crate::audit::{self, ChainHead, ChangeType, Payload, Stamp};
use crate::auth::{Actor, Permission};
use crate::{Db, Error, Result, Session};
use chrono::SecondsFormat;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// What a backup or restore did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct BackupReport {
    /// The backup file.
    pub path: String,
    /// Its size.
    #[ts(type = "number")]
    pub bytes: u64,
    /// Each owned store's chain head in the copy.
    pub heads: Vec<ChainHead>,
}

impl Db {
    /// Copies the live file to `dest` (a new file) for `session`'s user, who
    /// needs the stock-management permission (the copy holds everything, PIN
    /// hashes included), then records `backup_taken` in each owned store.
    pub fn backup(&mut self, session: &Session, dest: &Path) -> Result<BackupReport> {
        self.execute(session, crate::db::AuthorizeBackup {})?;
        if dest.as_os_str().is_empty() {
            return Err(Error::invalid("path", "choose a file to back up to"));
        }
        if dest.exists() {
            return Err(Error::conflict(format!(
                "{} already exists; choose a new file name",
                dest.display()
            )));
        }
        let installation = self.installation();
        let heads = self.read(|tx| owned_heads(tx, installation))?;
        self.backup_to(dest)?;
        let bytes = std::fs::metadata(dest)
            .map_err(|e| Error::storage(format!("reading {}: {e}", dest.display())))?
            .len();
        let report = BackupReport {
            path: dest.display().to_string(),
            bytes,
            heads,
        };
        self.record_in_owned_stores(session, ChangeType::BackupTaken, &report)?;
        Ok(report)
    }

    /// Restores `backup` into `dest`: a file already at `dest` is first moved
    /// aside to `<dest>.before-restore-<time>` (never deleted), the copy is
    /// opened (migrated forward if it is older), and `restored` is recorded
    /// in each owned store by `user_name`, who must be able to manage stores
    /// in the restored file. Returns the opened database.
    pub fn restore(
        backup: &Path,
        dest: &Path,
        user_name: &str,
        opts: crate::OpenOptions,
    ) -> Result<(Db, BackupReport, Option<std::path::PathBuf>)> {
        if backup == dest {
            return Err(Error::invalid(
                "path",
                "restore into a different file than the backup",
            ));
        }
        // Everything is checked on a copy beside `dest` before `dest` is
        // touched: a refused restore changes nothing.
        crate::db::preflight_existing(backup)?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ");
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "pharmapos.db".into());
        let staging = dest.with_file_name(format!(".{name}.restoring-{stamp}"));
        std::fs::copy(backup, &staging).map_err(|e| {
            Error::storage(format!(
                "copying {} to {}: {e}",
                backup.display(),
                staging.display()
            ))
        })?;
        let checked = (|| {
            let mut db = Db::open_with(&staging, opts.clone())?;
            let user = db.read(|tx| {
                let id: crate::ids::UserId = tx
                    .query_row(
                        "SELECT id FROM users WHERE name = ?1 AND is_active = 1",
                        [user_name],
                        |r| r.get(0),
                    )
                    .map_err(|_| {
                        Error::unauthenticated(
                            crate::error::AuthFailure::BadCredentials,
                            format!("no active user '{user_name}' in the backup"),
                        )
                    })?;
                Actor::load(tx, id)?.require(Permission::ManageStores)?;
                Ok(id)
            })?;
            db.close()?;
            Ok(user)
        })();
        let user = match checked {
            Ok(u) => u,
            Err(e) => {
                remove_with_sides(&staging);
                return Err(e);
            }
        };
        let aside = if dest.exists() {
            let aside = dest.with_file_name(format!("{name}.before-restore-{stamp}"));
            move_with_sides(dest, &aside)?;
            Some(aside)
        } else {
            None
        };
        move_with_sides(&staging, dest)?;
        let mut db = Db::open_with(dest, opts)?;
        let installation = db.installation();
        let heads = db.read(|tx| owned_heads(tx, installation))?;
        let report = BackupReport {
            path: backup.display().to_string(),
            bytes: std::fs::metadata(dest)
                .map_err(|e| Error::storage(format!("reading {}: {e}", dest.display())))?
                .len(),
            heads,
        };
        db.record_in_owned_stores(&Session { user_id: user }, ChangeType::Restored, &report)?;
        Ok((db, report, aside))
    }

    fn record_in_owned_stores(
        &mut self,
        session: &Session,
        kind: ChangeType,
        report: &BackupReport,
    ) -> Result<()> {
        let now = self.now().to_rfc3339_opts(SecondsFormat::Millis, true);
        let installation = self.installation();
        self.write(|tx| {
            let stamp = Stamp {
                tx,
                user_id: session.user_id,
                created_at: now,
                installation,
            };
            let payload = Payload::about("backup", &report.path, &report.path).with_data(report)?;
            for store in audit::owned_stores(tx, installation)? {
                audit::record_stamped(&stamp, store, kind, &payload)?;
            }
            Ok(())
        })
    }
}

fn owned_heads(
    tx: &rusqlite::Transaction<'_>,
    installation: crate::ids::InstallationId,
) -> Result<Vec<ChainHead>> {
    let mut heads = Vec::new();
    for s in audit::owned_stores(tx, installation)? {
        heads.extend(audit::chain_head(tx, s)?);
    }
    Ok(heads)
}

fn side_path(path: &Path, side: &str) -> std::path::PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(side);
    std::path::PathBuf::from(p)
}

/// Renames a database file with its `-wal`/`-shm` companions.
fn move_with_sides(from: &Path, to: &Path) -> Result<()> {
    for side in ["", "-wal", "-shm"] {
        let (f, t) = (side_path(from, side), side_path(to, side));
        if side.is_empty() || f.exists() {
            std::fs::rename(&f, &t).map_err(|e| {
                Error::storage(format!("moving {} to {}: {e}", f.display(), t.display()))
            })?;
        }
    }
    Ok(())
}

/// Best-effort cleanup of a refused restore's staging copy: the error that
/// refused it is what the caller needs to see.
fn remove_with_sides(path: &Path) {
    for side in ["", "-wal", "-shm"] {
        let p = side_path(path, side);
        if p.exists() {
            if let Err(e) = std::fs::remove_file(&p) {
                eprintln!("pharmapos: could not remove {}: {e}", p.display());
            }
        }
    }
}
