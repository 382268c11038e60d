//! `pharmapos-server`: the central server stores push their record to
//! (issue 13). axum over PostgreSQL, its schema applied by refinery
//! migrations on start; stateless, so several instances can serve one
//! database.
//!
//! What is here: the store directory (head office registers a store and
//! gets its secret once; the secret is kept as its SHA-256), the binding of
//! a store to the installation that first syncs it (a copied database file
//! cannot push as the same store), and the push of a store's record:
//! idempotent (a repeated batch gets the same answer), verified as it grows
//! (each event's hash recomputed with `pharmapos_protocol`; a break is
//! refused and reported, never stored), bounded in size
//! ([`pharmapos_protocol::MAX_EVENTS_PER_PUSH`], [`MAX_BODY_BYTES`]).
//! Pushes of one store are serialised by a row lock on that store, never a
//! table lock, so stores do not wait for each other.
//!
//! Head office's view (the admin API under `/v1/admin/`, the page at
//! `/ho/`) is in `ho.rs`; see docs/head-office.md.
//!
//! Pull: each store's mailbox (transfers between files, routed on push) and
//! the directory of stores, both gap-free by transaction id (`pull`,
//! `directory`); head office's catalogue (products, vendors) and its feed are
//! in `catalogue.rs`.
//!
//! Limits: a rate per caller ([`limits`]), a body size ([`MAX_BODY_BYTES`])
//! and events per push.
//!
//! Scaling (docs/scaling.md): the event tables are partitioned by store
//! (migration V7); head office's reads can go to a streaming replica
//! ([`router_with_reads`]); several instances can serve one database
//! behind a load balancer.
//!
//! TLS: the server serves HTTPS itself with rustls when given a certificate
//! and key ([`serve_tls`], [`tls`]), or plain HTTP behind a reverse proxy
//! that terminates TLS. Its settings come from flags, the environment and a
//! configuration file ([`config`]).

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::{Manager, ManagerConfig, RecyclingMethod};
use pharmapos_protocol::{
    addressed_to, verify_continuation, Directory, DirectoryEntry, ErrorBody, Head, PullAnswer,
    PulledChange, PushRequest, RecordEvent, WireError, GENESIS_HASH, INSTALLATION_HEADER,
    LOCAL_HEAD_HEADER, MAX_EVENTS_PER_PUSH, STORE_HEADER,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use tokio_postgres::NoTls;

/// The largest request body accepted (a full push of
/// [`MAX_EVENTS_PER_PUSH`] events with payloads fits well inside).
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

mod admin;
pub use admin::{add_admin, require_admin};
/// The server's connection pool (what [`pool`] makes).
pub use deadpool_postgres::Pool;
mod catalogue;
mod feed;
pub use catalogue::{publish_product, publish_vendor, ProductInput, VendorInput};
use feed::{feed_query, FeedPage};
mod ho;
pub mod limits;
pub use limits::RateLimit;
pub mod config;
pub mod tls;
pub use tls::serve_tls;

#[cfg(feature = "testing")]
pub mod testing;

mod embedded {
    refinery::embed_migrations!("migrations");
}

/// Applies the server's migrations to the database at `url`.
pub async fn migrate(url: &str) -> anyhow::Result<()> {
    let (mut client, connection) = tokio_postgres::connect(url, NoTls).await?;
    let conn = tokio::spawn(connection);
    embedded::migrations::runner()
        .run_async(&mut client)
        .await?;
    drop(client);
    conn.await??;
    Ok(())
}

/// A connection pool to the database at `url`.
pub fn pool(url: &str) -> anyhow::Result<Pool> {
    pool_of(url.parse()?)
}

/// A pool for head office's reads, to a streaming replica at `url`
/// (`serve --read-url`). Its sessions are read-only
/// (`default_transaction_read_only`), so a write sent to it by mistake is
/// refused even when `url` names a primary, rather than made on the wrong
/// server.
pub fn read_pool(url: &str) -> anyhow::Result<Pool> {
    let mut config: tokio_postgres::Config = url.parse()?;
    let options = match config.get_options() {
        Some(o) => format!("{o} -c default_transaction_read_only=on"),
        None => "-c default_transaction_read_only=on".to_string(),
    };
    config.options(&options);
    pool_of(config)
}

fn pool_of(config: tokio_postgres::Config) -> anyhow::Result<Pool> {
    let manager = Manager::from_config(
        config,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Ok(Pool::builder(manager).max_size(16).build()?)
}

pub(crate) fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A store as head office registers it.
#[derive(Clone, Debug)]
pub struct NewStore {
    /// The store's id (its UUID in its own database).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its short code; made from the name when not given.
    pub code: Option<String>,
    /// Its IANA time zone (`UTC` when not given).
    pub timezone: Option<String>,
    /// Its currency, ISO 4217 (`NGN` when not given, as in the store app).
    pub currency: Option<String>,
}

/// Registers a store (its id is the store's id in its own database) and
/// returns its secret, which is shown this once and stored only hashed.
pub async fn add_store(pool: &Pool, id: &str, name: &str) -> anyhow::Result<String> {
    register_store(
        pool,
        &NewStore {
            id: id.into(),
            name: name.into(),
            code: None,
            timezone: None,
            currency: None,
        },
    )
    .await
}

/// Registers a store and returns its secret (shown once, stored hashed).
/// Refused when the id is not a UUID, the id or the code is already
/// registered, or the code, time zone or currency is malformed.
pub async fn register_store(pool: &Pool, s: &NewStore) -> anyhow::Result<String> {
    let id = uuid::Uuid::parse_str(s.id.trim())
        .map_err(|_| {
            anyhow::anyhow!(
                "the store id must be the store's UUID, e.g. from `pharmapos call list_stores`"
            )
        })?
        .to_string();
    let name = s.name.trim();
    anyhow::ensure!(!name.is_empty(), "give the store a name");
    let code = match s.code.as_deref().map(str::trim) {
        Some(c) => c.to_ascii_uppercase(),
        None => name
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(8)
            .collect::<String>()
            .to_ascii_uppercase(),
    };
    anyhow::ensure!(
        !code.is_empty()
            && code.len() <= 32
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
        "the store code must be 1 to 32 letters, digits or '-'"
    );
    let timezone = s.timezone.as_deref().unwrap_or("UTC").trim().to_string();
    anyhow::ensure!(
        timezone.parse::<chrono_tz::Tz>().is_ok(),
        "'{timezone}' is not an IANA time zone (e.g. Africa/Lagos)"
    );
    let currency = s
        .currency
        .as_deref()
        .unwrap_or("NGN")
        .trim()
        .to_ascii_uppercase();
    anyhow::ensure!(
        currency.len() == 3 && currency.chars().all(|c| c.is_ascii_uppercase()),
        "'{currency}' is not an ISO 4217 currency code (e.g. NGN)"
    );
    let mut raw = [0u8; 32];
    getrandom::fill(&mut raw).map_err(|e| anyhow::anyhow!("no randomness for the secret: {e}"))?;
    let secret = hex::encode(raw);
    let client = pool.get().await?;
    let taken = client
        .query_opt(
            "SELECT id FROM stores WHERE id = $1 OR code = $2",
            &[&id, &code],
        )
        .await?;
    if let Some(row) = taken {
        let other: String = row.get(0);
        anyhow::bail!(if other == id {
            format!("store {id} is already registered")
        } else {
            format!("the code {code} is already another store's; give --code")
        });
    }
    let inserted = client
        .execute(
            "INSERT INTO stores (id, name, code, timezone, currency, secret_sha256, head_hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            &[
                &id,
                &name,
                &code,
                &timezone,
                &currency,
                &sha256_hex(&secret),
                &GENESIS_HASH,
            ],
        )
        .await?;
    anyhow::ensure!(
        inserted == 1,
        "store {id} or code {code} is already registered"
    );
    Ok(secret)
}

/// The HTTP routes, with the default rate limit per caller.
pub fn router(pool: Pool) -> Router {
    router_with(pool, RateLimit::default())
}

/// The HTTP routes with `limit` per caller ([`limits`]).
pub fn router_with(pool: Pool, limit: RateLimit) -> Router {
    router_with_reads(pool.clone(), pool, limit)
}

/// The HTTP routes with head office's read-only views (`/v1/admin/stores`,
/// `…/verify`, `…/stock`, `…/events`, `…/change-types`) on `reads` (a
/// streaming replica's [`read_pool`]) and everything else — stores' push
/// and pull, the catalogue, every write — on `pool`, the primary. Head
/// office then sees what the replica has replayed, a moment behind.
pub fn router_with_reads(pool: Pool, reads: Pool, limit: RateLimit) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/v1/head", get(head))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/stores", get(directory))
        .merge(catalogue::routes())
        .merge(ho::routes().with_state(reads))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(pool)
        .layer(axum::middleware::from_fn_with_state(
            limits::Limiter::new(limit),
            limits::limit,
        ))
}

/// A refusal, as every client reads it.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    body: WireError,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: WireError {
                kind: kind.into(),
                message: message.into(),
                details: json!({}),
                retryable: status.is_server_error(),
            },
        }
    }

    /// Marks the refusal as one a later retry can get past (a 4xx that is
    /// not the caller's fault, e.g. a rate limit).
    pub(crate) fn retryable(mut self) -> Self {
        self.body.retryable = true;
        self
    }

    pub(crate) fn with(mut self, details: serde_json::Value) -> Self {
        self.body.details = details;
        self
    }

    fn unauthenticated() -> Self {
        // One answer for an unknown store and a wrong secret: nothing to probe.
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "unknown store or wrong secret",
        )
    }
}

impl From<tokio_postgres::Error> for ApiError {
    fn from(e: tokio_postgres::Error) -> Self {
        log::warn!("database: {e}");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database did not answer; try again",
        )
    }
}

impl From<deadpool_postgres::PoolError> for ApiError {
    fn from(e: deadpool_postgres::PoolError) -> Self {
        log::warn!("database pool: {e}");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database did not answer; try again",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(ErrorBody { error: self.body })).into_response()
    }
}

/// Who is calling: the store, its installation and its secret.
pub(crate) struct Caller {
    store_id: String,
    installation_id: String,
    secret: String,
}

pub(crate) fn caller(headers: &HeaderMap) -> Result<Caller, ApiError> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let secret = text("authorization")
        .and_then(|a| a.strip_prefix("Bearer ").map(str::to_string))
        .ok_or_else(ApiError::unauthenticated)?;
    let store_id = text(STORE_HEADER).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("name the store in the {STORE_HEADER} header"),
        )
    })?;
    let installation_id = text(INSTALLATION_HEADER).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("name the installation in the {INSTALLATION_HEADER} header"),
        )
    })?;
    Ok(Caller {
        store_id,
        installation_id,
        secret,
    })
}

/// The store's row, locked for this transaction when `lock`.
pub(crate) struct StoreRow {
    installation_id: Option<String>,
    acked_seq: i64,
    head_hash: String,
}

/// Checks the caller's secret and installation. The first sync binds the
/// store to the installation that makes it; after that any other
/// installation (a copied file, a second PC) is refused.
pub(crate) async fn authenticate(
    tx: &tokio_postgres::Transaction<'_>,
    who: &Caller,
    lock: bool,
) -> Result<StoreRow, ApiError> {
    let sql = if lock {
        "SELECT secret_sha256, installation_id, acked_seq, head_hash FROM stores WHERE id = $1 FOR UPDATE"
    } else {
        "SELECT secret_sha256, installation_id, acked_seq, head_hash FROM stores WHERE id = $1"
    };
    let row = tx
        .query_opt(sql, &[&who.store_id])
        .await?
        .ok_or_else(ApiError::unauthenticated)?;
    let want: String = row.get(0);
    if !same(&want, &sha256_hex(&who.secret)) {
        return Err(ApiError::unauthenticated());
    }
    let installation: Option<String> = row.get(1);
    match &installation {
        Some(owner) if *owner != who.installation_id => {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "store_not_owned",
                "this store syncs from another installation; a copied database cannot push as it",
            )
            .with(json!({"store": who.store_id, "owner": owner})))
        }
        Some(_) => {}
        None if lock => {
            tx.execute(
                "UPDATE stores SET installation_id = $2, bound_at = now() WHERE id = $1",
                &[&who.store_id, &who.installation_id],
            )
            .await?;
        }
        None => {}
    }
    Ok(StoreRow {
        installation_id: installation.or_else(|| lock.then(|| who.installation_id.clone())),
        acked_seq: row.get(2),
        head_hash: row.get(3),
    })
}

/// Compares two hex digests in time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

async fn head(State(pool): State<Pool>, headers: HeaderMap) -> Result<Json<Head>, ApiError> {
    let who = caller(&headers)?;
    let mut client = pool.get().await?;
    let tx = client.transaction().await?;
    let row = authenticate(&tx, &who, false).await?;
    // The store's own head, when it says (head office's view shows the backlog).
    if let Some(local) = headers
        .get(LOCAL_HEAD_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|v| *v >= 0)
    {
        tx.execute(
            // Written only when it moved: most heads repeat the last one.
            "UPDATE stores SET reported_head = $2 WHERE id = $1 AND reported_head IS DISTINCT FROM $2",
            &[&who.store_id, &local],
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Json(Head {
        store_id: who.store_id,
        acknowledged_seq: row.acked_seq,
        head_hash: row.head_hash,
        stored: 0,
    }))
}

async fn push(
    State(pool): State<Pool>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Head>, ApiError> {
    let who = caller(&headers)?;
    let request: PushRequest = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("the push is not a list of events: {e}"),
        )
    })?;
    if request.events.len() > MAX_EVENTS_PER_PUSH {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            format!("at most {MAX_EVENTS_PER_PUSH} events per push"),
        )
        .with(json!({"max_events": MAX_EVENTS_PER_PUSH})));
    }
    let mut client = pool.get().await?;
    let outcome = store_events(&mut client, &who, &request.events).await;
    if let Err(e) = &outcome {
        // Head office sees why a store's pushes fail (not for wrong
        // secrets: that would let anyone write into a store's row).
        if !matches!(e.body.kind.as_str(), "unauthenticated" | "unavailable") {
            let note = format!("{}: {}", e.body.kind, e.body.message);
            if let Err(db) = client
                .execute(
                    "UPDATE stores SET last_error = $2, last_error_at = now() WHERE id = $1",
                    &[&who.store_id, &note],
                )
                .await
            {
                log::warn!("recording a refused push of {}: {db}", who.store_id);
            }
        }
    }
    outcome.map(Json)
}

fn event_of(r: &tokio_postgres::Row) -> RecordEvent {
    RecordEvent {
        format: r.get(0),
        id: r.get(1),
        store_id: r.get(2),
        installation_id: r.get(3),
        seq: r.get(4),
        batch_id: r.get(5),
        product_id: r.get(6),
        change_type: r.get(7),
        previous_milli: r.get(8),
        new_milli: r.get(9),
        user_id: r.get(10),
        reference_id: r.get(11),
        notes: r.get(12),
        created_at: r.get(13),
        batch_prev_seq: r.get(14),
        payload: r.get(15),
        hash: r.get(16),
    }
}

/// Stores a push in one transaction: the store's row locked, events the
/// server already holds checked to be the same, the rest verified as the
/// chain's continuation and inserted, the head moved.
async fn store_events(
    client: &mut deadpool_postgres::Client,
    who: &Caller,
    events: &[RecordEvent],
) -> Result<Head, ApiError> {
    let tx = client.transaction().await?;
    let row = authenticate(&tx, who, true).await?;
    let (known, new): (Vec<&RecordEvent>, Vec<&RecordEvent>) =
        events.iter().partition(|e| e.seq <= row.acked_seq);
    // A retried batch: what the server holds must be exactly what comes again.
    if !known.is_empty() {
        let seqs: Vec<i64> = known.iter().map(|e| e.seq).collect();
        let held = tx
            .query(
                "SELECT format, id, store_id, installation_id, seq, batch_id, product_id, change_type, previous_milli,
                        new_milli, user_id, reference_id, notes, created_at, batch_prev_seq, payload, hash
                   FROM record_events WHERE store_id = $1 AND seq = ANY($2)",
                &[&who.store_id, &seqs],
            )
            .await?;
        let held: Vec<RecordEvent> = held.iter().map(event_of).collect();
        for e in &known {
            // Every field, not only the hash: a rewritten event that kept
            // its old hash is a divergence too.
            if !held.iter().any(|h| h == *e) {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "chain_diverged",
                    format!(
                        "event {} differs from the one the server holds: this store's record was rewritten",
                        e.seq
                    ),
                )
                .with(json!({"seq": e.seq})));
            }
        }
    }
    let new: Vec<RecordEvent> = new.into_iter().cloned().collect();
    if let Some(e) = new.iter().find(|e| {
        e.installation_id
            .as_deref()
            .is_some_and(|i| Some(i) != row.installation_id.as_deref())
    }) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "chain_broken",
            format!("event {} was written by another installation", e.seq),
        )
        .with(json!({"seq": e.seq})));
    }
    let head_hash = verify_continuation(&who.store_id, row.acked_seq, &row.head_hash, &new)
        .map_err(|b| {
            ApiError::new(StatusCode::CONFLICT, "chain_broken", b.reason)
                .with(json!({"seq": b.seq, "expected_seq": row.acked_seq + 1}))
        })?;
    // Who must hear of each new event (a shipment, a receipt): a routed
    // event that names nobody would never arrive, so it is refused.
    let mut deliveries: Vec<(String, &RecordEvent)> = Vec::new();
    for e in &new {
        if let Some(to) = addressed_to(e).map_err(|reason| {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", reason)
                .with(json!({"seq": e.seq}))
        })? {
            deliveries.push((to, e));
        }
    }
    // One statement for the whole batch (a column array each, unnested),
    // not a round trip per event: the batch is at most MAX_EVENTS_PER_PUSH.
    if !new.is_empty() {
        let text = |f: fn(&RecordEvent) -> Option<&str>| -> Vec<Option<&str>> {
            new.iter().map(f).collect()
        };
        let int = |f: fn(&RecordEvent) -> Option<i64>| -> Vec<Option<i64>> {
            new.iter().map(f).collect()
        };
        tx.execute(
            "INSERT INTO record_events (store_id, seq, id, format, installation_id, batch_id, product_id, change_type,
                                        previous_milli, new_milli, user_id, reference_id, notes, created_at,
                                        batch_prev_seq, payload, hash)
             SELECT * FROM unnest($1::text[], $2::int8[], $3::text[], $4::int8[], $5::text[], $6::text[],
                                  $7::text[], $8::text[], $9::int8[], $10::int8[], $11::text[], $12::text[],
                                  $13::text[], $14::text[], $15::int8[], $16::text[], $17::text[])",
            &[
                &text(|e| Some(&e.store_id)),
                &int(|e| Some(e.seq)),
                &text(|e| Some(&e.id)),
                &int(|e| Some(e.format)),
                &text(|e| e.installation_id.as_deref()),
                &text(|e| e.batch_id.as_deref()),
                &text(|e| e.product_id.as_deref()),
                &text(|e| Some(&e.change_type)),
                &int(|e| e.previous_milli),
                &int(|e| e.new_milli),
                &text(|e| Some(&e.user_id)),
                &text(|e| e.reference_id.as_deref()),
                &text(|e| e.notes.as_deref()),
                &text(|e| Some(&e.created_at)),
                &int(|e| e.batch_prev_seq),
                &text(|e| e.payload.as_deref()),
                &text(|e| Some(&e.hash)),
            ],
        )
        .await?;
    }
    if !deliveries.is_empty() {
        let deliver = tx
            .prepare(
                "INSERT INTO mailbox (to_store_id, from_store_id, event_id, change_type, event)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (to_store_id, event_id) DO NOTHING",
            )
            .await?;
        for (to, e) in &deliveries {
            let text = serde_json::to_string(e).map_err(|err| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    format!("encoding event {}: {err}", e.seq),
                )
            })?;
            tx.execute(&deliver, &[to, &e.store_id, &e.id, &e.change_type, &text])
                .await?;
        }
    }
    let acked = row.acked_seq + new.len() as i64;
    tx.execute(
        "UPDATE stores SET acked_seq = $2, head_hash = $3, last_push_at = now(), last_error = NULL,
                last_error_at = NULL WHERE id = $1",
        &[&who.store_id, &acked, &head_hash],
    )
    .await?;
    tx.commit().await?;
    Ok(Head {
        store_id: who.store_id.clone(),
        acknowledged_seq: acked,
        head_hash,
        stored: new.len() as i64,
    })
}

/// The parameters of every feed (`GET /v1/pull`, `/v1/stores`, `/v1/catalogue`).
#[derive(Debug, serde::Deserialize)]
pub(crate) struct PullQuery {
    /// The last row taken ([`pharmapos_protocol::PULL_START`] for none).
    pub(crate) after: Option<String>,
    /// Most rows wanted (at most [`pharmapos_protocol::MAX_CHANGES_PER_PULL`]).
    pub(crate) limit: Option<usize>,
}

/// The changes addressed to the caller after its cursor, gap-free and
/// across failovers as every feed is (`feed.rs`).
async fn pull(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Json<PullAnswer>, ApiError> {
    let who = caller(&headers)?;
    let page = FeedPage::new(q.after, q.limit, "pull")?;
    let mut client = pool.get().await?;
    let (tx, page) = page.open(&mut client, &who).await?;
    let rows = tx
        .query(
            &format!(
                "SELECT xid::text, id, event FROM ({}) f ORDER BY xid, id LIMIT $5",
                feed_query(
                    "xid, id, event",
                    "mailbox",
                    "to_store_id = $1",
                    ["xid", "id", "tl"],
                    2
                )
            ),
            &[
                &who.store_id,
                &page.xid,
                &page.id,
                &page.since,
                &page.fetch(),
            ],
        )
        .await?;
    tx.commit().await?;
    // For head office's view: when each store last asked.
    client
        .execute(
            "UPDATE stores SET last_pull_at = now() WHERE id = $1",
            &[&who.store_id],
        )
        .await?;
    let more = rows.len() > page.limit;
    let mut changes = Vec::with_capacity(rows.len().min(page.limit));
    for r in rows.iter().take(page.limit) {
        let (x, i, text): (&str, i64, &str) = (r.get(0), r.get(1), r.get(2));
        let event: RecordEvent = serde_json::from_str(text).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                format!("a stored change cannot be read: {e}"),
            )
        })?;
        changes.push(PulledChange {
            cursor: page.cursor(x, i),
            event,
        });
    }
    let next_cursor = page.next(changes.last().map(|c| &c.cursor));
    Ok(Json(PullAnswer {
        store_id: who.store_id,
        changes,
        next_cursor,
        more,
    }))
}

/// Head office's directory of stores, for any registered store: what a
/// store needs to address a transfer to another.
async fn directory(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Query(q): Query<PullQuery>,
) -> Result<Json<Directory>, ApiError> {
    let who = caller(&headers)?;
    let page = FeedPage::new(q.after, q.limit, "directory")?;
    let mut client = pool.get().await?;
    let (tx, page) = page.open(&mut client, &who).await?;
    let rows = tx
        .query(
            &format!(
                "SELECT id, code, name, timezone, currency, dir_xid::text, dir_seq FROM ({}) f
                  ORDER BY dir_xid, dir_seq LIMIT $4",
                feed_query(
                    "id, code, name, timezone, currency, dir_xid, dir_seq",
                    "stores",
                    "TRUE",
                    ["dir_xid", "dir_seq", "dir_tl"],
                    1
                )
            ),
            &[&page.xid, &page.id, &page.since, &page.fetch()],
        )
        .await?;
    tx.commit().await?;
    let more = rows.len() > page.limit;
    let rows = &rows[..rows.len().min(page.limit)];
    let next_cursor = page.next(
        rows.last()
            .map(|r| page.cursor(r.get(5), r.get(6)))
            .as_ref(),
    );
    Ok(Json(Directory {
        stores: rows
            .iter()
            .map(|r| DirectoryEntry {
                id: r.get(0),
                code: r.get(1),
                name: r.get(2),
                timezone: r.get(3),
                currency: r.get(4),
            })
            .collect(),
        next_cursor,
        more,
    }))
}
