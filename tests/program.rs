//! The built `pharmapos-desktop` binary as a program: what it answers on a
//! terminal with no graphical session (the environment is cleared of
//! DISPLAY and WAYLAND_DISPLAY, as over SSH or in a service).
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pharmapos-desktop"));
    cmd.args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path());
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    // Nothing is created before a window could open.
    assert!(!home.path().join("data").exists());
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_and_version_answer_without_a_display() {
    let out = run(&["--help"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let help = text(&out.stdout);
    assert!(help.contains("usage: pharmapos-desktop"), "{help}");
    for option in ["--db", "--till-id", "--demo", "--version"] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));

    let out = run(&["-V"], &[]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout),
        format!("pharmapos-desktop {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_bad_option_is_refused_with_the_usage() {
    let out = run(&["--bogus"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("pharmapos-desktop: unknown option '--bogus'"),
        "{err}"
    );
    assert!(err.contains("usage: pharmapos-desktop"), "{err}");
    assert!(out.stdout.is_empty());

    let out = run(&["--till-id", "has space"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).starts_with("pharmapos-desktop: --till-id:"));

    // A bad idle lock stops the launch rather than locking after the default.
    let out = run(&[], &[("PHARMAPOS_IDLE_LOCK_SECS", "5m")]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("pharmapos-desktop: PHARMAPOS_IDLE_LOCK_SECS: '5m' is not a whole number"),
        "{err}"
    );
}

#[test]
fn no_display_is_one_line_and_a_failure() {
    let out = run(&[], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line, got:\n{err}");
    assert!(err.starts_with("pharmapos-desktop: no display"), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    // A display variable naming no running server: GTK cannot connect.
    let out = run(&["--db", "/nonexistent/x.db"], &[("DISPLAY", ":7913")]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line, got:\n{err}");
    assert!(
        err.starts_with("pharmapos-desktop: cannot open the display (DISPLAY=:7913)"),
        "{err}"
    );
}
