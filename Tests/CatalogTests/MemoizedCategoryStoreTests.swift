import EmporiumCore
import Synchronization
import Testing
@testable import Catalog

@Suite struct MemoizedCategoryStoreTests {
    /// Counts the ids each `categories(ids:)` call asks the backing store for.
    final class CountingStore: CategoryStore {
        let stored = Mutex([CategoryID: Category]())
        let asked = Mutex([[CategoryID]]())
        let treeReads = Mutex(0)

        func create(_ category: Category) async throws -> Category {
            stored.withLock { $0[category.id] = category }
            return category
        }
        func categories(ids: [CategoryID]) async throws -> [CategoryID: Category] {
            asked.withLock { $0.append(ids) }
            return stored.withLock { stored in stored.filter { ids.contains($0.key) } }
        }
        func all() async throws -> [Category] {
            treeReads.withLock { $0 += 1 }
            return stored.withLock { Array($0.values) }
        }
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

    @Test func keepsTheTreeBrieflyAndTakesSubtreesFromIt() async throws {
        let inner = CountingStore()
        let store = MemoizedCategoryStore(inner: inner, treeMaxAge: .seconds(3600))
        let home = try await store.create(category("Home"))
        let lamps = try await store.create(Category(id: CategoryID(), parentID: home.id, slug: Slug(from: "lamps", fallback: "c"), name: "Lamps"))
        let desk = try await store.create(Category(id: CategoryID(), parentID: lamps.id, slug: Slug(from: "desk", fallback: "c"), name: "Desk"))
        #expect(Set(try await store.subtree(of: home.id)) == [home.id, lamps.id, desk.id])
        #expect(try await store.subtree(of: desk.id) == [desk.id])
        _ = try await store.all()
        #expect(inner.treeReads.withLock { $0 } == 1, "one read of the tree served three calls")
        // Adding a category here drops the kept tree.
        let garden = try await store.create(category("Garden"))
        #expect(try await store.all().count == 4)
        #expect(inner.treeReads.withLock { $0 } == 2)
        // A category the kept tree does not know (added by another process) is asked of the store.
        let elsewhere = category("Elsewhere")
        _ = try await inner.create(elsewhere)
        #expect(try await store.subtree(of: elsewhere.id) == [elsewhere.id])
        #expect(try await store.subtree(of: garden.id) == [garden.id])
    }
}
