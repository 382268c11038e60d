//! `docs/reference.md`, generated: the prose in `template.md`, filled in from
//! the command table (name, summary, permission, writes, the request type's
//! doc comment and fields, the response type), the engine's error kinds and
//! the examples of a real demo run ([`demo`]).
//!
//! The test at the bottom regenerates the reference and fails when the
//! committed copy differs, or when a command has no example; with
//! `UPDATE_REFERENCE=1` it writes the file instead.

mod demo;
mod names;
mod recorder;

use crate::{CommandSpec, COMMANDS};
use pharmapos_engine::auth::{Permission, Role};
use pharmapos_engine::Error;
use recorder::{Block, ERRORS};
use std::collections::BTreeMap;
use std::fmt::Write;
use ts_rs::TS;

const TEMPLATE: &str = include_str!("template.md");

/// Engine areas (module paths under `pharmapos_engine`) and the reference
/// section their commands go in; the longest matching prefix wins, and an
/// area not listed gets a section named after it.
const GROUPS: &[(&str, &str)] = &[
    ("stock::backorders", "Backorders"),
    ("stock", "Stock"),
    ("catalogue::stores", "People and stores"),
    ("catalogue::users", "People and stores"),
    ("catalogue", "Catalogue"),
    ("sales::security", "Audit"),
    ("sales", "The till"),
    ("audit", "Audit"),
    ("alerts", "Alerts and reorder"),
    ("coldchain", "Cold chain"),
    ("control::counts", "Counts and reconciliation"),
    ("control::transfers", "Transfers between stores"),
    ("control", "Stock control"),
    ("sync", "Sync with the central server"),
    ("purchasing", "Purchasing"),
];

fn group_of(c: &CommandSpec) -> String {
    let path = (c.request_path)();
    let area = path.strip_prefix("pharmapos_engine::").unwrap_or(path);
    GROUPS
        .iter()
        .filter(|(prefix, _)| area.starts_with(&format!("{prefix}::")))
        .max_by_key(|(prefix, _)| prefix.len())
        .map(|(_, title)| title.to_string())
        .unwrap_or_else(|| {
            let first = area.split("::").next().unwrap_or(area).replace('_', " ");
            let mut chars = first.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
}

/// The sections in order of their first command in [`COMMANDS`].
fn groups() -> Vec<(String, Vec<&'static CommandSpec>)> {
    let mut out: Vec<(String, Vec<&'static CommandSpec>)> = Vec::new();
    for c in COMMANDS {
        let g = group_of(c);
        match out.iter_mut().find(|(title, _)| *title == g) {
            Some((_, cmds)) => cmds.push(c),
            None => out.push((g, vec![c])),
        }
    }
    out
}

/// The whole reference.
pub(crate) fn generate() -> String {
    let demo = demo::run();
    let missing = without_example(&demo.blocks);
    assert!(
        missing.is_empty(),
        "no example in the reference demo (crates/commands/src/reference/demo.rs) for: {}",
        missing.join(", ")
    );
    for target in demo.blocks.keys() {
        assert!(
            crate::find(target).is_some() || target == ERRORS || target.starts_with("cli_"),
            "the demo files examples under `{target}`, which is no command"
        );
    }
    let examples = |target: &str| blocks(demo.blocks.get(target).map_or(&[][..], Vec::as_slice));
    let mut out = String::new();
    for line in TEMPLATE.lines() {
        let filled = match line.trim() {
            "{{glance}}" => glance(),
            "{{roles}}" => roles_table(),
            "{{errors}}" => format!(
                "{}\nExamples (real output):\n\n{}",
                errors_table(),
                examples(ERRORS)
            ),
            "{{commands}}" => commands(&demo.blocks),
            "{{value_lists}}" => value_lists(),
            t => match t
                .strip_prefix("{{example:")
                .and_then(|r| r.strip_suffix("}}"))
            {
                Some(target) => examples(target),
                None => {
                    out.push_str(line);
                    out.push('\n');
                    continue;
                }
            },
        };
        out.push_str(filled.trim_end());
        out.push('\n');
    }
    out
}

/// The commands the demo shows no call of.
fn without_example(blocks: &BTreeMap<String, Vec<Block>>) -> Vec<&'static str> {
    COMMANDS
        .iter()
        .map(|c| c.name)
        .filter(|n| {
            !blocks
                .get(*n)
                .is_some_and(|b| b.iter().any(|b| matches!(b, Block::Console(_))))
        })
        .collect()
}

fn glance() -> String {
    let mut out =
        String::from("| group | command | permission | what it does |\n|---|---|---|---|\n");
    for (group, cmds) in groups() {
        for c in cmds {
            writeln!(
                out,
                "| {group} | [`{0}`](#{0}) | `{1}`{2} | {3} |",
                c.name,
                c.permission.as_str(),
                if c.writes { " (writes)" } else { "" },
                cell(c.summary)
            )
            .unwrap();
        }
    }
    out
}

/// Which role holds which permission (`Permission::granted_to`), for every
/// permission a command needs, with the sections of the commands needing it.
fn roles_table() -> String {
    let roles: Vec<Role> = string_union(&<Role as TS>::decl())
        .unwrap()
        .iter()
        .map(|r| Role::parse(r).unwrap())
        .collect();
    let mut out = String::from("| permission | needed in |");
    let mut rule = String::from("|---|---|");
    for r in &roles {
        out.push_str(&format!(" {} |", r.as_str()));
        rule.push_str(":-:|");
    }
    out.push('\n');
    out.push_str(&rule);
    out.push('\n');
    let mut perms: Vec<Permission> = Vec::new();
    for c in COMMANDS {
        if !perms.contains(&c.permission) {
            perms.push(c.permission);
        }
    }
    let sections = groups();
    for p in perms {
        let needed: Vec<&str> = sections
            .iter()
            .filter(|(_, cmds)| cmds.iter().any(|c| c.permission == p))
            .map(|(g, _)| g.as_str())
            .collect();
        out.push_str(&format!("| `{}` | {} |", p.as_str(), needed.join(", ")));
        for r in &roles {
            out.push_str(if p.granted_to(*r) { " ✓ |" } else { " |" });
        }
        out.push('\n');
    }
    out
}

fn errors_table() -> String {
    let mut out = String::from("| kind | meaning | details |\n|---|---|---|\n");
    for k in Error::KINDS {
        let details = if k.details.is_empty() {
            "—".to_string()
        } else {
            k.details
                .iter()
                .map(|d| format!("`{d}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(out, "| `{}` | {} | {details} |", k.kind, cell(k.meaning)).unwrap();
    }
    out
}

fn commands(examples: &BTreeMap<String, Vec<Block>>) -> String {
    let mut out = String::new();
    for (group, cmds) in groups() {
        writeln!(out, "## {group}\n").unwrap();
        for c in cmds {
            out.push_str(&section(
                c,
                examples.get(c.name).map_or(&[][..], Vec::as_slice),
            ));
        }
    }
    out
}

fn section(c: &CommandSpec, examples: &[Block]) -> String {
    let mut out = format!(
        "### `{}`\n\n{}.\n\n",
        c.name,
        c.summary.trim_end_matches('.')
    );
    writeln!(
        out,
        "- permission: `{}`{}",
        c.permission.as_str(),
        if c.writes {
            " (writes)"
        } else {
            " (read-only)"
        }
    )
    .unwrap();
    if c.names_acting_user {
        writeln!(
            out,
            "- seed 003's `user_id` is accepted: it must be the acting user's id (`invalid_input` otherwise); the command runs as the signed-in user (the CLI's `--user`) either way"
        )
        .unwrap();
    }
    let response = (c.response_name)();
    match (c.response_docs)().map(|d| jsdoc_text(&d)) {
        Some(doc) if !doc.is_empty() => {
            writeln!(out, "- response: `{response}`: {}\n", first_paragraph(&doc)).unwrap()
        }
        _ => writeln!(out, "- response: `{response}`\n").unwrap(),
    }
    out.push_str(&request_table(&(c.request_decl)()));
    out.push('\n');
    if let Some(doc) = (c.request_docs)().map(|d| jsdoc_text(&d)) {
        // A bare "`name`." says nothing the heading does not.
        if !doc.is_empty() && doc != format!("`{}`.", c.name) {
            out.push_str(&doc);
            out.push_str("\n\n");
        }
    }
    let shown = examples
        .iter()
        .filter(|b| matches!(b, Block::Console(_)))
        .count();
    out.push_str(if shown > 1 {
        "Examples:\n\n"
    } else {
        "Example:\n\n"
    });
    out.push_str(&blocks(examples));
    out.push('\n');
    out
}

fn blocks(blocks: &[Block]) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Text(t) => writeln!(out, "{t}\n").unwrap(),
            Block::Console(c) => writeln!(out, "```console\n{c}\n```\n").unwrap(),
        }
    }
    out
}

/// One request field, from the generated TypeScript declaration.
#[derive(Debug, PartialEq)]
struct Field {
    name: String,
    optional: bool,
    ty: String,
    doc: String,
}

fn request_table(decl: &str) -> String {
    let body = decl
        .split_once(" = ")
        .map_or(decl, |(_, b)| b)
        .trim()
        .trim_end_matches(';')
        .trim();
    if body == "Record<string, never>" {
        return "No request fields: send `{}` (or nothing).\n".into();
    }
    let Some(fields) = parse_fields(body) else {
        return format!("Request: `{}`.\n", body.replace('|', "\\|"));
    };
    if fields.is_empty() {
        return "No request fields: send `{}` (or nothing).\n".into();
    }
    let mut out = String::from("| field | type | required | meaning |\n|---|---|---|---|\n");
    for f in fields {
        writeln!(
            out,
            "| `{}` | `{}` | {} | {} |",
            f.name,
            f.ty.replace('|', "\\|"),
            if f.optional { "no" } else { "**yes**" },
            cell(&f.doc)
        )
        .unwrap();
    }
    out
}

/// The fields of a TypeScript object type `{ /** doc */ a: T, b?: U, }`;
/// `None` when it is not an object type.
fn parse_fields(body: &str) -> Option<Vec<Field>> {
    let inner = body.strip_prefix('{')?.strip_suffix('}')?;
    let mut fields = Vec::new();
    let mut rest = inner.trim_start();
    while !rest.is_empty() {
        let mut doc = String::new();
        if let Some(after) = rest.strip_prefix("/**") {
            let end = after.find("*/")?;
            doc = jsdoc_text(&format!("/**{}*/", &after[..end]));
            rest = after[end + 2..].trim_start();
        }
        let colon = rest.find(':')?;
        let (name, optional) = match rest[..colon].trim().strip_suffix('?') {
            Some(n) => (n, true),
            None => (rest[..colon].trim(), false),
        };
        let after = &rest[colon + 1..];
        let end = top_level_comma(after).unwrap_or(after.len());
        fields.push(Field {
            name: name.trim_matches('"').to_string(),
            optional,
            ty: after[..end].trim().to_string(),
            doc,
        });
        rest = after.get(end + 1..).unwrap_or("").trim_start();
    }
    Some(fields)
}

/// Where a type ends: the first comma outside brackets and strings.
fn top_level_comma(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut quote = None;
    for (i, ch) in s.char_indices() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(ch),
            (None, '{' | '[' | '(' | '<') => depth += 1,
            (None, '}' | ']' | ')' | '>') => depth -= 1,
            (None, ',') if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The Markdown inside a JSDoc comment (`/**\n * text\n */`).
fn jsdoc_text(doc: &str) -> String {
    let inner = doc.trim().trim_start_matches("/**").trim_end_matches("*/");
    let lines: Vec<&str> = inner
        .lines()
        .map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix('*').unwrap_or(l);
            l.strip_prefix(' ').unwrap_or(l).trim_end()
        })
        .collect();
    lines.join("\n").trim().to_string()
}

fn first_paragraph(doc: &str) -> String {
    let para = doc.split("\n\n").next().unwrap_or(doc);
    para.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text for a table cell: one line, pipes escaped.
fn cell(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Every string enum among the request and response types (as exported for
/// the UI), with its values and the first paragraph of its doc comment.
fn value_lists() -> String {
    let dir = tempfile::tempdir().unwrap();
    crate::export_bindings(dir.path()).unwrap();
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let Some(at) = text.find("export type ") else {
            continue;
        };
        let decl = &text[at + "export ".len()..];
        let Some(values) = string_union(decl) else {
            continue;
        };
        let name = decl["type ".len()..]
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap_or_default()
            .to_string();
        let doc = text[..at]
            .rfind("/**")
            .map(|i| first_paragraph(&jsdoc_text(&text[i..at])))
            .unwrap_or_default();
        found.insert(name, (values, doc));
    }
    let mut out = String::from("| type | values | meaning |\n|---|---|---|\n");
    for (name, (values, doc)) in &found {
        let values = values
            .iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(out, "| `{name}` | {values} | {} |", cell(doc)).unwrap();
    }
    out
}

/// `type X = "a" | "b";` → `["a", "b"]`.
fn string_union(decl: &str) -> Option<Vec<String>> {
    let body = decl.split_once(" = ")?.1.trim().trim_end_matches(';');
    let mut values = Vec::new();
    for part in body.split('|') {
        let part = part.trim();
        let mut rest = part;
        while let Some(after) = rest.strip_prefix("/**") {
            rest = after.split_once("*/")?.1.trim();
        }
        values.push(rest.strip_prefix('"')?.strip_suffix('"')?.to_string());
    }
    Some(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_come_from_the_declaration() {
        let decl = "type X = { /**\n * The product.\n */\nproduct_id: ProductId, /**\n * Lines\n * of it.\n */\nlines?: Array<{ a: string, b: number }>, note: string | null, };";
        let fields = parse_fields(
            decl.split_once(" = ")
                .unwrap()
                .1
                .trim_end_matches(';')
                .trim(),
        )
        .unwrap();
        assert_eq!(fields.len(), 3);
        assert_eq!(fields[0].name, "product_id");
        assert_eq!(fields[0].doc, "The product.");
        assert!(fields[1].optional);
        assert_eq!(fields[1].ty, "Array<{ a: string, b: number }>");
        assert_eq!(fields[1].doc, "Lines\nof it.");
        assert_eq!(fields[2].ty, "string | null");
        assert_eq!(
            string_union("type R = \"a\" | \"b\";"),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(string_union("type R = { a: string };"), None);
    }

    #[test]
    fn a_command_shown_only_in_prose_has_no_example() {
        let mut blocks = BTreeMap::new();
        blocks.insert("verify".to_string(), vec![Block::Text("prose".into())]);
        blocks.insert(
            "list_stores".to_string(),
            vec![Block::Console("$ pharmapos … call list_stores".into())],
        );
        let missing = without_example(&blocks);
        assert!(missing.contains(&"verify"));
        assert!(!missing.contains(&"list_stores"));
        assert_eq!(missing.len(), COMMANDS.len() - 1);
    }

    /// Regenerates `docs/reference.md` and fails when the committed copy
    /// differs (CI runs it), or when a command has no example.
    #[test]
    fn reference_is_up_to_date() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reference.md");
        let fresh = generate();
        if std::env::var_os("UPDATE_REFERENCE").is_some() {
            std::fs::write(&path, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != fresh {
            let line = committed
                .lines()
                .zip(fresh.lines())
                .position(|(a, b)| a != b)
                .unwrap_or_else(|| committed.lines().count().min(fresh.lines().count()));
            panic!(
                "docs/reference.md is stale: it differs from line {} on (the regenerated line: {:?}).\n\
                 Regenerate it with `UPDATE_REFERENCE=1 cargo test -p pharmapos-commands reference` and commit it.",
                line + 1,
                fresh.lines().nth(line).unwrap_or("(end of file)")
            );
        }
    }
}
