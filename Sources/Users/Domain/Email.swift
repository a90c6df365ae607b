import EmporiumCore
import Foundation

/// An email address as accounts are keyed by it: trimmed, and lowercased as a whole.
///
/// Lowercasing the local part is not what RFC 5321 says (it may be case-sensitive), but every
/// provider in use treats it case-insensitively, and two accounts for `Anna@x.ru` and
/// `anna@x.ru` would be a support case waiting to happen. The check is deliberately simple —
/// one `@`, a local part and a dotted domain, no spaces or control characters, 254 bytes at most
/// — because the only real proof that an address works is the verification mail.
public struct Email: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public static let maximumBytes = 254

    public init(parsing text: String, field: String = "email") throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let invalid = EmporiumError.badInput("'\(trimmed.prefix(64))' is not an email address (expected name@example.com)", field: field)
        guard !trimmed.isEmpty, trimmed.utf8.count <= Self.maximumBytes else {
            throw EmporiumError.badInput("an email address has 3 to \(Self.maximumBytes) bytes", field: field)
        }
        try TextRules.refuseControlCharacters(in: trimmed, field: field)
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].utf8.count <= 64, !trimmed.contains(where: \.isWhitespace) else { throw invalid }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 63 && $0.first != "-" && $0.last != "-" }) else { throw invalid }
        rawValue = trimmed
    }

    public var description: String { rawValue }
}
