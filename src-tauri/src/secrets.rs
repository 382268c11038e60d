//! Where a store's sync secret is kept: the OS keyring, or — only when the
//! admin asks for it — a private file.
//!
//! The secret head office gives a store authenticates its pushes; it never
//! goes in the store's database (a copied file must not carry it) and never
//! silently into a plaintext file. By default it lives in the OS keyring
//! through the `keyring` crate (Secret Service on Linux: GNOME Keyring or
//! KWallet; Keychain on macOS; Credential Manager on Windows), one entry per
//! store and server. A PC with no keyring service (a kiosk session, a
//! headless till) gets `keyring_unavailable`, which names the documented
//! alternative: start the app with `PHARMAPOS_SYNC_SECRET_DIR=<dir>`, and the
//! secret is kept in `<dir>/<store id>.secret`, created readable by its owner
//! only (0600); a file anyone else can read is refused, not used.

use std::path::{Path, PathBuf};

use pharmapos_engine::ids::StoreId;
use serde_json::json;

use crate::error::ApiError;

/// The keyring service name under which PharmaPOS keeps its entries.
pub const KEYRING_SERVICE: &str = "pharmapos-sync";

/// The environment variable that chooses a secret folder over the keyring.
pub const SECRET_DIR_ENV: &str = "PHARMAPOS_SYNC_SECRET_DIR";

/// Where secrets go on this PC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretStore {
    /// The OS keyring.
    Keyring,
    /// Files in this folder, readable by their owner only.
    Dir(PathBuf),
}

impl SecretStore {
    /// The folder named by [`SECRET_DIR_ENV`], else the keyring.
    pub fn from_env() -> SecretStore {
        match std::env::var_os(SECRET_DIR_ENV) {
            Some(dir) if !dir.is_empty() => SecretStore::Dir(PathBuf::from(dir)),
            _ => SecretStore::Keyring,
        }
    }

    /// `keyring` or `file`, for the status screen.
    pub fn kind(&self) -> &'static str {
        match self {
            SecretStore::Keyring => "keyring",
            SecretStore::Dir(_) => "file",
        }
    }

    /// The store's secret for `server_url`, if one was saved.
    pub fn get(&self, store: StoreId, server_url: &str) -> Result<Option<String>, ApiError> {
        match self {
            SecretStore::Keyring => match entry(store, server_url)?.get_password() {
                Ok(s) => Ok(Some(s)),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(keyring_error(e)),
            },
            SecretStore::Dir(dir) => read_private(&file_of(dir, store)),
        }
    }

    /// Saves the store's secret for `server_url` (replacing any before).
    pub fn set(&self, store: StoreId, server_url: &str, secret: &str) -> Result<(), ApiError> {
        match self {
            SecretStore::Keyring => entry(store, server_url)?
                .set_password(secret)
                .map_err(keyring_error),
            SecretStore::Dir(dir) => write_private(dir, &file_of(dir, store), secret),
        }
    }
}

fn entry(store: StoreId, server_url: &str) -> Result<keyring::Entry, ApiError> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("{store}@{server_url}")).map_err(keyring_error)
}

/// No keyring here, or it refused: say so, and name the alternative.
fn keyring_error(e: keyring::Error) -> ApiError {
    log::warn!("keyring: {e}");
    ApiError {
        kind: "keyring_unavailable".into(),
        message: format!(
            "This PC has no working keyring to keep the store's sync secret in ({e}). \
             Start one (GNOME Keyring or KWallet), or restart PharmaPOS with \
             {SECRET_DIR_ENV} set to a folder only you can read, to keep it in a private file there."
        ),
        details: json!({ "reason": e.to_string(), "alternative": SECRET_DIR_ENV }),
    }
}

fn file_of(dir: &Path, store: StoreId) -> PathBuf {
    dir.join(format!("{store}.secret"))
}

fn read_private(path: &Path) -> Result<Option<String>, ApiError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(ApiError::internal("reading the sync secret", e)),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(ApiError {
                kind: "keyring_unavailable".into(),
                message: format!(
                    "{} can be read by other users (mode {mode:o}): the secret there is not used. Make it private (chmod 600) or save the secret again.",
                    path.display()
                ),
                details: json!({ "reason": "secret_file_not_private", "path": path.display().to_string() }),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = std::fs::read_to_string(path)
        .map_err(|e| ApiError::internal("reading the sync secret", e))?;
    Ok(Some(text.trim().to_string()).filter(|s| !s.is_empty()))
}

fn write_private(dir: &Path, path: &Path, secret: &str) -> Result<(), ApiError> {
    use std::io::Write;
    std::fs::create_dir_all(dir).map_err(|e| ApiError::internal("the sync secret folder", e))?;
    let tmp = path.with_extension("secret.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(&tmp)
        .map_err(|e| ApiError::internal("writing the sync secret", e))?;
    f.write_all(secret.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| ApiError::internal("writing the sync secret", e))?;
    std::fs::rename(&tmp, path).map_err(|e| ApiError::internal("writing the sync secret", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_file_is_private_and_a_shared_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = SecretStore::Dir(dir.path().join("secrets"));
        let id = StoreId::new();
        assert_eq!(store.get(id, "https://hq").unwrap(), None);
        store.set(id, "https://hq", "s3cret\n").unwrap();
        assert_eq!(
            store.get(id, "https://hq").unwrap().as_deref(),
            Some("s3cret")
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = file_of(&dir.path().join("secrets"), id);
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o600
            );
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let e = store.get(id, "https://hq").unwrap_err();
            assert_eq!(e.kind, "keyring_unavailable");
            assert_eq!(e.details["reason"], "secret_file_not_private");
        }
    }

    /// Against a real Secret Service (GNOME Keyring on a session bus):
    /// ignored by a plain `cargo test`, run by scripts/test-keyring.sh
    /// with `--ignored`, where a keyring that is missing or locked fails
    /// it rather than skipping it.
    #[test]
    #[ignore = "needs a Secret Service on the session bus: run scripts/test-keyring.sh"]
    fn the_os_keyring_stores_reads_replaces_and_deletes_a_secret() {
        let store = SecretStore::Keyring;
        let id = StoreId::new();
        let url = "https://hq.example.test";
        let e = entry(id, url).unwrap();
        // The real Secret Service, not keyring's in-memory mock.
        assert!(
            e.get_credential()
                .downcast_ref::<keyring::secret_service::SsCredential>()
                .is_some(),
            "the keyring crate is not using the Secret Service"
        );
        assert_eq!(store.get(id, url).unwrap(), None);
        store.set(id, url, "first-secret").unwrap();
        assert_eq!(store.get(id, url).unwrap().as_deref(), Some("first-secret"));
        // Another store's entry is apart.
        assert_eq!(store.get(StoreId::new(), url).unwrap(), None);
        store.set(id, url, "second-secret").unwrap();
        assert_eq!(
            store.get(id, url).unwrap().as_deref(),
            Some("second-secret")
        );
        e.delete_credential().unwrap();
        assert_eq!(store.get(id, url).unwrap(), None);
        assert!(matches!(
            e.delete_credential(),
            Err(keyring::Error::NoEntry)
        ));
    }
}
