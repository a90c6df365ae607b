import GraphQL

/// Bounds on a query's text, checked by a linear scan before GraphQLSwift's parser sees it.
///
/// The parser is recursive: a megabyte of `{a{a{a…` would overflow the stack and end the
/// process, and a megabyte of tokens would build a huge AST before any limit could look at it.
/// This scan counts tokens and bracket nesting the way the GraphQL lexer would (strings, block
/// strings and comments are skipped as units) and refuses the text when either bound is passed.
/// It does not validate: text it accepts can still fail to parse, cleanly.
public struct QueryTextBounds: Sendable {
    /// Tokens (names, numbers, strings, punctuators) in the whole document.
    public var maximumTokens: Int
    /// Open `{`, `(` and `[` at any point. Selection nesting is bounded again, more tightly, by
    /// the depth limit after parsing; this bound only keeps the parser's recursion shallow.
    public var maximumNesting: Int

    public init(maximumTokens: Int = 20_000, maximumNesting: Int = 64) {
        self.maximumTokens = maximumTokens
        self.maximumNesting = maximumNesting
    }

    /// The `extensions.code` of a refused text.
    public static let code = "QUERY_TOO_LARGE"

    /// Nil when the text is within bounds; otherwise the error to answer with.
    public func violation(in text: String) -> GraphQLError? {
        var scan = Scan()
        var text = text
        text.makeContiguousUTF8()
        // A contiguous string always has contiguous UTF-8 storage.
        let outcome = text.utf8.withContiguousStorageIfAvailable { scan.run($0, bounds: self) } ?? .within
        switch outcome {
        case .within:
            return nil
        case .tooManyTokens:
            return Self.error("the query has more than \(maximumTokens) tokens")
        case .nestedTooDeeply:
            return Self.error("the query nests brackets more than \(maximumNesting) levels deep")
        }
    }

    private static func error(_ message: String) -> GraphQLError {
        GraphQLError(message: message, extensions: ["code": .string(code)])
    }

    enum Outcome {
        case within, tooManyTokens, nestedTooDeeply
    }

    struct Scan {
        var tokens = 0
        var nesting = 0

        mutating func run(_ bytes: UnsafeBufferPointer<UInt8>, bounds: QueryTextBounds) -> Outcome {
            var index = 0
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                switch byte {
                case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","):
                    index += 1
                    continue
                case UInt8(ascii: "#"):
                    while index < count, bytes[index] != 0x0A, bytes[index] != 0x0D { index += 1 }
                    continue
                case UInt8(ascii: "\""):
                    index = Self.endOfString(bytes, from: index)
                case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["):
                    nesting += 1
                    if nesting > bounds.maximumNesting { return .nestedTooDeeply }
                    index += 1
                case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"):
                    nesting = max(0, nesting - 1)
                    index += 1
                case UInt8(ascii: "."):
                    while index < count, bytes[index] == UInt8(ascii: ".") { index += 1 }
                default:
                    if Self.isWordByte(byte) {
                        while index < count, Self.isWordByte(bytes[index]) { index += 1 }
                    } else {
                        // Punctuators and bytes the parser will refuse: one token each.
                        index += 1
                    }
                }
                tokens += 1
                if tokens > bounds.maximumTokens { return .tooManyTokens }
            }
            return .within
        }

        /// Names and numbers (with signs and exponents) scan as one word; any byte of a
        /// multi-byte character too, so that non-ASCII garbage is one token, not hundreds.
        static func isWordByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"), 0x80...0xFF:
                true
            default:
                false
            }
        }

        /// The index just past the string (or block string) starting at `start`, or the end of
        /// the text when it is unterminated (the parser then reports it).
        static func endOfString(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
            let count = bytes.count
            let quote = UInt8(ascii: "\"")
            if start + 2 < count, bytes[start + 1] == quote, bytes[start + 2] == quote {
                var index = start + 3
                while index < count {
                    if bytes[index] == UInt8(ascii: "\\"), index + 3 < count, bytes[index + 1] == quote, bytes[index + 2] == quote, bytes[index + 3] == quote {
                        index += 4
                    } else if bytes[index] == quote, index + 2 < count, bytes[index + 1] == quote, bytes[index + 2] == quote {
                        return index + 3
                    } else {
                        index += 1
                    }
                }
                return count
            }
            var index = start + 1
            while index < count {
                switch bytes[index] {
                case UInt8(ascii: "\\"): index += 2
                case quote: return index + 1
                case 0x0A, 0x0D: return index
                default: index += 1
                }
            }
            return count
        }
    }
}
