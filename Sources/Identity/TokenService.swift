import EmporiumCore
import Foundation
import JWTKit

/// Verifies bearer tokens into a ``Principal`` and, where a signing key is configured, issues them.
public struct TokenService: Sendable {
    private let keys: JWTKeyCollection

    public init(keys: TokenKeys) async throws {
        self.keys = try await keys.keyCollection()
    }

    /// Verifies signature and expiry. Any failure is `UNAUTHENTICATED` with a reason a client
    /// developer can act on; the token itself is never echoed.
    public func verify(_ token: String) async throws -> Principal {
        let claims: EmporiumClaims
        do {
            claims = try await keys.verify(token, as: EmporiumClaims.self)
        } catch let error as JWTError where error.errorType == .claimVerificationFailure {
            throw EmporiumError(.unauthenticated, "the bearer token has expired", detail: String(describing: error))
        } catch {
            throw EmporiumError(.unauthenticated, "the bearer token is invalid (bad signature, format or claims)", detail: String(describing: error))
        }
        var roles = Set<Role>()
        for name in claims.roles {
            guard let role = Role(rawValue: name) else {
                throw EmporiumError(.unauthenticated, "the bearer token names an unknown role '\(name.prefix(32))'")
            }
            roles.insert(role)
        }
        return Principal(userID: UserID(claims.sub.value), roles: roles)
    }

    /// Verifies the value of an `Authorization` header; `nil` when there is none.
    public func principal(fromAuthorization header: String?) async throws -> Principal? {
        guard let header, !header.isEmpty else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw EmporiumError(.unauthenticated, "the Authorization header must be 'Bearer <jwt>'")
        }
        return try await verify(String(parts[1]).trimmingCharacters(in: .whitespaces))
    }

    /// Issues a token; needs a secret or a private key.
    public func issue(userID: UserID, roles: Set<Role>, validFor: Duration = .seconds(86_400), now: Date = Date()) async throws -> String {
        let seconds = Double(validFor.components.seconds)
        let claims = EmporiumClaims(
            sub: SubjectClaim(value: userID.rawValue),
            roles: roles.map(\.rawValue).sorted(),
            exp: ExpirationClaim(value: now.addingTimeInterval(seconds)),
            iat: IssuedAtClaim(value: now)
        )
        return try await keys.sign(claims)
    }
}
