//! The store's complete record: every change is an event in the store's
//! hash chain, with a kind, a category and a before → after payload; the
//! installation owns its stores; Z reports print the chain head and
//! `verify` checks paper against the record.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::audit::{
    AuditEvent, ChangeType, EventCategory, ExportAuditCsv, GetAuditTrail, PrintedHead, Verify,
};
use pharmapos_engine::auth::Role;
use pharmapos_engine::catalogue::categories::CreateCategory;
use pharmapos_engine::catalogue::products::{ProductFields, UpdateProduct};
use pharmapos_engine::catalogue::stores::{ListStores, UpdateStore};
use pharmapos_engine::catalogue::suppliers::{SupplierFields, UpdateSupplier};
use pharmapos_engine::catalogue::users::UpdateUser;
use pharmapos_engine::num::Money;
use pharmapos_engine::sales::shifts::{CloseShift, OpenShift};

fn trail(
    fx: &mut Fx,
    category: Option<EventCategory>,
    kind: Option<ChangeType>,
) -> Vec<AuditEvent> {
    fx.run(GetAuditTrail {
        category,
        change_type: kind,
        ..Default::default()
    })
}

fn newest(fx: &mut Fx, kind: ChangeType) -> AuditEvent {
    trail(fx, None, Some(kind))
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no {} event", kind.as_str()))
}

fn money(s: &str) -> Money {
    s.parse().unwrap()
}

#[test]
fn a_price_change_is_recorded_with_before_and_after_in_words() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    let created = newest(&mut fx, ChangeType::ProductCreated);
    assert_eq!(created.category, EventCategory::Catalogue);
    assert_eq!(created.summary, "Product Paracetamol 500mg created");
    fx.run(UpdateProduct {
        id: p,
        sku: None,
        name: None,
        fields: ProductFields {
            selling_price: Some(money("0.25")),
            tax_rate: Some("7.5".parse().unwrap()),
            barcodes: Some(vec!["6151100012345".into(), "6151100099999".into()]),
            ..Default::default()
        },
    });
    let e = newest(&mut fx, ChangeType::ProductUpdated);
    let change = |field: &str| {
        e.changes
            .iter()
            .find(|c| c.field == field)
            .unwrap_or_else(|| panic!("no change of {field} in {:?}", e.changes))
            .clone()
    };
    assert_eq!(change("selling_price").before.as_deref(), Some("0.20"));
    assert_eq!(change("selling_price").after.as_deref(), Some("0.25"));
    assert!(change("tax_rate").after.unwrap().starts_with("7.5"));
    assert!(change("barcodes").after.unwrap().contains("6151100099999"));
    assert!(e.summary.contains("selling price"), "{}", e.summary);
    assert_eq!(e.user_name.as_deref(), Some(ADMIN));
    assert_eq!(e.installation_id, Some(fx.db.installation()));
    // Fields that did not change are not listed.
    assert!(e
        .changes
        .iter()
        .all(|c| c.field != "sku" && c.field != "name"));
    fx.assert_verified();
}

#[test]
fn people_changes_are_one_event_per_aspect() {
    let mut fx = store_a();
    let cashier = fx.cashier.user_id;
    fx.run(UpdateUser {
        id: cashier,
        role: Some(Role::Manager),
        pin: Some("9876".into()),
        store_id: None,
        head_office: None,
        is_active: None,
    });
    let role = newest(&mut fx, ChangeType::UserRoleChanged);
    assert_eq!(role.category, EventCategory::People);
    // The role, and the store assignments that carry it.
    let r = role.changes.iter().find(|c| c.field == "role").unwrap();
    assert_eq!(r.before.as_deref(), Some("cashier"));
    assert_eq!(r.after.as_deref(), Some("manager"));
    assert!(role
        .changes
        .iter()
        .all(|c| matches!(c.field.as_str(), "role" | "stores")));
    let pin = newest(&mut fx, ChangeType::UserPinReset);
    // The PIN itself (or its hash) never reaches the record.
    let text = serde_json::to_string(&pin.payload).unwrap();
    assert!(!text.contains("9876") && !text.contains("argon2"), "{text}");
    fx.run(UpdateUser {
        id: cashier,
        role: None,
        pin: None,
        store_id: None,
        head_office: None,
        is_active: Some(false),
    });
    let off = newest(&mut fx, ChangeType::UserDeactivated);
    assert_eq!(off.summary, format!("User {CASHIER} deactivated"));
    let people = trail(&mut fx, Some(EventCategory::People), None);
    assert!(people.iter().all(|e| e.category == EventCategory::People));
    // Setup's admin and the fixture's users were recorded when created.
    assert!(people.iter().filter(|e| e.kind == "user_created").count() >= 3);
    fx.assert_verified();
}

#[test]
fn catalogue_and_settings_changes_are_recorded() {
    let mut fx = store_a();
    fx.run(CreateCategory {
        name: "Analgesics".into(),
        display_name: None,
        description: None,
        parent_id: None,
    });
    assert_eq!(
        newest(&mut fx, ChangeType::CategoryCreated).summary,
        "Category Analgesics created"
    );
    let supplier = fx.supplier;
    fx.run(UpdateSupplier {
        id: supplier,
        name: None,
        is_active: Some(false),
        fields: SupplierFields::default(),
    });
    let s = newest(&mut fx, ChangeType::SupplierUpdated);
    assert_eq!(s.changes[0].field, "is_active");
    assert_eq!(
        (
            s.changes[0].before.as_deref(),
            s.changes[0].after.as_deref()
        ),
        (Some("true"), Some("false"))
    );
    let store = fx.store;
    fx.run(UpdateStore {
        id: store,
        name: None,
        timezone: None,
        currency: None,
        address: Some("12 Admiralty Way, Lekki".into()),
        phone: None,
        locale: Some("en_ng".into()),
        tax_number: Some("TIN-0012345".into()),
        licence_number: None,
        adjustment_approval_units: None,
        adjustment_approval_value: Some(money("250")),
    });
    let e = newest(&mut fx, ChangeType::StoreUpdated);
    assert_eq!(e.category, EventCategory::Settings);
    let fields: Vec<&str> = e.changes.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "address",
            "adjustment_approval_value",
            "locale",
            "tax_number"
        ]
    );
    let locale = e.changes.iter().find(|c| c.field == "locale").unwrap();
    assert_eq!(
        (locale.before.as_deref(), locale.after.as_deref()),
        (Some("en"), Some("en-NG")),
        "the tag is stored in its canonical case"
    );
    fx.assert_verified();
}

#[test]
fn every_store_is_owned_by_this_installation_and_foreign_stores_are_read_only() {
    let mut fx = store_a();
    let stores = fx.run(ListStores {});
    assert!(stores
        .iter()
        .all(|s| s.installation_id == Some(fx.db.installation())));
    // The store's chain opens with its own creation.
    let first = fx.run(GetAuditTrail {
        oldest_first: Some(true),
        limit: Some(1),
        ..Default::default()
    });
    assert_eq!(first[0].kind, "store_created");
    assert_eq!(first[0].seq, 1);
    // A store of another installation (a copy of head office's directory,
    // say) can be read but never written here.
    let p = fx.paracetamol();
    fx.raw()
        .execute(
            "UPDATE stores SET installation_id = '01890a5d-ac96-774b-bcce-b302099a8057'",
            [],
        )
        .unwrap();
    let before = fx.event_count();
    let req = fx.receive_req(p, "B1", day(200), qi(10));
    let admin = fx.admin;
    assert_kind(fx.as_user(admin, req), "store_not_owned");
    assert_eq!(fx.event_count(), before, "nothing written");
    // Reads still work.
    assert!(fx.inventory().is_empty());
}

#[test]
fn verify_catches_a_tampered_non_stock_event() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.run(UpdateProduct {
        id: p,
        sku: None,
        name: None,
        fields: ProductFields {
            selling_price: Some(money("0.30")),
            ..Default::default()
        },
    });
    fx.assert_verified();
    let e = newest(&mut fx, ChangeType::ProductUpdated);
    // Someone with the file edits history: the triggers must be dropped
    // first, and the chain still tells.
    let raw = fx.raw();
    raw.execute_batch("DROP TRIGGER inventory_audit_no_update")
        .unwrap();
    raw.execute(
        "UPDATE inventory_audit SET payload = replace(payload, '0.30', '0.21') WHERE seq = ?1",
        [e.seq],
    )
    .unwrap();
    let r = fx.db.verify().unwrap();
    assert!(!r.ok);
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == "chain" && p.seq == Some(e.seq) && p.message.contains("altered")),
        "{:?}",
        r.problems
    );
    // Moving an event to another category to hide it from a filter is caught too.
    raw.execute(
        "UPDATE inventory_audit SET payload = replace(payload, '0.21', '0.30'), category = 'sales' WHERE seq = ?1",
        [e.seq],
    )
    .unwrap();
    let r = fx.db.verify().unwrap();
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("wrong category")),
        "{:?}",
        r.problems
    );
}

#[test]
fn the_z_report_prints_the_chain_head_and_verify_checks_paper_against_it() {
    let mut fx = store_a();
    let cashier = fx.cashier;
    fx.as_user(
        cashier,
        OpenShift {
            terminal_id: "T1".into(),
            opening_float: money("100"),
            store_id: None,
        },
    )
    .unwrap();
    assert_eq!(
        newest(&mut fx, ChangeType::ShiftOpened).category,
        EventCategory::Sales
    );
    let z = fx
        .as_user(
            cashier,
            CloseShift {
                terminal_id: "T1".into(),
                counted_cash: money("100"),
                notes: None,
                store_id: None,
            },
        )
        .unwrap();
    let head = z
        .record_head
        .clone()
        .expect("a Z report prints the chain head");
    let closed = newest(&mut fx, ChangeType::ShiftClosed);
    assert_eq!(head.seq, closed.seq);
    assert_eq!(head.hash, closed.hash);
    assert_eq!(head.short_hash.len(), 16);
    // The event carries the cash figures.
    let data = &closed.payload.as_ref().unwrap()["data"];
    assert_eq!(data["counted_cash"], "100.00");
    // A reprint shows the same head.
    let again = fx.run(pharmapos_engine::sales::shifts::GetShiftReport {
        shift_id: Some(z.shift_id),
        terminal_id: None,
        store_id: None,
    });
    assert_eq!(again.record_head, Some(head.clone()));
    // More events later do not disturb the anchor.
    fx.paracetamol();
    let ok = fx.run(Verify {
        printed_heads: vec![PrintedHead {
            store_id: None,
            seq: head.seq,
            hash: head.short_hash.clone(),
        }],
    });
    assert!(ok.ok, "{:?}", ok.problems);
    // A head that the record does not match (a rewritten history, or a
    // typo) fails verification and says so.
    let wrong = fx.run(Verify {
        printed_heads: vec![PrintedHead {
            store_id: None,
            seq: head.seq,
            hash: "0123456789abcdef".into(),
        }],
    });
    assert!(!wrong.ok);
    assert_eq!(wrong.problems[0].kind, "printed_head");
    let missing = fx
        .db
        .verify_printed(&[(None, head.seq + 1000, head.short_hash.clone())])
        .unwrap();
    assert!(missing.problems[0].message.contains("missing"));
    let admin = fx.admin;
    assert_kind(
        fx.as_user(
            admin,
            Verify {
                printed_heads: vec![PrintedHead {
                    store_id: None,
                    seq: 1,
                    hash: "xyz".into(),
                }],
            },
        ),
        "invalid_input",
    );
}

#[test]
fn the_trail_filters_by_category_pages_by_seq_and_exports_csv() {
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "B1", day(300), 10);
    let stock = trail(&mut fx, Some(EventCategory::Stock), None);
    assert!(!stock.is_empty());
    assert!(stock.iter().all(|e| e.category == EventCategory::Stock));
    assert_eq!(
        stock[0].summary,
        "Received Paracetamol 500mg batch B1 (0 → 10)"
    );
    let all = trail(&mut fx, None, None);
    let page1 = fx.run(GetAuditTrail {
        limit: Some(2),
        ..Default::default()
    });
    let page2 = fx.run(GetAuditTrail {
        limit: Some(2),
        before_seq: Some(page1[1].seq),
        ..Default::default()
    });
    assert_eq!(page2[0].seq, all[2].seq);
    // A kind outside the asked category finds nothing rather than everything.
    assert!(trail(
        &mut fx,
        Some(EventCategory::People),
        Some(ChangeType::Receipt)
    )
    .is_empty());
    let csv = fx.run(ExportAuditCsv(GetAuditTrail {
        category: Some(EventCategory::Catalogue),
        ..Default::default()
    }));
    assert_eq!(
        csv.rows as usize,
        trail(&mut fx, Some(EventCategory::Catalogue), None).len()
    );
    let mut lines = csv.csv.lines();
    assert!(lines
        .next()
        .unwrap()
        .starts_with("seq,time,store,category,kind,summary"));
    assert!(csv.csv.contains("product_created"));
    assert!(
        csv.csv.contains("\"Product Paracetamol 500mg created\"")
            || csv.csv.contains(",Product Paracetamol 500mg created,")
    );
}

#[test]
fn backups_and_restores_are_recorded_and_keep_the_installation() {
    let mut fx = store_a();
    fx.paracetamol();
    let installation = fx.db.installation();
    let dest = fx.dir.path().join("backup.db");
    let admin = fx.admin;
    let report = fx.db.backup(&admin, &dest).unwrap();
    assert_eq!(report.heads.len(), 1);
    let taken = newest(&mut fx, ChangeType::BackupTaken);
    assert_eq!(taken.category, EventCategory::Security);
    assert_eq!(
        taken.seq,
        report.heads[0].seq + 1,
        "recorded right after the copy"
    );
    // A cashier may not copy the books.
    let cashier = fx.cashier;
    assert_kind(
        fx.db.backup(&cashier, &fx.dir.path().join("c.db")),
        "forbidden",
    );
    // Backing up over an existing file is refused.
    assert_kind(fx.db.backup(&admin, &dest), "conflict");

    let target = fx.dir.path().join("restored.db");
    std::fs::write(&target, b"").unwrap();
    let (mut db, restored, aside) = pharmapos_engine::Db::restore(
        &dest,
        &target,
        ADMIN,
        pharmapos_engine::OpenOptions::default(),
    )
    .unwrap();
    assert!(aside.is_some(), "the file that was there is kept aside");
    assert_eq!(db.installation(), installation);
    assert_eq!(restored.heads[0].seq, report.heads[0].seq);
    let r = db.verify().unwrap();
    assert!(r.ok, "{:?}", r.problems);
    assert_kind(
        pharmapos_engine::Db::restore(
            &dest,
            &target,
            CASHIER,
            pharmapos_engine::OpenOptions::default(),
        )
        .map(|_| ()),
        "forbidden",
    );
}

#[test]
fn sales_are_recorded_as_documents_completed_and_voided() {
    use pharmapos_engine::ids::SaleId;
    use pharmapos_engine::sales::cart::{AddCartLine, OpenCart};
    use pharmapos_engine::sales::complete::{CompleteSale, PaymentInput};
    use pharmapos_engine::sales::returns::VoidSale;
    let mut fx = store_a();
    let p = fx.paracetamol();
    fx.receive(p, "B1", day(300), 100);
    let cashier = fx.cashier;
    fx.as_user(
        cashier,
        OpenShift {
            terminal_id: "T1".into(),
            opening_float: money("10"),
            store_id: None,
        },
    )
    .unwrap();
    let cart = fx
        .as_user(
            cashier,
            OpenCart {
                terminal_id: "T1".into(),
                store_id: None,
            },
        )
        .unwrap()
        .cart_id;
    fx.as_user(
        cashier,
        AddCartLine {
            cart_id: cart,
            product_id: p,
            quantity: Some(qi(3)),
            batch_id: None,
            prescription_reference: None,
        },
    )
    .unwrap();
    let sale = fx
        .as_user(
            cashier,
            CompleteSale {
                sale_id: SaleId::new(),
                cart_id: cart,
                payments: vec![PaymentInput {
                    tender: "cash".into(),
                    amount: money("1.00"),
                    reference: None,
                }],
            },
        )
        .unwrap();
    let e = newest(&mut fx, ChangeType::SaleCompleted);
    assert_eq!(e.category, EventCategory::Sales);
    assert_eq!(e.summary, format!("Sale {} completed", sale.sale_number));
    let doc = &e.payload.as_ref().unwrap()["data"];
    assert_eq!(doc["sale_number"], sale.sale_number.as_str());
    assert_eq!(doc["lines"][0]["quantity"], "3");
    assert_eq!(doc["lines"][0]["batches"][0]["batch_number"], "B1");
    assert_eq!(doc["payments"][0]["tender"], "cash");
    assert_eq!(doc["total"], serde_json::to_value(sale.total).unwrap());
    fx.as_user(
        cashier,
        VoidSale {
            sale_id: sale.sale_id,
            reason: "rang up twice".into(),
            approver_name: Some(MANAGER.into()),
            approver_pin: Some(MANAGER_PIN.into()),
        },
    )
    .unwrap();
    let v = newest(&mut fx, ChangeType::SaleVoided);
    let doc = &v.payload.as_ref().unwrap()["data"];
    assert_eq!(doc["status"], "voided");
    assert_eq!(doc["voided_by"]["name"], MANAGER);
    // Sale numbers carry the store's code: unique beside other stores' chains.
    let code = fx.run(ListStores {})[0].code.clone();
    assert!(
        sale.sale_number.starts_with(&format!("{code}-")),
        "{}",
        sale.sale_number
    );
    fx.assert_verified();
}

#[test]
fn approvals_granted_and_refused_and_sign_ins_are_events_of_the_store() {
    use pharmapos_engine::auth::{sign_in, SignInRequest};
    use pharmapos_engine::stock::adjust::{AdjustStock, AdjustmentReason};
    let mut fx = store_a();
    let p = fx.paracetamol();
    let b = fx.receive(p, "B1", day(300), 100);
    let cashier = fx.cashier;
    let adjust = |pin: &str| AdjustStock {
        batch_id: b,
        quantity_change: qi(-50),
        reason: AdjustmentReason::Damage,
        notes: None,
        approver_name: Some(MANAGER.into()),
        approver_pin: Some(pin.into()),
    };
    // A wrong PIN: refused, the request rolled back, the refusal recorded.
    assert_kind(fx.as_user(cashier, adjust("0000")), "approval_required");
    let refused = newest(&mut fx, ChangeType::ApprovalRefused);
    assert_eq!(refused.category, EventCategory::Security);
    assert_eq!(
        refused.user_name.as_deref(),
        Some(CASHIER),
        "recorded as who asked"
    );
    assert_eq!(
        refused.payload.as_ref().unwrap()["data"]["approver"],
        MANAGER
    );
    // The right PIN: granted, with who approved and who asked.
    fx.as_user(cashier, adjust(MANAGER_PIN)).unwrap();
    let granted = newest(&mut fx, ChangeType::ApprovalGranted);
    let data = &granted.payload.as_ref().unwrap()["data"];
    assert_eq!(data["approver"], MANAGER);
    assert_eq!(data["asked_by"], CASHIER);
    // Signing in is recorded too.
    sign_in(
        &mut fx.db,
        &SignInRequest {
            name: CASHIER.into(),
            pin: CASHIER_PIN.into(),
        },
    )
    .unwrap();
    assert_eq!(
        newest(&mut fx, ChangeType::UserSignedIn).summary,
        format!("{CASHIER} signed in")
    );
    fx.assert_verified();
}
