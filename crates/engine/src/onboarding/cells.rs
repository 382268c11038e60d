//! Reading an import file row by row, and the cell formats.
//!
//! The file is read streaming with the `csv` crate (RFC 4180: quoted
//! commas, quotes and newlines; a UTF-8 BOM is dropped; rows may have
//! fewer or more cells than the header). Row numbers are as a spreadsheet
//! shows them: the header is row 1, the first data row row 2; `line` is the
//! text line the row starts on (they differ after a quoted newline).
//!
//! Cell formats: text is trimmed and a blank cell is "not given"; numbers
//! are plain decimals with a `.` (`1200.50`; no thousands separators); a
//! percent may end in `%`; yes/no cells take yes/no, y/n, true/false, 1/0;
//! dates are `YYYY-MM-DD` (or `YYYY/MM/DD`, or a date and time whose date
//! part is one of those).

use super::{RowError, MAX_ROWS};
use crate::num::{Money, Qty};
use crate::{Error, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::str::FromStr;

/// Where the rows come from.
pub(crate) enum Source<'a> {
    /// The file's text.
    Text(&'a str),
    /// A file on this computer.
    Path(&'a str),
}

/// An open file: its header and its rows.
pub(crate) struct Sheet {
    reader: csv::Reader<Box<dyn std::io::Read + 'static>>,
    /// The header cells as written (BOM dropped, trimmed).
    pub header: Vec<String>,
    record: csv::StringRecord,
    /// Data rows read so far.
    pub rows: u64,
}

fn csv_error(e: &csv::Error) -> Error {
    Error::invalid("csv", format!("the file cannot be read as CSV: {e}"))
}

impl Sheet {
    /// Opens the file and reads its header (`invalid_input` for an empty
    /// file or one that is not text).
    pub(crate) fn open(source: Source<'_>) -> Result<Sheet> {
        let input: Box<dyn std::io::Read> = match source {
            Source::Text(t) => Box::new(std::io::Cursor::new(t.as_bytes().to_vec())),
            Source::Path(p) => Box::new(std::io::BufReader::with_capacity(
                1 << 20,
                std::fs::File::open(p)
                    .map_err(|e| Error::invalid("path", format!("cannot open {p}: {e}")))?,
            )),
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut record = csv::StringRecord::new();
        let got = reader.read_record(&mut record).map_err(|e| csv_error(&e))?;
        let header: Vec<String> = record
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = if i == 0 {
                    h.strip_prefix('\u{feff}').unwrap_or(h)
                } else {
                    h
                };
                h.trim().to_string()
            })
            .collect();
        if !got || header.iter().all(String::is_empty) {
            return Err(Error::invalid(
                "csv",
                "the file is empty: its first row must be a header naming the columns",
            ));
        }
        Ok(Sheet {
            reader,
            header,
            record,
            rows: 0,
        })
    }

    /// The next data row (blank rows skipped), or `None` at the end.
    pub(crate) fn next_row(&mut self) -> Result<Option<(u64, u64, &csv::StringRecord)>> {
        loop {
            if !self
                .reader
                .read_record(&mut self.record)
                .map_err(|e| csv_error(&e))?
            {
                return Ok(None);
            }
            if self.record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            self.rows += 1;
            if self.rows > MAX_ROWS {
                return Err(Error::invalid(
                    "csv",
                    format!("the file has more than {MAX_ROWS} rows; split it"),
                ));
            }
            let row = self.record.position().map_or(0, |p| p.record()) + 1;
            let line = self.record.position().map_or(0, |p| p.line());
            return Ok(Some((row, line, &self.record)));
        }
    }
}

/// One row's cells by field, and the errors found in it.
pub(crate) struct Cells<'a> {
    pub row: u64,
    pub line: u64,
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'static str, usize>,
    header: &'a [String],
    pub errors: Vec<RowError>,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(
        row: u64,
        line: u64,
        record: &'a csv::StringRecord,
        columns: &'a HashMap<&'static str, usize>,
        header: &'a [String],
    ) -> Self {
        Cells {
            row,
            line,
            record,
            columns,
            header,
            errors: Vec::new(),
        }
    }

    /// The field's cell, trimmed; `None` when unmapped or blank.
    pub(crate) fn text(&self, field: &str) -> Option<&'a str> {
        let i = *self.columns.get(field)?;
        let v = self.record.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// Records an error on `field` (its cell's value quoted).
    pub(crate) fn error(&mut self, field: &str, message: impl Into<String>) {
        let value = self.text(field).map(str::to_string);
        let column = self
            .columns
            .get(field)
            .and_then(|i| self.header.get(*i))
            .cloned();
        self.errors.push(RowError {
            row: self.row,
            line: self.line,
            field: (!field.is_empty()).then(|| field.to_string()),
            column,
            value,
            message: message.into(),
        });
    }

    /// Records an engine rule's refusal: on the field it names, else on
    /// `fallback`.
    pub(crate) fn refused(&mut self, fallback: &str, e: &Error) {
        let field = match e {
            Error::InvalidInput { field: Some(f), .. } => {
                // A nested rule field (`thresholds.min_level`) is the import's
                // flat column.
                let flat = f.rsplit('.').next().unwrap_or(f);
                if self.columns.contains_key(flat) {
                    flat.to_string()
                } else {
                    fallback.to_string()
                }
            }
            _ => fallback.to_string(),
        };
        self.error(&field, e.to_string());
    }

    /// A required text cell.
    pub(crate) fn required(&mut self, field: &str) -> Option<&'a str> {
        let v = self.text(field);
        if v.is_none() {
            self.error(field, format!("{field} is required"));
        }
        v
    }

    fn parsed<T>(&mut self, field: &str, what: &str, f: impl Fn(&str) -> Option<T>) -> Option<T> {
        let v = self.text(field)?;
        let out = f(v);
        if out.is_none() {
            self.error(field, format!("'{v}' is not {what}"));
        }
        out
    }

    /// A money cell.
    pub(crate) fn money(&mut self, field: &str) -> Option<Money> {
        self.parsed(field, "an amount of money (e.g. 12.50)", |v| {
            plain_decimal(v).map(Money)
        })
    }

    /// A quantity cell.
    pub(crate) fn qty(&mut self, field: &str) -> Option<Qty> {
        self.parsed(field, "a quantity (e.g. 12 or 12.5)", |v| {
            plain_decimal(v).map(Qty)
        })
    }

    /// A percent cell (`7.5` or `7.5%`).
    pub(crate) fn percent(&mut self, field: &str) -> Option<Decimal> {
        self.parsed(field, "a percentage (e.g. 7.5)", |v| {
            plain_decimal(v.strip_suffix('%').unwrap_or(v).trim())
        })
    }

    /// A plain decimal cell.
    pub(crate) fn decimal(&mut self, field: &str) -> Option<Decimal> {
        self.parsed(field, "a number", plain_decimal)
    }

    /// A whole number of days.
    pub(crate) fn days(&mut self, field: &str) -> Option<u32> {
        self.parsed(field, "a whole number of days", |v| v.parse::<u32>().ok())
    }

    /// A yes/no cell.
    pub(crate) fn flag(&mut self, field: &str) -> Option<bool> {
        self.parsed(field, "yes or no", |v| {
            match v.to_ascii_lowercase().as_str() {
                "yes" | "y" | "true" | "t" | "1" | "x" => Some(true),
                "no" | "n" | "false" | "f" | "0" => Some(false),
                _ => None,
            }
        })
    }

    /// A date cell.
    pub(crate) fn date(&mut self, field: &str) -> Option<NaiveDate> {
        self.parsed(field, "a date (YYYY-MM-DD)", parse_date)
    }

    /// A list cell (`a|b` or `a;b`), blanks dropped.
    pub(crate) fn list(&self, field: &str) -> Option<Vec<String>> {
        self.text(field).map(|v| {
            v.split(['|', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
    }
}

/// A decimal written plainly (`12`, `-3.5`, `.5`): no thousands separators,
/// no exponent, no currency sign.
pub(crate) fn plain_decimal(v: &str) -> Option<Decimal> {
    if v.is_empty()
        || !v
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-' || b == b'+')
    {
        return None;
    }
    Decimal::from_str(v).ok().map(|d| d.normalize())
}

/// `YYYY-MM-DD`, `YYYY/MM/DD`, or either followed by a time.
pub(crate) fn parse_date(v: &str) -> Option<NaiveDate> {
    let date = v.split([' ', 'T']).next().unwrap_or(v);
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(date, "%Y/%m/%d"))
        .ok()
}
