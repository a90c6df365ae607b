@testable import Catalog
import EmporiumCore
import Foundation
import Imaging
import NIOCore
import Testing

/// The upload form parser on hostile and broken bodies: every outcome is an `EmporiumError`
/// with the status the client should get, never a crash, and the file is written as sent.
@Suite struct UploadFormTests {
    static let boundary = "XyZ-boundary"
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 0x0D, count: 300) + Array(0...255)

    static func body(productID: String? = "4a0c7c5e-1111-4222-8333-444455556666", file: [UInt8]? = jpeg, extraFields: Int = 0) -> [UInt8] {
        var text: [UInt8] = []
        func append(_ string: String) { text += Array(string.utf8) }
        if let productID { append("--\(boundary)\r\nContent-Disposition: form-data; name=\"productId\"\r\n\r\n\(productID)\r\n") }
        for index in 0..<extraFields { append("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\(index)\"\r\n\r\nhello\r\n") }
        if let file {
            append("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jpg\"\r\n\r\n")
            text += file
            append("\r\n")
        }
        append("--\(boundary)--\r\n")
        return text
    }

    /// Parses `body` fed in pieces of `chunk` bytes; answers the upload and the file written.
    static func parse(_ body: [UInt8], chunk: Int = 7, contentType: String? = "multipart/form-data; boundary=\(boundary)", maximum: Int = 1 << 20) throws -> (UploadForm.Upload, [UInt8]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-form-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let form = try UploadForm(contentType: contentType, filePath: path, maximumFileBytes: maximum)
        var offset = 0
        while offset < body.count {
            try form.consume(ByteBuffer(bytes: body[offset..<min(body.count, offset + chunk)]))
            offset += chunk
        }
        let upload = try form.finish()
        return (upload, Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func code(_ body: () throws -> Any) -> String? {
        do {
            _ = try body()
            return nil
        } catch let error as EmporiumError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [1, 7, 4096])
    func theFileIsWrittenAsSentWhateverThePieces(chunk: Int) throws {
        let (upload, file) = try Self.parse(Self.body(), chunk: chunk)
        #expect(upload.productID == "4a0c7c5e-1111-4222-8333-444455556666")
        #expect(upload.format == .jpeg && upload.byteSize == Self.jpeg.count)
        #expect(file == Self.jpeg)
    }

    @Test func boundariesAreReadQuotedOrNotAndChecked() {
        #expect(UploadForm.boundary(of: "multipart/form-data; boundary=abc") == "abc")
        #expect(UploadForm.boundary(of: "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(UploadForm.boundary(of: "multipart/form-data") == nil)
        #expect(UploadForm.boundary(of: "multipart/form-data; boundary=") == nil)
        #expect(UploadForm.boundary(of: "multipart/form-data; boundary=" + String(repeating: "x", count: 71)) == nil)
        #expect(UploadForm.boundary(of: "multipart/mixed; boundary=abc") == nil)
        #expect(UploadForm.boundary(of: "application/json") == nil)
        #expect(UploadForm.boundary(of: nil) == nil)
    }

    @Test func whatIsWrongGetsTheStatusThatSaysSo() {
        #expect(Self.code { try Self.parse(Self.body(), contentType: "image/jpeg") } == "UNSUPPORTED_MEDIA_TYPE")
        #expect(Self.code { try Self.parse(Self.body(file: Array("hello, I am text".utf8))) } == "UNSUPPORTED_MEDIA_TYPE")
        #expect(Self.code { try Self.parse(Self.body(file: Self.jpeg + Array(repeating: 1, count: 2000)), maximum: 1000) } == "PAYLOAD_TOO_LARGE")
        #expect(Self.code { try Self.parse(Self.body(productID: nil)) } == "BAD_USER_INPUT")
        #expect(Self.code { try Self.parse(Self.body(productID: String(repeating: "9", count: 101))) } == "BAD_USER_INPUT")
        #expect(Self.code { try Self.parse(Self.body(file: nil)) } == "BAD_USER_INPUT")
        #expect(Self.code { try Self.parse(Self.body(file: [])) } == "BAD_USER_INPUT")
        #expect(Self.code { try Self.parse(Self.body(extraFields: 20)) } == "BAD_USER_INPUT")
        // Cut before the closing boundary: the file may be incomplete.
        let cut = Array(Self.body().dropLast(40))
        #expect(Self.code { try Self.parse(cut) } == "BAD_USER_INPUT")
        // Two files.
        let twice = Self.body(file: Self.jpeg).dropLast(Array("--\(Self.boundary)--\r\n".utf8).count)
            + Array("--\(Self.boundary)\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nxx\r\n--\(Self.boundary)--\r\n".utf8)
        #expect(Self.code { try Self.parse(Array(twice)) } == "BAD_USER_INPUT")
        // Not multipart at all, and garbage in a part's headers.
        #expect(Self.code { try Self.parse(Array("just some bytes".utf8)) } == "BAD_USER_INPUT")
        #expect(Self.code { try Self.parse(Array("--\(Self.boundary)\r\nBad Header\u{1}: x\r\n\r\n".utf8)) } == "BAD_USER_INPUT")
        // A byte above 0x7F in a header's name: multipart-kit 4.7.1 trapped on exactly this.
        #expect(Self.code { try Self.parse(Array("--\(Self.boundary)\r\n".utf8) + [0xC3, 0xA9] + Array(": x\r\n\r\nbody\r\n--\(Self.boundary)--".utf8)) } == "BAD_USER_INPUT")
        // Headers that never end.
        #expect(Self.code { try Self.parse(Array("--\(Self.boundary)\r\nX: ".utf8) + Array(repeating: 0x61, count: 20_000)) } == "BAD_USER_INPUT")
    }

    @Test func aDelimiterSplitAcrossPiecesIsStillFound() throws {
        // Content that nearly matches the delimiter, then the real one, fed one byte at a time.
        let near = Array("\r\n--\(Self.boundary.dropLast())".utf8)
        let file = Self.jpeg + near + [0x42]
        let (upload, written) = try Self.parse(Self.body(file: file), chunk: 1)
        #expect(written == file && upload.byteSize == file.count)
    }

    @Test func randomBodiesNeverCrashTheParser() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("--\(Self.boundary)".utf8), Array("\r\n".utf8), Array("Content-Disposition: form-data; name=\"file\"".utf8), [0xFF, 0xD8, 0xFF], Array("--".utf8), [0]]
        for _ in 0..<500 {
            var body: [UInt8] = []
            for _ in 0..<Int.random(in: 0...20, using: &generator) {
                body += Bool.random(using: &generator) ? pieces.randomElement(using: &generator)! : (0..<Int.random(in: 0...20, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            }
            // Any outcome but a crash: an upload, or an error with a code.
            let outcome = Self.code { try Self.parse(body, chunk: Int.random(in: 1...64, using: &generator)) }
            #expect(outcome == nil || ["BAD_USER_INPUT", "UNSUPPORTED_MEDIA_TYPE", "PAYLOAD_TOO_LARGE"].contains(outcome!), "\(outcome ?? "")")
        }
    }
}
