import EmporiumCore
import Foundation
import Identity

/// Languages notifications and mails are written in.
public enum UserLocale: String, Sendable, CaseIterable {
    case ru, en

    public init(parsing text: String, field: String) throws {
        guard let locale = UserLocale(rawValue: text.lowercased()) else {
            throw EmporiumError.badInput("locale must be one of \(UserLocale.allCases.map(\.rawValue).joined(separator: ", "))", field: field)
        }
        self = locale
    }
}

/// An account as the rest of the system sees it (never its password hash).
public struct User: Sendable, Equatable {
    public let id: UserID
    public var email: Email
    public var displayName: String
    public var roles: Set<Role>
    public var locale: UserLocale
    public let createdAt: Date
    public var emailVerifiedAt: Date? = nil
    /// Set by an admin: the account cannot log in or refresh.
    public var suspendedAt: Date? = nil

    public var isEmailVerified: Bool { emailVerifiedAt != nil }
    public var isSuspended: Bool { suspendedAt != nil }
}

/// A display name: 1 to 64 characters after trimming, no control characters.
public enum DisplayName {
    public static let maximumLength = 64

    public static func parse(_ text: String, field: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, TextRules.length(trimmed) <= maximumLength else {
            throw EmporiumError.badInput("a display name has 1 to \(maximumLength) characters", field: field)
        }
        try TextRules.refuseControlCharacters(in: trimmed, field: field)
        return trimmed
    }
}
