-- Product exports (XLSX or CSV), made by a job; the file is a blob (blobs, blob_chunks).
CREATE TABLE catalog.exports (
    id            uuid PRIMARY KEY,
    requested_by  text NOT NULL,
    -- Whose products: one seller's, or (admins only) everyone's when null.
    seller_id     text,
    status        text CHECK (status IN ('draft', 'scheduled', 'published', 'archived')),
    format        text NOT NULL CHECK (format IN ('xlsx', 'csv')),
    state         text NOT NULL CHECK (state IN ('pending', 'running', 'completed', 'failed')),
    progress      integer NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    row_count     integer NOT NULL DEFAULT 0,
    error         text,
    created_at    timestamptz NOT NULL,
    finished_at   timestamptz
);
CREATE INDEX exports_by_requester ON catalog.exports (requested_by, created_at DESC);

-- Secrets that sign URLs (download links): made once, shared by every catalog process.
CREATE TABLE catalog.url_keys (
    name    text PRIMARY KEY,
    secret  bytea NOT NULL CHECK (length(secret) = 32)
);
