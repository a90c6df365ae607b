-- Discounts: a product's price changes at the start and returns at the end (two jobs). Overlaps
-- are refused under the product's row lock, not by a constraint (no extension needed).
CREATE TABLE catalog.discounts (
    id                  uuid PRIMARY KEY,
    product_id          uuid NOT NULL REFERENCES catalog.products (id),
    percent             integer CHECK (percent BETWEEN 1 AND 99),
    price_amount        bigint CHECK (price_amount >= 0),
    starts_at           timestamptz NOT NULL,
    ends_at             timestamptz NOT NULL CHECK (ends_at > starts_at),
    state               text NOT NULL CHECK (state IN ('scheduled', 'active', 'ended', 'cancelled')),
    -- What the product had before the discount started, put back at its end.
    regular_amount      bigint,
    regular_compare_at  bigint,
    note                text,
    created_at          timestamptz NOT NULL,
    CHECK ((percent IS NULL) <> (price_amount IS NULL))
);
CREATE INDEX discounts_by_product ON catalog.discounts (product_id, starts_at);
