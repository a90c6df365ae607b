-- Inventory schema: warehouses, the products inventory knows (from catalog events), stock per
-- product per warehouse, reservations, and an append-only log of every stock movement.
--
-- Invariants live in the database as well as in code: on hand and reserved are never negative
-- and reserved never exceeds on hand, so available (on hand − reserved) is never negative even if
-- a code path forgets a check.

CREATE TABLE inventory.warehouses (
    id          uuid PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,31}$'),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- The default warehouse has a fixed, well-known id (InventoryService / Warehouse.defaultID):
-- new products open their stock record here, and mutations without a warehouse use it.
INSERT INTO inventory.warehouses (id, code, name)
VALUES ('00000000-0000-0000-0000-000000000001', 'DEFAULT', 'Default warehouse');

-- One row per catalog product, filled from ProductCreated (and kept current by later product
-- events), so seller permissions and the active flag are checked without calling catalog.
-- Its row lock is also the per-product mutex every stock movement takes first.
CREATE TABLE inventory.products (
    product_id           uuid PRIMARY KEY,
    seller_id            text NOT NULL,
    active               boolean NOT NULL DEFAULT true,
    low_stock_threshold  integer NOT NULL DEFAULT 5 CHECK (low_stock_threshold >= 0),
    -- The catalog version of the last snapshot applied; older snapshots are ignored.
    catalog_version      integer NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_seller_idx ON inventory.products (seller_id);

CREATE TABLE inventory.stock (
    product_id    uuid NOT NULL REFERENCES inventory.products (product_id),
    warehouse_id  uuid NOT NULL REFERENCES inventory.warehouses (id),
    on_hand       integer NOT NULL DEFAULT 0 CONSTRAINT stock_on_hand_not_negative CHECK (on_hand >= 0),
    reserved      integer NOT NULL DEFAULT 0 CONSTRAINT stock_reserved_not_negative CHECK (reserved >= 0),
    available     integer GENERATED ALWAYS AS (on_hand - reserved) STORED,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, warehouse_id),
    CONSTRAINT stock_available_not_negative CHECK (reserved <= on_hand)
);

CREATE TABLE inventory.reservations (
    id          uuid PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('held', 'committed', 'released', 'expired')),
    actor       text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    settled_at  timestamptz
);
-- The expiry loop scans only what is still held, oldest deadline first.
CREATE INDEX reservations_expiry_idx ON inventory.reservations (expires_at) WHERE status = 'held';

CREATE TABLE inventory.reservation_lines (
    reservation_id  uuid NOT NULL REFERENCES inventory.reservations (id) ON DELETE CASCADE,
    product_id      uuid NOT NULL,
    warehouse_id    uuid NOT NULL,
    quantity        integer NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (reservation_id, product_id, warehouse_id),
    FOREIGN KEY (product_id, warehouse_id) REFERENCES inventory.stock (product_id, warehouse_id)
);

-- Every change of on hand or reserved units, with who and why. Append-only.
CREATE TABLE inventory.stock_movements (
    id              bigserial PRIMARY KEY,
    product_id      uuid NOT NULL,
    warehouse_id    uuid NOT NULL,
    on_hand_delta   integer NOT NULL,
    reserved_delta  integer NOT NULL,
    reason          text NOT NULL CHECK (reason IN ('received', 'adjusted', 'reserved', 'released', 'committed', 'expired')),
    note            text,
    actor           text,
    reservation_id  uuid,
    at              timestamptz NOT NULL,
    CHECK (on_hand_delta <> 0 OR reserved_delta <> 0)
);
CREATE INDEX stock_movements_product_idx ON inventory.stock_movements (product_id, at);
CREATE INDEX stock_movements_reservation_idx ON inventory.stock_movements (reservation_id) WHERE reservation_id IS NOT NULL;
