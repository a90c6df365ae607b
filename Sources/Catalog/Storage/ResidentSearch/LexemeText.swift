/// PostgreSQL's text forms of `tsvector` and `tsquery`, read so that the resident index stems
/// exactly as PostgreSQL does: documents are indexed from `search_vector::text`, queries from
/// `websearch_to_tsquery(…)::text`, and no stemmer of our own can drift from the database's.
enum LexemeText {
    /// One lexeme of a document: how often it occurs in the title (weight A) and in the
    /// description (any other weight).
    struct Occurrence: Equatable {
        var lexeme: String
        var title: Int
        var description: Int
    }

    /// The lexemes of a `tsvector`'s text form (`'word':1A,4 'other':2B`); nil when the text is not
    /// one (never from PostgreSQL, but the input is not ours to trust).
    static func vector(_ text: String) -> [Occurrence]? {
        var scanner = Scanner(Array(text.utf8))
        var found: [Occurrence] = []
        while true {
            scanner.skipSpaces()
            if scanner.atEnd { return found }
            guard let lexeme = scanner.quoted() else { return nil }
            var occurrence = Occurrence(lexeme: lexeme, title: 0, description: 0)
            if scanner.take(UInt8(ascii: ":")) {
                repeat {
                    guard scanner.digits() else { return nil }
                    if scanner.take(UInt8(ascii: "A")) { occurrence.title += 1 } else {
                        _ = scanner.take(UInt8(ascii: "B")) || scanner.take(UInt8(ascii: "C")) || scanner.take(UInt8(ascii: "D"))
                        occurrence.description += 1
                    }
                } while scanner.take(UInt8(ascii: ","))
            } else {
                // A stripped lexeme (no positions): counted once, as description text.
                occurrence.description = 1
            }
            found.append(occurrence)
        }
    }

    /// A `tsquery`'s text form as a tree of AND, OR and NOT over lexemes; nil for what the resident
    /// index does not evaluate (phrases `<->`, prefixes `:*`, weight restrictions), which then
    /// goes to PostgreSQL. The empty text (a query of stop words only) matches nothing.
    static func query(_ text: String) -> LexemeQuery? {
        var scanner = Scanner(Array(text.utf8))
        scanner.skipSpaces()
        if scanner.atEnd { return .or([]) }
        guard let tree = parseOr(&scanner, depth: 0) else { return nil }
        scanner.skipSpaces()
        return scanner.atEnd ? tree : nil
    }

    /// Nesting deeper than this is refused (PostgreSQL builds these trees from client text).
    static let maximumDepth = 64

    private static func parseOr(_ scanner: inout Scanner, depth: Int) -> LexemeQuery? {
        guard depth < maximumDepth, var first = parseAnd(&scanner, depth: depth) else { return nil }
        var alternatives: [LexemeQuery] = []
        while true {
            scanner.skipSpaces()
            guard scanner.take(UInt8(ascii: "|")) else { break }
            guard let next = parseAnd(&scanner, depth: depth) else { return nil }
            alternatives.append(first)
            first = next
        }
        return alternatives.isEmpty ? first : .or(alternatives + [first])
    }

    private static func parseAnd(_ scanner: inout Scanner, depth: Int) -> LexemeQuery? {
        guard var first = parseNot(&scanner, depth: depth) else { return nil }
        var all: [LexemeQuery] = []
        while true {
            scanner.skipSpaces()
            guard scanner.take(UInt8(ascii: "&")) else { break }
            guard let next = parseNot(&scanner, depth: depth) else { return nil }
            all.append(first)
            first = next
        }
        scanner.skipSpaces()
        if scanner.peek == UInt8(ascii: "<") { return nil }  // a phrase: PostgreSQL's to evaluate
        return all.isEmpty ? first : .and(all + [first])
    }

    private static func parseNot(_ scanner: inout Scanner, depth: Int) -> LexemeQuery? {
        scanner.skipSpaces()
        if scanner.take(UInt8(ascii: "!")) {
            guard depth < maximumDepth, let inner = parseNot(&scanner, depth: depth + 1) else { return nil }
            return .not(inner)
        }
        if scanner.take(UInt8(ascii: "(")) {
            guard let inner = parseOr(&scanner, depth: depth + 1) else { return nil }
            scanner.skipSpaces()
            return scanner.take(UInt8(ascii: ")")) ? inner : nil
        }
        guard let lexeme = scanner.quoted() else { return nil }
        if scanner.peek == UInt8(ascii: ":") { return nil }  // `:*` or a weight restriction
        return .term(lexeme)
    }

    /// Bytes with a read position.
    struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }

        mutating func skipSpaces() {
            while let byte = peek, byte == UInt8(ascii: " ") { index += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func digits() -> Bool {
            let start = index
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") { index += 1 }
            return index > start
        }

        /// `'…'` with `''` for a quote and a backslash before a character taken literally.
        mutating func quoted() -> String? {
            guard take(UInt8(ascii: "'")) else { return nil }
            var lexeme: [UInt8] = []
            while let byte = peek {
                index += 1
                if byte == UInt8(ascii: "\\") {
                    guard let next = peek else { return nil }
                    lexeme.append(next)
                    index += 1
                } else if byte == UInt8(ascii: "'") {
                    guard take(UInt8(ascii: "'")) else { return String(decoding: lexeme, as: UTF8.self) }
                    lexeme.append(byte)
                } else {
                    lexeme.append(byte)
                }
            }
            return nil
        }
    }
}

/// A parsed `tsquery`: what the resident index evaluates over its posting lists.
indirect enum LexemeQuery: Equatable, Sendable {
    case term(String)
    case and([LexemeQuery])
    case or([LexemeQuery])
    case not(LexemeQuery)
}
