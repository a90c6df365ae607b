import GraphQL
import OrderedCollections
import Synchronization

/// The response being assembled for one request. Parallel fetches merge into it as they finish;
/// a lock (never held across an `await`) keeps each merge whole.
final class ResponseStore: Sendable {
    private struct State {
        var data: Map = .dictionary([:])
        var errors: [GraphQLError] = []
        /// Paths an error already explains, though the error itself carries no path (a failed
        /// fetch): nulls under them need no further error.
        var explained: [[IndexPathValue]] = []
    }

    private let state = Mutex(State())

    var snapshot: (data: Map, errors: [GraphQLError], explained: [[IndexPathValue]]) {
        state.withLock { ($0.data, $0.errors, $0.explained) }
    }

    func mergeRoot(_ data: Map) {
        state.withLock { $0.data.merge(data) }
    }

    func append(_ errors: [GraphQLError], explaining paths: [[IndexPathValue]] = []) {
        state.withLock {
            $0.errors.append(contentsOf: errors)
            $0.explained.append(contentsOf: paths)
        }
    }

    /// The representations for an entity fetch, from the objects at `path` whose `__typename`
    /// the fetch handles and whose key fields are all present.
    func representations(
        at path: [String], requires: OrderedDictionary<String, [RepresentationField]>, typenames: [String: String] = [:]
    ) -> [(path: [IndexPathValue], representation: Map)] {
        let objects = state.withLock { $0.data.objects(at: path[...]) }
        return objects.compactMap { entry in
            guard let typename = entry.object["__typename"]?.string, let fields = requires[typename] else { return nil }
            var representation: OrderedDictionary<String, Map> = ["__typename": .string(typenames[typename] ?? typename)]
            for field in fields where field.name != "__typename" {
                guard let value = entry.object[field.responseKey], !value.isUndefined else { return nil }
                representation[field.name] = Self.project(value, field.children)
            }
            return (entry.path, .dictionary(representation))
        }
    }

    private static func project(_ value: Map, _ children: [RepresentationField]) -> Map {
        guard !children.isEmpty else { return value }
        switch value {
        case .dictionary(let object):
            var result: OrderedDictionary<String, Map> = [:]
            for child in children { result[child.name] = project(object[child.responseKey] ?? .null, child.children) }
            return .dictionary(result)
        case .array(let items):
            return .array(items.map { project($0, children) })
        default:
            return value
        }
    }

    /// Merges `_entities` results into the objects the representations came from.
    func mergeEntities(_ entities: [Map], at paths: [[IndexPathValue]]) {
        state.withLock { state in
            for (entity, path) in zip(entities, paths) where entity.isDictionary {
                state.data.update(at: path[...]) { $0.merge(entity) }
            }
        }
    }
}
