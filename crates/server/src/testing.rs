//! Test harness shared by the server's tests and the sync client's
//! (`pharmapos-sync`): a throw-away PostgreSQL cluster on a free port
//! (Debian's server binaries), the server on a free port over one of its
//! databases, and a fault proxy that cuts the line between a client and
//! the server. Behind the cargo feature `testing`; never in a release
//! build. Panics instead of returning errors: it is test code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A PostgreSQL cluster of this test run, stopped when dropped.
pub struct Pg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Pg {
    /// Makes and starts a cluster (`PG_BIN` names the server binaries'
    /// directory, else the newest under `/usr/lib/postgresql`).
    pub fn start() -> Pg {
        let bin = std::env::var_os("PG_BIN").map(PathBuf::from).unwrap_or_else(|| {
            let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
                .expect("PostgreSQL is not installed (apt install postgresql); the server's tests need it")
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .filter(|p| p.join("initdb").exists())
                .collect();
            found.sort();
            found.pop().expect("no PostgreSQL server binaries under /usr/lib/postgresql")
        });
        let dir = tempfile::tempdir().unwrap();
        // PostgreSQL refuses to run as root: as root, the cluster is the
        // postgres user's.
        let as_postgres = Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
        if as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(ok.success());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let pg = Pg {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = pg.dir.path().join("data");
        pg.run(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-A",
                "trust",
                "-U",
                "pharmapos",
                "--no-sync",
                "-E",
                "UTF8",
            ],
        );
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off",
            pg.port,
            pg.dir.path().display()
        );
        let log = pg.dir.path().join("log");
        pg.run(
            "pg_ctl",
            &[
                "-D",
                data.to_str().unwrap(),
                "-o",
                &opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
        pg
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let exe = self.bin.join(tool);
        let out = if self.as_postgres {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&exe)
                .args(args)
                .output()
        } else {
            Command::new(&exe).args(args).output()
        }
        .unwrap();
        assert!(
            out.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The connection string of database `db`.
    pub fn url(&self, db: &str) -> String {
        format!(
            "host=127.0.0.1 port={} user=pharmapos dbname={db}",
            self.port
        )
    }

    /// A fresh database in the cluster.
    pub async fn database(&self, name: &str) -> String {
        let (client, conn) = tokio_postgres::connect(&self.url("postgres"), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
            .execute(&format!("CREATE DATABASE {name}"), &[])
            .await
            .unwrap();
        self.url(name)
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        self.run(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

/// The server, migrated, on a free port over `url`'s database; answers its
/// base URL (`http://127.0.0.1:PORT`). It runs until the runtime ends.
/// Its rate limit is far above what tests and benchmarks make
/// ([`serve_limited`] to test the limit itself).
pub async fn serve(url: &str) -> String {
    serve_limited(
        url,
        crate::RateLimit {
            per_second: 1_000_000,
            burst: 1_000_000,
        },
    )
    .await
}

/// [`serve`] with `limit` per caller.
pub async fn serve_limited(url: &str, limit: crate::RateLimit) -> String {
    crate::migrate(url).await.unwrap();
    let pool = crate::pool(url).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, crate::router_with(pool, limit))
            .await
            .unwrap()
    });
    format!("http://{addr}")
}

/// The server, migrated, serving HTTPS ([`crate::serve_tls`], the code
/// `pharmapos-server serve --tls-cert --tls-key` runs) on a free port of
/// 127.0.0.1 over `url`'s database, with the certificate chain and key in
/// these PEM files; answers its base URL (`https://127.0.0.1:PORT`). It
/// runs until the runtime ends.
pub async fn serve_tls(url: &str, cert: &std::path::Path, key: &std::path::Path) -> String {
    let tls = crate::tls::load(cert, key).unwrap();
    crate::migrate(url).await.unwrap();
    let pool = crate::pool(url).unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = crate::router_with(
        pool,
        crate::RateLimit {
            per_second: 1_000_000,
            burst: 1_000_000,
        },
    );
    tokio::spawn(async move {
        crate::serve_tls(listener, router, tls, std::future::pending())
            .await
            .unwrap()
    });
    format!("https://{addr}")
}

/// Certificates made for one test, as PEM files in a temporary folder
/// (removed when dropped): head office's own CA, a server certificate it
/// issued for `127.0.0.1` and `localhost`, that certificate's key, and a
/// second CA that issued nothing here (a store trusting only it must refuse
/// the server).
pub struct TestPki {
    _dir: tempfile::TempDir,
    /// The CA's certificate (what a store is given to trust).
    pub ca: PathBuf,
    /// The server's certificate, issued by the CA.
    pub cert: PathBuf,
    /// The server certificate's private key.
    pub key: PathBuf,
    /// Another CA's certificate.
    pub other_ca: PathBuf,
    /// A private key that is not the server certificate's.
    pub other_key: PathBuf,
}

impl TestPki {
    /// Makes the certificates and keys.
    pub fn new() -> TestPki {
        use rcgen::{CertificateParams, DnType, Issuer, KeyPair};
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, pem: String| {
            let path = dir.path().join(name);
            std::fs::write(&path, pem).unwrap();
            path
        };
        let ca_key = KeyPair::generate().unwrap();
        let head_office = ca_params("PharmaPOS test head office CA");
        let ca = write("ca.pem", head_office.self_signed(&ca_key).unwrap().pem());
        let issuer = Issuer::new(head_office, ca_key);
        let server_key = KeyPair::generate().unwrap();
        let mut server =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()]).unwrap();
        server
            .distinguished_name
            .push(DnType::CommonName, "pharmapos-server test");
        let cert = write(
            "server.pem",
            server.signed_by(&server_key, &issuer).unwrap().pem(),
        );
        let key = write("server-key.pem", server_key.serialize_pem());
        let other_key = KeyPair::generate().unwrap();
        let other_ca = write(
            "other-ca.pem",
            ca_params("Some other CA")
                .self_signed(&other_key)
                .unwrap()
                .pem(),
        );
        let other_key = write("other-key.pem", other_key.serialize_pem());
        TestPki {
            _dir: dir,
            ca,
            cert,
            key,
            other_ca,
            other_key,
        }
    }
}

/// A CA certificate's parameters: `name`, allowed to sign certificates.
fn ca_params(name: &str) -> rcgen::CertificateParams {
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::CrlSign,
    ];
    params
}

impl Default for TestPki {
    fn default() -> Self {
        TestPki::new()
    }
}

/// A TCP proxy in front of the server that can play the server going away:
/// [`FaultProxy::cut_after_pushes`] lets `n` pushes through, forwards the
/// next one to the server (which stores it) but drops its answer, and from
/// then on closes every connection at once, as a stopped server would,
/// until [`FaultProxy::restore`].
///
/// Requests are spotted by their request line (`POST /v1/push`) at the
/// start of what a client writes; good enough for one client's HTTP/1.1.
pub struct FaultProxy {
    /// The proxy's base URL, to give the client instead of the server's.
    pub url: String,
    state: Arc<ProxyState>,
}

struct ProxyState {
    upstream: String,
    down: AtomicBool,
    /// Pushes still let through before the cut (usize::MAX: no cut).
    pushes_left: AtomicUsize,
}

impl FaultProxy {
    /// A proxy to the server at `server` (its base URL), letting everything through.
    pub async fn start(server: &str) -> FaultProxy {
        let upstream = server
            .strip_prefix("http://")
            .expect("an http:// server URL")
            .to_string();
        let state = Arc::new(ProxyState {
            upstream,
            down: AtomicBool::new(false),
            pushes_left: AtomicUsize::new(usize::MAX),
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let s = state.clone();
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                if s.down.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                tokio::spawn(relay(client, s.clone()));
            }
        });
        FaultProxy { url, state }
    }

    /// Lets `n` more pushes through, then stores-but-drops-the-answer of
    /// the next and goes down.
    pub fn cut_after_pushes(&self, n: usize) {
        self.state.pushes_left.store(n, Ordering::SeqCst);
    }

    /// The server goes away now: every connection is refused, and answers
    /// in flight are dropped, until [`FaultProxy::restore`].
    pub fn go_down(&self) {
        self.state.down.store(true, Ordering::SeqCst);
    }

    /// Whether the cut has happened.
    pub fn is_down(&self) -> bool {
        self.state.down.load(Ordering::SeqCst)
    }

    /// The server is back: connections go through again, no cut planned.
    pub fn restore(&self) {
        self.state.pushes_left.store(usize::MAX, Ordering::SeqCst);
        self.state.down.store(false, Ordering::SeqCst);
    }
}

async fn relay(client: TcpStream, s: Arc<ProxyState>) {
    let Ok(server) = TcpStream::connect(&s.upstream).await else {
        return;
    };
    let (mut cr, mut cw) = client.into_split();
    let (mut sr, mut sw) = server.into_split();
    let up = {
        let s = s.clone();
        async move {
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = match cr.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => n,
                };
                if buf[..n].starts_with(b"POST /v1/push") {
                    let left = s.pushes_left.load(Ordering::SeqCst);
                    if left == 0 {
                        // This push reaches the server; its answer will not.
                        s.down.store(true, Ordering::SeqCst);
                    } else if left != usize::MAX {
                        s.pushes_left.store(left - 1, Ordering::SeqCst);
                    }
                }
                if sw.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
        }
    };
    let down = async move {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match sr.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if s.down.load(Ordering::SeqCst) {
                return;
            }
            if cw.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    };
    // Either side ending ends the connection (dropping both halves).
    tokio::select! {
        () = up => {}
        () = down => {}
    }
}
