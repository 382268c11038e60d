//! `GET /v1/admin/events`: the audit trail across stores, newest received
//! first, keyset-paged on `(received_at, store_id, seq)` (migration V4's
//! indexes), filtered by store and kind, searched as text. The SQL holds
//! only the filters given, so each plan can use its index.

use super::{
    filter, invalid, milli_text, number, params, read_only, store_exists, ts, MAX_EVENTS_PAGE,
};
use crate::{require_admin, ApiError};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use deadpool_postgres::Pool;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio_postgres::types::ToSql;

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

pub(super) async fn events(
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

#[cfg(test)]
mod tests {
    use super::*;

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
