import Foundation
import Identity
import Logging

extension RuntimeConfiguration {
    /// The token keys to use. Without configured keys, a random development secret is created
    /// once under the data directory (mode 0600) and shared by `serve` and `token`, so that a
    /// fresh checkout works with no set-up — and a warning says to configure a real key.
    public func tokenKeys(logger: Logger) throws -> TokenKeys {
        if let jwtPublicKey { return .publicKeyPEM(jwtPublicKey, privateKeyPEM: jwtPrivateKey) }
        if let jwtSecret { return .hmacSHA256(secret: jwtSecret) }
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent("jwt-secret").path
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), existing.utf8.count >= TokenKeys.minimumSecretBytes {
            return .hmacSHA256(secret: existing)
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret = bytes.map { String(format: "%02x", $0) }.joined()
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("could not write the development JWT secret to \(path); set EMPORIUM_JWT_SECRET or make \(dataDirectory) writable")
        }
        logger.warning("no EMPORIUM_JWT_SECRET or EMPORIUM_JWT_PUBLIC_KEY set; created a development secret", metadata: ["path": "\(path)"])
        return .hmacSHA256(secret: secret)
    }
}

extension RuntimeConfiguration {
    /// The token service every process uses: configured keys and ``tokenPolicy``.
    public func tokenService(logger: Logger) async throws -> TokenService {
        try await TokenService(keys: tokenKeys(logger: logger), policy: tokenPolicy)
    }

    /// `EMPORIUM_JWT_ISSUER`, `EMPORIUM_JWT_AUDIENCE` (default `emporium`) and
    /// `EMPORIUM_JWT_MAX_LIFETIME` in seconds (default 86400, at most 30 days).
    static func tokenPolicy(from environment: [String: String]) throws -> TokenPolicy {
        var policy = TokenPolicy()
        if let issuer = environment["EMPORIUM_JWT_ISSUER"], !issuer.isEmpty { policy.issuer = issuer }
        if let audience = environment["EMPORIUM_JWT_AUDIENCE"], !audience.isEmpty { policy.audience = audience }
        if let lifetime = environment["EMPORIUM_JWT_MAX_LIFETIME"], !lifetime.isEmpty {
            guard let seconds = Int(lifetime), (60...30 * 86_400).contains(seconds) else {
                throw ConfigurationError("EMPORIUM_JWT_MAX_LIFETIME must be seconds, 60-2592000 (got '\(lifetime)')")
            }
            policy.maximumLifetime = .seconds(seconds)
        }
        return policy
    }
}
