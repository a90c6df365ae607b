import EmporiumCore
import Foundation
import Identity
import JWTKit
import Testing

/// Keys that do not belong together, and tokens that try to choose how they are checked.
@Suite struct TokenKeyConfusionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// The classic confusion attack: the verifier holds an Ed25519 public key (public, so the
    /// attacker has its bytes) and is handed an HS256 token whose HMAC key is those bytes.
    @Test func hs256SignedWithThePublicKeyIsRefused() async throws {
        let verifier = try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: nil))
        let forged = try await TokenForgery.hs256(.init(now: now), secret: TokenForgery.publicPEM)
        await #expect {
            try await verifier.verify(forged, now: now)
        } throws: { error in
            (error as? EmporiumError)?.code == .unauthenticated && (error as? EmporiumError)?.message.contains("EdDSA") == true
        }
    }

    /// A short HMAC key trips an assertion inside jwt-kit; a request must never reach one. The
    /// header names HS256 and the signature is the HMAC of a one-byte key: refused, no crash,
    /// whichever kind of key is configured.
    @Test func hs256TokensNeverMakeJWTKitBuildAKey() async throws {
        let header = TokenForgery.base64URL(Data(#"{"alg":"HS256","typ":"JWT","kid":"x"}"#.utf8))
        let payload = TokenForgery.base64URL(try JSONEncoder().encode(TokenForgery.Claims(now: now)))
        let token = "\(header).\(payload).\(TokenForgery.base64URL(Data([1, 2, 3])))"
        let publicKeyVerifier = try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: nil))
        let secretVerifier = try await TokenService(keys: .hmacSHA256(secret: TokenForgery.secret))
        for verifier in [publicKeyVerifier, secretVerifier] {
            await #expect(throws: EmporiumError.self) { try await verifier.verify(token, now: now) }
        }
    }

    @Test func aPrivateKeyOfAnotherPairStopsStartUp() async throws {
        let otherPrivatePEM = try EdDSA.PrivateKey(curve: .ed25519).pemRepresentation
        await #expect {
            try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: otherPrivatePEM))
        } throws: { error in
            String(describing: error).contains("does not belong to EMPORIUM_JWT_PUBLIC_KEY")
        }
    }

    @Test func aPrivateKeyOfAnotherCurveStopsStartUp() async throws {
        let p256PrivatePEM = ES256PrivateKey().pemRepresentation
        await #expect {
            try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: p256PrivatePEM))
        } throws: { error in
            String(describing: error).contains("is not an Ed25519 private key")
        }
    }

    @Test func theMatchingPairStartsAndIssuesVerifiableTokens() async throws {
        let issuer = try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: TokenForgery.privatePEM))
        let verifier = try await TokenService(keys: .publicKeyPEM(TokenForgery.publicPEM, privateKeyPEM: nil))
        let token = try await issuer.issue(userID: UserID("u-3"), roles: [.seller], now: now)
        #expect(try await verifier.verify(token, now: now).has(.seller))
    }
}
