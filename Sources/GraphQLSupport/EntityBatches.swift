import Graphiti
import GraphQL
import OrderedCollections
import Synchronization

/// Resolves federation's `_entities` a whole type at a time, replacing Graphiti's resolver.
///
/// Graphiti decodes the representations through `Codable` (`Map` from `Map`, which tries each
/// JSON type in turn and builds a `DecodingError` for every miss) and resolves each one in its own
/// task: for 20 products a third of inventory's CPU went there. Here each type's resolver gets its
/// representations as they came (`Map` objects with `__typename` and the key fields) and answers
/// them in order, with `nil` for one it does not resolve; batch loading is its business (a
/// DataLoader's `loadMany`).
public struct EntityBatches<Context: Sendable>: Sendable {
    public typealias Resolve = @Sendable (_ representations: [Map], _ context: Context) async throws -> [(any Sendable)?]

    let resolvers: [String: Resolve]

    /// `resolvers` by `__typename`: every type with `@key` in the schema.
    public init(_ resolvers: [String: Resolve]) {
        self.resolvers = resolvers
    }

    /// Installs the batch resolver as the schema's `_entities` field. Call once, before the schema
    /// executes anything (GraphQLSwift allows changing fields during setup only).
    public func install<Resolver>(in schema: Schema<Resolver, Context>) throws {
        guard let query = schema.schema.queryType else { return }
        let fields = try query.fields()
        guard let entities = fields["_entities"] else {
            throw GraphQLError(message: "the schema has no _entities field: it declares no federated entity")
        }
        let resolvers = self.resolvers
        entities.resolve = { _, arguments, context, info in
            guard let context = context as? Context else {
                throw GraphQLError(message: "_entities: unexpected context type \(type(of: context))")
            }
            let results = try await Self.resolve(arguments["representations"].array ?? [], context: context, resolvers: resolvers)
            let unresolved = results.indices.filter { results[$0] == nil }
            guard !unresolved.isEmpty else { return results }
            guard let nulls = UnresolvedEntities.current, case .key(let responseKey)? = info.path.elements.last else {
                throw GraphQLError(message: "_entities: cannot answer null entities outside SchemaEndpoint")
            }
            nulls.record(unresolved, at: responseKey)
            return results.filter { $0 != nil }
        }
        // Setting the fields again drops GraphQLSwift's cached field definitions, which hold the
        // resolver they were built with.
        query.fields = { fields }
    }

    static func resolve(_ representations: [Map], context: Context, resolvers: [String: Resolve]) async throws -> [(any Sendable)?] {
        var positions: [String: [Int]] = [:]
        for (index, representation) in representations.enumerated() {
            guard let typename = representation["__typename"].string else {
                throw GraphQLError(message: "representation \(index) has no __typename")
            }
            guard resolvers[typename] != nil else {
                throw GraphQLError(message: "Federated type not found: \(typename)")
            }
            positions[typename, default: []].append(index)
        }
        var results = [(any Sendable)?](repeating: nil, count: representations.count)
        for (typename, indexes) in positions {
            let answers = try await resolvers[typename]!(indexes.map { representations[$0] }, context)
            for (index, answer) in zip(indexes, answers) { results[index] = answer }
        }
        return results
    }
}

/// Where `_entities` answered null, to be put back after execution.
///
/// GraphQLSwift 4.3 cannot produce a null item in a list: list completion keeps it as a nested
/// optional that its final conversion to `Map` rejects (`MapError.incompatibleType`), failing the
/// whole response. Federation needs exactly that (an entity that does not resolve is null, in its
/// position), so the resolver answers only the resolved entities and records the others here;
/// `SchemaEndpoint` inserts the nulls into the finished data.
final class UnresolvedEntities: Sendable {
    @TaskLocal static var current: UnresolvedEntities?

    private let positions = Mutex([String: [Int]]())

    func record(_ indexes: [Int], at responseKey: String) {
        positions.withLock { $0[responseKey, default: []].append(contentsOf: indexes) }
    }

    /// `data` with a null at every recorded position (ascending, so each lands where it belongs).
    func restore(in data: Map?) -> Map? {
        let positions = self.positions.withLock { $0 }
        guard !positions.isEmpty, case .dictionary(var object)? = data else { return data }
        for (key, indexes) in positions {
            guard case .array(var items)? = object[key] else { continue }
            for index in indexes.sorted() where index <= items.count { items.insert(.null, at: index) }
            object[key] = .array(items)
        }
        return .dictionary(object)
    }
}
