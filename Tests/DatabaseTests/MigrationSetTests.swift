@testable import Database
import Foundation
import Testing

@Suite("MigrationSet loading")
struct MigrationSetTests {
    private func directory(_ files: [String: String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, contents) in files {
            try contents.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return url
    }

    @Test func loadsAndSortsByNumericVersion() throws {
        let url = try self.directory([
            "0010_ten.sql": "SELECT 10;",
            "0002_two.sql": "SELECT 2;",
            "0001_create_products.sql": "CREATE TABLE products (id int);",
            "README.md": "not a migration",
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let set = try MigrationSet.load(schema: "catalog", directory: url)
        #expect(set.schema == "catalog")
        #expect(set.migrations.map(\.version) == [1, 2, 10])
        #expect(set.migrations.map(\.name) == ["0001_create_products.sql", "0002_two.sql", "0010_ten.sql"])
        #expect(set.migrations[0].sql == "CREATE TABLE products (id int);")
    }

    @Test func duplicateVersionsNameBothFiles() throws {
        let url = try self.directory(["0001_a.sql": "SELECT 1;", "001_b.sql": "SELECT 2;"])
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: DatabaseError.self) { try MigrationSet.load(schema: "catalog", directory: url) }
        #expect(error.code == .duplicateMigrationVersion)
        #expect(error.description.contains("0001_a.sql"))
        #expect(error.description.contains("001_b.sql"))
    }

    @Test(arguments: ["create_products.sql", "1a_x.sql", "0001_.sql", "0001.sql"])
    func badFileNamesAreErrors(name: String) throws {
        let url = try self.directory([name: "SELECT 1;"])
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: DatabaseError.self) { try MigrationSet.load(schema: "catalog", directory: url) }
        #expect(error.code == .invalidMigration)
        #expect(error.description.contains(name))
    }

    @Test func missingDirectoryIsAnError() throws {
        let error = try #require(throws: DatabaseError.self) {
            try MigrationSet.load(schema: "catalog", directory: URL(fileURLWithPath: "/nonexistent/emporium/migrations"))
        }
        #expect(error.code == .invalidMigration)
        #expect(error.description.contains("/nonexistent/emporium/migrations"))
    }

    @Test(arguments: ["", "Catalog", "pg_catalog", "1catalog", "cat-alog", "cat\"alog"])
    func rejectsBadSchemaNames(schema: String) throws {
        #expect(throws: DatabaseError.self) { try MigrationSet(schema: schema, migrations: []) }
    }

    @Test func checksumIsSHA256HexAndIgnoresCRLF() {
        let migration = Migration(version: 1, name: "0001_x.sql", sql: "abc")
        #expect(migration.checksum == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Migration(version: 1, name: "a", sql: "A;\r\nB;").checksum == Migration(version: 1, name: "a", sql: "A;\nB;").checksum)
        #expect(Migration(version: 1, name: "a", sql: "A;").checksum != Migration(version: 1, name: "a", sql: "B;").checksum)
    }

    @Test func stripsAUTF8ByteOrderMark() throws {
        let url = try self.directory(["0001_bom.sql": "\u{FEFF}SELECT 1;"])
        defer { try? FileManager.default.removeItem(at: url) }
        let set = try MigrationSet.load(schema: "catalog", directory: url)
        #expect(set.migrations.first?.sql == "SELECT 1;")
    }
}
