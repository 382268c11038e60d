//! Launch options: where the store database lives.
//!
//! Precedence: `--db <file>` on the command line, then the `PHARMAPOS_DB`
//! environment variable, then `pharmapos.db` in the app's data folder (which
//! only Tauri knows, so it is resolved late, in [`crate::run`]). Tests and
//! stores that keep their data elsewhere use the first two.

use std::ffi::OsString;
use std::path::PathBuf;

/// File name of the store database inside the app's data folder.
pub const DEFAULT_DB_FILE: &str = "pharmapos.db";

/// What the binary was started with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// An explicit database file; `None` means the app data folder's default.
    pub db_path: Option<PathBuf>,
}

impl LaunchOptions {
    /// Parses the arguments (without the program name) and the value of
    /// `PHARMAPOS_DB`. Unknown arguments are ignored because the webview and
    /// tauri-driver may add their own.
    pub fn from_args(args: &[String], env_db: Option<OsString>) -> Result<LaunchOptions, String> {
        let mut db_path = None;
        let mut iter = args.iter();
        while let Some(arg) = iter.next() {
            if arg == "--db" {
                let value = iter.next().ok_or("--db needs a file path")?;
                db_path = Some(non_empty(value)?);
            } else if let Some(value) = arg.strip_prefix("--db=") {
                db_path = Some(non_empty(value)?);
            }
        }
        if db_path.is_none() {
            db_path = env_db.filter(|v| !v.is_empty()).map(PathBuf::from);
        }
        Ok(LaunchOptions { db_path })
    }
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
        let o = LaunchOptions::from_args(&args(&["--db", "/a.db"]), Some("/b.db".into())).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/a.db")));
        let o = LaunchOptions::from_args(&args(&["--db=/c.db"]), None).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/c.db")));
    }

    #[test]
    fn environment_then_default() {
        let o = LaunchOptions::from_args(&[], Some("/b.db".into())).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/b.db")));
        let o = LaunchOptions::from_args(&args(&["--something-else"]), Some("".into())).unwrap();
        assert_eq!(o.db_path, None);
    }

    #[test]
    fn missing_value_is_an_error() {
        assert!(LaunchOptions::from_args(&args(&["--db"]), None).is_err());
        assert!(LaunchOptions::from_args(&args(&["--db="]), None).is_err());
    }
}
