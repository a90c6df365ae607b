import Foundation
public import PostgresNIO

/// A `postgres://` or `postgresql://` URL turned into a `PostgresClient.Configuration`, so one
/// environment variable (`EMPORIUM_DATABASE_URL`) can select any server.
///
/// Accepted: `postgres://user[:password]@host[:port][/database][?sslmode=…]`, with percent-encoded
/// user, password and database; `[::1]` for IPv6; `?host=/path/to/socket/dir` for a unix socket.
/// The database defaults to the user name (as in libpq), the port to 5432.
/// `sslmode`: `disable` (no TLS), `prefer` (TLS if offered, unverified), `require` (TLS, unverified,
/// as libpq does without a root certificate), `verify-full` (TLS, certificate and host name checked).
public struct DatabaseURL: Sendable, CustomStringConvertible {
    /// The TLS policy named by `sslmode`.
    public enum SSLMode: String, Sendable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// The host name or address (nil when a unix socket is used).
    public let host: String?
    /// The TCP port.
    public let port: Int
    /// The unix socket file (`<host dir>/.s.PGSQL.<port>`), when `?host=/dir` was given.
    public let unixSocketPath: String?
    /// The role to connect as.
    public let username: String
    /// The password, if the URL has one.
    public let password: String?
    /// The database to open.
    public let database: String
    /// The TLS policy.
    public let sslMode: SSLMode
    /// `application_name`, shown in `pg_stat_activity` (useful with one database per several services).
    public let applicationName: String?
    /// `connect_timeout` in seconds, if given.
    public let connectTimeout: Int?

    /// Parses `string`; errors name the part that is wrong and never echo the password.
    public init(_ string: String) throws {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let schemeEnd = trimmed.range(of: "://") else {
            throw Self.invalid("it must start with postgres:// or postgresql://")
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw Self.invalid("unsupported scheme \"\(scheme)\" (expected postgres:// or postgresql://)")
        }
        guard let components = URLComponents(string: trimmed) else {
            throw Self.invalid("it is not a well-formed URL (percent-encode special characters in the user name and password)")
        }

        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            query[item.name] = item.value ?? ""
        }

        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw Self.invalid("the user name is missing (postgres://USER@host/database)")
        }
        self.username = user
        self.password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }

        if let rawPort = components.port {
            guard (1...65535).contains(rawPort) else { throw Self.invalid("port \(rawPort) is out of range") }
            self.port = rawPort
        } else {
            // URLComponents rejects non-numeric ports outright; an absent port means the default.
            self.port = 5432
        }

        let socketDirectory = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
        let host = components.percentEncodedHost.flatMap { $0.removingPercentEncoding }
            .map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
        if let socketDirectory {
            self.host = nil
            self.unixSocketPath = (socketDirectory as NSString).appendingPathComponent(".s.PGSQL.\(self.port)")
        } else {
            guard let host, !host.isEmpty else {
                throw Self.invalid("the host is missing (postgres://user@HOST:5432/database)")
            }
            self.host = host
            self.unixSocketPath = nil
        }

        var path = components.percentEncodedPath
        if path.hasPrefix("/") { path.removeFirst() }
        guard !path.contains("/") else {
            throw Self.invalid("the path must be a single database name, not \"\(path)\"")
        }
        let database = path.removingPercentEncoding ?? path
        self.database = database.isEmpty ? user : database

        let unknown = Set(query.keys).subtracting(["sslmode", "host", "application_name", "connect_timeout"])
        guard unknown.isEmpty else {
            throw Self.invalid("unsupported parameter(s): \(unknown.sorted().joined(separator: ", ")) (supported: sslmode, host, application_name, connect_timeout)")
        }
        self.applicationName = query["application_name"].flatMap { $0.isEmpty ? nil : $0 }
        if let text = query["connect_timeout"] {
            // Bounded: NIO turns it into nanoseconds, and 10^11 seconds would overflow.
            guard let seconds = Int(text), (1...3600).contains(seconds) else {
                throw Self.invalid("connect_timeout=\(text) must be a number of seconds from 1 to 3600")
            }
            self.connectTimeout = seconds
        } else {
            self.connectTimeout = nil
        }
        if let mode = query["sslmode"] {
            guard let parsed = SSLMode(rawValue: mode.lowercased()) else {
                throw Self.invalid("sslmode=\(mode) is not supported (use disable, prefer, require or verify-full)")
            }
            self.sslMode = parsed
        } else {
            // libpq's default is `prefer`; a URL without sslmode behaves the same here.
            self.sslMode = .prefer
        }
    }

    /// The configuration to build a `PostgresClient` from.
    public var configuration: PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let unixSocketPath {
            configuration = PostgresClient.Configuration(
                unixSocketPath: unixSocketPath, username: self.username, password: self.password, database: self.database)
        } else {
            configuration = PostgresClient.Configuration(
                host: self.host ?? "127.0.0.1", port: self.port, username: self.username, password: self.password,
                database: self.database, tls: self.tls)
        }
        if let applicationName {
            configuration.options.additionalStartupParameters.append(("application_name", applicationName))
        }
        if let connectTimeout {
            configuration.options.connectTimeout = .seconds(connectTimeout)
        }
        return configuration
    }

    private var tls: PostgresClient.Configuration.TLS {
        switch self.sslMode {
        case .disable:
            return .disable
        case .prefer:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyFull:
            return .require(TLSConfiguration.makeClientConfiguration())
        }
    }

    /// The URL with the password replaced by `***`: safe for logs.
    public var description: String {
        var userInfo = Self.percentEncode(self.username)
        if self.password != nil { userInfo += ":***" }
        let location: String
        if let host {
            location = (host.contains(":") ? "[\(host)]" : host) + ":\(self.port)"
        } else {
            location = ""
        }
        var text = "postgres://\(userInfo)@\(location)/\(Self.percentEncode(self.database))?sslmode=\(self.sslMode.rawValue)"
        if let unixSocketPath {
            text += "&host=\((unixSocketPath as NSString).deletingLastPathComponent)"
        }
        return text
    }

    private static func invalid(_ reason: String) -> DatabaseError {
        DatabaseError(.invalidURL, "Invalid database URL: \(reason).")
    }

    static func percentEncode(_ part: String) -> String {
        // ASCII only: `CharacterSet.alphanumerics` would let Cyrillic letters through unencoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return part.addingPercentEncoding(withAllowedCharacters: allowed) ?? part
    }
}
