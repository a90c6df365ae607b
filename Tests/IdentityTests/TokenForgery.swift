import Foundation
import JWTKit
@testable import Identity
import Testing

/// Builds tokens an attacker or a foreign issuer could present: any claims, any key, any `alg`.
enum TokenForgery {
    static let secret = "identity-test-secret-0123456789abcdef"

    /// A fixed Ed25519 key pair (RFC 8410 test key), in PEM.
    static let privatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """
    static let publicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
        -----END PUBLIC KEY-----
        """

    /// Every claim optional, so a test can leave any of them out.
    struct Claims: JWTPayload {
        var sub: SubjectClaim = "u-1"
        var roles: [String] = ["admin"]
        var exp: ExpirationClaim?
        var iat: IssuedAtClaim?
        var nbf: NotBeforeClaim?
        var iss: IssuerClaim? = "emporium"
        var aud: AudienceClaim? = "emporium"

        init(now: Date, lifetime: TimeInterval = 600) {
            exp = ExpirationClaim(value: now.addingTimeInterval(lifetime))
            iat = IssuedAtClaim(value: now)
        }

        func verify(using algorithm: some JWTAlgorithm) async throws {}
    }

    /// Signs with the test HS256 secret, as a legitimate issuer sharing the secret would.
    static func hs256(_ claims: Claims, secret: String = secret) async throws -> String {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        return try await keys.sign(claims)
    }

    /// A token with `alg: none` and an empty signature.
    static func unsigned(_ claims: Claims) throws -> String {
        let header = base64URL(Data(#"{"alg":"none","typ":"JWT"}"#.utf8))
        let payload = base64URL(try JSONEncoder().encode(claims))
        return "\(header).\(payload)."
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// The three ways a verifier knows its keys — the HS256 secret, an Ed25519 public key in PEM,
/// and the users' JWKS (Ed25519 keys named by `kid`) — each with a signer an issuer holding the
/// private half would use. The policy tests run against all three.
struct VerifierKeys: Sendable, CustomTestStringConvertible {
    let name: String
    let service: @Sendable (TokenPolicy) async throws -> TokenService
    let sign: @Sendable (TokenForgery.Claims) async throws -> String

    var testDescription: String { name }

    static let all: [VerifierKeys] = [secret, publicKeyPEM, jwks]

    static let secret = VerifierKeys(
        name: "HS256 secret",
        service: { try await TokenService(keys: .hmacSHA256(secret: TokenForgery.secret), policy: $0) },
        sign: { try await TokenForgery.hs256($0) })

    static let publicKeyPEM = VerifierKeys(
        name: "Ed25519 public key (PEM)",
        service: { try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: nil), policy: $0) },
        sign: { claims in
            let keys = JWTKeyCollection()
            await keys.add(eddsa: try EdDSA.PrivateKey(pem: TokenForgery.privatePEM))
            return try await keys.sign(claims)
        })

    /// One key published under its kid; the verifier's own key is an unrelated HS256 secret.
    static let jwks = VerifierKeys(
        name: "JWKS (EdDSA, kid)",
        service: { policy in
            let source = TestJWKS()
            source.publish([try publishedKey()])
            return try await TokenService(keys: .hmacSHA256(secret: String(repeating: "j", count: 32)), jwks: source, policy: policy)
        },
        sign: { claims in
            let published = try publishedKey()
            let keys = JWTKeyCollection()
            await keys.add(eddsa: try published.privateKey, kid: JWKIdentifier(string: published.kid))
            return try await keys.sign(claims, kid: JWKIdentifier(string: published.kid))
        })

    static func publishedKey() throws -> Ed25519SigningKey {
        try Ed25519SigningKey(kid: "policy-test-key", seed: Array(repeating: 7, count: 32))
    }
}
