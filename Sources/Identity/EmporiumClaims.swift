import JWTKit

/// The claims Emporium reads from a JWT: subject (user id), roles, expiry.
struct EmporiumClaims: JWTPayload {
    var sub: SubjectClaim
    var roles: [String]
    var exp: ExpirationClaim
    var iat: IssuedAtClaim?

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}
