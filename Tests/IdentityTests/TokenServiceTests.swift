import EmporiumCore
import Foundation
@testable import Identity
import Testing

@Suite struct TokenServiceTests {
    let secret = "identity-test-secret-0123456789abcdef"

    @Test func issuedTokensVerifyWithTheirClaims() async throws {
        let tokens = try await TokenService(keys: .hmacSHA256(secret: secret))
        let token = try await tokens.issue(userID: UserID("u-1"), roles: [.seller, .buyer])
        let principal = try await tokens.verify(token)
        #expect(principal.userID == UserID("u-1"))
        #expect(principal.roles == [.seller, .buyer])
    }

    @Test func aTokenVerifiedOnceForAConnectionIsNotRemembered() async throws {
        let tokens = try await TokenService(keys: .hmacSHA256(secret: secret))
        let connection = try await tokens.issue(userID: UserID("u-1"), roles: [.buyer])
        #expect(try await tokens.verifiedToken(connection, remember: false).principal.userID == UserID("u-1"))
        #expect(tokens.rememberedTokens == 0)
        let request = try await tokens.issue(userID: UserID("u-2"), roles: [.buyer])
        _ = try await tokens.verify(request)
        #expect(tokens.rememberedTokens == 1)
    }

    @Test func expiredTokensAreRejected() async throws {
        let tokens = try await TokenService(keys: .hmacSHA256(secret: secret))
        let token = try await tokens.issue(userID: UserID("u-1"), roles: [.buyer], validFor: .seconds(60), now: Date().addingTimeInterval(-3600))
        await #expect {
            try await tokens.verify(token)
        } throws: { error in
            (error as? EmporiumError)?.code == .unauthenticated && (error as? EmporiumError)?.message.contains("expired") == true
        }
    }

    @Test func tokensSignedWithAnotherKeyAreRejected() async throws {
        let other = try await TokenService(keys: .hmacSHA256(secret: "another-secret-0123456789abcdefghij"))
        let token = try await other.issue(userID: UserID("u-1"), roles: [.admin])
        let tokens = try await TokenService(keys: .hmacSHA256(secret: secret))
        await #expect(throws: EmporiumError.self) { try await tokens.verify(token) }
        await #expect(throws: EmporiumError.self) { try await tokens.verify("not.a.token") }
    }

    @Test func shortSecretsAreRefusedBeforeJWTKitSeesThem() async {
        await #expect {
            try await TokenService(keys: .hmacSHA256(secret: "too-short"))
        } throws: { error in
            String(describing: error).contains("at least 32 bytes")
        }
    }

    @Test func authorizationHeaderParsing() async throws {
        let tokens = try await TokenService(keys: .hmacSHA256(secret: secret))
        #expect(try await tokens.principal(fromAuthorization: nil) == nil)
        #expect(try await tokens.principal(fromAuthorization: "") == nil)
        await #expect(throws: EmporiumError.self) { try await tokens.principal(fromAuthorization: "Basic abc") }
        let token = try await tokens.issue(userID: UserID("u-2"), roles: [.seller])
        #expect(try await tokens.principal(fromAuthorization: "Bearer \(token)")?.userID == UserID("u-2"))
    }

    @Test func ed25519KeyPairsSignAndVerify() async throws {
        // A fixed Ed25519 key pair (RFC 8410 test key), in PEM.
        let privatePEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
            -----END PRIVATE KEY-----
            """
        let publicPEM = """
            -----BEGIN PUBLIC KEY-----
            MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
            -----END PUBLIC KEY-----
            """
        let issuer = try await TokenService(keys: .publicKeyPEM(publicPEM, privateKeyPEM: privatePEM))
        let token = try await issuer.issue(userID: UserID("u-3"), roles: [.admin])
        let verifier = try await TokenService(keys: .publicKeyPEM(publicPEM, privateKeyPEM: nil))
        #expect(try await verifier.verify(token).isAdmin)
    }
}
