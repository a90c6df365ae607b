public import NIOCore
import NIOFoundationCompat
import Foundation

/// The message on a fan-out channel: what changed (ids only, never content: a subscriber's
/// answer is read through the gateway with its own rights) and whose it is.
public struct LiveSignal: Codable, Sendable, Equatable {
    public enum Subject: String, Codable, Sendable {
        case notification, product, stock, order
    }

    public var subject: Subject
    /// The notification's, product's or order's id.
    public var id: String
    /// Users who see owner-only fields of it (the product's seller; the order's buyer and sellers).
    public var owners: [String]
    /// On a `user:` channel, the notification's place in the user's sequence.
    public var offset: Int64?

    public init(subject: Subject, id: String, owners: [String], offset: Int64? = nil) {
        self.subject = subject
        self.id = id
        self.owners = owners
        self.offset = offset
    }

    public var encoded: ByteBuffer {
        // Encoding four plain fields cannot fail.
        (try? JSONEncoder().encodeAsByteBuffer(self, allocator: ByteBufferAllocator())) ?? ByteBuffer()
    }

    public init(decoding buffer: ByteBuffer) throws {
        self = try JSONDecoder().decode(LiveSignal.self, from: buffer)
    }
}
