/// The image formats uploads may be, told by their first bytes (the "magic number"), never by a
/// file's name or a client's content type.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp

    /// How many leading bytes ``detect(_:)`` needs.
    public static let signatureLength = 12

    /// The format whose signature `prefix` starts with; nil for anything else.
    public static func detect(_ prefix: some Collection<UInt8>) -> ImageFormat? {
        let bytes = Array(prefix.prefix(signatureLength))
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        // RIFF, a 4-byte length, then WEBP.
        if bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WEBP".utf8) { return .webp }
        return nil
    }

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }
}

/// What thumbnails are written as.
public enum ThumbnailFormat: String, Sendable, CaseIterable {
    case jpeg, webp

    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .webp: "webp"
        }
    }

    public var contentType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .webp: "image/webp"
        }
    }
}
