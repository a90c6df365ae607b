import EmporiumCore
import Foundation
import Identity
import JWTKit
import Testing

/// Tokens a verifier must refuse although some of them carry a valid signature — with each of
/// the three key sources (``VerifierKeys``): the claims are checked the same way whoever signed.
@Suite struct TokenPolicyTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func service(_ policy: TokenPolicy = TokenPolicy()) async throws -> TokenService {
        try await TokenService(keys: .hmacSHA256(secret: TokenForgery.secret), policy: policy)
    }

    /// Expects `UNAUTHENTICATED` whose message mentions `reason`.
    func expectRefused(_ token: String, by tokens: TokenService, because reason: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        await #expect(sourceLocation: sourceLocation) {
            try await tokens.verify(token, now: now)
        } throws: { error in
            guard let error = error as? EmporiumError else { return false }
            return error.code == .unauthenticated && error.message.contains(reason)
        }
    }

    @Test(arguments: VerifierKeys.all)
    func aForgedTokenWithEveryRequiredClaimIsAccepted(keys: VerifierKeys) async throws {
        // The baseline: the refusals below are caused by the one claim each changes.
        let token = try await keys.sign(.init(now: now))
        #expect(try await keys.service(TokenPolicy()).verify(token, now: now).isAdmin)
    }

    @Test func issuedTokensCarryIssuerAndAudience() async throws {
        let policy = TokenPolicy(issuer: "shop-issuer", audience: "shop-api")
        let token = try await service(policy).issue(userID: UserID("u-9"), roles: [.buyer], now: now)
        let claims = try await JWTKeyCollection().unverified(token, as: TokenForgery.Claims.self)
        #expect(claims.iss?.value == "shop-issuer")
        #expect(claims.aud?.value == ["shop-api"])
        #expect(try await service(policy).verify(token, now: now).userID == UserID("u-9"))
        await expectRefused(token, by: try await service(), because: "(iss)")
    }

    @Test(arguments: VerifierKeys.all)
    func algNoneIsRefused(keys: VerifierKeys) async throws {
        let token = try TokenForgery.unsigned(.init(now: now))
        await expectRefused(token, by: try await keys.service(TokenPolicy()), because: "must be signed with")
    }

    @Test(arguments: VerifierKeys.all)
    func expiredTokensAreRefused(keys: VerifierKeys) async throws {
        let token = try await keys.sign(.init(now: now.addingTimeInterval(-3600), lifetime: 600))
        await expectRefused(token, by: try await keys.service(TokenPolicy()), because: "expired")
    }

    @Test(arguments: VerifierKeys.all)
    func tokensNotYetValidAreRefused(keys: VerifierKeys) async throws {
        let service = try await keys.service(TokenPolicy())
        var claims = TokenForgery.Claims(now: now)
        claims.nbf = NotBeforeClaim(value: now.addingTimeInterval(300))
        await expectRefused(try await keys.sign(claims), by: service, because: "not valid yet")
        // Within the tolerated clock skew it is accepted.
        claims.nbf = NotBeforeClaim(value: now.addingTimeInterval(10))
        #expect(try await service.verify(try await keys.sign(claims), now: now).isAdmin)
    }

    @Test(arguments: VerifierKeys.all)
    func wrongOrMissingAudienceIsRefused(keys: VerifierKeys) async throws {
        let service = try await keys.service(TokenPolicy())
        var claims = TokenForgery.Claims(now: now)
        claims.aud = AudienceClaim(value: ["billing", "reports"])
        await expectRefused(try await keys.sign(claims), by: service, because: "(aud)")
        claims.aud = nil
        await expectRefused(try await keys.sign(claims), by: service, because: "(aud)")
        claims.aud = AudienceClaim(value: ["billing", "emporium"])
        #expect(try await service.verify(try await keys.sign(claims), now: now).isAdmin)
    }

    @Test(arguments: VerifierKeys.all)
    func wrongOrMissingIssuerIsRefused(keys: VerifierKeys) async throws {
        let service = try await keys.service(TokenPolicy())
        var claims = TokenForgery.Claims(now: now)
        claims.iss = "someone-else"
        await expectRefused(try await keys.sign(claims), by: service, because: "(iss)")
        claims.iss = nil
        await expectRefused(try await keys.sign(claims), by: service, because: "(iss)")
    }

    @Test(arguments: VerifierKeys.all)
    func overLongLifetimesAreRefused(keys: VerifierKeys) async throws {
        let service = try await keys.service(TokenPolicy(maximumLifetime: .seconds(3600)))
        let tooLong = try await keys.sign(.init(now: now, lifetime: 3601))
        await expectRefused(tooLong, by: service, because: "longer than the allowed 3600 s")
        // Without iat the remaining lifetime counts.
        var withoutIssuedAt = TokenForgery.Claims(now: now, lifetime: 10 * 365 * 86_400)
        withoutIssuedAt.iat = nil
        await expectRefused(try await keys.sign(withoutIssuedAt), by: service, because: "longer than the allowed")
        // A far-past iat cannot stretch it either: the token is simply expired or too long.
        var backdated = TokenForgery.Claims(now: now, lifetime: 600)
        backdated.iat = IssuedAtClaim(value: now.addingTimeInterval(-86_400))
        await expectRefused(try await keys.sign(backdated), by: service, because: "longer than the allowed")
        let exact = try await keys.sign(.init(now: now, lifetime: 3600))
        #expect(try await service.verify(exact, now: now).isAdmin)
    }

    @Test func issuingBeyondTheMaximumLifetimeIsRefused() async throws {
        let tokens = try await service(TokenPolicy(maximumLifetime: .seconds(60)))
        // Int64.max seconds: `emporium token --valid-for 9223372036854775807` must not trap.
        for validFor: Duration in [.seconds(61), .seconds(Int64.max), .zero, .seconds(-1)] {
            await #expect(throws: EmporiumError.self, "\(validFor)") {
                try await tokens.issue(userID: UserID("u-1"), roles: [.buyer], validFor: validFor, now: now)
            }
        }
    }

    @Test(arguments: VerifierKeys.all)
    func issuedInTheFutureIsRefused(keys: VerifierKeys) async throws {
        let token = try await keys.sign(.init(now: now.addingTimeInterval(600), lifetime: 600))
        await expectRefused(token, by: try await keys.service(TokenPolicy()), because: "(iat)")
    }

    @Test(arguments: VerifierKeys.all)
    func oversizedTokensAreRefusedUnread(keys: VerifierKeys) async throws {
        let token = String(repeating: "a", count: 9000) + ".b.c"
        await expectRefused(token, by: try await keys.service(TokenPolicy()), because: "longer than")
    }

    /// A token of one source is nothing to a verifier of another: signatures never cross.
    @Test(arguments: VerifierKeys.all, VerifierKeys.all)
    func aTokenSignedForOneSourceIsRefusedByTheOthers(signer: VerifierKeys, verifier: VerifierKeys) async throws {
        guard signer.name != verifier.name else { return }
        let token = try await signer.sign(.init(now: now))
        await #expect(throws: EmporiumError.self) { try await verifier.service(TokenPolicy()).verify(token, now: now) }
    }
}
