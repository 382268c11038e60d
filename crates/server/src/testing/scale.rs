//! Past one box, in tests: the server as a handle that crashes or stops and
//! starts again on the same address (over another database, after a failover),
//! and HAProxy in front of several servers, its configuration in a temp
//! directory, killed when dropped (docs/scaling.md shows the same config).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The server in a runtime of its own, on a fixed address, so that it can
/// crash as a process does ([`Server::crash`]: every task, connection and
/// open transaction dropped at once, wherever it was — a transaction not yet
/// committed is rolled back by PostgreSQL when its connection drops) and
/// serve again on the same address ([`Server::start_again`]), or over
/// another database ([`Server::restart`]) — what an operator does after
/// promoting a replica. Stopped when dropped.
pub struct Server {
    /// Its base URL (`http://127.0.0.1:PORT`), the same across restarts.
    pub url: String,
    addr: SocketAddr,
    db_url: String,
    read_url: Option<String>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Migrates `url`'s database and serves it on a free port; head
    /// office's reads go to `read_url` when given (a replica), else `url`.
    pub async fn start(url: &str, read_url: Option<&str>) -> Server {
        crate::migrate(url).await.unwrap();
        let addr = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        let mut s = Server {
            url: format!("http://{addr}"),
            addr,
            db_url: url.to_string(),
            read_url: read_url.map(str::to_string),
            runtime: None,
        };
        s.start_again().await;
        s
    }

    /// Stops the server at once: its runtime is shut down without waiting,
    /// so requests in flight end where they are.
    pub fn crash(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }

    /// Stops the server and returns once its runtime has ended (every
    /// connection closed): the address refuses connections until
    /// [`Server::start_again`] or [`Server::restart`].
    pub async fn stop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            tokio::task::spawn_blocking(move || rt.shutdown_timeout(Duration::from_secs(10)))
                .await
                .unwrap();
        }
    }

    /// Stops (if running) and serves again on the same address over
    /// `url`'s database (migrated first); head office reads it too.
    pub async fn restart(&mut self, url: &str) {
        self.stop().await;
        crate::migrate(url).await.unwrap();
        self.db_url = url.to_string();
        self.read_url = None;
        self.start_again().await;
    }

    /// Serves again (after [`Server::crash`] or [`Server::stop`]) on its
    /// address, waiting for the address to be free and the server to listen.
    pub async fn start_again(&mut self) {
        self.crash();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (ready, listening) = oneshot::channel();
        let (addr, url, read_url) = (self.addr, self.db_url.clone(), self.read_url.clone());
        rt.spawn(async move {
            let pool = crate::pool(&url).unwrap();
            let reads = match read_url {
                Some(r) => crate::read_pool(&r).unwrap(),
                None => pool.clone(),
            };
            let deadline = Instant::now() + Duration::from_secs(10);
            let listener = loop {
                match TcpListener::bind(addr).await {
                    Ok(l) => break l,
                    // A crashed runtime's listener may still be closing.
                    Err(_) if Instant::now() < deadline => {
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
            axum::serve(listener, crate::router_with_reads(pool, reads, limit))
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

/// HAProxy, round-robin over servers, on a free port of 127.0.0.1; killed
/// when dropped. `HAPROXY_BIN` names its binary, else `/usr/sbin/haproxy`
/// or `haproxy` on the PATH; a test that needs it fails, never skips, when
/// it is missing (scripts/test.sh installs it).
pub struct LoadBalancer {
    /// Its base URL, to give clients instead of a server's.
    pub url: String,
    child: Child,
    _dir: tempfile::TempDir,
}

/// The configuration the tests run, for servers at `backends`
/// (`host:port`), listening on `port`. docs/scaling.md shows it.
pub fn haproxy_config(port: u16, backends: &[&str]) -> String {
    let mut cfg = format!(
        "global
    maxconn 256

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    # A connection refused (a server stopped) is tried again on the other
    # server. Nothing else is retried here: a push whose answer was lost is
    # the sync client's to send again (the server stores it once).
    retries 3
    option redispatch 1

frontend sync
    bind 127.0.0.1:{port}
    default_backend servers

backend servers
    balance roundrobin
    option httpchk GET /healthz
    http-check expect status 200
    default-server check inter 100ms fall 1 rise 1
"
    );
    for (i, b) in backends.iter().enumerate() {
        cfg.push_str(&format!("    server s{i} {b}\n"));
    }
    cfg
}

fn haproxy_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("HAPROXY_BIN") {
        let p = PathBuf::from(p);
        assert!(
            p.is_file(),
            "HAPROXY_BIN names {}, which is not a file",
            p.display()
        );
        return p;
    }
    let mut candidates = vec![PathBuf::from("/usr/sbin/haproxy")];
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path).map(|d| d.join("haproxy")));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!(
                "HAProxy is not installed (apt install haproxy, as scripts/test.sh does): \
             the load-balancer tests need it; or name its binary in HAPROXY_BIN"
            )
        })
}

impl LoadBalancer {
    /// Starts HAProxy in front of the servers at `backends` (their base
    /// URLs, `http://host:port`) and waits until it listens.
    pub async fn haproxy(backends: &[&str]) -> LoadBalancer {
        let bin = haproxy_bin();
        let dir = tempfile::tempdir().unwrap();
        let port = super::free_port();
        let hosts: Vec<&str> = backends
            .iter()
            .map(|b| b.strip_prefix("http://").expect("an http:// server URL"))
            .collect();
        let cfg = dir.path().join("haproxy.cfg");
        std::fs::write(&cfg, haproxy_config(port, &hosts)).unwrap();
        let check = Command::new(&bin)
            .arg("-c")
            .arg("-f")
            .arg(&cfg)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "haproxy refused its configuration: {}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        // -db: in the foreground, so it is this child and dies with it.
        let child = Command::new(&bin)
            .arg("-db")
            .arg("-f")
            .arg(&cfg)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let lb = LoadBalancer {
            url: format!("http://127.0.0.1:{port}"),
            child,
            _dir: dir,
        };
        super::poll("HAProxy to listen", || async {
            tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
        })
        .await;
        lb
    }
}

impl Drop for LoadBalancer {
    fn drop(&mut self) {
        if let Err(e) = self.child.kill() {
            eprintln!("stopping haproxy: {e}");
        }
        if let Err(e) = self.child.wait() {
            eprintln!("waiting for haproxy: {e}");
        }
    }
}
