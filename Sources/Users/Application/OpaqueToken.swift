import Crypto
import EmporiumCore
import Foundation

/// The tokens the users service hands out besides access tokens — refresh tokens and the
/// single-use tokens it mails: 256 random bits, base64url without padding (43 characters),
/// opaque to the client. Only their SHA-256 is stored, so a copy of the database holds no live
/// token.
public struct OpaqueToken: Sendable {
    /// What the client gets.
    public let text: String
    /// What is stored.
    public let hash: [UInt8]

    public static func generate() -> OpaqueToken {
        var generator = SystemRandomNumberGenerator()
        let text = Base64URL.encode((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return OpaqueToken(text: text, hash: digest(text))
    }

    /// The stored form of a token a client presented; nil when it cannot be one of ours (so it
    /// is refused without a database round trip).
    public static func hash(presented token: String) -> [UInt8]? {
        guard token.utf8.count == 43, token.utf8.allSatisfy({ byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }) else { return nil }
        return digest(token)
    }

    private static func digest(_ text: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(text.utf8)))
    }
}
