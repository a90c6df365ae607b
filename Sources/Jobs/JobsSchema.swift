public import Database

/// The job table a service keeps in its own schema, next to its business tables: a job is
/// enqueued in the same transaction as the write that causes it (docs/jobs.md). Generated, like
/// the messaging tables, so every service gets the same table and indexes.
public enum JobsSchema {
    public static let migrationVersion = 9002

    /// The NOTIFY channel of a schema's jobs: workers LISTEN on it; an enqueue notifies it when
    /// its transaction commits (never when it rolls back).
    public static func notifyChannel(schema: String) -> String { "emporium_jobs_\(schema)" }

    public static func migration() -> Migration {
        Migration(version: migrationVersion, name: "9002_jobs.sql", sql: """
            CREATE TABLE jobs (
                id                bigserial PRIMARY KEY,
                queue             text NOT NULL,
                kind              text NOT NULL,
                payload           jsonb NOT NULL,
                state             text NOT NULL CHECK (state IN ('available', 'running', 'retryable', 'completed', 'discarded', 'cancelled')),
                priority          smallint NOT NULL DEFAULT 0,
                run_at            timestamptz NOT NULL,
                attempts          integer NOT NULL DEFAULT 0,
                max_attempts      integer NOT NULL CHECK (max_attempts BETWEEN 1 AND 100),
                timeout_ms        integer NOT NULL CHECK (timeout_ms > 0),
                unique_key        text,
                leased_by         text,
                lease_expires_at  timestamptz,
                cancel_requested  boolean NOT NULL DEFAULT false,
                progress          smallint NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
                progress_message  text,
                last_error        text,
                errors            jsonb NOT NULL DEFAULT '[]',
                created_at        timestamptz NOT NULL,
                started_at        timestamptz,
                finished_at       timestamptz
            );
            -- One pending job per unique key: finished ones free the key.
            CREATE UNIQUE INDEX jobs_unique_pending ON jobs (unique_key)
                WHERE unique_key IS NOT NULL AND state IN ('available', 'running', 'retryable');
            -- What a worker fetches: due jobs of its queue, highest priority first, oldest first.
            CREATE INDEX jobs_due ON jobs (queue, priority DESC, run_at, id) WHERE state IN ('available', 'retryable');
            -- What the lease reaper scans.
            CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running';
            CREATE INDEX jobs_kind_state ON jobs (kind, state, id DESC);

            -- Each cron tick is claimed once, whichever process's scheduler sees it first.
            CREATE TABLE cron_ticks (
                name  text NOT NULL,
                at    timestamptz NOT NULL,
                PRIMARY KEY (name, at)
            );
            """)
    }
}
