//! GS1 parsing against published examples (GS1 General Specifications, the
//! GS1 DataMatrix Guideline, GS1 Digital Link's example GTIN, Wikipedia's
//! EAN/UPC examples), every refusal, and a fuzz-style property test: no
//! input, however mangled, makes the parser panic, and every well-formed
//! element string reads back what was encoded, in all three layouts.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::NaiveDate;
use pharmapos_engine::gs1::{self, Gs1Format, GS};
use proptest::prelude::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn parse(s: &str) -> gs1::Gs1Data {
    gs1::parse(s, today()).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

fn refused(s: &str) -> String {
    match gs1::parse(s, today()) {
        Ok(d) => panic!("{s:?} should be refused, got {d:?}"),
        Err(e) => {
            assert_eq!(e.kind(), "invalid_input", "{s:?}");
            e.to_string()
        }
    }
}

#[test]
fn the_bracket_form_from_the_brief_and_gs1_digital_link() {
    let d = parse("(01)09506000134352(17)201225(10)ABC123");
    assert_eq!(d.format, Gs1Format::Bracketed);
    assert_eq!(d.gtin.as_deref(), Some("09506000134352"));
    assert_eq!(d.gtin_short.as_deref(), Some("9506000134352"));
    assert_eq!(d.expiry_date.as_deref(), Some("2020-12-25"));
    assert_eq!(d.batch.as_deref(), Some("ABC123"));
    assert_eq!(d.elements.len(), 3);
}

#[test]
fn the_gs1_datamatrix_guideline_example_with_fnc1() {
    // (01)09501101020917(17)190508(10)ABCD1234(21)10, ]d2 prefix, GS after
    // the variable-length batch.
    let s = format!("]d2010950110102091717190508 10ABCD1234{GS}2110").replace(' ', "");
    let d = parse(&s);
    assert_eq!(d.format, Gs1Format::ElementString);
    assert_eq!(d.gtin.as_deref(), Some("09501101020917"));
    assert_eq!(d.expiry_date.as_deref(), Some("2019-05-08"));
    assert_eq!(d.batch.as_deref(), Some("ABCD1234"));
    assert_eq!(d.serial.as_deref(), Some("10"));
    // The same without the symbology identifier, with a leading FNC1.
    let d2 = parse(&s.replacen("]d2", &GS.to_string(), 1));
    assert_eq!(d2, d);
}

#[test]
fn gs1_128_examples_from_the_general_specifications() {
    // A trade measure (AI 3103, net weight in kg with 3 decimals).
    let d = parse("]C1019501234567890331030001 23".replace(' ', "").as_str());
    assert_eq!(d.gtin.as_deref(), Some("95012345678903"));
    assert_eq!(d.elements[1].ai, "3103");
    assert_eq!(d.elements[1].data, "000123");
    // SSCC with its check digit.
    let d = parse("(00)106141411234567897");
    assert_eq!(d.elements[0].data, "106141411234567897");
    assert!(d.gtin.is_none());
    refused("(00)106141411234567890");
    // A logistic unit's label: SSCC (00), the GTIN of its content (02) and
    // their count (37).
    let d = parse(
        &format!("]C100106141411234567897 0200012345600012 37 24{GS}10LOT9").replace(' ', ""),
    );
    assert_eq!(d.count, Some(24));
    assert_eq!(d.gtin.as_deref(), Some("00012345600012"));
    assert_eq!(d.batch.as_deref(), Some("LOT9"));
    // Variable count (30) of a trade item.
    assert_eq!(parse("(01)00012345600012(30)6").count, Some(6));
    // Production date (11) and best before (15).
    let d = parse("(01)09506000134352(11)250700(15)270300(21)SN-0001");
    assert_eq!(d.manufacture_date.as_deref(), Some("2025-07-01"));
    assert_eq!(d.best_before.as_deref(), Some("2027-03-31"));
    assert_eq!(d.serial.as_deref(), Some("SN-0001"));
}

#[test]
fn plain_ean_upc_and_gtin_14() {
    for (code, g14, short) in [
        ("4006381333931", "04006381333931", "4006381333931"),
        ("036000291452", "00036000291452", "036000291452"),
        ("96385074", "00000096385074", "96385074"),
        ("09506000134352", "09506000134352", "9506000134352"),
        ("95012345678903", "95012345678903", "95012345678903"),
    ] {
        let d = parse(code);
        assert_eq!(d.format, Gs1Format::PlainGtin);
        assert_eq!(d.gtin.as_deref(), Some(g14), "{code}");
        assert_eq!(d.gtin_short.as_deref(), Some(short), "{code}");
        assert!(gs1::gtin_forms(g14).contains(&code.to_string()));
    }
    let d = parse("]E04006381333931\r\n");
    assert_eq!(d.gtin.as_deref(), Some("04006381333931"));
}

#[test]
fn expiry_day_zero_and_the_century_rule() {
    assert_eq!(
        parse("(01)09506000134352(17)280200").expiry_date.as_deref(),
        Some("2028-02-29")
    );
    assert_eq!(
        parse("(01)09506000134352(17)751231").expiry_date.as_deref(),
        Some("2075-12-31")
    );
    assert_eq!(
        parse("(01)09506000134352(11)770101")
            .manufacture_date
            .as_deref(),
        Some("1977-01-01")
    );
}

#[test]
fn malformed_codes_are_refused_with_a_reason() {
    assert!(refused("4006381333932").contains("check digit"));
    assert!(refused("(01)09506000134353").contains("check digit"));
    assert!(refused("(01)0950600013435").contains("14"));
    assert!(refused("(17)261301").contains("month"));
    assert!(refused("(17)260230").contains("real date"));
    assert!(refused("(17)26A230").contains("digits"));
    assert!(refused("(10)ABCDEFGHIJKLMNOPQRSTU").contains("at most 20"));
    assert!(refused("(88)X").contains("not a known"));
    assert!(refused("(01)09506000134352(10)A(10)B").contains("twice"));
    assert!(refused("(30)0").contains("zero"));
    assert!(refused("(10)").contains("no data"));
    assert!(refused("0109506000134352 10AB").contains("known"));
    refused("");
    refused("   ");
    refused("]d2");
    refused("]");
    refused("(");
    refused("(01");
    refused("12345");
    refused("(10)caf\u{e9}");
}

#[test]
fn ai_pairings_gs1_forbids_are_refused_naming_both() {
    // A count of trade items (37) never goes with a trade item's GTIN (01):
    // this must not become a sale of 123 packs.
    let m = refused("(01)12345678901231(37)123");
    assert!(m.contains("AI (01)") && m.contains("AI (37)"), "{m}");
    assert!(m.contains("exclude each other"), "{m}");
    // (01) and (02) exclude each other, whichever comes first; the reason is
    // the pairing, not a repeated GTIN.
    for code in [
        "(00)106141411234567897(01)09506000134352(02)00012345600012(37)5",
        "(00)106141411234567897(02)00012345600012(37)5(01)09506000134352",
    ] {
        let m = refused(code);
        assert!(m.contains("AI (01)") && m.contains("AI (02)"), "{m}");
        assert!(m.contains("exclude each other"), "{m}");
        assert!(!m.contains("twice"), "{m}");
    }
    // Scanned order is kept in the message.
    let m = refused("(02)00012345600012(01)09506000134352");
    assert!(m.find("(02)") < m.find("(01)"), "{m}");
    // Two net weights in kg, different decimals: one value per family.
    let m = refused("(01)09506000134352(3103)000123(3102)000456");
    assert!(m.contains("(3103)") && m.contains("(3102)"), "{m}");
    // Different families may go together.
    let d = parse("(01)09506000134352(3103)000123(3122)000456");
    assert_eq!(d.elements.len(), 3);
    // Two-sided rules: (8006) piece of a trade item excludes (01).
    let m = refused("(01)09506000134352(8006)095060001343520102");
    assert!(m.contains("(8006)") && m.contains("(01)"), "{m}");
}

#[test]
fn an_ai_without_the_ais_it_requires_is_refused() {
    // (37) belongs on a logistic label: SSCC (00) and content (02).
    let m = refused("(02)00012345600012(37)24");
    assert!(
        m.contains("AI (37)") && m.contains("AI (00) with AI (02)"),
        "{m}"
    );
    let m = refused("(00)106141411234567897(37)24");
    assert!(m.contains("AI (37)"), "{m}");
    // (02) needs its count (37).
    let m = refused("(00)106141411234567897(02)00012345600012");
    assert!(m.contains("AI (02)") && m.contains("AI (37)"), "{m}");
    // Batch, dates, serial and count need the item they describe.
    for (code, ai) in [
        ("(10)ABC", "(10)"),
        ("(17)261231", "(17)"),
        ("(11)250101", "(11)"),
        ("(15)270101", "(15)"),
        ("(21)SN1", "(21)"),
        ("(30)6", "(30)"),
        ("(3103)000123", "(3103)"),
        ("(00)106141411234567897(10)ABC", "(10)"),
    ] {
        let m = refused(code);
        assert!(m.contains(&format!("AI {ai}")), "{code}: {m}");
        assert!(m.contains("AI (01)"), "{code}: {m}");
        assert!(m.contains("only valid with"), "{code}: {m}");
    }
    // A serial goes with a GTIN (01) or a piece (8006), not a content GTIN.
    let m = refused("(00)106141411234567897(02)00012345600012(37)2(21)SN1");
    assert!(m.contains("AI (21)"), "{m}");
    // Every requirement met: a GTIN with all its attributes, a logistic
    // label, an SSCC alone, a logistic measure beside an SSCC.
    parse("(01)09506000134352(17)261231(10)ABC(21)SN1(11)250101(30)6");
    parse("(00)106141411234567897(02)00012345600012(37)24(10)L1(17)271231");
    parse("(00)106141411234567897");
    parse("(00)106141411234567897(3300)001250");
    // A measure family GS1 does not define is not an AI at all.
    assert!(refused("(01)09506000134352(3106)000123").contains("known"));
    assert!(refused("(01)09506000134352(3170)000123").contains("known"));
}

fn gtin_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(0u8..10, 13).prop_map(|ds| {
        let body: String = ds.iter().map(|d| char::from(b'0' + d)).collect();
        let c = gs1::check_digit(&body).unwrap();
        format!("{body}{c}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, failure_persistence: None, ..ProptestConfig::default() })]

    /// Nothing panics, whatever arrives.
    #[test]
    fn never_panics_on_any_text(s in any::<String>()) {
        let _ = gs1::parse(&s, today());
    }

    /// Nor on GS1-looking noise: digits, brackets, separators, prefixes.
    #[test]
    fn never_panics_on_gs1_like_noise(s in "(\\]d2|\\]C1|\\]Q3|\\(|\\)|[0-9]{1,6}|[A-Z]{1,3}|\u{1d}|é){0,24}") {
        let _ = gs1::parse(&s, today());
    }

    /// Every well-formed code reads back what was encoded, in all layouts.
    #[test]
    fn round_trips(gtin in gtin_strategy(), batch in "[A-Z0-9]{1,20}", y in 0u32..100, mo in 1u32..13, d in 1u32..29,
                   count in proptest::option::of(1u32..99_999_999)) {
        let yymmdd = format!("{y:02}{mo:02}{d:02}");
        // A variable count (30): (37) goes only on a logistic label.
        let count_ai = count.map(|c| format!("(30){c}")).unwrap_or_default();
        let bracket = format!("(01){gtin}(17){yymmdd}(10){batch}{count_ai}");
        let element = format!("]d201{gtin}17{yymmdd}10{batch}{}", count.map(|c| format!("{GS}30{c}")).unwrap_or_default());
        let a = gs1::parse(&bracket, today()).unwrap();
        let b = gs1::parse(&element, today()).unwrap();
        prop_assert_eq!(&a.gtin, &Some(gtin.clone()));
        prop_assert_eq!(&a.batch, &Some(batch.clone()));
        prop_assert_eq!(a.count, count.map(u64::from));
        prop_assert_eq!(&a.expiry_date, &b.expiry_date);
        prop_assert_eq!(&a.batch, &b.batch);
        prop_assert_eq!(a.count, b.count);
        let plain = gs1::parse(&gtin, today()).unwrap();
        prop_assert_eq!(plain.gtin, Some(gtin));
    }
}
