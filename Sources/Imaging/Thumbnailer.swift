/// Makes the reduced copies of an uploaded image. The adapter is ``VipsThumbnailer`` (libvips);
/// the port keeps callers free of it.
public protocol Thumbnailer: Sendable {
    /// Checks the image at `path` (format by its first bytes, size by its header, within
    /// `limits`), then writes it reduced to fit each of `sizes` (a square box in pixels, never
    /// enlarged) in every ``ThumbnailFormat``, as files in `directory`.
    func thumbnails(of path: String, sizes: [Int], into directory: String) async throws -> Thumbnails
}

public struct Thumbnails: Sendable, Equatable {
    public let format: ImageFormat
    public let width: Int
    public let height: Int
    public let renditions: [Rendition]

    public init(format: ImageFormat, width: Int, height: Int, renditions: [Rendition]) {
        self.format = format
        self.width = width
        self.height = height
        self.renditions = renditions
    }
}

/// One reduced copy, as a file.
public struct Rendition: Sendable, Equatable {
    /// The box it was made for (its longer side is at most this).
    public let size: Int
    public let format: ThumbnailFormat
    public let path: String
    public let width: Int
    public let height: Int

    public init(size: Int, format: ThumbnailFormat, path: String, width: Int, height: Int) {
        self.size = size
        self.format = format
        self.path = path
        self.width = width
        self.height = height
    }
}

/// What an image may be before any of it is decoded: a "decompression bomb" (a small file that
/// claims billions of pixels) is refused from its header.
public struct ImageLimits: Sendable {
    /// At most this many pixels (width × height); 100 megapixels by default, eight times a
    /// 12-megapixel phone photo.
    public var maximumPixels: Int
    /// At most this many pixels on either side.
    public var maximumSide: Int

    public init(maximumPixels: Int = 100_000_000, maximumSide: Int = 20_000) {
        self.maximumPixels = maximumPixels
        self.maximumSide = maximumSide
    }
}

/// Why an image could not be made into thumbnails; `message` says it to the uploader.
public struct ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        /// Not JPEG, PNG or WebP by its first bytes.
        case unsupportedFormat
        /// Larger than ``ImageLimits`` allow.
        case tooLarge
        /// Truncated or corrupt: its decoder failed.
        case damaged
        /// The library failed for a reason of its own (out of memory, a disk full).
        case failed
    }

    public let reason: Reason
    public let message: String

    public init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
