-- Catalog schema: categories (a tree), products, and every slug a product has ever had.
-- Full-text search indexes titles (weight A) above descriptions (weight B) in both Russian and
-- English, so that word forms in either language match; pg_trgm serves the typo fallback.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE catalog.categories (
    id          uuid PRIMARY KEY,
    parent_id   uuid REFERENCES catalog.categories (id),
    slug        text NOT NULL UNIQUE,
    name        text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX categories_parent_idx ON catalog.categories (parent_id);

CREATE TABLE catalog.products (
    id                 uuid PRIMARY KEY,
    seller_id          text NOT NULL,
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    slug               text NOT NULL,
    description        text NOT NULL DEFAULT '',
    price_amount       bigint NOT NULL CHECK (price_amount >= 0),
    currency           text NOT NULL CHECK (length(currency) = 3),
    compare_at_amount  bigint CHECK (compare_at_amount >= 0),
    category_id        uuid REFERENCES catalog.categories (id),
    attributes         jsonb NOT NULL DEFAULT '[]',
    image_urls         text[] NOT NULL DEFAULT '{}',
    status             text NOT NULL CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    publish_at         timestamptz,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    version            integer NOT NULL DEFAULT 1,
    search_vector      tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('russian'::regconfig, title), 'A') ||
        setweight(to_tsvector('english'::regconfig, title), 'A') ||
        setweight(to_tsvector('russian'::regconfig, description), 'B') ||
        setweight(to_tsvector('english'::regconfig, description), 'B')
    ) STORED
);
CREATE UNIQUE INDEX products_slug_idx ON catalog.products (slug);
CREATE INDEX products_created_idx ON catalog.products (created_at DESC, id DESC);
CREATE INDEX products_category_created_idx ON catalog.products (category_id, created_at DESC, id DESC);
CREATE INDEX products_seller_created_idx ON catalog.products (seller_id, created_at DESC, id DESC);
CREATE INDEX products_search_idx ON catalog.products USING gin (search_vector);
CREATE INDEX products_title_trgm_idx ON catalog.products USING gin (title gin_trgm_ops);

-- Current and former slugs share one namespace, so an old link never points at another product.
CREATE TABLE catalog.product_slugs (
    slug        text PRIMARY KEY,
    product_id  uuid NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX product_slugs_prefix_idx ON catalog.product_slugs (slug text_pattern_ops);
CREATE INDEX product_slugs_product_idx ON catalog.product_slugs (product_id);
