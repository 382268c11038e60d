//! The `pharmapos-desktop` binary: parses the command line and starts the app.
//!
//! `--db <file>` (or `--db=<file>`) chooses the store database; it wins over
//! the `PHARMAPOS_DB` environment variable, which wins over the default in the
//! app's data folder. `--till-id <id>` (or `PHARMAPOS_TILL_ID`) fixes this
//! till's id for the run; without it the config file beside the database
//! holds it. `PHARMAPOS_IDLE_LOCK_SECS` sets the idle lock (a bad value
//! stops the launch). `--demo` opens the demo store. `--help` and `--version` answer
//! without a display; without one the app says so in one line and exits 1.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use pharmapos_desktop::options::{help_text, Launch, LaunchEnv, USAGE};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let launch = Launch::from_args(&args, LaunchEnv::from_process());
    let options = match launch {
        Ok(Launch::Run(options)) => options,
        Ok(Launch::Help) => {
            print!("{}", help_text());
            return;
        }
        Ok(Launch::Version) => {
            println!("pharmapos-desktop {}", env!("CARGO_PKG_VERSION"));
            return;
        }
        Err(message) => {
            eprintln!("pharmapos-desktop: {message}");
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    if let Err(problem) = pharmapos_desktop::display::check() {
        eprintln!("pharmapos-desktop: {problem}");
        std::process::exit(1);
    }
    one_line_panics();
    if let Err(e) = pharmapos_desktop::run(options) {
        eprintln!("pharmapos-desktop: {e}");
        std::process::exit(1);
    }
}

/// A crash prints one line naming where it happened, not a backtrace
/// prompt, unless `RUST_BACKTRACE` asks for the details.
fn one_line_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_some() {
        return;
    }
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown error".to_string());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "pharmapos-desktop: stopped by an internal error: {} ({}; RUST_BACKTRACE=1 shows more)",
            message.replace('\n', " "),
            at.trim_start()
        );
    }));
}
