import EmporiumTesting
import Foundation
import Imaging
import Testing

/// libvips on real files, checked with another decoder (Pillow).
@Suite struct VipsThumbnailerTests {
    static let sizes = [1280, 640, 320, 160, 64]

    /// A fresh directory holding `input`, made by `make`, removed after `body`.
    func withImage<T>(_ kind: ImageFixtures.Kind, width: Int = 1600, height: Int = 1200, _ body: (String, String) async throws -> T) async throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-imaging-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/upload.jpg"
        try ImageFixtures.make(kind, at: input, width: width, height: height)
        return try await body(input, directory)
    }

    @Test(arguments: [ImageFixtures.Kind.jpeg, .png, .webp])
    func everySizeInBothFormatsReadsBackElsewhere(kind: ImageFixtures.Kind) async throws {
        try await withImage(kind) { input, directory in
            let made = try await VipsThumbnailer().thumbnails(of: input, sizes: Self.sizes, into: directory)
            #expect(made.format.rawValue == kind.rawValue)
            #expect(made.width == 1600 && made.height == 1200)
            #expect(made.renditions.count == 10)
            for rendition in made.renditions {
                let read = try ImageFixtures.read(rendition.path)
                #expect(read.format == (rendition.format == .jpeg ? "JPEG" : "WEBP"))
                // 4:3 fitted into a square box: the long side is the box.
                #expect(read.width == rendition.size, "\(rendition.path)")
                #expect(read.height == rendition.size * 3 / 4, "\(rendition.path)")
                #expect(read.width == rendition.width && read.height == rendition.height)
            }
        }
    }

    @Test func aSmallImageIsNeverEnlarged() async throws {
        try await withImage(.jpeg, width: 100, height: 150) { input, directory in
            let made = try await VipsThumbnailer().thumbnails(of: input, sizes: Self.sizes, into: directory)
            let large = try #require(made.renditions.first { $0.size == 1280 && $0.format == .webp })
            #expect(large.width == 100 && large.height == 150)
            let smallest = try #require(made.renditions.first { $0.size == 64 && $0.format == .jpeg })
            #expect(try ImageFixtures.read(smallest.path).height == 64)
        }
    }

    @Test func aTruncatedImageFailsWithItsReason() async throws {
        try await withImage(.truncatedJPEG) { input, directory in
            let error = try await #require(throws: ImagingError.self) {
                try await VipsThumbnailer().thumbnails(of: input, sizes: Self.sizes, into: directory)
            }
            #expect(error.reason == .damaged)
            #expect(error.message.contains("damaged or truncated"), "\(error.message)")
        }
    }

    @Test func aDecompressionBombIsRefusedFromItsHeader() async throws {
        try await withImage(.bombPNG, width: 50_000, height: 50_000) { input, directory in
            let started = ContinuousClock.now
            let error = try await #require(throws: ImagingError.self) {
                try await VipsThumbnailer().thumbnails(of: input, sizes: Self.sizes, into: directory)
            }
            #expect(error.reason == .tooLarge)
            #expect(error.message.contains("50000 × 50000"), "\(error.message)")
            // Refused without decoding: decoding 2.5 gigapixels would take minutes.
            #expect(ContinuousClock.now - started < .seconds(20))
        }
        // And the process goes on making thumbnails.
        try await withImage(.jpeg, width: 400, height: 300) { input, directory in
            let made = try await VipsThumbnailer().thumbnails(of: input, sizes: [64], into: directory)
            #expect(made.renditions.count == 2)
        }
    }

    @Test func textNamedLikeAPictureIsNoImage() async throws {
        try await withImage(.text) { input, directory in
            let error = try await #require(throws: ImagingError.self) {
                try await VipsThumbnailer().thumbnails(of: input, sizes: Self.sizes, into: directory)
            }
            #expect(error.reason == .unsupportedFormat)
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["upload.jpg"])
        }
    }

    @Test func aGIFWithAJPEGSignatureIsStillRefused() async throws {
        // The first bytes say JPEG; the rest is another format. Only JPEG's decoder may run on it,
        // and it fails: no other loader is reachable in the process.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-imaging-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let input = directory + "/fake.jpg"
        try Data([0xFF, 0xD8, 0xFF] + Array("GIF89a this is not what it claims".utf8)).write(to: URL(fileURLWithPath: input))
        let error = try await #require(throws: ImagingError.self) {
            try await VipsThumbnailer().thumbnails(of: input, sizes: [64], into: directory)
        }
        #expect(error.reason == .damaged)
    }
}
