/// Splits SQL text into single statements.
///
/// PostgresNIO 1.33 speaks only the extended query protocol (even `simpleQuery` and queries without
/// binds go through Parse/Bind/Execute), and PostgreSQL rejects more than one statement per Parse
/// ("cannot insert multiple commands into a prepared statement"). Migration files hold many
/// statements, so the migrator sends them one by one.
///
/// The scanner knows the lexical rules that can hide a `;`: `'…'` strings (with `''`), `E'…'`
/// strings (with backslash escapes), `"…"` identifiers, `$tag$…$tag$` bodies, `--` comments,
/// nested `/* */` comments, and, as psql does, `BEGIN … END` bodies of `CREATE [OR REPLACE]
/// FUNCTION|PROCEDURE … BEGIN ATOMIC`. Statements that hold only comments or whitespace are dropped.
struct SQLScript: Sendable {
    /// One statement and the 1-based line it starts on (for error messages).
    struct Statement: Sendable, Equatable {
        var sql: String
        var line: Int
    }

    let statements: [Statement]

    init(_ text: String) {
        self.statements = Self.split(text)
    }

    private static func split(_ text: String) -> [Statement] {
        let chars = Array(text.unicodeScalars)
        var statements: [Statement] = []
        var current = String.UnicodeScalarView()
        var hasContent = false
        var startLine = 1
        var line = 1
        var index = 0
        var parenDepth = 0
        var beginDepth = 0
        var words: [String] = []   // the first few words of the statement, lowercased

        func peek(_ offset: Int) -> Unicode.Scalar? {
            let position = index + offset
            return position < chars.count ? chars[position] : nil
        }
        var hasText = false
        func append(_ scalar: Unicode.Scalar) {
            if !hasText, !scalar.properties.isWhitespace { hasText = true; startLine = line }
            current.append(scalar)
            if scalar == "\n" { line += 1 }
        }
        func markContent() {
            hasContent = true
        }
        func finishStatement() {
            let sql = String(current).trimmingWhitespace()
            if hasContent, !sql.isEmpty { statements.append(Statement(sql: sql, line: startLine)) }
            current = String.UnicodeScalarView()
            hasContent = false
            hasText = false
            parenDepth = 0
            beginDepth = 0
            words = []
        }
        var isRoutineDefinition: Bool {
            guard words.first == "create" else { return false }
            if words.count > 1, words[1] == "function" || words[1] == "procedure" { return true }
            if words.count > 3, words[1] == "or", words[2] == "replace", words[3] == "function" || words[3] == "procedure" { return true }
            return false
        }

        while index < chars.count {
            let c = chars[index]
            switch c {
            case "-" where peek(1) == "-":
                while index < chars.count, chars[index] != "\n" { append(chars[index]); index += 1 }
                continue
            case "/" where peek(1) == "*":
                var depth = 0
                while index < chars.count {
                    if chars[index] == "/", peek(1) == "*" {
                        depth += 1; append(chars[index]); append(chars[index + 1]); index += 2
                    } else if chars[index] == "*", peek(1) == "/" {
                        depth -= 1; append(chars[index]); append(chars[index + 1]); index += 2
                        if depth == 0 { break }
                    } else {
                        append(chars[index]); index += 1
                    }
                }
                continue
            case "'":
                markContent()
                let previous = index > 0 ? chars[index - 1] : " "
                let prePrevious = index > 1 ? chars[index - 2] : " "
                let escapeString = (previous == "E" || previous == "e") && !Self.isIdentifierScalar(prePrevious)
                append(c); index += 1
                while index < chars.count {
                    let s = chars[index]
                    if escapeString, s == "\\", index + 1 < chars.count {
                        append(s); append(chars[index + 1]); index += 2; continue
                    }
                    append(s); index += 1
                    if s == "'" {
                        if peek(0) == "'" { append(chars[index]); index += 1; continue }
                        break
                    }
                }
                continue
            case "\"":
                markContent()
                append(c); index += 1
                while index < chars.count {
                    let s = chars[index]
                    append(s); index += 1
                    if s == "\"" {
                        if peek(0) == "\"" { append(chars[index]); index += 1; continue }
                        break
                    }
                }
                continue
            case "$":
                markContent()
                let previous = index > 0 ? chars[index - 1] : " "
                if !Self.isIdentifierScalar(previous), let tag = Self.dollarTag(chars, at: index) {
                    for scalar in tag { append(scalar) }
                    index += tag.count
                    // Find the closing tag.
                    while index < chars.count {
                        if chars[index] == "$", Self.matches(chars, at: index, tag) {
                            for scalar in tag { append(scalar) }
                            index += tag.count
                            break
                        }
                        append(chars[index]); index += 1
                    }
                    continue
                }
                append(c); index += 1
                continue
            case "(":
                markContent(); parenDepth += 1; append(c); index += 1; continue
            case ")":
                markContent(); parenDepth = max(0, parenDepth - 1); append(c); index += 1; continue
            case ";":
                if parenDepth == 0, beginDepth == 0 {
                    index += 1
                    finishStatement()
                    continue
                }
                append(c); index += 1; continue
            default:
                if Self.isIdentifierStart(c) {
                    markContent()
                    var word = String.UnicodeScalarView()
                    while index < chars.count, Self.isIdentifierScalar(chars[index]) {
                        word.append(chars[index]); append(chars[index]); index += 1
                    }
                    let lower = String(word).lowercased()
                    if words.count < 4 { words.append(lower) }
                    if isRoutineDefinition, parenDepth == 0 {
                        if lower == "begin" {
                            beginDepth += 1
                        } else if lower == "case", beginDepth >= 1 {
                            beginDepth += 1
                        } else if lower == "end", beginDepth > 0 {
                            beginDepth -= 1
                        }
                    }
                    continue
                }
                if !c.properties.isWhitespace { markContent() }
                append(c); index += 1
            }
        }
        finishStatement()
        return statements
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    private static func isIdentifierScalar(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    /// `$$` or `$tag$` starting at `index` (a tag is an identifier without `$`, not starting with a digit).
    private static func dollarTag(_ chars: [Unicode.Scalar], at index: Int) -> [Unicode.Scalar]? {
        var end = index + 1
        while end < chars.count, chars[end] != "$" {
            let c = chars[end]
            let valid = c == "_" || c.properties.isAlphabetic || (end > index + 1 && ("0"..."9").contains(c))
            guard valid else { return nil }
            end += 1
        }
        guard end < chars.count else { return nil }
        return Array(chars[index...end])
    }

    private static func matches(_ chars: [Unicode.Scalar], at index: Int, _ tag: [Unicode.Scalar]) -> Bool {
        guard index + tag.count <= chars.count else { return false }
        for offset in 0..<tag.count where chars[index + offset] != tag[offset] { return false }
        return true
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
