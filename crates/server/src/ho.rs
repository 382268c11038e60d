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
use serde::Serialize;
use serde_json::json;

mod page;
mod stock;
mod trail;

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
        .route("/v1/admin/stock", get(stock::stock))
        .route("/v1/admin/events", get(trail::events))
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
}
