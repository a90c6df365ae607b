import EmporiumCore
import Foundation
import Imaging
import NIOCore

/// The form of an image upload (`multipart/form-data` with the fields `productId` and `file`),
/// read as it arrives (``MultipartStream``): the file goes to disk in large writes and is never held whole, every
/// field and count is bounded, and whatever is wrong becomes an `EmporiumError` saying what.
/// One per request, used by one task.
final class UploadForm {
    struct Upload {
        let productID: String
        let byteSize: Int
        let format: ImageFormat
    }

    private enum Field {
        case productID, file, ignored
    }

    static let maximumParts = 8
    static let maximumProductIDBytes = 100
    static let flushBytes = 256 * 1024

    let maximumFileBytes: Int
    private var stream: MultipartStream
    private let file: FileHandle
    private var field = Field.ignored
    private var parts = 0
    private var productID: [UInt8] = []
    private var sawFile = false
    private var fileComplete = false
    private var fileBytes = 0
    private var signature: [UInt8] = []
    private var pending = ByteBuffer()
    private var failure: EmporiumError?

    /// Writes the file part to `path` (created here).
    init(contentType: String?, filePath path: String, maximumFileBytes: Int) throws {
        guard let boundary = Self.boundary(of: contentType) else {
            throw EmporiumError(.unsupportedMediaType, "send the image as multipart/form-data with the fields productId and file")
        }
        guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let file = FileHandle(forWritingAtPath: path)
        else { throw EmporiumError(.internalError, "cannot write the upload's temporary file") }
        self.file = file
        self.maximumFileBytes = maximumFileBytes
        stream = MultipartStream(boundary: boundary)
    }

    deinit {
        try? file.close()
    }

    /// The boundary of a `multipart/form-data` content type: 1 to 70 characters (RFC 2046), quoted or not.
    static func boundary(of contentType: String?) -> String? {
        guard let contentType else { return nil }
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parameters.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parameters.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            guard (1...70).contains(value.utf8.count), value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { return nil }
            return value
        }
        return nil
    }

    /// Feeds the next piece of the body.
    func consume(_ chunk: ByteBuffer) throws {
        do {
            try stream.feed(chunk.readableBytesView) { event in
                switch event {
                case .part(let headers): for (name, value) in headers { header(name, value) }
                case .content(let bytes): content(bytes)
                case .partEnd: partComplete()
                case .end: break
                }
                if let failure { throw failure }
            }
        } catch let error as MultipartStream.Malformed {
            throw EmporiumError.badInput("the body is not well-formed multipart/form-data: \(error)")
        }
        if let failure { throw failure }
    }

    /// After the whole body: the fields, once checked.
    func finish() throws -> Upload {
        if let failure { throw failure }
        try flush()
        guard !productID.isEmpty, let text = String(bytes: productID, encoding: .utf8) else {
            throw EmporiumError.badInput("the form has no productId field", field: "productId")
        }
        guard sawFile else { throw EmporiumError.badInput("the form has no file field", field: "file") }
        guard fileComplete, stream.isComplete else {
            throw EmporiumError.badInput("the upload ended before its form did (the connection was cut?)", field: "file")
        }
        guard fileBytes > 0 else { throw EmporiumError.badInput("the file is empty", field: "file") }
        guard let format = ImageFormat.detect(signature) else {
            throw EmporiumError(.unsupportedMediaType, "the file is not a JPEG, PNG or WebP image (judged by its content, not its name)", field: "file")
        }
        return Upload(productID: text.trimmingCharacters(in: .whitespaces), byteSize: fileBytes, format: format)
    }

    private func header(_ name: String, _ value: String) {
        guard failure == nil, name.lowercased() == "content-disposition" else { return }
        switch Self.fieldName(value) {
        case "productId": field = .productID
        case "file":
            if sawFile { failure = .badInput("send one file per upload", field: "file") }
            sawFile = true
            field = .file
        default: field = .ignored
        }
    }

    /// `name` of `form-data; name="file"; filename="a.jpg"`.
    static func fieldName(_ disposition: String) -> String? {
        for parameter in disposition.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "name" else { continue }
            return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    private func content(_ body: ArraySlice<UInt8>) {
        guard failure == nil else { return }
        switch field {
        case .productID:
            productID.append(contentsOf: body)
            if productID.count > Self.maximumProductIDBytes { failure = .badInput("productId is too long", field: "productId") }
        case .file:
            fileBytes += body.count
            guard fileBytes <= maximumFileBytes else {
                failure = EmporiumError(.payloadTooLarge, "the image is larger than \(maximumFileBytes / (1024 * 1024)) MB", field: "file")
                return
            }
            if signature.count < ImageFormat.signatureLength {
                signature.append(contentsOf: body.prefix(ImageFormat.signatureLength - signature.count))
            }
            pending.writeBytes(body)
            if pending.readableBytes >= Self.flushBytes {
                do { try flush() } catch { failure = EmporiumError(.internalError, "the upload could not be written to disk", detail: "\(error)") }
            }
        case .ignored:
            break
        }
    }

    private func partComplete() {
        parts += 1
        if parts > Self.maximumParts, failure == nil { failure = .badInput("the form has more than \(Self.maximumParts) fields") }
        if field == .file { fileComplete = true }
        field = .ignored
    }

    private func flush() throws {
        guard pending.readableBytes > 0 else { return }
        try file.write(contentsOf: pending.readableBytesView)
        pending.clear()
    }
}
