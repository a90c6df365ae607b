import AsyncHTTPClient
import Foundation
import GraphQL
import GraphQLSupport
import HTTPTypes
import NIOCore
import NIOHTTP1
import OrderedCollections

/// Sends subgraph requests as GraphQL-over-HTTP POSTs with AsyncHTTPClient, whose connection
/// pool keeps connections to each subgraph alive across requests.
public struct HTTPSubgraphTransport: SubgraphTransport {
    /// Responses larger than this are refused rather than buffered.
    public static let maximumResponseBytes = 32 << 20

    private let client: HTTPClient
    private let urls: [String: String]
    private let credential: InternalCredential?

    /// A client tuned for a router: a refused connection fails the fetch at once (the default
    /// client retries until the request deadline), connects give up after `connectTimeout`, up
    /// to `connectionsPerSubgraph` keep-alive connections are pooled per subgraph host, and
    /// redirects are not followed.
    /// The caller owns it and shuts it down (`try await client.shutdown()`).
    public static func makeHTTPClient(connectTimeout: Duration = .seconds(2), connectionsPerSubgraph: Int = 16) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .nanoseconds(connectTimeout.nanoseconds)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = connectionsPerSubgraph
        // A subgraph answers its URL; a redirect is a misconfiguration, not something to follow.
        configuration.redirectConfiguration = .disallow
        // Trace context reaches subgraphs by header rule (`HeaderForwarding`). The client's own
        // spans stay off: no tracer is bootstrapped, and with the default no-op one it still
        // built span attributes for every fetch (about 5 % of the gateway's CPU per request).
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    /// `urls` overrides the supergraph's URL per subgraph (e.g. from configuration).
    /// `credential` is presented to Emporium's subgraphs, which are internal; a third-party
    /// subgraph ignores it.
    public init(client: HTTPClient = .shared, urls: [String: String] = [:], credential: InternalCredential? = nil) {
        self.client = client
        self.urls = urls
        self.credential = credential
    }

    /// AsyncHTTPClient applies the request's deadline (connect, send and the whole response).
    public var enforcesTimeout: Bool { true }

    public func send(_ request: SubgraphRequest) async throws -> SubgraphResponse {
        guard let url = urls[request.subgraph] ?? request.url else {
            throw SubgraphTransportError(.unknownSubgraph, subgraph: request.subgraph, message: "no URL configured")
        }
        let bytes = request.encodedBody ?? request.encodeBody()
        var httpRequest = HTTPClientRequest(url: url)
        httpRequest.method = .POST
        for field in request.headers {
            httpRequest.headers.add(name: field.name.rawName, value: field.value)
        }
        // Only the gateway asserts a caller, whatever header rules forward from clients.
        httpRequest.headers.remove(name: InternalCredential.principalHeader.rawName)
        for (name, value) in credential?.headers(clientKey: request.context?.clientKey, requestID: request.context?.requestID, principal: request.context?.principal) ?? [] {
            httpRequest.headers.replaceOrAdd(name: name.rawName, value: value)
        }
        httpRequest.headers.replaceOrAdd(name: "content-type", value: "application/json")
        httpRequest.headers.replaceOrAdd(name: "accept", value: "application/graphql-response+json, application/json")
        httpRequest.body = .bytes(ByteBuffer(bytes: bytes))

        let response: HTTPClientResponse
        let payload: ByteBuffer
        do {
            response = try await client.execute(httpRequest, timeout: .nanoseconds(request.timeout.nanoseconds))
            payload = try await response.body.collect(upTo: Self.maximumResponseBytes)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw SubgraphTransportError(.timeout, subgraph: request.subgraph, message: "no answer within \(request.timeout)")
        } catch {
            throw SubgraphTransportError(.unavailable, subgraph: request.subgraph, message: "request failed: \(error)")
        }
        // GraphQL-over-HTTP allows 4xx with a GraphQL body; anything else that is not 200 is an outage.
        guard var decoded = try? SubgraphResponse(json: Data(payload.readableBytesView)) else {
            let kind: SubgraphTransportError.Kind = response.status.code >= 500 || response.status.code == 429 ? .unavailable : .invalidResponse
            throw SubgraphTransportError(kind, subgraph: request.subgraph, message: "HTTP \(response.status.code) without a GraphQL response")
        }
        let tags = ResponseTags()
        for value in response.headers[ResponseTags.headerName] { tags.add(headerValue: Substring(value)) }
        decoded.cacheTags = tags.all
        return decoded
    }
}

extension SubgraphResponse {
    /// Reads a GraphQL response body. Errors are read leniently (a missing `path` is fine, and
    /// `locations` are dropped: they point into the subgraph operation, not the client's).
    public init(json: Data) throws {
        // JSONMap, not JSONDecoder: decoding `Map` through Codable dominated the gateway's time.
        let map = try JSONMap.parse(json)
        guard case .dictionary(let object) = map, object["data"] != nil || object["errors"] != nil else {
            throw SubgraphTransportError(.invalidResponse, subgraph: "", message: "not a GraphQL response")
        }
        let data = object["data"].flatMap { $0.isNull ? nil : $0 }
        let errors = (object["errors"]?.array ?? []).map(Self.error(from:))
        self.init(data: data, errors: errors)
    }

    static func error(from map: Map) -> GraphQLError {
        let object = map.dictionary ?? [:]
        let path: [any IndexPathElement] = (object["path"]?.array ?? []).compactMap { element -> (any IndexPathElement)? in
            if let key = element.string { return IndexPathValue.key(key) }
            if let index = element.int { return IndexPathValue.index(index) }
            return nil
        }
        var extensions: [String: Map] = [:]
        for (key, value) in object["extensions"]?.dictionary ?? [:] { extensions[key] = value }
        return GraphQLError(message: object["message"]?.string ?? "subgraph error without a message", locations: [], path: IndexPath(path), extensions: extensions)
    }
}
