-- The Ed25519 keys access tokens are signed with (docs/users.md). The newest key not retired
-- signs; a retired key stays in the JWKS until the tokens it signed have expired.
CREATE TABLE users.signing_keys (
    kid text PRIMARY KEY,
    seed bytea NOT NULL CHECK (length(seed) = 32),
    created_at timestamptz NOT NULL,
    retired_at timestamptz
);
