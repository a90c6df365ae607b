-- Suspensions and the audit log of admin actions (docs/users.md).
ALTER TABLE users.users ADD COLUMN suspended_at timestamptz, ADD COLUMN suspension_reason text;
CREATE INDEX users_newest_first ON users.users (created_at DESC, id DESC);

CREATE TABLE users.audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- A user id, or `cli` for `emporium users …`.
    actor text NOT NULL,
    action text NOT NULL,
    subject_id uuid,
    detail text NOT NULL DEFAULT '',
    at timestamptz NOT NULL
);
