import Caching
import EmporiumCore
import Foundation
import HTTPTypes
import NIOCore

/// The response cache's answers to anonymous POSTs, given at once, without waiting: for the
/// public endpoint's connection handler, which answers them on the event loop before they enter
/// the router (`Runtime`'s `CachedAnswerHandler`).
///
/// Anything this does not answer — a miss, a stale answer, a body that does not decode, a
/// client with credentials, a tag store elsewhere (Redis) — goes the whole way through
/// ``GraphQLHTTP``, which answers it as always, errors included. A hit here is what a hit
/// there is: the same body and headers, the same operation metrics, the same observers told.
public struct CachedAnswers: Sendable {
    let responseCache: ResponseCache
    let observers: [any GraphQLRequestObserver]
    /// Bodies already read, by their bytes (and media type): the same app sends a popular page's
    /// request byte for byte, and parsing its JSON and building the cache key were a tenth of a
    /// hit's CPU. Bounded; a body that does not decode is not kept.
    let decoded: BoundedCache<String, Decoded>

    struct Decoded: Sendable {
        let request: GraphQLRequest
        let key: ResponseCache.Key
    }

    public init(responseCache: ResponseCache, observers: [any GraphQLRequestObserver], decodedBodiesBytes: Int = 8 << 20) {
        self.responseCache = responseCache
        self.observers = observers
        decoded = BoundedCache(maximumEntries: 20_000, maximumBytes: decodedBodiesBytes)
    }

    /// The cached answer to a POST with these headers and body, or nil.
    public func answer(headers: HTTPFields, body: ByteBuffer) -> (head: HTTPResponse, body: ByteBuffer)? {
        let started = ContinuousClock.now
        guard headers[.authorization] == nil, let (request, key) = decode(body, contentType: headers[.contentType]),
              let hit = responseCache.immediateHit(key)
        else { return nil }
        let fields = GraphQLHTTP.cachedAnswerFields(age: hit.age, graphQLMediaType: GraphQLHTTP.prefersGraphQLResponse(accept: headers[.accept] ?? ""))
        OperationMetrics.shared.record(operation: request.operationName, status: OperationMetrics.cachedStatus, duration: ContinuousClock.now - started)
        for observer in observers { observer.answered(request) }
        return (HTTPResponse(status: .ok, headerFields: fields), hit.body)
    }

    /// The request and its cache key, from the memo or decoded now; nil when it does not decode.
    func decode(_ body: ByteBuffer, contentType: String?) -> (GraphQLRequest, ResponseCache.Key)? {
        // Only valid UTF-8 is remembered: repairing invalid bytes would give two bodies one text.
        let text = String(validating: body.readableBytesView, as: UTF8.self).map { (contentType ?? "") + "\n" + $0 }
        if let text, let known = decoded.value(for: text) { return (known.request, known.key) }
        guard let request = try? GraphQLRequest.decodePOST(body: Data(body.readableBytesView), contentType: contentType) else { return nil }
        let key = ResponseCache.Key(request)
        if let text {
            // The text, the request's copy of it and the key's: about three times the body.
            decoded.store(Decoded(request: request, key: key), for: text, bytes: 3 * text.utf8.count + 64)
        }
        return (request, key)
    }
}
