import EmporiumCore
import Foundation
import JWTKit

/// What a token must say about itself, beyond a valid signature, to be believed.
///
/// A signature only proves who signed; `iss` and `aud` prove the token was minted by Emporium's
/// issuer *for Emporium* (a token for another service that shares the key is refused), and the
/// lifetime bound keeps a leaked token from being good for years.
public struct TokenPolicy: Sendable, Equatable {
    /// The required `iss`; issued tokens carry it.
    public var issuer: String
    /// The `aud` a token must name (a string or one entry of an array); issued tokens carry it.
    public var audience: String
    /// The longest a token may be valid: `exp - iat`, or `exp - now` when there is no `iat`.
    public var maximumLifetime: Duration
    /// Clock difference tolerated between issuer and verifier, applied to `exp`, `nbf` and `iat`.
    public var clockSkew: Duration

    public static let defaultIssuer = "emporium"
    public static let defaultAudience = "emporium"
    public static let defaultMaximumLifetime: Duration = .seconds(24 * 3600)
    public static let defaultClockSkew: Duration = .seconds(30)

    public init(
        issuer: String = Self.defaultIssuer, audience: String = Self.defaultAudience,
        maximumLifetime: Duration = Self.defaultMaximumLifetime, clockSkew: Duration = Self.defaultClockSkew
    ) {
        self.issuer = issuer
        self.audience = audience
        self.maximumLifetime = maximumLifetime
        self.clockSkew = clockSkew
    }

    /// Checks the time and audience claims of a token whose signature is already verified.
    /// Every failure is `UNAUTHENTICATED` with a reason a client developer can act on.
    func check(_ claims: EmporiumClaims, now: Date) throws {
        let skew = Self.seconds(clockSkew)
        guard claims.iss?.value == issuer else {
            throw EmporiumError(.unauthenticated, "the bearer token was not issued by '\(issuer)' (iss)")
        }
        guard let audiences = claims.aud?.value, audiences.contains(audience) else {
            throw EmporiumError(.unauthenticated, "the bearer token is not meant for '\(audience)' (aud)")
        }
        let expiry = claims.exp.value
        guard now.timeIntervalSince(expiry) < skew else {
            throw EmporiumError(.unauthenticated, "the bearer token has expired")
        }
        if let notBefore = claims.nbf?.value, notBefore.timeIntervalSince(now) > skew {
            throw EmporiumError(.unauthenticated, "the bearer token is not valid yet (nbf)")
        }
        if let issuedAt = claims.iat?.value, issuedAt.timeIntervalSince(now) > skew {
            throw EmporiumError(.unauthenticated, "the bearer token claims to be issued in the future (iat)")
        }
        let start = claims.iat?.value ?? now
        guard expiry.timeIntervalSince(start) <= Self.seconds(maximumLifetime) else {
            throw EmporiumError(.unauthenticated, "the bearer token is valid for longer than the allowed \(maximumLifetime.components.seconds) s (exp - iat)")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
