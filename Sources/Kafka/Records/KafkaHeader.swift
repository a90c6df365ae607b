public import NIOCore

/// A record header: a string key and optional bytes (Kafka allows a null header value).
public struct KafkaHeader: Sendable, Hashable {
    public var key: String
    public var value: ByteBuffer?

    public init(key: String, value: ByteBuffer?) {
        self.key = key
        self.value = value
    }

    public init(key: String, value: String) {
        self.init(key: key, value: ByteBuffer(string: value))
    }
}

/// Compression of a record batch. This client writes none or gzip and reads both; batches from
/// other clients in snappy, lz4 or zstd fail with ``KafkaError/Code/unsupportedCompression``.
public enum KafkaCompression: Int16, Sendable, Hashable {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4
}
