public import Foundation

/// A typed identifier: a UUID that cannot be mixed up with another entity's.
///
/// Parsing is strict (canonical UUID text) so malformed ids become `BAD_USER_INPUT`, not a
/// database error.
public protocol EntityID: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    var uuid: UUID { get }
    init(uuid: UUID)
    /// The entity's name in error messages ("product").
    static var entityName: String { get }
}

extension EntityID {
    public init() { self.init(uuid: UUID()) }

    public init(parsing text: String, field: String? = nil) throws {
        guard let uuid = UUIDText.parse(text) else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a valid \(Self.entityName) id (expected a UUID)", field: field)
        }
        self.init(uuid: uuid)
    }

    public var description: String { UUIDText.lowercase(uuid) }

    /// The order of their canonical text, which is the order of their bytes.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        withUnsafeBytes(of: lhs.uuid.uuid) { left in
            withUnsafeBytes(of: rhs.uuid.uuid) { right in left.lexicographicallyPrecedes(right) }
        }
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

public struct ProductID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "product" }
}

public struct CategoryID: EntityID {
    public let uuid: UUID
    public init(uuid: UUID) { self.uuid = uuid }
    public static var entityName: String { "category" }
}

/// Users are owned by the identity provider; their ids are opaque strings (the JWT subject).
public struct UserID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
