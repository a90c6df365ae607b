import GraphQL
import GraphQLSupport
import Identity
import OrderedCollections

/// A subscription, planned: the channel to follow and the query that answers each of its
/// events (the subscriber's selection under the field that reads the changed entity). A class:
/// the subscribers of one query share one plan (``LiveHub/shared(_:)``) by reference.
public final class LivePlan: Sendable {
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
    /// The parts the query is made of, to ask for several entities in one request.
    let parts: Parts

    /// The query's parts: `query(<definitions>) { <key>: <root>$id) <selection> } <fragments>`.
    struct Parts: Sendable {
        /// The client's variable definitions the selection uses.
        let definitions: [String]
        /// `product(id: `: the query field up to its id variable.
        let root: String
        let selection: String
        let fragments: String
    }

    init(
        field: LiveField, channel: String, responseKey: String, variables: [String: Map], since: Int?, replayQuery: String?, parts: Parts
    ) {
        self.field = field
        self.channel = channel
        self.responseKey = responseKey
        self.query = LivePlanner.query(
            variables: parts.definitions + ["$\(Self.idVariable): ID!"], body: "\(responseKey): \(parts.root)$\(Self.idVariable)) \(parts.selection)",
            fragments: parts.fragments)
        self.variables = variables
        self.since = since
        self.replayQuery = replayQuery
        self.parts = parts
        var sortedVariables = OrderedDictionary<String, Map>()
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) { sortedVariables[name] = value }
        self.key = query + "\u{0}" + String(decoding: JSONMap.encode(.dictionary(sortedVariables)), as: UTF8.self)
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
