//! The server's own HTTPS: the real `pharmapos-server serve` binary with a
//! certificate made for the test over a real PostgreSQL (its settings from
//! flags, the environment and a configuration file) answers over https to a
//! client that trusts the CA, refuses one that does not and plain HTTP, and
//! stops cleanly on Ctrl-C; a certificate or key it cannot use stops it
//! before it starts, with one line saying why; `tls::load` names each fault.
//! On SIGHUP it serves a renewed certificate, and keeps the one it has when
//! the new files are unusable.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use pharmapos_server::testing::{Pg, TestPki};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The server binary, killed if still running when dropped.
struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn server() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_pharmapos-server"));
    for var in [
        "PHARMAPOS_SERVER_CONFIG",
        "PHARMAPOS_SERVER_DATABASE_URL",
        "PHARMAPOS_SERVER_LISTEN",
        "PHARMAPOS_SERVER_RATE",
        "PHARMAPOS_SERVER_BURST",
        "PHARMAPOS_SERVER_TLS_CERT",
        "PHARMAPOS_SERVER_TLS_KEY",
        // anyhow would add a backtrace to the one-line error.
        "RUST_BACKTRACE",
        "RUST_LIB_BACKTRACE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("RUST_LOG", "info");
    cmd
}

/// Starts `cmd` and waits for its "listening on" line; answers the server
/// and the URL it printed.
fn start(cmd: Command) -> (Server, String) {
    let (server, url, _log) = start_logged(cmd);
    (server, url)
}

/// [`start`], with the rest of the server's log, line by line.
fn start_logged(mut cmd: Command) -> (Server, String, mpsc::Receiver<String>) {
    let mut child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let server = Server { child };
    let url = loop {
        let line = lines
            .next()
            .expect("the server ended before it listened")
            .unwrap();
        if let Some((_, url)) = line.split_once("listening on ") {
            break url.split_whitespace().next().unwrap().to_string();
        }
    };
    // Keep reading its log so it never blocks on a full pipe.
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (server, url, rx)
}

/// Waits (10 s at most) for a log line containing `needle`.
fn wait_for(log: &mpsc::Receiver<String>, needle: &str) -> String {
    loop {
        let line = log
            .recv_timeout(Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("no log line with '{needle}': {e}"));
        if line.contains(needle) {
            return line;
        }
    }
}

fn client(ca: Option<&Path>) -> reqwest::Client {
    let mut b = reqwest::Client::builder();
    if let Some(ca) = ca {
        let pem = std::fs::read(ca).unwrap();
        for cert in reqwest::Certificate::from_pem_bundle(&pem).unwrap() {
            b = b.add_root_certificate(cert);
        }
    }
    b.build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_https_refuses_the_untrusting_and_stops_on_ctrl_c() {
    let pki = TestPki::new();
    let pg = Pg::start();
    let db = pg.database("server_tls").await;

    // The database and the address from a file; the certificate from the
    // environment; the key by flag.
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("server.toml");
    std::fs::write(
        &conf,
        format!("database_url = \"{db}\"\nlisten = \"127.0.0.1:0\"\nrate = 1000\n"),
    )
    .unwrap();
    let mut cmd = server();
    cmd.arg("--config")
        .arg(&conf)
        .arg("serve")
        .arg("--tls-key")
        .arg(&pki.key)
        .env("PHARMAPOS_SERVER_TLS_CERT", &pki.cert);
    let (mut server, url) = start(cmd);
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");

    // Trusting the CA: served.
    let res = client(Some(&pki.ca))
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.text().await.unwrap(), "ok");

    // Not trusting it (the system's roots, another CA): a certificate error.
    for ca in [None, Some(pki.other_ca.as_path())] {
        let e = client(ca)
            .get(format!("{url}/healthz"))
            .send()
            .await
            .unwrap_err();
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text.push_str(&format!(": {s}"));
            source = s.source();
        }
        assert!(text.contains("certificate"), "{text}");
    }

    // Plain HTTP to the TLS port: no HTTP answer.
    let plain = url.replacen("https://", "http://", 1);
    let r = client(None).get(format!("{plain}/healthz")).send().await;
    assert!(r.is_err(), "{r:?}");

    // The server still serves after those, then stops cleanly on Ctrl-C.
    let res = client(Some(&pki.ca))
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = tokio::task::spawn_blocking(move || server.child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_tls_settings_the_binary_serves_plain_http() {
    let pg = Pg::start();
    let db = pg.database("server_plain").await;
    let mut cmd = server();
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", &db]);
    let (_server, url) = start(cmd);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let res = client(None)
        .get(format!("{url}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sighup_the_binary_serves_a_renewed_certificate_and_keeps_its_own_if_the_new_is_bad() {
    let (first, renewed) = (TestPki::new(), TestPki::new());
    let pg = Pg::start();
    let db = pg.database("server_tls_reload").await;
    let dir = tempfile::tempdir().unwrap();
    let (cert, key) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let install = |c: &Path, k: &Path| {
        std::fs::copy(c, &cert).unwrap();
        std::fs::copy(k, &key).unwrap();
    };
    install(&first.cert, &first.key);
    let mut cmd = server();
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--database-url", &db])
        .arg("--tls-cert")
        .arg(&cert)
        .arg("--tls-key")
        .arg(&key);
    let (server, url, log) = start_logged(cmd);
    let served_to = |ca: &Path| {
        let (ca, url) = (ca.to_path_buf(), url.clone());
        async move {
            client(Some(&ca))
                .get(format!("{url}/healthz"))
                .send()
                .await
                .is_ok()
        }
    };
    let hangup = || {
        let pid = server.child.id().to_string();
        assert!(Command::new("kill")
            .args(["-HUP", &pid])
            .status()
            .unwrap()
            .success());
    };
    assert!(served_to(&first.ca).await);
    assert!(!served_to(&renewed.ca).await);

    // Renewed: the new files in place, then SIGHUP.
    install(&renewed.cert, &renewed.key);
    hangup();
    let line = wait_for(&log, "SIGHUP");
    assert!(line.contains("TLS certificate reloaded"), "{line}");
    assert!(served_to(&renewed.ca).await);
    assert!(!served_to(&first.ca).await);

    // A bad renewal (the key is another certificate's): said, and the
    // certificate in use stays.
    install(&first.cert, &renewed.key);
    hangup();
    let line = wait_for(&log, "SIGHUP");
    assert!(
        line.contains("not reloaded") && line.contains("cannot serve the certificate"),
        "{line}"
    );
    assert!(served_to(&renewed.ca).await);
    assert!(!served_to(&first.ca).await);
}

/// Runs the binary to its end; its exit status and standard error.
fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_certificate_or_key_it_cannot_use_stops_the_binary_before_it_starts() {
    let pki = TestPki::new();
    // The database is never reached: the files are checked first.
    let nowhere = "host=127.0.0.1 port=1 user=nobody dbname=nothing connect_timeout=1";
    let missing = pki.cert.with_file_name("missing.pem");
    let cases: [(&[&Path], &str); 5] = [
        (&[&pki.cert], "TLS needs both a certificate and its key"),
        (&[&missing, &pki.key], "cannot read the TLS certificate"),
        (&[&pki.key, &pki.key], "holds no certificate"),
        (&[&pki.cert, &pki.cert], "holds no usable private key"),
        (&[&pki.cert, &pki.other_key], "cannot serve the certificate"),
    ];
    for (files, expected) in cases {
        let mut cmd = server();
        cmd.args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            nowhere,
        ])
        .arg("--tls-cert")
        .arg(files[0]);
        if let Some(key) = files.get(1) {
            cmd.arg("--tls-key").arg(key);
        }
        let (ok, stderr) = run(&mut cmd);
        assert!(!ok, "{expected}: started");
        assert!(stderr.contains(expected), "{expected}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}

#[test]
fn an_unknown_key_in_the_configuration_file_stops_the_binary_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("server.toml");
    std::fs::write(
        &conf,
        "database_url = \"host=x\"\nlisten_on = \"0.0.0.0:1\"\n",
    )
    .unwrap();
    let mut cmd = server();
    cmd.arg("serve").env("PHARMAPOS_SERVER_CONFIG", &conf);
    let (ok, stderr) = run(&mut cmd);
    assert!(!ok);
    assert!(stderr.contains("unknown field `listen_on`"), "{stderr}");
}

#[test]
fn tls_load_accepts_the_pair_and_names_each_fault() {
    let pki = TestPki::new();
    pharmapos_server::tls::load(&pki.cert, &pki.key).unwrap();
    let garbage = pki.cert.with_file_name("garbage.pem");
    std::fs::write(&garbage, "-----BEGIN CERTIFICATE-----\nnot base64!\n").unwrap();
    let missing = pki.key.with_file_name("missing-key.pem");
    for (cert, key, expected, named) in [
        (&garbage, &pki.key, "is not valid PEM", &garbage),
        (&pki.cert, &missing, "cannot read the TLS key", &missing),
        (
            &pki.cert,
            &pki.other_key,
            "cannot serve the certificate",
            &pki.other_key,
        ),
    ] {
        let e = pharmapos_server::tls::load(cert, key)
            .unwrap_err()
            .to_string();
        assert!(e.contains(expected), "{e}");
        assert!(e.contains(&named.display().to_string()), "{e}");
        assert_eq!(e.lines().count(), 1, "{e}");
    }
}
