import Caching
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

    public init(responseCache: ResponseCache, observers: [any GraphQLRequestObserver]) {
        self.responseCache = responseCache
        self.observers = observers
    }

    /// The cached answer to a POST with these headers and body, or nil.
    public func answer(headers: HTTPFields, body: ByteBuffer) -> (head: HTTPResponse, body: ByteBuffer)? {
        let started = ContinuousClock.now
        guard headers[.authorization] == nil,
              let request = try? GraphQLRequest.decodePOST(body: Data(body.readableBytesView), contentType: headers[.contentType]),
              let hit = responseCache.immediateHit(ResponseCache.Key(request))
        else { return nil }
        let fields = GraphQLHTTP.cachedAnswerFields(age: hit.age, graphQLMediaType: GraphQLHTTP.prefersGraphQLResponse(accept: headers[.accept] ?? ""))
        OperationMetrics.shared.record(operation: request.operationName, status: OperationMetrics.cachedStatus, duration: ContinuousClock.now - started)
        for observer in observers { observer.answered(request) }
        return (HTTPResponse(status: .ok, headerFields: fields), hit.body)
    }
}
