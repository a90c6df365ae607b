import GraphQL
import GraphQLExecution
import OrderedCollections

/// Decides whether our engine's response to one operation is the one GraphQLSwift gave, allowing
/// exactly the differences listed in ``DifferentialConformanceTests`` and nothing else.
///
/// `data` is compared as JSON text, key order included. Errors are compared as multisets of
/// (message, path, locations): the spec does not order them (§7.1.2 Errors). An error whose response
/// position is in the data ("located": the field itself answered null) must be on both sides,
/// identical. An error inside a subtree a non-null error nulled ("shadowed") is compared more
/// loosely, because GraphQLSwift reports those racily: see allowed differences 4 and 5.
struct ResponseComparator {
    /// What happened to an operation that both sides answered alike.
    enum Agreement: String, CaseIterable, Sendable {
        case data = "data, no errors"
        case dataWithErrors = "data with field errors"
        case nullData = "data null (a non-null error reached the root)"
        case requestError = "request error"
        case nullListItem = "null list item (GraphQLSwift cannot answer it)"
    }

    enum Verdict: Sendable {
        case agree(Agreement)
        case differ([String])
    }

    func compare(reference: GraphQLResult, engine: ExecutionResult) -> Verdict {
        let verdict = compareValues(reference: reference, engine: engine)
        // What clients get is our JSON writer's output, not the `Map` compared above: the two
        // must say the same, byte for byte.
        let written = String(decoding: engine.json, as: UTF8.self)
        let expected = CanonicalJSON.response(data: engine.data, errors: engine.errors)
        guard written == expected else {
            let problem = "our JSON bytes are not our data and errors: \(written)"
            if case .differ(let problems) = verdict { return .differ(problems + [problem]) }
            return .differ([problem])
        }
        return verdict
    }

    private func compareValues(reference: GraphQLResult, engine: ExecutionResult) -> Verdict {
        // Allowed difference 1: GraphQLSwift 4.3 fails the whole response on a null list item.
        if reference.data == nil, reference.errors.count == 1, reference.errors[0].message.contains("MapError") {
            guard let data = engine.data, Self.containsNullListItem(data) else {
                return .differ(["GraphQLSwift failed to serialize (a null list item), but our data has no null list item"])
            }
            return .agree(.nullListItem)
        }

        // Allowed difference 2: request errors are compared by kind, not wording.
        let referenceRefused = reference.data == nil && reference.errors.contains(where: Self.isRequestError)
        if referenceRefused || engine.isRequestError {
            return compareRequestErrors(reference: reference, engine: engine)
        }

        var problems: [String] = []
        // Allowed difference 3: GraphQLSwift leaves `data` out when a null reached the root.
        let referenceData = reference.data ?? .null
        guard let engineData = engine.data else {
            return .differ(["our response has no data although the operation executed"])
        }
        if CanonicalJSON.encode(referenceData) != CanonicalJSON.encode(engineData) {
            problems.append("data differs")
        }
        problems += compareErrors(reference: reference.errors, referenceData, engine: engine.errors, engineData)
        if !problems.isEmpty { return .differ(problems) }
        if case .null = engineData { return .agree(.nullData) }
        return .agree(engine.errors.isEmpty ? .data : .dataWithErrors)
    }

    private func compareErrors(reference: [GraphQLError], _ referenceData: Map, engine: [GraphQLError], _ engineData: Map) -> [String] {
        var problems: [String] = []
        // Allowed difference 12: GraphQLSwift repeats the locations of fields in a fragment it
        // collected twice; the first occurrences are the spec's.
        let referenceErrors = reference.map { ErrorPlace($0, in: referenceData, deduplicatingLocations: true) }
        var engineErrors = engine.map { ErrorPlace($0, in: engineData) }
        for error in engineErrors where error.place == .dangling || error.place == .pathless {
            problems.append("our error \(error.key) has no valid path in our data")
        }
        for error in referenceErrors where error.place == .dangling {
            problems.append("GraphQLSwift's error \(error.key) has no valid path in its data")
        }

        // Allowed difference 4: the errors GraphQLSwift's executor raises itself ("Cannot return
        // null for non-nullable field", a leaf value its type cannot serialize) come without path
        // and locations. Each must be one of ours, same message; that one is then set aside.
        let pathless = referenceErrors.filter { $0.place == .pathless }
        for error in pathless {
            if let match = engineErrors.firstIndex(where: { $0.error.message == error.error.message }) {
                engineErrors.remove(at: match)
            } else {
                problems.append("GraphQLSwift reports \(error.key) (without a path); we do not")
            }
        }

        // Located errors: the same on both sides.
        let referenceLocated = Self.multiset(referenceErrors.filter { $0.place == .located }.map(\.key))
        let engineLocated = Self.multiset(engineErrors.filter { $0.place == .located }.map(\.key))
        if referenceLocated != engineLocated {
            problems.append(
                "located errors differ: only GraphQLSwift \(Self.subtracting(engineLocated, from: referenceLocated)), only ours \(Self.subtracting(referenceLocated, from: engineLocated))")
        }

        // Allowed difference 5: errors inside nulled subtrees. Every one GraphQLSwift reports, we
        // report; we may report more, but only under positions that were nulled for an error
        // GraphQLSwift also has.
        let referenceShadowed = referenceErrors.filter { $0.anchor != nil }
        let engineShadowed = engineErrors.filter { $0.anchor != nil }
        let missing = Self.subtracting(Self.multiset(engineShadowed.map(\.key)), from: Self.multiset(referenceShadowed.map(\.key)))
        if !missing.isEmpty {
            problems.append("errors in nulled subtrees that GraphQLSwift reports and we do not: \(missing)")
        }
        let unexplained = Set(engineShadowed.compactMap(\.anchor)).subtracting(referenceShadowed.compactMap(\.anchor))
        if unexplained.count > pathless.count {
            problems.append("we null \(unexplained.sorted()) for errors GraphQLSwift does not have")
        }
        return problems
    }

    /// Both refused the request before executing it; ours names the variable GraphQLSwift named.
    private func compareRequestErrors(reference: GraphQLResult, engine: ExecutionResult) -> Verdict {
        let referenceRefused = reference.data == nil && reference.errors.contains(where: Self.isRequestError)
        guard referenceRefused, engine.isRequestError, !engine.hasData, !engine.errors.isEmpty else {
            return .differ([
                referenceRefused ? "GraphQLSwift refused the request, we did not" : "we refused the request, GraphQLSwift did not",
            ])
        }
        if let variable = reference.errors.first.flatMap({ Self.variableName(in: $0.message) }),
           !engine.errors.contains(where: { $0.message.contains("$\(variable)") }) {
            return .differ(["GraphQLSwift refused variable $\(variable); our request errors do not name it"])
        }
        return .agree(.requestError)
    }

    // MARK: Classifying errors

    /// Where an error's path leads in the data it came with.
    struct ErrorPlace {
        enum Place: Equatable {
            /// The path's position holds null: the field itself failed there.
            case located
            /// A position on the path (the anchor) is null: a non-null error nulled the subtree.
            case shadowed(anchor: String)
            case pathless
            /// The path does not lead anywhere in the data.
            case dangling
        }

        let error: GraphQLError
        let key: String
        let place: Place

        var anchor: String? {
            if case .shadowed(let anchor) = place { return anchor }
            return nil
        }

        init(_ error: GraphQLError, in data: Map, deduplicatingLocations: Bool = false) {
            self.error = error
            key = ResponseComparator.key(of: error, deduplicatingLocations: deduplicatingLocations)
            place = Self.place(of: error.path.elements, in: data)
        }

        private static func place(of path: [IndexPathValue], in data: Map) -> Place {
            guard !path.isEmpty else { return .pathless }
            var current = data
            for (depth, element) in path.enumerated() {
                if case .null = current { return .shadowed(anchor: ResponseComparator.pathText(path[..<depth])) }
                switch (element, current) {
                case (.key(let key), .dictionary(let members)):
                    guard let member = members[key] else { return .dangling }
                    current = member
                case (.index(let index), .array(let items)):
                    guard items.indices.contains(index) else { return .dangling }
                    current = items[index]
                default:
                    return .dangling
                }
            }
            if case .null = current { return .located }
            return .dangling
        }
    }

    static func key(of error: GraphQLError, deduplicatingLocations: Bool = false) -> String {
        var locations = error.locations.map { "\($0.line):\($0.column)" }
        if deduplicatingLocations {
            var seen = Set<String>()
            locations = locations.filter { seen.insert($0).inserted }
        }
        let locationsText = locations.joined(separator: ",")
        return "\(error.message) @ \(pathText(error.path.elements[...])) [\(locationsText)]"
    }

    static func pathText(_ path: ArraySlice<IndexPathValue>) -> String {
        "/" + path.map { element in
            switch element {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }.joined(separator: "/")
    }

    /// Request errors GraphQLSwift raises before executing (§6.1 GetOperation, §6.1.2
    /// CoerceVariableValues).
    static func isRequestError(_ error: GraphQLError) -> Bool {
        error.message.hasPrefix("Variable \"$") || error.message.hasPrefix("Must provide operation name")
            || error.message.hasPrefix("Unknown operation named") || error.message.hasPrefix("Must provide an operation")
    }

    static func variableName(in message: String) -> String? {
        guard message.hasPrefix("Variable \"$") else { return nil }
        return String(message.dropFirst("Variable \"$".count).prefix { $0 != "\"" })
    }

    static func containsNullListItem(_ map: Map) -> Bool {
        switch map {
        case .array(let items): items.contains { if case .null = $0 { true } else { containsNullListItem($0) } }
        case .dictionary(let members): members.values.contains(where: containsNullListItem)
        default: false
        }
    }

    static func multiset(_ keys: [String]) -> [String: Int] {
        keys.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// What is in `keys` beyond `other`, sorted.
    static func subtracting(_ other: [String: Int], from keys: [String: Int]) -> [String] {
        keys.flatMap { key, count in Array(repeating: key, count: max(0, count - (other[key] ?? 0))) }.sorted()
    }
}
