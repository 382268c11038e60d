//! Onboarding a store: importing its catalogue, suppliers, customers and
//! opening stock from CSV, and exporting the same formats (issue 14).
//!
//! Contract (docs/onboarding.md has the formats):
//! - `preview_import` reads the whole file, suggests a column mapping from
//!   the header (names and synonyms, [`fields`]), and checks every row
//!   against the same rules as the single-record operations, reporting
//!   every error at once (row, field, value, message) without writing;
//! - `run_import` checks everything first; one error and it refuses with
//!   `invalid_input` listing them all ([`Error::ImportRejected`]) and writes
//!   nothing; otherwise it writes every record in the one transaction of
//!   the operation, each with its event (`product_created`,
//!   `supplier_created`, `customer_created`, and for opening stock a
//!   `receipt` per batch through the receive path's batch writer);
//! - [`run_import_with_progress`] is the same operation reporting its
//!   progress (the desktop shell turns it into events for a progress bar);
//! - `export_onboarding_csv` writes each kind in the format its import reads.
//!
//! Permissions: the catalogue kinds need `manage_catalogue` (as
//! `create_product`, `create_supplier`, `create_customer`); opening stock
//! needs `receive_stock` too, in the store it goes into (as
//! `receive_stock`).
//!
//! Speed: lookups (SKUs, barcodes, suppliers, categories, products, the
//! store's batches) are loaded into maps once, never queried per row; the
//! writers use cached statements. A file of a million rows is held in
//! memory as checked rows between checking and writing.

mod catalogue;
mod cells;
pub mod export;
pub mod fields;
mod stock;

use crate::auth::Permission;
use crate::ids::StoreId;
use crate::op::{Ctx, Operation};
use crate::{Db, Error, Result, Session};
use cells::{Cells, Sheet, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// Most data rows in one file.
pub const MAX_ROWS: u64 = 2_000_000;
/// Most errors listed in a preview or a refusal (all are counted).
pub const MAX_ERRORS_LISTED: usize = 10_000;
/// Rows shown by a preview.
pub const PREVIEW_ROWS: usize = 20;

/// What a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportKind {
    /// The catalogue: one product per row.
    Products,
    /// Suppliers and vendors.
    Suppliers,
    /// Customers.
    Customers,
    /// Opening stock: one batch per row, into one store.
    OpeningStock,
}

impl ImportKind {
    /// The kind's name, as in requests.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Products => "products",
            ImportKind::Suppliers => "suppliers",
            ImportKind::Customers => "customers",
            ImportKind::OpeningStock => "opening_stock",
        }
    }
}

/// One error of a file: where, what was there, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RowError {
    /// The row as a spreadsheet numbers it: the header is row 1.
    #[ts(type = "number")]
    pub row: u64,
    /// The text line the row starts on (differs from `row` after a quoted
    /// newline).
    #[ts(type = "number")]
    pub line: u64,
    /// The import field at fault (`sku`, `expiry_date`…), when one is.
    pub field: Option<String>,
    /// The file's column mapped to that field, as its header names it.
    pub column: Option<String>,
    /// The cell's text.
    pub value: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

macro_rules! import_request {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Deserialize, TS)]
        #[serde(deny_unknown_fields)]
        #[ts(export)]
        pub struct $name {
            /// What the file holds.
            pub kind: ImportKind,
            /// The file's text (this or `path`).
            #[ts(optional)]
            pub csv: Option<String>,
            /// A file on this computer (this or `csv`; better for large files).
            #[ts(optional)]
            pub path: Option<String>,
            /// Field → column header, overriding the suggested mapping field
            /// by field; an empty column leaves the field unmapped.
            #[ts(optional)]
            pub mapping: Option<BTreeMap<String, String>>,
            /// Opening stock: the store it goes into (default: the user's).
            #[ts(optional)]
            pub store_id: Option<StoreId>,
        }
    };
}

import_request!(
    /// Reads a CSV file and checks it without writing anything.
    ///
    /// - `kind`: `products`, `suppliers`, `customers` or `opening_stock`; the file is
    ///   `csv` (its text) or `path` (a file on this computer), UTF-8 with a header row
    ///   (a BOM is dropped; quoted commas and newlines are fine).
    /// - Returns the header, the suggested mapping (header names and synonyms from
    ///   Odoo, ERPNext and mSupply exports, case and spaces ignored), the mapping used
    ///   (`mapping` overrides it field by field), the target fields with their
    ///   required flags, the first 20 rows as mapped, the row count, and **every**
    ///   error (row — the header is row 1 —, field, column, value, message): the first
    ///   10,000 listed, `error_count` counting all.
    /// - Checks: required columns, numbers, money, dates, yes/no cells, text lengths
    ///   and every rule of the single-record operation (`create_product`,
    ///   `create_supplier`, `create_customer`, `receive_stock`); duplicates within the
    ///   file and against the database (SKUs, barcodes, supplier names, customer codes,
    ///   batches); unknown products and suppliers; quantities ≤ 0; expired stock
    ///   (refused, as `receive_stock` refuses it).
    /// - Needs `manage_catalogue`; opening stock also `receive_stock` in its store.
    PreviewImport
);

import_request!(
    /// Imports a CSV file, all or nothing.
    ///
    /// - Same request and checks as `preview_import`. Any error → `invalid_input`
    ///   whose details list the errors (`import_kind`, `errors`, `error_count`,
    ///   `errors_truncated`), and nothing is written.
    /// - Otherwise every row is written in one transaction with its events:
    ///   `product_created` (and `category_created` for each category named but
    ///   missing), `supplier_created`, `customer_created`; opening stock as receipts —
    ///   a batch per row with a `receipt` event, purchase receipts per supplier and
    ///   reference for rows naming a supplier.
    /// - Returns the counts created.
    RunImport
);

impl From<RunImport> for PreviewImport {
    fn from(r: RunImport) -> Self {
        PreviewImport {
            kind: r.kind,
            csv: r.csv,
            path: r.path,
            mapping: r.mapping,
            store_id: r.store_id,
        }
    }
}

/// What a preview found.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportPreview {
    /// What the file holds.
    pub kind: ImportKind,
    /// The header cells, as written.
    pub header: Vec<String>,
    /// The mapping suggested from the header: field → column.
    pub suggested_mapping: BTreeMap<String, String>,
    /// The mapping used (the suggestion with the request's overrides).
    pub mapping: BTreeMap<String, String>,
    /// Columns mapped to no field (ignored).
    pub unmapped_columns: Vec<String>,
    /// Every field this kind takes.
    pub fields: Vec<fields::FieldSpec>,
    /// The first rows as mapped: field → cell text.
    pub rows: Vec<BTreeMap<String, String>>,
    /// Data rows in the file.
    #[ts(type = "number")]
    pub total_rows: u64,
    /// The errors (the first 10,000).
    pub errors: Vec<RowError>,
    /// Errors found in all.
    #[ts(type = "number")]
    pub error_count: u64,
    /// True when `errors` holds only the first of them.
    pub errors_truncated: bool,
    /// What `run_import` would create (when there are no errors).
    pub will_create: ImportCounts,
}

/// Records created, by kind.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ImportCounts {
    /// Products.
    #[ts(type = "number")]
    pub products: u64,
    /// Categories (named by products, missing before).
    #[ts(type = "number")]
    pub categories: u64,
    /// Suppliers.
    #[ts(type = "number")]
    pub suppliers: u64,
    /// Customers.
    #[ts(type = "number")]
    pub customers: u64,
    /// Batches (opening stock).
    #[ts(type = "number")]
    pub batches: u64,
    /// Purchase receipts (opening stock naming suppliers).
    #[ts(type = "number")]
    pub purchase_receipts: u64,
}

/// What an import did.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct ImportOutcome {
    /// What the file held.
    pub kind: ImportKind,
    /// Data rows imported.
    #[ts(type = "number")]
    pub rows: u64,
    /// Records created.
    pub created: ImportCounts,
}

/// The step an import is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ImportPhase {
    /// Reading and checking rows.
    Checking,
    /// Writing the checked rows.
    Writing,
    /// Written (the transaction commits next).
    Done,
}

/// How far an import has got, reported to [`run_import_with_progress`]'s
/// sink every few thousand rows and at each change of phase.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ImportProgress {
    /// The step.
    pub phase: ImportPhase,
    /// Rows read and checked so far.
    #[ts(type = "number")]
    pub rows_checked: u64,
    /// Rows written so far.
    #[ts(type = "number")]
    pub rows_written: u64,
    /// Data rows in the file, once known (after checking).
    #[ts(type = "number | null")]
    pub total_rows: Option<u64>,
    /// The whole import's progress, 0–100 (checking counts for the first
    /// 30, by bytes read; writing for the rest, by rows).
    pub percent: u8,
}

/// Rows between two progress reports.
const PROGRESS_EVERY: u64 = 4096;

/// Errors found, the first [`MAX_ERRORS_LISTED`] kept.
#[derive(Default)]
pub(crate) struct Errors {
    pub list: Vec<RowError>,
    pub count: u64,
}

impl Errors {
    pub(crate) fn push(&mut self, e: RowError) {
        self.count += 1;
        if self.list.len() < MAX_ERRORS_LISTED {
            self.list.push(e);
        }
    }

    /// A whole-file error (row 1, the header).
    pub(crate) fn file(&mut self, field: Option<&str>, message: impl Into<String>) {
        self.push(RowError {
            row: 1,
            line: 1,
            field: field.map(str::to_string),
            column: None,
            value: None,
            message: message.into(),
        });
    }
}

/// One kind's checker: checks each row as it is read, then writes what it
/// kept.
pub(crate) trait Checker {
    /// Checks one row; errors go to `c.errors`.
    fn row(&mut self, ctx: &Ctx<'_>, c: &mut Cells<'_>) -> Result<()>;
    /// What writing would create.
    fn will_create(&self) -> ImportCounts;
    /// Writes every checked row (called only when no row had an error).
    fn write(self: Box<Self>, ctx: &Ctx<'_>, report: &mut dyn FnMut(u64)) -> Result<ImportCounts>;
}

/// The file checked.
struct Checked {
    preview: ImportPreview,
    checker: Box<dyn Checker>,
}

fn checker_for(ctx: &Ctx<'_>, req: &PreviewImport) -> Result<Box<dyn Checker>> {
    if req.kind != ImportKind::OpeningStock && req.store_id.is_some() {
        return Err(Error::invalid(
            "store_id",
            "store_id is for opening stock only (the catalogue, suppliers and customers are shared by every store)",
        ));
    }
    Ok(match req.kind {
        ImportKind::Products => Box::new(catalogue::Products::load(ctx)?),
        ImportKind::Suppliers => Box::new(catalogue::Suppliers::load(ctx)?),
        ImportKind::Customers => Box::new(catalogue::Customers::load(ctx)?),
        ImportKind::OpeningStock => Box::new(stock::OpeningStock::load(ctx, req.store_id)?),
    })
}

/// The suggested mapping, the mapping used (field → column header), and
/// field → column index.
type Mapping = (
    BTreeMap<String, String>,
    BTreeMap<String, String>,
    HashMap<&'static str, usize>,
);

/// Field → column index, from the suggestion and the request's overrides.
fn resolve_mapping(
    kind: ImportKind,
    header: &[String],
    requested: Option<&BTreeMap<String, String>>,
) -> Result<Mapping> {
    let specs = fields::fields(kind);
    let suggested = fields::suggest(kind, header);
    let mut used = suggested.clone();
    for (field, column) in requested.into_iter().flatten() {
        if !specs.iter().any(|s| s.name == field) {
            return Err(Error::invalid(
                &format!("mapping.{field}"),
                format!(
                    "{} files have no field '{field}' (fields: {})",
                    kind.as_str(),
                    specs.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        if column.trim().is_empty() {
            used.remove(field);
            continue;
        }
        let found = header
            .iter()
            .find(|h| *h == column)
            .or_else(|| {
                let n = fields::normalise(column);
                header.iter().find(|h| fields::normalise(h) == n)
            })
            .ok_or_else(|| {
                Error::invalid(
                    &format!("mapping.{field}"),
                    format!("the file has no column '{column}'"),
                )
            })?;
        used.insert(field.clone(), found.clone());
    }
    let mut columns = HashMap::new();
    for spec in specs {
        if let Some(col) = used.get(spec.name) {
            if let Some(i) = header.iter().position(|h| h == col) {
                columns.insert(spec.name, i);
            }
        }
    }
    Ok((suggested, used, columns))
}

fn check(
    ctx: &Ctx<'_>,
    req: &PreviewImport,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<Checked> {
    let (source, bytes_total) =
        match (&req.csv, &req.path) {
            (Some(t), None) => (Source::Text(t), t.len() as u64),
            (None, Some(p)) => (
                Source::Path(p),
                std::fs::metadata(p)
                    .map_err(|e| Error::invalid("path", format!("cannot open {p}: {e}")))?
                    .len(),
            ),
            _ => return Err(Error::invalid(
                "csv",
                "give the file as csv (its text) or path (a file on this computer), one of them",
            )),
        };
    let mut checker = checker_for(ctx, req)?;
    let mut sheet = Sheet::open(source)?;
    let header = sheet.header.clone();
    let (suggested, mapping, columns) = resolve_mapping(req.kind, &header, req.mapping.as_ref())?;
    let specs = fields::fields(req.kind);
    let mut errors = Errors::default();
    for spec in specs.iter().filter(|s| s.required) {
        if !columns.contains_key(spec.name) {
            errors.file(
                Some(spec.name),
                format!(
                    "no column is mapped to {}, which every row needs",
                    spec.name
                ),
            );
        }
    }
    if req.kind == ImportKind::OpeningStock
        && !columns.contains_key("sku")
        && !columns.contains_key("barcode")
    {
        errors.file(
            Some("sku"),
            "no column is mapped to sku or barcode: each row must name its product",
        );
    }
    let header_ok = errors.count == 0;
    let unmapped_columns = header
        .iter()
        .filter(|h| !h.is_empty() && !mapping.values().any(|c| c == *h))
        .cloned()
        .collect();
    let mut rows = Vec::new();
    let report_checking = |progress: &mut dyn FnMut(ImportProgress), n: u64, byte: u64| {
        progress(ImportProgress {
            phase: ImportPhase::Checking,
            rows_checked: n,
            rows_written: 0,
            total_rows: None,
            percent: u8::try_from(byte.saturating_mul(30) / bytes_total.max(1)).unwrap_or(30),
        })
    };
    report_checking(progress, 0, 0);
    while let Some((row, line, record)) = sheet.next_row()? {
        let mut cells = Cells::new(row, line, record, &columns, &header);
        if rows.len() < PREVIEW_ROWS {
            rows.push(
                columns
                    .keys()
                    .filter_map(|f| cells.text(f).map(|v| (f.to_string(), v.to_string())))
                    .collect(),
            );
        }
        // With a required column missing, every row would repeat it: the
        // header's error says it once.
        if header_ok {
            checker.row(ctx, &mut cells)?;
        }
        for e in cells.errors {
            errors.push(e);
        }
        if row % PROGRESS_EVERY == 0 {
            let byte = record.position().map_or(0, |p| p.byte());
            report_checking(progress, sheet.rows, byte);
        }
    }
    let total_rows = sheet.rows;
    if total_rows == 0 {
        errors.file(None, "the file has a header but no data rows");
    }
    report_checking(progress, total_rows, bytes_total);
    let will_create = if errors.count == 0 {
        checker.will_create()
    } else {
        ImportCounts::default()
    };
    Ok(Checked {
        preview: ImportPreview {
            kind: req.kind,
            header,
            suggested_mapping: suggested,
            mapping,
            unmapped_columns,
            fields: specs.to_vec(),
            rows,
            total_rows,
            errors_truncated: errors.count > errors.list.len() as u64,
            error_count: errors.count,
            errors: errors.list,
            will_create,
        },
        checker,
    })
}

/// Checks the actor may import this kind: `manage_catalogue` (the
/// operation's permission, checked before it runs), and for opening stock
/// `receive_stock` in its store (checked when the store is resolved).
fn import(
    ctx: &Ctx<'_>,
    req: RunImport,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportOutcome> {
    let kind = req.kind;
    let Checked { preview, checker } = check(ctx, &req.into(), progress)?;
    if preview.error_count > 0 {
        return Err(Error::ImportRejected {
            field: Some("csv".into()),
            import_kind: kind,
            errors_truncated: preview.errors_truncated,
            error_count: preview.error_count,
            errors: preview.errors,
        });
    }
    let total = preview.total_rows;
    // A large import writes far more pages than the connection's cache
    // holds (a million batches and their events are ~1.7 GB), and SQLite
    // then spills dirty pages to the WAL mid-transaction, rewriting the hot
    // index pages again and again: a fifth of the time went to pwrite at
    // 64 MiB. The cache grows only as pages are used, and goes back to its
    // size when the import ends, whatever its outcome.
    let cache_before: i64 = ctx.tx.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
    ctx.tx
        .pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
    let written = write(ctx, checker, total, progress);
    ctx.tx.pragma_update(None, "cache_size", cache_before)?;
    let created = written?;
    progress(ImportProgress {
        phase: ImportPhase::Done,
        rows_checked: total,
        rows_written: total,
        total_rows: Some(total),
        percent: 100,
    });
    Ok(ImportOutcome {
        kind,
        rows: total,
        created,
    })
}

/// The page cache an import may grow to, in KiB (SQLite's negative
/// `cache_size`): 1 GiB.
const IMPORT_CACHE_KIB: i64 = 1 << 20;

fn write(
    ctx: &Ctx<'_>,
    checker: Box<dyn Checker>,
    total: u64,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportCounts> {
    let mut report = |written: u64| {
        progress(ImportProgress {
            phase: ImportPhase::Writing,
            rows_checked: total,
            rows_written: written,
            total_rows: Some(total),
            percent: 30 + u8::try_from(written.saturating_mul(70) / total.max(1)).unwrap_or(70),
        })
    };
    report(0);
    checker.write(ctx, &mut report)
}

impl Operation for PreviewImport {
    const NAME: &'static str = "preview_import";
    const SUMMARY: &'static str =
        "Check a CSV file for import (mapping, first rows, every row error) without writing";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = false;
    type Output = ImportPreview;

    fn run(self, ctx: &Ctx<'_>) -> Result<ImportPreview> {
        Ok(check(ctx, &self, &mut |_| {})?.preview)
    }
}

impl Operation for RunImport {
    const NAME: &'static str = "run_import";
    const SUMMARY: &'static str =
        "Import a CSV file of products, suppliers, customers or opening stock, all or nothing";
    const PERMISSION: Permission = Permission::ManageCatalogue;
    const WRITES: bool = true;
    type Output = ImportOutcome;

    fn run(self, ctx: &Ctx<'_>) -> Result<ImportOutcome> {
        import(ctx, self, &mut |_| {})
    }
}

/// `run_import`, reporting its progress to `progress` as it goes (every
/// 4,096 rows and at each change of phase). It runs exactly as
/// [`Db::execute`] runs the operation — one transaction, the same
/// permission checks — so it is the same all-or-nothing import; the
/// desktop shell calls it on a blocking thread and forwards each
/// [`ImportProgress`] to the window.
pub fn run_import_with_progress(
    db: &mut Db,
    session: &Session,
    req: RunImport,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportOutcome> {
    db.execute_as::<RunImport, _>(session, |ctx| import(ctx, req, progress))
}

/// `preview_import` with progress (checking only), for large files.
pub fn preview_import_with_progress(
    db: &mut Db,
    session: &Session,
    req: PreviewImport,
    progress: &mut dyn FnMut(ImportProgress),
) -> Result<ImportPreview> {
    db.execute_as::<PreviewImport, _>(session, |ctx| Ok(check(ctx, &req, progress)?.preview))
}
