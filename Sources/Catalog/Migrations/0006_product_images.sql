-- Images uploaded for products (POST /uploads/images). The upload is kept as a blob
-- (images/<id>/original); a job (catalog.product-image) makes its sizes as blobs
-- (images/<id>/<pixels>.jpg|webp) and marks it ready, or failed with the reason.
CREATE TABLE catalog.product_images (
    id            uuid PRIMARY KEY,
    product_id    uuid NOT NULL REFERENCES catalog.products (id) ON DELETE CASCADE,
    -- Display order within the product: the order of upload.
    position      integer NOT NULL,
    uploaded_by   text NOT NULL,
    source_format text NOT NULL CHECK (source_format IN ('jpeg', 'png', 'webp')),
    byte_size     bigint NOT NULL CHECK (byte_size > 0),
    state         text NOT NULL CHECK (state IN ('pending', 'ready', 'failed')),
    width         integer,
    height        integer,
    error         text,
    created_at    timestamptz NOT NULL,
    processed_at  timestamptz
);
CREATE INDEX product_images_by_product ON catalog.product_images (product_id, position);
