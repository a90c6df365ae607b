-- Typo correction: the distinct words of all titles, with a trigram index. Correcting a query
-- word against this small table and then searching by words stays fast at any catalog size,
-- where a trigram scan over every title does not (see docs/catalog.md).

CREATE TABLE catalog.search_words (
    word text PRIMARY KEY
);
CREATE INDEX search_words_trgm_idx ON catalog.search_words USING gin (word public.gin_trgm_ops);

CREATE FUNCTION catalog.remember_title_words() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    INSERT INTO catalog.search_words (word)
    SELECT DISTINCT w FROM regexp_split_to_table(lower(NEW.title), '[^[:alnum:]]+') AS w
    WHERE length(w) >= 3
    ORDER BY w  -- a fixed order: concurrent inserts of the same words cannot deadlock
    ON CONFLICT DO NOTHING;
    RETURN NEW;
END
$$;

CREATE TRIGGER products_remember_title_words
    AFTER INSERT OR UPDATE OF title ON catalog.products
    FOR EACH ROW EXECUTE FUNCTION catalog.remember_title_words();

INSERT INTO catalog.search_words (word)
SELECT DISTINCT w FROM catalog.products, regexp_split_to_table(lower(title), '[^[:alnum:]]+') AS w
WHERE length(w) >= 3
ON CONFLICT DO NOTHING;
