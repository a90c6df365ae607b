public import Database
import Foundation
import Logging
public import NIOCore
public import PostgresNIO

/// Blobs in the service's own PostgreSQL, in chunks of 1 MiB (`bytea`), so that every process of
/// a service shares them and none holds a whole file: a put reads the file a chunk at a time in
/// one transaction (a reader sees the old blob or the new one, never a mix).
public struct PostgresBlobStore: BlobStore {
    let client: PostgresClient
    let schema: String
    let logger: Logger
    static let chunkSize = 1 << 20

    /// `schema` is the service's own (a lowercase SQL name), where its migrations made the tables.
    public init(client: PostgresClient, schema: String, logger: Logger) throws {
        guard let first = schema.first, first.isLetter || first == "_",
              schema.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }), schema.count <= 63
        else { throw BlobStoreError("'\(schema.prefix(64))' is not a schema name") }
        self.client = client
        self.schema = schema
        self.logger = logger
    }

    /// The two tables, created by the service's migrations (`search_path` is its schema).
    public static func migration() -> Migration {
        Migration(version: 9003, name: "9003_blobs.sql", sql: """
            CREATE TABLE blobs (
                key           text PRIMARY KEY,
                content_type  text NOT NULL,
                size          bigint NOT NULL CHECK (size >= 0),
                created_at    timestamptz NOT NULL DEFAULT now()
            );
            CREATE TABLE blob_chunks (
                key    text NOT NULL REFERENCES blobs (key) ON DELETE CASCADE,
                index  integer NOT NULL CHECK (index >= 0),
                data   bytea NOT NULL,
                PRIMARY KEY (key, index)
            );
            """)
    }

    private var blobs: String { schema + ".blobs" }
    private var chunks: String { schema + ".blob_chunks" }

    public func put(_ key: BlobKey, fromFile path: String, contentType: String) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path]) }
        defer { try? handle.close() }
        let (blobs, chunks, logger) = (blobs, chunks, logger)
        try await client.transaction(logger: logger) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "DELETE FROM \(blobs) WHERE key = $1", binds: try Self.binds(key.rawValue)), logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "INSERT INTO \(blobs) (key, content_type, size) VALUES ($1, $2, 0)", binds: try Self.binds(key.rawValue, contentType)),
                logger: logger)
            var index: Int32 = 0
            var size: Int64 = 0
            while let data = try handle.read(upToCount: Self.chunkSize), !data.isEmpty {
                var binds = PostgresBindings()
                binds.append(key.rawValue)
                binds.append(index)
                binds.append(ByteBuffer(bytes: data))
                try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(chunks) (key, index, data) VALUES ($1, $2, $3)", binds: binds), logger: logger)
                index += 1
                size += Int64(data.count)
            }
            var binds = PostgresBindings()
            binds.append(size)
            binds.append(key.rawValue)
            try await connection.query(PostgresQuery(unsafeSQL: "UPDATE \(blobs) SET size = $1 WHERE key = $2", binds: binds), logger: logger)
        }
    }

    public func info(_ key: BlobKey) async throws -> BlobInfo? {
        let rows = try await client.query(
            PostgresQuery(unsafeSQL: "SELECT size, content_type FROM \(blobs) WHERE key = $1", binds: try Self.binds(key.rawValue)), logger: logger
        ).decode((Int64, String).self).collectAll()
        return rows.first.map { BlobInfo(size: $0.0, contentType: $0.1) }
    }

    public func read(_ key: BlobKey, _ body: (ByteBuffer) async throws -> Void) async throws -> Bool {
        guard try await info(key) != nil else { return false }
        // One chunk per statement: memory stays at a chunk whatever the blob's size.
        var index: Int32 = 0
        while true {
            var binds = PostgresBindings()
            binds.append(key.rawValue)
            binds.append(index)
            let rows = try await client.query(
                PostgresQuery(unsafeSQL: "SELECT data FROM \(chunks) WHERE key = $1 AND index = $2", binds: binds), logger: logger
            ).decode(ByteBuffer.self).collectAll()
            guard let chunk = rows.first else { return true }
            try await body(chunk)
            index += 1
        }
    }

    public func delete(_ key: BlobKey) async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DELETE FROM \(blobs) WHERE key = $1", binds: try Self.binds(key.rawValue)), logger: logger)
    }

    private static func binds(_ values: String...) throws -> PostgresBindings {
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        return binds
    }
}

/// A blob store that cannot be used as configured.
public struct BlobStoreError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
