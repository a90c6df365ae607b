import GraphQL
import GraphQLSupport
import HTTPTypes

/// Which client headers the gateway passes on to subgraphs. Forwarding is opt-in per header:
/// cookies or internal headers must not leak to every subgraph by default.
public struct HeaderForwarding: Sendable {
    public var names: [HTTPField.Name]

    public init(names: [HTTPField.Name]) {
        self.names = names
    }

    /// `Authorization` (subgraphs authorize themselves) and W3C trace context.
    public static let standard = HeaderForwarding(names: [
        .authorization, HTTPField.Name("traceparent")!, HTTPField.Name("tracestate")!,
    ])

    public static let none = HeaderForwarding(names: [])

    func forwarded(from headers: HTTPFields) -> HTTPFields {
        var result = HTTPFields()
        for name in names {
            for value in headers[values: name] { result.append(HTTPField(name: name, value: value)) }
        }
        return result
    }
}

/// Everything an operator can tune about the gateway.
public struct GatewayConfiguration: Sendable {
    public var limits: OperationLimits
    public var headerForwarding: HeaderForwarding
    /// How long one subgraph request may take unless `subgraphTimeouts` names the subgraph.
    public var subgraphTimeout: Duration
    public var subgraphTimeouts: [String: Duration]
    /// Share one in-flight subgraph query among identical requests (same subgraph, operation,
    /// variables and forwarded headers). Mutations are never shared.
    public var deduplicatesQueries: Bool
    public var allowsIntrospection: Bool
    public var planCacheCapacity: Int
    /// Query root fields whose answers anonymous clients may get from the response cache, with
    /// the longest time an answer may be kept (tags usually invalidate it much sooner). An
    /// operation is cacheable when every root field it selects is listed; its answer's maximum
    /// age is the smallest of theirs. Empty: nothing is cached.
    public var cacheableRootFields: [String: Duration]

    public init(
        limits: OperationLimits = OperationLimits(), headerForwarding: HeaderForwarding = .standard,
        subgraphTimeout: Duration = .seconds(10), subgraphTimeouts: [String: Duration] = [:],
        deduplicatesQueries: Bool = true, allowsIntrospection: Bool = true, planCacheCapacity: Int = 1000,
        cacheableRootFields: [String: Duration] = [:]
    ) {
        self.limits = limits
        self.headerForwarding = headerForwarding
        self.subgraphTimeout = subgraphTimeout
        self.subgraphTimeouts = subgraphTimeouts
        self.deduplicatesQueries = deduplicatesQueries
        self.allowsIntrospection = allowsIntrospection
        self.planCacheCapacity = planCacheCapacity
        self.cacheableRootFields = cacheableRootFields
    }

    /// The maximum age of the answer to `operation`, or `nil` when it may not be cached.
    func cacheMaxAge(of operation: NormalizedOperation) -> Duration? {
        guard operation.kind == .query, !cacheableRootFields.isEmpty else { return nil }
        var maxAge: Duration?
        func visit(_ selections: [NormalizedSelection]) -> Bool {
            for selection in selections {
                switch selection {
                case .field(let field):
                    if field.name == "__typename" { continue }
                    guard let age = cacheableRootFields[field.name] else { return false }
                    maxAge = min(maxAge ?? age, age)
                case .fragment(let fragment):
                    guard visit(fragment.selections) else { return false }
                }
            }
            return true
        }
        return visit(operation.selections) ? maxAge : nil
    }

    func timeout(for subgraph: String) -> Duration {
        subgraphTimeouts[subgraph] ?? subgraphTimeout
    }
}

/// The `extensions.code` values the gateway itself produces.
public enum GatewayErrorCode {
    public static let queryTooDeep = DocumentLimits.Code.queryTooDeep
    public static let tooManyAliases = DocumentLimits.Code.tooManyAliases
    public static let tooManyRootFields = "TOO_MANY_ROOT_FIELDS"
    public static let queryTooCostly = "QUERY_TOO_COSTLY"
    /// Too many fields once fragments are inlined (a fragment bomb, or just a huge operation).
    public static let queryTooComplex = DocumentLimits.Code.queryTooComplex
    public static let subgraphTimeout = "SUBGRAPH_TIMEOUT"
    public static let subgraphUnavailable = "SUBGRAPH_UNAVAILABLE"
    public static let subgraphInvalidResponse = "SUBGRAPH_INVALID_RESPONSE"
    /// A subgraph's error that came without a code of its own.
    public static let downstreamServiceError = "DOWNSTREAM_SERVICE_ERROR"
    public static let introspectionDisabled = "INTROSPECTION_DISABLED"
    public static let badUserInput = "BAD_USER_INPUT"
}
