//! `pharmapos-server`: migrate the central database, register stores, serve.
//!
//! Configuration comes from flags or the environment:
//! `PHARMAPOS_SERVER_DATABASE_URL` (a libpq URL or key=value string) and
//! `PHARMAPOS_SERVER_LISTEN` (default 127.0.0.1:8750), and for `serve`
//! optionally `PHARMAPOS_SERVER_READ_URL` (a streaming replica for head
//! office's reads, docs/scaling.md). TLS: run it behind a
//! reverse proxy that terminates TLS (nginx, Caddy) until the server takes
//! a certificate itself.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "pharmapos-server", version, about = "PharmaPOS central server")]
struct Cli {
    /// PostgreSQL connection string.
    #[arg(long, global = true, env = "PHARMAPOS_SERVER_DATABASE_URL")]
    database_url: Option<String>,
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
    /// Apply the migrations, then serve the sync API.
    Serve {
        /// Address to listen on.
        #[arg(
            long,
            env = "PHARMAPOS_SERVER_LISTEN",
            default_value = "127.0.0.1:8750"
        )]
        listen: String,
        /// Requests a second each caller (a store, an admin) may make.
        #[arg(long, env = "PHARMAPOS_SERVER_RATE", default_value_t = 50)]
        rate: u32,
        /// Requests a caller may make at once above that rate.
        #[arg(long, env = "PHARMAPOS_SERVER_BURST", default_value_t = 100)]
        burst: u32,
        /// A streaming replica's connection string: head office's read-only
        /// views read there; stores' sync and every write use the primary
        /// (--database-url). Without it, everything uses the primary.
        #[arg(long, env = "PHARMAPOS_SERVER_READ_URL")]
        read_url: Option<String>,
    },
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
    let url = cli
        .database_url
        .ok_or_else(|| anyhow::anyhow!("give --database-url or PHARMAPOS_SERVER_DATABASE_URL"))?;
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
        Cmd::Serve {
            listen,
            rate,
            burst,
            read_url,
        } => {
            pharmapos_server::migrate(&url).await?;
            let pool = pharmapos_server::pool(&url)?;
            let reads = match &read_url {
                Some(r) => {
                    log::info!("head office's views read from the replica (--read-url)");
                    pharmapos_server::read_pool(r)?
                }
                None => pool.clone(),
            };
            let listener = tokio::net::TcpListener::bind(&listen).await?;
            log::info!("listening on {}", listener.local_addr()?);
            let limit = pharmapos_server::RateLimit {
                per_second: rate,
                burst,
            };
            axum::serve(
                listener,
                pharmapos_server::router_with_reads(pool, reads, limit),
            )
            .with_graceful_shutdown(async {
                if let Err(e) = tokio::signal::ctrl_c().await {
                    log::warn!("waiting for Ctrl-C: {e}");
                }
            })
            .await?;
            Ok(())
        }
    }
}
