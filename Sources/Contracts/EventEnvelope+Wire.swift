public import Foundation

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

    /// `2025-12-01T10:00:00.123Z`, from whole milliseconds (nearest). Computed directly (civil
    /// date from the day number) rather than with a date formatter: it runs twice per event on
    /// the relay's path, and a formatter would also truncate .123 (stored as .12299…) to .122.
    static func formatDate(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let (days, msOfDay) = divideFloor(milliseconds, 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let (hour, rest) = msOfDay.quotientAndRemainder(dividingBy: 3_600_000)
        let (minute, rest2) = rest.quotientAndRemainder(dividingBy: 60_000)
        let (second, millis) = rest2.quotientAndRemainder(dividingBy: 1000)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2)).\(pad(millis, 3))Z"
    }

    static func divideFloor(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let (q, r) = a.quotientAndRemainder(dividingBy: b)
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = divideFloor(z, 146_097).0
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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

    /// The wire form: `{"aggregateId", "correlationId"?, "eventId", "occurredAt", "payload": {…},
    /// "schemaVersion", "topic", "type"}` (keys sorted).
    ///
    /// Written directly rather than through `JSONSerialization`: the payload is already JSON and
    /// is embedded as it is, which keeps the relay's cost per event low (docs/BENCHMARKS.md).
    public func encoded() throws -> Data {
        guard payload.first(where: { !Self.isJSONWhitespace($0) }) == UInt8(ascii: "{") else {
            throw EventDecodingError("event \(eventID) has a payload that is not a JSON object")
        }
        var json = Data()
        json.reserveCapacity(payload.count + 256)
        func member(_ key: String, _ value: String, first: Bool = false) {
            json.append(contentsOf: Array((first ? "{\"" : ",\"").utf8))
            json.append(contentsOf: Array(key.utf8))
            json.append(contentsOf: Array("\":".utf8))
            Self.appendJSONString(value, to: &json)
        }
        member("aggregateId", aggregateID, first: true)
        if let correlationID { member("correlationId", correlationID) }
        member("eventId", eventID.uuidString.lowercased())
        member("occurredAt", EventJSON.formatDate(occurredAt))
        json.append(contentsOf: Array(",\"payload\":".utf8))
        json.append(payload)
        json.append(contentsOf: Array(",\"schemaVersion\":\(schemaVersion)".utf8))
        member("topic", topic)
        member("type", type)
        json.append(UInt8(ascii: "}"))
        return json
    }

    static func isJSONWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Appends `text` as a JSON string literal (RFC 8259 escaping; non-ASCII stays UTF-8).
    static func appendJSONString(_ text: String, to json: inout Data) {
        json.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): json.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): json.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: json.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: json.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: json.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20: json.append(contentsOf: Array(String(format: "\\u%04x", byte).utf8))
            default: json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
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
        let version = try field("schemaVersion", as: Int.self)
        guard (1...Int(Int32.max)).contains(version) else {
            throw EventDecodingError("event \(id) has schemaVersion \(version); versions are 1 to \(Int32.max)")
        }
        self.init(
            eventID: id, type: try field("type", as: String.self), schemaVersion: version,
            topic: try field("topic", as: String.self), aggregateID: try field("aggregateId", as: String.self),
            occurredAt: occurredAt, correlationID: object["correlationId"] as? String,
            payload: try Self.payloadBytes(in: data) ?? JSONSerialization.data(withJSONObject: payloadObject, options: [.sortedKeys, .withoutEscapingSlashes])
        )
    }

    /// The payload's bytes as they are in the message, when its top-level object has exactly one
    /// plain `"payload"` key: what `encoded()` embedded, byte for byte, without writing the
    /// parsed object again (with sorted keys that compared every key through the locale, and it
    /// was the largest cost of a consumer's decoding; docs/events.md). Nil otherwise — an
    /// escaped or repeated key —, and the payload is written from the parsed object. `data` has
    /// been parsed as JSON already, so this only finds where values begin and end.
    static func payloadBytes(in data: Data) -> Data? {
        let bytes = [UInt8](data)
        var index = 0
        func skipSpace() { while index < bytes.count, isJSONWhitespace(bytes[index]) { index += 1 } }
        /// Past the string that starts at `index` (on its quote); whether it had an escape.
        func skipString() -> Bool? {
            var escaped = false
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): escaped = true; index += 2
                case UInt8(ascii: "\""): index += 1; return escaped
                default: index += 1
                }
            }
            return nil
        }
        /// Past the value that starts at `index`.
        func skipValue() -> Bool {
            var depth = 0
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard skipString() != nil else { return false }
                    if depth == 0 { return true }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }  // the end of the enclosing object
                    depth -= 1
                    if depth == 0 { index += 1; return true }
                case UInt8(ascii: ","):
                    if depth == 0 { return true }
                default: break
                }
                index += 1
            }
            return depth == 0
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        let wanted = Array("payload".utf8)
        var found: Range<Int>?
        while true {
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { break }
            guard bytes[index] == UInt8(ascii: "\"") else { return nil }
            let keyStart = index + 1
            guard let escaped = skipString() else { return nil }
            let key = bytes[keyStart..<(index - 1)]
            if escaped { return nil }  // it might spell "payload"
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            skipSpace()
            let valueStart = index
            guard skipValue() else { return nil }
            if key.elementsEqual(wanted) {
                guard found == nil else { return nil }
                found = valueStart..<index
            }
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: ",") { index += 1 }
        }
        guard let found else { return nil }
        var end = found.upperBound
        while end > found.lowerBound, isJSONWhitespace(bytes[end - 1]) { end -= 1 }
        return Data(bytes[found.lowerBound..<end])
    }
}
