import Foundation
import GraphQLSupport
import Identity
import Logging
import ServiceKit

extension RuntimeConfiguration {
    /// The token keys to use. Without configured keys, a random development secret is created
    /// once under the data directory (mode 0600) and shared by `serve` and `token`, so that a
    /// fresh checkout works with no set-up — and a warning says to configure a real key.
    public func tokenKeys(logger: Logger) throws -> TokenKeys {
        // Both set is a mistake whichever was meant: refuse rather than silently drop the secret.
        if jwtPublicKey != nil, jwtSecret != nil {
            throw ConfigurationError("set EMPORIUM_JWT_SECRET (HS256) or EMPORIUM_JWT_PUBLIC_KEY (EdDSA/ES256), not both: tokens are verified with one key")
        }
        if let jwtPublicKey { return .publicKeyPEM(jwtPublicKey, privateKeyPEM: jwtPrivateKey) }
        if let jwtSecret { return .hmacSHA256(secret: jwtSecret) }
        let secret = try developmentSecret(named: "jwt-secret", minimumBytes: TokenKeys.minimumSecretBytes, setting: "EMPORIUM_JWT_SECRET", logger: logger)
        return .hmacSHA256(secret: secret)
    }

    /// The credential between the gateway and the subgraph endpoints: `EMPORIUM_INTERNAL_TOKEN`,
    /// else a development secret under the data directory, which processes sharing that
    /// directory (a developer's machine) share too.
    public func internalCredential(logger: Logger) throws -> InternalCredential {
        let token = try internalToken
            ?? developmentSecret(named: "internal-token", minimumBytes: InternalCredential.minimumTokenBytes, setting: "EMPORIUM_INTERNAL_TOKEN", logger: logger)
        guard let credential = InternalCredential(token: token) else {
            throw ConfigurationError("EMPORIUM_INTERNAL_TOKEN must be at least \(InternalCredential.minimumTokenBytes) bytes (e.g. `openssl rand -hex 32`)")
        }
        return credential
    }

    /// A random secret kept in `dataDirectory/name` (mode 0600), created on first use.
    private func developmentSecret(named name: String, minimumBytes: Int, setting: String, logger: Logger) throws -> String {
        let path = URL(fileURLWithPath: dataDirectory).appendingPathComponent(name).path
        if let existing = try? String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), existing.utf8.count >= minimumBytes {
            return existing
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let secret = bytes.map { String(format: "%02x", $0) }.joined()
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(secret.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ConfigurationError("could not write a development secret to \(path); set \(setting) or make \(dataDirectory) writable")
        }
        logger.warning("\(setting) is not set; created a development secret", metadata: ["path": "\(path)"])
        return secret
    }
}

extension RuntimeConfiguration {
    /// The token service every process uses: configured keys and ``tokenPolicy``, and the keys
    /// of the service that signs access tokens (`jwks`).
    public func tokenService(logger: Logger, jwks: (any JWKSSource)? = nil) async throws -> TokenService {
        try await TokenService(keys: tokenKeys(logger: logger), jwks: jwks, policy: tokenPolicy)
    }

    /// `EMPORIUM_JWT_ISSUER`, `EMPORIUM_JWT_AUDIENCE` (default `emporium`) and
    /// `EMPORIUM_JWT_MAX_LIFETIME` in seconds (default 86400, at most 30 days).
    static func tokenPolicy(from settings: EnvironmentSettings) throws -> TokenPolicy {
        var policy = TokenPolicy()
        policy.issuer = settings.string("EMPORIUM_JWT_ISSUER") ?? policy.issuer
        policy.audience = settings.string("EMPORIUM_JWT_AUDIENCE") ?? policy.audience
        policy.maximumLifetime = try settings.seconds("EMPORIUM_JWT_MAX_LIFETIME", in: 60...30 * 86_400) ?? policy.maximumLifetime
        return policy
    }
}
