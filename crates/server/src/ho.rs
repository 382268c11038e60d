//! Head office's view (issue 13): the admin JSON API under `/v1/admin/…`
//! and the web page that reads it (`/ho/`, in [`page`]).
//!
//! What head office sees, all of it read from what stores pushed (the
//! `stores` row and `record_events`), never from a store's own tables:
//! each store's sync (acknowledged head, backlog when the store reported
//! its head, last push, pull and refusal), the store's chain recomputed on
//! the server, stock rebuilt from the events (per batch, the newest event
//! that set its quantity; summed per store and product), and the audit
//! trail across stores, newest first, filtered and searched.
//!
//! Every route needs an admin token ([`crate::require_admin`]); a store's
//! secret opens none of them. Refusals are [`ApiError`]s
//! (`{"error": {kind, message, details, retryable}}`); bad input is a 400
//! and an unknown store a 404, never a panic. Quantities travel as exact
//! decimal strings (`"12.5"`), computed from thousandths in integers.
//! Reads that span several queries run in one read-only REPEATABLE READ
//! transaction, so they see one moment of the database.
//!
//! Shaped for a chain of stores, not one: stock is one SQL pass
//! (`DISTINCT ON` over a partial index, migration V4), the trail is
//! keyset-paged on `(received_at, store_id, seq)`, and verifying a chain
//! streams it in chunks of [`VERIFY_CHUNK`] events.

use crate::{event_of, require_admin, ApiError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use deadpool_postgres::{Pool, Transaction};
use pharmapos_protocol::{verify_continuation, GENESIS_HASH};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio_postgres::types::ToSql;

mod page;

/// Events read per query when a chain is verified: the whole record is
/// never held in memory.
pub const VERIFY_CHUNK: i64 = 5_000;
/// Most products per page of stock.
pub const MAX_STOCK_PAGE: i64 = 500;
/// Most events per page of the trail.
pub const MAX_EVENTS_PAGE: i64 = 200;

/// The admin API's routes and the web page's.
pub(crate) fn routes() -> Router<Pool> {
    Router::new()
        .route("/v1/admin/stores", get(stores))
        .route("/v1/admin/stores/{id}/verify", get(verify))
        .route("/v1/admin/stock", get(stock))
        .route("/v1/admin/events", get(events))
        .route("/v1/admin/change-types", get(change_types))
        .merge(page::routes())
}

/// An instant column as RFC 3339 text in UTC, to the millisecond.
fn ts(col: &str) -> String {
    format!("to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
}

/// Thousandths as an exact decimal string: `12500` → `"12.5"`.
pub fn milli_text(milli: i128) -> String {
    let sign = if milli < 0 { "-" } else { "" };
    let abs = milli.unsigned_abs();
    let (whole, frac) = (abs / 1000, abs % 1000);
    if frac == 0 {
        format!("{sign}{whole}")
    } else {
        let frac = format!("{frac:03}");
        format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message)
}

fn unknown_store(id: &str) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no store {id} is registered"),
    )
    .with(json!({"store_id": id}))
}

/// The query string, once the caller is known to be an admin: a query
/// that cannot be read is bad input, in the API's own error shape.
fn params<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, ApiError> {
    q.map(|Query(t)| t).map_err(|e| {
        invalid(format!(
            "the query string cannot be read: {}",
            e.body_text()
        ))
    })
}

/// An optional whole number in `min..=max`, `default` when absent.
fn number(
    value: Option<&str>,
    name: &str,
    default: i64,
    min: i64,
    max: i64,
) -> Result<i64, ApiError> {
    let Some(text) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(default);
    };
    match text.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(
            invalid(format!("{name} must be a whole number from {min} to {max}"))
                .with(json!({"field": name, "min": min, "max": max})),
        ),
    }
}

/// An optional filter: absent or blank is no filter.
fn filter(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

async fn read_only(client: &mut deadpool_postgres::Client) -> Result<Transaction<'_>, ApiError> {
    Ok(client
        .build_transaction()
        .read_only(true)
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .start()
        .await?)
}

async fn store_exists(tx: &Transaction<'_>, id: &str) -> Result<(), ApiError> {
    match tx
        .query_opt("SELECT 1 FROM stores WHERE id = $1", &[&id])
        .await?
    {
        Some(_) => Ok(()),
        None => Err(unknown_store(id)),
    }
}

/// A store as head office sees it.
#[derive(Debug, Serialize)]
pub struct StoreView {
    /// The store's id.
    pub id: String,
    /// Its code in the directory.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone.
    pub timezone: String,
    /// Its currency.
    pub currency: String,
    /// The installation it is bound to (none before its first push).
    pub installation_id: Option<String>,
    /// When it was bound.
    pub bound_at: Option<String>,
    /// The last event the server acknowledged.
    pub acked_seq: i64,
    /// The hash of that event.
    pub head_hash: String,
    /// The store's own head as it last reported it (unknown until it does).
    pub reported_head: Option<i64>,
    /// Events the store holds that the server does not yet, when known.
    pub backlog: Option<i64>,
    /// The last successful push.
    pub last_push_at: Option<String>,
    /// The last pull.
    pub last_pull_at: Option<String>,
    /// Why the last push was refused (cleared by the next success).
    pub last_error: Option<String>,
    /// When.
    pub last_error_at: Option<String>,
    /// Events the server holds for it.
    pub events: i64,
}

/// `GET /v1/admin/stores`.
#[derive(Debug, Serialize)]
pub struct StoresAnswer {
    /// Every store, by code.
    pub stores: Vec<StoreView>,
}

async fn stores(
    State(pool): State<Pool>,
    headers: HeaderMap,
) -> Result<Json<StoresAnswer>, ApiError> {
    require_admin(&pool, &headers).await?;
    let client = pool.get().await?;
    let sql = format!(
        "SELECT s.id, s.code, s.name, s.timezone, s.currency, s.installation_id, {bound},
                s.acked_seq, s.head_hash, s.reported_head, {push}, {pull}, s.last_error, {err},
                (SELECT count(*) FROM record_events e WHERE e.store_id = s.id)
           FROM stores s ORDER BY s.code",
        bound = ts("s.bound_at"),
        push = ts("s.last_push_at"),
        pull = ts("s.last_pull_at"),
        err = ts("s.last_error_at"),
    );
    let rows = client.query(&sql, &[]).await?;
    let stores = rows
        .iter()
        .map(|r| {
            let acked_seq: i64 = r.get(7);
            let reported_head: Option<i64> = r.get(9);
            StoreView {
                id: r.get(0),
                code: r.get(1),
                name: r.get(2),
                timezone: r.get(3),
                currency: r.get(4),
                installation_id: r.get(5),
                bound_at: r.get(6),
                acked_seq,
                head_hash: r.get(8),
                reported_head,
                backlog: reported_head.map(|h| (h - acked_seq).max(0)),
                last_push_at: r.get(10),
                last_pull_at: r.get(11),
                last_error: r.get(12),
                last_error_at: r.get(13),
                events: r.get(14),
            }
        })
        .collect();
    Ok(Json(StoresAnswer { stores }))
}

/// Where a chain stops verifying.
#[derive(Debug, Serialize)]
pub struct ChainProblem {
    /// The first event that does not follow.
    pub seq: i64,
    /// Why, in words.
    pub reason: String,
}

/// `GET /v1/admin/stores/{id}/verify`: the store's chain recomputed here.
#[derive(Debug, Serialize)]
pub struct VerifyAnswer {
    /// The store.
    pub store_id: String,
    /// Every event chains from the genesis hash and the last one is the
    /// head the server acknowledged.
    pub ok: bool,
    /// Events that verified.
    pub events_checked: i64,
    /// The recomputed head's hash (when the whole chain verified).
    pub head_hash: Option<String>,
    /// The head the server acknowledged.
    pub acked_seq: i64,
    /// The first problem, if any.
    pub problem: Option<ChainProblem>,
}

const EVENT_COLUMNS: &str =
    "format, id, store_id, installation_id, seq, batch_id, product_id, change_type, previous_milli,
     new_milli, user_id, reference_id, notes, created_at, batch_prev_seq, payload, hash";

async fn verify(
    State(pool): State<Pool>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<VerifyAnswer>, ApiError> {
    require_admin(&pool, &headers).await?;
    let mut client = pool.get().await?;
    let tx = read_only(&mut client).await?;
    let store = tx
        .query_opt(
            "SELECT acked_seq, head_hash FROM stores WHERE id = $1",
            &[&id],
        )
        .await?
        .ok_or_else(|| unknown_store(&id))?;
    let (acked_seq, acked_hash): (i64, String) = (store.get(0), store.get(1));
    let chunk = tx
        .prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM record_events WHERE store_id = $1 AND seq > $2 ORDER BY seq LIMIT $3"
        ))
        .await?;
    let (mut seq, mut hash) = (0i64, GENESIS_HASH.to_string());
    let mut problem = None;
    loop {
        let rows = tx.query(&chunk, &[&id, &seq, &VERIFY_CHUNK]).await?;
        let events: Vec<_> = rows.iter().map(event_of).collect();
        drop(rows);
        let Some(last) = events.last() else { break };
        match verify_continuation(&id, seq, &hash, &events) {
            Ok(h) => {
                (seq, hash) = (last.seq, h);
            }
            Err(b) => {
                // Everything before the break in this chunk did verify.
                let before = events.iter().position(|e| e.seq == b.seq).unwrap_or(0);
                seq += before as i64;
                problem = Some(ChainProblem {
                    seq: b.seq,
                    reason: b.reason,
                });
                break;
            }
        }
        if (events.len() as i64) < VERIFY_CHUNK {
            break;
        }
    }
    tx.commit().await?;
    if problem.is_none() && (seq != acked_seq || hash != acked_hash) {
        problem = Some(ChainProblem {
            seq: seq + 1,
            reason: format!(
                "the chain ends at event {seq} but the server acknowledged event {acked_seq} with another hash"
            ),
        });
    }
    let ok = problem.is_none();
    Ok(Json(VerifyAnswer {
        store_id: id,
        ok,
        events_checked: seq,
        head_hash: ok.then_some(hash),
        acked_seq,
        problem,
    }))
}

/// `GET /v1/admin/stock` parameters.
#[derive(Debug, Deserialize)]
pub struct StockQuery {
    store_id: Option<String>,
    product_id: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

/// A product's stock in one store.
#[derive(Debug, Serialize)]
pub struct StockRow {
    /// The store.
    pub store_id: String,
    /// Its code.
    pub store_code: String,
    /// The product.
    pub product_id: String,
    /// Its name (head office's catalogue, else the newest a store's record
    /// gave; null when neither knows it).
    pub product_name: Option<String>,
    /// On hand, summed over the store's batches of it: a decimal string.
    pub on_hand: String,
}

/// A product's stock across the stores shown.
#[derive(Debug, Serialize)]
pub struct StockTotal {
    /// The product.
    pub product_id: String,
    /// Its name.
    pub product_name: Option<String>,
    /// On hand across those stores: a decimal string.
    pub on_hand: String,
    /// In how many stores it has a batch.
    pub stores: usize,
}

/// `GET /v1/admin/stock`: one page of products, each with its rows.
#[derive(Debug, Serialize)]
pub struct StockAnswer {
    /// Per store and product, by product name then store code.
    pub rows: Vec<StockRow>,
    /// Per product, in the same order.
    pub totals: Vec<StockTotal>,
    /// Products matching the filters (every page).
    pub products: i64,
    /// This page's first product.
    pub offset: i64,
    /// Most products per page.
    pub limit: i64,
    /// Whether a later page has more.
    pub more: bool,
}

async fn stock(
    State(pool): State<Pool>,
    headers: HeaderMap,
    q: Result<Query<StockQuery>, QueryRejection>,
) -> Result<Json<StockAnswer>, ApiError> {
    require_admin(&pool, &headers).await?;
    let q = params(q)?;
    let limit = number(q.limit.as_deref(), "limit", 100, 1, MAX_STOCK_PAGE)?;
    let offset = number(q.offset.as_deref(), "offset", 0, 0, 10_000_000)?;
    let store_id = filter(q.store_id);
    let product_id = filter(q.product_id);
    let mut client = pool.get().await?;
    let tx = read_only(&mut client).await?;
    if let Some(s) = &store_id {
        store_exists(&tx, s).await?;
    }
    // Per batch, the newest event that set its quantity; summed per store
    // and product; a page of products by name; always one row at least
    // (the count), joined to the page's rows.
    let sql = "
        WITH latest AS (
            SELECT DISTINCT ON (store_id, batch_id) store_id, product_id, new_milli
              FROM record_events
             WHERE batch_id IS NOT NULL AND new_milli IS NOT NULL
               AND ($1::text IS NULL OR store_id = $1)
             ORDER BY store_id, batch_id, seq DESC
        ), per AS (
            SELECT store_id, product_id, SUM(new_milli)::bigint AS milli
              FROM latest
             WHERE product_id IS NOT NULL AND ($2::text IS NULL OR product_id = $2)
             GROUP BY store_id, product_id
        ), products AS (
            SELECT product_id, ho_product_name(product_id) AS name
              FROM (SELECT DISTINCT product_id FROM per) d
        ), page AS (
            SELECT product_id, name, row_number() OVER (ORDER BY lower(name) NULLS LAST, product_id) AS n
              FROM products
             ORDER BY n LIMIT $3 OFFSET $4
        )
        SELECT c.total, r.store_id, r.code, r.product_id, r.name, r.milli
          FROM (SELECT count(*) AS total FROM products) c
          LEFT JOIN (SELECT per.store_id, s.code, per.product_id, page.name, per.milli, page.n
                       FROM per JOIN page USING (product_id) JOIN stores s ON s.id = per.store_id) r ON true
         ORDER BY r.n, r.code";
    let rows = tx
        .query(sql, &[&store_id, &product_id, &limit, &offset])
        .await?;
    tx.commit().await?;
    let products: i64 = rows.first().map_or(0, |r| r.get(0));
    let mut out = Vec::new();
    let mut totals: Vec<(StockTotal, i128)> = Vec::new();
    for r in &rows {
        let Some(store_id) = r.get::<_, Option<String>>(1) else {
            continue;
        };
        let product_id: String = r.get(3);
        let product_name: Option<String> = r.get(4);
        let milli: i64 = r.get(5);
        match totals.last_mut() {
            Some((t, sum)) if t.product_id == product_id => {
                *sum += i128::from(milli);
                t.stores += 1;
            }
            _ => totals.push((
                StockTotal {
                    product_id: product_id.clone(),
                    product_name: product_name.clone(),
                    on_hand: String::new(),
                    stores: 1,
                },
                i128::from(milli),
            )),
        }
        out.push(StockRow {
            store_id,
            store_code: r.get(2),
            product_id,
            product_name,
            on_hand: milli_text(i128::from(milli)),
        });
    }
    let totals = totals
        .into_iter()
        .map(|(mut t, sum)| {
            t.on_hand = milli_text(sum);
            t
        })
        .collect::<Vec<_>>();
    let more = offset + (totals.len() as i64) < products;
    Ok(Json(StockAnswer {
        rows: out,
        totals,
        products,
        offset,
        limit,
        more,
    }))
}

/// `GET /v1/admin/events` parameters.
#[derive(Debug, Deserialize)]
pub struct EventsQuery {
    store_id: Option<String>,
    change_type: Option<String>,
    q: Option<String>,
    before: Option<String>,
    limit: Option<String>,
}

/// One event of a store's record, as head office reads it.
#[derive(Debug, Serialize)]
pub struct EventRow {
    /// The store.
    pub store_id: String,
    /// Its code.
    pub store_code: String,
    /// Its place in the store's record.
    pub seq: i64,
    /// Its kind (`sale_completed`, `receipt`, …).
    pub change_type: String,
    /// When the store wrote it (the store's clock, as it wrote it).
    pub created_at: String,
    /// When the server received it.
    pub received_at: String,
    /// Who wrote it (the store's user id).
    pub user_id: String,
    /// Its notes.
    pub notes: Option<String>,
    /// The product it moved.
    pub product_id: Option<String>,
    /// The product's name, when known.
    pub product_name: Option<String>,
    /// The batch it moved.
    pub batch_id: Option<String>,
    /// The document it belongs to (a sale, a transfer, …).
    pub reference_id: Option<String>,
    /// The batch's quantity before: a decimal string.
    pub previous_quantity: Option<String>,
    /// And after.
    pub new_quantity: Option<String>,
    /// What the event is about (`sale`, `product`, …), from its payload.
    pub subject_type: Option<String>,
    /// Its name or number (a sale's number, a product's name).
    pub subject_name: Option<String>,
    /// The document's total as its payload states it (a sale's, in the
    /// store's currency): a decimal string.
    pub document_total: Option<String>,
}

/// `GET /v1/admin/events`: a page of the trail, newest first.
#[derive(Debug, Serialize)]
pub struct EventsAnswer {
    /// The events.
    pub events: Vec<EventRow>,
    /// Pass as `before` for the next page (null on the last page).
    pub next_before: Option<String>,
    /// Whether there is a next page.
    pub more: bool,
}

/// A trail cursor: the last row's `received_at` in microseconds since the
/// epoch, its store and its seq (`micros:store_id:seq`).
fn parse_before(s: &str) -> Option<(String, String, i64)> {
    let (micros, rest) = s.split_once(':')?;
    let (store, seq) = rest.rsplit_once(':')?;
    let at = chrono::DateTime::from_timestamp_micros(micros.parse().ok()?)?;
    if store.is_empty() {
        return None;
    }
    Some((
        at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        store.to_string(),
        seq.parse().ok()?,
    ))
}

/// `q` as an ILIKE pattern matching it anywhere, its wildcards escaped.
fn contains_pattern(q: &str) -> String {
    let mut p = String::with_capacity(q.len() + 2);
    p.push('%');
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

async fn events(
    State(pool): State<Pool>,
    headers: HeaderMap,
    q: Result<Query<EventsQuery>, QueryRejection>,
) -> Result<Json<EventsAnswer>, ApiError> {
    require_admin(&pool, &headers).await?;
    let q = params(q)?;
    let limit = number(q.limit.as_deref(), "limit", 50, 1, MAX_EVENTS_PAGE)?;
    let store_id = filter(q.store_id);
    let kinds: Option<Vec<String>> = filter(q.change_type).map(|k| {
        k.split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    });
    if let Some(bad) = kinds.iter().flatten().find(|k| {
        k.len() > 64
            || !k
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }) {
        return Err(invalid(format!(
            "'{bad}' is not an event kind (lower-case letters, digits and '_', e.g. sale_completed)"
        ))
        .with(json!({"field": "change_type"})));
    }
    let text = filter(q.q);
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(invalid("search for at most 200 characters").with(json!({"field": "q"})));
    }
    let before = match filter(q.before) {
        None => None,
        Some(b) => Some(parse_before(&b).ok_or_else(|| {
            invalid(format!(
                "'{b}' is not a trail cursor (the next_before of an earlier page)"
            ))
            .with(json!({"field": "before"}))
        })?),
    };

    // Only the filters given, so each plan can use its index.
    let mut conditions: Vec<String> = Vec::new();
    let mut args: Vec<Box<dyn ToSql + Sync + Send>> = Vec::new();
    let mut arg = |v: Box<dyn ToSql + Sync + Send>| {
        args.push(v);
        format!("${}", args.len())
    };
    if let Some(s) = &store_id {
        conditions.push(format!("e.store_id = {}", arg(Box::new(s.clone()))));
    }
    if let Some(k) = &kinds {
        conditions.push(format!("e.change_type = ANY({})", arg(Box::new(k.clone()))));
    }
    if let Some(t) = &text {
        let p = arg(Box::new(contains_pattern(t)));
        conditions.push(format!(
            "(e.notes ILIKE {p} OR e.payload ILIKE {p} OR e.reference_id ILIKE {p})"
        ));
    }
    if let Some((at, store, seq)) = &before {
        let (a, s, n) = (
            arg(Box::new(at.clone())),
            arg(Box::new(store.clone())),
            arg(Box::new(*seq)),
        );
        conditions.push(format!(
            "(e.received_at, e.store_id, e.seq) < ({a}::text::timestamptz, {s}, {n})"
        ));
    }
    let want = arg(Box::new(limit + 1));
    let sql = format!(
        "SELECT e.store_id, s.code, e.seq, e.change_type, e.created_at, {received},
                (extract(epoch FROM e.received_at) * 1000000)::bigint,
                e.user_id, e.notes, e.product_id,
                CASE WHEN e.product_id IS NOT NULL THEN ho_product_name(e.product_id) END,
                e.batch_id, e.reference_id, e.previous_milli, e.new_milli,
                j.payload->'subject'->>'type', j.payload->'subject'->>'name', j.payload->'data'->>'total'
           FROM record_events e JOIN stores s ON s.id = e.store_id
           -- OFFSET 0: the payload is parsed once per row, not once per use.
           LEFT JOIN LATERAL (SELECT ho_json(e.payload) AS payload OFFSET 0) j ON true
          {where_}
          ORDER BY e.received_at DESC, e.store_id DESC, e.seq DESC
          LIMIT {want}",
        received = ts("e.received_at"),
        where_ = if conditions.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", conditions.join(" AND "))
        },
    );
    let mut client = pool.get().await?;
    let tx = read_only(&mut client).await?;
    if let Some(s) = &store_id {
        store_exists(&tx, s).await?;
    }
    let refs: Vec<&(dyn ToSql + Sync)> = args
        .iter()
        .map(|a| a.as_ref() as &(dyn ToSql + Sync))
        .collect();
    let rows = tx.query(&sql, &refs).await?;
    tx.commit().await?;
    let more = rows.len() as i64 > limit;
    let mut next_before = None;
    let mut events = Vec::with_capacity(rows.len());
    for r in rows.iter().take(limit as usize) {
        let store_id: String = r.get(0);
        let seq: i64 = r.get(2);
        let micros: i64 = r.get(6);
        next_before = Some(format!("{micros}:{store_id}:{seq}"));
        let quantity = |i: usize| r.get::<_, Option<i64>>(i).map(|m| milli_text(m.into()));
        events.push(EventRow {
            store_id,
            store_code: r.get(1),
            seq,
            change_type: r.get(3),
            created_at: r.get(4),
            received_at: r.get(5),
            user_id: r.get(7),
            notes: r.get(8),
            product_id: r.get(9),
            product_name: r.get(10),
            batch_id: r.get(11),
            reference_id: r.get(12),
            previous_quantity: quantity(13),
            new_quantity: quantity(14),
            subject_type: r.get(15),
            subject_name: r.get(16),
            document_total: r.get(17),
        });
    }
    Ok(Json(EventsAnswer {
        events,
        next_before: if more { next_before } else { None },
        more,
    }))
}

/// One kind of event and how many the server holds.
#[derive(Debug, Serialize)]
pub struct ChangeTypeCount {
    /// The kind.
    pub change_type: String,
    /// Events of it, across stores.
    pub events: i64,
}

/// `GET /v1/admin/change-types`: the kinds in the trail (the page's filter).
#[derive(Debug, Serialize)]
pub struct ChangeTypesAnswer {
    /// By name.
    pub change_types: Vec<ChangeTypeCount>,
}

async fn change_types(
    State(pool): State<Pool>,
    headers: HeaderMap,
) -> Result<Json<ChangeTypesAnswer>, ApiError> {
    require_admin(&pool, &headers).await?;
    let client = pool.get().await?;
    let rows = client
        .query(
            "SELECT change_type, count(*) FROM record_events GROUP BY change_type ORDER BY change_type",
            &[],
        )
        .await?;
    Ok(Json(ChangeTypesAnswer {
        change_types: rows
            .iter()
            .map(|r| ChangeTypeCount {
                change_type: r.get(0),
                events: r.get(1),
            })
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousandths_print_exactly() {
        for (milli, text) in [
            (0, "0"),
            (12_500, "12.5"),
            (1, "0.001"),
            (1_010, "1.01"),
            (-3_250, "-3.25"),
            (-1, "-0.001"),
            (7_000, "7"),
            (i128::from(i64::MAX), "9223372036854775.807"),
        ] {
            assert_eq!(milli_text(milli), text);
        }
    }

    #[test]
    fn cursors_and_patterns() {
        let (at, store, seq) =
            parse_before("1764597600123456:0193a1c2-0000-7000-8000-0000000000ff:42").unwrap();
        assert_eq!(at, "2025-12-01T14:00:00.123456Z");
        assert_eq!(
            (store.as_str(), seq),
            ("0193a1c2-0000-7000-8000-0000000000ff", 42)
        );
        for bad in [
            "",
            "1:2",
            "x:s:1",
            "1::1",
            "1:s:x",
            "99999999999999999999:s:1",
        ] {
            assert!(parse_before(bad).is_none(), "{bad}");
        }
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }
}
