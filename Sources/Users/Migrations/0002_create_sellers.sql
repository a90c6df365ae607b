-- A user who sells: the shop (docs/users.md). Seller.id is the user's id.
CREATE TABLE users.sellers (
    user_id uuid PRIMARY KEY REFERENCES users.users (id) ON DELETE CASCADE,
    shop_name text NOT NULL CHECK (length(shop_name) BETWEEN 1 AND 80),
    slug text NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 100),
    since timestamptz NOT NULL
);
