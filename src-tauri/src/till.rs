//! This workstation's till id: the `terminal_id` the engine keeps on carts,
//! shifts, sales and returns.
//!
//! It belongs to the machine, not to the webview or the database, so the
//! shell owns it. Precedence: `--till-id ID` on the command line, then the
//! `PHARMAPOS_TILL_ID` environment variable (both fixed for the run), then
//! the small config file beside the database (`<db stem>.till.json`, e.g.
//! `pharmapos.till.json` beside `pharmapos.db`), which is created on first
//! use with a readable generated id such as `TILL-1A2B`. An administrator
//! renames the till from the UI, which rewrites that file; a till id given
//! on the command line or in the environment cannot be renamed from the UI.
//!
//! A valid till id is 1–32 letters, digits, `-` or `_` (a subset of what the
//! engine accepts, so that any till id the shell hands out is one the engine
//! takes). A config file that cannot be read or holds an invalid id is
//! reported, never silently replaced: the id names the till's open shift and
//! its cash, and a new one would orphan them.
//!
//! The same file keeps the workstation's other settings, which belong to the
//! machine for the same reason: its receipt printer ([`crate::printer`]).
//! Each write keeps what the file holds besides the field it changes.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

use crate::error::ApiError;
use crate::printer::PrinterSettings;

/// Longest till id.
pub const MAX_TILL_ID_LEN: usize = 32;

/// Environment variable naming the till.
pub const TILL_ID_ENV: &str = "PHARMAPOS_TILL_ID";

/// Where the till id in use came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "shell/")]
pub enum TillIdSource {
    /// `--till-id` on the command line.
    Argument,
    /// The `PHARMAPOS_TILL_ID` environment variable.
    Environment,
    /// The config file beside the database (renamable from the UI).
    ConfigFile,
}

/// Answer of `till_config`.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export, export_to = "shell/")]
pub struct TillConfig {
    /// The till id in use.
    pub till_id: String,
    /// Where it came from.
    pub source: TillIdSource,
    /// The config file (used when the source is `config_file`).
    pub config_path: String,
    /// True when an administrator may rename it from the UI.
    pub renamable: bool,
}

/// The config file's content. A file without a till id gets one on first
/// use (a printer chosen while the id is fixed by `--till-id` is saved
/// without one).
#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileContent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    till_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    printer: Option<PrinterSettings>,
}

/// Checks a till id: 1–32 letters, digits, `-` or `_` (surrounding spaces
/// are trimmed). Returns the trimmed id.
pub fn validate_till_id(id: &str) -> Result<String, ApiError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(ApiError::invalid_input("till_id", "enter a till id"));
    }
    if id.chars().count() > MAX_TILL_ID_LEN {
        return Err(ApiError::invalid_input(
            "till_id",
            format!("a till id is at most {MAX_TILL_ID_LEN} characters"),
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(ApiError::invalid_input(
            "till_id",
            format!("'{id}' is not a till id: use letters, digits, '-' or '_' (e.g. FRONT-1)"),
        ));
    }
    Ok(id.to_string())
}

/// A readable till id from 16 random bits: `TILL-` and four hex digits.
pub fn generated_till_id(random: u64) -> String {
    format!("TILL-{:04X}", random & 0xFFFF)
}

/// 64 bits from the standard library's per-process random hash keys and
/// the clock (enough to tell a handful of tills apart; no crypto needed).
fn random_u64() -> u64 {
    let mut h = RandomState::new().build_hasher();
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    h.write_u32(std::process::id());
    h.finish()
}

/// The config file beside `db_path`: `<stem>.till.json`.
pub fn config_path(db_path: &Path) -> PathBuf {
    let stem = db_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "pharmapos".to_string());
    db_path.with_file_name(format!("{stem}.till.json"))
}

fn storage(message: String, path: &Path) -> ApiError {
    log::error!("{message}");
    ApiError {
        kind: "storage".into(),
        message,
        details: json!({ "path": path.display().to_string(), "problem": "other" }),
    }
}

/// The till id for one run of the app: a fixed one from the command line or
/// the environment, or the config file's (read, or created, on first use).
pub struct TillIdStore {
    fixed: Option<(String, TillIdSource)>,
    path: PathBuf,
    cached: Mutex<Option<String>>,
}

impl TillIdStore {
    /// The store for the database at `db_path`; `fixed` is a till id from
    /// the command line or the environment (already validated).
    pub fn new(db_path: &Path, fixed: Option<(String, TillIdSource)>) -> TillIdStore {
        TillIdStore {
            fixed,
            path: config_path(db_path),
            cached: Mutex::new(None),
        }
    }

    /// The config file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The till id in use and where it came from.
    pub fn config(&self) -> Result<TillConfig, ApiError> {
        let (till_id, source) = match &self.fixed {
            Some((id, source)) => (id.clone(), *source),
            None => (self.file_till_id()?, TillIdSource::ConfigFile),
        };
        Ok(TillConfig {
            till_id,
            source,
            config_path: self.path.display().to_string(),
            renamable: source == TillIdSource::ConfigFile,
        })
    }

    /// The file's till id; a missing file (or one without an id) gets a
    /// generated id.
    fn file_till_id(&self) -> Result<String, ApiError> {
        let mut cached = self
            .cached
            .lock()
            .map_err(|_| ApiError::internal("till id lock", "poisoned"))?;
        if let Some(id) = cached.as_ref() {
            return Ok(id.clone());
        }
        let mut content = self.read()?.unwrap_or_default();
        let id = match &content.till_id {
            Some(id) => validate_till_id(id).map_err(|e| {
                storage(
                    format!(
                        "the till config file {} holds an invalid till id: {}; fix or delete it",
                        self.path.display(),
                        e.message
                    ),
                    &self.path,
                )
            })?,
            None => {
                let id = generated_till_id(random_u64());
                content.till_id = Some(id.clone());
                self.write(&content)?;
                log::info!(
                    "till id {id} generated and saved in {}",
                    self.path.display()
                );
                id
            }
        };
        *cached = Some(id.clone());
        Ok(id)
    }

    /// The file's content; `None` when there is no file.
    fn read(&self) -> Result<Option<FileContent>, ApiError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => serde_json::from_str(&text).map(Some).map_err(|e| {
                storage(
                    format!(
                        "the till config file {} cannot be read ({e}); fix or delete it",
                        self.path.display()
                    ),
                    &self.path,
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(storage(
                format!(
                    "cannot read the till config file {}: {e}",
                    self.path.display()
                ),
                &self.path,
            )),
        }
    }

    /// Writes the file (a temporary file renamed over it, so a crash leaves
    /// the old or the new content, never half of one).
    fn write(&self, content: &FileContent) -> Result<(), ApiError> {
        if let Some(dir) = self.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                storage(
                    format!("cannot create the folder {}: {e}", dir.display()),
                    &self.path,
                )
            })?;
        }
        let text = serde_json::to_string_pretty(content)
            .map_err(|e| ApiError::internal("till config", e))?;
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, format!("{text}\n"))
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| {
                storage(
                    format!(
                        "cannot write the till config file {}: {e}",
                        self.path.display()
                    ),
                    &self.path,
                )
            })
    }

    /// Gives the till `id` when the file does not exist yet (a new demo's
    /// till continues the demo's shift); otherwise changes nothing.
    pub fn set_if_new(&self, id: &str) -> Result<(), ApiError> {
        if self.path.exists() {
            return Ok(());
        }
        let id = validate_till_id(id)?;
        self.write(&FileContent {
            till_id: Some(id),
            printer: None,
        })
    }

    /// This workstation's receipt printer, if one was chosen.
    pub fn printer(&self) -> Result<Option<PrinterSettings>, ApiError> {
        Ok(self.read()?.and_then(|c| c.printer))
    }

    /// Saves this workstation's receipt printer (already validated),
    /// keeping the till id. A broken file is reported, not replaced.
    pub fn set_printer(&self, printer: PrinterSettings) -> Result<(), ApiError> {
        let mut content = self.read()?.unwrap_or_default();
        content.printer = Some(printer);
        self.write(&content)
    }

    /// Renames the till (validated); refused when the id is fixed by the
    /// command line or the environment. The caller checks who may.
    pub fn rename(&self, new_id: &str) -> Result<TillConfig, ApiError> {
        let id = validate_till_id(new_id)?;
        if let Some((_, source)) = &self.fixed {
            let how = match source {
                TillIdSource::Argument => "--till-id on the command line",
                _ => "the PHARMAPOS_TILL_ID environment variable",
            };
            return Err(ApiError {
                kind: "conflict".into(),
                message: format!("this till's id is set by {how}; change it there"),
                details: json!({ "field": "till_id" }),
            });
        }
        // A broken file cannot be kept: renaming repairs it (the printer
        // must then be chosen again).
        let mut content = self.read().ok().flatten().unwrap_or_default();
        content.till_id = Some(id.clone());
        self.write(&content)?;
        *self
            .cached
            .lock()
            .map_err(|_| ApiError::internal("till id lock", "poisoned"))? = Some(id);
        self.config()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn valid_till_ids() {
        assert_eq!(validate_till_id("FRONT-1").unwrap(), "FRONT-1");
        assert_eq!(validate_till_id("  till_2 ").unwrap(), "till_2");
        assert_eq!(validate_till_id(&"A".repeat(32)).unwrap(), "A".repeat(32));
        for bad in ["", "   ", "till 1", "till.1", "kasse/1", "tïll", "a;b"] {
            let e = validate_till_id(bad).unwrap_err();
            assert_eq!(e.kind, "invalid_input", "{bad:?}");
            assert_eq!(e.details["field"], "till_id");
        }
        assert_eq!(
            validate_till_id(&"A".repeat(33)).unwrap_err().kind,
            "invalid_input"
        );
    }

    #[test]
    fn generated_ids_are_readable_and_valid() {
        assert_eq!(generated_till_id(0x1A2B), "TILL-1A2B");
        assert_eq!(generated_till_id(0xFFFF_0001), "TILL-0001");
        let id = generated_till_id(random_u64());
        assert!(validate_till_id(&id).is_ok());
        assert_eq!(id.len(), 9);
    }

    #[test]
    fn the_config_file_sits_beside_the_database() {
        assert_eq!(
            config_path(Path::new("/data/pharmapos.db")),
            PathBuf::from("/data/pharmapos.till.json")
        );
        assert_eq!(
            config_path(Path::new("store")),
            PathBuf::from("store.till.json")
        );
    }

    #[test]
    fn first_use_creates_the_file_and_later_runs_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("data").join("store.db");
        let first = TillIdStore::new(&db, None).config().unwrap();
        assert_eq!(first.source, TillIdSource::ConfigFile);
        assert!(first.renamable);
        assert!(first.till_id.starts_with("TILL-"), "{}", first.till_id);
        let on_disk = std::fs::read_to_string(dir.path().join("data/store.till.json")).unwrap();
        assert!(on_disk.contains(&first.till_id));
        // The next start reads the same id.
        let again = TillIdStore::new(&db, None).config().unwrap();
        assert_eq!(again.till_id, first.till_id);
    }

    #[test]
    fn a_fixed_id_wins_over_the_file_and_cannot_be_renamed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        TillIdStore::new(&db, None).rename("FILE-1").unwrap();
        let fixed = TillIdStore::new(&db, Some(("ARG-1".into(), TillIdSource::Argument)));
        let c = fixed.config().unwrap();
        assert_eq!(
            (c.till_id.as_str(), c.source),
            ("ARG-1", TillIdSource::Argument)
        );
        assert!(!c.renamable);
        let e = fixed.rename("OTHER").unwrap_err();
        assert_eq!(e.kind, "conflict");
        assert!(e.message.contains("--till-id"), "{}", e.message);
        let env = TillIdStore::new(&db, Some(("ENV-1".into(), TillIdSource::Environment)));
        assert!(env
            .rename("OTHER")
            .unwrap_err()
            .message
            .contains(TILL_ID_ENV));
        // The file is untouched.
        assert_eq!(
            TillIdStore::new(&db, None).config().unwrap().till_id,
            "FILE-1"
        );
    }

    #[test]
    fn rename_validates_and_persists() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let store = TillIdStore::new(&db, None);
        let generated = store.config().unwrap().till_id;
        for bad in ["", "bad id!", &"x".repeat(33)] {
            assert_eq!(store.rename(bad).unwrap_err().kind, "invalid_input");
            assert_eq!(store.config().unwrap().till_id, generated);
        }
        assert_eq!(store.rename(" FRONT-1 ").unwrap().till_id, "FRONT-1");
        assert_eq!(store.config().unwrap().till_id, "FRONT-1");
        assert_eq!(
            TillIdStore::new(&db, None).config().unwrap().till_id,
            "FRONT-1"
        );
    }

    #[test]
    fn a_broken_file_is_reported_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("store.db");
        let path = config_path(&db);
        for content in [
            "{not json",
            r#"{"till_id": "has space"}"#,
            r#"{"till": "X"}"#,
        ] {
            std::fs::write(&path, content).unwrap();
            let e = TillIdStore::new(&db, None).config().unwrap_err();
            assert_eq!(e.kind, "storage", "{content}");
            assert!(e.message.contains("store.till.json"), "{}", e.message);
            assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
        }
        // Renaming (an administrator, from the UI) repairs it.
        let store = TillIdStore::new(&db, None);
        assert_eq!(store.rename("FIXED-1").unwrap().till_id, "FIXED-1");
        assert_eq!(
            TillIdStore::new(&db, None).config().unwrap().till_id,
            "FIXED-1"
        );
    }
}
