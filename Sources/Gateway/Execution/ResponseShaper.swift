import GraphQL
import OrderedCollections
import Synchronization

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
    private var collected: [CollectedKey: CollectedFields] = [:]
    /// The same, kept with the plan across requests when nothing in the operation depends on a
    /// variable (no `@skip`/`@include` with one): then every request collects the same fields.
    private let shared: ShapeCache?

    /// A selection set by the address of its storage, which is the operation's own (or a merged
    /// set held by `collected` itself) and lives for the whole pass; merged sets built outside
    /// the cache are never cached (their storage is temporary and its address could be reused).
    /// The plan's `ShapeCache` holds the same keys: it lives no longer than the plan, which
    /// holds the operation's storage, and it holds the merged sets it keeps.
    struct CollectedKey: Hashable, @unchecked Sendable {
        // The address is only compared, never read through.
        let selections: UnsafeRawPointer?
        let runtimeType: String
    }

    /// The response keys of an object in order, with what completes each value.
    struct CollectedFields: Sendable {
        var keys: [String] = []
        var fields: [CollectedField] = []
    }

    struct CollectedField: Sendable {
        enum Kind { case typename, introspection, value }
        let kind: Kind
        let field: NormalizedField
        /// The field's selections, merged when the same response key was selected more than once.
        let selections: [NormalizedSelection]
        /// Whether `selections` were merged here (new storage, not the plan's): such sets are
        /// never shared across requests, whose merged copies live and die with them.
        let merged: Bool
    }

    init(
        supergraph: Supergraph, variables: [String: Map], errors: [GraphQLError], explained: [[IndexPathValue]], plan: QueryPlan? = nil
    ) {
        shared = plan.flatMap { $0.shapes.isShared(for: $0.operation) ? $0.shapes : nil }
        self.supergraph = supergraph
        self.variables = variables
        self.errors = errors
        self.explained = explained + errors.map(\.path.elements).filter { !$0.isEmpty }
    }

    mutating func shape(_ operation: NormalizedOperation, data: Map) -> Map {
        let root = data.dictionary ?? [:]
        return completeObject(operation.selections, stable: true, planOwned: true, runtimeType: operation.rootType, object: root) ?? .null
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

    private mutating func fields(of selections: [NormalizedSelection], stable: Bool, planOwned: Bool, runtimeType: String) -> CollectedFields {
        let shared = planOwned ? self.shared : nil
        let key = CollectedKey(selections: selections.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }, runtimeType: runtimeType)
        if stable {
            if let known = collected[key] { return known }
            if let known = shared?.entries.withLock({ $0[key] }) {
                collected[key] = known
                return known
            }
        }
        var groups: OrderedDictionary<String, [NormalizedField]> = [:]
        collect(selections, runtimeType: runtimeType, into: &groups)
        var result = CollectedFields()
        for (key, group) in groups {
            let field = group[0]
            let kind: CollectedField.Kind = field.name == "__typename" ? .typename : field.name.hasPrefix("__") ? .introspection : .value
            result.keys.append(key)
            result.fields.append(CollectedField(
                kind: kind, field: field, selections: group.count == 1 ? field.selections : group.flatMap(\.selections), merged: group.count > 1))
        }
        if stable {
            collected[key] = result
            shared?.entries.withLock { $0[key] = result }
        }
        return result
    }

    /// nil when a non-null field is null: the caller must become null instead. `stable`: the
    /// selections are the operation's own or held by `collected` (see `CollectedKey`);
    /// `planOwned`: they are the plan's own storage, so their fields may be shared with other
    /// requests (`ShapeCache`).
    private mutating func completeObject(
        _ selections: [NormalizedSelection], stable: Bool, planOwned: Bool, runtimeType: String, object: OrderedDictionary<String, Map>
    ) -> Map? {
        let collected = fields(of: selections, stable: stable, planOwned: planOwned, runtimeType: runtimeType)
        var values: [Map] = []
        values.reserveCapacity(collected.keys.count)
        for (key, entry) in zip(collected.keys, collected.fields) {
            switch entry.kind {
            case .typename:
                values.append(.string(runtimeType))
            case .introspection:
                // Already complete, from the gateway's own schema.
                values.append(object[key] ?? .null)
            case .value:
                path.append(.key(key))
                // Merged selections are held by the cache only when this object's were.
                let value = complete(
                    entry.field.type, entry.selections, stable: stable, planOwned: !entry.merged, object[key] ?? .null,
                    field: entry.field.name, on: runtimeType)
                path.removeLast()
                guard let value else { return nil }
                values.append(value)
            }
        }
        return .dictionary(OrderedDictionary(uncheckedUniqueKeys: collected.keys, values: values))
    }

    private mutating func complete(
        _ type: TypeReference, _ selections: [NormalizedSelection], stable: Bool, planOwned: Bool, _ value: Map, field: String,
        on parentType: String
    ) -> Map? {
        switch type {
        case .nonNull(let inner):
            guard let completed = complete(inner, selections, stable: stable, planOwned: planOwned, value, field: field, on: parentType),
                  !completed.isNull
            else {
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
                let completed = complete(inner, selections, stable: stable, planOwned: planOwned, item, field: field, on: parentType)
                path.removeLast()
                guard let completed else { return .null }
                result.append(completed)
            }
            return .array(result)
        case .named(let name):
            if value.isNull || value.isUndefined { return .null }
            guard let kind = supergraph.kind(of: name), kind.isComposite else { return value }
            guard case .dictionary(let object) = value else { return .null }
            let runtimeType = kind == .object ? name : (object["__typename"]?.string ?? name)
            return completeObject(selections, stable: stable, planOwned: planOwned, runtimeType: runtimeType, object: object) ?? .null
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

/// The fields the response shaper collected for an operation, kept with its plan
/// (`QueryPlan.shapes`) and shared by every request of an operation without variable conditions.
final class ShapeCache: Sendable {
    let entries = Mutex<[ResponseShaper.CollectedKey: ResponseShaper.CollectedFields]>([:])
    private let unconditional = Mutex<Bool?>(nil)

    /// Whether requests may share the collected fields: no selection of the operation has a
    /// `@skip`/`@include` condition on a variable. Found at first use.
    func isShared(for operation: NormalizedOperation) -> Bool {
        if let known = unconditional.withLock({ $0 }) { return known }
        let answer = !Self.hasConditions(operation.selections)
        unconditional.withLock { $0 = answer }
        return answer
    }

    private static func hasConditions(_ selections: [NormalizedSelection]) -> Bool {
        selections.contains { selection in
            switch selection {
            case .field(let field): !field.conditions.isEmpty || hasConditions(field.selections)
            case .fragment(let fragment): !fragment.conditions.isEmpty || hasConditions(fragment.selections)
            }
        }
    }
}
