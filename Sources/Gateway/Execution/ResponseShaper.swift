import GraphQL
import OrderedCollections

/// Builds the client's response from the merged subgraph data, walking the client operation:
/// only what the client asked for, under its aliases, in its order; fragments applied by
/// runtime type; `@skip`/`@include` applied with the request's variables; and nulls propagated
/// as the spec says — a null in a non-null field makes its parent null, up to the nearest
/// nullable field (or `data` itself).
struct ResponseShaper {
    let supergraph: Supergraph
    let variables: [String: Map]
    private(set) var errors: [GraphQLError]
    private var explained: [[IndexPathValue]]
    /// The response path of the value being completed; kept as a stack so that only errors
    /// pay for copying it.
    private var path: [IndexPathValue] = []
    /// The fields of a selection set for a runtime type, collected once per response: every
    /// object of a list (each of a page's products) would otherwise collect the same ones again.
    private var collected: [CollectedKey: OrderedDictionary<String, [NormalizedField]>] = [:]

    /// A selection set by the address of its storage, which is the operation's own and lives
    /// for the whole pass; merged sets built during the pass are never cached (their storage
    /// is temporary and its address could be reused).
    private struct CollectedKey: Hashable {
        let selections: UnsafeRawPointer?
        let runtimeType: String
    }

    init(supergraph: Supergraph, variables: [String: Map], errors: [GraphQLError], explained: [[IndexPathValue]]) {
        self.supergraph = supergraph
        self.variables = variables
        self.errors = errors
        self.explained = explained + errors.map(\.path.elements).filter { !$0.isEmpty }
    }

    mutating func shape(_ operation: NormalizedOperation, data: Map) -> Map {
        let root = data.dictionary ?? [:]
        return completeObject(operation.selections, stable: true, runtimeType: operation.rootType, object: root) ?? .null
    }

    /// The fields that apply to an object of `runtimeType`, merged by response key.
    private func collect(_ selections: [NormalizedSelection], runtimeType: String, into fields: inout OrderedDictionary<String, [NormalizedField]>) {
        for selection in selections {
            switch selection {
            case .field(let field):
                guard field.conditions.pass(variables) else { continue }
                fields[field.responseKey, default: []].append(field)
            case .fragment(let fragment):
                guard fragment.conditions.pass(variables), supergraph.objectType(runtimeType, satisfies: fragment.typeCondition) else { continue }
                collect(fragment.selections, runtimeType: runtimeType, into: &fields)
            }
        }
    }

    private mutating func fields(of selections: [NormalizedSelection], stable: Bool, runtimeType: String) -> OrderedDictionary<String, [NormalizedField]> {
        guard stable else {
            var fields: OrderedDictionary<String, [NormalizedField]> = [:]
            collect(selections, runtimeType: runtimeType, into: &fields)
            return fields
        }
        let key = CollectedKey(selections: selections.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }, runtimeType: runtimeType)
        if let known = collected[key] { return known }
        var fields: OrderedDictionary<String, [NormalizedField]> = [:]
        collect(selections, runtimeType: runtimeType, into: &fields)
        collected[key] = fields
        return fields
    }

    /// nil when a non-null field is null: the caller must become null instead. `stable`: the
    /// selections are the operation's own (see `CollectedKey`).
    private mutating func completeObject(
        _ selections: [NormalizedSelection], stable: Bool, runtimeType: String, object: OrderedDictionary<String, Map>
    ) -> Map? {
        let fields = fields(of: selections, stable: stable, runtimeType: runtimeType)
        var result: OrderedDictionary<String, Map> = [:]
        for (key, group) in fields {
            let field = group[0]
            if field.name == "__typename" {
                result[key] = .string(runtimeType)
                continue
            }
            if field.name.hasPrefix("__") {
                // Introspection, already complete from the gateway's own schema.
                result[key] = object[key] ?? .null
                continue
            }
            let stable = group.count == 1
            let selections = stable ? field.selections : group.flatMap(\.selections)
            path.append(.key(key))
            let value = complete(field.type, selections, stable: stable, object[key] ?? .null, field: field.name, on: runtimeType)
            path.removeLast()
            guard let value else { return nil }
            result[key] = value
        }
        return .dictionary(result)
    }

    private mutating func complete(
        _ type: TypeReference, _ selections: [NormalizedSelection], stable: Bool, _ value: Map, field: String, on parentType: String
    ) -> Map? {
        switch type {
        case .nonNull(let inner):
            guard let completed = complete(inner, selections, stable: stable, value, field: field, on: parentType), !completed.isNull else {
                reportNull(coordinate: "\(parentType).\(field)")
                return nil
            }
            return completed
        case .list(let inner):
            guard case .array(let items) = value else { return .null }
            var result: [Map] = []
            result.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                path.append(.index(index))
                let completed = complete(inner, selections, stable: stable, item, field: field, on: parentType)
                path.removeLast()
                guard let completed else { return .null }
                result.append(completed)
            }
            return .array(result)
        case .named(let name):
            if value.isNull || value.isUndefined { return .null }
            guard let named = supergraph.type(named: name), named.kind.isComposite else { return value }
            guard case .dictionary(let object) = value else { return .null }
            let runtimeType = named.kind == .object ? name : (object["__typename"]?.string ?? name)
            return completeObject(selections, stable: stable, runtimeType: runtimeType, object: object) ?? .null
        }
    }

    /// A non-null field is null. If no error explains it (at, above or below the path), say so;
    /// otherwise the client already has the reason.
    private mutating func reportNull(coordinate: String) {
        let isExplained = explained.contains { other in
            let shorter = min(other.count, path.count)
            return other.prefix(shorter).elementsEqual(path.prefix(shorter))
        }
        guard !isExplained else { return }
        explained.append(path)
        errors.append(GraphQLError(
            message: "Cannot return null for non-nullable field \(coordinate).",
            locations: [], path: IndexPath(path.map { $0 as any IndexPathElement }), extensions: ["code": .string("INTERNAL_SERVER_ERROR")]
        ))
    }
}
