import Foundation
import GraphQLExecution

/// GraphQL's `ID` in input objects decoded with `Codable` (a client may send a number), and as a
/// resolver's answer.
public struct GraphID: Codable, Sendable, Hashable, CustomStringConvertible {
    public let value: String

    public init(_ value: String) { self.value = value }
    public init(_ value: some CustomStringConvertible) { self.value = value.description }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            value = text
        } else {
            value = String(try container.decode(Int.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

/// An RFC 3339 / ISO 8601 timestamp with milliseconds, in UTC ("2026-11-25T09:00:00.000Z").
public struct DateTime: Codable, Sendable, Hashable {
    public let date: Date

    public init(_ date: Date) { self.date = date }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = DateTime.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text.prefix(40))' is not an ISO 8601 date-time such as 2026-11-25T09:00:00Z")
        }
        self.date = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }

    static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }
}

extension GraphID: OutputValueConvertible {
    public var outputValue: OutputValue { .string(value) }
}

extension DateTime: OutputValueConvertible {
    public var outputValue: OutputValue { .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))) }
}
