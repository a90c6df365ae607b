import Crypto
import Foundation

/// One versioned SQL migration. Its checksum is recorded when applied, so a later edit of an
/// applied file is caught instead of silently diverging between databases.
public struct Migration: Sendable, Hashable {
    /// The version, from the file name's numeric prefix (`0001_…` → 1); applied in ascending order.
    public let version: Int
    /// The file name (`0001_create_products.sql`), as recorded and named in errors.
    public let name: String
    /// The SQL; may hold several statements.
    public let sql: String
    /// SHA-256 of the SQL as lowercase hex, with CRLF line ends normalized to LF (so a Git
    /// checkout with `autocrlf` does not look like an edit).
    public let checksum: String

    /// Builds a migration from code (tests, generated SQL); files go through ``MigrationSet/load(schema:directory:)``.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
        let normalized = sql.replacingOccurrences(of: "\r\n", with: "\n")
        self.checksum = SHA256.hash(data: Data(normalized.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
