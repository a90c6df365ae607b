public import Foundation
public import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where files a service makes (exports, later image sizes) are kept, by key. Adapters: a
/// directory for the single node (``FileBlobStore``), PostgreSQL in chunks for any number of
/// processes (``PostgresBlobStore``); an S3 adapter fits the same four calls. Keys are made by
/// the services themselves and still checked (``BlobKey``): nothing a client sends names a file.
public protocol BlobStore: Sendable {
    /// Stores the file at `path` under `key` (replacing any), read in chunks, never whole.
    func put(_ key: BlobKey, fromFile path: String, contentType: String) async throws
    /// The blob's size and content type; nil when there is none.
    func info(_ key: BlobKey) async throws -> BlobInfo?
    /// Hands the blob to `body` chunk by chunk; false when there is none.
    func read(_ key: BlobKey, _ body: (ByteBuffer) async throws -> Void) async throws -> Bool
    func delete(_ key: BlobKey) async throws
}

public struct BlobInfo: Sendable, Equatable {
    public let size: Int64
    public let contentType: String

    public init(size: Int64, contentType: String) {
        self.size = size
        self.contentType = contentType
    }
}

/// A blob's name: 1 to 200 characters of `a-z 0-9 . _ - /`, no empty segment, no `.` or `..`.
public struct BlobKey: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init?(_ text: String) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-/")
        guard (1...200).contains(text.count), text.allSatisfy(allowed.contains),
              text.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else { return nil }
        rawValue = text
    }

    public var description: String { rawValue }
}

/// Blobs as files under one directory (mode 0600), written to a temporary name and renamed, so
/// a reader never sees half a file.
public struct FileBlobStore: BlobStore {
    public let directory: URL
    static let chunkSize = 1 << 20

    public init(directory: URL) {
        self.directory = directory
    }

    private func url(_ key: BlobKey) -> URL { directory.appendingPathComponent(key.rawValue) }

    public func put(_ key: BlobKey, fromFile path: String, contentType: String) async throws {
        let target = url(key)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).partial")
        try FileManager.default.copyItem(atPath: path, toPath: temporary.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
        try Data(contentType.utf8).write(to: URL(fileURLWithPath: target.path + ".type"), options: .atomic)
        // rename(2) replaces the target in one step.
        guard rename(temporary.path, target.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
        }
    }

    public func info(_ key: BlobKey) async throws -> BlobInfo? {
        let path = url(key).path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path), let size = attributes[.size] as? NSNumber else { return nil }
        let type = (try? String(contentsOfFile: path + ".type", encoding: .utf8)) ?? "application/octet-stream"
        return BlobInfo(size: size.int64Value, contentType: type)
    }

    public func read(_ key: BlobKey, _ body: (ByteBuffer) async throws -> Void) async throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: url(key).path) else { return false }
        defer { try? handle.close() }
        while let data = try handle.read(upToCount: Self.chunkSize), !data.isEmpty {
            try await body(ByteBuffer(bytes: data))
        }
        return true
    }

    public func delete(_ key: BlobKey) async throws {
        try? FileManager.default.removeItem(at: url(key))
        try? FileManager.default.removeItem(atPath: url(key).path + ".type")
    }
}
