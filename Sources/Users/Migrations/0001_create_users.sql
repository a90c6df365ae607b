-- Accounts and their sessions (docs/users.md).
CREATE TABLE users.users (
    id uuid PRIMARY KEY,
    -- Trimmed and lowercased by the service (Email): the unique key of an account.
    email text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 64),
    password_hash text NOT NULL,
    roles text[] NOT NULL DEFAULT '{buyer}',
    locale text NOT NULL DEFAULT 'ru' CHECK (locale IN ('ru', 'en')),
    password_changed_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL
);

-- One row per login: a family of refresh tokens. Ended when the user logs out, changes the
-- password, or a used token comes back (theft detection).
CREATE TABLE users.sessions (
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    end_reason text
);
CREATE INDEX sessions_open_by_user ON users.sessions (user_id) WHERE ended_at IS NULL;

-- Refresh tokens by their SHA-256; only the newest of a session is unused.
CREATE TABLE users.refresh_tokens (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id uuid NOT NULL REFERENCES users.sessions (id) ON DELETE CASCADE,
    issued_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz
);
CREATE INDEX refresh_tokens_by_session ON users.refresh_tokens (session_id);
