import GraphQL
import GraphQLSupport
import HTTPTypes
import Identity
import OrderedCollections

/// One GraphQL request from the gateway to a subgraph.
public struct SubgraphRequest: Sendable {
    public var subgraph: String
    /// From the supergraph; nil for in-process subgraphs.
    public var url: String?
    public var query: String
    public var operationName: String?
    public var variables: [String: Map]
    /// The client headers the gateway forwards (see `HeaderForwarding`).
    public var headers: HTTPFields
    /// The client request's context, as the edge made it: who the client is (in-process
    /// subgraphs receive the principal directly instead of re-reading a token), its
    /// rate-limiting identity, its request id, and where subgraphs add response headers. nil
    /// for the gateway's own requests (`_service { sdl }`).
    public var context: GraphQLRequestInfo?
    public var timeout: Duration
    /// The GraphQL-over-HTTP body, when already encoded (`encodeBody()`): the executor encodes it
    /// once for in-flight deduplication, and the HTTP transport sends those bytes.
    public var encodedBody: [UInt8]?

    public init(
        subgraph: String, url: String? = nil, query: String, operationName: String? = nil, variables: [String: Map] = [:],
        headers: HTTPFields = [:], context: GraphQLRequestInfo? = nil, timeout: Duration = .seconds(10)
    ) {
        self.subgraph = subgraph
        self.url = url
        self.query = query
        self.operationName = operationName
        self.variables = variables
        self.headers = headers
        self.context = context
        self.timeout = timeout
    }
}

extension SubgraphRequest {
    /// `{"query":…,"variables":{…},"operationName":…}`, variables in name order so that equal
    /// requests encode to equal bytes.
    public func encodeBody() -> [UInt8] {
        var body: OrderedDictionary<String, Map> = [
            "query": .string(query), "variables": .dictionary(OrderedDictionary(uniqueKeysWithValues: variables.sorted { $0.key < $1.key })),
        ]
        if let operationName { body["operationName"] = .string(operationName) }
        return JSONMap.encode(.dictionary(body))
    }
}

/// A subgraph's answer: GraphQL data and errors as the subgraph sent them.
public struct SubgraphResponse: Sendable {
    private var storedData: Map?
    public var errors: [GraphQLError]
    /// What the answer was built from (see `ResponseTags`), for the gateway's response cache.
    public var cacheTags: [String]
    /// An in-process subgraph's answer as its engine made it. The gateway passes it through
    /// unchanged when its plan allows (`VerbatimFetch`), and builds `data` from it only when it
    /// has to merge or shape.
    public private(set) var answer: GraphQLOutcome?

    public init(data: Map?, errors: [GraphQLError] = [], cacheTags: [String] = []) {
        self.storedData = data
        self.errors = errors
        self.cacheTags = cacheTags
    }

    public init(answer: GraphQLOutcome, cacheTags: [String] = []) {
        self.errors = answer.errors
        self.cacheTags = cacheTags
        self.answer = answer
    }

    /// The data as a `Map`; built from an in-process answer on each read, so read it once.
    public var data: Map? {
        get { answer?.data ?? storedData }
        set {
            storedData = newValue
            answer = nil
        }
    }
}

/// How the gateway reaches subgraphs: over HTTP between processes, or by direct calls in
/// single-node mode. The planner and executor are the same for both.
///
/// Throws `SubgraphTransportError` when the subgraph gave no GraphQL answer at all; GraphQL
/// errors from the subgraph come back in the response instead.
public protocol SubgraphTransport: Sendable {
    func send(_ request: SubgraphRequest) async throws -> SubgraphResponse

    /// Whether `send` itself gives up after `request.timeout` (throwing a `.timeout` error); the
    /// executor then adds no timer of its own, which costs two tasks per fetch.
    var enforcesTimeout: Bool { get }
}

extension SubgraphTransport {
    public var enforcesTimeout: Bool { false }
}

public struct SubgraphTransportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Not reachable, refused, or answered with a non-GraphQL HTTP error.
        case unavailable
        case timeout
        /// Answered, but not with a GraphQL response.
        case invalidResponse
        /// The transport has no subgraph of that name.
        case unknownSubgraph
    }

    public let kind: Kind
    public let subgraph: String
    public let message: String

    public init(_ kind: Kind, subgraph: String, message: String) {
        self.kind = kind
        self.subgraph = subgraph
        self.message = message
    }

    public var description: String { "subgraph '\(subgraph)': \(message)" }
}
