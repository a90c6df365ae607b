import GraphQL
import OrderedCollections
import Synchronization

/// Documents that parsed and passed validation, by query text: repeated operations skip both.
/// Least recently used ones go first.
final class ValidatedDocuments: Sendable {
    private let capacity: Int
    private let entries = Mutex(OrderedDictionary<String, Document>())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func document(for query: String) -> Document? {
        entries.withLock { entries in
            guard let document = entries.removeValue(forKey: query) else { return nil }
            entries[query] = document
            return document
        }
    }

    func store(_ document: Document, for query: String) {
        entries.withLock { entries in
            entries[query] = document
            if entries.count > capacity { entries.removeFirst() }
        }
    }
}
