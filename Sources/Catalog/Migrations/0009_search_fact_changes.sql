-- Counters and availability change far more often than products (every viewed product's count,
-- every few seconds): the resident search index reads such a change as three numbers instead of
-- the whole product with its stems. `facts_only` tells the two kinds of entry apart.
ALTER TABLE catalog.search_changes ADD COLUMN facts_only boolean NOT NULL DEFAULT false;

CREATE OR REPLACE FUNCTION catalog.log_product_fact_changes() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO catalog.search_changes (product_id, facts_only) SELECT DISTINCT product_id, true FROM changed;
    RETURN NULL;
END
$$;
