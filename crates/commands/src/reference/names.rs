//! Stable placeholders for what differs on every run: ids are UUID v7
//! (time and randomness) and audit hashes chain over them, so the demo's
//! output is made byte-stable by naming each one after its first appearance
//! (`<product-1>`, `<batch-3>`, `<hash-2>`). The label comes from the JSON key
//! it first appears under, so the reader can tell what an id stands for.

use serde_json::{Map, Value};
use std::collections::HashMap;

/// The placeholders given so far, in order of first appearance.
#[derive(Default)]
pub(super) struct Names {
    given: HashMap<String, String>,
    counts: HashMap<String, usize>,
}

impl Names {
    /// The value with every id and hash inside its strings replaced, and its
    /// object keys sorted (whatever serde_json's `preserve_order` says).
    /// `command` names the ids found under a bare `id` key.
    pub(super) fn value(&mut self, v: &Value, key: &str, command: &str) -> Value {
        match v {
            // A Z report's printed head: the first 16 hex digits of a hash.
            Value::String(s)
                if key == "short_hash"
                    && s.len() == 16
                    && s.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                Value::String(self.name(s, "short-hash"))
            }
            Value::String(s) => Value::String(self.text(s, key, command)),
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.value(item, key, command))
                    .collect(),
            ),
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = Map::new();
                for k in keys {
                    out.insert(k.clone(), self.value(&map[k], k, command));
                }
                Value::Object(out)
            }
            other => other.clone(),
        }
    }

    /// The text with every UUID and 64-hex-digit hash replaced.
    pub(super) fn text(&mut self, s: &str, key: &str, command: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        let mut copied = 0;
        while i < bytes.len() {
            let boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
            let found = if !boundary {
                None
            } else if is_uuid(bytes, i) {
                Some((36, label(key, command)))
            } else if is_hash(bytes, i) {
                Some((64, "hash".to_string()))
            } else {
                None
            };
            match found {
                Some((len, label)) => {
                    out.push_str(&s[copied..i]);
                    out.push_str(&self.name(&s[i..i + len], &label));
                    i += len;
                    copied = i;
                }
                None => i += 1,
            }
        }
        out.push_str(&s[copied..]);
        out
    }

    fn name(&mut self, raw: &str, label: &str) -> String {
        if let Some(known) = self.given.get(raw) {
            return known.clone();
        }
        let n = self.counts.entry(label.to_string()).or_insert(0);
        *n += 1;
        let name = format!("<{label}-{n}>");
        self.given.insert(raw.to_string(), name.clone());
        name
    }
}

fn ends_here(bytes: &[u8], end: usize) -> bool {
    end == bytes.len() || !bytes[end].is_ascii_alphanumeric()
}

fn is_uuid(bytes: &[u8], at: usize) -> bool {
    let Some(candidate) = bytes.get(at..at + 36) else {
        return false;
    };
    candidate.iter().enumerate().all(|(i, b)| match i {
        8 | 13 | 18 | 23 => *b == b'-',
        _ => b.is_ascii_hexdigit(),
    }) && ends_here(bytes, at + 36)
}

fn is_hash(bytes: &[u8], at: usize) -> bool {
    bytes
        .get(at..at + 64)
        .is_some_and(|c| c.iter().all(u8::is_ascii_hexdigit))
        && ends_here(bytes, at + 64)
}

/// What an id under `key` (in a request or response of `command`) stands for.
fn label(key: &str, command: &str) -> String {
    let noun = key
        .strip_suffix("_ids")
        .or_else(|| key.strip_suffix("_id"))
        .unwrap_or(key);
    let noun = match noun {
        "id" | "" => noun_of(command),
        "actor" | "approver" => "user".to_string(),
        "product_batch" => "batch".to_string(),
        n if n.ends_with("_by") => "user".to_string(),
        n => n.to_string(),
    };
    noun.replace('_', "-")
}

/// The thing a command's bare `id`s name: `create_product` → `product`.
fn noun_of(command: &str) -> String {
    match command {
        "get_audit_trail" => return "event".into(),
        "list_security_log" => return "security-event".into(),
        "adjust_stock" | "writeoff_batch" => return "adjustment".into(),
        _ => {}
    }
    let noun = command.split_once('_').map_or(command, |(_, rest)| rest);
    if let Some(stem) = noun.strip_suffix("ies") {
        format!("{stem}y")
    } else {
        noun.strip_suffix('s').unwrap_or(noun).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_and_hashes_get_stable_names_by_first_appearance() {
        let mut n = Names::default();
        let a = "0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b";
        let b = "0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5c";
        let hash = "ab".repeat(32);
        let v =
            json!({"id": a, "zone": [b], "batch_id": b, "hash": hash, "note": format!("SALE-{a}")});
        let out = n.value(&v, "", "create_product");
        assert_eq!(
            serde_json::to_string(&out).unwrap(),
            r#"{"batch_id":"<batch-1>","hash":"<hash-1>","id":"<product-1>","note":"SALE-<product-1>","zone":["<batch-1>"]}"#
        );
        assert_eq!(n.text(&format!("{b}x"), "id", "x"), format!("{b}x"));
        assert_eq!(label("categories", "list_categories"), "categories");
        assert_eq!(noun_of("list_categories"), "category");
        assert_eq!(label("discount_approved_by", "x"), "user");
    }
}
