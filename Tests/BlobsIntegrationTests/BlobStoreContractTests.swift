import Blobs
import Database
import EmporiumTesting
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Testing

/// The same contract for both adapters: a directory and PostgreSQL.
@Suite(.timeLimit(.minutes(2))) struct BlobStoreContractTests {
    enum Adapter: String, CaseIterable, Sendable {
        case file, postgres
    }

    func withStore(_ adapter: Adapter, _ body: @Sendable (any BlobStore) async throws -> Void) async throws {
        switch adapter {
        case .file:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-blobs-\(UUID())")
            defer { try? FileManager.default.removeItem(at: directory) }
            try await body(FileBlobStore(directory: directory))
        case .postgres:
            let configuration = try await TestPostgres.shared.freshDatabase(
                named: "blobs", migrations: [try MigrationSet(schema: "shop", migrations: [PostgresBlobStore.migration()])])
            try await withPostgresClient(configuration) { client in
                try await body(try PostgresBlobStore(client: client, schema: "shop", logger: Logger(label: "test")))
            }
        }
    }

    static func file(bytes count: Int, seed: UInt8) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-blob-source-\(UUID())").path
        let data = Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) })
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func contents(_ store: any BlobStore, _ key: BlobKey) async throws -> (found: Bool, data: Data, chunks: Int) {
        var data = Data()
        var chunks = 0
        let found = try await store.read(key) { chunk in
            data.append(contentsOf: chunk.readableBytesView)
            chunks += 1
        }
        return (found, data, chunks)
    }

    @Test(arguments: Adapter.allCases)
    func aBlobIsStoredReadInChunksReplacedAndDeleted(adapter: Adapter) async throws {
        try await withStore(adapter) { store in
            let key = try #require(BlobKey("exports/2026/products.xlsx"))
            let large = try Self.file(bytes: 2_621_440 + 17, seed: 1)
            defer { try? FileManager.default.removeItem(atPath: large) }
            #expect(try await store.info(key) == nil)
            #expect(try await Self.contents(store, key).found == false)

            try await store.put(key, fromFile: large, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(try await store.info(key) == BlobInfo(size: 2_621_457, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
            let read = try await Self.contents(store, key)
            #expect(read.found)
            #expect(read.data == (try Data(contentsOf: URL(fileURLWithPath: large))))
            #expect(read.chunks >= 3, "read a chunk at a time")

            let small = try Self.file(bytes: 10, seed: 9)
            defer { try? FileManager.default.removeItem(atPath: small) }
            try await store.put(key, fromFile: small, contentType: "text/csv")
            #expect(try await store.info(key) == BlobInfo(size: 10, contentType: "text/csv"))
            #expect(try await Self.contents(store, key).data == (try Data(contentsOf: URL(fileURLWithPath: small))))

            try await store.delete(key)
            #expect(try await store.info(key) == nil)
            try await store.delete(key)  // deleting nothing is fine
        }
    }

    @Test func keysNameNothingOutsideTheStore() {
        for bad in ["", "../etc/passwd", "a//b", "/abs", "a/./b", "UPPER", "a b", "x/..", String(repeating: "a", count: 201), "émoji"] {
            #expect(BlobKey(bad) == nil, "\(bad)")
        }
        #expect(BlobKey("exports/0b6e.xlsx")?.rawValue == "exports/0b6e.xlsx")
    }
}
