//! Test harness shared by the server's tests and the sync client's
//! (`pharmapos-sync`): a throw-away PostgreSQL cluster on a free port
//! (Debian's server binaries), the server on a free port over one of its
//! databases, and a fault proxy that cuts the line between a client and
//! the server. Behind the cargo feature `testing`; never in a release
//! build. Panics instead of returning errors: it is test code.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
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

/// The server in a runtime of its own, so that it can crash as a process
/// does ([`Server::crash`]: every task, connection and open transaction
/// dropped at once, wherever it was) and start again on the same port
/// ([`Server::start_again`]).
pub struct Server {
    /// Its base URL (`http://127.0.0.1:PORT`), the same across restarts.
    pub url: String,
    addr: std::net::SocketAddr,
    db_url: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Migrates `url`'s database and starts the server on a free port.
    pub async fn start(url: &str) -> Server {
        crate::migrate(url).await.unwrap();
        let addr = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        let mut server = Server {
            url: format!("http://{addr}"),
            addr,
            db_url: url.to_string(),
            runtime: None,
        };
        server.start_again().await;
        server
    }

    /// Stops the server at once: its runtime is shut down without waiting,
    /// so requests in flight end where they are (a transaction not yet
    /// committed is rolled back by PostgreSQL when its connection drops).
    pub fn crash(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    /// Starts the server again (after [`Server::crash`]) on its port,
    /// waiting for the port to be free and the server to listen.
    pub async fn start_again(&mut self) {
        self.crash();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (ready, listening) = tokio::sync::oneshot::channel();
        let (addr, url) = (self.addr, self.db_url.clone());
        rt.spawn(async move {
            let pool = crate::pool(&url).unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(10);
            let listener = loop {
                match TcpListener::bind(addr).await {
                    Ok(l) => break l,
                    // The crashed runtime's listener may still be closing.
                    Err(_) if std::time::Instant::now() < deadline => {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    Err(e) => panic!("the server cannot listen on {addr} again: {e}"),
                }
            };
            ready.send(()).unwrap();
            let limit = crate::RateLimit {
                per_second: 1_000_000,
                burst: 1_000_000,
            };
            axum::serve(listener, crate::router_with(pool, limit))
                .await
                .unwrap();
        });
        listening
            .await
            .expect("the server's runtime ended before it listened");
        self.runtime = Some(rt);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.crash();
    }
}
