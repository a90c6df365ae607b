import Foundation
import Logging
import Mail
import Testing

@Suite struct FileMailerTests {
    @Test func messagesAreWrittenAsEmlWithEncodedHeadersAndBody() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-mail-test-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let mailer = FileMailer(directory: directory, logger: Logger(label: "test"))
        try await mailer.send(MailMessage(to: "anna@example.com", subject: "Сброс пароля", text: "Здравствуйте!\nСсылка: https://x/y?token=abc"))
        try await mailer.send(MailMessage(to: "evil@example.com\r\nBcc: all@example.com", subject: "Plain\r\nX-Injected: 1", text: "second"))
        let messages = try mailer.messages()
        #expect(messages.count == 2)
        #expect(messages[0].text == "Здравствуйте!\nСсылка: https://x/y?token=abc")
        let raw = try String(contentsOf: messages[0].file, encoding: .utf8)
        #expect(raw.contains("To: anna@example.com\r\n"))
        #expect(raw.contains("Subject: =?utf-8?B?\(Data("Сброс пароля".utf8).base64EncodedString())?=\r\n"))
        #expect(raw.contains("Content-Type: text/plain; charset=utf-8\r\n") && raw.contains("MIME-Version: 1.0\r\n"))
        // A recipient or subject with line breaks cannot add headers.
        let second = try String(contentsOf: messages[1].file, encoding: .utf8)
        let headers = second.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!headers.contains { $0.hasPrefix("Bcc:") || $0.hasPrefix("X-Injected:") })
        #expect(headers.contains("To: evil@example.comBcc: all@example.com"))
        // Files are private to the process's user.
        let mode = try FileManager.default.attributesOfItem(atPath: messages[0].file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
