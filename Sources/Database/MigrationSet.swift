public import Foundation

/// The migrations of one service, applied inside that service's own schema (`catalog`,
/// `inventory`, …) so services can share a database without sharing tables.
public struct MigrationSet: Sendable {
    /// The PostgreSQL schema the migrations belong to; also first on their `search_path`.
    public let schema: String
    /// The migrations, sorted by version, versions unique.
    public let migrations: [Migration]

    /// Builds a set from code; sorts by version and rejects duplicate versions or a bad schema name.
    public init(schema: String, migrations: [Migration]) throws {
        try Self.validate(schema: schema)
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw DatabaseError(
                .duplicateMigrationVersion,
                "Migrations \(previous.name) and \(next.name) of schema \(schema) share version \(next.version).")
        }
        self.schema = schema
        self.migrations = sorted
    }

    /// Loads the files named `NNNN_description.sql` (e.g. `0001_create_products.sql`) from
    /// `directory`, typically a bundle resource folder:
    /// `Bundle.module.url(forResource: "Migrations", withExtension: nil)`.
    ///
    /// Other files are ignored (READMEs, `.DS_Store`), but a `.sql` file without a numeric prefix is
    /// an error: it would otherwise never run. Two files with one version → an error naming both.
    public static func load(schema: String, directory: URL) throws -> MigrationSet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw DatabaseError(.invalidMigration, "Cannot read the migrations directory \(directory.path) of schema \(schema).", underlying: error)
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.lowercased().hasSuffix(".sql") {
            guard let version = Self.version(of: name) else {
                throw DatabaseError(
                    .invalidMigration,
                    "Migration file \(name) of schema \(schema) must be named NNNN_description.sql (e.g. 0001_create_products.sql).")
            }
            let url = directory.appendingPathComponent(name)
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw DatabaseError(.invalidMigration, "Cannot read migration file \(url.path).", underlying: error)
            }
            guard var sql = String(data: data, encoding: .utf8) else {
                throw DatabaseError(.invalidMigration, "Migration file \(name) of schema \(schema) is not UTF-8.")
            }
            if sql.hasPrefix("\u{FEFF}") { sql.removeFirst() }
            migrations.append(Migration(version: version, name: name, sql: sql))
        }
        return try MigrationSet(schema: schema, migrations: migrations)
    }

    /// The numeric prefix before the first `_`, or nil when the name does not fit `NNNN_x.sql`.
    static func version(of fileName: String) -> Int? {
        guard let underscore = fileName.firstIndex(of: "_") else { return nil }
        let digits = fileName[..<underscore]
        let description = fileName[fileName.index(after: underscore)...].dropLast(4)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), !description.isEmpty,
              let version = Int(digits)
        else { return nil }
        return version
    }

    private static func validate(schema: String) throws {
        let valid = !schema.isEmpty && schema.count <= 63
            && schema.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
            && !(schema.first?.isNumber ?? true) && !schema.hasPrefix("pg_")
        guard valid else {
            throw DatabaseError(
                .invalidMigration,
                "Schema name \"\(schema)\" must be lowercase letters, digits and underscores, start with a letter, and not start with pg_.")
        }
    }
}
