import GraphQL
import GraphQLSupport
import Identity

/// A subscription, planned: the channel to follow and the query that answers each of its
/// events (the subscriber's selection under the field that reads the changed entity).
public struct LivePlan: Sendable {
    public let field: LiveField
    public let channel: String
    /// The key of the result under `data` (the alias or the field's name).
    public let responseKey: String
    /// `query(…, $emporiumLiveId: ID!) { <key>: <queryField>(<arg>: $emporiumLiveId) { … } }`.
    public let query: String
    /// The client's variables the query still uses.
    public let variables: [String: Map]
    /// From `since:` of a replaying field.
    public let since: Int?
    /// The replay query: `{ <key>: <replayField>(since: $emporiumSince, first: 100) { emporiumOffset: offset … } }`.
    public let replayQuery: String?

    public static let idVariable = "emporiumLiveId"
    public static let sinceVariable = "emporiumSince"
    public static let offsetAlias = "emporiumOffset"
    public static let replayPage = 100

    /// One key per distinct query and variables: events are resolved once per key (and
    /// visibility class), whatever the number of subscribers.
    public let key: String

    /// The request that answers the event about entity `id`.
    init(field: LiveField, channel: String, responseKey: String, query: String, variables: [String: Map], since: Int?, replayQuery: String?, key: String) {
        self.field = field
        self.channel = channel
        self.responseKey = responseKey
        self.query = query
        self.variables = variables
        self.since = since
        self.replayQuery = replayQuery
        self.key = key
    }

    public func request(for id: String) -> GraphQLSupport.GraphQLRequest {
        var values = variables
        values[Self.idVariable] = .string(id)
        return GraphQLSupport.GraphQLRequest(query: query, variables: values)
    }

    public func replayRequest(after offset: Int) -> GraphQLSupport.GraphQLRequest? {
        guard let replayQuery else { return nil }
        var values = variables
        values[Self.sinceVariable] = .int(offset)
        return GraphQLSupport.GraphQLRequest(query: replayQuery, variables: values)
    }
}

/// What a `subscribe` message asks for.
public enum PlannedOperation: Sendable {
    /// A subscription, followed on a channel.
    case live(LivePlan)
    /// A query or mutation: one result, then `complete` (the protocol allows both).
    case single(GraphQLSupport.GraphQLRequest)
}

/// A subscription the server will not follow: sent back as the operation's `error` message.
public struct PlanningRefusal: Error, Sendable {
    public let message: String
    public let code: String

    init(_ message: String, code: String = "GRAPHQL_VALIDATION_FAILED") {
        self.message = message
        self.code = code
    }
}
