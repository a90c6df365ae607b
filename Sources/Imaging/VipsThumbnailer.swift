import CVips
import Foundation
import NIOConcurrencyHelpers
import NIOPosix

/// ``Thumbnailer`` on libvips: shrink-on-load (a JPEG is decoded at the scale needed, never
/// whole), the largest size first and every smaller one from it in memory, loaders other than
/// JPEG/PNG/WebP blocked in the process, decoding failing on truncation or corruption.
///
/// libvips works in its own threads and blocks the caller meanwhile, so calls run on NIO's
/// blocking thread pool, never on Swift's cooperative one; and one at a time per process,
/// because libvips keeps one error buffer for the process and uses every core for one image.
public struct VipsThumbnailer: Thumbnailer {
    public let limits: ImageLimits
    public let jpegQuality: Int
    public let webpQuality: Int
    private static let serial = NIOLock()

    public init(limits: ImageLimits = ImageLimits(), jpegQuality: Int = 82, webpQuality: Int = 80) throws {
        guard emporium_vips_start() == 0 else {
            throw ImagingError(.failed, "libvips did not start: \(Self.takeError() ?? "no reason given") (install Debian's libvips-dev)")
        }
        self.limits = limits
        self.jpegQuality = jpegQuality
        self.webpQuality = webpQuality
    }

    public func thumbnails(of path: String, sizes: [Int], into directory: String) async throws -> Thumbnails {
        guard !sizes.isEmpty, sizes.allSatisfy({ (1...10_000).contains($0) }) else {
            throw ImagingError(.failed, "thumbnail sizes must be 1 to 10000 pixels")
        }
        let work = self
        return try await NIOThreadPool.singleton.runIfActive {
            try Self.serial.withLock { try work.make(path: path, sizes: sizes.sorted(by: >), directory: directory) }
        }
    }

    private func make(path: String, sizes: [Int], directory: String) throws -> Thumbnails {
        _ = Self.takeError()
        let format = try Self.format(of: path)
        var width: Int32 = 0
        var height: Int32 = 0
        var loader = [CChar](repeating: 0, count: 64)
        guard emporium_vips_header(path, &width, &height, &loader, loader.count) == 0 else {
            throw ImagingError(.damaged, "the \(format.rawValue.uppercased()) image cannot be read: \(Self.takeError() ?? "no reason given")")
        }
        let (w, h) = (Int(width), Int(height))
        guard w > 0, h > 0 else { throw ImagingError(.damaged, "the image says it is \(w) × \(h) pixels") }
        guard w <= limits.maximumSide, h <= limits.maximumSide, w.multipliedReportingOverflow(by: h).partialValue <= limits.maximumPixels else {
            throw ImagingError(.tooLarge, "the image is \(w) × \(h) pixels; at most \(limits.maximumSide) on a side and \(limits.maximumPixels / 1_000_000) megapixels are accepted")
        }
        var renditions: [Rendition] = []
        var previous: OpaquePointer?
        defer { emporium_vips_release(previous) }
        for size in sizes {
            var reduced: OpaquePointer?
            let status = if let previous { emporium_vips_thumbnail_image(previous, Int32(size), &reduced) } else { emporium_vips_thumbnail_file(path, Int32(size), &reduced) }
            guard status == 0, let reduced else {
                throw ImagingError(.damaged, "the \(format.rawValue.uppercased()) image is damaged or truncated: \(Self.takeError() ?? "no reason given")")
            }
            emporium_vips_release(previous)
            previous = reduced
            let (rw, rh) = (Int(emporium_vips_width(reduced)), Int(emporium_vips_height(reduced)))
            for output in ThumbnailFormat.allCases {
                let file = (directory as NSString).appendingPathComponent("\(size).\(output.fileExtension)")
                let saved = switch output {
                case .jpeg: emporium_vips_save_jpeg(reduced, file, Int32(jpegQuality))
                case .webp: emporium_vips_save_webp(reduced, file, Int32(webpQuality))
                }
                guard saved == 0 else { throw ImagingError(.failed, "writing the \(size)px \(output.rawValue) failed: \(Self.takeError() ?? "no reason given")") }
                renditions.append(Rendition(size: size, format: output, path: file, width: rw, height: rh))
            }
        }
        return Thumbnails(format: format, width: w, height: h, renditions: renditions)
    }

    /// The format by the file's first bytes: libvips would try every loader it has on anything.
    static func format(of path: String) throws -> ImageFormat {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ImagingError(.failed, "the image file is missing") }
        defer { try? handle.close() }
        let prefix = (try? handle.read(upToCount: ImageFormat.signatureLength)) ?? nil
        guard let format = ImageFormat.detect(prefix ?? Data()) else {
            throw ImagingError(.unsupportedFormat, "the file is not a JPEG, PNG or WebP image (judged by its first bytes, not its name)")
        }
        return format
    }

    /// libvips' accumulated messages, first line only (the rest repeats it per layer).
    static func takeError() -> String? {
        guard let raw = emporium_vips_take_error() else { return nil }
        defer { free(raw) }
        let text = String(cString: raw).split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? nil : String(text.prefix(300))
    }
}
