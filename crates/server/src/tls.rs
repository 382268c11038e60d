//! HTTPS in the server itself: rustls (aws-lc-rs, the provider the sync
//! client's rustls uses too) over the same axum router as plain HTTP.
//!
//! [`load`] reads a PEM certificate chain and its private key and refuses,
//! with one line naming the file, anything it cannot use: a file that is
//! missing or unreadable, one with no certificate or no key in it, a key
//! that is not the certificate's. The server checks this before it
//! touches the database or the port, so a bad file stops it at once.
//!
//! [`Certificates`] holds what [`load`] read and reads the files again on
//! [`Certificates::reload`] (the binary does on SIGHUP): a renewed
//! certificate is served without a restart, and a reload that fails keeps
//! the certificate in use.
//!
//! [`serve_tls`] serves a router on a bound listener. Handshakes run
//! concurrently (one slow or silent client cannot hold up the others) and
//! are given [`HANDSHAKE_TIMEOUT`]; a failed handshake (plain HTTP sent to
//! the TLS port, a client that does not trust the certificate) is logged at
//! debug level and that connection closed. Requests then go through
//! `axum::serve`, so graceful shutdown works as in plain HTTP: on the
//! signal the server stops accepting and finishes the requests in flight.

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// How long a client has to complete the TLS handshake.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The server's TLS settings from a certificate chain (PEM, the server's
/// own certificate first) and its private key (PEM: PKCS#8, PKCS#1 or
/// SEC1). Errors are one line naming the file and what is wrong with it.
pub fn load(cert: &Path, key: &Path) -> anyhow::Result<Arc<ServerConfig>> {
    let cert_pem = std::fs::read(cert)
        .map_err(|e| anyhow::anyhow!("cannot read the TLS certificate {}: {e}", cert.display()))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow::anyhow!(
                "the TLS certificate {} is not valid PEM: {e}",
                cert.display()
            )
        })?;
    anyhow::ensure!(
        !chain.is_empty(),
        "the TLS certificate {} holds no certificate (expected a PEM 'BEGIN CERTIFICATE' block)",
        cert.display()
    );
    let key_pem = std::fs::read(key)
        .map_err(|e| anyhow::anyhow!("cannot read the TLS key {}: {e}", key.display()))?;
    let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        anyhow::anyhow!(
            "the TLS key {} holds no usable private key (expected PEM PKCS#8, PKCS#1 or SEC1): {e}",
            key.display()
        )
    })?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::aws_lc_rs::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow::anyhow!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| {
            anyhow::anyhow!(
                "the TLS key {} cannot serve the certificate {}: {e}",
                key.display(),
                cert.display()
            )
        })?;
    Ok(Arc::new(config))
}

/// The server's certificate and key, as read from their files, which can be
/// read again while the server runs: certificates are renewed every few
/// months (every 60 to 90 days with Let's Encrypt), and a restart for each
/// would drop the requests in flight.
pub struct Certificates {
    cert: PathBuf,
    key: PathBuf,
    current: RwLock<Arc<ServerConfig>>,
}

impl Certificates {
    /// Reads the certificate chain and key ([`load`], with its errors).
    pub fn open(cert: &Path, key: &Path) -> anyhow::Result<Arc<Certificates>> {
        Ok(Arc::new(Certificates {
            cert: cert.to_path_buf(),
            key: key.to_path_buf(),
            current: RwLock::new(load(cert, key)?),
        }))
    }

    /// Reads the same files again. Handshakes from now on present what
    /// they hold; connections already open keep what they began with. On
    /// an error (a file half written, a key that is not the certificate's)
    /// nothing changes: the server goes on with the certificate it has.
    pub fn reload(&self) -> anyhow::Result<()> {
        let next = load(&self.cert, &self.key)?;
        // A panic cannot happen while the lock is held (an assignment), so
        // a poisoned lock still holds a whole value.
        *self.current.write().unwrap_or_else(PoisonError::into_inner) = next;
        Ok(())
    }

    /// The certificate file (for messages).
    pub fn cert_path(&self) -> &Path {
        &self.cert
    }

    fn acceptor(&self) -> TlsAcceptor {
        TlsAcceptor::from(
            self.current
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .clone(),
        )
    }
}

/// Serves `router` over HTTPS on `listener` with `tls` until `shutdown`
/// completes, then lets the requests in flight finish. Each handshake uses
/// the certificate `tls` holds at the time.
pub async fn serve_tls(
    listener: TcpListener,
    router: Router,
    tls: Arc<Certificates>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let (tx, rx) = mpsc::channel(64);
    let accepting = tokio::spawn(accept_loop(listener, tls, tx));
    let served = axum::serve(
        TlsListener {
            handshaken: rx,
            local,
        },
        router,
    )
    .with_graceful_shutdown(shutdown)
    .await;
    // axum has dropped the listener's end: the loop ends on its next
    // accept; do not wait for one.
    accepting.abort();
    served
}

/// Accepts TCP connections and hands each to a handshake of its own; the
/// finished ones go to `tx`. Ends when the server drops the other end.
async fn accept_loop(
    listener: TcpListener,
    tls: Arc<Certificates>,
    tx: mpsc::Sender<(TlsStream<TcpStream>, SocketAddr)>,
) {
    loop {
        let (tcp, peer) = tokio::select! {
            () = tx.closed() => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait, as axum's
                    // own listener does, rather than spin.
                    log::warn!("accepting a connection: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            },
        };
        let acceptor = tls.acceptor();
        let tx = tx.clone();
        tokio::spawn(async move {
            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(tls)) => {
                    // A closed channel means the server is shutting down.
                    let _ = tx.send((tls, peer)).await;
                }
                Ok(Err(e)) => log::debug!("TLS handshake with {peer} failed: {e}"),
                Err(_) => log::debug!("TLS handshake with {peer} timed out"),
            }
        });
    }
}

/// The connections whose handshake is done, as axum's listener.
struct TlsListener {
    handshaken: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.handshaken.recv().await {
            Some(conn) => conn,
            // The accept loop holds a sender until the server drops this
            // listener; were it ever gone, wait for the shutdown signal.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
