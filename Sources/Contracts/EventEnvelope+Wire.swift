import Foundation

/// JSON settings shared by every event: ISO 8601 dates with milliseconds, sorted keys (stable
/// bytes for the same event, which makes fixtures and diffs readable).
enum EventJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(formatDate(date))
        }
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parseDate(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 date-time")
            }
            return date
        }
        return decoder
    }()

    /// `2025-12-01T10:00:00.123Z`. Formatted from whole milliseconds, because a formatter
    /// truncates the binary fraction (.123 is stored as .12299…) and would print .122.
    static func formatDate(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (seconds, fraction) = milliseconds.quotientAndRemainder(dividingBy: 1000)
        let whole = Date(timeIntervalSince1970: Double(fraction < 0 ? seconds - 1 : seconds))
        let text = whole.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted))
        let millis = fraction < 0 ? fraction + 1000 : fraction
        return String(text.dropLast()) + "." + String(millis + 1000).dropFirst() + "Z"
    }

    static func parseDate(_ text: String) -> Date? {
        let parsed = (try? Date(text, strategy: .iso8601.year().month().day().time(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: .iso8601))
        return parsed.map(roundedToMilliseconds)
    }

    /// Whole milliseconds (nearest), the precision of the wire and of every comparison.
    static func roundedToMilliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
    }
}

extension EventEnvelope {
    /// Kafka header names for the envelope fields.
    public enum Header {
        public static let eventID = "event-id"
        public static let type = "event-type"
        public static let schemaVersion = "schema-version"
        public static let aggregateID = "aggregate-id"
        public static let occurredAt = "occurred-at"
        public static let correlationID = "correlation-id"
    }

    /// The envelope fields as (name, value) pairs, for message headers.
    public var headers: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            (Header.eventID, eventID.uuidString.lowercased()),
            (Header.type, type),
            (Header.schemaVersion, String(schemaVersion)),
            (Header.aggregateID, aggregateID),
            (Header.occurredAt, EventJSON.formatDate(occurredAt)),
        ]
        if let correlationID { headers.append((Header.correlationID, correlationID)) }
        return headers
    }

    /// The wire form: `{"eventId", "type", "schemaVersion", "topic", "aggregateId", "occurredAt",
    /// "correlationId"?, "payload": {…}}`.
    public func encoded() throws -> Data {
        let payloadObject: Any
        do {
            payloadObject = try JSONSerialization.jsonObject(with: payload)
        } catch {
            throw EventDecodingError("event \(eventID) has a payload that is not JSON")
        }
        var object: [String: Any] = [
            "eventId": eventID.uuidString.lowercased(), "type": type, "schemaVersion": schemaVersion, "topic": topic,
            "aggregateId": aggregateID, "occurredAt": EventJSON.formatDate(occurredAt), "payload": payloadObject,
        ]
        if let correlationID { object["correlationId"] = correlationID }
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// Reads the wire form; every field but `correlationId` is required.
    public init(encoded data: Data) throws {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw EventDecodingError("an event message is not a JSON object (\(data.count) bytes)")
        }
        func field<T>(_ name: String, as: T.Type) throws -> T {
            guard let value = object[name] as? T else {
                throw EventDecodingError("an event message lacks '\(name)' or it has the wrong type")
            }
            return value
        }
        guard let id = UUID(uuidString: try field("eventId", as: String.self)) else {
            throw EventDecodingError("an event message has an eventId that is not a UUID")
        }
        let occurred = try field("occurredAt", as: String.self)
        guard let occurredAt = EventJSON.parseDate(occurred) else {
            throw EventDecodingError("event \(id) has an occurredAt that is not ISO 8601: '\(occurred.prefix(40))'")
        }
        let payloadObject = try field("payload", as: [String: Any].self)
        self.init(
            eventID: id, type: try field("type", as: String.self), schemaVersion: try field("schemaVersion", as: Int.self),
            topic: try field("topic", as: String.self), aggregateID: try field("aggregateId", as: String.self),
            occurredAt: occurredAt, correlationID: object["correlationId"] as? String,
            payload: try JSONSerialization.data(withJSONObject: payloadObject, options: [.sortedKeys, .withoutEscapingSlashes])
        )
    }
}
