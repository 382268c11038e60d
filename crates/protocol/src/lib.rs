//! The sync protocol's shared part: what crosses the wire between a store's
//! installation and the central server, and the one definition of the store
//! record's hash chain that both sides compute.
//!
//! A leaf crate (serde, sha2): the engine links it to hash the events it
//! writes, the server to verify each pushed event before storing it, so the
//! two can never disagree on what an event's bytes are. Ids travel as their
//! text form (UUID v7), quantities as the engine's scaled integers
//! (thousandths), instants as RFC 3339 UTC text.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What the first event of a store's record chains from.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Events written before the engine's migration V6: the hash covers the
/// stock fields only.
pub const FORMAT_V1: i64 = 1;
/// Events written since: the hash also covers the installation and payload.
pub const FORMAT_V2: i64 = 2;

/// The fields an event's hash covers, in a fixed order, borrowed from
/// wherever the event lives (a row being written, a row read back, a pushed
/// event). Serialised as a JSON array so that no two different events share
/// bytes.
#[derive(Clone, Copy, Debug)]
pub struct Canonical<'a> {
    /// [`FORMAT_V1`] or [`FORMAT_V2`].
    pub format: i64,
    /// The event's id.
    pub id: &'a str,
    /// The store whose record it is.
    pub store_id: &'a str,
    /// The installation that wrote it (format 2).
    pub installation_id: Option<&'a str>,
    /// Its place in the store's record, from 1.
    pub seq: i64,
    /// The batch it moved, if any.
    pub batch_id: Option<&'a str>,
    /// The product it concerns, if any.
    pub product_id: Option<&'a str>,
    /// Its kind (`receipt`, `sale`, …).
    pub change_type: &'a str,
    /// The batch's quantity before, in thousandths.
    pub previous_milli: Option<i64>,
    /// The batch's quantity after, in thousandths.
    pub new_milli: Option<i64>,
    /// Who acted.
    pub user_id: &'a str,
    /// The document it belongs to (sale, adjustment, transfer…).
    pub reference_id: Option<&'a str>,
    /// Notes.
    pub notes: Option<&'a str>,
    /// When (RFC 3339, UTC).
    pub created_at: &'a str,
    /// The batch's previous event in this record (a per-batch back-link).
    pub batch_prev_seq: Option<i64>,
    /// The canonical JSON payload (format 2).
    pub payload: Option<&'a str>,
}

/// `SHA-256(previous hash ‖ canonical event bytes)`, as lower-case hex.
pub fn chain_hash(prev_hash: &str, c: &Canonical<'_>) -> Result<String, serde_json::Error> {
    let bytes = match c.format {
        FORMAT_V1 => serde_json::to_vec(&(
            "pharmapos-audit-v1",
            c.id,
            c.store_id,
            c.seq,
            c.batch_id,
            c.product_id,
            c.change_type,
            c.previous_milli,
            c.new_milli,
            c.user_id,
            c.reference_id,
            c.notes,
            c.created_at,
            c.batch_prev_seq,
        )),
        // A tuple this long has no serde impl: nest the tail.
        _ => serde_json::to_vec(&(
            "pharmapos-audit-v2",
            c.id,
            c.store_id,
            c.installation_id,
            c.seq,
            c.batch_id,
            c.product_id,
            c.change_type,
            (
                c.previous_milli,
                c.new_milli,
                c.user_id,
                c.reference_id,
                c.notes,
                c.created_at,
                c.batch_prev_seq,
                c.payload,
            ),
        )),
    }?;
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(&bytes);
    Ok(hex::encode(h.finalize()))
}

/// One event of a store's record as it travels: every field its hash covers,
/// and the hash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordEvent {
    /// [`FORMAT_V1`] or [`FORMAT_V2`].
    pub format: i64,
    /// Event id (UUID v7): the server stores each once.
    pub id: String,
    /// Store.
    pub store_id: String,
    /// Installation that wrote it.
    pub installation_id: Option<String>,
    /// Sequence number in the store's record.
    pub seq: i64,
    /// Batch.
    pub batch_id: Option<String>,
    /// Product.
    pub product_id: Option<String>,
    /// Kind.
    pub change_type: String,
    /// Quantity before (thousandths).
    pub previous_milli: Option<i64>,
    /// Quantity after (thousandths).
    pub new_milli: Option<i64>,
    /// Actor.
    pub user_id: String,
    /// Document.
    pub reference_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// When.
    pub created_at: String,
    /// The batch's previous event.
    pub batch_prev_seq: Option<i64>,
    /// Canonical JSON payload.
    pub payload: Option<String>,
    /// `SHA-256(previous event's hash ‖ canonical bytes)`.
    pub hash: String,
}

impl RecordEvent {
    /// The fields its hash covers.
    pub fn canonical(&self) -> Canonical<'_> {
        Canonical {
            format: self.format,
            id: &self.id,
            store_id: &self.store_id,
            installation_id: self.installation_id.as_deref(),
            seq: self.seq,
            batch_id: self.batch_id.as_deref(),
            product_id: self.product_id.as_deref(),
            change_type: &self.change_type,
            previous_milli: self.previous_milli,
            new_milli: self.new_milli,
            user_id: &self.user_id,
            reference_id: self.reference_id.as_deref(),
            notes: self.notes.as_deref(),
            created_at: &self.created_at,
            batch_prev_seq: self.batch_prev_seq,
            payload: self.payload.as_deref(),
        }
    }
}

/// Why a run of events does not continue a chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainBreak {
    /// The first event that does not follow.
    pub seq: i64,
    /// What is wrong with it.
    pub reason: String,
}

/// Checks that `events` continue the chain whose head is `(head_seq,
/// head_hash)` of `store_id`: consecutive sequence numbers from
/// `head_seq + 1`, every event of that store, and each hash recomputed from
/// its content and its predecessor's hash. Returns the new head's hash.
pub fn verify_continuation(
    store_id: &str,
    head_seq: i64,
    head_hash: &str,
    events: &[RecordEvent],
) -> Result<String, ChainBreak> {
    let mut prev = head_hash.to_string();
    for (i, e) in events.iter().enumerate() {
        let want = head_seq + 1 + i as i64;
        let broken = |reason: String| ChainBreak { seq: e.seq, reason };
        if e.store_id != store_id {
            return Err(broken(format!(
                "event {} belongs to store {}",
                e.seq, e.store_id
            )));
        }
        if e.seq != want {
            return Err(broken(format!("expected sequence {want}, found {}", e.seq)));
        }
        let hash = chain_hash(&prev, &e.canonical())
            .map_err(|err| broken(format!("event {} cannot be encoded: {err}", e.seq)))?;
        if hash != e.hash {
            return Err(broken(format!(
                "event {} does not match its hash: altered, or not chained to event {}",
                e.seq,
                e.seq - 1
            )));
        }
        prev = hash;
    }
    Ok(prev)
}

/// `POST /v1/push`: the store's next events, in order (at most
/// [`MAX_EVENTS_PER_PUSH`]). The store, its installation and its secret
/// travel in headers ([`STORE_HEADER`], [`INSTALLATION_HEADER`], a bearer
/// token), never in the body.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// Events after the server's acknowledged head (events at or below it
    /// are accepted again when identical: a retried batch is harmless).
    pub events: Vec<RecordEvent>,
}

/// The answer to a push, and to `GET /v1/head`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    /// The store.
    pub store_id: String,
    /// The last event the server holds (0: none).
    pub acknowledged_seq: i64,
    /// Its hash ([`GENESIS_HASH`] before the first).
    pub head_hash: String,
    /// How many events this request stored (0 for `GET /v1/head` and for a
    /// batch the server already had).
    pub stored: i64,
}

/// Every refusal: `{"error": {kind, message, details, retryable}}`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: WireError,
}

/// A refusal's machine-readable kind, words and data; `retryable` says
/// whether sending the same request later can succeed (a busy or unreachable
/// database) or never will (a broken chain, a wrong secret).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WireError {
    /// `unauthenticated`, `store_not_owned`, `invalid_input`, `too_large`,
    /// `chain_broken`, `chain_diverged`, `not_found`, `unavailable`.
    pub kind: String,
    /// Plain words.
    pub message: String,
    /// Data (e.g. `expected_seq`).
    pub details: serde_json::Value,
    /// Whether a retry can help.
    pub retryable: bool,
}

/// Header naming the pushing store.
pub const STORE_HEADER: &str = "x-pharmapos-store";
/// Header with the store's own newest event (`GET /v1/head`): head office
/// sees how far behind the server is.
pub const LOCAL_HEAD_HEADER: &str = "x-pharmapos-local-head";
/// Header naming the installation (database file) the store lives in.
pub const INSTALLATION_HEADER: &str = "x-pharmapos-installation";
/// Most events in one push: bounds the server's transaction (SYNC-NOTES:
/// one huge transaction runs PostgreSQL out of lock memory).
pub const MAX_EVENTS_PER_PUSH: usize = 1000;

/// Most changes in one page of a pull.
pub const MAX_CHANGES_PER_PULL: usize = 500;

/// Where a pull starts: the position of the last change the store took, as
/// the server wrote it (`"<transaction>.<row>"`, opaque to the client).
/// A new store starts at [`PULL_START`].
pub const PULL_START: &str = "0.0";

/// The event kinds that another store must hear of, and which store that
/// is: a shipment (`transfer_shipped`) goes to its destination, a receipt
/// (`transfer_received`, full or short) back to its source, and a
/// discrepancy's resolution at the source (`transfer_discrepancy_resolved`,
/// `transfer_discrepancy_rejected`) to the destination that recorded it. Both the server (which routes on
/// push) and the engine (which applies on pull) read this one list.
pub const ROUTED_KINDS: [&str; 4] = [
    "transfer_shipped",
    "transfer_received",
    "transfer_discrepancy_resolved",
    "transfer_discrepancy_rejected",
];

/// The store an event is addressed to, read from its payload (the
/// transfer's `from_store_id` / `to_store_id`), or `None` for an event no
/// other store needs. `Err` when a routed kind lacks its addressee: such an
/// event would never arrive, so the server refuses it.
pub fn addressed_to(e: &RecordEvent) -> Result<Option<String>, String> {
    let field = match e.change_type.as_str() {
        "transfer_shipped" | "transfer_discrepancy_resolved" | "transfer_discrepancy_rejected" => {
            "to_store_id"
        }
        "transfer_received" => "from_store_id",
        _ => return Ok(None),
    };
    let payload: serde_json::Value = e
        .payload
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|err| format!("event {} has a payload that is not JSON: {err}", e.seq))?
        .unwrap_or(serde_json::Value::Null);
    let to = payload
        .pointer(&format!("/data/transfer/{field}"))
        .and_then(|v| v.as_str())
        .ok_or_else(|| {
            format!(
                "event {} ({}) does not name the transfer's {field}",
                e.seq, e.change_type
            )
        })?;
    if to == e.store_id {
        // A transfer's two ends are never one store; nothing to deliver.
        return Ok(None);
    }
    Ok(Some(to.to_string()))
}

/// One change addressed to a store: another store's event, as it pushed it
/// (so the receiver can check its hash), at `cursor` in the store's mailbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PulledChange {
    /// The change's position: pass the last one taken as `after`.
    pub cursor: String,
    /// The event, from the sending store's record.
    pub event: RecordEvent,
}

/// `GET /v1/pull?after=<cursor>&limit=<n>`: the changes addressed to the
/// calling store after `after`, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PullAnswer {
    /// The store.
    pub store_id: String,
    /// The changes, oldest first (at most the limit asked for and
    /// [`MAX_CHANGES_PER_PULL`]).
    pub changes: Vec<PulledChange>,
    /// Where the next pull starts (the last change's cursor, or `after` when
    /// there is none).
    pub next_cursor: String,
    /// Whether more changes were ready when this page was read.
    pub more: bool,
}

/// A store in head office's directory (`GET /v1/stores`): what another
/// store needs to address a transfer to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DirectoryEntry {
    /// The store's id (its id in its own file).
    pub id: String,
    /// Its code (short, unique in the directory).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its IANA time zone.
    pub timezone: String,
    /// Its currency (ISO 4217).
    pub currency: String,
}

/// `GET /v1/stores?after=<cursor>&limit=<n>`: the stores registered or
/// changed after `after`, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    /// The stores.
    pub stores: Vec<DirectoryEntry>,
    /// Where the next page starts.
    pub next_cursor: String,
    /// Whether more were ready.
    pub more: bool,
}

/// A product of head office's catalogue as stores apply it: the fields
/// head office owns (identity, description, how it is sold, its price).
/// Everything else of a store's product row (cost, reorder levels, storage,
/// location) is the store's. Quantities and money travel as decimal text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueProduct {
    /// The product's id (UUID), the same in every store's file.
    pub id: String,
    /// Its version, from 1; a store applies a version once, in order.
    pub version: i64,
    /// Stock-keeping code, unique.
    pub sku: String,
    /// Name.
    pub name: String,
    /// Generic (INN) name.
    #[serde(default)]
    pub generic_name: Option<String>,
    /// Brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// `neurotoxin`, `filler`, `skincare`, `device`, `consumable`,
    /// `supplement`, `medicine` or `other`.
    pub category: String,
    /// Regulator's registration number (NAFDAC).
    #[serde(default)]
    pub nafdac_number: Option<String>,
    /// Barcodes (GTIN/EAN/UPC), each in one product only.
    #[serde(default)]
    pub barcodes: Vec<String>,
    /// Unit it is counted in (`tablet`, `ml`, `unit`…).
    pub unit: String,
    /// Whether fractional quantities are allowed (12.5 units).
    pub allow_fractional: bool,
    /// Prescription only.
    pub prescription_only: bool,
    /// Selling price, decimal text with at most 4 places (`"1250.00"`).
    pub selling_price: String,
    /// Tax rate in percent, decimal text (`"7.5"`).
    pub tax_rate: String,
    /// `active` or `discontinued`.
    pub status: String,
    /// When head office published this version (RFC 3339).
    pub updated_at: String,
    /// Which admin published it.
    pub updated_by: String,
}

/// The categories a catalogue product may have.
pub const PRODUCT_CATEGORIES: [&str; 8] = [
    "neurotoxin",
    "filler",
    "skincare",
    "device",
    "consumable",
    "supplement",
    "medicine",
    "other",
];

fn decimal_text(s: &str, places: usize) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    !int.is_empty()
        && int.len() <= 12
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= places
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() != s.contains('.'))
}

impl CatalogueProduct {
    /// What is wrong with the product's shape, field by field (`(field,
    /// words)`); empty when none. The store's engine applies its own rules
    /// again when it applies the product.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        let mut text = |field: &'static str, v: &str, max: usize, required: bool| {
            if required && v.trim().is_empty() {
                out.push((field, format!("give the {field}")));
            } else if v.chars().count() > max {
                out.push((field, format!("{field} is longer than {max} characters")));
            }
        };
        text("sku", &self.sku, 64, true);
        text("name", &self.name, 200, true);
        text("unit", &self.unit, 30, true);
        for (field, v, max) in [
            ("generic_name", &self.generic_name, 200),
            ("brand", &self.brand, 120),
            ("description", &self.description, 2000),
            ("nafdac_number", &self.nafdac_number, 40),
        ] {
            if let Some(v) = v {
                text(field, v, max, false);
            }
        }
        if !PRODUCT_CATEGORIES.contains(&self.category.as_str()) {
            out.push((
                "category",
                format!("category must be one of {}", PRODUCT_CATEGORIES.join(", ")),
            ));
        }
        if !decimal_text(&self.selling_price, 4) {
            out.push((
                "selling_price",
                "the selling price is a number ≥ 0 with at most 4 decimal places (e.g. 1250.00)"
                    .into(),
            ));
        }
        if !decimal_text(&self.tax_rate, 4)
            || self
                .tax_rate
                .split('.')
                .next()
                .and_then(|i| i.parse::<u64>().ok())
                .is_none_or(|i| i > 100)
        {
            out.push((
                "tax_rate",
                "the tax rate is a percentage from 0 to 100".into(),
            ));
        }
        if !matches!(self.status.as_str(), "active" | "discontinued") {
            out.push(("status", "status is active or discontinued".into()));
        }
        for b in &self.barcodes {
            if b.is_empty() || b.len() > 64 || !b.bytes().all(|c| c.is_ascii_alphanumeric()) {
                out.push(("barcodes", format!("'{b}' is not a barcode")));
            }
        }
        if self.version < 1 {
            out.push(("version", "versions start at 1".into()));
        }
        out
    }
}

/// A vendor (supplier) of head office's catalogue as stores apply it: the
/// fields head office owns (who the vendor is, how to reach them, their
/// terms, whether they may be ordered from). The store keeps its own
/// account number with the vendor, its preferred flag, its notes and the
/// performance it measured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueVendor {
    /// The vendor's id (UUID), the same in every store's file.
    pub id: String,
    /// Its version, from 1; a store applies a version once, in order.
    pub version: i64,
    /// Name, unique in the catalogue (case aside).
    pub name: String,
    /// Contact person.
    #[serde(default)]
    pub contact_person: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Address.
    #[serde(default)]
    pub address: Option<String>,
    /// Payment terms (`Net 30`, `COD`).
    #[serde(default)]
    pub payment_terms: Option<String>,
    /// Tax id.
    #[serde(default)]
    pub tax_id: Option<String>,
    /// Specialisations (what they supply).
    #[serde(default)]
    pub categories: Vec<String>,
    /// `active` or `inactive` (stores can no longer receive from it).
    pub status: String,
    /// When head office published this version (RFC 3339).
    pub updated_at: String,
    /// Which admin published it.
    pub updated_by: String,
}

impl CatalogueVendor {
    /// What is wrong with the vendor's shape, field by field (`(field,
    /// words)`); empty when none. The store's engine applies its own rules
    /// again when it applies the vendor.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if self.name.trim().is_empty() {
            out.push(("name", "give the name".to_string()));
        } else if self.name.chars().count() > 120 {
            out.push(("name", "name is longer than 120 characters".to_string()));
        }
        for (field, v) in [
            ("contact_person", &self.contact_person),
            ("email", &self.email),
            ("phone", &self.phone),
            ("address", &self.address),
            ("payment_terms", &self.payment_terms),
            ("tax_id", &self.tax_id),
        ] {
            if v.as_ref().is_some_and(|v| v.chars().count() > 300) {
                out.push((field, format!("{field} is longer than 300 characters")));
            }
        }
        if let Some(e) = &self.email {
            if !e.contains('@') || e.contains(' ') {
                out.push(("email", format!("'{e}' is not an email address")));
            }
        }
        if self
            .categories
            .iter()
            .any(|c| c.trim().is_empty() || c.chars().count() > 60)
        {
            out.push((
                "categories",
                "each specialisation is 1 to 60 characters".to_string(),
            ));
        }
        if !matches!(self.status.as_str(), "active" | "inactive") {
            out.push(("status", "status is active or inactive".into()));
        }
        if self.version < 1 {
            out.push(("version", "versions start at 1".into()));
        }
        out
    }
}

/// What one entry of the catalogue feed carries: a product or a vendor,
/// each at its newest version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogueItem {
    /// A product with its price.
    Product(CatalogueProduct),
    /// A vendor.
    Vendor(CatalogueVendor),
}

impl CatalogueItem {
    /// The item's id and version, as `catalogue:<id>:<version>` (a
    /// product: the form stores have staged since products came alone) or
    /// `vendor:<id>:<version>`: the same version is staged once.
    pub fn key(&self) -> String {
        match self {
            CatalogueItem::Product(p) => format!("catalogue:{}:{}", p.id, p.version),
            CatalogueItem::Vendor(v) => format!("vendor:{}:{}", v.id, v.version),
        }
    }
}

/// One entry of the catalogue feed at its position: `{"cursor": …,
/// "product": {…}}` or `{"cursor": …, "vendor": {…}}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogueEntry {
    /// Its position in the feed: pass the last one taken as `after`.
    pub cursor: String,
    /// The product or vendor at its newest version.
    #[serde(flatten)]
    pub item: CatalogueItem,
}

/// `GET /v1/catalogue?after=<cursor>&limit=<n>`: head office's products and
/// vendors changed after `after` (each once, at its newest version), in
/// order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CataloguePage {
    /// The products and vendors.
    pub entries: Vec<CatalogueEntry>,
    /// Where the next page starts.
    pub next_cursor: String,
    /// Whether more were ready.
    pub more: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn event(seq: i64, prev: &str) -> RecordEvent {
        let mut e = RecordEvent {
            format: FORMAT_V2,
            id: format!("0193a1c2-0000-7000-8000-{seq:012}"),
            store_id: "s1".into(),
            installation_id: Some("i1".into()),
            seq,
            batch_id: Some("b1".into()),
            product_id: Some("p1".into()),
            change_type: "receipt".into(),
            previous_milli: Some(0),
            new_milli: Some(5000),
            user_id: "u1".into(),
            reference_id: None,
            notes: Some("12.5 U".into()),
            created_at: "2026-11-30T10:00:00.000Z".into(),
            batch_prev_seq: None,
            payload: Some("{}".into()),
            hash: String::new(),
        };
        e.hash = chain_hash(prev, &e.canonical()).unwrap();
        e
    }

    #[test]
    fn a_chain_verifies_and_any_change_breaks_it() {
        let a = event(1, GENESIS_HASH);
        let b = event(2, &a.hash);
        let head = verify_continuation("s1", 0, GENESIS_HASH, &[a.clone(), b.clone()]);
        assert_eq!(head, Ok(b.hash.clone()));
        // Continuing from a head.
        assert_eq!(
            verify_continuation("s1", 1, &a.hash, std::slice::from_ref(&b)),
            Ok(b.hash.clone())
        );
        // A changed quantity, a gap, another store, a wrong predecessor.
        let mut altered = b.clone();
        altered.new_milli = Some(4000);
        assert_eq!(
            verify_continuation("s1", 1, &a.hash, &[altered]).map_err(|e| e.seq),
            Err(2)
        );
        assert!(verify_continuation("s1", 0, GENESIS_HASH, std::slice::from_ref(&b)).is_err());
        assert!(verify_continuation("s2", 0, GENESIS_HASH, std::slice::from_ref(&a)).is_err());
        assert!(verify_continuation("s1", 1, GENESIS_HASH, &[b]).is_err());
    }

    #[test]
    fn routed_events_name_the_other_end() {
        let mut e = event(1, GENESIS_HASH);
        assert_eq!(addressed_to(&e), Ok(None));
        e.change_type = "transfer_shipped".into();
        e.payload =
            Some(r#"{"data":{"transfer":{"from_store_id":"s1","to_store_id":"s2"}}}"#.into());
        assert_eq!(addressed_to(&e), Ok(Some("s2".into())));
        e.change_type = "transfer_received".into();
        e.store_id = "s2".into();
        assert_eq!(addressed_to(&e), Ok(Some("s1".into())));
        e.payload = Some("{}".into());
        assert!(addressed_to(&e).is_err());
        e.payload = Some("not json".into());
        assert!(addressed_to(&e).is_err());
    }

    #[test]
    fn catalogue_products_are_checked_field_by_field() {
        let good = CatalogueProduct {
            id: "p1".into(),
            version: 1,
            sku: "AMX500".into(),
            name: "Amoxicillin 500mg".into(),
            generic_name: None,
            brand: None,
            description: None,
            category: "medicine".into(),
            nafdac_number: None,
            barcodes: vec!["5012345678900".into()],
            unit: "capsule".into(),
            allow_fractional: false,
            prescription_only: true,
            selling_price: "1250.50".into(),
            tax_rate: "7.5".into(),
            status: "active".into(),
            updated_at: "2026-12-01T10:00:00Z".into(),
            updated_by: "hq".into(),
        };
        assert!(good.problems().is_empty());
        for (field, bad) in [
            (
                "selling_price",
                CatalogueProduct {
                    selling_price: "-1".into(),
                    ..good.clone()
                },
            ),
            (
                "selling_price",
                CatalogueProduct {
                    selling_price: "1.23456".into(),
                    ..good.clone()
                },
            ),
            (
                "selling_price",
                CatalogueProduct {
                    selling_price: "1.".into(),
                    ..good.clone()
                },
            ),
            (
                "tax_rate",
                CatalogueProduct {
                    tax_rate: "101".into(),
                    ..good.clone()
                },
            ),
            (
                "category",
                CatalogueProduct {
                    category: "food".into(),
                    ..good.clone()
                },
            ),
            (
                "sku",
                CatalogueProduct {
                    sku: " ".into(),
                    ..good.clone()
                },
            ),
            (
                "status",
                CatalogueProduct {
                    status: "deleted".into(),
                    ..good.clone()
                },
            ),
            (
                "barcodes",
                CatalogueProduct {
                    barcodes: vec!["12 34".into()],
                    ..good.clone()
                },
            ),
        ] {
            let p = bad.problems();
            assert_eq!(p.first().map(|p| p.0), Some(field), "{p:?}");
        }
    }

    #[test]
    fn catalogue_vendors_are_checked_and_entries_keep_their_shape() {
        let good = CatalogueVendor {
            id: "v1".into(),
            version: 2,
            name: "Emzor Pharmaceuticals".into(),
            contact_person: None,
            email: Some("orders@emzor.example".into()),
            phone: None,
            address: None,
            payment_terms: Some("Net 30".into()),
            tax_id: None,
            categories: vec!["medicine".into()],
            status: "active".into(),
            updated_at: "2026-12-01T10:00:00Z".into(),
            updated_by: "hq".into(),
        };
        assert!(good.problems().is_empty());
        for (field, bad) in [
            (
                "name",
                CatalogueVendor {
                    name: " ".into(),
                    ..good.clone()
                },
            ),
            (
                "email",
                CatalogueVendor {
                    email: Some("orders".into()),
                    ..good.clone()
                },
            ),
            (
                "categories",
                CatalogueVendor {
                    categories: vec![String::new()],
                    ..good.clone()
                },
            ),
            (
                "status",
                CatalogueVendor {
                    status: "closed".into(),
                    ..good.clone()
                },
            ),
        ] {
            let p = bad.problems();
            assert_eq!(p.first().map(|p| p.0), Some(field), "{p:?}");
        }
        let entry = CatalogueEntry {
            cursor: "7.3".into(),
            item: CatalogueItem::Vendor(good),
        };
        let text = serde_json::to_value(&entry).unwrap();
        assert_eq!(text["cursor"], "7.3");
        assert_eq!(text["vendor"]["name"], "Emzor Pharmaceuticals");
        assert_eq!(
            serde_json::from_value::<CatalogueEntry>(text).unwrap(),
            entry
        );
        assert_eq!(entry.item.key(), "vendor:v1:2");
    }

    #[test]
    fn the_hash_is_the_documented_bytes() {
        // Pinned: a change to the canonical form would orphan every record
        // already written and every chain the server holds.
        let a = event(1, GENESIS_HASH);
        let bytes = serde_json::to_string(&(
            "pharmapos-audit-v2",
            &a.id,
            "s1",
            Some("i1"),
            1,
            Some("b1"),
            Some("p1"),
            "receipt",
            (
                Some(0),
                Some(5000),
                "u1",
                None::<&str>,
                Some("12.5 U"),
                "2026-11-30T10:00:00.000Z",
                None::<i64>,
                Some("{}"),
            ),
        ))
        .unwrap();
        let mut h = Sha256::new();
        h.update(GENESIS_HASH.as_bytes());
        h.update(bytes.as_bytes());
        assert_eq!(a.hash, hex::encode(h.finalize()));
    }
}
