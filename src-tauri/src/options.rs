//! Launch options: where the store database lives, this till's id, and
//! whether to open the demo store.
//!
//! Database precedence: `--db <file>` on the command line, then the
//! `PHARMAPOS_DB` environment variable, then `pharmapos.db` in the app's
//! data folder (which only Tauri knows, so it is resolved late, in
//! [`crate::run`]). Tests and stores that keep their data elsewhere use the
//! first two. `--demo` opens the demo store instead, a separate file beside
//! that database ([`crate::state::demo_path`]); the store's own file is never touched.
//!
//! Till id precedence: `--till-id <id>`, then `PHARMAPOS_TILL_ID`, then the
//! config file beside the database ([`crate::till`]). An invalid value given
//! here stops the app at launch with a message, like a bad `--db`.
//!
//! Rendering ([`Drawing`]): by default the page is drawn on the CPU when
//! the PC has no GPU render node (Mesa would run WebKit's OpenGL in
//! software), else as WebKit decides; `--no-gpu` and `--gpu` force either
//! ([`crate::display::configure_webview`] says why).
//!
//! The binary is a program like any other: `--help` and `--version` answer
//! on the terminal and an unknown option is refused, all before anything
//! needs a display ([`Launch`]). WebKitWebDriver (the end-to-end tests)
//! starts the app with only the arguments the test gives it, so nothing
//! else arrives here.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::till::{validate_till_id, TillIdSource};

/// File name of the store database inside the app's data folder.
pub const DEFAULT_DB_FILE: &str = "pharmapos.db";

/// Usage, as `--help` prints it (and, first line, after a bad option).
pub const USAGE: &str =
    "usage: pharmapos-desktop [--db <file>] [--till-id <id>] [--demo] [--no-gpu | --gpu]";

/// What `--help` prints.
pub fn help_text() -> String {
    format!(
        "PharmaPOS {version}: the pharmacy point of sale and inventory desktop app.

{USAGE}

Options:
  --db <file>       the store database (default: $PHARMAPOS_DB, else
                    pharmapos.db in the app's data folder)
  --till-id <id>    this till's id for this run (default: $PHARMAPOS_TILL_ID,
                    else the <db>.till.json file beside the database)
  --demo            open the demo store (demo.sqlite beside the database,
                    created with sample products, stock and a day of sales)
  --no-gpu          draw the web view on the CPU (the default on a PC with
                    no GPU render node in /dev/dri, where WebKit's OpenGL
                    runs in software, took two cores and slowed scans)
  --gpu             draw as WebKit decides (OpenGL) even without one
  -h, --help        print this help and exit
  -V, --version     print the version and exit

Environment: PHARMAPOS_DB, PHARMAPOS_TILL_ID, PHARMAPOS_IDLE_LOCK_SECS
(seconds before the session locks, 0 never), RUST_LOG (log level).
The app needs a graphical session (DISPLAY or WAYLAND_DISPLAY) and WebKitGTK.
",
        version = env!("CARGO_PKG_VERSION")
    )
}

/// What the command line asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Launch {
    /// Start the app.
    Run(LaunchOptions),
    /// Print [`help_text`] and exit.
    Help,
    /// Print the version and exit.
    Version,
}

impl Launch {
    /// Parses the arguments (without the program name) and the values of
    /// `PHARMAPOS_DB` and `PHARMAPOS_TILL_ID`. `--help` and `--version` win
    /// over everything else, even a bad option before them; an unknown
    /// option or a stray argument is an error.
    pub fn from_args(
        args: &[String],
        env_db: Option<OsString>,
        env_till_id: Option<OsString>,
    ) -> Result<Launch, String> {
        if args.iter().any(|a| a == "--help" || a == "-h") {
            return Ok(Launch::Help);
        }
        if args.iter().any(|a| a == "--version" || a == "-V") {
            return Ok(Launch::Version);
        }
        LaunchOptions::from_args(args, env_db, env_till_id).map(Launch::Run)
    }
}

/// What the binary was started with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaunchOptions {
    /// An explicit database file; `None` means the app data folder's default.
    pub db_path: Option<PathBuf>,
    /// A till id fixed for this run (`--till-id` or `PHARMAPOS_TILL_ID`);
    /// `None` means the config file's.
    pub till_id: Option<(String, TillIdSource)>,
    /// `--demo`: open the demo store's file instead of the store's.
    pub demo: bool,
    /// How the web view draws.
    pub drawing: Drawing,
}

/// How the web view draws ([`crate::display::configure_webview`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Drawing {
    /// On the CPU if the PC has no GPU render node, else as WebKit decides.
    #[default]
    Auto,
    /// `--no-gpu`: on the CPU (WebKit's non-composited mode).
    Cpu,
    /// `--gpu`: as WebKit decides (composited with OpenGL), even in
    /// software; the end-to-end tests need it (WebKitWebDriver's
    /// screenshots hang in non-composited mode).
    Gpu,
}

impl LaunchOptions {
    /// Parses the arguments (without the program name) and the values of
    /// `PHARMAPOS_DB` and `PHARMAPOS_TILL_ID`; an unknown option or a stray
    /// argument is an error (see [`Launch::from_args`] for `--help`).
    pub fn from_args(
        args: &[String],
        env_db: Option<OsString>,
        env_till_id: Option<OsString>,
    ) -> Result<LaunchOptions, String> {
        let mut db_path = None;
        let mut till_id = None;
        let mut demo = false;
        let mut drawing = None;
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
            } else if arg == "--demo" {
                demo = true;
            } else if arg == "--no-gpu" || arg == "--gpu" {
                let asked = if arg == "--gpu" {
                    Drawing::Gpu
                } else {
                    Drawing::Cpu
                };
                if drawing.is_some_and(|d| d != asked) {
                    return Err("--gpu and --no-gpu contradict each other".to_string());
                }
                drawing = Some(asked);
            } else if arg.starts_with("-psn_") {
                // macOS adds a process serial number when started from Finder.
            } else if arg.starts_with('-') {
                return Err(format!("unknown option '{arg}' (see --help)"));
            } else {
                return Err(format!("unexpected argument '{arg}' (see --help)"));
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
        Ok(LaunchOptions {
            db_path,
            till_id,
            demo,
            drawing: drawing.unwrap_or_default(),
        })
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
        let o = LaunchOptions::from_args(&[], Some("".into()), None).unwrap();
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

    #[test]
    fn help_and_version_win_and_bad_options_are_refused() {
        let launch = |list: &[&str]| Launch::from_args(&args(list), None, None);
        assert_eq!(launch(&["--help"]).unwrap(), Launch::Help);
        assert_eq!(launch(&["--db", "/a.db", "-h"]).unwrap(), Launch::Help);
        // Help even after a bad option: the user is asking how to fix it.
        assert_eq!(launch(&["--bogus", "--help"]).unwrap(), Launch::Help);
        assert_eq!(launch(&["--version"]).unwrap(), Launch::Version);
        assert_eq!(launch(&["-V"]).unwrap(), Launch::Version);
        let e = launch(&["--bogus"]).unwrap_err();
        assert!(e.contains("unknown option '--bogus'"), "{e}");
        let e = launch(&["store.db"]).unwrap_err();
        assert!(e.contains("unexpected argument 'store.db'"), "{e}");
        assert!(launch(&["-psn_0_12345"]).is_ok());
        match launch(&["--demo", "--db", "/a.db"]).unwrap() {
            Launch::Run(o) => {
                assert!(o.demo);
                assert_eq!(o.drawing, Drawing::Auto);
                assert_eq!(o.db_path, Some(PathBuf::from("/a.db")));
            }
            other => panic!("{other:?}"),
        }
        match launch(&["--no-gpu"]).unwrap() {
            Launch::Run(o) => assert!(o.drawing == Drawing::Cpu && !o.demo),
            other => panic!("{other:?}"),
        }
        match launch(&["--gpu", "--gpu"]).unwrap() {
            Launch::Run(o) => assert_eq!(o.drawing, Drawing::Gpu),
            other => panic!("{other:?}"),
        }
        let e = launch(&["--gpu", "--no-gpu"]).unwrap_err();
        assert!(e.contains("contradict"), "{e}");
        assert!(launch(&["--no-gpu=yes"]).is_err());
        assert!(help_text().contains(USAGE));
        assert!(help_text().contains(env!("CARGO_PKG_VERSION")));
    }
}
