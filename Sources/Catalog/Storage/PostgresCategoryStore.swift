import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// ``CategoryStore`` on PostgreSQL (schema `catalog`).
public struct PostgresCategoryStore: CategoryStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func create(_ category: Category) async throws -> Category {
        do {
            try await client.query(
                "INSERT INTO catalog.categories (id, parent_id, slug, name) VALUES (\(category.id.uuid), \(category.parentID?.uuid), \(category.slug.rawValue), \(category.name))",
                logger: logger
            )
            return category
        } catch {
            switch PostgresErrors.sqlState(of: error) {
            case PostgresErrors.uniqueViolation:
                throw EmporiumError(.conflict, "a category with slug '\(category.slug)' already exists", field: "input.slug")
            case PostgresErrors.foreignKeyViolation:
                throw EmporiumError.badInput("no parent category with id \(category.parentID?.description ?? "")", field: "input.parentId")
            default:
                throw error
            }
        }
    }

    public func categories(ids: [CategoryID]) async throws -> [CategoryID: Category] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await fetch("SELECT id, parent_id, slug, name FROM catalog.categories WHERE id = ANY(\(ids.map(\.uuid)))")
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func all() async throws -> [Category] {
        try await fetch("SELECT id, parent_id, slug, name FROM catalog.categories ORDER BY name, id")
    }

    public func subtree(of id: CategoryID) async throws -> [CategoryID] {
        let rows = try await client.query("""
            WITH RECURSIVE tree AS (
                SELECT id FROM catalog.categories WHERE id = \(id.uuid)
                UNION ALL
                SELECT c.id FROM catalog.categories c JOIN tree t ON c.parent_id = t.id
            )
            SELECT id FROM tree
            """, logger: logger)
        var ids: [CategoryID] = []
        for try await uuid in rows.decode(UUID.self) { ids.append(CategoryID(uuid: uuid)) }
        return ids
    }

    public func children(of ids: [CategoryID]) async throws -> [CategoryID: [Category]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await fetch("SELECT id, parent_id, slug, name FROM catalog.categories WHERE parent_id = ANY(\(ids.map(\.uuid))) ORDER BY name, id")
        var result: [CategoryID: [Category]] = [:]
        for category in rows {
            if let parent = category.parentID { result[parent, default: []].append(category) }
        }
        return result
    }

    private func fetch(_ query: PostgresQuery) async throws -> [Category] {
        var categories: [Category] = []
        for try await (id, parent, slug, name) in try await client.query(query, logger: logger).decode((UUID, UUID?, String, String).self) {
            categories.append(Category(
                id: CategoryID(uuid: id), parentID: parent.map { CategoryID(uuid: $0) },
                slug: Slug(validating: slug) ?? Slug(from: slug), name: name
            ))
        }
        return categories
    }
}
