import EmporiumCore
import Foundation
import Identity
import JWTKit
import Testing

/// Tokens a verifier must refuse although some of them carry a valid signature.
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

    @Test func aForgedTokenWithEveryRequiredClaimIsAccepted() async throws {
        // The baseline: the refusals below are caused by the one claim each changes.
        let token = try await TokenForgery.hs256(.init(now: now))
        #expect(try await service().verify(token, now: now).isAdmin)
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

    @Test func algNoneIsRefused() async throws {
        let token = try TokenForgery.unsigned(.init(now: now))
        await expectRefused(token, by: try await service(), because: "must be signed with HS256")
    }

    @Test func expiredTokensAreRefused() async throws {
        let token = try await TokenForgery.hs256(.init(now: now.addingTimeInterval(-3600), lifetime: 600))
        await expectRefused(token, by: try await service(), because: "expired")
    }

    @Test func tokensNotYetValidAreRefused() async throws {
        var claims = TokenForgery.Claims(now: now)
        claims.nbf = NotBeforeClaim(value: now.addingTimeInterval(300))
        await expectRefused(try await TokenForgery.hs256(claims), by: try await service(), because: "not valid yet")
        // Within the tolerated clock skew it is accepted.
        claims.nbf = NotBeforeClaim(value: now.addingTimeInterval(10))
        #expect(try await service().verify(try await TokenForgery.hs256(claims), now: now).isAdmin)
    }

    @Test func wrongOrMissingAudienceIsRefused() async throws {
        var claims = TokenForgery.Claims(now: now)
        claims.aud = AudienceClaim(value: ["billing", "reports"])
        await expectRefused(try await TokenForgery.hs256(claims), by: try await service(), because: "(aud)")
        claims.aud = nil
        await expectRefused(try await TokenForgery.hs256(claims), by: try await service(), because: "(aud)")
        claims.aud = AudienceClaim(value: ["billing", "emporium"])
        #expect(try await service().verify(try await TokenForgery.hs256(claims), now: now).isAdmin)
    }

    @Test func wrongOrMissingIssuerIsRefused() async throws {
        var claims = TokenForgery.Claims(now: now)
        claims.iss = "someone-else"
        await expectRefused(try await TokenForgery.hs256(claims), by: try await service(), because: "(iss)")
        claims.iss = nil
        await expectRefused(try await TokenForgery.hs256(claims), by: try await service(), because: "(iss)")
    }

    @Test func overLongLifetimesAreRefused() async throws {
        let policy = TokenPolicy(maximumLifetime: .seconds(3600))
        let tooLong = try await TokenForgery.hs256(.init(now: now, lifetime: 3601))
        await expectRefused(tooLong, by: try await service(policy), because: "longer than the allowed 3600 s")
        // Without iat the remaining lifetime counts.
        var withoutIssuedAt = TokenForgery.Claims(now: now, lifetime: 10 * 365 * 86_400)
        withoutIssuedAt.iat = nil
        await expectRefused(try await TokenForgery.hs256(withoutIssuedAt), by: try await service(policy), because: "longer than the allowed")
        // A far-past iat cannot stretch it either: the token is simply expired or too long.
        var backdated = TokenForgery.Claims(now: now, lifetime: 600)
        backdated.iat = IssuedAtClaim(value: now.addingTimeInterval(-86_400))
        await expectRefused(try await TokenForgery.hs256(backdated), by: try await service(policy), because: "longer than the allowed")
        let exact = try await TokenForgery.hs256(.init(now: now, lifetime: 3600))
        #expect(try await service(policy).verify(exact, now: now).isAdmin)
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

    @Test func issuedInTheFutureIsRefused() async throws {
        let token = try await TokenForgery.hs256(.init(now: now.addingTimeInterval(600), lifetime: 600))
        await expectRefused(token, by: try await service(), because: "(iat)")
    }

    @Test func oversizedTokensAreRefusedUnread() async throws {
        let token = String(repeating: "a", count: 9000) + ".b.c"
        await expectRefused(token, by: try await service(), because: "longer than")
    }
}
