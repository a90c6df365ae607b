-- The resident search index (docs/search.md) keeps a copy of what search reads in every catalog
-- process. This log says which products changed, by the transaction that changed them: a
-- process reads the entries of every transaction older than the oldest one still running
-- (pg_snapshot_xmin), so an entry committed late is never skipped, and each is read once.
-- Statement triggers with transition tables: a bulk write (the seed's million rows) logs in one
-- INSERT … SELECT, not a trigger call per row. Entries older than an hour are deleted by the
-- readers; a reader that fell further behind rebuilds its copy.
CREATE TABLE catalog.search_changes (
    xid         bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
    product_id  uuid NOT NULL,
    logged_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX search_changes_xid_idx ON catalog.search_changes (xid);
CREATE INDEX search_changes_logged_idx ON catalog.search_changes (logged_at);

CREATE FUNCTION catalog.log_product_changes() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO catalog.search_changes (product_id) SELECT DISTINCT id FROM changed;
    RETURN NULL;
END
$$;

CREATE FUNCTION catalog.log_product_fact_changes() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO catalog.search_changes (product_id) SELECT DISTINCT product_id FROM changed;
    RETURN NULL;
END
$$;

CREATE TRIGGER products_log_inserts AFTER INSERT ON catalog.products
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_changes();
CREATE TRIGGER products_log_updates AFTER UPDATE ON catalog.products
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_changes();
CREATE TRIGGER products_log_deletes AFTER DELETE ON catalog.products
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_changes();

CREATE TRIGGER availability_log_inserts AFTER INSERT ON catalog.product_availability
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_fact_changes();
CREATE TRIGGER availability_log_updates AFTER UPDATE ON catalog.product_availability
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_fact_changes();

CREATE TRIGGER counters_log_inserts AFTER INSERT ON catalog.product_counters
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_fact_changes();
CREATE TRIGGER counters_log_updates AFTER UPDATE ON catalog.product_counters
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION catalog.log_product_fact_changes();
