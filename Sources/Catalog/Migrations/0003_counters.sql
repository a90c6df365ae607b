-- Counters kept from events, never written on the request path: units sold per product (from
-- Orders' events), views per product (from the edge, batched), and published products per
-- category (from the catalog's own product events). Separate narrow tables, so frequent counter
-- updates do not rewrite the wide product rows search reads.

CREATE TABLE catalog.product_counters (
    product_id   uuid PRIMARY KEY,
    sales_count  bigint NOT NULL DEFAULT 0 CHECK (sales_count >= 0),
    view_count   bigint NOT NULL DEFAULT 0 CHECK (view_count >= 0)
);

-- Which category each product is counted in (null: not counted, e.g. a draft), and the
-- product version that said so: an older event arriving late changes nothing.
CREATE TABLE catalog.category_members (
    product_id   uuid PRIMARY KEY,
    category_id  uuid,
    version      integer NOT NULL
);

CREATE TABLE catalog.category_counters (
    category_id    uuid PRIMARY KEY,
    product_count  bigint NOT NULL DEFAULT 0 CHECK (product_count >= 0)
);
