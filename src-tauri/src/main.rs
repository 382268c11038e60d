//! The `pharmapos-desktop` binary: parses the command line and starts the app.
//!
//! `--db <file>` (or `--db=<file>`) chooses the store database; it wins over
//! the `PHARMAPOS_DB` environment variable, which wins over the default in the
//! app's data folder. `--till-id <id>` (or `PHARMAPOS_TILL_ID`) fixes this
//! till's id for the run; without it the config file beside the database
//! holds it.

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match pharmapos_desktop::LaunchOptions::from_args(
        &args,
        std::env::var_os("PHARMAPOS_DB"),
        std::env::var_os(pharmapos_desktop::till::TILL_ID_ENV),
    ) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("pharmapos-desktop: {message}");
            eprintln!("usage: pharmapos-desktop [--db <file>] [--till-id <id>]");
            std::process::exit(2);
        }
    };
    if let Err(e) = pharmapos_desktop::run(options) {
        eprintln!("pharmapos-desktop: {e}");
        std::process::exit(1);
    }
}
