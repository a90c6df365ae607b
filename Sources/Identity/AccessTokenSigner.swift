public import EmporiumCore
public import Foundation
import JWTKit

/// An Ed25519 key that signs access tokens, named by `kid` in every token it signs.
public struct Ed25519SigningKey: Sendable, Hashable {
    public let kid: String
    /// The 32-byte private key (RFC 8032 seed).
    public let seed: [UInt8]

    public init(kid: String, seed: [UInt8]) throws {
        guard seed.count == 32, !kid.isEmpty, kid.utf8.count <= 64 else {
            throw EmporiumError(.internalError, "an Ed25519 key has a 32-byte seed and a kid of 1 to 64 bytes")
        }
        self.kid = kid
        self.seed = seed
    }

    /// A new random key; its kid says when it was made, so that a rotation is readable in logs.
    public static func generate(at date: Date) throws -> Ed25519SigningKey {
        var generator = SystemRandomNumberGenerator()
        let seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let stamp = Int64(date.timeIntervalSince1970)
        let suffix = (0..<4).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max, using: &generator)) }.joined()
        return try Ed25519SigningKey(kid: "ed25519-\(stamp)-\(suffix)", seed: seed)
    }

    var privateKey: EdDSA.PrivateKey {
        get throws { try EdDSA.PrivateKey(d: Base64URL.encode(seed), curve: .ed25519) }
    }

    /// The public half as a JWK's `x` (base64url, no padding).
    public var publicKeyBase64URL: String {
        get throws { Base64URL.encode(try privateKey.publicKey.rawRepresentation) }
    }
}

/// Signs access tokens with Ed25519 keys (the users service's) and publishes their public
/// halves as a JWKS, so that every other process verifies without holding a secret.
public struct AccessTokenSigner: Sendable {
    public let policy: TokenPolicy

    public init(policy: TokenPolicy = TokenPolicy()) {
        self.policy = policy
    }

    public func sign(userID: UserID, roles: Set<Role>, validFor: Duration, now: Date = Date(), with key: Ed25519SigningKey) async throws -> String {
        guard validFor > .zero, validFor <= policy.maximumLifetime else {
            throw EmporiumError(.internalError, "an access token may be valid for at most \(policy.maximumLifetime.components.seconds) s")
        }
        let claims = EmporiumClaims(
            sub: SubjectClaim(value: userID.rawValue), roles: roles.map(\.rawValue).sorted(),
            exp: ExpirationClaim(value: now.addingTimeInterval(TokenPolicy.seconds(validFor))), iat: IssuedAtClaim(value: now),
            iss: IssuerClaim(value: policy.issuer), aud: AudienceClaim(value: [policy.audience]))
        let keys = JWTKeyCollection()
        await keys.add(eddsa: try key.privateKey, kid: JWKIdentifier(string: key.kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: key.kid))
    }

    /// `{"keys":[{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":…,"x":…}]}`.
    public static func jwksJSON(_ keys: [Ed25519SigningKey]) throws -> String {
        let entries = try keys.map { key in
            #"{"kty":"OKP","crv":"Ed25519","alg":"EdDSA","use":"sig","kid":"\#(key.kid)","x":"\#(try key.publicKeyBase64URL)"}"#
        }
        return #"{"keys":["# + entries.joined(separator: ",") + "]}"
    }
}
