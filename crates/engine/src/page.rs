//! Paged lists: the limit and offset every list command takes, and the
//! filter builder that keeps their SQL to the clauses a request uses.
//!
//! Lists page by `limit` and `offset` rather than a cursor: the screens
//! jump to a page and sort by several columns, and an offset is what a
//! virtualised table asks for. Each list's sort walks an index, so a page
//! costs the rows before it in that index (cheap for the first pages a
//! person reads); the count is a separate query over the same filters.

use crate::{Error, Result};
use rusqlite::types::Value;
use rusqlite::ToSql;

/// Largest page any list returns.
pub const MAX_LIMIT: u32 = 500;

/// Checks `limit` (1..=`MAX_LIMIT`, default `default`) and `offset`.
pub(crate) fn limit_offset(
    limit: Option<u32>,
    offset: Option<u32>,
    default: u32,
) -> Result<(i64, i64)> {
    let limit = limit.unwrap_or(default);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::invalid(
            "limit",
            format!("limit must be between 1 and {MAX_LIMIT} (got {limit})"),
        ));
    }
    Ok((i64::from(limit), i64::from(offset.unwrap_or(0))))
}

/// A WHERE clause built from the filters a request uses, with its named
/// parameters. Only fixed SQL fragments go in; values are always bound.
#[derive(Default)]
pub(crate) struct Filter {
    clauses: Vec<String>,
    params: Vec<(&'static str, Value)>,
}

impl Filter {
    /// Adds a condition.
    pub(crate) fn and(&mut self, clause: impl Into<String>) -> &mut Self {
        self.clauses.push(clause.into());
        self
    }

    /// Binds a named parameter (`:name`).
    pub(crate) fn bind(&mut self, name: &'static str, v: impl Into<Value>) -> &mut Self {
        self.params.push((name, v.into()));
        self
    }

    /// `WHERE a AND b …` (or nothing).
    pub(crate) fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The bound parameters, plus `extra`, for `query(&[...])`.
    pub(crate) fn params<'a>(
        &'a self,
        extra: &'a [(&'static str, &'a dyn ToSql)],
    ) -> Vec<(&'a str, &'a dyn ToSql)> {
        self.params
            .iter()
            .map(|(n, v)| (*n, v as &dyn ToSql))
            .chain(extra.iter().copied())
            .collect()
    }
}

/// Turns typed text into an FTS5 query: each word a quoted prefix term
/// ("para 500" finds "Paracetamol 500 mg"), or `None` when nothing
/// searchable was typed.
pub(crate) fn fts_prefix_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}
