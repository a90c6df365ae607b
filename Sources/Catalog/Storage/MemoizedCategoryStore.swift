import EmporiumCore
import Synchronization

/// A ``CategoryStore`` that remembers categories it has read by id, in this process.
///
/// Safe without any invalidation because a category never changes once created (there is no
/// update or delete), and only found categories are remembered: an id read before its category
/// was created is asked again next time. Every product read names its category, so this takes
/// a database round trip off most catalog reads.
///
/// The whole tree (`all`, and subtrees computed from it) changes when a category is added, so it
/// is kept for `treeMaxAge` only, and dropped at once when this process adds one: every
/// type-ahead call reads it and every category-filtered search takes a subtree, and a round trip
/// each cost more than the rest of a suggestion (docs/BENCHMARKS.md, #21). A subtree of a
/// category the kept tree does not have yet is asked of the store. `children` always is.
public final class MemoizedCategoryStore: CategoryStore {
    let inner: any CategoryStore
    let maximumEntries: Int
    let treeMaxAge: Duration
    private let known = Mutex([CategoryID: Category]())
    private let tree = Mutex<(categories: [Category], readAt: ContinuousClock.Instant)?>(nil)

    public init(inner: any CategoryStore, maximumEntries: Int = 100_000, treeMaxAge: Duration = .seconds(5)) {
        self.inner = inner
        self.maximumEntries = maximumEntries
        self.treeMaxAge = treeMaxAge
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

    public func create(_ category: Category) async throws -> Category {
        defer { tree.withLock { $0 = nil } }
        return try await inner.create(category)
    }

    public func all() async throws -> [Category] {
        let now = ContinuousClock.now
        if let kept = tree.withLock({ $0 }), kept.readAt.duration(to: now) < treeMaxAge { return kept.categories }
        let categories = try await inner.all()
        tree.withLock { $0 = (categories, now) }
        return categories
    }

    public func subtree(of id: CategoryID) async throws -> [CategoryID] {
        let categories = try await all()
        guard categories.contains(where: { $0.id == id }) else { return try await inner.subtree(of: id) }
        var children: [CategoryID: [CategoryID]] = [:]
        for category in categories { if let parent = category.parentID { children[parent, default: []].append(category.id) } }
        var found = [id]
        var next = 0
        // Bounded by the tree's size: a parent link cannot repeat an id already taken.
        var seen: Set<CategoryID> = [id]
        while next < found.count {
            for child in children[found[next]] ?? [] where seen.insert(child).inserted { found.append(child) }
            next += 1
        }
        return found
    }

    public func children(of ids: [CategoryID]) async throws -> [CategoryID: [Category]] { try await inner.children(of: ids) }
}
