-- PharmaPOS store database, schema 7: a store is a boundary.
--
-- A user is assigned to one or more stores with a role in each (cashier,
-- practitioner, manager, admin). The engine checks, for every operation, the
-- role the user holds in the store the operation addresses (directly, or
-- through a batch, sale, shift, cart, reservation, backorder or receipt); a
-- user with no assignment there is refused.
--
-- Admins stay a store-scoped role: an admin manages the users and the
-- details of the stores they are admin of, and the engine never leaves an
-- active store without an active admin.
--
-- Head office is a user-level flag (users.head_office), not a row here:
--   * it is not about one store: it reads every store of the file, including
--     stores created after it was granted, with nothing to keep in step;
--   * user_stores keeps store_id NOT NULL with a real foreign key and a plain
--     (user_id, store_id) key, where a NULL-store row would need a special
--     case in every query and constraint;
--   * a head-office user writes nothing store-scoped, so it never needs a
--     role in a store; the same user may also hold store roles, and then
--     writes there with that role.
--
-- users.role and users.store_id stay (V1's CHECK and the foreign keys into
-- users make rebuilding the table costlier than it is worth): store_id is the
-- home store, used when a request names none; role is no longer read for
-- permissions. The engine keeps it equal to the role at the home store (else
-- the highest store role, else 'cashier') for older readers of the file.

CREATE TABLE user_stores (
    user_id     TEXT NOT NULL REFERENCES users(id),
    store_id    TEXT NOT NULL REFERENCES stores(id),
    role        TEXT NOT NULL CHECK (role IN ('cashier', 'practitioner', 'manager', 'admin')),
    created_at  TEXT NOT NULL,
    created_by  TEXT REFERENCES users(id),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, store_id)
) WITHOUT ROWID;
-- "Who works here" and "is this store's last admin leaving" read by store.
CREATE INDEX ix_user_stores_store_role ON user_stores(store_id, role);

ALTER TABLE users ADD COLUMN head_office INTEGER NOT NULL DEFAULT 0 CHECK (head_office IN (0, 1));

-- Existing users keep what they could do: their role at their home store.
INSERT INTO user_stores (user_id, store_id, role, created_at, created_by, updated_at)
SELECT u.id, u.store_id, u.role, MAX(u.created_at, s.created_at), NULL, MAX(u.created_at, s.created_at)
  FROM users u JOIN stores s ON s.id = u.store_id;

-- A user with no home store (the administrator made at setup, before a
-- user could name one) acted in every store: they get their role in each.
INSERT INTO user_stores (user_id, store_id, role, created_at, created_by, updated_at)
SELECT u.id, s.id, u.role, MAX(u.created_at, s.created_at), NULL, MAX(u.created_at, s.created_at)
  FROM users u CROSS JOIN stores s
 WHERE u.store_id IS NULL;

-- Before this schema an admin acted in every store. A store that now has no
-- active admin (one made after its admins, whose home store is elsewhere)
-- would be managed by nobody: every active admin becomes its admin.
INSERT INTO user_stores (user_id, store_id, role, created_at, created_by, updated_at)
SELECT u.id, s.id, 'admin', MAX(u.created_at, s.created_at), NULL, MAX(u.created_at, s.created_at)
  FROM stores s CROSS JOIN users u
 WHERE u.role = 'admin' AND u.is_active = 1
   AND NOT EXISTS (SELECT 1 FROM user_stores x JOIN users a ON a.id = x.user_id
                    WHERE x.store_id = s.id AND x.role = 'admin' AND a.is_active = 1)
   AND NOT EXISTS (SELECT 1 FROM user_stores y WHERE y.user_id = u.id AND y.store_id = s.id);
