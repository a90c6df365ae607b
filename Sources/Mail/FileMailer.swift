import Foundation
import Logging

/// Writes each message as an `.eml` file in a directory and logs its path: the single node's
/// mail (open the file in a mail client, or read the link from it), and the tests'.
public struct FileMailer: Mailer {
    public let directory: URL
    let from: String
    let logger: Logger

    public init(directory: URL, from: String = "Emporium <no-reply@emporium.local>", logger: Logger) {
        self.directory = directory
        self.from = from
        self.logger = logger
    }

    public func send(_ message: MailMessage) async throws {
        let now = Date()
        let id = UUID().uuidString.lowercased()
        let text = MailFormat.rfc5322(message, from: from, date: now, messageID: "\(id)@emporium.local")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // Sortable by time, unique by id; the recipient is not in the name (it may be anything).
        let file = directory.appendingPathComponent("\(Int64(now.timeIntervalSince1970 * 1000))-\(id).eml")
        guard FileManager.default.createFile(atPath: file.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path])
        }
        logger.info("mail written", metadata: ["mail.file": "\(file.path)", "mail.subject": "\(message.subject)"])
    }

    /// The messages in the directory, oldest first, decoded (for tests and tools).
    public func messages() throws -> [(file: URL, text: String)] {
        let files = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? []
        return try files.filter { $0.pathExtension == "eml" }.sorted { $0.lastPathComponent < $1.lastPathComponent }.map { file in
            (file, try MailFormat.decodedBody(of: String(contentsOf: file, encoding: .utf8)))
        }
    }
}

extension MailFormat {
    /// The text of a message this module wrote (its base64 body decoded).
    public static func decodedBody(of eml: String) throws -> String {
        guard let separator = eml.range(of: "\r\n\r\n") else { return "" }
        let base64 = eml[separator.upperBound...].replacingOccurrences(of: "\r\n", with: "")
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return text
    }
}
