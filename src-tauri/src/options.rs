//! Launch options: where the store database lives, and this till's id.
//!
//! Database precedence: `--db <file>` on the command line, then the
//! `PHARMAPOS_DB` environment variable, then `pharmapos.db` in the app's
//! data folder (which only Tauri knows, so it is resolved late, in
//! [`crate::run`]). Tests and stores that keep their data elsewhere use the
//! first two.
//!
//! Till id precedence: `--till-id <id>`, then `PHARMAPOS_TILL_ID`, then the
//! config file beside the database ([`crate::till`]). An invalid value given
//! here stops the app at launch with a message, like a bad `--db`.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::till::{validate_till_id, TillIdSource};

/// File name of the store database inside the app's data folder.
pub const DEFAULT_DB_FILE: &str = "pharmapos.db";

/// What the binary was started with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// An explicit database file; `None` means the app data folder's default.
    pub db_path: Option<PathBuf>,
    /// A till id fixed for this run (`--till-id` or `PHARMAPOS_TILL_ID`);
    /// `None` means the config file's.
    pub till_id: Option<(String, TillIdSource)>,
}

impl LaunchOptions {
    /// Parses the arguments (without the program name) and the values of
    /// `PHARMAPOS_DB` and `PHARMAPOS_TILL_ID`. Unknown arguments are ignored
    /// because the webview and tauri-driver may add their own.
    pub fn from_args(
        args: &[String],
        env_db: Option<OsString>,
        env_till_id: Option<OsString>,
    ) -> Result<LaunchOptions, String> {
        let mut db_path = None;
        let mut till_id = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--db" {
                let value = iter.next().ok_or("--db needs a file path")?;
                db_path = Some(non_empty(value)?);
            } else if let Some(value) = arg.strip_prefix("--db=") {
                db_path = Some(non_empty(value)?);
            } else if arg == "--till-id" {
                let value = iter.next().ok_or("--till-id needs a till id")?;
                till_id = Some((till(value, "--till-id")?, TillIdSource::Argument));
            } else if let Some(value) = arg.strip_prefix("--till-id=") {
                till_id = Some((till(value, "--till-id")?, TillIdSource::Argument));
            }
        }
        if db_path.is_none() {
            db_path = env_db.filter(|v| !v.is_empty()).map(PathBuf::from);
        }
        if till_id.is_none() {
            if let Some(value) = env_till_id.filter(|v| !v.is_empty()) {
                let value = value
                    .into_string()
                    .map_err(|_| format!("{}: not valid text", crate::till::TILL_ID_ENV))?;
                till_id = Some((
                    till(&value, crate::till::TILL_ID_ENV)?,
                    TillIdSource::Environment,
                ));
            }
        }
        Ok(LaunchOptions { db_path, till_id })
    }
}

fn till(value: &str, from: &str) -> Result<String, String> {
    validate_till_id(value).map_err(|e| format!("{from}: {}", e.message))
}

fn non_empty(value: &str) -> Result<PathBuf, String> {
    if value.trim().is_empty() {
        Err("--db needs a file path".to_string())
    } else {
        Ok(PathBuf::from(value))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn argument_wins_over_environment() {
        let o = LaunchOptions::from_args(&args(&["--db", "/a.db"]), Some("/b.db".into()), None)
            .unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/a.db")));
        let o = LaunchOptions::from_args(&args(&["--db=/c.db"]), None, None).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/c.db")));
    }

    #[test]
    fn environment_then_default() {
        let o = LaunchOptions::from_args(&[], Some("/b.db".into()), None).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/b.db")));
        let o =
            LaunchOptions::from_args(&args(&["--something-else"]), Some("".into()), None).unwrap();
        assert_eq!(o.db_path, None);
    }

    #[test]
    fn missing_value_is_an_error() {
        assert!(LaunchOptions::from_args(&args(&["--db"]), None, None).is_err());
        assert!(LaunchOptions::from_args(&args(&["--db="]), None, None).is_err());
        assert!(LaunchOptions::from_args(&args(&["--till-id"]), None, None).is_err());
    }

    #[test]
    fn till_id_argument_then_environment_then_none() {
        let o =
            LaunchOptions::from_args(&args(&["--till-id", "FRONT-1"]), None, Some("ENV-1".into()))
                .unwrap();
        assert_eq!(o.till_id, Some(("FRONT-1".into(), TillIdSource::Argument)));
        let o = LaunchOptions::from_args(&args(&["--till-id=BACK_2"]), None, None).unwrap();
        assert_eq!(o.till_id, Some(("BACK_2".into(), TillIdSource::Argument)));
        let o = LaunchOptions::from_args(&[], None, Some("ENV-1".into())).unwrap();
        assert_eq!(o.till_id, Some(("ENV-1".into(), TillIdSource::Environment)));
        // Empty environment: the config file decides.
        let o = LaunchOptions::from_args(&[], None, Some("".into())).unwrap();
        assert_eq!(o.till_id, None);
    }

    #[test]
    fn an_invalid_till_id_stops_the_launch() {
        let e = LaunchOptions::from_args(&args(&["--till-id", "till 1"]), None, None).unwrap_err();
        assert!(e.starts_with("--till-id:"), "{e}");
        let e = LaunchOptions::from_args(&args(&["--till-id="]), None, None).unwrap_err();
        assert!(e.contains("enter a till id"), "{e}");
        let e = LaunchOptions::from_args(&[], None, Some("x".repeat(33).into())).unwrap_err();
        assert!(e.starts_with("PHARMAPOS_TILL_ID:"), "{e}");
    }
}
