//! Opening a store database: file checks, pragmas, migrations, transactions.
//!
//! A file is refused *before* anything is written to it when it is not a
//! SQLite file, not a PharmaPOS database, or was migrated by a newer program:
//! a till must never "repair" a database it does not understand.

use crate::clock::{Clock, SystemClock};
use crate::ids::InstallationId;
use crate::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

mod embedded {
    refinery::embed_migrations!("../../migrations");
}

/// How long a writer waits for another connection's write lock before
/// retrying; long enough that a busy till never shows "database is locked".
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// Bytes of the file read through a memory map (see `configure`); SQLite
/// clamps it to its compile-time maximum.
const MMAP_BYTES: i64 = 2 << 30;

/// SQLite durability level for commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncMode {
    /// fsync on every commit: a committed sale survives a power cut (default).
    Full,
    /// WAL-safe but the last commits may be lost on power loss (benchmarks).
    Normal,
}

/// Options for [`Db::open_with`].
#[derive(Clone)]
pub struct OpenOptions {
    /// Commit durability.
    pub sync: SyncMode,
    /// Source of "now".
    pub clock: Arc<dyn Clock>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        Self {
            sync: SyncMode::Full,
            clock: Arc::new(SystemClock),
        }
    }
}

/// What a passive checkpoint did ([`Db::checkpoint_wal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalCheckpoint {
    /// Another connection held the checkpoint lock; nothing was copied.
    pub busy: bool,
    /// Pages in the WAL.
    pub wal_pages: i64,
    /// Pages of it now copied into the database (all of them unless a
    /// reader still needs older pages).
    pub copied_pages: i64,
}

/// An open store database. One per thread; `Send` but not `Sync`.
pub struct Db {
    pub(crate) conn: Connection,
    pub(crate) clock: Arc<dyn Clock>,
    path: PathBuf,
    installation: InstallationId,
    sync: SyncMode,
    /// Whether the last operation committed without waiting for the disk.
    pub(crate) last_deferred: bool,
}

/// The newest schema version this program knows.
pub fn program_schema_version() -> i64 {
    embedded::migrations::runner()
        .get_migrations()
        .iter()
        .map(|m| i64::from(m.version()))
        .max()
        .unwrap_or(0)
}

impl Db {
    /// Opens (creating if missing) the database at `path` with full durability
    /// and the system clock.
    pub fn open(path: &Path) -> Result<Db> {
        Self::open_with(path, OpenOptions::default())
    }

    /// Opens with explicit options.
    pub fn open_with(path: &Path, opts: OpenOptions) -> Result<Db> {
        preflight(path)?;
        let mut conn = Connection::open(path)?;
        configure(&conn, opts.sync)?;
        migrate(&mut conn)?;
        guard_record(&conn)?;
        // Made by migration V6 with the file (or at its first open by this
        // release); a file without one was damaged or hand-edited.
        let installation = conn
            .query_row("SELECT id FROM installation", [], |r| r.get(0))
            .map_err(|e| Error::NotADatabase {
                path: path.display().to_string(),
                reason: format!("its installation identity cannot be read ({e})"),
            })?;
        Ok(Db {
            conn,
            clock: opts.clock,
            path: path.to_path_buf(),
            installation,
            sync: opts.sync,
            last_deferred: false,
        })
    }

    /// This file's installation identity: made when the file was created,
    /// kept across backup and restore, named by every event it writes.
    pub fn installation(&self) -> InstallationId {
        self.installation
    }

    /// Closes the connection, reporting a failure to flush (a plain drop
    /// would swallow it).
    pub fn close(self) -> Result<()> {
        self.conn.close().map_err(|(_, e)| Error::from(e))
    }

    /// The file this database lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current instant from the injected clock.
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// Replaces the clock (the CLI's `--now`, tests).
    pub fn set_clock(&mut self, clock: Arc<dyn Clock>) {
        self.clock = clock;
    }

    /// Sets how many pages of WAL make a commit on this connection
    /// checkpoint it (0: never). The app's interactive connection raises it
    /// so that the till's commits do not pay for checkpoints, and checkpoints
    /// from a background connection instead ([`Db::checkpoint_wal`]).
    pub fn set_wal_autocheckpoint(&self, pages: u32) -> Result<()> {
        self.conn
            .pragma_update(None, "wal_autocheckpoint", i64::from(pages))?;
        Ok(())
    }

    /// Copies what it can of the WAL into the database without waiting for
    /// any other connection (SQLite's passive checkpoint): readers and
    /// writers on other connections go on meanwhile, and a later commit
    /// starts the WAL over once all of it is copied.
    pub fn checkpoint_wal(&self) -> Result<WalCheckpoint> {
        let (busy, wal_pages, copied_pages) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, i64>(1)?,
                        r.get::<_, i64>(2)?,
                    ))
                })?;
        Ok(WalCheckpoint {
            busy: busy != 0,
            wal_pages,
            copied_pages,
        })
    }

    /// True once the first store and its administrator exist.
    pub fn is_initialized(&self) -> Result<bool> {
        let n: i64 =
            self.conn
                .query_row("SELECT COUNT(*) FROM users WHERE role = 'admin'", [], |r| {
                    r.get(0)
                })?;
        Ok(n > 0)
    }

    /// Copies the whole database to `dest` with SQLite's online backup, which
    /// is consistent even while other connections keep writing.
    pub fn backup_to(&self, dest: &Path) -> Result<()> {
        if dest == self.path {
            return Err(Error::invalid(
                "path",
                "the backup file must differ from the live database",
            ));
        }
        let mut out = Connection::open(dest)?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
        backup.run_to_completion(256, Duration::from_millis(5), None)?;
        Ok(())
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction and commits it; any error
    /// rolls everything back. The write lock is taken up front, so a
    /// read-then-write never fails halfway on a lock upgrade.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = begin(&mut self.conn, TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// [`Db::write`] for a change whose loss in a power cut costs only doing
    /// it again (a line scanned into a cart): at [`SyncMode::Full`] it
    /// commits without waiting for the disk (`synchronous=NORMAL` for this
    /// transaction), which on this hardware is most of a scan's time (about
    /// 4 ms p50 of 4.1 ms; docs/benchmarks.md, session 13). The WAL is one
    /// sequence, so the next durable commit (the sale) syncs it together
    /// with everything before it, and a power cut can only lose a suffix of
    /// such changes, never a durable commit after them. It may not write to
    /// the store's record: an event must never exist on the server and not
    /// on the disk, so one written here is refused and rolled back (an
    /// `internal` error that `is_deferred_refusal` recognises; the
    /// operation is then run again durably).
    pub fn write_deferred<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        if self.sync != SyncMode::Full {
            return self.write_without_events(f);
        }
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let out = self.write_without_events(f);
        // Back to FULL whatever happened: every other commit is durable.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        out
    }

    /// [`Db::write`] with this connection's guard on the store's record up
    /// (see [`guard_record`]).
    fn write_without_events<T>(
        &mut self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.write(|tx| {
            let guard = |on: bool| -> Result<()> {
                tx.prepare_cached("UPDATE temp.deferred_write SET active = ?1")?
                    .execute([on])?;
                Ok(())
            };
            guard(true)?;
            let out = f(tx).map_err(|e| match e {
                Error::Storage { message, .. } if message.contains(DEFERRED_REFUSAL) => {
                    Error::internal(DEFERRED_REFUSAL)
                }
                e => e,
            })?;
            guard(false)?;
            Ok(out)
        })
    }

    /// Whether the last operation [`Db::execute`] ran was a deferred write
    /// that committed (a cart edit that touched nothing of the store's
    /// record and moved no stock): nothing for sync to send, no alert to
    /// look at again.
    pub fn last_op_deferred(&self) -> bool {
        self.last_deferred
    }

    /// Runs `f` in one read transaction (a consistent snapshot).
    pub fn read<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = begin(&mut self.conn, TransactionBehavior::Deferred)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// `PRAGMA integrity_check`; `Ok(())` when the file is sound.
    pub fn integrity_check(&self) -> Result<()> {
        let res: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if res == "ok" {
            Ok(())
        } else {
            Err(Error::Storage {
                message: format!("integrity check failed: {res}"),
                problem: crate::StorageProblem::Damaged,
            })
        }
    }
}

/// BEGIN; the busy timeout makes a writer queue behind another writer. Writes
/// always start IMMEDIATE and never upgrade a read lock, which is the one case
/// where SQLite returns SQLITE_BUSY without waiting.
fn begin(conn: &mut Connection, behavior: TransactionBehavior) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(behavior)?)
}

/// Pages of WAL after which a commit checkpoints it (SQLite's default: 1,000).
const WAL_AUTOCHECKPOINT_PAGES: i64 = 10_000;

/// Applies the migrations this file lacks. They run with foreign keys off,
/// as SQLite's procedure for rebuilding a table asks (a transaction cannot
/// switch them, and a table cannot lose a foreign key otherwise: V23), and
/// every key is checked before the file is used; a violation leaves the
/// file unopened with the rows named.
fn migrate(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let report = embedded::migrations::runner().run(conn)?;
    if !report.applied_migrations().is_empty() {
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let broken = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{} row {} → {}",
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
                    r.get::<_, String>(2)?
                ))
            })?
            .take(10)
            .collect::<rusqlite::Result<Vec<_>>>()?;
        if !broken.is_empty() {
            return Err(Error::storage(format!(
                "after migrating, rows name records that do not exist: {}",
                broken.join("; ")
            )));
        }
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// What the record's guard says when a deferred write adds an event.
const DEFERRED_REFUSAL: &str =
    "a change committed without waiting for the disk wrote to the store's record";

/// Whether `e` is [`Db::write_deferred`] refusing a change that wrote to
/// the store's record.
pub(crate) fn is_deferred_refusal(e: &Error) -> bool {
    matches!(e, Error::Internal { message } if message == DEFERRED_REFUSAL)
}

/// This connection's guard on the store's record: while a deferred write
/// ([`Db::write_deferred`]) runs, adding an event aborts it. Temporary
/// objects are the connection's own; another connection writes as usual.
fn guard_record(conn: &Connection) -> Result<()> {
    conn.execute_batch(&format!(
        "CREATE TEMP TABLE deferred_write (active INTEGER NOT NULL);
         INSERT INTO temp.deferred_write VALUES (0);
         CREATE TEMP TRIGGER record_not_deferred BEFORE INSERT ON main.inventory_audit
           WHEN (SELECT active FROM temp.deferred_write)
         BEGIN SELECT RAISE(ABORT, '{DEFERRED_REFUSAL}'); END;",
        DEFERRED_REFUSAL = DEFERRED_REFUSAL.replace('\'', "''")
    ))?;
    Ok(())
}

fn configure(conn: &Connection, sync: SyncMode) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::storage(format!(
            "could not switch to WAL journal (got {mode})"
        )));
    }
    conn.pragma_update(
        None,
        "synchronous",
        if sync == SyncMode::Full {
            "FULL"
        } else {
            "NORMAL"
        },
    )?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // 64 MiB of page cache (SQLite's default is 2 MiB): a store with a million
    // batches keeps its hot index pages in memory instead of re-reading them.
    conn.pragma_update(None, "cache_size", -65536)?;
    // Read the file through a memory map (up to SQLite's compile-time cap,
    // 0x7fff0000 bytes; a larger file reads its tail with pread). Besides
    // saving a copy per page, mapped pages are part of the process: hosts
    // that proactively reclaim idle, unmapped page cache (this VM's DAMON
    // does, after ~30 s) otherwise push a million-batch store's index pages
    // out between sales, and every sale waits on the disk (255 µs p50
    // before, ~46 µs after at `large`; docs/benchmarks.md). Writes still go through the
    // WAL with write(), so durability is unchanged; an I/O error on a mapped
    // read becomes SIGBUS rather than an error code, the documented price.
    // It answers with the size granted (clamped); any positive size will do.
    conn.query_row(&format!("PRAGMA mmap_size = {MMAP_BYTES}"), [], |_| Ok(()))?;
    // Query-plan stability: without it the planner may read bound values
    // (SQLite 3.5x does for ORDER BY queries such as the FEFO scan and the
    // ledger tail), which marks the statement to be re-prepared whenever the
    // statement cache clears its bindings: a full re-parse on every sale,
    // half of the sale's CPU. Our queries' plans never depend on the values.
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    conn.set_prepared_statement_cache_capacity(128);
    // Checkpoint the WAL into the database every 10,000 pages (~40 MiB)
    // instead of SQLite's 1,000. Since V10 a sale writes three pages per
    // batch it takes from (the batch, its product's `stock_levels` row, its
    // `batch_totals` row), so the WAL reached 1,000 pages every few hundred
    // sales and the sale that crossed it paid for the checkpoint and its
    // fsync. Paired runs of the till workload (docs/benchmarks.md, session
    // 6): 4,360–4,857 → 6,368–7,434 sales/s, allocation p99 5.4–8.1 →
    // 2.3–3.8 ms. The WAL file may grow to ~40 MiB between checkpoints.
    // Durability at FULL (the app's default) is unchanged: every commit
    // syncs the WAL. At NORMAL the WAL is synced only at a checkpoint, so a
    // power cut can lose up to ~10,000 pages of commits instead of ~1,000.
    conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
    Ok(())
}

/// [`preflight`] for a file that must already be a PharmaPOS database (a
/// backup to restore): a missing or empty file is refused too.
pub(crate) fn preflight_existing(path: &Path) -> Result<()> {
    let empty = std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .map_err(|e| Error::storage(format!("cannot read {}: {e}", path.display())))?;
    if empty {
        return Err(Error::NotADatabase {
            path: path.display().to_string(),
            reason: "the file is empty".into(),
        });
    }
    preflight(path)
}

/// Checks an existing file without writing to it.
fn preflight(path: &Path) -> Result<()> {
    let not_db = |reason: &str| Error::NotADatabase {
        path: path.display().to_string(),
        reason: reason.to_string(),
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Error::storage(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    if meta.is_dir() {
        return Err(not_db("it is a directory"));
    }
    if meta.len() == 0 {
        return Ok(());
    }
    let mut header = [0u8; 16];
    let mut f = std::fs::File::open(path)
        .map_err(|e| Error::storage(format!("cannot open {}: {e}", path.display())))?;
    if f.read_exact(&mut header).is_err() || &header != b"SQLite format 3\0" {
        return Err(not_db("the file is not an SQLite database"));
    }
    // With no WAL beside it, open the file as immutable: SQLite then creates
    // no -wal/-shm files, so a refused file is left exactly as it was. With a
    // WAL present (a crash), read through it so the newest schema rows count.
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    let conn = if Path::new(&wal).exists() {
        Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    } else {
        let uri = format!("file:{}?immutable=1", uri_path(path));
        Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_NO_MUTEX
                | OpenFlags::SQLITE_OPEN_URI,
        )
    }
    .map_err(|e| not_db(&e.to_string()))?;
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not_db(&e.to_string()))?;
    if tables == 0 {
        return Ok(());
    }
    let ours: Option<String> = conn
        .query_row(
            "SELECT value FROM pharmapos_meta WHERE key = 'application'",
            [],
            |r| r.get(0),
        )
        .ok();
    if ours.as_deref() != Some("pharmapos") {
        return Err(not_db("it holds tables but no PharmaPOS marker"));
    }
    let file_version: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM refinery_schema_history",
            [],
            |r| r.get(0),
        )
        .map_err(|e| not_db(&format!("no schema history: {e}")))?;
    let program_version = program_schema_version();
    if file_version > program_version {
        return Err(Error::SchemaTooNew {
            file_version,
            program_version,
        });
    }
    Ok(())
}

impl Db {
    /// Re-hashes the audit chain and recomputes on-hand from the ledger
    /// (no acting user: this is the operator's tool, as `pharmapos verify`).
    pub fn verify(&mut self) -> Result<crate::audit::VerifyReport> {
        self.read(crate::audit::verify)
    }

    /// [`Db::verify`], also checking heads printed on Z reports: `(store,
    /// seq, printed hash)`, the store defaulting to the file's only store.
    pub fn verify_printed(
        &mut self,
        heads: &[(Option<crate::ids::StoreId>, i64, String)],
    ) -> Result<crate::audit::VerifyReport> {
        self.read(|tx| {
            let mut resolved = Vec::with_capacity(heads.len());
            for (store, seq, hash) in heads {
                let store = match store {
                    Some(s) => *s,
                    None => crate::catalogue::stores::only_store(tx)?,
                };
                resolved.push((store, *seq, crate::audit::parse_printed_hash(hash)?));
            }
            crate::audit::verify_with_heads(tx, &resolved)
        })
    }
}

/// Percent-encodes the characters that mean something in an SQLite URI.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' | '?' | '#' => out.push_str(&format!("%{:02X}", c as u32)),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The connection settings the engine's durability and speed rest on.
    #[test]
    fn connections_run_with_the_engine_settings() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("store.db")).unwrap();
        let (journal, sync, fks, mmap) = db
            .read(|tx| {
                let int = |name: &str| {
                    tx.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, i64>(0))
                };
                let journal: String = tx.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                Ok((
                    journal,
                    int("synchronous")?,
                    int("foreign_keys")?,
                    int("mmap_size")?,
                ))
            })
            .unwrap();
        assert_eq!(journal, "wal");
        assert_eq!(sync, 2, "synchronous=FULL by default");
        assert_eq!(fks, 1);
        assert!(mmap > 0, "reads go through a memory map (got {mmap})");
    }

    /// With autocheckpoint off on the writing connection, its commits leave
    /// the WAL to another connection's passive checkpoint, which copies all
    /// of it; the next commit starts the WAL over.
    #[test]
    fn another_connection_checkpoints_the_wal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let mut till = Db::open(&path).unwrap();
        let background = Db::open(&path).unwrap();
        till.set_wal_autocheckpoint(0).unwrap();
        background.checkpoint_wal().unwrap();
        for i in 0..50 {
            till.write(|tx| {
                tx.execute(
                    "CREATE TABLE IF NOT EXISTS wal_probe (n INTEGER, pad TEXT)",
                    [],
                )?;
                tx.execute("INSERT INTO wal_probe VALUES (?1, zeroblob(3000))", [i])?;
                Ok(())
            })
            .unwrap();
        }
        let done = background.checkpoint_wal().unwrap();
        assert!(!done.busy);
        assert!(
            done.wal_pages >= 50,
            "the till's 50 commits stayed in the WAL: {done:?}"
        );
        assert_eq!(done.copied_pages, done.wal_pages, "{done:?}");
        till.write(|tx| Ok(tx.execute("INSERT INTO wal_probe VALUES (0, '')", [])?))
            .unwrap();
        let after = background.checkpoint_wal().unwrap();
        assert!(
            after.wal_pages < done.wal_pages,
            "the WAL started over: {done:?} then {after:?}"
        );
    }

    /// A deferred write commits without waiting for the disk and leaves the
    /// connection durable again; one that writes to the store's record is
    /// refused and rolled back.
    #[test]
    fn deferred_writes_stay_out_of_the_record_and_restore_full_sync() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("store.db")).unwrap();
        crate::setup::initialize(
            &mut db,
            crate::setup::InitRequest {
                store_name: "Lekki".into(),
                store_code: None,
                timezone: None,
                currency: None,
                locale: None,
                admin_name: "Ada".into(),
                admin_pin: None,
            },
        )
        .unwrap();
        let sync = |db: &mut Db| {
            db.read(|tx| Ok(tx.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?))
                .unwrap()
        };
        let inside = db
            .write_deferred(
                |tx| Ok(tx.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?),
            )
            .unwrap();
        assert_eq!((inside, sync(&mut db)), (1, 2), "NORMAL inside, FULL after");
        let events = |db: &mut Db| {
            db.read(|tx| {
                Ok(
                    tx.query_row("SELECT COUNT(*) FROM inventory_audit", [], |r| {
                        r.get::<_, i64>(0)
                    })?,
                )
            })
            .unwrap()
        };
        let before = events(&mut db);
        assert!(before > 0);
        let e = db
            .write_deferred(|tx| {
                tx.execute(
                    "INSERT INTO inventory_audit (store_id, seq, id, change_type, user_id, created_at, hash, format)
                     SELECT store_id, seq + 1, id || '-again', change_type, user_id, created_at, hash, format
                       FROM inventory_audit ORDER BY seq DESC LIMIT 1",
                    [],
                )?;
                Ok(())
            })
            .unwrap_err();
        assert_eq!(e.kind(), "internal", "{e}");
        assert_eq!(events(&mut db), before, "rolled back");
        assert_eq!(sync(&mut db), 2);
    }

    /// V7 gives every existing user their role at their home store, a user
    /// with no home store their role in every store, and a store left with
    /// no admin every active admin (before V7 an admin acted everywhere).
    #[test]
    fn v7_assigns_existing_users_to_stores() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let mut conn = Connection::open(&path).unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(5))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO stores (id, code, name, timezone, created_at, updated_at) VALUES
                 ('s-a', 'A', 'A', 'UTC', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('s-b', 'B', 'B', 'UTC', '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
             INSERT INTO users (id, name, role, store_id, created_at, updated_at) VALUES
                 ('u-ada', 'ada', 'admin', 's-a', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('u-root', 'root', 'admin', NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('u-cate', 'cate', 'cashier', 's-b', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'),
                 ('u-old', 'old', 'admin', 's-a', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
             UPDATE users SET is_active = 0 WHERE id = 'u-old';",
        )
        .unwrap();
        embedded::migrations::runner().run(&mut conn).unwrap();
        let rows: Vec<(String, String, String, String)> = conn
            .prepare("SELECT user_id, store_id, role, created_at FROM user_stores ORDER BY user_id, store_id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let got: Vec<(&str, &str, &str)> = rows
            .iter()
            .map(|(u, s, r, _)| (u.as_str(), s.as_str(), r.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("u-ada", "s-a", "admin"),
                ("u-cate", "s-b", "cashier"),
                ("u-old", "s-a", "admin"),
                ("u-root", "s-a", "admin"),
                ("u-root", "s-b", "admin"),
            ]
        );
        // Assigned no earlier than both the user and the store existed.
        assert_eq!(rows[4].3, "2026-02-01T00:00:00.000Z");
        let head_office: i64 = conn
            .query_row("SELECT SUM(head_office) FROM users", [], |r| r.get(0))
            .unwrap();
        assert_eq!(head_office, 0);
    }

    /// A store made after its admins (whose home store is elsewhere) gets
    /// every active admin as its admin, so it is never managed by nobody.
    #[test]
    fn v7_gives_an_adminless_store_the_active_admins() {
        let dir = tempfile::tempdir().unwrap();
        let mut conn = Connection::open(dir.path().join("old.db")).unwrap();
        embedded::migrations::runner()
            .set_target(refinery::Target::Version(5))
            .run(&mut conn)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO stores (id, code, name, timezone, created_at, updated_at) VALUES
                 ('s-a', 'A', 'A', 'UTC', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('s-b', 'B', 'B', 'UTC', '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
             INSERT INTO users (id, name, role, store_id, is_active, created_at, updated_at) VALUES
                 ('u-ada', 'ada', 'admin', 's-a', 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('u-old', 'old', 'admin', 's-a', 0, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
                 ('u-bob', 'bob', 'manager', 's-b', 1, '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');",
        )
        .unwrap();
        embedded::migrations::runner().run(&mut conn).unwrap();
        let b_admins: Vec<String> = conn
            .prepare("SELECT user_id FROM user_stores WHERE store_id = 's-b' AND role = 'admin' ORDER BY user_id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(b_admins, ["u-ada"]);
    }
}

/// The permission check of [`Db::backup`], run as an operation so that the
/// acting user is loaded and checked like for every other one. Not a
/// command: the backup itself runs outside any transaction.
#[derive(serde::Deserialize)]
pub(crate) struct AuthorizeBackup {}

impl crate::Operation for AuthorizeBackup {
    const NAME: &'static str = "authorize_backup";
    const SUMMARY: &'static str = "Check that the acting user may copy the whole database";
    const PERMISSION: crate::auth::Permission = crate::auth::Permission::ManageStock;
    const WRITES: bool = false;
    type Output = ();

    /// The copy holds every store of the file: the permission is needed in
    /// each of them.
    fn run(self, ctx: &crate::Ctx<'_>) -> Result<()> {
        ctx.check_every_store()
    }
}
