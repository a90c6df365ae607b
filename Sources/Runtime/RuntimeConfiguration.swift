import Foundation
import Identity
import Logging

/// Everything `emporium` reads from its environment, with defaults for a developer machine.
///
/// Every key is documented in the README's configuration table; keep the two in step.
public struct RuntimeConfiguration: Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    /// `postgres://user:pass@host:port/db`; nil means a private cluster under `dataDirectory`.
    public var databaseURL: String?
    /// Where the private PostgreSQL cluster and the development JWT secret live.
    public var dataDirectory: String
    public var databasePoolSize: Int
    public var jwtSecret: String?
    public var jwtPublicKey: String?
    public var jwtPrivateKey: String?
    public var logLevel: Logger.Level
    public var migrateOnStart: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080, databaseURL: String? = nil, dataDirectory: String = ".emporium",
        databasePoolSize: Int = 20, jwtSecret: String? = nil, jwtPublicKey: String? = nil, jwtPrivateKey: String? = nil,
        logLevel: Logger.Level = .info, migrateOnStart: Bool = true
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.dataDirectory = dataDirectory
        self.databasePoolSize = databasePoolSize
        self.jwtSecret = jwtSecret
        self.jwtPublicKey = jwtPublicKey
        self.jwtPrivateKey = jwtPrivateKey
        self.logLevel = logLevel
        self.migrateOnStart = migrateOnStart
    }

    /// Reads `EMPORIUM_*` variables; a malformed value is an error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RuntimeConfiguration {
        var configuration = RuntimeConfiguration()
        if let host = environment["EMPORIUM_HOST"], !host.isEmpty { configuration.host = host }
        if let port = environment["EMPORIUM_PORT"], !port.isEmpty {
            guard let value = Int(port), (0...65_535).contains(value) else {
                throw ConfigurationError("EMPORIUM_PORT must be a port number 0-65535 (got '\(port)')")
            }
            configuration.port = value
        }
        configuration.databaseURL = environment["EMPORIUM_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let directory = environment["EMPORIUM_DATA_DIR"], !directory.isEmpty { configuration.dataDirectory = directory }
        if let size = environment["EMPORIUM_DB_POOL_SIZE"], !size.isEmpty {
            guard let value = Int(size), (1...500).contains(value) else {
                throw ConfigurationError("EMPORIUM_DB_POOL_SIZE must be an integer 1-500 (got '\(size)')")
            }
            configuration.databasePoolSize = value
        }
        configuration.jwtSecret = environment["EMPORIUM_JWT_SECRET"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.jwtPublicKey = try environment["EMPORIUM_JWT_PUBLIC_KEY"].flatMap { try pemOrFile($0, variable: "EMPORIUM_JWT_PUBLIC_KEY") }
        configuration.jwtPrivateKey = try environment["EMPORIUM_JWT_PRIVATE_KEY"].flatMap { try pemOrFile($0, variable: "EMPORIUM_JWT_PRIVATE_KEY") }
        if let level = environment["EMPORIUM_LOG_LEVEL"], !level.isEmpty {
            guard let value = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("EMPORIUM_LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got '\(level)')")
            }
            configuration.logLevel = value
        }
        if let migrate = environment["EMPORIUM_MIGRATE_ON_START"], !migrate.isEmpty {
            guard let value = Bool(migrate.lowercased()) else {
                throw ConfigurationError("EMPORIUM_MIGRATE_ON_START must be true or false (got '\(migrate)')")
            }
            configuration.migrateOnStart = value
        }
        return configuration
    }

    /// Secrets are never printed.
    public var description: String {
        let database = databaseURL.map(Self.redactPassword) ?? "private cluster in \(dataDirectory)/postgres"
        let jwt = jwtPublicKey != nil ? "public key" : (jwtSecret != nil ? "HS256 secret (redacted)" : "development secret in \(dataDirectory)/jwt-secret")
        return "host=\(host) port=\(port) database=\(database) pool=\(databasePoolSize) jwt=\(jwt) log=\(logLevel) migrate=\(migrateOnStart)"
    }

    static func redactPassword(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "redacted"
        return components.string ?? "(unparseable url)"
    }

    private static func pemOrFile(_ value: String, variable: String) throws -> String? {
        guard !value.isEmpty else { return nil }
        if value.contains("-----BEGIN") { return value }
        guard let text = try? String(contentsOfFile: value, encoding: .utf8) else {
            throw ConfigurationError("\(variable) must be a PEM key or the path of a readable PEM file (could not read '\(value)')")
        }
        return text
    }
}

/// A configuration mistake: the message names the setting and what it should be.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
