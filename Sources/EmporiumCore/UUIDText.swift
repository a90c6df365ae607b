public import Foundation

/// UUIDs as canonical text (8-4-4-4-12 hexadecimal digits), written and read without Foundation's
/// formatting: `uuidString` goes through `sprintf` and `lowercased()` through CoreFoundation, and
/// `UUID(uuidString:)` through `sscanf` — together a visible share of a page of products, whose
/// every id and cursor is formatted per request.
public enum UUIDText {

    /// Lowercase canonical text ("3f2b…-…").
    public static func lowercase(_ uuid: UUID) -> String {
        withUnsafeBytes(of: uuid.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var position = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[position] = UInt8(ascii: "-")
                        position += 1
                    }
                    text[position] = Hex.digits[Int(byte >> 4)]
                    text[position + 1] = Hex.digits[Int(byte & 0x0F)]
                    position += 2
                }
                return position
            }
        }
    }

    /// A random (version 4) UUID from the system's generator. Foundation's `UUID()` opens
    /// `/dev/urandom` on every call on Linux; a request id per request made that a syscall pair.
    public static func random() -> UUID {
        var generator = SystemRandomNumberGenerator()
        return version4(high: generator.next(), low: generator.next())
    }

    /// A version 4 UUID made of these 128 bits (six of them replaced by the version and variant).
    public static func version4(high: UInt64, low: UInt64) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (56 - 8 * index))
            bytes[8 + index] = UInt8(truncatingIfNeeded: low >> (56 - 8 * index))
        }
        bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 4122 variant
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    /// A UUID from canonical text in either case; nil for anything else.
    public static func parse(_ text: String) -> UUID? {
        var bytes = [UInt8](repeating: 0, count: 16)
        var valid = true
        var count = 0
        var half: UInt8?
        for (index, character) in text.utf8.enumerated() {
            if index == 8 || index == 13 || index == 18 || index == 23 {
                guard character == UInt8(ascii: "-") else { valid = false; break }
                continue
            }
            guard let value = Hex.value(of: character), count < 16 else { valid = false; break }
            if let high = half {
                bytes[count] = high << 4 | value
                count += 1
                half = nil
            } else {
                half = value
            }
            if index >= 36 { valid = false; break }
        }
        guard valid, count == 16, half == nil, text.utf8.count == 36 else { return nil }
        return UUID(uuid: (
            bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
            bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}
