import Foundation

/// An opaque pagination cursor: clients pass back what they were given.
///
/// Encoded as base64url of a small JSON object with a version tag, so that a tampered or stale
/// cursor is a clear `BAD_USER_INPUT` rather than a wrong page.
public struct Cursor: Sendable, Equatable {
    public let values: [String]

    public init(_ values: [String]) { self.values = values }

    public init(decoding text: String, field: String = "after") throws {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard text.count <= 512,
              let data = Data(base64Encoded: base64),
              let payload = try? JSONDecoder().decode(Payload.self, from: data),
              payload.v == 1
        else {
            throw EmporiumError.badInput("'\(text.prefix(64))' is not a valid cursor; pass back a cursor from a previous page", field: field)
        }
        values = payload.k
    }

    public var encoded: String {
        let data = (try? JSONEncoder().encode(Payload(v: 1, k: values))) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private struct Payload: Codable {
        let v: Int
        let k: [String]
    }
}
