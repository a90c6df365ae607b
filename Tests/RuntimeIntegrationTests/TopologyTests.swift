import EmporiumTesting
import Foundation
import Testing

/// Both topologies end to end, with the real binary: a product created through the catalog
/// gets its stock record in inventory through the event bus.
@Suite(.serialized, .timeLimit(.minutes(5))) struct TopologyTests {
    @Test func singleNodeCreatesStockRecordsThroughTheInProcessBus() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "single")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let token = try await Marketplace.sellerToken()
        var ids: [String] = []
        for n in 1...3 { ids.append(try await Marketplace.createProduct(node, title: "Single node product \(n)", token: token)) }
        try await Marketplace.waitForStockRecords(node, productIds: ids, token: token, path: "/subgraphs/inventory/graphql")
        try await node.stop()
    }

    @Test func distributedServicesTalkThroughKafkaAndCatchUpAfterDowntime() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "distributed")
        let environment = [
            "EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_KAFKA_BROKERS": broker.bootstrap,
            "EMPORIUM_KAFKA_TOPIC_PARTITIONS": "3",
        ]
        let catalog = try await EmporiumProcess.start(["serve", "catalog"], environment: environment)
        var inventory = try await EmporiumProcess.start(["serve", "inventory"], environment: environment)
        let token = try await Marketplace.sellerToken()

        let first = try await Marketplace.createProduct(catalog, title: "Distributed product", token: token)
        try await Marketplace.waitForStockRecords(inventory, productIds: [first], token: token, path: "/graphql")

        // Inventory down: the catalog keeps working, and nothing is lost.
        try await inventory.stop()
        var whileDown: [String] = []
        for n in 1...5 { whileDown.append(try await Marketplace.createProduct(catalog, title: "Created while inventory is down \(n)", token: token)) }
        inventory = try await EmporiumProcess.start(["serve", "inventory"], environment: environment)
        try await Marketplace.waitForStockRecords(inventory, productIds: whileDown, token: token, path: "/graphql")

        try await inventory.stop()
        try await catalog.stop()
    }
}
