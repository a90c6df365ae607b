import JWTKit

/// The claims Emporium reads from a JWT.
///
/// `iss`, `aud`, `nbf` and `iat` are optional here only so that a token missing them decodes and
/// can be refused with a clear reason: ``TokenPolicy/check(_:now:)`` requires `iss` and `aud` and
/// checks the times against an injectable clock, which is why `verify(using:)` checks nothing.
struct EmporiumClaims: JWTPayload {
    var sub: SubjectClaim
    var roles: [String]
    var exp: ExpirationClaim
    var iat: IssuedAtClaim?
    var nbf: NotBeforeClaim?
    var iss: IssuerClaim?
    var aud: AudienceClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
