import EmporiumCore
import Foundation
@testable import Identity
import Synchronization
import Testing

/// A JWKS whose keys a test changes, counting how often it is read.
final class TestJWKS: JWKSSource {
    private let state = Mutex<(keys: [Ed25519SigningKey], fetches: Int, failing: Bool)>(([], 0, false))

    func publish(_ keys: [Ed25519SigningKey]) { state.withLock { $0.keys = keys } }
    func fail(_ failing: Bool) { state.withLock { $0.failing = failing } }
    var fetches: Int { state.withLock { $0.fetches } }

    func jwksJSON() async throws -> String {
        let (keys, failing) = state.withLock { state in
            state.fetches += 1
            return (state.keys, state.failing)
        }
        if failing { throw EmporiumError(.unavailable, "users is down") }
        return try AccessTokenSigner.jwksJSON(keys)
    }
}

/// Tokens the users service signs with Ed25519, verified elsewhere against its JWKS.
@Suite struct JWKSVerificationTests {
    static let secret = String(repeating: "s", count: 32)
    let signer = AccessTokenSigner()

    func service(_ jwks: TestJWKS) async throws -> TokenService {
        try await TokenService(keys: .hmacSHA256(secret: Self.secret), jwks: jwks)
    }

    @Test func tokensVerifyByTheirKidAndARotationIsPickedUp() async throws {
        let jwks = TestJWKS()
        let first = try Ed25519SigningKey.generate(at: Date())
        jwks.publish([first])
        let tokens = try await service(jwks)
        let token = try await signer.sign(userID: UserID("u1"), roles: [.buyer, .seller], validFor: .seconds(900), with: first)
        #expect(try await tokens.verify(token) == Principal(userID: UserID("u1"), roles: [.buyer, .seller]))
        #expect(jwks.fetches == 1)
        // A rotation: the new key is unknown until the JWKS is read again, which the first token
        // naming it triggers; the old key keeps verifying.
        let second = try Ed25519SigningKey.generate(at: Date())
        jwks.publish([second, first])
        try await Task.sleep(for: .seconds(5.1))  // the refetch interval
        let newer = try await signer.sign(userID: UserID("u2"), roles: [.buyer], validFor: .seconds(900), with: second)
        #expect(try await tokens.verify(newer).userID == UserID("u2"))
        let older = try await signer.sign(userID: UserID("u3"), roles: [.buyer], validFor: .seconds(900), with: first)
        #expect(try await tokens.verify(older).userID == UserID("u3"))
        #expect(jwks.fetches == 2)
        // HS256 tokens of the configured secret still verify beside them.
        let hmac = try await TokenService(keys: .hmacSHA256(secret: Self.secret)).issue(userID: UserID("script"), roles: [.admin])
        #expect(try await tokens.verify(hmac).isAdmin)
    }

    @Test func inventedKidsCostOneFetchPerIntervalAndAreRefused() async throws {
        let jwks = TestJWKS()
        let published = try Ed25519SigningKey.generate(at: Date())
        jwks.publish([published])
        let tokens = try await service(jwks)
        for _ in 0..<20 {
            let stranger = try Ed25519SigningKey.generate(at: Date())
            let token = try await signer.sign(userID: UserID("x"), roles: [.admin], validFor: .seconds(60), with: stranger)
            await #expect { try await tokens.verify(token) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
        }
        #expect(jwks.fetches == 1)
    }

    @Test func aKeyOfTheSameKidButAnotherSignerIsRefused() async throws {
        let jwks = TestJWKS()
        let real = try Ed25519SigningKey.generate(at: Date())
        jwks.publish([real])
        let tokens = try await service(jwks)
        // A forger who knows the kid but not the private key.
        let forged = try Ed25519SigningKey(kid: real.kid, seed: Array(repeating: 7, count: 32))
        let token = try await signer.sign(userID: UserID("x"), roles: [.admin], validFor: .seconds(60), with: forged)
        await #expect { try await tokens.verify(token) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
    }

    @Test func anUnreachableJWKSIsUnavailableNotUnauthenticated() async throws {
        let jwks = TestJWKS()
        jwks.fail(true)
        let tokens = try await service(jwks)
        let token = try await signer.sign(userID: UserID("x"), roles: [.buyer], validFor: .seconds(60), with: try Ed25519SigningKey.generate(at: Date()))
        await #expect { try await tokens.verify(token) } throws: { ($0 as? EmporiumError)?.code == .unavailable }
        // Within the refetch interval the JWKS is not asked again, and the answer stays "cannot check".
        await #expect { try await tokens.verify(token) } throws: { ($0 as? EmporiumError)?.code == .unavailable }
        #expect(jwks.fetches == 1)
    }

    @Test func aRememberedTokenStillExpires() async throws {
        let jwks = TestJWKS()
        let key = try Ed25519SigningKey.generate(at: Date())
        jwks.publish([key])
        let tokens = try await service(jwks)
        let now = Date()
        let token = try await signer.sign(userID: UserID("u"), roles: [.buyer], validFor: .seconds(60), now: now, with: key)
        #expect(try await tokens.verify(token, now: now).userID == UserID("u"))
        #expect(try await tokens.verify(token, now: now.addingTimeInterval(30)).userID == UserID("u"))
        // Past exp and the clock skew: refused although it was remembered.
        await #expect { try await tokens.verify(token, now: now.addingTimeInterval(60 + 31)) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
        // The JWKS was read once: the checks after the first came from memory or the loaded keys.
        #expect(jwks.fetches == 1)
    }

    @Test func theJWKSHasThePublicHalvesOnly() throws {
        let key = try Ed25519SigningKey(kid: "k1", seed: Array(0..<32))
        let json = try AccessTokenSigner.jwksJSON([key])
        #expect(json.contains(#""kid":"k1""#) && json.contains(#""kty":"OKP""#) && json.contains(#""crv":"Ed25519""#))
        #expect(!json.contains(#""d":"#))
        #expect(try JWKSVerifier.kids(in: json) == ["k1"])
    }
}
