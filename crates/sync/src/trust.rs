//! Which servers the client trusts over https.
//!
//! By default a server's certificate must chain to a root this PC trusts
//! (the operating system's store, through rustls-platform-verifier, which
//! reqwest uses). A chain whose head office runs its own certificate
//! authority gives its stores that CA's certificate: [`Trust::with_ca_file`]
//! (or [`CA_FILE_ENV`] naming the file, read by [`Trust::from_env`]) adds
//! the certificates of a PEM file to the roots trusted for sync. Nothing
//! here turns verification off: a server whose certificate chains to
//! neither is refused ([`crate::SyncError::Untrusted`]).

use std::path::{Path, PathBuf};

use crate::SyncError;

/// The environment variable naming a PEM file of CA certificates that the
/// sync client trusts besides the system's (head office's own CA). Read by
/// the desktop app's background sync and by `pharmapos sync`.
pub const CA_FILE_ENV: &str = "PHARMAPOS_SYNC_CA_FILE";

/// The roots a server's certificate may chain to: the system's, plus any
/// CA certificates added from a file.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    extra: Vec<reqwest::Certificate>,
    ca_file: Option<PathBuf>,
}

impl Trust {
    /// The system's roots only.
    pub fn system() -> Trust {
        Trust::default()
    }

    /// The system's roots and every certificate in the PEM file at `path`
    /// (at least one). A file that cannot be read or holds no certificate
    /// is an error ([`SyncError::CaFile`]), never ignored.
    pub fn with_ca_file(path: &Path) -> Result<Trust, SyncError> {
        let unusable = |reason: String| SyncError::CaFile {
            path: path.to_path_buf(),
            reason,
        };
        let pem = std::fs::read(path).map_err(|e| unusable(e.to_string()))?;
        let extra = reqwest::Certificate::from_pem_bundle(&pem)
            .map_err(|e| unusable(format!("not PEM certificates: {e}")))?;
        if extra.is_empty() {
            return Err(unusable(
                "no certificate in it (expected a PEM 'BEGIN CERTIFICATE' block)".into(),
            ));
        }
        Ok(Trust {
            extra,
            ca_file: Some(path.to_path_buf()),
        })
    }

    /// [`Trust::with_ca_file`] of the file [`CA_FILE_ENV`] names, or the
    /// system's roots when it is not set (or empty).
    pub fn from_env() -> Result<Trust, SyncError> {
        match std::env::var_os(CA_FILE_ENV) {
            Some(path) if !path.is_empty() => Trust::with_ca_file(Path::new(&path)),
            _ => Ok(Trust::system()),
        }
    }

    /// The CA file added to the system's roots, if any.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    pub(crate) fn apply(&self, builder: reqwest::ClientBuilder) -> reqwest::ClientBuilder {
        self.extra
            .iter()
            .cloned()
            .fold(builder, reqwest::ClientBuilder::add_root_certificate)
    }
}

/// Whether `e` failed because the server's certificate was refused (unknown
/// issuer, expired, for another name…): rustls's error somewhere in its
/// chain of sources.
pub(crate) fn certificate_refused(e: &reqwest::Error) -> bool {
    let mut next: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = next {
        if let Some(tls) = s.downcast_ref::<rustls::Error>() {
            return matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            );
        }
        // An io::Error's `source` skips the error it wraps (hyper's
        // connector wraps rustls's error in two of them): step into it.
        next = match s.downcast_ref::<std::io::Error>() {
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => s.source(),
        };
    }
    false
}
