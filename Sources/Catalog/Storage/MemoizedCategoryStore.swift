import EmporiumCore
import Synchronization

/// A ``CategoryStore`` that remembers categories it has read by id, in this process.
///
/// Safe without any invalidation because a category never changes once created (there is no
/// update or delete), and only found categories are remembered: an id read before its category
/// was created is asked again next time. Every product read names its category, so this takes
/// a database round trip off most catalog reads. Tree queries (children, subtrees, all) change
/// when a category is added and always go to the store.
public final class MemoizedCategoryStore: CategoryStore {
    let inner: any CategoryStore
    let maximumEntries: Int
    private let known = Mutex([CategoryID: Category]())

    public init(inner: any CategoryStore, maximumEntries: Int = 100_000) {
        self.inner = inner
        self.maximumEntries = maximumEntries
    }

    public func categories(ids: [CategoryID]) async throws -> [CategoryID: Category] {
        var found: [CategoryID: Category] = [:]
        let missing = known.withLock { known in
            ids.filter { id in
                guard let category = known[id] else { return true }
                found[id] = category
                return false
            }
        }
        guard !missing.isEmpty else { return found }
        let loaded = try await inner.categories(ids: missing)
        known.withLock { known in
            // A catalog far beyond any real category tree: start over rather than grow.
            if known.count + loaded.count > maximumEntries { known.removeAll() }
            known.merge(loaded) { _, new in new }
        }
        return found.merging(loaded) { _, new in new }
    }

    public func create(_ category: Category) async throws -> Category { try await inner.create(category) }
    public func all() async throws -> [Category] { try await inner.all() }
    public func subtree(of id: CategoryID) async throws -> [CategoryID] { try await inner.subtree(of: id) }
    public func children(of ids: [CategoryID]) async throws -> [CategoryID: [Category]] { try await inner.children(of: ids) }
}
