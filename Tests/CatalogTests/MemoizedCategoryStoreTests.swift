import EmporiumCore
import Synchronization
import Testing
@testable import Catalog

@Suite struct MemoizedCategoryStoreTests {
    /// Counts the ids each `categories(ids:)` call asks the backing store for.
    final class CountingStore: CategoryStore {
        let stored = Mutex([CategoryID: Category]())
        let asked = Mutex([[CategoryID]]())

        func create(_ category: Category) async throws -> Category {
            stored.withLock { $0[category.id] = category }
            return category
        }
        func categories(ids: [CategoryID]) async throws -> [CategoryID: Category] {
            asked.withLock { $0.append(ids) }
            return stored.withLock { stored in stored.filter { ids.contains($0.key) } }
        }
        func all() async throws -> [Category] { stored.withLock { Array($0.values) } }
        func subtree(of id: CategoryID) async throws -> [CategoryID] { [id] }
        func children(of ids: [CategoryID]) async throws -> [CategoryID: [Category]] { [:] }
    }

    func category(_ name: String) -> Category {
        Category(id: CategoryID(), parentID: nil, slug: Slug(from: name, fallback: "c"), name: name)
    }

    @Test func readsEachCategoryOnceAndAsksAgainForUnknownIds() async throws {
        let inner = CountingStore()
        let store = MemoizedCategoryStore(inner: inner)
        let lamps = try await store.create(category("Lamps"))
        let unknown = category("Not yet")
        #expect(try await store.categories(ids: [lamps.id, unknown.id]) == [lamps.id: lamps])
        #expect(try await store.categories(ids: [lamps.id]) == [lamps.id: lamps])
        #expect(inner.asked.withLock { $0 } == [[lamps.id, unknown.id]], "the second read came from memory")

        _ = try await store.create(unknown)
        #expect(try await store.categories(ids: [lamps.id, unknown.id]) == [lamps.id: lamps, unknown.id: unknown])
        #expect(inner.asked.withLock { $0.last } == [unknown.id], "an id not found before is asked again, alone")
    }

    @Test func staysWithinItsBound() async throws {
        let inner = CountingStore()
        let store = MemoizedCategoryStore(inner: inner, maximumEntries: 3)
        var created: [Category] = []
        for n in 0..<5 { created.append(try await store.create(category("C\(n)"))) }
        for category in created { _ = try await store.categories(ids: [category.id]) }
        _ = try await store.categories(ids: [created[4].id])
        #expect(inner.asked.withLock { $0.count } == 5, "the newest is remembered after the reset")
        #expect(try await store.categories(ids: created.map(\.id)).count == 5)
    }
}
