import Foundation

/// One message to one recipient: plain UTF-8 text. Services write what to say; adapters how to
/// deliver it.
public struct MailMessage: Sendable, Equatable {
    public var to: String
    public var subject: String
    public var text: String

    public init(to: String, subject: String, text: String) {
        self.to = to
        self.subject = subject
        self.text = text
    }
}

/// Sends mail. Adapters: ``FileMailer`` (each message an `.eml` file; the single node and
/// tests) and ``SMTPMailer`` (a relay, plain or TLS; production).
public protocol Mailer: Sendable {
    /// Delivered, or at least handed over, when it returns; throws when it could not be.
    func send(_ message: MailMessage) async throws
}
