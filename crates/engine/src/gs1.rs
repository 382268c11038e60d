//! GS1 barcode parsing: pure, no database, never panics.
//!
//! A till's keyboard-wedge scanner hands over whatever the symbol holds:
//! - a plain EAN-8, UPC-A (12), EAN-13 or GTIN-14 number;
//! - a GS1-128, GS1 DataMatrix, GS1 QR or DataBar *element string*: AIs and
//!   their data run together, variable-length fields end with FNC1, which
//!   scanners send as the group separator (ASCII 29), possibly preceded by a
//!   symbology identifier (`]C1`, `]d2`, `]Q3`, `]e0`);
//! - the human-readable bracket form typed or pasted by a person,
//!   `(01)09506000134352(17)201225(10)ABC123`.
//!
//! The result is the GTIN (always as GTIN-14, plus the short form it was
//! printed as), batch, expiry, manufacture date, serial and count. Every
//! GTIN's check digit is validated. Dates follow the GS1 General
//! Specifications: YYMMDD, `DD = 00` meaning the last day of the month for
//! expiry/best-before and the first day for production/packaging dates, and
//! the century chosen by the sliding-window rule (section 7.12) against the
//! store's today, so the parser needs `today` and stays a pure function.
//! GS1's rules of AI association (section 4.14) are applied too: a code
//! pairing AIs that exclude each other (`(01)` with `(02)` or `(37)`), or
//! holding an AI without the AIs it requires (`(37)` without `(00)` and
//! `(02)`, `(10)` without a GTIN), is refused, so a logistic label's count
//! is never read as a number of packs to sell.
//!
//! Why here and not in the UI: the engine decides which batch to sell from
//! and refuses expired packs; the parser is part of that decision and must be
//! the same for the desktop app, the CLI and the tests.

use crate::{Error, Result};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

/// The group separator that encodes FNC1 in a scanned element string.
pub const GS: char = '\u{1d}';

/// How the scanned text was laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Gs1Format {
    /// A bare EAN-8 / UPC-A / EAN-13 / GTIN-14 number.
    PlainGtin,
    /// An element string (GS1-128, DataMatrix, QR, DataBar), FNC1 as ASCII 29.
    ElementString,
    /// The human-readable form with AIs in brackets.
    Bracketed,
}

/// One application identifier and its data, as found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Gs1Element {
    /// The AI, e.g. "17".
    pub ai: String,
    /// Its data, e.g. "201225".
    pub data: String,
}

/// What a barcode says.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Gs1Data {
    /// Layout of the input.
    pub format: Gs1Format,
    /// GTIN as 14 digits (AI 01 or 02, or a plain EAN/UPC padded with zeros).
    pub gtin: Option<String>,
    /// The GTIN in its shortest printed form (EAN-8, UPC-A or EAN-13), when
    /// its leading digits are zeros; otherwise the GTIN-14.
    pub gtin_short: Option<String>,
    /// AI (10) batch/lot.
    pub batch: Option<String>,
    /// AI (17) expiry date, `YYYY-MM-DD`.
    pub expiry_date: Option<String>,
    /// AI (15)/(16) best-before / sell-by date, `YYYY-MM-DD`.
    pub best_before: Option<String>,
    /// AI (11) production date, `YYYY-MM-DD`.
    pub manufacture_date: Option<String>,
    /// AI (21) serial number.
    pub serial: Option<String>,
    /// AI (30) variable count or (37) count of trade items.
    #[ts(type = "number | null")]
    pub count: Option<u64>,
    /// Every element in order (including AIs not interpreted above).
    pub elements: Vec<Gs1Element>,
}

struct AiSpec {
    /// Data length when fixed.
    fixed: Option<usize>,
    /// Maximum data length.
    max: usize,
    numeric: bool,
}

const fn fixed(n: usize) -> AiSpec {
    AiSpec {
        fixed: Some(n),
        max: n,
        numeric: true,
    }
}
const fn var(max: usize, numeric: bool) -> AiSpec {
    AiSpec {
        fixed: None,
        max,
        numeric,
    }
}
const fn fixed_alnum(n: usize) -> AiSpec {
    AiSpec {
        fixed: Some(n),
        max: n,
        numeric: false,
    }
}

/// Finds the AI at the start of `s` and its rules. The AI's own length is
/// implied by its first digits (GS1 General Specifications, section 3.2).
fn ai_at(s: &str) -> Option<(&str, AiSpec)> {
    let two = s.get(..2)?;
    let spec2 = match two {
        "00" => Some(fixed(18)),
        "01" | "02" => Some(fixed(14)),
        "10" | "21" | "22" => Some(var(20, false)),
        "11" | "12" | "13" | "15" | "16" | "17" => Some(fixed(6)),
        "20" => Some(fixed(2)),
        "30" | "37" => Some(var(8, true)),
        "90" => Some(var(30, false)),
        "91" | "92" | "93" | "94" | "95" | "96" | "97" | "98" | "99" => Some(var(90, false)),
        _ => None,
    };
    if let Some(spec) = spec2 {
        return Some((two, spec));
    }
    let three = s.get(..3)?;
    let spec3 = match three {
        "235" => Some(var(28, false)),
        "240" | "241" | "250" | "251" | "253" | "400" | "401" | "403" => Some(var(30, false)),
        "242" => Some(var(6, true)),
        "243" | "254" | "420" => Some(var(20, false)),
        "402" => Some(fixed(17)),
        "410" | "411" | "412" | "413" | "414" | "415" | "416" | "417" => Some(fixed(13)),
        "421" => Some(var(12, false)),
        "422" | "424" | "426" => Some(fixed(3)),
        "423" | "425" => Some(var(15, true)),
        "710" | "711" | "712" | "713" | "714" | "715" => Some(var(20, false)),
        _ => None,
    };
    if let Some(spec) = spec3 {
        return Some((three, spec));
    }
    let four = s.get(..4)?;
    if !four.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let spec4 = match four {
        // Trade measures: six digits with the decimal point in the AI's last
        // digit (0 to 5), only in the families GS1 defines.
        f if measure_req(f).is_some() => Some(fixed(6)),
        "7001" => Some(fixed(13)),
        "7003" => Some(fixed(10)),
        "7004" => Some(var(4, true)),
        "7006" => Some(fixed(6)),
        "7007" => Some(var(12, true)),
        "8005" => Some(fixed(6)),
        "8006" => Some(fixed(18)),
        "8008" => Some(var(12, true)),
        "8020" => Some(var(25, false)),
        "8200" => Some(var(70, false)),
        "7240" => Some(var(20, false)),
        "8003" => Some(var(30, false)),
        "8004" => Some(var(30, false)),
        "8012" => Some(var(20, false)),
        "8013" => Some(var(25, false)),
        "8017" | "8018" => Some(fixed(18)),
        "4300" => Some(var(35, false)),
        "7010" => Some(var(2, false)),
        "8001" => Some(fixed(14)),
        "8002" => Some(var(20, false)),
        "8010" => Some(var(30, false)),
        "8011" => Some(var(12, true)),
        "8026" => Some(fixed(18)),
        "7023" => Some(var(30, false)),
        "7020" | "7021" | "7022" => Some(var(20, false)),
        "4318" => Some(var(20, false)),
        "4321" | "4322" | "4323" => Some(fixed_alnum(1)),
        _ => None,
    };
    spec4.map(|spec| (four, spec))
}

/// One `req` alternative: every AI in it must be in the barcode.
type ReqSet = &'static [&'static str];

/// GS1's rules of AI association for one AI (General Specifications,
/// section 4.14, as the GS1 Barcode Syntax Dictionary's `req` and `ex`
/// attributes state them for the syntax engine). Only the AIs `ai_at`
/// knows are listed; a pairing with an AI the parser refuses anyway does not
/// need a rule.
struct Association {
    /// The AI is valid only when one of these sets is wholly present.
    /// Empty: no requirement.
    req: &'static [ReqSet],
    /// AIs that may not share a barcode with it, or [`SAME_FAMILY`].
    /// Exclusion is mutual; the table lists it on both sides for reading.
    ex: &'static [&'static str],
}

/// In `ex`: every other AI of the same trade measure family ("310n": a net
/// weight in kg is given once, whatever its decimal places).
const SAME_FAMILY: &str = "same family";

const NO_RULE: Association = Association { req: &[], ex: &[] };
/// A trade item's identification: GTIN (01), content GTIN (02), or the
/// piece of a trade item (8006) or its content (8026).
const TRADE_ITEM: &[ReqSet] = &[&["01"], &["02"], &["8006"], &["8026"]];
const GTIN_OR_CONTENT: &[ReqSet] = &[&["01"], &["02"]];
const GTIN_OR_ITIP: &[ReqSet] = &[&["01"], &["8006"]];
const GTIN_ONLY: &[ReqSet] = &[&["01"]];
const SSCC_ONLY: &[ReqSet] = &[&["00"]];
const SSCC_OR_GTIN: &[ReqSet] = &[&["00"], &["01"]];

/// Trade measures (31nn..36nn) by their first three digits: which keys a
/// family needs. Net (trade) measures go with a trade item (01)/(02);
/// logistic measures with a logistic unit (00) or a GTIN (01). `None`:
/// not a GS1 AI (e.g. 317n, 338n, or a decimal digit above 5).
fn measure_req(ai: &str) -> Option<&'static [ReqSet]> {
    let b = ai.as_bytes();
    if b.len() != 4 || !b.iter().all(u8::is_ascii_digit) || b[3] > b'5' {
        return None;
    }
    match ai.get(..3)? {
        "310" | "311" | "312" | "313" | "314" | "315" | "316" => Some(GTIN_OR_CONTENT),
        f if ("320".."330").contains(&f) => Some(GTIN_OR_CONTENT),
        "330" | "331" | "332" | "333" | "334" | "335" | "336" => Some(SSCC_OR_GTIN),
        "337" => Some(GTIN_ONLY),
        f if ("340".."350").contains(&f) => Some(SSCC_OR_GTIN),
        "350" | "351" | "352" | "356" | "357" | "360" | "361" | "364" | "365" | "366" => {
            Some(GTIN_OR_CONTENT)
        }
        "353" | "354" | "355" | "362" | "363" | "367" | "368" | "369" => Some(SSCC_OR_GTIN),
        _ => None,
    }
}

fn association(ai: &str) -> Association {
    let req = |req| Association { req, ex: &[] };
    match ai {
        // A GTIN (01) names the trade item itself; a count of trade items
        // (37) only makes sense for what a logistic unit contains.
        "01" => Association {
            req: &[],
            ex: &["02", "37", "8006"],
        },
        // The GTIN of the trade items a logistic unit contains: never the
        // unit's own GTIN, and always with their count.
        "02" => Association {
            req: &[&["37"]],
            ex: &["01", "8026"],
        },
        "10" | "11" | "13" | "15" | "16" | "17" | "20" | "240" | "241" | "242" | "7001" => {
            req(TRADE_ITEM)
        }
        "12" => req(&[&["8020"]]),
        "21" => Association {
            req: GTIN_OR_ITIP,
            ex: &["235"],
        },
        "22" | "235" | "243" | "710" | "711" | "712" | "713" | "714" | "715" | "8001" | "8200" => {
            req(GTIN_ONLY)
        }
        "250" => req(&[&["01", "21"], &["8006", "21"]]),
        "251" | "7021" | "7240" | "8012" => req(GTIN_OR_ITIP),
        "254" => req(&[&["414"]]),
        "30" | "426" | "7003" | "7006" | "7007" | "7010" | "8005" | "8008" => req(GTIN_OR_CONTENT),
        // The count of trade items is logistic data: it belongs on a
        // logistic unit's label (SSCC) beside the content's GTIN.
        "37" => req(&[&["00", "02"], &["00", "8026"]]),
        "403" | "4300" | "4318" | "4321" | "4322" | "4323" => req(SSCC_ONLY),
        "415" => req(&[&["8020"]]),
        "420" => Association {
            req: &[],
            ex: &["421"],
        },
        "422" => Association {
            req: TRADE_ITEM,
            ex: &["426"],
        },
        "423" | "424" | "425" => Association {
            req: GTIN_OR_CONTENT,
            ex: &["426"],
        },
        "7004" => req(&[&["01", "10"]]),
        "7020" => req(&[&["01", "416"], &["8006", "416"]]),
        "7022" => req(&[&["01", "7021"], &["8006", "7021"]]),
        "8006" => Association {
            req: &[],
            ex: &["01", "37", "8026"],
        },
        "8011" => req(&[&["8010"]]),
        "8017" => Association {
            req: &[],
            ex: &["8018"],
        },
        "8018" => Association {
            req: &[],
            ex: &["8017"],
        },
        "8020" => req(&[&["415"]]),
        "8026" => Association {
            req: &[&["37"]],
            ex: &["02", "8006"],
        },
        measure => match measure_req(measure) {
            Some(req) => Association {
                req,
                ex: &[SAME_FAMILY],
            },
            None => NO_RULE,
        },
    }
}

/// True when `other` falls under the exclusion `pattern` written for `ai`.
fn excluded(ai: &str, pattern: &str, other: &str) -> bool {
    if ai == other {
        // An AI never excludes itself (a repeat is a separate check).
        return false;
    }
    if pattern == SAME_FAMILY {
        return ai.get(..3) == other.get(..3) && measure_req(other).is_some();
    }
    pattern == other
}

/// What an AI holds, for messages: the cashier or the manager reading a
/// refusal should not need the AI table.
fn title(ai: &str) -> Option<&'static str> {
    Some(match ai {
        "00" => "SSCC of a logistic unit",
        "01" => "GTIN",
        "02" => "GTIN of the trade items a logistic unit contains",
        "10" => "batch/lot",
        "11" => "production date",
        "12" => "due date",
        "13" => "packaging date",
        "15" => "best before date",
        "16" => "sell by date",
        "17" => "expiry date",
        "20" => "variant",
        "21" => "serial number",
        "30" => "variable count",
        "37" => "count of trade items",
        "8006" => "piece of a trade item",
        "8026" => "pieces of a trade item a logistic unit contains",
        _ => return None,
    })
}

fn named(ai: &str) -> String {
    match title(ai) {
        Some(t) => format!("AI ({ai}) ({t})"),
        None => format!("AI ({ai})"),
    }
}

/// Refuses pairs of AIs GS1 forbids in one barcode, naming both, in the
/// order they were scanned.
fn check_exclusions(elements: &[Gs1Element]) -> Result<()> {
    for (i, e) in elements.iter().enumerate() {
        for (j, other) in elements.iter().enumerate() {
            let forbidden = association(&e.ai)
                .ex
                .iter()
                .any(|p| excluded(&e.ai, p, &other.ai));
            if forbidden {
                let (first, second) = if i < j { (e, other) } else { (other, e) };
                return Err(bad(format!(
                    "{} and {} exclude each other: GS1 does not allow them in one barcode",
                    named(&first.ai),
                    named(&second.ai)
                )));
            }
        }
    }
    Ok(())
}

/// Refuses an AI that appears without the AIs GS1 requires beside it.
fn check_requirements(elements: &[Gs1Element]) -> Result<()> {
    let present = |ai: &str| elements.iter().any(|e| e.ai == ai);
    for e in elements {
        let req = association(&e.ai).req;
        if req.is_empty() || req.iter().any(|set| set.iter().all(|ai| present(ai))) {
            continue;
        }
        let options: Vec<String> = req
            .iter()
            .map(|set| {
                set.iter()
                    .map(|ai| format!("AI ({ai})"))
                    .collect::<Vec<_>>()
                    .join(" with ")
            })
            .collect();
        let options = match options.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => options.concat(),
        };
        return Err(bad(format!(
            "{} is only valid with {options} in the same barcode",
            named(&e.ai)
        )));
    }
    Ok(())
}

/// Refusals name `code`, the field of `scan_barcode` that carries the text.
fn bad(message: impl Into<String>) -> Error {
    Error::invalid("code", message)
}

/// The GS1 mod-10 check digit of `body` (all digits, check digit excluded).
pub fn check_digit(body: &str) -> Option<u8> {
    let mut sum = 0u32;
    for (i, b) in body.bytes().rev().enumerate() {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = u32::from(b - b'0');
        sum += if i % 2 == 0 { d * 3 } else { d };
    }
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// True when `code` is all digits and its last digit is the right check digit.
pub fn check_digit_ok(code: &str) -> bool {
    if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let (body, last) = code.split_at(code.len() - 1);
    matches!((check_digit(body), last.bytes().next()), (Some(c), Some(l)) if c == l - b'0')
}

/// Validates an 8, 12, 13 or 14 digit GTIN and returns it as GTIN-14.
pub fn gtin14(code: &str) -> Result<String> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("GTIN '{code}' must be digits only")));
    }
    if !matches!(code.len(), 8 | 12 | 13 | 14) {
        return Err(bad(format!(
            "GTIN '{code}' has {} digits; a GTIN has 8, 12, 13 or 14",
            code.len()
        )));
    }
    if !check_digit_ok(code) {
        return Err(bad(format!("GTIN '{code}' has a wrong check digit")));
    }
    Ok(format!("{code:0>14}"))
}

/// The forms one GTIN-14 may be stored under in a product's barcode list:
/// itself, and its GTIN-13, GTIN-12 and GTIN-8 forms when the leading
/// digits are zeros.
pub fn gtin_forms(gtin14: &str) -> Vec<String> {
    let mut out = vec![gtin14.to_string()];
    for len in [13usize, 12, 8] {
        if gtin14.len() == 14 {
            let cut = 14 - len;
            if gtin14
                .get(..cut)
                .is_some_and(|p| p.bytes().all(|b| b == b'0'))
            {
                if let Some(s) = gtin14.get(cut..) {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

/// The shortest printed form: six leading zeros mark a GTIN-8, two a UPC-A
/// (GTIN-12), one an EAN-13.
fn short_form(gtin14: &str) -> String {
    let cut = if gtin14.starts_with("000000") {
        6
    } else if gtin14.starts_with("00") {
        2
    } else if gtin14.starts_with('0') {
        1
    } else {
        0
    };
    gtin14.get(cut..).unwrap_or(gtin14).to_string()
}

/// Full year from a two-digit year by the GS1 sliding window (General
/// Specifications 7.12): a year up to 50 years ahead of today's year is in
/// the future, one more ahead than that is in the past, so the window runs
/// from 49 years back to 50 years ahead (today 2026: `76` is 2076, `77` is
/// 1977).
pub fn century(yy: i32, today: NaiveDate) -> i32 {
    let current = today.year();
    let cur_yy = current.rem_euclid(100);
    let base = current - cur_yy;
    let diff = yy - cur_yy;
    if (51..=99).contains(&diff) {
        base - 100 + yy
    } else if (-99..=-50).contains(&diff) {
        base + 100 + yy
    } else {
        base + yy
    }
}

/// Parses a GS1 YYMMDD date. `DD = 00` is the last day of the month when
/// `end_of_month` (expiry, best before), else the first day.
pub fn parse_date(ai: &str, s: &str, today: NaiveDate, end_of_month: bool) -> Result<NaiveDate> {
    let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse::<u32>().ok() };
    let (Some(yy), Some(mm), Some(dd)) = (num(0..2), num(2..4), num(4..6)) else {
        return Err(bad(format!("AI ({ai}) date '{s}' is not YYMMDD")));
    };
    if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("AI ({ai}) date '{s}' is not YYMMDD")));
    }
    let year = century(i32::try_from(yy).unwrap_or(0), today);
    if !(1..=12).contains(&mm) {
        return Err(bad(format!("AI ({ai}) date '{s}' has month {mm}")));
    }
    let date = if dd == 0 {
        let first = NaiveDate::from_ymd_opt(year, mm, 1);
        if end_of_month {
            let next = if mm == 12 {
                NaiveDate::from_ymd_opt(year + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(year, mm + 1, 1)
            };
            next.and_then(|n| n.pred_opt())
        } else {
            first
        }
    } else {
        NaiveDate::from_ymd_opt(year, mm, dd)
    };
    date.ok_or_else(|| bad(format!("AI ({ai}) date '{s}' is not a real date")))
}

/// GS1 AI encodable character set 82 (the characters an AI's data may hold).
fn is_cset82(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c)
}

/// Parses what a scanner (or a person) typed. `today` is the store's local
/// date, for the two-digit-year century rule.
pub fn parse(input: &str, today: NaiveDate) -> Result<Gs1Data> {
    let mut s = input.trim_matches(|c: char| c == ' ' || c == '\r' || c == '\n' || c == '\t');
    if s.is_empty() {
        return Err(bad("the barcode is empty"));
    }
    if s.chars().count() > 512 {
        return Err(bad("the barcode is longer than 512 characters"));
    }
    let mut gs1_symbology = false;
    if let Some(rest) = s.strip_prefix(']') {
        let id = rest
            .get(..2)
            .ok_or_else(|| bad("incomplete symbology identifier"))?;
        gs1_symbology = matches!(id, "C1" | "d2" | "Q3" | "e0" | "J1");
        s = rest.get(2..).unwrap_or("");
    }
    let s = s.trim_start_matches(GS);
    if s.is_empty() {
        return Err(bad("the barcode holds no data"));
    }
    if s.starts_with('(') {
        return parse_bracketed(s, today);
    }
    if !gs1_symbology
        && s.bytes().all(|b| b.is_ascii_digit())
        && matches!(s.len(), 8 | 12 | 13 | 14)
    {
        let g = gtin14(s)?;
        let mut d = empty(Gs1Format::PlainGtin);
        d.gtin_short = Some(short_form(&g));
        d.gtin = Some(g);
        return Ok(d);
    }
    parse_element_string(s, today)
}

fn empty(format: Gs1Format) -> Gs1Data {
    Gs1Data {
        format,
        gtin: None,
        gtin_short: None,
        batch: None,
        expiry_date: None,
        best_before: None,
        manufacture_date: None,
        serial: None,
        count: None,
        elements: Vec::new(),
    }
}

fn parse_element_string(s: &str, today: NaiveDate) -> Result<Gs1Data> {
    let mut elements = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let Some((ai, spec)) = ai_at(rest) else {
            let shown: String = rest.chars().take(4).collect();
            return Err(bad(format!(
                "'{shown}…' does not start with a known GS1 application identifier"
            )));
        };
        let after = rest.get(ai.len()..).unwrap_or("");
        let (data, next) = match spec.fixed {
            Some(n) => {
                let data = after
                    .get(..n)
                    .filter(|d| !d.contains(GS))
                    .ok_or_else(|| bad(format!("AI ({ai}) needs {n} characters")))?;
                (data, after.get(n..).unwrap_or(""))
            }
            None => match after.find(GS) {
                Some(i) => (
                    after.get(..i).unwrap_or(""),
                    after.get(i + GS.len_utf8()..).unwrap_or(""),
                ),
                None => (after, ""),
            },
        };
        check_data(ai, data, &spec)?;
        elements.push(Gs1Element {
            ai: ai.to_string(),
            data: data.to_string(),
        });
        // A separator after a fixed-length field is redundant but tolerated.
        rest = next.trim_start_matches(GS);
    }
    interpret(Gs1Format::ElementString, elements, today)
}

fn parse_bracketed(s: &str, today: NaiveDate) -> Result<Gs1Data> {
    let mut elements = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let inner = rest
            .strip_prefix('(')
            .ok_or_else(|| bad("expected '(' before an application identifier"))?;
        let close = inner
            .find(')')
            .filter(|&i| (2..=4).contains(&i))
            .ok_or_else(|| bad("an application identifier is 2 to 4 digits in brackets"))?;
        let ai = inner.get(..close).unwrap_or("");
        let (known, spec) = ai_at(ai)
            .filter(|(k, _)| k.len() == ai.len())
            .ok_or_else(|| bad(format!("({ai}) is not a known GS1 application identifier")))?;
        let after = inner.get(close + 1..).unwrap_or("");
        let end = match spec.fixed {
            Some(n) => n.min(after.len()),
            None => next_bracket_ai(after).unwrap_or(after.len()),
        };
        let data = after.get(..end).ok_or_else(|| bad("malformed data"))?;
        check_data(known, data, &spec)?;
        elements.push(Gs1Element {
            ai: known.to_string(),
            data: data.to_string(),
        });
        rest = after.get(end..).unwrap_or("");
    }
    interpret(Gs1Format::Bracketed, elements, today)
}

/// Where the next "(AI)" starts in a variable-length field's text.
fn next_bracket_ai(s: &str) -> Option<usize> {
    s.match_indices('(').map(|(i, _)| i).find(|&i| {
        let Some(tail) = s.get(i + 1..) else {
            return false;
        };
        tail.find(')').is_some_and(|c| {
            (2..=4).contains(&c)
                && tail.get(..c).is_some_and(|ai| {
                    ai.bytes().all(|b| b.is_ascii_digit())
                        && ai_at(ai).is_some_and(|(k, _)| k.len() == ai.len())
                })
        })
    })
}

fn check_data(ai: &str, data: &str, spec: &AiSpec) -> Result<()> {
    if data.is_empty() {
        return Err(bad(format!("AI ({ai}) has no data")));
    }
    let len = data.chars().count();
    if let Some(n) = spec.fixed {
        if len != n {
            return Err(bad(format!("AI ({ai}) needs {n} characters, got {len}")));
        }
    }
    if len > spec.max {
        return Err(bad(format!(
            "AI ({ai}) holds at most {} characters, got {len}",
            spec.max
        )));
    }
    if spec.numeric && !data.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(format!("AI ({ai}) must be digits, got '{data}'")));
    }
    if !data.chars().all(is_cset82) {
        return Err(bad(format!(
            "AI ({ai}) holds characters a GS1 barcode cannot carry"
        )));
    }
    Ok(())
}

fn interpret(format: Gs1Format, elements: Vec<Gs1Element>, today: NaiveDate) -> Result<Gs1Data> {
    // Exclusions first: `(01)…(02)…` must say the two cannot go together,
    // not that a GTIN appears twice. Requirements last, once every element
    // is known good, so a malformed date is named as such.
    check_exclusions(&elements)?;
    let mut d = empty(format);
    for e in &elements {
        let once = |slot: &Option<String>| -> Result<()> {
            if slot.is_some() {
                return Err(bad(format!("AI ({}) appears twice", e.ai)));
            }
            Ok(())
        };
        match e.ai.as_str() {
            "01" | "02" => {
                once(&d.gtin)?;
                let g = gtin14(&e.data)?;
                d.gtin_short = Some(short_form(&g));
                d.gtin = Some(g);
            }
            "00" if !check_digit_ok(&e.data) => {
                return Err(bad(format!("SSCC {} has a wrong check digit", e.data)));
            }
            "10" => {
                once(&d.batch)?;
                d.batch = Some(e.data.clone());
            }
            "17" => {
                once(&d.expiry_date)?;
                d.expiry_date = Some(parse_date("17", &e.data, today, true)?.to_string());
            }
            "15" | "16" => {
                once(&d.best_before)?;
                d.best_before = Some(parse_date(&e.ai, &e.data, today, true)?.to_string());
            }
            "11" => {
                once(&d.manufacture_date)?;
                d.manufacture_date = Some(parse_date("11", &e.data, today, false)?.to_string());
            }
            "12" | "13" => {
                parse_date(&e.ai, &e.data, today, false)?;
            }
            "21" => {
                once(&d.serial)?;
                d.serial = Some(e.data.clone());
            }
            "30" | "37" => {
                if d.count.is_some() {
                    return Err(bad(format!("AI ({}) repeats the count", e.ai)));
                }
                let n: u64 = e.data.parse().map_err(|_| {
                    bad(format!("AI ({}) count '{}' is not a number", e.ai, e.data))
                })?;
                if n == 0 {
                    return Err(bad(format!("AI ({}) count is zero", e.ai)));
                }
                d.count = Some(n);
            }
            _ => {}
        }
    }
    check_requirements(&elements)?;
    d.elements = elements;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
    }

    #[test]
    fn check_digits_of_published_numbers() {
        // GS1's own example GTIN, and Wikipedia's EAN-13, UPC-A and EAN-8.
        for ok in [
            "09506000134352",
            "4006381333931",
            "036000291452",
            "96385074",
            "95012345678903",
            "09501101020917",
            "00012345600012",
        ] {
            assert!(check_digit_ok(ok), "{ok}");
        }
        for wrong in ["09506000134353", "4006381333932", "96385075", "", "7"] {
            assert!(!check_digit_ok(wrong), "{wrong}");
        }
    }

    #[test]
    fn century_window() {
        assert_eq!(century(20, today()), 2020);
        assert_eq!(century(75, today()), 2075);
        // The window's edges: 50 years ahead, 49 back.
        assert_eq!(century(76, today()), 2076);
        assert_eq!(century(77, today()), 1977);
        let d = NaiveDate::from_ymd_opt(2090, 6, 1).unwrap();
        assert_eq!(century(40, d), 2140);
        assert_eq!(century(41, d), 2041);
        assert_eq!(century(77, today()), 1977);
        assert_eq!(century(0, today()), 2000);
        let d = NaiveDate::from_ymd_opt(2090, 6, 1).unwrap();
        assert_eq!(century(10, d), 2110);
    }

    #[test]
    fn day_zero_is_month_end_for_expiry() {
        assert_eq!(
            parse_date("17", "280200", today(), true)
                .unwrap()
                .to_string(),
            "2028-02-29"
        );
        assert_eq!(
            parse_date("17", "271200", today(), true)
                .unwrap()
                .to_string(),
            "2027-12-31"
        );
        assert_eq!(
            parse_date("11", "250700", today(), false)
                .unwrap()
                .to_string(),
            "2025-07-01"
        );
        assert!(parse_date("17", "261301", today(), true).is_err());
        assert!(parse_date("17", "260230", today(), true).is_err());
    }
}
