import AsyncHTTPClient
import EmporiumCore
import Foundation
import Identity
import NIOCore
import NIOHTTP1
import Synchronization

/// The JWKS the process's token service accepts: the key ring of the service that signs access
/// tokens (its `ServiceInstance.jwks`) when this process runs it, bound once the services have
/// started; else that service's `/.well-known/jwks.json` over HTTP (`EMPORIUM_JWKS_URL`).
final class ProcessJWKS: JWKSSource {
    private let local = Mutex<(any JWKSSource)?>(nil)
    private let remote: HTTPJWKSSource?

    init(url: String?) {
        remote = url.map(HTTPJWKSSource.init(url:))
    }

    /// Whether tokens signed by the token-signing service can be verified here at all.
    var isConfigured: Bool { remote != nil }

    func bind(_ source: (any JWKSSource)?) {
        local.withLock { $0 = source }
    }

    func jwksJSON() async throws -> String {
        if let local = local.withLock({ $0 }) { return try await local.jwksJSON() }
        if let remote { return try await remote.jwksJSON() }
        throw EmporiumError(.unavailable, "no JWKS: this process runs no service that signs tokens and EMPORIUM_JWKS_URL is not set")
    }
}

/// A JWKS read over HTTP (bounded in size and time).
struct HTTPJWKSSource: JWKSSource {
    static let maximumBytes = 256 * 1024
    let url: String

    func jwksJSON() async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "accept", value: "application/jwk-set+json, application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        guard response.status == .ok else {
            throw EmporiumError(.unavailable, "the JWKS at \(url) answered HTTP \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: Self.maximumBytes)
        return String(buffer: body)
    }
}
