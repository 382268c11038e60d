//! `pharmapos`: the command-line front end over the shared command layer.
//!
//! For scripting, imports, backups, demos, black-box tests and benchmarks.
//! Results go to stdout as JSON; failures print `{"error":{kind,message,details}}`
//! on stderr and exit non-zero. The acting user is `--user` (the CLI is local
//! tooling on the store PC: whoever can open the file can act as its users).

mod bench;
mod bench_clinic;
mod bench_count;
mod bench_import;
mod bench_reports;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::setup::{initialize, InitRequest};
use pharmapos_engine::{auth, Db, Error};
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "pharmapos",
    version,
    about = "PharmaPOS inventory engine from the command line"
)]
struct Cli {
    /// The store database file.
    #[arg(long, global = true, env = "PHARMAPOS_DB")]
    db: Option<PathBuf>,
    /// The acting user's name.
    #[arg(long, global = true)]
    user: Option<String>,
    /// Fix the clock at this instant (RFC 3339), e.g. 2026-01-01T09:00:00Z.
    #[arg(long, global = true)]
    now: Option<DateTime<Utc>>,
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Create a store database with its first store and admin.
    Init {
        /// Store name.
        #[arg(long)]
        store_name: String,
        /// Store code (default: from the name).
        #[arg(long)]
        store_code: Option<String>,
        /// IANA time zone (default UTC).
        #[arg(long)]
        timezone: Option<String>,
        /// Currency code (default NGN).
        #[arg(long)]
        currency: Option<String>,
        /// BCP 47 locale money, numbers and dates are written in, e.g. en-NG (default en).
        #[arg(long)]
        locale: Option<String>,
        /// The first admin's name.
        #[arg(long)]
        admin: String,
        /// The admin's PIN (4–12 digits).
        #[arg(long)]
        pin: Option<String>,
    },
    /// Make the demo store in --db (a new or empty file; refused otherwise):
    /// "Demo Pharmacy" with sample products, stock and a day of sales. Sign
    /// in as "Demo Admin" 1111, "Demo Manager" 2222 or "Demo Cashier" 3333.
    Demo {
        /// IANA time zone of the demo store (default Africa/Lagos).
        #[arg(long)]
        timezone: Option<String>,
    },
    /// Run one command as --user; JSON request as an argument or `-` for stdin.
    Call {
        /// Command name (see `pharmapos commands`).
        command: String,
        /// Request JSON, or `-` to read it from stdin (default `{}`).
        json: Option<String>,
    },
    /// Verify the audit chain, conservation of stock and SQLite integrity.
    Verify {
        /// A chain head printed on a Z report, `SEQ:HASH` (or
        /// `STORE_ID@SEQ:HASH` in a file with several stores); repeatable.
        /// Verification fails if the record no longer matches the paper.
        #[arg(long = "printed-head", value_name = "SEQ:HASH")]
        printed_heads: Vec<String>,
    },
    /// Copy the database to a new file (online backup, safe while in use),
    /// recorded in each store's chain as done by --user.
    Backup {
        /// Destination file (must not exist).
        dest: PathBuf,
    },
    /// Restore a backup into --db: a file already there is moved aside to
    /// `<db>.before-restore-<time>`, never deleted; the restore is recorded
    /// in each store's chain as done by --user (an admin in the backup).
    Restore {
        /// The backup file.
        backup: PathBuf,
    },
    /// List every command with its permission and request fields.
    Commands,
    /// Sync a store with the central server: configure its server, push its
    /// record, show how far it got.
    Sync {
        #[command(subcommand)]
        command: SyncCmd,
    },
    /// Run the shared benchmark workload (../shared/bench) and print one JSON line.
    Bench(bench::BenchArgs),
    /// Years of a busy med spa's vials and treatments, then time the trace of
    /// a lot (`trace_lot`) and print one JSON line.
    BenchClinic(bench_clinic::ClinicBenchArgs),
    /// A full count of 50,000 batches: record every line, then post it while
    /// a second connection sells, and open the sheet paged; one JSON line.
    BenchCount(bench_count::CountBenchArgs),
    /// On a `bench` file of a million batches: add years of till sales and
    /// stock work through the engine, then time every report (default and
    /// filtered shapes); one JSON line.
    BenchReports(bench_reports::ReportsBenchArgs),
    /// Onboarding from CSV: a 100,000-row catalogue and 1,000,000 rows of
    /// opening stock, previewed and imported; one JSON line.
    BenchImport(bench_import::ImportBenchArgs),
}

#[derive(Subcommand)]
enum SyncCmd {
    /// Set the central server the store pushes to (`configure_sync`, as
    /// --user, an admin of the store).
    Configure {
        /// The store's id.
        #[arg(long)]
        store: String,
        /// The server's base URL, e.g. `https://sync.example.com`.
        #[arg(long)]
        server: String,
    },
    /// Push the store's record to its server, in batches, up to the local
    /// head. The store's secret comes from PHARMAPOS_SYNC_SECRET or
    /// --secret-file; a refusal is printed with whether a retry can help.
    Push {
        /// The store's id.
        #[arg(long)]
        store: String,
        /// A file holding the store's secret (instead of PHARMAPOS_SYNC_SECRET).
        #[arg(long)]
        secret_file: Option<PathBuf>,
        /// A PEM file of CA certificates to trust for an https server besides
        /// the system's (head office's own CA).
        #[arg(long, env = pharmapos_sync::CA_FILE_ENV)]
        ca_file: Option<PathBuf>,
    },
    /// Pull what other stores sent the store through its server (incoming
    /// transfers, receipts of its own, the directory of stores) and apply
    /// it; a change that cannot be applied is kept with its reason. The
    /// secret as for `push`.
    Pull {
        /// The store's id.
        #[arg(long)]
        store: String,
        /// A file holding the store's secret (instead of PHARMAPOS_SYNC_SECRET).
        #[arg(long)]
        secret_file: Option<PathBuf>,
        /// A PEM file of CA certificates to trust for an https server besides
        /// the system's (head office's own CA).
        #[arg(long, env = pharmapos_sync::CA_FILE_ENV)]
        ca_file: Option<PathBuf>,
    },
    /// Push, then pull: what the desktop app's background task does.
    Run {
        /// The store's id.
        #[arg(long)]
        store: String,
        /// A file holding the store's secret (instead of PHARMAPOS_SYNC_SECRET).
        #[arg(long)]
        secret_file: Option<PathBuf>,
        /// A PEM file of CA certificates to trust for an https server besides
        /// the system's (head office's own CA).
        #[arg(long, env = pharmapos_sync::CA_FILE_ENV)]
        ca_file: Option<PathBuf>,
    },
    /// The store's sync status (`get_sync_status`; as --user when given).
    Status {
        /// The store's id.
        #[arg(long)]
        store: String,
    },
}

/// What a sync command needs: the file, the store, its secret and a runtime.
fn sync_parts<'a>(
    cli: &'a Cli,
    store: &str,
    secret_file: Option<&std::path::Path>,
) -> anyhow::Result<(
    &'a std::path::Path,
    pharmapos_engine::ids::StoreId,
    String,
    tokio::runtime::Runtime,
)> {
    let path = cli
        .db
        .as_deref()
        .context("--db FILE (or PHARMAPOS_DB) is required")?;
    let id: pharmapos_engine::ids::StoreId = store.parse()?;
    let secret = sync_secret(secret_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the sync runtime")?;
    Ok((path, id, secret, runtime))
}

/// The store's secret: `--secret-file`, else `PHARMAPOS_SYNC_SECRET`.
fn sync_secret(file: Option<&std::path::Path>) -> Result<String, Error> {
    let secret = match file {
        Some(f) => std::fs::read_to_string(f).map_err(|e| {
            Error::invalid(
                "secret-file",
                format!("cannot read the secret from {}: {e}", f.display()),
            )
        })?,
        None => std::env::var("PHARMAPOS_SYNC_SECRET").unwrap_or_default(),
    };
    let secret = secret.trim().to_string();
    if secret.is_empty() {
        return Err(Error::invalid(
            "secret",
            "the store's sync secret is missing: set PHARMAPOS_SYNC_SECRET or pass --secret-file FILE (head office's `pharmapos-server store add` printed it)",
        ));
    }
    Ok(secret)
}

/// The roots trusted for an https server: the system's, plus the CA file
/// given (`--ca-file` or PHARMAPOS_SYNC_CA_FILE; empty counts as not given).
fn trust(
    ca_file: Option<&std::path::Path>,
) -> Result<pharmapos_sync::Trust, pharmapos_sync::SyncError> {
    match ca_file {
        Some(path) if !path.as_os_str().is_empty() => pharmapos_sync::Trust::with_ca_file(path),
        _ => Ok(pharmapos_sync::Trust::system()),
    }
}

fn sync(cli: &Cli, command: &SyncCmd) -> anyhow::Result<()> {
    match command {
        SyncCmd::Configure { store, server } => {
            let mut db = open(cli)?;
            let user = cli
                .user
                .as_deref()
                .context("--user NAME (an admin of the store) is required for `sync configure`")?;
            let session = auth::session_for_name(&db, user)?;
            let out = pharmapos_commands::dispatch(
                &mut db,
                &session,
                "configure_sync",
                serde_json::json!({"store_id": store, "server_url": server}),
            )?;
            print(&out)
        }
        SyncCmd::Status { store } => {
            let mut db = open(cli)?;
            match cli.user.as_deref() {
                Some(user) => {
                    let session = auth::session_for_name(&db, user)?;
                    let out = pharmapos_commands::dispatch(
                        &mut db,
                        &session,
                        "get_sync_status",
                        serde_json::json!({"store_id": store}),
                    )?;
                    print(&out)
                }
                // The operator's view, like `verify`: whoever can open the file.
                None => {
                    let id: pharmapos_engine::ids::StoreId = store.parse()?;
                    print(&pharmapos_engine::sync::status_of(&mut db, id)?)
                }
            }
        }
        SyncCmd::Push {
            store,
            secret_file,
            ca_file,
        } => {
            let (path, id, secret, runtime) = sync_parts(cli, store, secret_file.as_deref())?;
            let trust = trust(ca_file.as_deref())?;
            print(&runtime.block_on(pharmapos_sync::push_trusting(path, id, &secret, &trust))?)
        }
        SyncCmd::Pull {
            store,
            secret_file,
            ca_file,
        } => {
            let (path, id, secret, runtime) = sync_parts(cli, store, secret_file.as_deref())?;
            let trust = trust(ca_file.as_deref())?;
            print(&runtime.block_on(pharmapos_sync::pull_trusting(path, id, &secret, &trust))?)
        }
        SyncCmd::Run {
            store,
            secret_file,
            ca_file,
        } => {
            let (path, id, secret, runtime) = sync_parts(cli, store, secret_file.as_deref())?;
            let trust = trust(ca_file.as_deref())?;
            print(&runtime.block_on(pharmapos_sync::sync_trusting(path, id, &secret, &trust))?)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Sync's refusals say whether a retry can help.
            let e = match e.downcast::<pharmapos_sync::SyncError>() {
                Ok(sync) => {
                    eprintln!("{}", sync.to_json());
                    return ExitCode::FAILURE;
                }
                Err(other) => other,
            };
            let err = match e.downcast::<Error>() {
                Ok(engine) => engine,
                Err(other) => Error::InvalidInput {
                    message: format!("{other:#}"),
                    field: None,
                },
            };
            eprintln!("{}", err.to_json());
            ExitCode::FAILURE
        }
    }
}

fn open(cli: &Cli) -> anyhow::Result<Db> {
    let path = cli
        .db
        .as_ref()
        .context("--db FILE (or PHARMAPOS_DB) is required")?;
    let mut db = Db::open(path)?;
    if let Some(now) = cli.now {
        db.set_clock(Arc::new(FixedClock(now)));
    }
    Ok(db)
}

/// `SEQ:HASH` or `STORE_ID@SEQ:HASH`, as printed on a Z report.
fn parse_printed_head(
    s: &str,
) -> Result<(Option<pharmapos_engine::ids::StoreId>, i64, String), Error> {
    let bad = || {
        Error::invalid(
            "printed-head",
            format!("'{s}' is not a printed head: write SEQ:HASH, e.g. 42:9f3a1c0b7d2e4f61"),
        )
    };
    let (store, rest) = match s.split_once('@') {
        Some((store, rest)) => (Some(store.parse()?), rest),
        None => (None, s),
    };
    let (seq, hash) = rest.split_once(':').ok_or_else(bad)?;
    let seq = seq
        .trim()
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| bad())?;
    Ok((store, seq, hash.trim().to_string()))
}

/// Prints JSON to stdout; a closed pipe (`| head`) is not an error.
fn print(v: &impl serde::Serialize) -> anyhow::Result<()> {
    use std::io::Write;
    let text = serde_json::to_string_pretty(v)?;
    match writeln!(std::io::stdout().lock(), "{text}") {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match &cli.command {
        Cmd::Init {
            store_name,
            store_code,
            timezone,
            currency,
            locale,
            admin,
            pin,
        } => {
            let mut db = open(&cli)?;
            let res = initialize(
                &mut db,
                InitRequest {
                    store_name: store_name.clone(),
                    store_code: store_code.clone(),
                    timezone: timezone.clone(),
                    currency: currency.clone(),
                    locale: locale.clone(),
                    admin_name: admin.clone(),
                    admin_pin: pin.clone(),
                },
            )?;
            print(&res)
        }
        Cmd::Demo { timezone } => {
            let path = cli
                .db
                .as_deref()
                .context("--db FILE (or PHARMAPOS_DB) names the demo's file")?;
            let mut opts = pharmapos_engine::OpenOptions::default();
            if let Some(now) = cli.now {
                opts.clock = Arc::new(FixedClock(now));
            }
            let request = pharmapos_engine::demo::DemoRequest {
                timezone: timezone.clone(),
            };
            print(&pharmapos_engine::demo::create(path, request, opts)?)
        }
        Cmd::Call { command, json } => {
            let mut db = open(&cli)?;
            let user = cli
                .user
                .as_deref()
                .context("--user NAME is required for `call`")?;
            let session = auth::session_for_name(&db, user)?;
            let text = match json.as_deref() {
                None => "{}".to_string(),
                Some("-") => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .context("reading the request from stdin")?;
                    s
                }
                Some(s) => s.to_string(),
            };
            let input: serde_json::Value =
                serde_json::from_str(if text.trim().is_empty() { "{}" } else { &text }).map_err(
                    |e| Error::InvalidInput {
                        message: format!("the request is not valid JSON: {e}"),
                        field: None,
                    },
                )?;
            if !input.is_object() {
                return Err(Error::InvalidInput {
                    message: "the request must be a JSON object".into(),
                    field: None,
                }
                .into());
            }
            let out = pharmapos_commands::dispatch(&mut db, &session, command, input)?;
            print(&out)
        }
        Cmd::Verify { printed_heads } => {
            let heads = printed_heads
                .iter()
                .map(|h| parse_printed_head(h))
                .collect::<Result<Vec<_>, Error>>()?;
            let mut db = open(&cli)?;
            db.integrity_check()?;
            let report = db.verify_printed(&heads)?;
            print(&report)?;
            if report.ok {
                Ok(())
            } else {
                Err(Error::Conflict {
                    message: format!("verification found {} problem(s)", report.problems.len()),
                }
                .into())
            }
        }
        Cmd::Backup { dest } => {
            let mut db = open(&cli)?;
            let user = cli
                .user
                .as_deref()
                .context("--user NAME is required for `backup` (who took it is recorded)")?;
            let session = auth::session_for_name(&db, user)?;
            print(&db.backup(&session, dest)?)
        }
        Cmd::Restore { backup } => {
            let dest = cli
                .db
                .as_deref()
                .context("--db FILE (or PHARMAPOS_DB) names the file to restore into")?;
            let user = cli
                .user
                .as_deref()
                .context("--user NAME is required for `restore` (who restored is recorded)")?;
            let mut opts = pharmapos_engine::OpenOptions::default();
            if let Some(now) = cli.now {
                opts.clock = Arc::new(FixedClock(now));
            }
            let (_db, report, aside) = Db::restore(backup, dest, user, opts)?;
            print(&serde_json::json!({"restored": report, "previous_file_moved_to": aside}))
        }
        Cmd::Sync { command } => sync(&cli, command),
        Cmd::Commands => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for c in pharmapos_commands::COMMANDS {
                let written = writeln!(
                    out,
                    "{}  [{}{}]\n    {}\n    request:  {}\n    response: {}\n",
                    c.name,
                    c.permission.as_str(),
                    if c.writes { ", writes" } else { "" },
                    c.summary,
                    compact_decl(&(c.request_decl)()),
                    (c.response_name)()
                );
                if written.is_err() {
                    break;
                }
            }
            Ok(())
        }
        Cmd::Bench(args) => bench::run(
            args,
            cli.db
                .as_deref()
                .context("--db FILE is required for `bench`")?,
        ),
        Cmd::BenchClinic(args) => bench_clinic::run(
            args,
            cli.db
                .as_deref()
                .context("--db FILE is required for `bench-clinic`")?,
        ),
        Cmd::BenchCount(args) => bench_count::run(
            args,
            cli.db
                .as_deref()
                .context("--db FILE is required for `bench-count`")?,
        ),
        Cmd::BenchReports(args) => bench_reports::run(
            args,
            cli.db
                .as_deref()
                .context("--db FILE is required for `bench-reports`")?,
        ),
        Cmd::BenchImport(args) => bench_import::run(
            args,
            cli.db
                .as_deref()
                .context("--db FILE is required for `bench-import`")?,
        ),
    }
}

/// `type X = { /** doc */ a: T, b?: U, };` → `{ a: T, b?: U }`.
fn compact_decl(decl: &str) -> String {
    let mut out = String::new();
    let mut rest = decl;
    while let Some(start) = rest.find("/**") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    let body = out.split_once('=').map_or(out.as_str(), |(_, b)| b);
    let flat = body.split_whitespace().collect::<Vec<_>>().join(" ");
    flat.trim_end_matches(';').replace(", }", " }")
}
