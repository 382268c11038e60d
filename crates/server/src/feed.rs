//! The feeds stores read after a cursor: their mailbox, the directory of
//! stores and head office's catalogue.
//!
//! A feed is ordered by the writing transaction's id, then the row's, and
//! hands out only rows whose transaction is older than the oldest one still
//! running (`pg_snapshot_xmin`): a row committed later can never land
//! behind a cursor already given, and no table is locked.
//!
//! Transaction ids are not enough across a database failover (migration
//! V8): a promoted replica numbers new transactions from the last one it
//! replayed, below cursors the lost primary handed out. So a cursor names
//! the cluster and timeline it was read on (`system.timeline.xid.id`), and
//! every feed row the timeline it was written on. A cursor from an earlier
//! timeline of the same cluster also takes the rows written on later ones
//! at or below it; one from another cluster (or a timeline this cluster has
//! not reached: a restored backup) starts over. A store stages each change
//! once, so what comes twice is harmless.

use axum::http::StatusCode;
use pharmapos_protocol::{MAX_CHANGES_PER_PULL, PULL_START};

use crate::{authenticate, ApiError, Caller};

/// Where a cursor was read: the cluster's system identifier and timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Origin {
    system: i64,
    timeline: i32,
}

/// A cursor: where it was read (none for [`PULL_START`] and the two-part
/// cursors handed out before timelines were recorded), the writing
/// transaction's id and the row's.
#[derive(Debug, PartialEq, Eq)]
struct Cursor {
    origin: Option<Origin>,
    xid: u64,
    id: i64,
}

fn parse_cursor(s: &str) -> Option<Cursor> {
    let parts: Vec<&str> = s.split('.').collect();
    let (origin, xid, id) = match parts[..] {
        [xid, id] => (None, xid, id),
        [system, timeline, xid, id] => (
            Some(Origin {
                system: system.parse().ok()?,
                timeline: timeline.parse::<u32>().ok()?.try_into().ok()?,
            }),
            xid,
            id,
        ),
        _ => return None,
    };
    Some(Cursor {
        origin,
        xid: xid.parse().ok()?,
        id: id.parse().ok()?,
    })
}

/// A feed request checked (the mailbox, the directory, the catalogue):
/// where it starts and how many rows it wants.
pub(crate) struct FeedPage {
    /// The cursor as given ([`PULL_START`] when none).
    pub after: String,
    cursor: Cursor,
    /// Rows wanted.
    pub limit: usize,
}

impl FeedPage {
    /// Checks `after` and `limit` (1 to [`MAX_CHANGES_PER_PULL`]); `what`
    /// names the feed in the refusal.
    pub(crate) fn new(
        after: Option<String>,
        limit: Option<usize>,
        what: &str,
    ) -> Result<FeedPage, ApiError> {
        let after = after.unwrap_or_else(|| PULL_START.to_string());
        let cursor = parse_cursor(&after).ok_or_else(|| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("'{after}' is not a {what} cursor (the next_cursor of an earlier answer, or {PULL_START})"),
            )
        })?;
        let limit = limit.unwrap_or(MAX_CHANGES_PER_PULL);
        if limit == 0 || limit > MAX_CHANGES_PER_PULL {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_input",
                format!("limit must be 1 to {MAX_CHANGES_PER_PULL}"),
            )
            .with(serde_json::json!({"max": MAX_CHANGES_PER_PULL})));
        }
        Ok(FeedPage {
            after,
            cursor,
            limit,
        })
    }

    /// Opens a read-only snapshot to read the feed in (its
    /// `pg_current_snapshot` is what the gap-free rule compares with), the
    /// caller authenticated in it, and settles where the page starts
    /// against where the database now stands.
    pub(crate) async fn open<'a>(
        self,
        client: &'a mut deadpool_postgres::Client,
        who: &Caller,
    ) -> Result<(deadpool_postgres::Transaction<'a>, FeedRead), ApiError> {
        let tx = client
            .build_transaction()
            .read_only(true)
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .start()
            .await?;
        authenticate(&tx, who, false).await?;
        let row = tx
            .query_one(
                "SELECT system_identifier, pharmapos_timeline() FROM pg_control_system()",
                &[],
            )
            .await?;
        let here = Origin {
            system: row.get(0),
            timeline: row.get(1),
        };
        Ok((tx, self.settle(here)))
    }

    /// Where the page starts, read at `here`.
    fn settle(self, here: Origin) -> FeedRead {
        let c = &self.cursor;
        let (xid, id, since) = match c.origin {
            // Before timelines were recorded: rows written since are all
            // above timeline 0.
            None => (c.xid, c.id, 0),
            Some(o) if o.system == here.system && o.timeline <= here.timeline => {
                (c.xid, c.id, o.timeline)
            }
            // Another cluster, or a timeline ahead of this one: its ids
            // mean nothing here.
            Some(_) => (0, 0, here.timeline),
        };
        FeedRead {
            after: self.after,
            xid: xid.to_string(),
            id,
            since,
            limit: self.limit,
            here,
        }
    }
}

/// A feed page settled against the database: the query's parameters and
/// the cursors it hands out.
pub(crate) struct FeedRead {
    after: String,
    /// The transaction id after which rows are taken, as text for `::xid8`.
    pub xid: String,
    /// The row after which, in that transaction.
    pub id: i64,
    /// Rows written on a timeline after this one are taken even at or
    /// below the cursor.
    pub since: i32,
    /// Rows wanted.
    pub limit: usize,
    here: Origin,
}

impl FeedRead {
    /// One row more than the page: whether there is more.
    pub(crate) fn fetch(&self) -> i64 {
        self.limit as i64 + 1
    }

    /// The cursor of a row handed out now.
    pub(crate) fn cursor(&self, xid: &str, id: i64) -> String {
        format!("{}.{}.{xid}.{id}", self.here.system, self.here.timeline)
    }

    /// The next cursor: the last row's, or the one given when there was
    /// none (it is kept as it was, timeline and all, as long as nothing
    /// comes after it).
    pub(crate) fn next(&self, last: Option<&String>) -> String {
        last.unwrap_or(&self.after).clone()
    }
}

/// One table's part of a feed query: `columns` of the rows of `table`
/// matching `filter` after the cursor, then those of a later timeline at or
/// below it, each half in feed order and at most a page. `cols` names the
/// table's transaction id, row id and timeline columns; `p` is the number
/// of the first of four parameters: the cursor's transaction id (text), its
/// row, the timeline and the page's row count ([`FeedRead::fetch`]).
/// Wrapped by the caller in `ORDER BY xid, id LIMIT` of the whole.
pub(crate) fn feed_query(
    columns: &str,
    table: &str,
    filter: &str,
    [xid, id, tl]: [&str; 3],
    p: usize,
) -> String {
    let (x, i, t, n) = (p, p + 1, p + 2, p + 3);
    let finished = format!("{xid} < pg_snapshot_xmin(pg_current_snapshot())");
    format!(
        "(SELECT {columns} FROM {table}
           WHERE {filter} AND ({xid}, {id}) > (${x}::text::xid8, ${i}) AND {finished}
           ORDER BY {xid}, {id} LIMIT ${n})
         UNION ALL
         (SELECT {columns} FROM {table}
           WHERE {filter} AND {tl} > ${t} AND ({xid}, {id}) <= (${x}::text::xid8, ${i}) AND {finished}
           ORDER BY {xid}, {id} LIMIT ${n})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HERE: Origin = Origin {
        system: 7_300_000_000_000_000_001,
        timeline: 2,
    };

    fn settled(after: &str) -> (String, i64, i32) {
        let r = FeedPage::new(Some(after.into()), None, "pull")
            .unwrap()
            .settle(HERE);
        (r.xid, r.id, r.since)
    }

    #[test]
    fn a_cursor_of_this_timeline_reads_on_from_it() {
        let s = HERE.system;
        assert_eq!(settled(&format!("{s}.2.900.4")), ("900".into(), 4, 2));
    }

    #[test]
    fn a_cursor_of_an_earlier_timeline_also_takes_what_later_ones_wrote() {
        let s = HERE.system;
        assert_eq!(settled(&format!("{s}.1.900.4")), ("900".into(), 4, 1));
    }

    #[test]
    fn a_cursor_from_another_cluster_or_a_later_timeline_starts_over() {
        let s = HERE.system;
        assert_eq!(settled(&format!("{}.2.900.4", s - 1)), ("0".into(), 0, 2));
        assert_eq!(settled(&format!("{s}.3.900.4")), ("0".into(), 0, 2));
    }

    #[test]
    fn cursors_from_before_timelines_take_everything_written_since() {
        assert_eq!(settled("900.4"), ("900".into(), 4, 0));
        assert_eq!(settled(PULL_START), ("0".into(), 0, 0));
    }

    #[test]
    fn a_row_handed_out_carries_where_it_was_read() {
        let r = FeedPage::new(None, Some(5), "pull").unwrap().settle(HERE);
        assert_eq!(r.cursor("901", 3), format!("{}.2.901.3", HERE.system));
        assert_eq!(r.next(None), PULL_START);
        assert_eq!(r.fetch(), 6);
    }

    #[test]
    fn anything_else_is_not_a_cursor() {
        for bad in ["", "1", "1.2.3", "a.b", "1.2.3.4.5", "x.1.2.3", "1.-1.2.3"] {
            assert!(
                FeedPage::new(Some(bad.into()), None, "pull").is_err(),
                "{bad}"
            );
        }
    }
}
