import GraphQL
import OrderedCollections

/// In-place edits of response trees. Each step takes the child out of its container before
/// editing it, so copy-on-write never copies a subtree that is being changed.
extension Map {
    /// Merges `source` into `self`: objects field by field, lists of equal length item by item.
    /// A null never overwrites data another subgraph already delivered.
    mutating func merge(_ source: Map) {
        switch source {
        case .dictionary(let incoming):
            // Bind, then release `self`, so the container is uniquely referenced while it changes.
            guard case .dictionary(var target) = self else {
                self = source
                return
            }
            self = .null
            for (key, value) in incoming {
                if var existing = target[key] {
                    target[key] = .null
                    existing.merge(value)
                    target[key] = existing
                } else {
                    target[key] = value
                }
            }
            self = .dictionary(target)
        case .array(let incoming):
            guard case .array(var target) = self, target.count == incoming.count else {
                self = source
                return
            }
            self = .null
            for index in target.indices { target[index].merge(incoming[index]) }
            self = .array(target)
        case .null, .undefined:
            if isUndefined { self = .null }
        default:
            self = source
        }
    }

    /// Runs `body` on the value at a concrete path (keys and indexes), if it exists.
    mutating func update(at path: ArraySlice<IndexPathValue>, _ body: (inout Map) -> Void) {
        guard let step = path.first else {
            body(&self)
            return
        }
        switch step {
        case .key(let key):
            guard case .dictionary(var object) = self, var child = object[key] else { return }
            self = .null
            object[key] = .null
            child.update(at: path.dropFirst(), body)
            object[key] = child
            self = .dictionary(object)
        case .index(let index):
            guard case .array(var items) = self, items.indices.contains(index) else { return }
            self = .null
            items[index].update(at: path.dropFirst(), body)
            self = .array(items)
        }
    }

    /// Every object at a plan path (`@` steps into list items), with its concrete path.
    func objects(at path: ArraySlice<String>, prefix: [IndexPathValue] = []) -> [(path: [IndexPathValue], object: OrderedDictionary<String, Map>)] {
        guard let step = path.first else {
            switch self {
            case .dictionary(let object): return [(prefix, object)]
            case .array(let items):
                // A list at the end of the path: its items are the objects.
                return items.enumerated().flatMap { $0.element.objects(at: path, prefix: prefix + [.index($0.offset)]) }
            default: return []
            }
        }
        switch self {
        case .array(let items) where step == "@":
            return items.enumerated().flatMap { $0.element.objects(at: path.dropFirst(), prefix: prefix + [.index($0.offset)]) }
        case .dictionary(let object):
            guard let child = object[step] else { return [] }
            return child.objects(at: path.dropFirst(), prefix: prefix + [.key(step)])
        default:
            return []
        }
    }
}
