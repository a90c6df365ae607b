import Crypto
public import EmporiumCore
public import Foundation
import JWTKit

/// Verifies bearer tokens into a ``Principal`` and, where a signing key is configured, issues them.
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection
    private let algorithm: String
    /// The users service's keys, for EdDSA tokens that name one by `kid`.
    private let jwks: JWKSVerifier?
    /// Tokens verified already, by their SHA-256, until they expire: a request then pays one
    /// lookup instead of a signature check (an Ed25519 verification is about 176 µs here).
    private let remembered = BoundedCache<TokenDigest, Remembered>(maximumEntries: 100_000, maximumBytes: 32 << 20)
    public let policy: TokenPolicy

    /// A token's SHA-256 as four words: hashing and comparing it costs nothing next to the hash.
    private struct TokenDigest: Hashable, Sendable {
        let words: (UInt64, UInt64, UInt64, UInt64)

        init(_ token: String) {
            var token = token
            let digest = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
            words = digest.withUnsafeBytes { bytes in
                (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
            }
        }

        static func == (a: Self, b: Self) -> Bool { a.words == b.words }

        func hash(into hasher: inout Hasher) {
            hasher.combine(words.0)
            hasher.combine(words.1)
        }
    }

    private struct Remembered: Sendable {
        let principal: Principal
        /// The token's `exp` plus the policy's clock skew: when verification would refuse it.
        let refusedFrom: Date
    }

    /// Throws when the keys are unusable or a private key does not match the public key, so that
    /// a misconfigured node stops at start-up instead of issuing tokens nobody can verify.
    /// `jwks`: a key set whose EdDSA tokens are accepted too, chosen by their `kid`.
    public init(keys: TokenKeys, jwks: (any JWKSSource)? = nil, policy: TokenPolicy = TokenPolicy()) async throws {
        let loaded = try await keys.load()
        self.keys = loaded.collection
        self.algorithm = loaded.algorithm
        self.jwks = jwks.map { JWKSVerifier(source: $0) }
        self.policy = policy
    }

    /// Tokens remembered as verified (for tests and diagnostics).
    var rememberedTokens: Int { remembered.statistics.entries }

    /// Verifies algorithm, signature, issuer, audience and times. Any failure is
    /// `UNAUTHENTICATED` with a reason a client developer can act on; the token itself is never
    /// echoed. Claims are only looked at once the signature holds.
    public func verify(_ token: String, now: Date = Date()) async throws -> Principal {
        try await verifiedToken(token, now: now).principal
    }

    /// A verified token's caller and the moment it stops verifying (its expiry plus the allowed
    /// clock skew): a long-lived connection authenticated by it ends then.
    /// `remember`: keep the result for the token's next request. A connection that presents its
    /// token once has no next request; remembering it would cost its node about 300 bytes per
    /// connection for nothing.
    public func verifiedToken(_ token: String, now: Date = Date(), remember: Bool = true) async throws -> (principal: Principal, refusedFrom: Date) {
        let digest = TokenDigest(token)
        if let known = remembered.value(for: digest) {
            if now < known.refusedFrom { return (known.principal, known.refusedFrom) }
            remembered.removeValue(for: digest)
        }
        let header = try TokenHeader.decode(token)
        let claims = try await verifiedClaims(token, header: header)
        try policy.check(claims, now: now)
        var roles = Set<Role>()
        for name in claims.roles {
            guard let role = Role(rawValue: name) else {
                throw EmporiumError(.unauthenticated, "the bearer token names an unknown role '\(name.prefix(32))'")
            }
            roles.insert(role)
        }
        let principal = Principal(userID: UserID(claims.sub.value), roles: roles)
        let refusedFrom = claims.exp.value.addingTimeInterval(TokenPolicy.seconds(policy.clockSkew))
        if remember {
            remembered.store(Remembered(principal: principal, refusedFrom: refusedFrom), for: digest, bytes: 160 + claims.sub.value.utf8.count)
        }
        return (principal, refusedFrom)
    }

    /// The claims of a token whose signature holds: an EdDSA token naming a `kid` against the
    /// JWKS, any other against the configured key — whose algorithm it must name.
    private func verifiedClaims(_ token: String, header: TokenHeader) async throws -> EmporiumClaims {
        let invalid = "the bearer token is invalid (bad signature, format or claims)"
        if let jwks, header.alg == "EdDSA", let kid = header.kid {
            let keys: JWTKeyCollection?
            do {
                keys = try await jwks.keys(for: kid)
            } catch {
                throw EmporiumError(.unavailable, "the keys to check the bearer token could not be read; retry shortly", detail: String(describing: error))
            }
            guard let keys else { throw EmporiumError(.unauthenticated, "the bearer token is signed with a key that is not (or no longer) valid") }
            do {
                return try await keys.verify(token, as: EmporiumClaims.self)
            } catch {
                throw EmporiumError(.unauthenticated, invalid, detail: String(describing: error))
            }
        }
        guard header.alg == algorithm else {
            throw EmporiumError(.unauthenticated, "the bearer token must be signed with \(algorithm)\(jwks == nil ? "" : " or EdDSA with a kid")")
        }
        do {
            return try await keys.verify(token, as: EmporiumClaims.self)
        } catch {
            throw EmporiumError(.unauthenticated, invalid, detail: String(describing: error))
        }
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
