import GraphQL
import Synchronization

/// Parsed and validated documents by query text, so that repeated operations skip both steps.
///
/// Two generations: lookups promote from the old to the new one; when the new one is full it
/// becomes the old one. Bounded at twice `capacity`, O(1), and close to LRU in effect.
final class DocumentCache: Sendable {
    /// Safe to share: GraphQLSwift's AST is made of classes that are not marked `Sendable`, but
    /// a document is never mutated after parsing and validation, and is only read afterwards.
    struct Entry: @unchecked Sendable {
        let document: Document
    }

    private struct Generations {
        var current: [String: Entry] = [:]
        var previous: [String: Entry] = [:]
    }

    private let capacity: Int
    private let state = Mutex(Generations())

    init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    func document(for query: String) -> Document? {
        state.withLock { state in
            if let entry = state.current[query] { return entry.document }
            guard let entry = state.previous.removeValue(forKey: query) else { return nil }
            insert(entry, for: query, into: &state)
            return entry.document
        }
    }

    func store(_ document: Document, for query: String) {
        state.withLock { insert(Entry(document: document), for: query, into: &$0) }
    }

    private func insert(_ entry: Entry, for query: String, into state: inout Generations) {
        if state.current.count >= capacity {
            state.previous = state.current
            state.current = [:]
        }
        state.current[query] = entry
    }
}
