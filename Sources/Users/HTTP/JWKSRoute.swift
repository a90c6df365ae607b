import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// `GET /.well-known/jwks.json`: the public keys of the access tokens the users service signs
/// (RFC 7517). Public, cacheable for a minute: verifiers refetch early when a token names a
/// key they do not know.
struct JWKSRoute {
    let keys: SigningKeyRing

    var route: ServiceRoute {
        ServiceRoute(.get, "/.well-known/jwks.json", visibility: .public) { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/jwk-set+json"
            headers[.cacheControl] = "public, max-age=60"
            let body = try await keys.jwksJSON()
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
    }
}
