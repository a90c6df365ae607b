import EmporiumCore
import EmporiumTesting
import Foundation
import Testing

/// `emporium backup` and `emporium restore` on the single node's database: a round trip brings
/// back exactly what the backup saw, a restore into an empty database gives a node that starts on
/// it, and a restore while a node runs is refused without touching anything.
@Suite(.serialized, .timeLimit(.minutes(4))) struct BackupRestoreTests {
    /// `emporium arguments…` to completion; its status and output.
    static func emporium(_ arguments: [String], database: String) throws -> (status: Int32, output: String) {
        try ChildCommand.run(ServeProcessTests.binary, arguments, environment: ["EMPORIUM_DATABASE_URL": database, "EMPORIUM_JWT_SECRET": testJWTSecret])
    }

    static func titles(_ node: EmporiumProcess, token: String) async throws -> Set<String> {
        let answer = try await node.graphQL("/graphql", #"{ products(first: 50, filter: {sellerId: "seller-backup", statuses: [DRAFT]}) { nodes { title } } }"#, token: token)
        let nodes = ((answer["data"] as? [String: Any])?["products"] as? [String: Any])?["nodes"] as? [[String: Any]] ?? []
        return Set(nodes.compactMap { $0["title"] as? String })
    }

    @Test func aBackupRestoresWhatItSawIntoTheSameOrAnEmptyDatabase() async throws {
        let database = try await TestPostgres.shared.freshDatabaseURL(named: "backup")
        let seller = try await Marketplace.sellerToken("seller-backup")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-backup-\(UUID()).dump").path
        defer { try? FileManager.default.removeItem(atPath: file) }

        var node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": database])
        _ = try await Marketplace.createProduct(node, title: "Before the backup", token: seller)
        try await node.stop()
        let backup = try Self.emporium(["backup", file], database: database)
        #expect(backup.status == 0, "\(backup.output)")
        #expect(backup.output.contains("Backed up catalog, inventory"), "\(backup.output)")

        node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": database])
        _ = try await Marketplace.createProduct(node, title: "After the backup", token: seller)
        #expect(try await Self.titles(node, token: seller) == ["Before the backup", "After the backup"])
        // Refused while the node runs, and nothing changed.
        let refused = try Self.emporium(["restore", file], database: database)
        #expect(refused.status != 0 && refused.output.contains("stop the node"), "\(refused.output)")
        #expect(try await Self.titles(node, token: seller) == ["Before the backup", "After the backup"])
        try await node.stop()

        let restored = try Self.emporium(["restore", file], database: database)
        #expect(restored.status == 0, "\(restored.output)")
        node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": database])
        #expect(try await Self.titles(node, token: seller) == ["Before the backup"])
        try await node.stop()

        // Into an empty database: the node starts on it (its migrations are all there) with the data.
        let empty = try await TestPostgres.shared.freshDatabaseURL(named: "restore")
        let fresh = try Self.emporium(["restore", file], database: empty)
        #expect(fresh.status == 0, "\(fresh.output)")
        node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": empty])
        #expect(try await Self.titles(node, token: seller) == ["Before the backup"])
        try await node.stop()

        let missing = try Self.emporium(["restore", file + ".missing"], database: database)
        #expect(missing.status != 0 && missing.output.contains("cannot read"), "\(missing.output)")
    }
}
