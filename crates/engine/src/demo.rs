//! The demo store: a newcomer's sandbox, filled through the real operations.
//!
//! [`seed`] turns an **empty** database into "Demo Pharmacy" (code `DEMO`):
//! three users, ten categories, three suppliers, 44 products with EAN-13
//! barcodes, batches received two days ago (some expiring within weeks, one
//! already expired, one quarantined, a few products below their reorder
//! point), yesterday's shift of sales closed with its Z report, and today's
//! shift open with the morning's sales. Every row comes from the same
//! operations a store runs ([`Db::execute`]), so the record is a real one:
//! it verifies, and every screen shows what it would show in a store.
//!
//! A demo never shares a file with a real store: [`seed`] refuses a file
//! that holds anything (`already_set_up`), [`create`] builds a new file
//! beside the target and renames it into place only when complete, and the
//! file is marked as a demo in `pharmapos_meta` ([`Db::is_demo`]) so that
//! the apps can say so on every screen. Receipts say so too (their header).
//!
//! Sign in as (PINs are for the demo only):
//!
//! | user           | role    | PIN    |
//! | ---            | ---     | ---    |
//! | `Demo Admin`   | admin   | `1111` |
//! | `Demo Manager` | manager | `2222` |
//! | `Demo Cashier` | cashier | `3333` |
//!
//! The clinic has one neurotoxin ([`DEMO_TOXIN_SKU`], 100-unit vials, 24 h
//! on its label) with one lot of three vials ([`DEMO_TOXIN_LOT`]).
//!
//! Times are laid out in the store's time zone from the clock's "now": the
//! catalogue and deliveries two days ago, yesterday 08:00–20:00 at till
//! `DEMO-1`, today from 08:00 until a few minutes ago. A demo made before
//! 08:30 finds the store working through the night: today's shift opened at
//! midnight, with sales from 00:05, so the till is open at any hour. The baskets come from a fixed pseudo-random sequence, so two
//! demos made at the same instant are the same.

use crate::auth::Role;
use crate::catalogue::categories::CreateCategory;
use crate::catalogue::products::CreateProduct;
use crate::catalogue::stores::UpdateStore;
use crate::catalogue::suppliers::CreateSupplier;
use crate::catalogue::users::CreateUser;
use crate::clock::Clock;
use crate::ids::{BatchId, ProductId, SaleId, StoreId};
use crate::num::Money;
use crate::op::parse_request;
use crate::sales::cart::{AddCartLine, OpenCart};
use crate::sales::complete::CompleteSale;
use crate::sales::settings::UpdateTillSettings;
use crate::sales::shifts::{CloseShift, GetShiftReport, OpenShift};
use crate::setup::{initialize, InitRequest};
use crate::stock::receive::ReceiveStock;
use crate::stock::status::SetBatchStatus;
use crate::{Db, Error, OpenOptions, Operation, Result, Session};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use ts_rs::TS;

/// The demo store's name.
pub const DEMO_STORE_NAME: &str = "Demo Pharmacy";
/// The demo store's code (sale numbers read `DEMO-S-000001`).
pub const DEMO_STORE_CODE: &str = "DEMO";
/// The till the demo's sales were rung up at.
pub const DEMO_TILL: &str = "DEMO-1";
/// The demo's time zone when the request names none.
pub const DEFAULT_TIMEZONE: &str = "Africa/Lagos";
/// The `pharmapos_meta` key that marks a demo file.
const META_KEY: &str = "demo";

/// The clinic's neurotoxin in the demo (100 U vials) and its one lot.
pub const DEMO_TOXIN_SKU: &str = "BTX-100";
/// The neurotoxin's lot (300 units: three vials).
pub const DEMO_TOXIN_LOT: &str = "BTX-2611";

/// The demo's users: name, role, PIN (documented in the module header).
pub const DEMO_USERS: [(&str, Role, &str); 3] = [
    ("Demo Admin", Role::Admin, "1111"),
    ("Demo Manager", Role::Manager, "2222"),
    ("Demo Cashier", Role::Cashier, "3333"),
];

/// What to make.
#[derive(Clone, Debug, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DemoRequest {
    /// IANA time zone of the demo store (default Africa/Lagos); the setup
    /// screen passes the PC's, so the demo's day is the user's day.
    #[ts(optional)]
    pub timezone: Option<String>,
}

/// A user to sign in as.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct DemoUser {
    /// Name on the sign-in screen.
    pub name: String,
    /// Role in the demo store.
    pub role: Role,
    /// PIN.
    pub pin: String,
}

/// What the demo holds.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct DemoSummary {
    /// The demo store.
    pub store_id: StoreId,
    /// Its name.
    pub store_name: String,
    /// Who can sign in.
    pub users: Vec<DemoUser>,
    /// Products in the catalogue.
    #[ts(type = "number")]
    pub products: usize,
    /// Batches received.
    #[ts(type = "number")]
    pub batches: usize,
    /// Completed sales (yesterday's and today's).
    #[ts(type = "number")]
    pub sales: usize,
}

impl Db {
    /// True when this file is a demo made by [`seed`].
    pub fn is_demo(&self) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT COUNT(*) FROM pharmapos_meta WHERE key = ?1 AND value = '1'",
            [META_KEY],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }
}

/// Makes the demo at `path`. A missing file is built beside it
/// (`<path>.building`) and renamed into place once complete, so a failure
/// leaves no half demo behind; an existing file is filled in place if it is
/// empty and refused otherwise (`already_set_up`).
pub fn create(path: &Path, request: DemoRequest, options: OpenOptions) -> Result<DemoSummary> {
    if path.exists() {
        let mut db = Db::open_with(path, options)?;
        let summary = seed(&mut db, request)?;
        db.close()?;
        return Ok(summary);
    }
    let building = building_path(path);
    remove_database_files(&building)?;
    let result = Db::open_with(&building, options).and_then(|mut db| {
        let summary = seed(&mut db, request)?;
        // Closing checkpoints the write-ahead log into the file, so the
        // one file renamed holds everything.
        db.close()?;
        Ok(summary)
    });
    match result {
        Ok(summary) => {
            std::fs::rename(&building, path).map_err(|e| {
                Error::storage(format!(
                    "cannot move the demo into place at {}: {e}",
                    path.display()
                ))
            })?;
            Ok(summary)
        }
        Err(e) => {
            remove_database_files(&building)?;
            Err(e)
        }
    }
}

fn building_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".building");
    path.with_file_name(name)
}

/// Removes a database file and its SQLite side files, if present.
fn remove_database_files(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        match std::fs::remove_file(PathBuf::from(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(Error::storage(format!(
                    "cannot remove {}{suffix}: {e}",
                    path.display()
                )))
            }
            _ => {}
        }
    }
    Ok(())
}

/// A clock the seeding moves through the demo's past; the database's own
/// clock is put back afterwards.
struct DemoClock(Mutex<DateTime<Utc>>);

impl Clock for DemoClock {
    fn now(&self) -> DateTime<Utc> {
        match self.0.lock() {
            Ok(t) => *t,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}

impl DemoClock {
    fn set(&self, t: DateTime<Utc>) {
        match self.0.lock() {
            Ok(mut g) => *g = t,
            Err(poisoned) => *poisoned.into_inner() = t,
        }
    }
}

/// Fills an empty database with the demo store (see the module header).
/// Refused with `already_set_up` when the file holds any store, user,
/// product or event.
pub fn seed(db: &mut Db, request: DemoRequest) -> Result<DemoSummary> {
    let timezone = request
        .timezone
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| DEFAULT_TIMEZONE.to_string());
    let tz: Tz = timezone.parse().map_err(|_| {
        Error::invalid(
            "timezone",
            format!("'{timezone}' is not an IANA time zone (e.g. Africa/Lagos)"),
        )
    })?;
    let original = db.clock.clone();
    let now = original.now();
    let clock = Arc::new(DemoClock(Mutex::new(now)));
    db.set_clock(clock.clone());
    let out = Seeder {
        db,
        clock: &clock,
        tz,
        now,
        today: now.with_timezone(&tz).date_naive(),
        rng: Lcg(0x5EED_D3E0),
    }
    .run(timezone);
    db.set_clock(original);
    out
}

struct Seeder<'a> {
    db: &'a mut Db,
    clock: &'a DemoClock,
    tz: Tz,
    /// The real "now": nothing is dated after it.
    now: DateTime<Utc>,
    /// The store's local date at `now`.
    today: NaiveDate,
    rng: Lcg,
}

/// The Knuth MMIX linear congruential generator: a fixed, reproducible
/// sequence for the baskets (no randomness crate for a demo).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

/// One product of the demo catalogue.
struct Item {
    sku: &'static str,
    name: &'static str,
    generic: &'static str,
    /// Index into [`CATEGORIES`].
    category: usize,
    /// Built-in kind.
    kind: &'static str,
    unit: &'static str,
    cost: i64,
    price: i64,
    /// VAT percent (medicines are exempt).
    tax: &'static str,
    prescription: bool,
    reorder_point: i64,
    /// Batches: number, quantity, expiry in days from today.
    batches: &'static [(&'static str, i64, i64)],
    /// Sold at the demo's till (not the low-stock ones).
    sold: bool,
}

const CATEGORIES: [(&str, &str); 10] = [
    ("Pain & Fever", "Analgesics and antipyretics"),
    ("Antibiotics", "Prescription only"),
    ("Antimalarials", "Treatment and tests"),
    ("Cough, Cold & Allergy", "Antihistamines, cough and throat"),
    (
        "Stomach & Digestion",
        "Rehydration, antacids, antidiarrhoeals",
    ),
    ("Vitamins & Supplements", "Vitamins, minerals, haematinics"),
    ("Chronic Care", "Diabetes and blood pressure"),
    ("First Aid", "Dressings, antiseptics, gloves"),
    ("Personal & Baby Care", "Hygiene, skin and baby care"),
    ("Devices", "Thermometers, monitors, test strips"),
];

macro_rules! item {
    ($sku:literal, $name:literal, $generic:literal, $cat:literal, $kind:literal, $unit:literal,
     $cost:literal, $price:literal, $tax:literal, $rx:literal, $reorder:literal, $sold:literal,
     [$(($b:literal, $q:literal, $e:literal)),* $(,)?]) => {
        Item {
            sku: $sku, name: $name, generic: $generic, category: $cat, kind: $kind, unit: $unit,
            cost: $cost, price: $price, tax: $tax, prescription: $rx, reorder_point: $reorder,
            batches: &[$(($b, $q, $e)),*], sold: $sold,
        }
    };
}

/// The catalogue, at Lagos prices in naira. Special batches: PSY-2311
/// expired yesterday; ORS-2402, AMX-2403 and VTC-2401 expire within 30
/// days; INS-2409 is quarantined after delivery; AZI, BPM and GLU are below
/// their reorder points.
const ITEMS: [Item; 44] = [
    item!(
        "PCM-500-12",
        "Paracetamol 500mg tablets x12",
        "Paracetamol",
        0,
        "medicine",
        "pack",
        180,
        300,
        "0",
        false,
        20,
        true,
        [("PCM-2405", 120, 540), ("PCM-2312", 40, 150)]
    ),
    item!(
        "PCX-500-10",
        "Paracetamol + Caffeine tablets x10",
        "Paracetamol; caffeine",
        0,
        "medicine",
        "pack",
        450,
        700,
        "0",
        false,
        10,
        true,
        [("PCX-2404", 60, 420)]
    ),
    item!(
        "IBU-400-10",
        "Ibuprofen 400mg tablets x10",
        "Ibuprofen",
        0,
        "medicine",
        "pack",
        250,
        450,
        "0",
        false,
        10,
        true,
        [("IBU-2406", 80, 610)]
    ),
    item!(
        "DIC-50-10",
        "Diclofenac 50mg tablets x10",
        "Diclofenac sodium",
        0,
        "medicine",
        "pack",
        200,
        400,
        "0",
        false,
        10,
        true,
        [("DIC-2402", 50, 380)]
    ),
    item!(
        "ASP-75-28",
        "Aspirin 75mg tablets x28",
        "Acetylsalicylic acid",
        0,
        "medicine",
        "pack",
        300,
        550,
        "0",
        false,
        5,
        true,
        [("ASP-2403", 30, 500)]
    ),
    item!(
        "PSY-120-100",
        "Paracetamol syrup 120mg/5ml 100ml",
        "Paracetamol",
        0,
        "medicine",
        "bottle",
        350,
        600,
        "0",
        false,
        10,
        true,
        [("PSY-2311", 12, -1), ("PSY-2406", 36, 480)]
    ),
    item!(
        "AMX-500-15",
        "Amoxicillin 500mg capsules x15",
        "Amoxicillin",
        1,
        "medicine",
        "pack",
        600,
        1000,
        "0",
        true,
        10,
        true,
        [("AMX-2403", 15, 25), ("AMX-2408", 40, 560)]
    ),
    item!(
        "AMC-625-14",
        "Amoxicillin/Clavulanate 625mg tablets x14",
        "Co-amoxiclav",
        1,
        "medicine",
        "pack",
        2800,
        4200,
        "0",
        true,
        5,
        true,
        [("AMC-2405", 24, 400)]
    ),
    item!(
        "CIP-500-10",
        "Ciprofloxacin 500mg tablets x10",
        "Ciprofloxacin",
        1,
        "medicine",
        "pack",
        700,
        1200,
        "0",
        true,
        5,
        true,
        [("CIP-2404", 30, 450)]
    ),
    item!(
        "MTZ-400-21",
        "Metronidazole 400mg tablets x21",
        "Metronidazole",
        1,
        "medicine",
        "pack",
        350,
        650,
        "0",
        true,
        5,
        true,
        [("MTZ-2405", 30, 470)]
    ),
    item!(
        "AZI-500-3",
        "Azithromycin 500mg tablets x3",
        "Azithromycin",
        1,
        "medicine",
        "pack",
        900,
        1500,
        "0",
        true,
        10,
        false,
        [("AZI-2404", 4, 400)]
    ),
    item!(
        "ALU-80-6",
        "Artemether/Lumefantrine 80/480mg tablets x6",
        "Artemether; lumefantrine",
        2,
        "medicine",
        "pack",
        1500,
        2500,
        "0",
        false,
        15,
        true,
        [("ALU-2405", 80, 450)]
    ),
    item!(
        "ALD-20-6",
        "Artemether/Lumefantrine dispersible 20/120mg x6 (child)",
        "Artemether; lumefantrine",
        2,
        "medicine",
        "pack",
        900,
        1500,
        "0",
        false,
        10,
        true,
        [("ALD-2404", 40, 400)]
    ),
    item!(
        "SPY-525-3",
        "Sulfadoxine/Pyrimethamine 500/25mg tablets x3",
        "Sulfadoxine; pyrimethamine",
        2,
        "medicine",
        "pack",
        300,
        500,
        "0",
        false,
        5,
        true,
        [("SPY-2403", 30, 520)]
    ),
    item!(
        "MRDT-1",
        "Malaria rapid diagnostic test",
        "Plasmodium antigen test",
        2,
        "device",
        "test",
        400,
        800,
        "0",
        false,
        20,
        true,
        [("MRD-2406", 100, 300)]
    ),
    item!(
        "LOR-10-10",
        "Loratadine 10mg tablets x10",
        "Loratadine",
        3,
        "medicine",
        "pack",
        200,
        400,
        "0",
        false,
        10,
        true,
        [("LOR-2401", 40, 75)]
    ),
    item!(
        "CTZ-10-10",
        "Cetirizine 10mg tablets x10",
        "Cetirizine",
        3,
        "medicine",
        "pack",
        180,
        350,
        "0",
        false,
        10,
        true,
        [("CTZ-2405", 50, 600)]
    ),
    item!(
        "CGH-SYR-100",
        "Chesty cough syrup 100ml",
        "Guaifenesin",
        3,
        "medicine",
        "bottle",
        900,
        1400,
        "0",
        false,
        10,
        true,
        [("CGH-2404", 40, 390)]
    ),
    item!(
        "MNT-RUB-50",
        "Menthol chest rub 50g",
        "Camphor; menthol; eucalyptus oil",
        3,
        "medicine",
        "jar",
        800,
        1300,
        "0",
        false,
        5,
        true,
        [("MNT-2406", 30, 700)]
    ),
    item!(
        "LOZ-24",
        "Throat lozenges x24",
        "Amylmetacresol; dichlorobenzyl alcohol",
        3,
        "medicine",
        "pack",
        1200,
        1800,
        "0",
        false,
        5,
        true,
        [("LOZ-2405", 30, 500)]
    ),
    item!(
        "ORS-1",
        "Oral rehydration salts sachet",
        "Oral rehydration salts",
        4,
        "medicine",
        "sachet",
        60,
        150,
        "0",
        false,
        50,
        true,
        [("ORS-2402", 100, 20), ("ORS-2407", 200, 640)]
    ),
    item!(
        "ZNC-20-10",
        "Zinc sulphate 20mg dispersible tablets x10",
        "Zinc sulphate",
        4,
        "medicine",
        "pack",
        150,
        300,
        "0",
        false,
        10,
        true,
        [("ZNC-2405", 60, 500)]
    ),
    item!(
        "OME-20-14",
        "Omeprazole 20mg capsules x14",
        "Omeprazole",
        4,
        "medicine",
        "pack",
        350,
        700,
        "0",
        false,
        10,
        true,
        [("OME-2406", 50, 620)]
    ),
    item!(
        "ANT-SUSP-200",
        "Antacid suspension 200ml",
        "Magnesium trisilicate",
        4,
        "medicine",
        "bottle",
        500,
        850,
        "0",
        false,
        5,
        true,
        [("ANT-2405", 30, 400)]
    ),
    item!(
        "LOP-2-6",
        "Loperamide 2mg capsules x6",
        "Loperamide",
        4,
        "medicine",
        "pack",
        150,
        300,
        "0",
        false,
        5,
        true,
        [("LOP-2404", 30, 450)]
    ),
    item!(
        "VTC-1000-10",
        "Vitamin C 1000mg effervescent x10",
        "Ascorbic acid",
        5,
        "supplement",
        "tube",
        700,
        1200,
        "0",
        false,
        10,
        true,
        [("VTC-2401", 25, 28), ("VTC-2406", 40, 540)]
    ),
    item!(
        "MVT-30",
        "Multivitamin tablets x30",
        "Multivitamins",
        5,
        "supplement",
        "pack",
        1200,
        2000,
        "0",
        false,
        5,
        true,
        [("MVT-2405", 40, 600)]
    ),
    item!(
        "FOL-5-28",
        "Folic acid 5mg tablets x28",
        "Folic acid",
        5,
        "supplement",
        "pack",
        100,
        250,
        "0",
        false,
        10,
        true,
        [("FOL-2405", 60, 650)]
    ),
    item!(
        "FER-200-28",
        "Ferrous sulphate 200mg tablets x28",
        "Ferrous sulphate",
        5,
        "supplement",
        "pack",
        200,
        400,
        "0",
        false,
        10,
        true,
        [("FER-2404", 50, 560)]
    ),
    item!(
        "VBC-30",
        "Vitamin B complex tablets x30",
        "Vitamin B complex",
        5,
        "supplement",
        "pack",
        300,
        550,
        "0",
        false,
        5,
        true,
        [("VBC-2406", 40, 600)]
    ),
    item!(
        "MTF-500-28",
        "Metformin 500mg tablets x28",
        "Metformin",
        6,
        "medicine",
        "pack",
        450,
        800,
        "0",
        true,
        10,
        true,
        [("MTF-2405", 50, 560)]
    ),
    item!(
        "AML-5-28",
        "Amlodipine 5mg tablets x28",
        "Amlodipine",
        6,
        "medicine",
        "pack",
        400,
        750,
        "0",
        true,
        10,
        true,
        [("AML-2405", 50, 580)]
    ),
    item!(
        "LIS-10-28",
        "Lisinopril 10mg tablets x28",
        "Lisinopril",
        6,
        "medicine",
        "pack",
        600,
        1000,
        "0",
        true,
        5,
        true,
        [("LIS-2404", 30, 500)]
    ),
    item!(
        "INS-7030-10",
        "Human insulin 30/70 vial 10ml",
        "Insulin human (biphasic isophane)",
        6,
        "medicine",
        "vial",
        4500,
        6500,
        "0",
        true,
        3,
        false,
        [("INS-2409", 6, 200), ("INS-2410", 10, 260)]
    ),
    item!(
        "PLS-100",
        "Adhesive plasters x100",
        "Adhesive dressing",
        7,
        "consumable",
        "box",
        700,
        1200,
        "7.5",
        false,
        5,
        true,
        [("PLS-2401", 30, 1200)]
    ),
    item!(
        "BND-10",
        "Crepe bandage 10cm",
        "Crepe bandage",
        7,
        "consumable",
        "roll",
        300,
        600,
        "7.5",
        false,
        5,
        true,
        [("BND-2402", 30, 1400)]
    ),
    item!(
        "ANS-250",
        "Antiseptic liquid 250ml",
        "Chloroxylenol",
        7,
        "consumable",
        "bottle",
        900,
        1500,
        "7.5",
        false,
        5,
        true,
        [("ANS-2405", 30, 700)]
    ),
    item!(
        "GLV-100",
        "Examination gloves x100",
        "Nitrile gloves",
        7,
        "consumable",
        "box",
        3000,
        4500,
        "7.5",
        false,
        2,
        true,
        [("GLV-2403", 10, 1000)]
    ),
    item!(
        "DIA-M-40",
        "Baby diapers medium x40",
        "Disposable diapers",
        8,
        "other",
        "pack",
        5500,
        7500,
        "7.5",
        false,
        3,
        true,
        [("DIA-2406", 15, 900)]
    ),
    item!(
        "SUN-50-100",
        "Sunscreen SPF50 100ml",
        "Sunscreen",
        8,
        "skincare",
        "tube",
        3500,
        5200,
        "7.5",
        false,
        2,
        true,
        [("SUN-2405", 12, 500)]
    ),
    item!(
        "SAN-500",
        "Hand sanitiser 500ml",
        "Ethanol 70%",
        8,
        "consumable",
        "bottle",
        1200,
        2000,
        "7.5",
        false,
        5,
        true,
        [("SAN-2404", 30, 600)]
    ),
    item!(
        "THM-DIG",
        "Digital thermometer",
        "Clinical thermometer",
        9,
        "device",
        "unit",
        1500,
        2500,
        "7.5",
        false,
        3,
        true,
        [("THM-2401", 12, 1500)]
    ),
    item!(
        "BPM-ARM",
        "Blood pressure monitor, upper arm",
        "Sphygmomanometer",
        9,
        "device",
        "unit",
        18000,
        25000,
        "7.5",
        false,
        3,
        false,
        [("BPM-2402", 2, 1800)]
    ),
    item!(
        "GLU-STR-50",
        "Glucose test strips x50",
        "Blood glucose strips",
        9,
        "device",
        "box",
        6000,
        8500,
        "0",
        false,
        10,
        false,
        [("GLU-2404", 5, 300)]
    ),
];

/// An EAN-13 with a valid check digit from a 12-digit body.
fn ean13(body: u64) -> String {
    let digits = format!("{body:012}");
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

fn id_of(v: &Value, what: &str) -> Result<String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::internal(format!("demo: no {what} in a response")))
}

impl Seeder<'_> {
    /// Runs `O` as `who` at `at` (the demo clock moves there first).
    fn exec<O: Operation>(
        &mut self,
        who: Session,
        at: DateTime<Utc>,
        request: Value,
    ) -> Result<Value>
    where
        O::Output: Serialize,
    {
        self.clock.set(at);
        let out = self.db.execute(&who, parse_request::<O>(request)?)?;
        serde_json::to_value(out).map_err(|e| Error::internal(format!("demo: encoding: {e}")))
    }

    /// `hh:mm` on the store's local `date`, as an instant.
    fn at(&self, date: NaiveDate, hour: u32, minute: u32) -> Result<DateTime<Utc>> {
        let local = date
            .and_hms_opt(hour, minute, 0)
            .ok_or_else(|| Error::internal("demo: bad time of day"))?;
        self.tz
            .from_local_datetime(&local)
            .earliest()
            // A time skipped by a daylight-saving jump: an hour later exists.
            .or_else(|| {
                self.tz
                    .from_local_datetime(&(local + Duration::hours(1)))
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .ok_or_else(|| Error::internal("demo: no such local time"))
    }

    fn run(mut self, timezone: String) -> Result<DemoSummary> {
        let used: i64 = self.db.conn.query_row(
            "SELECT (SELECT COUNT(*) FROM stores) + (SELECT COUNT(*) FROM users)
                  + (SELECT COUNT(*) FROM products) + (SELECT COUNT(*) FROM inventory_audit)",
            [],
            |r| r.get(0),
        )?;
        if used > 0 {
            return Err(Error::AlreadySetUp {});
        }
        let start = self.today - Duration::days(2);
        let t0 = self.at(start, 9, 0)?;
        self.clock.set(t0);
        // Marked first, with the store: even a file left half-made by a
        // crash says it is a demo.
        self.db.write(|tx| {
            tx.execute(
                "INSERT INTO pharmapos_meta (key, value) VALUES (?1, '1')",
                [META_KEY],
            )?;
            Ok(())
        })?;
        let (first_name, _, first_pin) = DEMO_USERS[0];
        let init = initialize(
            self.db,
            InitRequest {
                store_name: DEMO_STORE_NAME.into(),
                store_code: Some(DEMO_STORE_CODE.into()),
                timezone: Some(timezone),
                currency: Some("NGN".into()),
                locale: Some("en-NG".into()),
                admin_name: first_name.into(),
                admin_pin: Some(first_pin.into()),
            },
        )?;
        let store = init.store_id;
        let admin = Session {
            user_id: init.user_id,
        };
        let mut minute = 0;
        let mut next = |s: &Self| -> Result<DateTime<Utc>> {
            minute += 1;
            s.at(start, 9 + minute / 60, minute % 60)
        };
        let mut sessions = vec![admin];
        for (name, role, pin) in &DEMO_USERS[1..] {
            let t = next(&self)?;
            let user =
                self.exec::<CreateUser>(admin, t, json!({"name": name, "role": role, "pin": pin}))?;
            sessions.push(Session {
                user_id: id_of(&user["id"], "user id")?.parse()?,
            });
        }
        let (manager, cashier) = (sessions[1], sessions[2]);
        let t = next(&self)?;
        self.exec::<UpdateStore>(
            admin,
            t,
            json!({"id": store, "address": "12 Admiralty Way, Lekki Phase 1, Lagos", "phone": "+234 800 000 0000"}),
        )?;
        let t = next(&self)?;
        self.exec::<UpdateTillSettings>(
            manager,
            t,
            json!({"tenders": ["cash", "card", "transfer"],
                   "receipt_header": "DEMO STORE - not a real sale",
                   "receipt_footer": "Thank you. This receipt comes from the PharmaPOS demo."}),
        )?;

        let mut categories = Vec::new();
        for (name, description) in CATEGORIES {
            let t = next(&self)?;
            let c = self.exec::<CreateCategory>(
                admin,
                t,
                json!({"name": name, "description": description}),
            )?;
            categories.push(id_of(&c["id"], "category id")?);
        }
        let mut suppliers = Vec::new();
        for (name, contact, terms) in [
            ("Emzor Distribution (demo)", "Bola Ade", "Net 30"),
            ("Fidson Healthcare (demo)", "Ifeanyi Okoro", "Net 14"),
            (
                "Lagos Medical Supplies (demo)",
                "Sade Bello",
                "Cash on delivery",
            ),
        ] {
            let t = next(&self)?;
            let s = self.exec::<CreateSupplier>(
                manager,
                t,
                json!({"name": name, "contact_person": contact, "payment_terms": terms}),
            )?;
            suppliers.push(id_of(&s["id"], "supplier id")?);
        }

        let mut products: Vec<ProductId> = Vec::new();
        for (i, item) in ITEMS.iter().enumerate() {
            let mut fields = json!({
                "sku": item.sku,
                "name": item.name,
                "generic_name": item.generic,
                "category": item.kind,
                "category_id": categories[item.category],
                "unit": item.unit,
                "prescription_only": item.prescription,
                "cost_price": item.cost.to_string(),
                "selling_price": item.price.to_string(),
                "tax_rate": item.tax,
                "barcodes": [ean13(615_123_400_000 + 10 * i as u64 + 1)],
                "thresholds": {"reorder_point": item.reorder_point, "min_level": item.reorder_point / 2},
            });
            if item.sku.starts_with("INS-") {
                fields["storage"] = json!({"temperature_min_c": "2", "temperature_max_c": "8",
                    "refrigerated": true, "light_sensitive": true, "notes": "Fridge; do not freeze"});
            }
            let t = next(&self)?;
            let p = self.exec::<CreateProduct>(manager, t, fields)?;
            products.push(id_of(&p["id"], "product id")?.parse()?);
        }

        // Deliveries, an hour after the catalogue: one invoice per supplier.
        let mut batches: Vec<(&str, BatchId)> = Vec::new();
        let mut received = 0;
        for (i, item) in ITEMS.iter().enumerate() {
            let supplier = &suppliers[i % suppliers.len()];
            for (number, quantity, expiry_days) in item.batches {
                received += 1;
                let t = self.at(start, 11 + received / 60, received % 60)?;
                let expiry = self.today + Duration::days(*expiry_days);
                let r = self.exec::<ReceiveStock>(
                    manager,
                    t,
                    json!({"product_id": products[i], "batch_number": number, "quantity": quantity,
                           "expiry_date": expiry, "cost_price": item.cost.to_string(),
                           "supplier_id": supplier, "reference_number": format!("INV-DEMO-{}", 101 + i % suppliers.len()),
                           "location": if item.sku.starts_with("INS-") { "Fridge" } else { "Shelf" }}),
                )?;
                batches.push((number, id_of(&r["batch_id"], "batch id")?.parse()?));
            }
        }
        if let Some((_, insulin)) = batches.iter().find(|(n, _)| *n == "INS-2409") {
            let t = self.at(start, 16, 0)?;
            self.exec::<SetBatchStatus>(
                manager,
                t,
                json!({"batch_id": insulin, "status": "quarantine",
                       "reason": "Cold chain excursion on delivery (fridge log 14 °C for 3 h); awaiting the supplier's advice"}),
            )?;
        }

        // The clinic: a neurotoxin in 100-unit vials (24 h after
        // reconstitution by its label), one lot of three vials in the fridge.
        // Not in ITEMS: the till's demo baskets never sell it.
        let t = self.at(start, 16, 5)?;
        let toxin = self.exec::<CreateProduct>(
            manager,
            t,
            json!({"sku": DEMO_TOXIN_SKU, "name": "Botulinum toxin A 100U vial (demo)",
                   "generic_name": "onabotulinumtoxinA", "category": "neurotoxin", "unit": "unit",
                   "allow_fractional": true, "prescription_only": true,
                   "cost_price": "5", "selling_price": "12", "tax_rate": "0",
                   "barcodes": [ean13(615_123_409_990)],
                   "injectable": {"concentration": "100 units/vial", "dilution_ratio": "2.5 ml saline per 100 U",
                                  "reconstitution_required": true, "units_per_vial": "100", "stability_hours": 24},
                   "storage": {"temperature_min_c": "2", "temperature_max_c": "8",
                               "refrigerated": true, "light_sensitive": true, "notes": "Fridge; do not freeze"}}),
        )?;
        let t = self.at(start, 16, 10)?;
        let r = self.exec::<ReceiveStock>(
            manager,
            t,
            json!({"product_id": id_of(&toxin["id"], "product id")?, "batch_number": DEMO_TOXIN_LOT, "quantity": "300",
                   "expiry_date": self.today + Duration::days(300), "cost_price": "5",
                   "supplier_id": suppliers[2], "reference_number": "INV-DEMO-CLINIC", "location": "Fridge"}),
        )?;
        batches.push((DEMO_TOXIN_LOT, id_of(&r["batch_id"], "batch id")?.parse()?));

        // Yesterday: a full day, closed with a Z report 50 naira short.
        let yesterday = self.today - Duration::days(1);
        let mut sales = self.shift(
            cashier,
            &products,
            self.at(yesterday, 7, 55)?,
            self.at(yesterday, 8, 10)?,
            self.at(yesterday, 20, 0)?,
        )?;
        let t = self.at(yesterday, 20, 5)?;
        let x = self.exec::<GetShiftReport>(cashier, t, json!({"terminal_id": DEMO_TILL}))?;
        let expected: Money = serde_json::from_value(x["expected_cash"].clone())
            .map_err(|e| Error::internal(format!("demo: expected cash: {e}")))?;
        self.exec::<CloseShift>(
            cashier,
            t,
            json!({"terminal_id": DEMO_TILL, "counted_cash": Money(expected.0 - Decimal::from(50)),
                   "notes": "50 short: change given twice on one sale (demo)"}),
        )?;
        // Today: the shift stays open, with the sales so far. Before the
        // morning's trade the demo store has worked through the night, so
        // the till is open and today has sales at any hour of the day.
        let until = self.now - Duration::minutes(2);
        let (open, first) = if self.at(self.today, 8, 30)? <= until {
            (self.at(self.today, 7, 55)?, self.at(self.today, 8, 10)?)
        } else {
            let midnight = self.at(self.today, 0, 0)?;
            (midnight, midnight + Duration::minutes(5))
        };
        sales += self.shift(cashier, &products, open, first, until)?;
        Ok(DemoSummary {
            store_id: store,
            store_name: DEMO_STORE_NAME.into(),
            users: DEMO_USERS
                .iter()
                .map(|(name, role, pin)| DemoUser {
                    name: (*name).into(),
                    role: *role,
                    pin: (*pin).into(),
                })
                .collect(),
            // The catalogue's items and the clinic's neurotoxin.
            products: products.len() + 1,
            batches: batches.len(),
            sales,
        })
    }

    /// Opens the till's shift at `open` and sells a basket every 20–35
    /// minutes from `first` until `until`. Returns the sales made.
    fn shift(
        &mut self,
        cashier: Session,
        products: &[ProductId],
        open: DateTime<Utc>,
        first: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<usize> {
        let date = open.with_timezone(&self.tz).date_naive();
        self.exec::<OpenShift>(
            cashier,
            open,
            json!({"terminal_id": DEMO_TILL, "opening_float": "10000"}),
        )?;
        let sellable: Vec<usize> = (0..ITEMS.len()).filter(|&i| ITEMS[i].sold).collect();
        let mut t = first;
        let mut sales = 0;
        while t <= until {
            let cart = self.exec::<OpenCart>(cashier, t, json!({"terminal_id": DEMO_TILL}))?;
            let cart_id = id_of(&cart["cart_id"], "cart id")?;
            let lines = 1 + self.rng.next(3);
            let mut picked: Vec<usize> = Vec::new();
            let mut view = cart;
            let mut seconds = 0;
            while (picked.len() as u64) < lines {
                let i = sellable[self.rng.next(sellable.len() as u64) as usize];
                if picked.contains(&i) {
                    continue;
                }
                picked.push(i);
                let item = &ITEMS[i];
                let quantity = if item.price < 500 {
                    1 + self.rng.next(3)
                } else {
                    1
                };
                let mut line =
                    json!({"cart_id": cart_id, "product_id": products[i], "quantity": quantity});
                if item.prescription {
                    line["prescription_reference"] =
                        json!(format!("RX-{}-{:03}", date.format("%m%d"), sales + 1));
                }
                seconds += 20;
                view = self.exec::<AddCartLine>(cashier, t + Duration::seconds(seconds), line)?;
            }
            let total: Money = serde_json::from_value(view["totals"]["total"].clone())
                .map_err(|e| Error::internal(format!("demo: cart total: {e}")))?;
            let payment = match self.rng.next(10) {
                0..=4 => {
                    // Customers hand over round notes: up to the next 500.
                    let step = Decimal::from(500);
                    json!({"tender": "cash", "amount": Money((total.0 / step).ceil() * step)})
                }
                5..=7 => json!({"tender": "card", "amount": total,
                                "reference": format!("POS-{:06}", 100_000 + self.rng.next(900_000))}),
                _ => json!({"tender": "transfer", "amount": total,
                            "reference": format!("TRF-{:08}", self.rng.next(100_000_000))}),
            };
            self.exec::<CompleteSale>(
                cashier,
                t + Duration::seconds(seconds + 30),
                json!({"sale_id": SaleId::new(), "cart_id": cart_id, "payments": [payment]}),
            )?;
            sales += 1;
            t += Duration::minutes(20 + self.rng.next(16) as i64);
        }
        Ok(sales)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn barcodes_carry_valid_check_digits() {
        // A published EAN-13: 4006381333931.
        assert_eq!(ean13(400_638_133_393), "4006381333931");
        assert_eq!(ean13(615_123_400_001).len(), 13);
        let mut all: Vec<String> = (0..ITEMS.len())
            .map(|i| ean13(615_123_400_000 + 10 * i as u64 + 1))
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), ITEMS.len());
    }

    #[test]
    fn the_catalogue_is_consistent() {
        let mut skus: Vec<&str> = ITEMS.iter().map(|i| i.sku).collect();
        skus.sort_unstable();
        skus.dedup();
        assert_eq!(skus.len(), ITEMS.len(), "unique SKUs");
        for item in &ITEMS {
            assert!(item.category < CATEGORIES.len(), "{}", item.sku);
            assert!(item.price > item.cost, "{} sells at a margin", item.sku);
            assert!(!item.batches.is_empty(), "{}", item.sku);
        }
        let expired = ITEMS
            .iter()
            .flat_map(|i| i.batches)
            .filter(|b| b.2 < 0)
            .count();
        assert_eq!(expired, 1);
    }
}
