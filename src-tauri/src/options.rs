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
//! Idle lock: `PHARMAPOS_IDLE_LOCK_SECS` (whole seconds, `0` never locks,
//! at most a day) or five minutes ([`IdleLock`]). A value that is not one
//! of those stops the launch with a message rather than quietly locking
//! after the default.
//!
//! The binary is a program like any other: `--help` and `--version` answer
//! on the terminal and an unknown option is refused, all before anything
//! needs a display ([`Launch`]). WebKitWebDriver (the end-to-end tests)
//! starts the app with only the arguments the test gives it, so nothing
//! else arrives here.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use crate::state::DEFAULT_IDLE_LOCK;
use crate::till::{validate_till_id, TillIdSource};

/// The environment variable that sets the idle lock.
pub const IDLE_LOCK_ENV: &str = "PHARMAPOS_IDLE_LOCK_SECS";

/// Longest idle lock accepted. The page's own timer (`setTimeout`) fires
/// at once past about 24.8 days, and a till left signed in for longer
/// than a day is not locked at all in any sense a store means.
pub const MAX_IDLE_LOCK_SECS: u64 = 24 * 60 * 60;

/// How long a signed-in session may sit idle before it locks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdleLock {
    /// Locks after this long without activity.
    After(Duration),
    /// `0`: never locks.
    Never,
}

impl Default for IdleLock {
    fn default() -> Self {
        IdleLock::After(DEFAULT_IDLE_LOCK)
    }
}

impl IdleLock {
    /// Reads the value of [`IDLE_LOCK_ENV`]; unset or empty is the default.
    pub fn from_env(value: Option<OsString>) -> Result<IdleLock, String> {
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return Ok(IdleLock::default());
        };
        let text = value
            .into_string()
            .map_err(|_| format!("{IDLE_LOCK_ENV}: not valid text"))?;
        let secs: u64 = text.trim().parse().map_err(|_| {
            format!("{IDLE_LOCK_ENV}: '{text}' is not a whole number of seconds (0 never locks)")
        })?;
        match secs {
            0 => Ok(IdleLock::Never),
            1..=MAX_IDLE_LOCK_SECS => Ok(IdleLock::After(Duration::from_secs(secs))),
            _ => Err(format!(
                "{IDLE_LOCK_ENV}: {secs} seconds is more than a day (at most {MAX_IDLE_LOCK_SECS}; 0 never locks)"
            )),
        }
    }

    /// The limit, or `None` for never.
    pub fn limit(self) -> Option<Duration> {
        match self {
            IdleLock::After(d) => Some(d),
            IdleLock::Never => None,
        }
    }
}

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
(seconds before the session locks, default 300, at most 86400, 0 never),
RUST_LOG (log level).
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
    /// Parses the arguments (without the program name) and the environment's
    /// values. `--help` and `--version` win over everything else, even a bad
    /// option before them; an unknown option, a stray argument or a bad
    /// value in the environment is an error.
    pub fn from_args(args: &[String], env: LaunchEnv) -> Result<Launch, String> {
        if args.iter().any(|a| a == "--help" || a == "-h") {
            return Ok(Launch::Help);
        }
        if args.iter().any(|a| a == "--version" || a == "-V") {
            return Ok(Launch::Version);
        }
        LaunchOptions::from_args(args, env).map(Launch::Run)
    }
}

/// The environment variables a launch reads, passed in so that tests need
/// not change the process's environment.
#[derive(Clone, Debug, Default)]
pub struct LaunchEnv {
    /// `PHARMAPOS_DB`.
    pub db: Option<OsString>,
    /// `PHARMAPOS_TILL_ID`.
    pub till_id: Option<OsString>,
    /// `PHARMAPOS_IDLE_LOCK_SECS`.
    pub idle_lock_secs: Option<OsString>,
}

impl LaunchEnv {
    /// This process's values.
    pub fn from_process() -> LaunchEnv {
        LaunchEnv {
            db: std::env::var_os("PHARMAPOS_DB"),
            till_id: std::env::var_os(crate::till::TILL_ID_ENV),
            idle_lock_secs: std::env::var_os(IDLE_LOCK_ENV),
        }
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
    /// When an idle session locks.
    pub idle_lock: IdleLock,
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
    /// Parses the arguments (without the program name) and the
    /// environment's values; an unknown option, a stray argument or a bad
    /// value is an error (see [`Launch::from_args`] for `--help`).
    pub fn from_args(args: &[String], env: LaunchEnv) -> Result<LaunchOptions, String> {
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
            db_path = env.db.filter(|v| !v.is_empty()).map(PathBuf::from);
        }
        if till_id.is_none() {
            if let Some(value) = env.till_id.filter(|v| !v.is_empty()) {
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
            idle_lock: IdleLock::from_env(env.idle_lock_secs)?,
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

    fn env(db: Option<OsString>, till_id: Option<OsString>) -> LaunchEnv {
        LaunchEnv {
            db,
            till_id,
            idle_lock_secs: None,
        }
    }

    #[test]
    fn argument_wins_over_environment() {
        let o =
            LaunchOptions::from_args(&args(&["--db", "/a.db"]), env(Some("/b.db".into()), None))
                .unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/a.db")));
        let o = LaunchOptions::from_args(&args(&["--db=/c.db"]), env(None, None)).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/c.db")));
    }

    #[test]
    fn environment_then_default() {
        let o = LaunchOptions::from_args(&[], env(Some("/b.db".into()), None)).unwrap();
        assert_eq!(o.db_path, Some(PathBuf::from("/b.db")));
        let o = LaunchOptions::from_args(&[], env(Some("".into()), None)).unwrap();
        assert_eq!(o.db_path, None);
    }

    #[test]
    fn missing_value_is_an_error() {
        assert!(LaunchOptions::from_args(&args(&["--db"]), env(None, None)).is_err());
        assert!(LaunchOptions::from_args(&args(&["--db="]), env(None, None)).is_err());
        assert!(LaunchOptions::from_args(&args(&["--till-id"]), env(None, None)).is_err());
    }

    #[test]
    fn till_id_argument_then_environment_then_none() {
        let o = LaunchOptions::from_args(
            &args(&["--till-id", "FRONT-1"]),
            env(None, Some("ENV-1".into())),
        )
        .unwrap();
        assert_eq!(o.till_id, Some(("FRONT-1".into(), TillIdSource::Argument)));
        let o = LaunchOptions::from_args(&args(&["--till-id=BACK_2"]), env(None, None)).unwrap();
        assert_eq!(o.till_id, Some(("BACK_2".into(), TillIdSource::Argument)));
        let o = LaunchOptions::from_args(&[], env(None, Some("ENV-1".into()))).unwrap();
        assert_eq!(o.till_id, Some(("ENV-1".into(), TillIdSource::Environment)));
        // Empty environment: the config file decides.
        let o = LaunchOptions::from_args(&[], env(None, Some("".into()))).unwrap();
        assert_eq!(o.till_id, None);
    }

    #[test]
    fn an_invalid_till_id_stops_the_launch() {
        let e =
            LaunchOptions::from_args(&args(&["--till-id", "till 1"]), env(None, None)).unwrap_err();
        assert!(e.starts_with("--till-id:"), "{e}");
        let e = LaunchOptions::from_args(&args(&["--till-id="]), env(None, None)).unwrap_err();
        assert!(e.contains("enter a till id"), "{e}");
        let e = LaunchOptions::from_args(&[], env(None, Some("x".repeat(33).into()))).unwrap_err();
        assert!(e.starts_with("PHARMAPOS_TILL_ID:"), "{e}");
    }

    #[test]
    fn help_and_version_win_and_bad_options_are_refused() {
        let launch = |list: &[&str]| Launch::from_args(&args(list), LaunchEnv::default());
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

    #[test]
    fn idle_lock_from_the_environment_or_refused() {
        let idle = |v: &str| {
            LaunchOptions::from_args(
                &[],
                LaunchEnv {
                    idle_lock_secs: Some(v.into()),
                    ..LaunchEnv::default()
                },
            )
            .map(|o| o.idle_lock)
        };
        assert_eq!(
            LaunchOptions::from_args(&[], LaunchEnv::default())
                .unwrap()
                .idle_lock,
            IdleLock::After(DEFAULT_IDLE_LOCK)
        );
        assert_eq!(idle("").unwrap(), IdleLock::After(DEFAULT_IDLE_LOCK));
        assert_eq!(idle("0").unwrap(), IdleLock::Never);
        assert_eq!(IdleLock::Never.limit(), None);
        assert_eq!(
            idle(" 90 ").unwrap(),
            IdleLock::After(Duration::from_secs(90))
        );
        assert_eq!(
            idle("86400").unwrap().limit(),
            Some(Duration::from_secs(86_400))
        );
        for bad in ["5m", "-1", "1.5", "ten"] {
            let e = idle(bad).unwrap_err();
            assert!(
                e.starts_with("PHARMAPOS_IDLE_LOCK_SECS:") && e.contains("whole number"),
                "{bad}: {e}"
            );
        }
        let e = idle("86401").unwrap_err();
        assert!(e.contains("more than a day"), "{e}");
        // A bad value is refused even when the command line is fine.
        let e = Launch::from_args(
            &args(&["--demo"]),
            LaunchEnv {
                idle_lock_secs: Some("soon".into()),
                ..LaunchEnv::default()
            },
        )
        .unwrap_err();
        assert!(e.contains("'soon'"), "{e}");
    }
}
