//! Saving an export (a CSV file the engine made) where a desktop user looks
//! for downloads: the Downloads folder, or `PHARMAPOS_EXPORT_DIR` when set
//! (tests, or a store that keeps its files on a shared drive).
//!
//! A webview's own download (a link to a Blob) lands wherever WebKitGTK
//! decides — the app's working directory on Linux, which a manager never
//! finds — so the UI hands the text to the shell instead. An existing file
//! is never overwritten: the next free "name (2).csv" is taken.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::error::ApiError;

/// The folder exports go to: `PHARMAPOS_EXPORT_DIR`, else `downloads`.
pub fn export_dir(downloads: Option<PathBuf>) -> Result<PathBuf, ApiError> {
    match std::env::var_os("PHARMAPOS_EXPORT_DIR").filter(|d| !d.is_empty()) {
        Some(d) => Ok(PathBuf::from(d)),
        None => downloads.ok_or_else(|| {
            ApiError::invalid_input(
                "file_name",
                "This computer has no Downloads folder to save the file in. Set PHARMAPOS_EXPORT_DIR to a folder.",
            )
        }),
    }
}

/// Writes `contents` to `dir/file_name` (or the first free "stem (n).ext"
/// beside it) and returns the path written. `file_name` is a bare name.
pub fn save(dir: &Path, file_name: &str, contents: &str) -> Result<PathBuf, ApiError> {
    let name = file_name.trim();
    let bad = name.is_empty()
        || name.len() > 200
        || name.starts_with('.')
        || name
            .chars()
            .any(|c| matches!(c, '/' | '\\' | '\0') || c.is_control());
    if bad {
        return Err(ApiError::invalid_input(
            "file_name",
            format!("'{file_name}' cannot be a file name: a plain name, without folders"),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| storage(e, dir))?;
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s, format!(".{e}")),
        _ => (name, String::new()),
    };
    for n in 1..=1000 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){ext}"))
        };
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(mut file) => {
                file.write_all(contents.as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(|e| storage(e, &candidate))?;
                log::info!("export saved to {}", candidate.display());
                return Ok(candidate);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(storage(e, &candidate)),
        }
    }
    Err(ApiError::invalid_input(
        "file_name",
        format!(
            "{} already holds a thousand files named like {name}",
            dir.display()
        ),
    ))
}

fn storage(e: std::io::Error, path: &Path) -> ApiError {
    log::error!("saving an export to {}: {e}", path.display());
    ApiError {
        kind: "storage".into(),
        message: format!("The file could not be saved to {}: {e}", path.display()),
        details: json!({ "path": path.display().to_string(), "problem": "other" }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::save;

    #[test]
    fn saves_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let first = save(dir.path(), "sales.csv", "a,b\n").unwrap();
        let second = save(dir.path(), "sales.csv", "c,d\n").unwrap();
        assert_eq!(first, dir.path().join("sales.csv"));
        assert_eq!(second, dir.path().join("sales (2).csv"));
        assert_eq!(std::fs::read_to_string(first).unwrap(), "a,b\n");
        assert_eq!(std::fs::read_to_string(second).unwrap(), "c,d\n");
    }

    #[test]
    fn makes_the_folder_and_refuses_names_with_folders() {
        let dir = tempfile::tempdir().unwrap();
        let inside = dir.path().join("new");
        assert!(save(&inside, "x.csv", "1").is_ok());
        for bad in ["", "../x.csv", "a/b.csv", ".hidden", "a\\b"] {
            let e = save(dir.path(), bad, "1").unwrap_err();
            assert_eq!(e.kind, "invalid_input", "{bad}");
        }
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "only the new folder"
        );
    }
}
