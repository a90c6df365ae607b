public import EmporiumCore
public import Foundation
import JWTKit

/// Verifies bearer tokens into a ``Principal`` and, where a signing key is configured, issues them.
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection
    private let algorithm: String
    public let policy: TokenPolicy

    /// Throws when the keys are unusable or a private key does not match the public key, so that
    /// a misconfigured node stops at start-up instead of issuing tokens nobody can verify.
    public init(keys: TokenKeys, policy: TokenPolicy = TokenPolicy()) async throws {
        let loaded = try await keys.load()
        self.keys = loaded.collection
        self.algorithm = loaded.algorithm
        self.policy = policy
    }

    /// Verifies algorithm, signature, issuer, audience and times. Any failure is
    /// `UNAUTHENTICATED` with a reason a client developer can act on; the token itself is never
    /// echoed. Claims are only looked at once the signature holds.
    public func verify(_ token: String, now: Date = Date()) async throws -> Principal {
        let header = try TokenHeader.decode(token)
        guard header.alg == algorithm else {
            throw EmporiumError(.unauthenticated, "the bearer token must be signed with \(algorithm)")
        }
        let claims: EmporiumClaims
        do {
            claims = try await keys.verify(token, as: EmporiumClaims.self)
        } catch {
            throw EmporiumError(.unauthenticated, "the bearer token is invalid (bad signature, format or claims)", detail: String(describing: error))
        }
        try policy.check(claims, now: now)
        var roles = Set<Role>()
        for name in claims.roles {
            guard let role = Role(rawValue: name) else {
                throw EmporiumError(.unauthenticated, "the bearer token names an unknown role '\(name.prefix(32))'")
            }
            roles.insert(role)
        }
        return Principal(userID: UserID(claims.sub.value), roles: roles)
    }

    /// Verifies the value of an `Authorization` header; `nil` when there is none.
    public func principal(fromAuthorization header: String?) async throws -> Principal? {
        guard let header, !header.isEmpty else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw EmporiumError(.unauthenticated, "the Authorization header must be 'Bearer <jwt>'")
        }
        return try await verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
    }

    /// Issues a token carrying the policy's `iss` and `aud`; needs a secret or a private key.
    /// A validity beyond the policy's maximum lifetime is refused: such a token would not verify.
    public func issue(userID: UserID, roles: Set<Role>, validFor: Duration = TokenPolicy.defaultMaximumLifetime, now: Date = Date()) async throws -> String {
        // Compared as Durations and printed from their components: no conversion that could trap
        // on an extreme --valid-for.
        guard validFor > .zero, validFor <= policy.maximumLifetime else {
            throw EmporiumError(.badUserInput, "a token may be valid for 1 to \(policy.maximumLifetime.components.seconds) seconds (got \(validFor.components.seconds))")
        }
        let seconds = TokenPolicy.seconds(validFor)
        let claims = EmporiumClaims(
            sub: SubjectClaim(value: userID.rawValue),
            roles: roles.map(\.rawValue).sorted(),
            exp: ExpirationClaim(value: now.addingTimeInterval(seconds)),
            iat: IssuedAtClaim(value: now),
            iss: IssuerClaim(value: policy.issuer),
            aud: AudienceClaim(value: [policy.audience])
        )
        return try await keys.sign(claims)
    }
}
