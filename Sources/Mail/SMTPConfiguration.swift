import Foundation

/// Where and how `SMTPMailer` delivers, from one URL:
/// `smtp://[user:password@]host[:25]` (plain: a relay on the host or in the pod),
/// `smtp+starttls://[user:password@]host[:587]` (submission: STARTTLS before anything else, refused
/// when the relay does not offer it) or `smtps://[user:password@]host[:465]` (TLS from the first
/// byte). The sender comes apart (`EMPORIUM_MAIL_FROM`): it is an address the relay must accept,
/// not a secret.
public struct SMTPConfiguration: Sendable, Equatable {
    /// How the conversation is protected.
    public enum Security: String, Sendable, Equatable {
        /// No TLS: a relay on the same host or in the same pod.
        case plain
        /// Plain greeting, then STARTTLS (RFC 3207) before the credentials; never falls back.
        case startTLS
        /// TLS from the first byte (RFC 8314).
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// The envelope sender (MAIL FROM) and the From header's address.
    public var fromAddress: String
    /// The From header's display name.
    public var fromName: String
    /// Extra trusted roots for TLS (a PEM file), beside the system's: a private relay's CA.
    public var trustRootsFile: String?
    /// Longest wait for the relay at any step.
    public var timeout: Duration

    public init(
        host: String, port: Int, security: Security = .plain, username: String? = nil, password: String? = nil,
        fromAddress: String, fromName: String = "Emporium", trustRootsFile: String? = nil, timeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.fromAddress = fromAddress
        self.fromName = fromName
        self.trustRootsFile = trustRootsFile
        self.timeout = timeout
    }

    /// Reads `url`; an error names what is wrong (never echoing the password).
    public init(url text: String, fromAddress: String, fromName: String = "Emporium", trustRootsFile: String? = nil) throws {
        let schemes: [String: (Security, Int)] = ["smtp": (.plain, 25), "smtp+starttls": (.startTLS, 587), "smtps": (.implicitTLS, 465)]
        guard let url = URLComponents(string: text), let (security, defaultPort) = url.scheme.flatMap({ schemes[$0.lowercased()] }),
              let host = url.host, !host.isEmpty
        else {
            throw SMTPError.configuration("the SMTP URL must look like smtp://[user:password@]host[:port], smtp+starttls://… or smtps://…")
        }
        let port = url.port ?? defaultPort
        guard (1...65_535).contains(port) else { throw SMTPError.configuration("the SMTP port must be 1-65535") }
        guard Self.isAddress(fromAddress) else {
            throw SMTPError.configuration("the sender '\(fromAddress.prefix(80))' is not a mail address such as no-reply@example.com")
        }
        self.init(
            host: host, port: port, security: security, username: url.user?.removingPercentEncoding,
            password: url.password?.removingPercentEncoding, fromAddress: fromAddress, fromName: fromName, trustRootsFile: trustRootsFile)
    }

    /// An address SMTP can carry in `<…>`: one @, no spaces, brackets or line breaks.
    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && text.utf8.count <= 254
            && !text.unicodeScalars.contains { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" || $0.value < 0x20 }
    }
}

/// Why mail was not handed over; the message says what the relay answered.
public enum SMTPError: Error, Sendable, CustomStringConvertible, Equatable {
    case configuration(String)
    /// The relay answered `code` where another was expected.
    case rejected(step: String, code: Int, text: String)
    case unreachable(String)
    case timedOut(step: String)

    public var description: String {
        switch self {
        case .configuration(let text): text
        case .rejected(let step, let code, let text): "the mail relay refused \(step): \(code) \(text.prefix(200))"
        case .unreachable(let text): "the mail relay is unreachable: \(text)"
        case .timedOut(let step): "the mail relay did not answer \(step) in time"
        }
    }
}
