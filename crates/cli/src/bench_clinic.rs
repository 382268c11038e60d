//! `pharmapos bench-clinic`: years of a busy med spa through the engine's
//! own operations (patients, lots received every two weeks, vials opened,
//! treatments of 12.5–40 units, draw-up waste, the nightly sweep), then the
//! time `trace_lot` takes for the busiest lot and for a sample of lots.
//! Prints one JSON line with the data size and the timings.

use anyhow::Context;
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use clap::Args;
use pharmapos_engine::catalogue::products::{InjectableDetails, ProductFields};
use pharmapos_engine::clinic::patients::CreatePatient;
use pharmapos_engine::clinic::trace::TraceLot;
use pharmapos_engine::clinic::treatments::{RecordTreatment, TreatmentArea, TreatmentSource};
use pharmapos_engine::clinic::vials::{OpenVialSession, Reconstitution, SweepVials};
use pharmapos_engine::clinic::waste::RecordWaste;
use pharmapos_engine::clinic::WasteReason;
use pharmapos_engine::clock::FixedClock;
use pharmapos_engine::ids::{BatchId, PatientId, VialSessionId};
use pharmapos_engine::num::{Money, Qty};
use pharmapos_engine::setup::{initialize, InitRequest};
use pharmapos_engine::stock::receive::ReceiveStock;
use pharmapos_engine::{Db, OpenOptions, Session, SyncMode};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// The clinic's size.
#[derive(Args, Debug)]
pub struct ClinicBenchArgs {
    /// Years of history.
    #[arg(long, default_value_t = 5)]
    years: u32,
    /// Treatments a day.
    #[arg(long, default_value_t = 40)]
    treatments_per_day: u32,
    /// Patients on the books.
    #[arg(long, default_value_t = 5000)]
    patients: u32,
    /// Lots sampled for the trace timings (besides the busiest).
    #[arg(long, default_value_t = 30)]
    sample_lots: usize,
}

/// Runs it on a new file at `path`.
pub fn run(a: &ClinicBenchArgs, path: &Path) -> anyhow::Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.to_path_buf().into_os_string();
        p.push(suffix);
        let _ = std::fs::remove_file(std::path::PathBuf::from(p));
    }
    let start = NaiveDate::from_ymd_opt(2021, 1, 4).context("date")?;
    let at = |d: NaiveDate, h: u32| {
        Arc::new(FixedClock(
            Utc.from_utc_datetime(&d.and_hms_opt(h, 0, 0).unwrap_or_default()),
        ))
    };
    let mut db = Db::open_with(
        path,
        OpenOptions {
            sync: SyncMode::Normal,
            clock: at(start, 8),
        },
    )?;
    let init = initialize(
        &mut db,
        InitRequest {
            store_name: "Clinic".into(),
            store_code: Some("C1".into()),
            timezone: Some("UTC".into()),
            currency: None,
            locale: None,
            admin_name: "bench".into(),
            admin_pin: None,
        },
    )?;
    let s = Session {
        user_id: init.user_id,
    };
    let supplier = db
        .execute(
            &s,
            pharmapos_engine::catalogue::suppliers::CreateSupplier {
                name: "Glow".into(),
                fields: Default::default(),
            },
        )?
        .id;
    let btx = db
        .execute(
            &s,
            pharmapos_engine::catalogue::products::CreateProduct {
                sku: "BTX-100".into(),
                name: "Botox 100U".into(),
                fields: ProductFields {
                    unit: Some("unit".into()),
                    allow_fractional: Some(true),
                    cost_price: Some(Money::from(3)),
                    selling_price: Some(Money::from(12)),
                    injectable: Some(InjectableDetails {
                        units_per_vial: Some(Qty::from(100)),
                        stability_hours: Some(24),
                        reconstitution_required: true,
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            },
        )?
        .id;
    let mut rng = crate::bench::SplitMix64(42);
    let mut patients: Vec<PatientId> = Vec::with_capacity(a.patients as usize);
    for i in 0..a.patients {
        patients.push(
            db.execute(
                &s,
                CreatePatient {
                    store_id: None,
                    name: format!("Patient {i}"),
                    date_of_birth: None,
                    chart_id: Some(format!("CH-{i:06}")),
                    phone: None,
                    email: None,
                },
            )?
            .patient_id,
        );
    }
    let days = i64::from(a.years) * 365;
    let (mut lots, mut treatments, mut vials, mut lot_no): (Vec<BatchId>, u64, u64, u32) =
        (Vec::new(), 0, 0, 0);
    let generate = Instant::now();
    let dose = [q("12.5"), q("20"), q("24"), q("40"), q("10"), q("32.5")];
    for d in 0..days {
        let day = start + Duration::days(d);
        db.set_clock(at(day, 8));
        // A lot every two weeks, enough for a fortnight at the largest dose,
        // expiring in a year.
        if d % 14 == 0 {
            lot_no += 1;
            lots.push(
                db.execute(
                    &s,
                    ReceiveStock {
                        product_id: btx,
                        store_id: None,
                        batch_number: format!("LOT-{lot_no:04}"),
                        quantity: Qty::from(i64::from(a.treatments_per_day) * 14 * 50),
                        expiry_date: Some(day + Duration::days(365)),
                        manufacture_date: None,
                        serial_number: None,
                        cost_price: None,
                        supplier_id: supplier,
                        reference_number: None,
                        location: None,
                        storage_location_id: None,
                        notes: None,
                    },
                )?
                .batch_id,
            );
        }
        let mut vial: Option<(VialSessionId, Qty)> = None;
        for t in 0..a.treatments_per_day {
            db.set_clock(at(day, 9 + t * 9 / a.treatments_per_day.max(1)));
            let units = dose[rng.below(dose.len() as u64) as usize];
            let mut sources = Vec::new();
            let mut need = units;
            while need > Qty::ZERO {
                let (id, left) = match vial {
                    Some(v) if v.1 > Qty::ZERO => v,
                    _ => {
                        let v = db.execute(
                            &s,
                            OpenVialSession {
                                store_id: None,
                                product_id: btx,
                                batch_id: None,
                                units: None,
                                reconstitution: Some(Reconstitution {
                                    diluent: "saline".into(),
                                    volume_ml: q("2.5"),
                                    reconstituted_at: None,
                                }),
                            },
                        )?;
                        vials += 1;
                        (v.session_id, v.remaining)
                    }
                };
                let take = need.min(left);
                sources.push(TreatmentSource {
                    session_id: Some(id),
                    batch_id: None,
                    units: take,
                });
                need = need - take;
                vial = Some((id, left - take));
            }
            let patient = patients[rng.below(patients.len() as u64) as usize];
            db.execute(
                &s,
                RecordTreatment {
                    patient_id: patient,
                    practitioner_id: None,
                    appointment_ref: Some(format!("APT-{d}-{t}")),
                    chart_id: None,
                    service: None,
                    areas: vec![TreatmentArea {
                        area: "glabellar lines".into(),
                        units,
                    }],
                    sources,
                    price_per_unit: None,
                    override_beyond_use: None,
                    approver_name: None,
                    approver_pin: None,
                },
            )?;
            treatments += 1;
            if t % 10 == 9 {
                if let Some((id, left)) = vial {
                    if left > q("1.6") {
                        db.execute(
                            &s,
                            RecordWaste {
                                session_id: Some(id),
                                batch_id: None,
                                quantity: q("1.6"),
                                reason: WasteReason::DrawUpLoss,
                                practitioner_id: None,
                                appointment_ref: None,
                                notes: None,
                            },
                        )?;
                        vial = Some((id, left - q("1.6")));
                    }
                }
            }
        }
        // The next morning's sweep closes the day's last vial.
        db.set_clock(at(day + Duration::days(1), 7));
        db.execute(&s, SweepVials::default())?;
    }
    let generated_s = generate.elapsed().as_secs_f64();
    let busiest: BatchId = {
        let conn = rusqlite::Connection::open(path)?;
        conn.query_row(
            "SELECT batch_id FROM lot_usages GROUP BY batch_id ORDER BY COUNT(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )?
    };
    let mut time_trace = |lot: BatchId| -> anyhow::Result<(f64, usize)> {
        let t0 = Instant::now();
        let tr = db.execute(&s, TraceLot { batch_id: lot })?;
        Ok((t0.elapsed().as_secs_f64() * 1000.0, tr.uses.len()))
    };
    let (busiest_ms, busiest_uses) = time_trace(busiest)?;
    let mut sample: Vec<f64> = Vec::new();
    for _ in 0..a.sample_lots.min(lots.len()) {
        let lot = lots[rng.below(lots.len() as u64) as usize];
        sample.push(time_trace(lot)?.0);
    }
    sample.sort_by(f64::total_cmp);
    let pick = |p: f64| -> f64 {
        if sample.is_empty() {
            return 0.0;
        }
        let i = ((sample.len() - 1) as f64 * p).round() as usize;
        (sample[i] * 100.0).round() / 100.0
    };
    let file_mb = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) / 1_000_000;
    let out = serde_json::json!({
        "impl": "pharmapos",
        "bench": "clinic_trace",
        "years": a.years,
        "patients": a.patients,
        "treatments": treatments,
        "vials": vials,
        "lots": lots.len(),
        "file_mb": file_mb,
        "generate_s": (generated_s * 10.0).round() / 10.0,
        "trace_busiest_lot": {"uses": busiest_uses, "ms": (busiest_ms * 100.0).round() / 100.0},
        "trace_sample_ms": {"n": sample.len(), "p50": pick(0.5), "p99": pick(0.99), "max": pick(1.0)},
    });
    println!("{out}");
    Ok(())
}

fn q(s: &str) -> Qty {
    s.parse().unwrap_or(Qty::ZERO)
}
