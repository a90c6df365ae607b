/// The one error type of the `Database` module.
///
/// `description` is short and safe to show an operator (it never contains a password);
/// `debugDescription` adds what helps a developer: the failing command's output, the server's
/// error fields, the underlying error.
public struct DatabaseError: Error, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, as an extensible set of values (new codes are not a breaking change).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable name, e.g. `binariesNotFound`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The code's name, for logs and test output.
        public var description: String { self.name }

        /// No PostgreSQL server binaries (initdb, postgres, pg_ctl) were found on this machine.
        public static let binariesNotFound = Code("binariesNotFound")
        /// A PostgreSQL tool (initdb, pg_ctl, runuser) exited with an error or timed out.
        public static let commandFailed = Code("commandFailed")
        /// The cluster's directory cannot be used (not writable, not reachable by the `postgres` user).
        public static let directoryUnusable = Code("directoryUnusable")
        /// The server did not start, or a server is already running on the same data directory.
        public static let startFailed = Code("startFailed")
        /// The cluster has not been started.
        public static let notRunning = Code("notRunning")
        /// A database URL could not be parsed.
        public static let invalidURL = Code("invalidURL")
        /// A migration file name or directory is invalid.
        public static let invalidMigration = Code("invalidMigration")
        /// Two migration files of one set share a version number.
        public static let duplicateMigrationVersion = Code("duplicateMigrationVersion")
        /// An already-applied migration was changed after it was applied.
        public static let checksumMismatch = Code("checksumMismatch")
        /// A migration's SQL failed; its transaction was rolled back and nothing was recorded.
        public static let migrationFailed = Code("migrationFailed")
        /// Another process held the migration lock for longer than the configured timeout.
        public static let lockTimeout = Code("lockTimeout")
        /// A query against the server failed outside of a migration's own SQL.
        public static let queryFailed = Code("queryFailed")
    }

    /// What went wrong.
    public var code: Code
    /// A user-facing sentence; contains no secrets.
    public var message: String
    /// Extra developer detail (command output, server log tail, SQL state), shown in `debugDescription`.
    public var details: String?
    /// The error this one wraps, if any.
    public var underlying: (any Error)?

    /// Creates an error; `message` must be safe to show a user.
    public init(_ code: Code, _ message: String, details: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.underlying = underlying
    }

    /// The user-safe message.
    public var description: String { self.message }

    /// The message with code, details and the underlying error, for developers.
    public var debugDescription: String {
        var text = "DatabaseError(\(self.code)): \(self.message)"
        if let details, !details.isEmpty { text += "\n\(details)" }
        if let underlying { text += "\nunderlying: \(String(reflecting: underlying))" }
        return text
    }
}

extension DatabaseError {
    /// The sentence every "no PostgreSQL here" error carries, so the fix is one copy-paste away.
    static let installHint = "install them with `apt-get install -y postgresql`"
}
