import Database

/// The messaging tables every service owns in its own schema: `outbox` (events to publish),
/// `processed_events` (the inbox: which events this service's consumers have handled) and
/// `dead_letters` (events a consumer gave up on, kept for an operator).
///
/// Generated rather than copied into each service's migration folder, so every service gets
/// the same tables. The version is far above hand-written ones so the two never collide.
public enum MessagingSchema {
    public static let migrationVersion = 9001

    public static func migration() -> Migration {
        Migration(version: migrationVersion, name: "9001_messaging_tables.sql", sql: """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                event_id uuid NOT NULL UNIQUE,
                topic text NOT NULL,
                aggregate_id text NOT NULL,
                event_type text NOT NULL,
                schema_version integer NOT NULL,
                correlation_id text,
                occurred_at timestamptz NOT NULL,
                payload jsonb NOT NULL,
                published_at timestamptz
            );
            -- The relay reads the unpublished head; pruning walks the published tail.
            CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL;
            CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

            CREATE TABLE processed_events (
                consumer text NOT NULL,
                event_id uuid NOT NULL,
                processed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (consumer, event_id)
            );
            CREATE INDEX processed_events_age ON processed_events (processed_at);

            CREATE TABLE dead_letters (
                id bigserial PRIMARY KEY,
                consumer text NOT NULL,
                event_id uuid NOT NULL,
                topic text NOT NULL,
                aggregate_id text NOT NULL,
                event_type text NOT NULL,
                schema_version integer NOT NULL,
                correlation_id text,
                occurred_at timestamptz NOT NULL,
                payload jsonb NOT NULL,
                error text NOT NULL,
                attempts integer NOT NULL,
                failed_at timestamptz NOT NULL DEFAULT now()
            );
            """)
    }

    /// The LISTEN/NOTIFY channel on which a commit with outbox rows wakes the relay of `schema`.
    public static func notifyChannel(schema: String) -> String { "emporium_outbox_\(schema)" }
}
