/// Hexadecimal digits, read and written the same way everywhere (UUIDs, cursors, signatures,
/// percent-encoding).
public enum Hex {
    /// `0`–`9`, `a`–`f`, as ASCII bytes.
    public static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one hex digit (either case); nil for any other byte.
    @inlinable
    public static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
