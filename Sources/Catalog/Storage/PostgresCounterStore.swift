import Database
import EmporiumCore
import Foundation
import Logging
import PostgresNIO

/// ``CounterStore`` on PostgreSQL (schema `catalog`).
public struct PostgresCounterStore: CounterStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func productCounters(ids: [ProductID]) async throws -> [ProductID: ProductCounters] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            "SELECT product_id, sales_count, view_count FROM catalog.product_counters WHERE product_id = ANY(\(ids.map(\.uuid)))", logger: logger
        ).decode((UUID, Int64, Int64).self).collectAll()
        return Dictionary(rows.map { (ProductID(uuid: $0.0), ProductCounters(sales: $0.1, views: $0.2)) }, uniquingKeysWith: { first, _ in first })
    }

    public func categoryCounts(ids: [CategoryID]) async throws -> [CategoryID: Int64] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            "SELECT category_id, product_count FROM catalog.category_counters WHERE category_id = ANY(\(ids.map(\.uuid)))", logger: logger
        ).decode((UUID, Int64).self).collectAll()
        return Dictionary(rows.map { (CategoryID(uuid: $0.0), $0.1) }, uniquingKeysWith: { first, _ in first })
    }
}
