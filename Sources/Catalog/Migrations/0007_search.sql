-- Search (docs/search.md): what filters, sorting, type-ahead and synonyms read.

-- Units available per product, kept from inventory's StockChanged events (the search's in-stock
-- filter reads this, never inventory). A product without a row has none.
CREATE TABLE catalog.product_availability (
    product_id  uuid PRIMARY KEY,
    available   integer NOT NULL,
    changed_at  timestamptz NOT NULL
);

-- Words a query also looks for, per word typed; edited by admins (setSearchSynonyms) and read
-- whole into every catalog process, so kept small (at most 10,000 terms, checked on insert).
CREATE TABLE catalog.search_synonyms (
    term        text PRIMARY KEY CHECK (length(term) BETWEEN 1 AND 100),
    synonyms    text[] NOT NULL CHECK (cardinality(synonyms) BETWEEN 1 AND 20),
    updated_at  timestamptz NOT NULL
);

-- Type-ahead: completions of a word, and titles that start with what was typed, by index range
-- and in index order (so LIMIT stops early). In the "C" collation whatever the database's: a
-- prefix LIKE can use such an index for its range, and ORDER BY … COLLATE "C" for its order (a
-- text_pattern_ops index serves the range only, and the matches were sorted: 20,000 titles start
-- with "смартф" on a million products).
CREATE INDEX search_words_prefix_idx ON catalog.search_words ((word COLLATE "C"));
CREATE INDEX products_title_prefix_idx ON catalog.products ((lower(title) COLLATE "C"));
