import EmporiumCore
import Foundation

/// The part of a JWT header that is read before any key is touched.
///
/// jwt-kit picks the configured key without comparing the header's `alg` to it. The signature
/// check with that key already fails for `alg: none` and for an HS256 token "signed" with the
/// public key (algorithm confusion), but refusing any algorithm other than the configured one
/// first makes that explicit and independent of the library: no header value ever selects how a
/// token is checked, so no client input can make jwt-kit build a key (the short-HMAC-key
/// assertion cannot be reached from a request).
struct TokenHeader: Decodable {
    /// Longer tokens are refused unread; Emporium's own are a few hundred bytes.
    static let maximumTokenBytes = 8 * 1024

    var alg: String?
    /// Which key of a JWKS signed the token (EdDSA tokens of the users service).
    var kid: String?

    /// Decodes the header segment of a compact JWT.
    static func decode(_ token: String) throws -> TokenHeader {
        let invalid = EmporiumError(.unauthenticated, "the bearer token is invalid (bad signature, format or claims)")
        guard token.utf8.count <= maximumTokenBytes else {
            throw EmporiumError(.unauthenticated, "the bearer token is longer than \(maximumTokenBytes) bytes")
        }
        let segments = token.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let data = base64URLDecoded(segments[0]),
            let header = try? JSONDecoder().decode(TokenHeader.self, from: data)
        else { throw invalid }
        return header
    }

    private static func base64URLDecoded(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
