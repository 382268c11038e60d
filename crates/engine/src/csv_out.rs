//! The one CSV writer behind every export (audit trail, lot trace,
//! onboarding formats, reports): RFC 4180 quoting by the `csv` crate, a
//! header row first, rows counted, UTF-8 text out.

use crate::audit::CsvExport;
use crate::{Error, Result};

/// A CSV file being written in memory.
pub(crate) struct CsvOut {
    w: csv::Writer<Vec<u8>>,
    rows: u32,
}

fn csv_err(e: impl std::fmt::Display) -> Error {
    Error::internal(format!("writing CSV: {e}"))
}

impl CsvOut {
    /// A file starting with `header`.
    pub(crate) fn new<I, T>(header: I) -> Result<CsvOut>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        CsvOut::start(csv::Writer::from_writer(Vec::new()), None, header)
    }

    /// A file whose first line is `note` (one cell, e.g. a confidentiality
    /// warning), then `header`: rows may differ in length.
    pub(crate) fn with_note<I, T>(note: &str, header: I) -> Result<CsvOut>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        CsvOut::start(w, Some(note), header)
    }

    fn start<I, T>(mut w: csv::Writer<Vec<u8>>, note: Option<&str>, header: I) -> Result<CsvOut>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        if let Some(note) = note {
            w.write_record([note]).map_err(csv_err)?;
        }
        w.write_record(header).map_err(csv_err)?;
        Ok(CsvOut { w, rows: 0 })
    }

    /// One data row.
    pub(crate) fn row<I, T>(&mut self, cells: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.w.write_record(cells).map_err(csv_err)?;
        self.rows = self.rows.saturating_add(1);
        Ok(())
    }

    /// The file's text and its data-row count.
    pub(crate) fn finish(self) -> Result<CsvExport> {
        let bytes = self.w.into_inner().map_err(csv_err)?;
        Ok(CsvExport {
            csv: String::from_utf8(bytes).map_err(csv_err)?,
            rows: self.rows,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::CsvOut;

    #[test]
    fn quotes_what_needs_it_and_counts_data_rows() {
        let mut out = CsvOut::new(["a", "b"]).unwrap();
        out.row(["plain", "say \"hi\", then\nleave"]).unwrap();
        let done = out.finish().unwrap();
        assert_eq!(done.csv, "a,b\nplain,\"say \"\"hi\"\", then\nleave\"\n");
        assert_eq!(done.rows, 1);
    }

    #[test]
    fn a_note_line_comes_before_the_header() {
        let mut out = CsvOut::with_note("CONFIDENTIAL: patient data", ["kind", "at"]).unwrap();
        out.row(["use", "2026-01-01"]).unwrap();
        let done = out.finish().unwrap();
        assert_eq!(
            done.csv,
            "CONFIDENTIAL: patient data\nkind,at\nuse,2026-01-01\n"
        );
        assert_eq!(done.rows, 1);
    }
}
