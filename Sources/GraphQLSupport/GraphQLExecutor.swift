import EmporiumCore
import GraphQL
import HTTPTypes
import Identity
import GraphQLExecution

/// What the HTTP layer knows about a request besides its GraphQL text.
public struct GraphQLRequestInfo: Sendable {
    public var principal: Principal?
    public var headers: HTTPFields
    /// GET requests may only run queries (GraphQL-over-HTTP).
    public var isReadOnly: Bool
    /// Who the client is for rate limiting: `user:<subject>` with a token, else `ip:<address>`.
    public var clientKey: String
    /// Headers resolvers want on the response.
    public var responseHeaders: ResponseHeaders
    /// What the answer is built from, for the response cache.
    public var responseTags: ResponseTags
    /// Names the request in the log and in `extensions.requestId` of an internal error, so that a
    /// client's report finds the log line without the client ever seeing the detail.
    public var requestID: String

    public init(
        principal: Principal?, headers: HTTPFields = [:], isReadOnly: Bool = false, clientKey: String? = nil,
        responseHeaders: ResponseHeaders = ResponseHeaders(), responseTags: ResponseTags = ResponseTags(),
        requestID: String = GraphQLErrorMapping.newRequestID()
    ) {
        self.principal = principal
        self.headers = headers
        self.isReadOnly = isReadOnly
        self.clientKey = clientKey ?? principal.map { "user:\($0.userID.rawValue)" } ?? "ip:unknown"
        self.responseHeaders = responseHeaders
        self.responseTags = responseTags
        self.requestID = requestID
    }
}

/// The result of running one GraphQL request, with enough to pick the HTTP status.
public struct GraphQLOutcome: Sendable {
    public enum Kind: Sendable, Equatable {
        /// Parse or validation failed: nothing ran ("request error" in the spec).
        case requestError
        /// Executed; the result may still hold field errors.
        case executed
        /// A mutation over GET.
        case methodNotAllowed
    }

    /// The answer as the one who made it holds it: a `Map` (the gateway, refusals) or the
    /// engine's result tree, which writes its JSON without building a `Map` first.
    enum Body: Sendable {
        case result(GraphQLResult)
        case execution(ExecutionResult)
    }

    public let kind: Kind
    let body: Body
    /// How long the answer may be served from the response cache to anonymous clients; `nil`
    /// when it must not be cached. Only executors that know a cache policy set it (the gateway).
    public var cacheMaxAge: Duration?

    public init(kind: Kind, result: GraphQLResult, cacheMaxAge: Duration? = nil) {
        self.kind = kind
        body = .result(result)
        self.cacheMaxAge = cacheMaxAge
    }

    public init(kind: Kind, execution: ExecutionResult, cacheMaxAge: Duration? = nil) {
        self.kind = kind
        body = .execution(execution)
        self.cacheMaxAge = cacheMaxAge
    }

    /// The answer as a `Map` (built on demand from an engine result: in-process callers).
    public var result: GraphQLResult {
        switch body {
        case .result(let result): result
        case .execution(let execution): GraphQLResult(data: execution.data, errors: execution.errors)
        }
    }

    /// The answer's data as a `Map` (built from an engine result on each call).
    public var data: Map? {
        switch body {
        case .result(let result): result.data
        case .execution(let execution): execution.data
        }
    }

    public var errors: [GraphQLError] {
        switch body {
        case .result(let result): result.errors
        case .execution(let execution): execution.errors
        }
    }

    /// The response body, `{"errors":[…],"data":…}`.
    public func writeJSON(into out: inout [UInt8]) {
        switch body {
        case .result(let result): ResponseJSON.write(result, into: &out)
        case .execution(let execution): execution.writeJSON(into: &out)
        }
    }
}

/// Anything that answers GraphQL requests: one subgraph's schema, or the federation gateway.
/// The HTTP layer depends only on this.
public protocol GraphQLExecutor: Sendable {
    func execute(_ request: GraphQLRequest, info: GraphQLRequestInfo) async -> GraphQLOutcome
}
