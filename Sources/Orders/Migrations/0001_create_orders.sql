-- Orders: carts, orders split per seller, their history, and what Orders knows of the catalog's
-- products (a projection kept from catalog events: checkout never calls the catalog).
--
-- Amounts are bigint minor units: an order of 100 lines × 1,000 units × the largest price fits
-- many times over. Quantities are 1 to 1,000 per line, in the table as in code.

CREATE TABLE orders.products (
    product_id   uuid PRIMARY KEY,
    seller_id    text NOT NULL,
    title        text NOT NULL,
    price_amount bigint NOT NULL CHECK (price_amount >= 0),
    currency     text NOT NULL,
    status       text NOT NULL,
    publish_at   timestamptz,
    version      integer NOT NULL
);

CREATE TABLE orders.cart_lines (
    buyer_id    text NOT NULL,
    product_id  uuid NOT NULL,
    quantity    integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (buyer_id, product_id)
);

CREATE TABLE orders.orders (
    id                uuid PRIMARY KEY,
    buyer_id          text NOT NULL,
    status            text NOT NULL CHECK (status IN
        ('PENDING', 'AWAITING_PAYMENT', 'PAID', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REJECTED')),
    currency          text NOT NULL,
    total_amount      bigint NOT NULL CHECK (total_amount >= 0),
    shipping_address  jsonb NOT NULL,
    idempotency_key   text NOT NULL,
    -- What was bought, to tell a retried checkout (same cart) from a reused key (another cart).
    cart_fingerprint  text NOT NULL,
    reason            text,
    payment_id        text,
    payment_url       text,
    payment_deadline  timestamptz,
    paid_at           timestamptz,
    refund_id         text,
    refunded_at       timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL,
    UNIQUE (buyer_id, idempotency_key)
);
CREATE INDEX orders_buyer_idx ON orders.orders (buyer_id, created_at DESC, id DESC);
CREATE INDEX orders_created_idx ON orders.orders (created_at DESC, id DESC);
-- The payment deadline sweep reads only what is still unpaid, earliest deadline first.
CREATE INDEX orders_payment_deadline_idx ON orders.orders (payment_deadline) WHERE status = 'AWAITING_PAYMENT';

CREATE TABLE orders.seller_orders (
    id               uuid PRIMARY KEY,
    order_id         uuid NOT NULL REFERENCES orders.orders (id),
    seller_id        text NOT NULL,
    status           text NOT NULL CHECK (status IN
        ('PENDING', 'AWAITING_PAYMENT', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'REJECTED')),
    subtotal_amount  bigint NOT NULL,
    shipment_id      text UNIQUE,
    tracking_number  text,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (order_id, seller_id)
);
CREATE INDEX seller_orders_seller_idx ON orders.seller_orders (seller_id, created_at DESC, id DESC);

CREATE TABLE orders.order_lines (
    order_id         uuid NOT NULL REFERENCES orders.orders (id),
    seller_order_id  uuid NOT NULL REFERENCES orders.seller_orders (id),
    product_id       uuid NOT NULL,
    seller_id        text NOT NULL,
    title            text NOT NULL,
    quantity         integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
    unit_amount      bigint NOT NULL CHECK (unit_amount >= 0),
    position         integer NOT NULL,
    PRIMARY KEY (order_id, product_id)
);

-- Every status change, order-wide (seller_order_id null) or of one seller's part. Append-only.
CREATE TABLE orders.order_history (
    id               bigserial PRIMARY KEY,
    order_id         uuid NOT NULL REFERENCES orders.orders (id),
    seller_order_id  uuid,
    from_status      text,
    to_status        text NOT NULL,
    reason           text,
    at               timestamptz NOT NULL
);
CREATE INDEX order_history_order_idx ON orders.order_history (order_id, id);

-- Webhook events already applied: a replayed delivery is refused, not applied twice.
CREATE TABLE orders.webhook_events (
    id           text PRIMARY KEY,
    source       text NOT NULL,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- The sandbox payment and delivery providers keep their own books here, as a hosted provider
-- would on its side: nothing in Orders reads these tables except the sandbox adapters.
CREATE TABLE orders.sandbox_payments (
    id               text PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    order_id         text NOT NULL,
    amount           bigint NOT NULL,
    currency         text NOT NULL,
    status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined')),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders.sandbox_refunds (
    id               text PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    payment_id       text NOT NULL REFERENCES orders.sandbox_payments (id),
    amount           bigint NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders.sandbox_shipments (
    id               text PRIMARY KEY,
    idempotency_key  text NOT NULL UNIQUE,
    seller_order_id  text NOT NULL,
    tracking_number  text NOT NULL,
    status           text NOT NULL CHECK (status IN ('created', 'shipped', 'delivered')),
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Webhooks the sandbox owes: delivered by its sender loop, retried with backoff until accepted.
CREATE TABLE orders.sandbox_webhooks (
    id               bigserial PRIMARY KEY,
    target           text NOT NULL CHECK (target IN ('payments', 'delivery')),
    body             text NOT NULL,
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    last_error       text
);
CREATE INDEX sandbox_webhooks_due_idx ON orders.sandbox_webhooks (next_attempt_at) WHERE delivered_at IS NULL;
