import EmporiumCore
import FanOut
import GraphQL
import GraphQLSupport
import Identity

/// Reads a `subscribe` message's document: a query or mutation runs once; a subscription must
/// have exactly one root field among ``LiveField/all``, whose arguments name its channel, and
/// is rewritten into the query that answers each of its events.
///
/// The rewritten query keeps the client's selection, fragments and variables as they are; the
/// gateway validates it like any query, so a wrong selection is refused at subscribe time with
/// the gateway's own message (``LiveHub`` probes it once per distinct query).
public struct LivePlanner: Sendable {
    let fields: [String: LiveField]
    /// Longest document accepted (the frame limit is the outer bound).
    public static let maximumQueryBytes = 32 * 1024

    public init(fields: [LiveField] = LiveField.all) {
        self.fields = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func plan(_ payload: ClientMessage.SubscribePayload, principal: Principal?) throws(PlanningRefusal) -> PlannedOperation {
        guard payload.query.utf8.count <= Self.maximumQueryBytes else {
            throw PlanningRefusal("the document is longer than \(Self.maximumQueryBytes) bytes", code: "BAD_REQUEST")
        }
        let document: Document
        do {
            document = try parse(source: payload.query, noLocation: true)
        } catch {
            throw PlanningRefusal("Syntax Error: \(String(describing: error).prefix(300))", code: "GRAPHQL_PARSE_FAILED")
        }
        let operations = document.definitions.compactMap { $0 as? OperationDefinition }
        let operation: OperationDefinition
        if let name = payload.operationName {
            guard let found = operations.first(where: { $0.name?.value == name }) else { throw PlanningRefusal("Unknown operation named \"\(name.prefix(64))\".") }
            operation = found
        } else {
            guard operations.count == 1, let only = operations.first else {
                throw PlanningRefusal("Must provide operation name if query contains multiple operations.")
            }
            operation = only
        }
        guard operation.operation == .subscription else {
            return .single(GraphQLSupport.GraphQLRequest(query: payload.query, operationName: payload.operationName, variables: payload.variables))
        }
        guard operation.selectionSet.selections.count == 1, let root = operation.selectionSet.selections.first as? Field else {
            throw PlanningRefusal("A subscription must select exactly one top level field (no fragments at the top).")
        }
        guard root.directives.isEmpty else { throw PlanningRefusal("A subscription's root field takes no directives.") }
        guard let field = fields[root.name.value] else {
            let known = fields.keys.sorted().joined(separator: ", ")
            throw PlanningRefusal("Cannot subscribe to \"\(root.name.value.prefix(64))\"; the subscriptions are \(known).")
        }
        guard let selection = root.selectionSet else { throw PlanningRefusal("\"\(field.name)\" needs a selection of subfields.") }
        let declared = Set(operation.variableDefinitions.map(\.variable.name.value))
        for reserved in [LivePlan.idVariable, LivePlan.sinceVariable] where declared.contains(reserved) {
            throw PlanningRefusal("the variable name $\(reserved) is reserved by the server")
        }

        var arguments: [String: Map] = [:]
        for argument in root.arguments {
            arguments[argument.name.value] = try Self.value(argument.value, variables: payload.variables)
        }
        let allowed: Set<String> = switch field.source {
        case .caller: field.replayField == nil ? [] : ["since"]
        case .argument(let name, _): [name]
        }
        if let unknown = arguments.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw PlanningRefusal("Unknown argument \"\(unknown.prefix(64))\" on field \"Subscription.\(field.name)\".")
        }

        let channel: String
        switch field.source {
        case .caller:
            guard let principal else {
                throw PlanningRefusal("\(field.name) needs a signed-in connection (a token in connection_init)", code: "UNAUTHENTICATED")
            }
            channel = FanOutChannel.user(principal.userID.rawValue)
        case .argument(let name, let channelOf):
            guard let text = arguments[name]?.string, let uuid = UUIDText.parse(text) else {
                throw PlanningRefusal("\(field.name)(\(name):) needs an id such as 7f1c4c2e-3b6a-4c59-9a58-2d1f0a7e6b11", code: "BAD_USER_INPUT")
            }
            if field.ownersOnly, principal == nil {
                throw PlanningRefusal("\(field.name) needs a signed-in connection (a token in connection_init)", code: "UNAUTHENTICATED")
            }
            channel = channelOf(UUIDText.lowercase(uuid))
        }
        var since: Int?
        if let value = arguments["since"], !value.isNull {
            guard let offset = value.int, offset >= 0 else { throw PlanningRefusal("since must be an Int of 0 or more", code: "BAD_USER_INPUT") }
            since = offset
        }

        // The rest of the document, printed once: the selection, every fragment, and the
        // client's variables that the selection or fragments use.
        let fragments = document.definitions.compactMap { $0 as? FragmentDefinition }.map { print(ast: $0) }.joined(separator: "\n")
        let selectionText = print(ast: selection)
        let used = Self.variableNames(in: selectionText + "\n" + fragments)
        let keptDefinitions = operation.variableDefinitions.filter { used.contains($0.variable.name.value) }.map { print(ast: $0) }
        let variables = payload.variables.filter { used.contains($0.key) }
        let responseKey = root.alias?.value ?? root.name.value

        let replayQuery = field.replayField.map { replay in
            Self.query(
                variables: keptDefinitions + ["$\(LivePlan.sinceVariable): Int!"],
                body: "\(responseKey): \(replay)(since: $\(LivePlan.sinceVariable), first: \(LivePlan.replayPage)) { \(LivePlan.offsetAlias): offset \(selectionText.dropFirst())",
                fragments: fragments)
        }
        let parts = LivePlan.Parts(
            definitions: keptDefinitions, root: "\(field.queryField)(\(field.queryArgument): ", selection: selectionText, fragments: fragments)
        return .live(LivePlan(
            field: field, channel: channel, responseKey: responseKey, variables: variables, since: since, replayQuery: replayQuery, parts: parts))
    }

    static func query(variables: [String], body: String, fragments: String) -> String {
        "query Live(\(variables.joined(separator: ", "))) { \(body) }" + (fragments.isEmpty ? "" : "\n" + fragments)
    }

    /// A root argument's value: a literal, or a variable of the request.
    static func value(_ node: any Value, variables: [String: Map]) throws(PlanningRefusal) -> Map {
        switch node {
        case let variable as Variable: return variables[variable.name.value] ?? .null
        case let string as StringValue: return .string(string.value)
        case let int as IntValue:
            guard let value = Int(int.value), value >= Int(Int32.min), value <= Int(Int32.max) else {
                throw PlanningRefusal("Int cannot represent \(int.value.prefix(40))", code: "BAD_USER_INPUT")
            }
            return .int(value)
        case is NullValue: return .null
        default: throw PlanningRefusal("a subscription's root arguments are ids and integers", code: "BAD_USER_INPUT")
        }
    }

    /// `$name`s in printed GraphQL (a `$` inside a string literal counts too, which at worst
    /// keeps a declaration the gateway then reports as unused).
    static func variableNames(in text: String) -> Set<String> {
        var names = Set<String>()
        var scalars = text.unicodeScalars[...]
        while let dollar = scalars.firstIndex(of: "$") {
            scalars = scalars[scalars.index(after: dollar)...]
            let name = scalars.prefix { $0 == "_" || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
            if !name.isEmpty { names.insert(String(String.UnicodeScalarView(name))) }
            scalars = scalars.dropFirst(name.count)
        }
        return names
    }
}
