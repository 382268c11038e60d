//! # pharmapos-sync
//!
//! The client side of sync (issue 13): pushes a store's record from its
//! SQLite file to the central server (`pharmapos-server`) and pulls what is
//! addressed to the store.
//!
//! [`push`] asks the server where the store's record stands (`GET
//! /v1/head`), checks that the server's head is this record's (same hash at
//! that sequence number), then sends the events after it in batches of at
//! most [`MAX_EVENTS_PER_PUSH`], saving each answer's acknowledged position
//! on the store's `sync_links` row before sending the next, until the local
//! head read at the start. Every SQLite step runs on a blocking thread in a
//! short transaction of its own: a batch is read, the read ends, the batch is
//! sent, then the acknowledgement is written, so no SQLite lock is ever held
//! while waiting on the network and the till keeps selling.
//!
//! Delivery is at-least-once, effect exactly-once: the server stores events
//! idempotently, so a batch whose answer was lost is simply sent (or
//! skipped, from the server's head) again. A failure is a [`SyncError`] with
//! the server's kind (or the client's: `unreachable`, `bad_answer`,
//! `chain_diverged`, the engine's kinds) and whether retrying can help; it
//! is noted on `sync_links` for the status screen, the acknowledged
//! position left as it was. [`Backoff`] spaces retries (exponential with
//! full jitter, capped).
//!
//! [`pull`] takes what is addressed to the store — head office's directory
//! of stores, its catalogue, then the store's mailbox (transfers from other
//! files, receipts of its own) — page by page, each page staged in the file
//! together with its cursor, then applies what was staged
//! (`pharmapos_engine::sync::apply_staged`). [`sync`] pushes, pulls, and
//! pushes again what applying wrote. Over the server's rate limit a request
//! waits as long as the server says and is sent again.
//!
//! Over https the server's certificate must chain to a root the PC trusts
//! or to head office's own CA when one is given ([`Trust`]: the file
//! [`CA_FILE_ENV`] names, read by [`push`], [`pull`] and [`sync`]; the
//! `*_trusting` variants take it from the caller). Verification is never
//! turned off; an untrusted server is [`SyncError::Untrusted`].
//!
//! The caller passes the secret: the desktop app's background task keeps it
//! in the OS keyring (`src-tauri/src/secrets.rs`), the CLI reads it from the
//! environment or a file.

#![forbid(unsafe_code)]

use pharmapos_engine::ids::StoreId;
use pharmapos_engine::Db;
use pharmapos_protocol::{
    CataloguePage, Directory, ErrorBody, Head, PullAnswer, PushRequest, RecordEvent,
    INSTALLATION_HEADER, LOCAL_HEAD_HEADER, STORE_HEADER,
};
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use pharmapos_protocol::{MAX_CHANGES_PER_PULL, MAX_EVENTS_PER_PUSH};

mod backoff;
pub use backoff::Backoff;
mod trust;
pub use trust::{Trust, CA_FILE_ENV};

/// Why a push failed, and whether trying again later can help.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The server refused the request (its `{"error": …}` answer).
    #[error("the server refused the push ({kind}): {message}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The server's kind (`unauthenticated`, `store_not_owned`, `chain_broken`, …).
        kind: String,
        /// The server's words.
        message: String,
        /// The server's data.
        details: Value,
        /// The server's verdict on retrying.
        retryable: bool,
    },
    /// No answer: the network is down, the server stopped, the connection
    /// dropped or timed out. Retryable.
    #[error("the server could not be reached: {0}")]
    Unreachable(String),
    /// An answer that is not the protocol's (a proxy's error page, a server
    /// that went back). Retryable: it is not this store's fault.
    #[error("the server's answer was not understood: {0}")]
    BadAnswer(String),
    /// The server holds a record for this store that is not this file's
    /// (more events than here, or another hash at the same place): a file
    /// restored from an older backup, or a rewritten record. Not retryable:
    /// someone must look.
    #[error("{0}")]
    Diverged(String),
    /// The server's certificate does not chain to a root this PC trusts
    /// (nor to head office's CA, if one was given), or is expired or for
    /// another name. Not retryable: someone must give the CA or fix the
    /// certificate.
    #[error("the server's certificate is not trusted: {0} (if head office runs its own certificate authority, give its certificate in PHARMAPOS_SYNC_CA_FILE)")]
    Untrusted(String),
    /// The CA file given to trust cannot be used. Not retryable.
    #[error("the CA file {} cannot be used: {reason}", path.display())]
    CaFile {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The store's own file refused (not configured, not owned here,
    /// storage).
    #[error(transparent)]
    Local(#[from] pharmapos_engine::Error),
}

impl SyncError {
    /// The machine-readable kind.
    pub fn kind(&self) -> &str {
        match self {
            SyncError::Refused { kind, .. } => kind,
            SyncError::Unreachable(_) => "unreachable",
            SyncError::BadAnswer(_) => "bad_answer",
            SyncError::Diverged(_) => "chain_diverged",
            SyncError::Untrusted(_) => "untrusted_server",
            SyncError::CaFile { .. } => "ca_file_unusable",
            SyncError::Local(e) => e.kind(),
        }
    }

    /// Whether sending again later can succeed without anyone acting.
    pub fn retryable(&self) -> bool {
        match self {
            SyncError::Refused { retryable, .. } => *retryable,
            SyncError::Unreachable(_) | SyncError::BadAnswer(_) => true,
            SyncError::Diverged(_) | SyncError::Untrusted(_) | SyncError::CaFile { .. } => false,
            SyncError::Local(e) => e.kind() == "storage",
        }
    }

    /// `{"error": {kind, message, details, retryable}}`, as every other
    /// PharmaPOS error prints.
    pub fn to_json(&self) -> Value {
        let details = match self {
            SyncError::Refused {
                status, details, ..
            } => json!({"status": status, "server": details}),
            SyncError::Local(e) => e.details(),
            SyncError::CaFile { path, .. } => json!({"path": path.display().to_string()}),
            _ => json!({}),
        };
        json!({"error": {
            "kind": self.kind(),
            "message": self.to_string(),
            "details": details,
            "retryable": self.retryable(),
        }})
    }
}

impl From<reqwest::Error> for SyncError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_decode() {
            return SyncError::BadAnswer(e.to_string());
        }
        let mut text = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            text.push_str(&format!(": {s}"));
            source = s.source();
        }
        if trust::certificate_refused(&e) {
            SyncError::Untrusted(text)
        } else {
            // Connect, timeout, reset, incomplete answer: the line, not the store.
            SyncError::Unreachable(text)
        }
    }
}

/// The HTTP side: one store's requests to one server, with the headers the
/// server asks for (the store, this file's installation, the store's
/// secret as a bearer token).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    store: String,
    installation: String,
    secret: String,
}

impl Client {
    /// A client of the server at `base_url` for `store` of `installation`,
    /// trusting the system's roots.
    pub fn new(
        base_url: &str,
        store: StoreId,
        installation: &str,
        secret: &str,
    ) -> Result<Client, SyncError> {
        Client::trusting(base_url, store, installation, secret, &Trust::system())
    }

    /// [`Client::new`] trusting `trust`'s roots for an https server.
    pub fn trusting(
        base_url: &str,
        store: StoreId,
        installation: &str,
        secret: &str,
        trust: &Trust,
    ) -> Result<Client, SyncError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            // Progress, not a deadline (SYNC-NOTES: fixed timeouts were
            // raised again and again): a read may wait this long for bytes.
            .read_timeout(Duration::from_secs(60))
            .user_agent(concat!("pharmapos-sync/", env!("CARGO_PKG_VERSION")));
        let http = trust
            .apply(builder)
            .build()
            .map_err(|e| SyncError::Unreachable(format!("no HTTP client: {e}")))?;
        Ok(Client {
            http,
            base: base_url.trim_end_matches('/').to_string(),
            store: store.to_string(),
            installation: installation.to_string(),
            secret: secret.trim().to_string(),
        })
    }

    /// `GET /v1/head`: how far the server holds the store's record (telling
    /// it the store's own head, for head office's view of the backlog).
    pub async fn head(&self, local_head: i64) -> Result<Head, SyncError> {
        self.send_head(
            self.http
                .get(format!("{}/v1/head", self.base))
                .header(LOCAL_HEAD_HEADER, local_head.to_string()),
        )
        .await
    }

    /// `POST /v1/push` of `events` (at most [`MAX_EVENTS_PER_PUSH`]).
    pub async fn push(&self, events: &[RecordEvent]) -> Result<Head, SyncError> {
        let body = serde_json::to_vec(&PushRequest {
            events: events.to_vec(),
        })
        .map_err(|e| SyncError::BadAnswer(format!("encoding the push: {e}")))?;
        self.send_head(
            self.http
                .post(format!("{}/v1/push", self.base))
                .header("content-type", "application/json")
                .body(body),
        )
        .await
    }

    /// `GET /v1/pull`: at most `limit` changes addressed to the store after `after`.
    pub async fn pull(&self, after: &str, limit: usize) -> Result<PullAnswer, SyncError> {
        let answer: PullAnswer = self
            .send(
                // A cursor is the server's `<digits>.<digits>`: nothing to escape.
                self.http
                    .get(format!("{}/v1/pull?after={after}&limit={limit}", self.base)),
            )
            .await?;
        self.check_store(&answer.store_id)?;
        Ok(answer)
    }

    /// `GET /v1/catalogue`: head office's products changed after `after`.
    pub async fn catalogue(&self, after: &str, limit: usize) -> Result<CataloguePage, SyncError> {
        self.send(self.http.get(format!(
            "{}/v1/catalogue?after={after}&limit={limit}",
            self.base
        )))
        .await
    }

    /// `GET /v1/stores`: the stores of head office's directory registered
    /// or changed after `after`.
    pub async fn directory(&self, after: &str, limit: usize) -> Result<Directory, SyncError> {
        self.send(self.http.get(format!(
            "{}/v1/stores?after={after}&limit={limit}",
            self.base
        )))
        .await
    }

    fn check_store(&self, answered: &str) -> Result<(), SyncError> {
        if answered != self.store {
            return Err(SyncError::BadAnswer(format!(
                "the server answered for store {answered}"
            )));
        }
        Ok(())
    }

    async fn send_head(&self, r: reqwest::RequestBuilder) -> Result<Head, SyncError> {
        let head: Head = self.send(r).await?;
        self.check_store(&head.store_id)?;
        Ok(head)
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        r: reqwest::RequestBuilder,
    ) -> Result<T, SyncError> {
        let mut r = r
            .bearer_auth(&self.secret)
            .header(STORE_HEADER, &self.store)
            .header(INSTALLATION_HEADER, &self.installation);
        // Every request is idempotent: over the server's rate limit, wait as
        // long as it says and send the same request again (a few times),
        // instead of failing a catch-up halfway.
        let mut waits = 0;
        let (status, bytes) = loop {
            let again = r.try_clone();
            let res = r.send().await?;
            let status = res.status();
            let bytes = res.bytes().await?;
            let wait = (status.as_u16() == 429)
                .then(|| serde_json::from_slice::<ErrorBody>(&bytes).ok())
                .flatten()
                .filter(|b| b.error.kind == "rate_limited")
                .and_then(|b| {
                    b.error
                        .details
                        .get("retry_after_ms")
                        .and_then(Value::as_u64)
                });
            match (wait, again) {
                (Some(ms), Some(again)) if waits < 5 => {
                    waits += 1;
                    tokio::time::sleep(Duration::from_millis(ms.clamp(10, 10_000))).await;
                    r = again;
                }
                _ => break (status, bytes),
            }
        };
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| SyncError::BadAnswer(format!("{status}: {e}: {}", snippet(&bytes))));
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(body) => Err(SyncError::Refused {
                status: status.as_u16(),
                kind: body.error.kind,
                message: body.error.message,
                details: body.error.details,
                retryable: body.error.retryable,
            }),
            // A proxy's page or a server error without our body.
            Err(_) if status.is_server_error() || status.as_u16() == 429 => Err(
                SyncError::Unreachable(format!("{status}: {}", snippet(&bytes))),
            ),
            Err(_) => Err(SyncError::BadAnswer(format!(
                "{status}: {}",
                snippet(&bytes)
            ))),
        }
    }
}

fn snippet(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
}

/// What a push did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PushReport {
    /// The store.
    pub store_id: String,
    /// The server pushed to.
    pub server_url: String,
    /// Where the server stood before (its head's sequence number).
    pub server_seq_before: i64,
    /// The last event the server has acknowledged now.
    pub acknowledged_seq: i64,
    /// The local head the push ran up to (read when it started).
    pub local_head_seq: i64,
    /// Requests of events sent.
    pub batches: u32,
    /// Events sent.
    pub events_sent: i64,
    /// Events the server stored for the first time (a resent batch stores none).
    pub events_stored: i64,
    /// Events still to push (written while this push ran).
    pub backlog: i64,
}

/// The store's file, used on a blocking thread one short step at a time.
struct Local {
    db: Option<Db>,
}

impl Local {
    async fn open(path: PathBuf) -> Result<Local, SyncError> {
        let db = blocking(move || Db::open(&path)).await?;
        Ok(Local { db: Some(db) })
    }

    /// Runs `f` on the file on a blocking thread (never on the runtime's).
    async fn with<T: Send + 'static>(
        &mut self,
        f: impl FnOnce(&mut Db) -> pharmapos_engine::Result<T> + Send + 'static,
    ) -> Result<T, SyncError> {
        let mut db = self.db.take().ok_or_else(|| {
            SyncError::BadAnswer("the store file was lost by an earlier step".into())
        })?;
        let (db, out) = tokio::task::spawn_blocking(move || {
            let out = f(&mut db);
            (db, out)
        })
        .await
        .map_err(|e| SyncError::Local(pharmapos_engine::Error::internal(e.to_string())))?;
        self.db = Some(db);
        Ok(out?)
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> pharmapos_engine::Result<T> + Send + 'static,
) -> Result<T, SyncError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| SyncError::Local(pharmapos_engine::Error::internal(e.to_string())))?
        .map_err(SyncError::Local)
}

/// Pushes `store`'s record from the file at `db_path` to the server its
/// sync link names (`configure_sync`), authenticated by the store's
/// `secret`. See the crate's documentation for the steps. A failure after
/// the link was read is noted on the link (`get_sync_status` shows it).
/// The server's certificate is trusted as [`Trust::from_env`] says.
pub async fn push(db_path: &Path, store: StoreId, secret: &str) -> Result<PushReport, SyncError> {
    let mut local = Local::open(db_path.to_path_buf()).await?;
    let trust = from_env(&mut local, store).await?;
    push_with(&mut local, store, secret, &trust).await
}

/// [`push`] trusting `trust`'s roots for an https server.
pub async fn push_trusting(
    db_path: &Path,
    store: StoreId,
    secret: &str,
    trust: &Trust,
) -> Result<PushReport, SyncError> {
    let mut local = Local::open(db_path.to_path_buf()).await?;
    push_with(&mut local, store, secret, trust).await
}

/// [`Trust::from_env`], a failure noted on the store's link.
async fn from_env(local: &mut Local, store: StoreId) -> Result<Trust, SyncError> {
    noted(local, store, Trust::from_env()).await
}

async fn push_with(
    local: &mut Local,
    store: StoreId,
    secret: &str,
    trust: &Trust,
) -> Result<PushReport, SyncError> {
    let start = local
        .with(move |db| pharmapos_engine::sync::push_start(db, store))
        .await?;
    local
        .with(move |db| pharmapos_engine::sync::note_attempt(db, store))
        .await?;
    let outcome = push_from(local, store, secret, trust, &start).await;
    noted(local, store, outcome).await
}

/// Notes a failure on the store's link (the status screen shows it) and
/// passes the outcome on.
async fn noted<T>(
    local: &mut Local,
    store: StoreId,
    outcome: Result<T, SyncError>,
) -> Result<T, SyncError> {
    if let Err(e) = &outcome {
        let (kind, message, retryable) = (e.kind().to_string(), e.to_string(), e.retryable());
        // The original failure is what the caller must see; a failure to
        // note it (the file itself failing) comes second.
        if let Err(noting) = local
            .with(move |db| {
                pharmapos_engine::sync::note_error(db, store, &kind, &message, retryable)
            })
            .await
        {
            log::warn!("the failed push could not be noted on the store's sync link: {noting}");
        }
    }
    outcome
}

async fn push_from(
    local: &mut Local,
    store: StoreId,
    secret: &str,
    trust: &Trust,
    start: &pharmapos_engine::sync::PushStart,
) -> Result<PushReport, SyncError> {
    let client = Client::trusting(
        &start.server_url,
        store,
        &start.installation_id.to_string(),
        secret,
        trust,
    )?;
    let head = client.head(start.local_head_seq).await?;
    // The server's head is where this push starts (an answer lost on the
    // way back leaves it ahead of the link), once it is known to be this
    // record's.
    if head.acknowledged_seq > start.local_head_seq {
        return Err(SyncError::Diverged(format!(
            "the server holds {} events of this store's record but this file only {}: was the file restored from an older backup?",
            head.acknowledged_seq, start.local_head_seq
        )));
    }
    let at = head.acknowledged_seq;
    let local_hash = local
        .with(move |db| pharmapos_engine::sync::hash_at(db, store, at))
        .await?;
    if local_hash.as_deref() != Some(head.head_hash.as_str()) {
        return Err(SyncError::Diverged(format!(
            "event {at} on the server is not this file's event {at}: the store's record here and on the server differ"
        )));
    }
    let mut acked = head.acknowledged_seq;
    if acked != start.acked_seq {
        let hash = head.head_hash.clone();
        local
            .with(move |db| pharmapos_engine::sync::note_ack(db, store, at, &hash))
            .await?;
    }
    let mut report = PushReport {
        store_id: store.to_string(),
        server_url: start.server_url.clone(),
        server_seq_before: head.acknowledged_seq,
        acknowledged_seq: acked,
        local_head_seq: start.local_head_seq,
        batches: 0,
        events_sent: 0,
        events_stored: 0,
        backlog: 0,
    };
    while acked < start.local_head_seq {
        let want = usize::try_from(start.local_head_seq - acked)
            .unwrap_or(MAX_EVENTS_PER_PUSH)
            .min(MAX_EVENTS_PER_PUSH);
        let from = acked;
        let events = local
            .with(move |db| pharmapos_engine::sync::events_after(db, store, from, want))
            .await?;
        if events.is_empty() {
            break;
        }
        let answer = client.push(&events).await?;
        report.batches += 1;
        report.events_sent += events.len() as i64;
        report.events_stored += answer.stored;
        if answer.acknowledged_seq <= acked {
            return Err(SyncError::BadAnswer(format!(
                "the server acknowledged {} after a push from {acked}",
                answer.acknowledged_seq
            )));
        }
        let (seq, hash) = (answer.acknowledged_seq, answer.head_hash.clone());
        local
            .with(move |db| pharmapos_engine::sync::note_ack(db, store, seq, &hash))
            .await
            .map_err(|e| match e {
                // The server's head is not this record's event.
                SyncError::Local(pharmapos_engine::Error::Conflict { message }) => {
                    SyncError::Diverged(message)
                }
                other => other,
            })?;
        acked = answer.acknowledged_seq;
        report.acknowledged_seq = acked;
    }
    let status = local
        .with(move |db| pharmapos_engine::sync::status_of(db, store))
        .await?;
    report.backlog = status.backlog;
    Ok(report)
}

/// What a pull did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PullReport {
    /// The store.
    pub store_id: String,
    /// Where the pull started (the server's cursor).
    pub cursor_before: String,
    /// Where it ended.
    pub cursor: String,
    /// Pages fetched.
    pub pages: u32,
    /// Head office's products received (each at its newest version).
    pub catalogue_received: usize,
    /// Of them, new here.
    pub catalogue_staged: usize,
    /// Changes received (a page fetched again after a lost answer counts again).
    pub changes_received: usize,
    /// Of them, new here.
    pub changes_staged: usize,
    /// Stores of other files added to or changed in the directory here.
    pub directory: pharmapos_engine::sync::DirectoryReport,
    /// Changes applied (this run, including ones that had failed before).
    pub applied: usize,
    /// Changes that could not be applied (kept, tried again next time).
    pub failed: usize,
    /// Why, for each change still failing.
    pub failures: Vec<pharmapos_engine::sync::SyncInboxFailure>,
}

/// Pulls what other stores sent `store` through its server: head office's
/// directory of stores, then every change addressed to the store after its
/// cursor, page by page, each page staged in the file together with the
/// cursor (one short transaction; the network is never waited on inside
/// one), then applies every staged change not applied yet, each in a
/// transaction of its own. A change that cannot be applied is kept with its
/// reason and does not stop the rest; a failure of the line or the server
/// stops the pull, noted on the link, and the next pull resumes from the
/// last staged page.
/// The server's certificate is trusted as [`Trust::from_env`] says.
pub async fn pull(db_path: &Path, store: StoreId, secret: &str) -> Result<PullReport, SyncError> {
    let mut local = Local::open(db_path.to_path_buf()).await?;
    let trust = from_env(&mut local, store).await?;
    pull_with(&mut local, store, secret, &trust).await
}

/// [`pull`] trusting `trust`'s roots for an https server.
pub async fn pull_trusting(
    db_path: &Path,
    store: StoreId,
    secret: &str,
    trust: &Trust,
) -> Result<PullReport, SyncError> {
    let mut local = Local::open(db_path.to_path_buf()).await?;
    pull_with(&mut local, store, secret, trust).await
}

async fn pull_with(
    local: &mut Local,
    store: StoreId,
    secret: &str,
    trust: &Trust,
) -> Result<PullReport, SyncError> {
    let start = local
        .with(move |db| pharmapos_engine::sync::pull_start(db, store))
        .await?;
    let outcome = pull_from(local, store, secret, trust, &start).await;
    noted(local, store, outcome).await
}

async fn pull_from(
    local: &mut Local,
    store: StoreId,
    secret: &str,
    trust: &Trust,
    start: &pharmapos_engine::sync::PullStart,
) -> Result<PullReport, SyncError> {
    let client = Client::trusting(
        &start.server_url,
        store,
        &start.installation_id.to_string(),
        secret,
        trust,
    )?;
    let client = &client;
    let mut directory = pharmapos_engine::sync::DirectoryReport::default();
    drain(
        local,
        store,
        &start.directory_cursor,
        |cursor| async move { client.directory(&cursor, MAX_CHANGES_PER_PULL).await },
        pharmapos_engine::sync::update_directory,
        |done| {
            directory.added += done.added;
            directory.updated += done.updated;
        },
    )
    .await?;
    // Head office's catalogue first: a shipment of a new product then finds
    // the product here.
    let mut catalogue_staged = 0;
    let catalogue = drain(
        local,
        store,
        &start.catalogue_cursor,
        |cursor| async move { client.catalogue(&cursor, MAX_CHANGES_PER_PULL).await },
        pharmapos_engine::sync::stage_catalogue,
        |n| catalogue_staged += n,
    )
    .await?;
    let mut changes_staged = 0;
    let changes = drain(
        local,
        store,
        &start.cursor,
        |cursor| async move { client.pull(&cursor, MAX_CHANGES_PER_PULL).await },
        pharmapos_engine::sync::stage,
        |n| changes_staged += n,
    )
    .await?;
    let mut report = PullReport {
        store_id: store.to_string(),
        cursor_before: start.cursor.clone(),
        cursor: changes.cursor,
        pages: catalogue.pages + changes.pages,
        catalogue_received: catalogue.rows,
        catalogue_staged,
        changes_received: changes.rows,
        changes_staged,
        directory,
        applied: 0,
        failed: 0,
        failures: Vec::new(),
    };
    let applied = local
        .with(move |db| pharmapos_engine::sync::apply_staged(db, store))
        .await?;
    local
        .with(move |db| pharmapos_engine::sync::note_pulled(db, store))
        .await?;
    report.applied = applied.applied;
    report.failed = applied.failed;
    report.failures = applied.failures;
    Ok(report)
}

/// A page of one of the server's feeds (the directory, the catalogue, the
/// mailbox).
trait Page: Send + 'static {
    type Row: Send + 'static;
    fn rows(&self) -> &[Self::Row];
    fn next_cursor(&self) -> &str;
    fn more(&self) -> bool;
}

macro_rules! page {
    ($page:ty, $rows:ident, $row:ty) => {
        impl Page for $page {
            type Row = $row;
            fn rows(&self) -> &[$row] {
                &self.$rows
            }
            fn next_cursor(&self) -> &str {
                &self.next_cursor
            }
            fn more(&self) -> bool {
                self.more
            }
        }
    };
}
page!(Directory, stores, pharmapos_protocol::DirectoryEntry);
page!(CataloguePage, entries, pharmapos_protocol::CatalogueEntry);
page!(PullAnswer, changes, pharmapos_protocol::PulledChange);

/// How the file takes a page of a feed in, with the cursor it ends at
/// (`pharmapos_engine::sync::stage`, `stage_catalogue`, `update_directory`).
type Take<Row, R> = fn(&mut Db, StoreId, &[Row], &str) -> pharmapos_engine::Result<R>;

/// How far [`drain`] read a feed.
struct Drained {
    cursor: String,
    pages: u32,
    rows: usize,
}

/// Reads a feed from `cursor` to its end: each page fetched, then taken in
/// by the file together with the cursor it ends at (`take`, one short
/// transaction; its answer given to `tally`), so a failure midway resumes
/// from the last page taken.
async fn drain<
    P: Page,
    R: Send + 'static,
    F: std::future::Future<Output = Result<P, SyncError>>,
>(
    local: &mut Local,
    store: StoreId,
    cursor: &str,
    fetch: impl Fn(String) -> F,
    take: Take<P::Row, R>,
    mut tally: impl FnMut(R),
) -> Result<Drained, SyncError> {
    let mut at = Drained {
        cursor: cursor.to_string(),
        pages: 0,
        rows: 0,
    };
    loop {
        let page = fetch(at.cursor.clone()).await?;
        at.pages += 1;
        at.rows += page.rows().len();
        if page.rows().is_empty() && page.next_cursor() == at.cursor {
            return Ok(at);
        }
        let (next, more) = (page.next_cursor().to_string(), page.more());
        let taken = local
            .with(move |db| take(db, store, page.rows(), page.next_cursor()))
            .await
            .map_err(bad_local_answer)?;
        tally(taken);
        at.cursor = next;
        if !more {
            return Ok(at);
        }
    }
}

/// The file refusing what the server sent as malformed is the server's
/// fault, not the store's: a bad answer (retryable), nothing staged.
fn bad_local_answer(e: SyncError) -> SyncError {
    match e {
        SyncError::Local(pharmapos_engine::Error::InvalidInput { message, .. }) => {
            SyncError::BadAnswer(message)
        }
        other => other,
    }
}

/// What one sync of a store did: its record up, then what is addressed to it down.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    /// The push.
    pub push: PushReport,
    /// The pull.
    pub pull: PullReport,
}

/// Syncs `store`: pushes its record, then pulls (push always before pull,
/// so the server knows the store's own steps before answering for it).
/// What the pull applied writes events of the store's own (a transfer
/// arrived, a receipt recorded); those are pushed too before this returns,
/// so one sync leaves nothing of the store's behind.
/// The server's certificate is trusted as [`Trust::from_env`] says.
pub async fn sync(db_path: &Path, store: StoreId, secret: &str) -> Result<SyncReport, SyncError> {
    let mut local = Local::open(db_path.to_path_buf()).await?;
    let trust = from_env(&mut local, store).await?;
    sync_with(&mut local, store, secret, &trust).await
}

/// [`sync`] trusting `trust`'s roots for an https server.
pub async fn sync_trusting(
    db_path: &Path,
    store: StoreId,
    secret: &str,
    trust: &Trust,
) -> Result<SyncReport, SyncError> {
    let mut local = Local::open(db_path.to_path_buf()).await?;
    sync_with(&mut local, store, secret, trust).await
}

async fn sync_with(
    local: &mut Local,
    store: StoreId,
    secret: &str,
    trust: &Trust,
) -> Result<SyncReport, SyncError> {
    let mut push = push_with(local, store, secret, trust).await?;
    let pull = pull_with(local, store, secret, trust).await?;
    if pull.applied > 0 {
        let again = push_with(local, store, secret, trust).await?;
        push.batches += again.batches;
        push.events_sent += again.events_sent;
        push.events_stored += again.events_stored;
        push.acknowledged_seq = again.acknowledged_seq;
        push.local_head_seq = again.local_head_seq;
        push.backlog = again.backlog;
    }
    Ok(SyncReport { push, pull })
}
