//! Test harness shared by the server's tests and the sync client's
//! (`pharmapos-sync`): a throw-away PostgreSQL cluster on a free port
//! (Debian's server binaries) and its streaming replicas, the server on a
//! free port over one of its databases (also as a handle that stops and
//! starts again), a fault proxy that cuts the line between a client and
//! the server, and HAProxy in front of several servers ([`scale`]).
//! Behind the cargo feature `testing`; never in a release build. Panics
//! instead of returning errors: it is test code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub mod scale;
pub use scale::{LoadBalancer, Server};

/// A PostgreSQL cluster of this test run (a primary, or a streaming
/// replica of one), stopped when dropped.
pub struct Pg {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
    /// Stopped already ([`Pg::stop_immediate`]): nothing to stop on drop.
    stopped: bool,
}

/// A free TCP port on 127.0.0.1 (free when asked; the caller binds it soon).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Pg {
    /// Makes and starts a cluster (`PG_BIN` names the server binaries'
    /// directory, else the newest under `/usr/lib/postgresql`). It streams
    /// its WAL to replicas ([`Pg::start_replica`]): `wal_level=replica`, and
    /// initdb's `trust` rules let replication connections in from 127.0.0.1.
    pub fn start() -> Pg {
        let pg = Pg::new();
        let data = pg.data();
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
        pg.pg_ctl_start();
        pg
    }

    /// A streaming replica of `primary` (a hot standby, read-only, on a
    /// free port): `pg_basebackup -R` of the running primary, started.
    pub fn start_replica(primary: &Pg) -> Pg {
        let pg = Pg::new();
        let data = pg.data();
        pg.run(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &primary.port.to_string(),
                "-U",
                "pharmapos",
                "-D",
                data.to_str().unwrap(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "--no-sync",
            ],
        );
        pg.pg_ctl_start();
        pg
    }

    /// A cluster's directory and port, nothing in it yet.
    fn new() -> Pg {
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
        Pg {
            dir,
            bin,
            port: free_port(),
            as_postgres,
            stopped: false,
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Starts the server. Throw-away clusters skip flushing to disk
    /// (`fsync=off`, `full_page_writes=off`) unless `PG_DURABLE=1`, which
    /// benchmarks set to measure durable commits.
    fn pg_ctl_start(&self) {
        let durable = std::env::var("PG_DURABLE").is_ok_and(|v| v == "1");
        let opts = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c wal_level=replica{}",
            self.port,
            self.dir.path().display(),
            if durable {
                ""
            } else {
                " -c fsync=off -c full_page_writes=off"
            }
        );
        let log = self.dir.path().join("log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-o",
                &opts,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "start",
            ],
        );
    }

    /// Stops the cluster at once, as a crash would (`pg_ctl stop -m
    /// immediate`): what it had not streamed to a replica is lost to it.
    pub fn stop_immediate(&mut self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "immediate",
                "stop",
            ],
        );
        self.stopped = true;
    }

    /// Promotes this replica to a primary (`pg_ctl promote`, waiting until
    /// it takes writes).
    pub fn promote(&self) {
        self.run(
            "pg_ctl",
            &["-D", self.data().to_str().unwrap(), "-w", "promote"],
        );
    }

    /// Cuts this replica off its primary, as a network cut between the two
    /// would: it stops receiving WAL (its `primary_conninfo` emptied and
    /// the configuration reloaded) and keeps what it has. Returns once its
    /// WAL receiver has stopped.
    pub async fn detach_replica(&self) {
        use std::io::Write;
        let auto = self.data().join("postgresql.auto.conf");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&auto)
            .unwrap();
        // The last setting in the file wins.
        writeln!(f, "primary_conninfo = ''").unwrap();
        drop(f);
        self.run("pg_ctl", &["-D", self.data().to_str().unwrap(), "reload"]);
        let client = self.connect("postgres").await;
        poll("the replica's WAL receiver to stop", || async {
            let n: i64 = client
                .query_one("SELECT count(*) FROM pg_stat_wal_receiver", &[])
                .await
                .unwrap()
                .get(0);
            n == 0
        })
        .await;
    }

    /// Waits until this replica has replayed everything `primary` had
    /// written when this was called (`pg_last_wal_replay_lsn()` at or past
    /// the primary's `pg_current_wal_lsn()`).
    pub async fn wait_replayed(&self, primary: &Pg) {
        let lsn: String = primary
            .connect("postgres")
            .await
            .query_one("SELECT pg_current_wal_lsn()::text", &[])
            .await
            .unwrap()
            .get(0);
        let client = self.connect("postgres").await;
        poll("the replica to replay the primary's WAL", || async {
            client
                .query_one(
                    "SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::text::pg_lsn, false)",
                    &[&lsn],
                )
                .await
                .unwrap()
                .get::<_, bool>(0)
        })
        .await;
    }

    /// A connection to database `db`.
    pub async fn connect(&self, db: &str) -> tokio_postgres::Client {
        let (client, conn) = tokio_postgres::connect(&self.url(db), tokio_postgres::NoTls)
            .await
            .unwrap();
        tokio::spawn(conn);
        client
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
        if self.stopped {
            return;
        }
        let data = self.data();
        if std::thread::panicking() {
            // A second panic here would abort and hide the first: report only.
            let exe = self.bin.join("pg_ctl");
            let args = ["-D", data.to_str().unwrap(), "-m", "immediate", "stop"];
            let out = if self.as_postgres {
                Command::new("runuser")
                    .args(["-u", "postgres", "--"])
                    .arg(&exe)
                    .args(args)
                    .output()
            } else {
                Command::new(&exe).args(args).output()
            };
            if !matches!(&out, Ok(o) if o.status.success()) {
                eprintln!("stopping the test cluster in {}: {out:?}", data.display());
            }
            return;
        }
        self.run(
            "pg_ctl",
            &["-D", data.to_str().unwrap(), "-m", "immediate", "stop"],
        );
    }
}

/// Polls `ready` (every 20 ms) until it holds; panics after 30 s naming
/// `what` was awaited.
pub async fn poll<F, Fut>(what: &str, mut ready: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !ready().await {
        assert!(
            std::time::Instant::now() < deadline,
            "gave up after 30 s waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Applies the server's migrations to `url`'s database up to and
/// including `version` only (to test a migration over rows an older
/// schema holds).
pub async fn migrate_to(url: &str, version: i32) {
    let (mut client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap();
    let conn = tokio::spawn(connection);
    crate::embedded::migrations::runner()
        .set_target(refinery::Target::Version(version))
        .run_async(&mut client)
        .await
        .unwrap();
    drop(client);
    conn.await.unwrap().unwrap();
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
    let tls = crate::tls::Certificates::open(cert, key).unwrap();
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
    /// Pushes forwarded to the server so far.
    pushes_forwarded: AtomicUsize,
    /// A slow link: each piece forwarded either way waits this long (ms).
    delay_ms: AtomicU64,
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
            pushes_forwarded: AtomicUsize::new(0),
            delay_ms: AtomicU64::new(0),
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

    /// A slow link: every piece forwarded, either way, waits `delay`
    /// (until [`FaultProxy::restore`]).
    pub fn slow(&self, delay: Duration) {
        let ms = u64::try_from(delay.as_millis()).unwrap();
        self.state.delay_ms.store(ms, Ordering::SeqCst);
    }

    /// How many pushes have reached the server through the proxy.
    pub fn pushes_forwarded(&self) -> usize {
        self.state.pushes_forwarded.load(Ordering::SeqCst)
    }

    /// The server is back: connections go through again at full speed, no
    /// cut planned.
    pub fn restore(&self) {
        self.state.pushes_left.store(usize::MAX, Ordering::SeqCst);
        self.state.delay_ms.store(0, Ordering::SeqCst);
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
                s.pause().await;
                let push = buf[..n].starts_with(b"POST /v1/push");
                if push {
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
                if push {
                    s.pushes_forwarded.fetch_add(1, Ordering::SeqCst);
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
            s.pause().await;
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

impl ProxyState {
    /// The slow link's wait, if any.
    async fn pause(&self) {
        let ms = self.delay_ms.load(Ordering::SeqCst);
        if ms > 0 {
            tokio::time::sleep(Duration::from_millis(ms)).await;
        }
    }
}

/// A valid record of `n` sale events of `store`, written by `installation`
/// (each hashed with `pharmapos_protocol`, chained from the genesis hash).
pub fn chain(store: &str, installation: &str, n: i64) -> Vec<pharmapos_protocol::RecordEvent> {
    let mut prev = pharmapos_protocol::GENESIS_HASH.to_string();
    (1..=n)
        .map(|seq| {
            let mut e = pharmapos_protocol::RecordEvent {
                format: pharmapos_protocol::FORMAT_V2,
                id: uuid::Uuid::now_v7().to_string(),
                store_id: store.into(),
                installation_id: Some(installation.into()),
                seq,
                batch_id: None,
                product_id: None,
                change_type: "sale_completed".into(),
                previous_milli: None,
                new_milli: None,
                user_id: "u".into(),
                reference_id: Some(format!("sale-{seq}")),
                notes: None,
                created_at: "2026-12-01T10:00:00.000Z".into(),
                batch_prev_seq: None,
                payload: Some(format!(r#"{{"n":{seq}}}"#)),
                hash: String::new(),
            };
            e.hash = pharmapos_protocol::chain_hash(&prev, &e.canonical()).unwrap();
            prev = e.hash.clone();
            e
        })
        .collect()
}
