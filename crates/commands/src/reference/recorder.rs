//! Runs the demo through the command table and keeps what the reference
//! shows: each call as the `pharmapos call` line a user would type and the
//! output the CLI prints for it, with the ids and hashes named by [`Names`].

use super::names::Names;
use crate::dispatch;
use chrono::{DateTime, Utc};
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::{auth, Db, Error};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The target of the error examples (the reference's "Errors" section).
pub(super) const ERRORS: &str = "_errors";

/// One piece of a command's examples.
pub(super) enum Block {
    /// Prose before the next example.
    Text(String),
    /// A console session: the command line and what it printed.
    Console(String),
}

/// How much of a response to show.
#[derive(Clone, Copy)]
enum Shown<'a> {
    All,
    /// A top-level list cut after this many elements.
    First(usize),
    /// Only these elements of the response's `lines` (each run of the
    /// others is one `…`).
    Lines(&'a [usize]),
}

/// The demo database and the examples recorded so far.
pub(super) struct Recorder {
    _dir: tempfile::TempDir,
    db: Db,
    /// The instant the demo happens at unless [`Recorder::at`] says otherwise.
    pub(super) start: DateTime<Utc>,
    now: DateTime<Utc>,
    names: Names,
    /// Examples by command name (or [`ERRORS`], or `cli_*` for the CLI's own
    /// subcommands), in the order they ran.
    pub(super) blocks: BTreeMap<String, Vec<Block>>,
    /// The heading announced by [`Recorder::refusal`], waiting for the kind
    /// of the next refusal: its place among the error examples and its text.
    heading: Option<(usize, String)>,
    /// The kind under the last heading.
    last_kind: Option<&'static str>,
}

/// The demo database's file name as shown in the examples.
pub(super) const DB_NAME: &str = "demo.db";

impl Recorder {
    /// A fresh database in a temporary directory, the clock at `start`.
    pub(super) fn new(start: &str) -> Recorder {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join(DB_NAME)).unwrap();
        let start = instant(start);
        db.set_clock(Arc::new(FixedClock(start)));
        Recorder {
            _dir: dir,
            db,
            start,
            now: start,
            names: Names::default(),
            blocks: BTreeMap::new(),
            heading: None,
            last_kind: None,
        }
    }

    /// The database, for what the CLI does without a command (init, verify,
    /// backup).
    pub(super) fn db(&mut self) -> &mut Db {
        &mut self.db
    }

    /// The demo directory (where `backup` writes).
    pub(super) fn dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Moves the clock (`--now`) for the calls that follow.
    pub(super) fn at(&mut self, now: &str) -> &mut Self {
        self.now = instant(now);
        self.db.set_clock(Arc::new(FixedClock(self.now)));
        self
    }

    /// Puts the clock back at the demo's start.
    pub(super) fn at_start(&mut self) -> &mut Self {
        let start = self.start.to_rfc3339();
        self.at(&start)
    }

    /// Prose shown before the next example of `target`.
    pub(super) fn say(&mut self, target: &str, text: &str) {
        self.push(target, Block::Text(text.trim().to_string()));
    }

    /// Runs a command that must succeed and shows it under the command.
    pub(super) fn call(&mut self, user: &str, command: &str, request: Value) -> Value {
        self.shown(user, command, request, Shown::All)
    }

    /// As [`Recorder::call`], the list in the response cut after `n` elements.
    pub(super) fn call_first(
        &mut self,
        n: usize,
        user: &str,
        command: &str,
        request: Value,
    ) -> Value {
        self.shown(user, command, request, Shown::First(n))
    }

    /// As [`Recorder::call`], showing only these of the response's `lines`.
    pub(super) fn call_lines(
        &mut self,
        lines: &[usize],
        user: &str,
        command: &str,
        request: Value,
    ) -> Value {
        self.shown(user, command, request, Shown::Lines(lines))
    }

    /// Runs a command that must succeed, showing nothing (setting the scene).
    pub(super) fn quietly(&mut self, user: &str, command: &str, request: Value) -> Value {
        let (request_text, out) = self.run(user, command, &request);
        out.unwrap_or_else(|e| panic!("{command} {request_text} failed: {e}"))
    }

    /// Announces the next error example under "Errors": a heading
    /// "#### `kind`: what", the kind taken from the refusal itself. Prose
    /// said after it (`say(ERRORS, …)`) goes under the heading.
    pub(super) fn refusal(&mut self, what: &str) {
        let at = self.blocks.get(ERRORS).map_or(0, Vec::len);
        self.push(ERRORS, Block::Text(String::new()));
        self.heading = Some((at, what.to_string()));
    }

    /// Runs a command that must fail and shows it under "Errors", under the
    /// heading of the last [`Recorder::refusal`] (a refusal without a heading
    /// of its own must be of the same kind as the one before).
    pub(super) fn fails(&mut self, user: &str, command: &str, request: Value) -> Error {
        let (request_text, out) = self.run(user, command, &request);
        let err = match out {
            Ok(v) => panic!("{command} {request_text} was expected to fail but answered {v}"),
            Err(e) => e,
        };
        match self.heading.take() {
            Some((at, what)) => {
                if let Some(blocks) = self.blocks.get_mut(ERRORS) {
                    blocks[at] = Block::Text(format!("#### `{}`: {what}", err.kind()));
                }
                self.last_kind = Some(err.kind());
            }
            None => assert_eq!(
                self.last_kind,
                Some(err.kind()),
                "{command} {request_text} failed with `{}` under another kind's heading: announce it with `refusal`",
                err.kind()
            ),
        }
        let shown = self.names.value(&err.to_json(), "", command);
        let console = format!(
            "{}\n{}\n$ echo $?\n1",
            self.line(user, command, &request_text),
            serde_json::to_string(&shown).unwrap()
        );
        self.push(ERRORS, Block::Console(console));
        err
    }

    /// A CLI subcommand's line and printed output (already JSON text); the
    /// ids in `registered` are named first, under their keys.
    pub(super) fn console(&mut self, target: &str, line: &str, registered: &Value, output: &str) {
        self.names.value(registered, "", target);
        let output = self.names.text(output, "", target);
        let line = self.names.text(line, "", target);
        self.push(target, Block::Console(format!("$ {line}\n{output}")));
    }

    /// The `--db … --user … --now …` part of a command line.
    pub(super) fn globals(&self, user: &str) -> String {
        format!(
            "pharmapos --db {DB_NAME} --user {user} --now {}",
            self.now.format("%Y-%m-%dT%H:%M:%SZ")
        )
    }

    fn shown(&mut self, user: &str, command: &str, request: Value, shown: Shown<'_>) -> Value {
        let (request_text, out) = self.run(user, command, &request);
        let out = out.unwrap_or_else(|e| panic!("{command} {request_text} failed: {e}"));
        let named = self.names.value(&out, "", command);
        let console = format!(
            "{}\n{}",
            self.line(user, command, &request_text),
            render(&named, shown)
        );
        self.push(command, Block::Console(console));
        out
    }

    /// Runs one call as the CLI does (the user by name, then the command
    /// table); answers the request as shown and the outcome. Every request
    /// and response is named, shown or not, so placeholders follow the run.
    fn run(
        &mut self,
        user: &str,
        command: &str,
        request: &Value,
    ) -> (String, Result<Value, Error>) {
        let named = self.names.value(request, "", command);
        let request_text = match &named {
            Value::Object(m) if m.is_empty() => String::new(),
            v => serde_json::to_string(v).unwrap(),
        };
        let out = auth::session_for_name(&self.db, user)
            .and_then(|session| dispatch(&mut self.db, &session, command, request.clone()));
        if let Ok(v) = &out {
            self.names.value(v, "", command);
        }
        (request_text, out)
    }

    fn line(&self, user: &str, command: &str, request_text: &str) -> String {
        let mut line = format!("$ {} call {command}", self.globals(user));
        if !request_text.is_empty() {
            line.push_str(&format!(" '{}'", request_text.replace('\'', r"'\''")));
        }
        line
    }

    fn push(&mut self, target: &str, block: Block) {
        self.blocks
            .entry(target.to_string())
            .or_default()
            .push(block);
    }
}

/// An RFC 3339 instant.
fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// A string that marks elided list elements while printing.
const ELIDED: &str = "\u{2026}ELIDED";

/// Pretty JSON as the CLI prints it, cut as `shown` says.
fn render(v: &Value, shown: Shown<'_>) -> String {
    match (shown, v) {
        (Shown::First(n), Value::Array(items)) if items.len() > n => {
            let kept = serde_json::to_string_pretty(&Value::Array(items[..n].to_vec())).unwrap();
            let open = kept.strip_suffix(']').unwrap_or(&kept).trim_end();
            format!("{open},\n  \u{2026}\n]")
        }
        (Shown::Lines(keep), Value::Object(map)) => {
            let mut map = map.clone();
            if let Some(Value::Array(lines)) = map.get("lines") {
                let mut out = Vec::new();
                let mut cut = false;
                for (i, line) in lines.iter().enumerate() {
                    if keep.contains(&i) {
                        out.push(line.clone());
                        cut = false;
                    } else if !cut {
                        out.push(Value::String(ELIDED.into()));
                        cut = true;
                    }
                }
                map.insert("lines".into(), Value::Array(out));
            }
            let text = serde_json::to_string_pretty(&Value::Object(map)).unwrap();
            text.replace(&format!("\"{ELIDED}\","), "\u{2026}")
                .replace(&format!("\"{ELIDED}\""), "\u{2026}")
        }
        _ => serde_json::to_string_pretty(v).unwrap(),
    }
}

/// The value with its object keys sorted, as `pharmapos call` prints it
/// (whatever serde_json's `preserve_order` says in this build).
pub(super) fn sorted(v: &Value) -> Value {
    match v {
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        other => other.clone(),
    }
}

/// The id under `key` in a response.
pub(super) fn id(v: &Value, key: &str) -> String {
    let mut at = v;
    for part in key.split('.') {
        at = match part.parse::<usize>() {
            Ok(i) => &at[i],
            Err(_) => &at[part],
        };
    }
    at.as_str()
        .unwrap_or_else(|| panic!("no string at {key} in {v}"))
        .to_string()
}
