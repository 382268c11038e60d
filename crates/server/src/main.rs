//! `pharmapos-server`: migrate the central database, register stores, serve.
//!
//! Settings (`pharmapos_server::config`) come from flags, then the
//! environment (`PHARMAPOS_SERVER_*`), then a TOML file (`--config` or
//! `PHARMAPOS_SERVER_CONFIG`), then defaults: `database_url` (a libpq URL
//! or key=value string), `listen` (default 127.0.0.1:8750), `rate`,
//! `burst`, `tls_cert`, `tls_key` and `read_url` (a streaming replica for
//! head office's read-only views, docs/scaling.md).
//!
//! TLS: with `--tls-cert` and `--tls-key` (both or neither) `serve` speaks
//! HTTPS itself (rustls); a certificate or key it cannot use stops it
//! before it starts, with one line saying why. Without them it speaks
//! plain HTTP, for a reverse proxy that terminates TLS (nginx, Caddy) in
//! front of it. See docs/sync.md.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "pharmapos-server", version, about = "PharmaPOS central server")]
struct Cli {
    /// A TOML file of settings (the keys are the flags' names with `_`);
    /// flags and the environment override it [env: PHARMAPOS_SERVER_CONFIG].
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(flatten)]
    settings: pharmapos_server::config::Layer,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Apply the server's migrations and exit.
    Migrate,
    /// Head office's store directory.
    Store {
        #[command(subcommand)]
        command: StoreCmd,
    },
    /// Head office's admins (the admin API and the web view).
    Admin {
        #[command(subcommand)]
        command: AdminCmd,
    },
    /// Apply the migrations, then serve the sync API (HTTPS with --tls-cert
    /// and --tls-key, else plain HTTP).
    Serve,
}

#[derive(Subcommand)]
enum StoreCmd {
    /// Register a store; prints its secret once (give it to the store's installation).
    Add {
        /// The store's id (its UUID in the store's own database).
        #[arg(long)]
        id: String,
        /// Its name.
        #[arg(long)]
        name: String,
        /// Its short code in the directory (default: from the name).
        #[arg(long)]
        code: Option<String>,
        /// Its IANA time zone (default: UTC).
        #[arg(long)]
        timezone: Option<String>,
        /// Its currency, ISO 4217 (default: NGN).
        #[arg(long)]
        currency: Option<String>,
    },
}

#[derive(Subcommand)]
enum AdminCmd {
    /// Add an admin; prints their token once.
    Add {
        /// Their name (shown in the catalogue's history).
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let cli = Cli::parse();
    let settings =
        pharmapos_server::config::resolve(cli.config.as_deref(), cli.settings, |name: &str| {
            std::env::var_os(name)
        })?;
    let url = settings.database_url.clone();
    match cli.command {
        Cmd::Migrate => pharmapos_server::migrate(&url).await,
        Cmd::Store {
            command:
                StoreCmd::Add {
                    id,
                    name,
                    code,
                    timezone,
                    currency,
                },
        } => {
            pharmapos_server::migrate(&url).await?;
            let pool = pharmapos_server::pool(&url)?;
            let secret = pharmapos_server::register_store(
                &pool,
                &pharmapos_server::NewStore {
                    id: id.clone(),
                    name,
                    code,
                    timezone,
                    currency,
                },
            )
            .await?;
            println!(
                "{}",
                serde_json::json!({"store_id": id.trim(), "secret": secret})
            );
            Ok(())
        }
        Cmd::Admin {
            command: AdminCmd::Add { name },
        } => {
            pharmapos_server::migrate(&url).await?;
            let pool = pharmapos_server::pool(&url)?;
            let token = pharmapos_server::add_admin(&pool, &name).await?;
            println!(
                "{}",
                serde_json::json!({"admin": name.trim(), "token": token})
            );
            Ok(())
        }
        Cmd::Serve => serve(settings).await,
    }
}

async fn serve(settings: pharmapos_server::config::Settings) -> anyhow::Result<()> {
    // A certificate or key the server cannot use stops it before it
    // touches the database or the port.
    let tls = match &settings.tls {
        Some(files) => Some(pharmapos_server::tls::Certificates::open(
            &files.cert,
            &files.key,
        )?),
        None => None,
    };
    pharmapos_server::migrate(&settings.database_url).await?;
    let pool = pharmapos_server::pool(&settings.database_url)?;
    let reads = match &settings.read_url {
        Some(r) => {
            log::info!("head office's views read from the replica (read_url)");
            pharmapos_server::read_pool(r)?
        }
        None => pool.clone(),
    };
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
    let router = pharmapos_server::router_with_reads(pool, reads, settings.limit);
    let shutdown = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            log::warn!("waiting for Ctrl-C: {e}");
        }
    };
    match tls {
        Some(tls) => {
            reload_on_hangup(tls.clone());
            log::info!("listening on https://{}", listener.local_addr()?);
            pharmapos_server::serve_tls(listener, router, tls, shutdown).await?;
        }
        None => {
            log::info!(
                "listening on http://{} (plain HTTP: put a proxy that terminates TLS in front)",
                listener.local_addr()?
            );
            axum::serve(listener, router)
                .with_graceful_shutdown(shutdown)
                .await?;
        }
    }
    Ok(())
}

/// Reads the certificate and key again on each SIGHUP (what a renewal
/// hook such as certbot's `--deploy-hook` sends), saying in the log whether
/// the new one is served or why the previous one still is.
fn reload_on_hangup(tls: std::sync::Arc<pharmapos_server::tls::Certificates>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hangups = match signal(SignalKind::hangup()) {
            Ok(s) => s,
            Err(e) => {
                log::warn!("cannot listen for SIGHUP (the certificate is read at start only): {e}");
                return;
            }
        };
        while hangups.recv().await.is_some() {
            match tls.reload() {
                Ok(()) => log::info!(
                    "SIGHUP: TLS certificate reloaded from {}",
                    tls.cert_path().display()
                ),
                Err(e) => log::error!(
                    "SIGHUP: TLS certificate not reloaded, still serving the previous one: {e}"
                ),
            }
        }
    });
    #[cfg(not(unix))]
    let _ = tls;
}
