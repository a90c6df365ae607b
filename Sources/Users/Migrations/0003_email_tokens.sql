-- Email verification, and single-use tokens sent by mail (password reset, verification).
ALTER TABLE users.users ADD COLUMN email_verified_at timestamptz;

CREATE TABLE users.mail_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('password_reset', 'email_verification')),
    -- The address the token was sent to: a token for an address the account no longer has is void.
    email text NOT NULL,
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX mail_tokens_by_user ON users.mail_tokens (user_id);
