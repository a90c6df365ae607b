-- Returns after delivery, and each seller's ledger (sales, commission, refunds) with its balance.

-- When the carrier delivered the part: a return may be asked for within 14 days of it.
ALTER TABLE orders.seller_orders ADD COLUMN delivered_at timestamptz;

CREATE TABLE orders.returns (
    id               uuid PRIMARY KEY,
    order_id         uuid NOT NULL REFERENCES orders.orders (id),
    seller_order_id  uuid NOT NULL REFERENCES orders.seller_orders (id),
    buyer_id         text NOT NULL,
    seller_id        text NOT NULL,
    status           text NOT NULL CHECK (status IN ('REQUESTED', 'APPROVED', 'REFUSED')),
    reason           text NOT NULL,
    decision_note    text,
    amount           bigint NOT NULL CHECK (amount >= 0),
    currency         text NOT NULL,
    refund_id        text,
    created_at       timestamptz NOT NULL,
    decided_at       timestamptz
);
CREATE INDEX returns_order_idx ON orders.returns (order_id);
CREATE INDEX returns_seller_idx ON orders.returns (seller_id, created_at DESC, id DESC);

CREATE TABLE orders.return_lines (
    return_id    uuid NOT NULL REFERENCES orders.returns (id),
    product_id   uuid NOT NULL,
    quantity     integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_amount  bigint NOT NULL CHECK (unit_amount >= 0),
    PRIMARY KEY (return_id, product_id)
);

-- Append-only, projected from Orders' own events (each at most once: event_id is unique).
CREATE TABLE orders.seller_ledger (
    id               bigserial PRIMARY KEY,
    seller_id        text NOT NULL,
    order_id         uuid NOT NULL,
    seller_order_id  uuid NOT NULL,
    return_id        uuid,
    kind             text NOT NULL CHECK (kind IN ('SALE', 'COMMISSION', 'REFUND', 'COMMISSION_REFUND')),
    amount           bigint NOT NULL,
    currency         text NOT NULL,
    at               timestamptz NOT NULL,
    event_id         uuid NOT NULL,
    UNIQUE (event_id, kind)
);
CREATE INDEX seller_ledger_seller_idx ON orders.seller_ledger (seller_id, id DESC);

CREATE TABLE orders.seller_accounts (
    seller_id   text NOT NULL,
    currency    text NOT NULL,
    balance     bigint NOT NULL DEFAULT 0,
    units_sold  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (seller_id, currency)
);
