import Catalog
import EmporiumCore

/// A read-only `CategoryStore` over a fixed tree: every lookup is a dictionary read. Writes throw.
struct InMemoryCategoryStore: CategoryStore {
    private let byID: [CategoryID: Catalog.Category]
    private let ordered: [Catalog.Category]
    private let childrenByParent: [CategoryID: [Catalog.Category]]

    init(_ categories: [Catalog.Category]) {
        ordered = categories.sorted { $0.name < $1.name }
        byID = Dictionary(uniqueKeysWithValues: categories.map { ($0.id, $0) })
        childrenByParent = Dictionary(grouping: ordered.filter { $0.parentID != nil }, by: { $0.parentID! })
    }

    func create(_ category: Catalog.Category) async throws -> Catalog.Category {
        throw EmporiumError(.internalError, "the benchmark's category store is read-only")
    }

    func categories(ids: [CategoryID]) async throws -> [CategoryID: Catalog.Category] {
        var found: [CategoryID: Catalog.Category] = [:]
        found.reserveCapacity(ids.count)
        for id in ids { found[id] = byID[id] }
        return found
    }

    func all() async throws -> [Catalog.Category] { ordered }

    /// Empty for an unknown id, as the PostgreSQL store's recursive query.
    func subtree(of id: CategoryID) async throws -> [CategoryID] {
        guard byID[id] != nil else { return [] }
        var result = [id]
        var index = 0
        while index < result.count {
            result += (childrenByParent[result[index]] ?? []).map(\.id)
            index += 1
        }
        return result
    }

    func children(of ids: [CategoryID]) async throws -> [CategoryID: [Catalog.Category]] {
        var found: [CategoryID: [Catalog.Category]] = [:]
        for id in ids { found[id] = childrenByParent[id] }
        return found
    }
}
