//! Users assigned to stores with a role in each: who may assign whom, the
//! rules that keep every store with an admin and every user with a store,
//! head office, and the role in the addressed store deciding what a user
//! may do there (the table of every command lives in
//! crates/commands/tests/boundary.rs).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use pharmapos_engine::auth::{Role, StoreRole};
use pharmapos_engine::catalogue::assignments::{AssignUserStore, ListUserStores, RemoveUserStore};
use pharmapos_engine::catalogue::stores::{CreateStore, ListStoreDirectory, ListStores};
use pharmapos_engine::catalogue::users::{CreateUser, ListUsers, UpdateUser, User};
use pharmapos_engine::ids::StoreId;
use pharmapos_engine::stock::adjust::{AdjustStock, AdjustmentReason};
use pharmapos_engine::stock::queries::GetStoreInventory;
use pharmapos_engine::Session;

fn store_b(fx: &mut Fx) -> StoreId {
    fx.run(CreateStore {
        name: "Store B".into(),
        code: Some("STB".into()),
        timezone: Some(TZ.into()),
        currency: None,
        address: None,
        phone: None,
        ..Default::default()
    })
    .id
}

fn user(fx: &mut Fx, name: &str, role: Role, store: Option<StoreId>) -> User {
    fx.run(CreateUser {
        name: name.into(),
        role,
        pin: Some("4321".into()),
        store_id: store,
        stores: None,
        head_office: None,
    })
}

fn session(u: &User) -> Session {
    Session { user_id: u.id }
}

#[test]
fn the_template_users_work_in_store_a_with_their_role() {
    let mut fx = store_a();
    let users = fx.run(ListUsers::default());
    assert_eq!(users.len(), 3);
    for u in users {
        assert_eq!(u.stores.len(), 1, "{}", u.name);
        assert_eq!(u.stores[0].store_id, fx.store);
        assert_eq!(u.stores[0].role, u.role);
        assert!(!u.head_office);
    }
}

#[test]
fn the_creator_of_a_store_is_its_admin_and_others_do_not_see_it() {
    let mut fx = store_a();
    let b = store_b(&mut fx);
    let admin = fx.run(ListUserStores {
        user_id: fx.admin.user_id,
    });
    assert_eq!(admin.len(), 2);
    assert!(admin.iter().all(|s| s.role == Role::Admin));
    let manager_sees = fx.as_user(fx.manager, ListStores {}).unwrap();
    assert_eq!(manager_sees.len(), 1);
    // The directory names both (to send a transfer to), with no settings.
    let directory = fx.as_user(fx.manager, ListStoreDirectory {}).unwrap();
    let ids: Vec<_> = directory.iter().map(|s| s.id).collect();
    assert_eq!(directory.len(), 2);
    assert!(ids.contains(&fx.store) && ids.contains(&b));
    assert_kind(
        fx.as_user(
            fx.manager,
            GetStoreInventory {
                store_id: Some(b),
                product_id: None,
                include_empty: None,
            },
        ),
        "forbidden",
    );
}

#[test]
fn only_an_admin_of_the_store_assigns_to_it() {
    let mut fx = store_a();
    let b = store_b(&mut fx);
    let b_admin = user(&mut fx, "bea", Role::Admin, Some(b));
    let cate = fx.cashier.user_id;
    // A manager manages no users.
    assert_kind(
        fx.as_user(
            fx.manager,
            AssignUserStore {
                user_id: cate,
                store_id: fx.store,
                role: Role::Manager,
            },
        ),
        "forbidden",
    );
    // B's admin cannot put anyone into A, nor change A's users.
    let e = assert_kind(
        fx.as_user(
            session(&b_admin),
            AssignUserStore {
                user_id: b_admin.id,
                store_id: fx.store,
                role: Role::Admin,
            },
        ),
        "forbidden",
    );
    assert!(
        e.to_string().contains("not assigned to store 'Store A'"),
        "{e}"
    );
    assert_kind(
        fx.as_user(
            session(&b_admin),
            UpdateUser {
                id: cate,
                role: None,
                pin: Some("9999".into()),
                store_id: None,
                head_office: None,
                is_active: None,
            },
        ),
        "forbidden",
    );
    // B's admin may take A's cashier into B too; then A's admin still
    // manages the cashier's PIN, B's admin still does not (A is not theirs).
    let u = fx
        .as_user(
            session(&b_admin),
            AssignUserStore {
                user_id: cate,
                store_id: b,
                role: Role::Cashier,
            },
        )
        .unwrap();
    assert_eq!(u.stores.len(), 2);
    assert_eq!(u.store_id, Some(fx.store), "the home store stays");
    assert_kind(
        fx.as_user(
            session(&b_admin),
            UpdateUser {
                id: cate,
                role: None,
                pin: Some("9999".into()),
                store_id: None,
                head_office: None,
                is_active: None,
            },
        ),
        "forbidden",
    );
}

#[test]
fn a_store_keeps_an_admin_and_a_user_keeps_a_store() {
    let mut fx = store_a();
    let ada = fx.admin.user_id;
    let a = fx.store;
    let demote = |id| AssignUserStore {
        user_id: id,
        store_id: a,
        role: Role::Manager,
    };
    assert_kind(fx.as_user(fx.admin, demote(ada)), "conflict");
    assert_kind(
        fx.as_user(
            fx.admin,
            UpdateUser {
                id: ada,
                role: None,
                pin: None,
                store_id: None,
                head_office: None,
                is_active: Some(false),
            },
        ),
        "conflict",
    );
    assert_kind(
        fx.as_user(
            fx.admin,
            RemoveUserStore {
                user_id: fx.cashier.user_id,
                store_id: fx.store,
            },
        ),
        "conflict",
    );
    // With a second admin, the first may step down.
    let mike = fx.manager.user_id;
    fx.run(AssignUserStore {
        user_id: mike,
        store_id: fx.store,
        role: Role::Admin,
    });
    let ada_now = fx.run(demote(ada));
    assert_eq!(ada_now.role, Role::Manager);
    let raw: String = fx
        .raw()
        .query_row("SELECT role FROM users WHERE id = ?1", [ada], |r| r.get(0))
        .unwrap();
    assert_eq!(raw, "manager", "users.role follows the home store's role");
}

#[test]
fn head_office_takes_an_admin_of_every_store_and_reads_without_writing() {
    let mut fx = store_a();
    let b = store_b(&mut fx);
    let b_admin = user(&mut fx, "bea", Role::Admin, Some(b));
    let hq_req = |name: &str| CreateUser {
        name: name.into(),
        role: Role::HeadOffice,
        pin: Some("4321".into()),
        store_id: None,
        stores: None,
        head_office: None,
    };
    assert_kind(fx.as_user(session(&b_admin), hq_req("hq1")), "forbidden");
    let hq = fx.run(hq_req("hq"));
    assert!(hq.head_office && hq.stores.is_empty());
    assert_eq!(hq.role, Role::HeadOffice);
    let hq = session(&hq);
    assert_eq!(fx.as_user(hq, ListStores {}).unwrap().len(), 2);
    let p = fx.paracetamol();
    let batch = fx.receive(p, "L1", day(100), 50);
    assert_kind(
        fx.as_user(
            hq,
            AdjustStock {
                batch_id: batch,
                quantity_change: qi(-1),
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        ),
        "forbidden",
    );
    // Head office owns the shared catalogue.
    fx.as_user(
        hq,
        pharmapos_engine::catalogue::categories::CreateCategory {
            name: "Analgesics".into(),
            display_name: None,
            description: None,
            parent_id: None,
        },
    )
    .unwrap();
}

#[test]
fn the_role_in_the_addressed_store_decides() {
    let mut fx = store_a();
    let b = store_b(&mut fx);
    // Manager in B, cashier in A.
    let max = fx.run(CreateUser {
        name: "max".into(),
        role: Role::Manager,
        pin: Some("4321".into()),
        store_id: Some(b),
        stores: Some(vec![StoreRole {
            store_id: fx.store,
            role: Role::Cashier,
        }]),
        head_office: None,
    });
    let p = fx.paracetamol();
    let batch = fx.receive(p, "L1", day(100), 50);
    // A large adjustment in A waits for a manager: max is a cashier there.
    let adj = fx
        .as_user(
            session(&max),
            AdjustStock {
                batch_id: batch,
                quantity_change: qi(-20),
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: None,
                approver_pin: None,
            },
        )
        .unwrap();
    assert_eq!(adj.status, "pending");
    // And B's manager's PIN approves nothing in A.
    let bob = user(&mut fx, "bob", Role::Manager, Some(b));
    let e = assert_kind(
        fx.as_user(
            fx.cashier,
            AdjustStock {
                batch_id: batch,
                quantity_change: qi(-20),
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: Some(bob.name.clone()),
                approver_pin: Some("4321".into()),
            },
        ),
        "forbidden",
    );
    assert!(e.to_string().contains("bob"), "{e}");
    // A's manager's does.
    let ok = fx
        .as_user(
            fx.cashier,
            AdjustStock {
                batch_id: batch,
                quantity_change: qi(-20),
                reason: AdjustmentReason::Loss,
                notes: None,
                approver_name: Some(MANAGER.into()),
                approver_pin: Some(MANAGER_PIN.into()),
            },
        )
        .unwrap();
    assert_eq!(ok.status, "applied");
    fx.assert_verified();
}
