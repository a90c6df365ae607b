public import PostgresNIO

/// Where a running PostgreSQL server accepts connections, as handed out by ``PostgresCluster``.
///
/// A value rather than a client, so the caller owns the `PostgresClient` (its pool size, its
/// lifecycle in the `ServiceGroup`) and can ask for a configuration per database.
public struct PostgresEndpoint: Sendable, Hashable {
    /// The host, `127.0.0.1` for a private cluster.
    public var host: String
    /// The TCP port.
    public var port: Int
    /// The role to connect as (the cluster's superuser, `postgres`, for a private cluster).
    public var username: String
    /// The password, `nil` for trust authentication.
    public var password: String?
    /// The default database to open.
    public var database: String

    /// Describes a server; the defaults fit a private cluster.
    public init(host: String = "127.0.0.1", port: Int, username: String = "postgres", password: String? = nil, database: String = "postgres") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// A client configuration for `database` (or the endpoint's default). TLS is off: a private
    /// cluster listens on loopback only.
    public func clientConfiguration(database: String? = nil) -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: self.host, port: self.port, username: self.username, password: self.password,
            database: database ?? self.database, tls: .disable)
    }

    /// The endpoint as a `postgres://` URL (with `sslmode=disable`), e.g. to hand to a child
    /// process through `EMPORIUM_DATABASE_URL`. ``DatabaseURL`` parses it back.
    public func url(database: String? = nil) -> String {
        var userInfo = DatabaseURL.percentEncode(self.username)
        if let password { userInfo += ":" + DatabaseURL.percentEncode(password) }
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "postgres://\(userInfo)@\(host):\(self.port)/\(DatabaseURL.percentEncode(database ?? self.database))?sslmode=disable"
    }

    /// ``url(database:)`` for the default database.
    public var url: String { self.url() }
}
