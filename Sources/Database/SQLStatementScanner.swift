/// The lexer behind ``SQLScript``: one pass over the text that copies every scalar into the
/// statement being built and ends that statement at a `;` outside parentheses and routine bodies.
///
/// Each construct that can hide a `;` has its own scanning method, which consumes the construct
/// whole (to the end of the text when it is unterminated, as PostgreSQL would reject it anyway).
struct SQLStatementScanner {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    /// The 1-based line of `scalars[index]`.
    private var line = 1
    private var pending = PendingStatement()
    private var statements: [SQLScript.Statement] = []

    init(_ text: String) {
        self.scalars = Array(text.unicodeScalars)
    }

    mutating func scan() -> [SQLScript.Statement] {
        while let scalar = self.peek() {
            self.scanToken(startingWith: scalar)
        }
        self.finishStatement()
        return self.statements
    }

    // MARK: Tokens

    private mutating func scanToken(startingWith scalar: Unicode.Scalar) {
        switch scalar {
        case "-" where self.peek(1) == "-":
            self.scanLineComment()
        case "/" where self.peek(1) == "*":
            self.scanBlockComment()
        case "'":
            self.scanStringLiteral()
        case "\"":
            self.scanQuotedIdentifier()
        case "$":
            self.scanDollar()
        case "(":
            self.pending.hasContent = true
            self.pending.parenDepth += 1
            self.consume()
        case ")":
            self.pending.hasContent = true
            self.pending.parenDepth = max(0, self.pending.parenDepth - 1)
            self.consume()
        case ";" where self.pending.endsAtSemicolon:
            self.index += 1
            self.finishStatement()
        case _ where Self.isIdentifierStart(scalar):
            self.scanWord()
        default:
            if !scalar.properties.isWhitespace { self.pending.hasContent = true }
            self.consume()
        }
    }

    /// `-- …` up to (not including) the line break.
    private mutating func scanLineComment() {
        while let scalar = self.peek(), scalar != "\n" { self.consume() }
    }

    /// `/* … */`, which nests in PostgreSQL.
    private mutating func scanBlockComment() {
        var depth = 0
        while self.peek() != nil {
            if self.peek() == "/", self.peek(1) == "*" {
                depth += 1
                self.consume(2)
            } else if self.peek() == "*", self.peek(1) == "/" {
                depth -= 1
                self.consume(2)
                if depth == 0 { return }
            } else {
                self.consume()
            }
        }
    }

    /// `'…'` with `''` for a quote; `E'…'` also takes backslash escapes.
    private mutating func scanStringLiteral() {
        self.pending.hasContent = true
        let backslashEscapes = self.followsEscapeStringPrefix()
        self.consume()
        while let scalar = self.peek() {
            if backslashEscapes, scalar == "\\", self.peek(1) != nil {
                self.consume(2)
                continue
            }
            self.consume()
            if scalar == "'" {
                guard self.peek() == "'" else { return }
                self.consume()
            }
        }
    }

    /// `"…"` with `""` for a quote.
    private mutating func scanQuotedIdentifier() {
        self.pending.hasContent = true
        self.consume()
        while let scalar = self.peek() {
            self.consume()
            if scalar == "\"" {
                guard self.peek() == "\"" else { return }
                self.consume()
            }
        }
    }

    /// A `$tag$ … $tag$` body, or a lone `$` (as in the parameter `$1`).
    private mutating func scanDollar() {
        self.pending.hasContent = true
        guard !self.followsIdentifier(), let tag = self.dollarTag() else {
            self.consume()
            return
        }
        self.consume(tag.count)
        while self.peek() != nil {
            if self.matches(tag) {
                self.consume(tag.count)
                return
            }
            self.consume()
        }
    }

    /// A keyword or identifier; the first words tell whether `BEGIN … END` is a routine body.
    private mutating func scanWord() {
        self.pending.hasContent = true
        var word = String.UnicodeScalarView()
        while let scalar = self.peek(), Self.isIdentifierScalar(scalar) {
            word.append(scalar)
            self.consume()
        }
        self.pending.noteWord(String(word).lowercased())
    }

    // MARK: Statements

    private mutating func finishStatement() {
        if let statement = self.pending.statement() { self.statements.append(statement) }
        self.pending = PendingStatement()
    }

    // MARK: Reading

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        let position = self.index + offset
        return position < self.scalars.count ? self.scalars[position] : nil
    }

    /// Moves `count` scalars (fewer at the end of the text) into the pending statement.
    private mutating func consume(_ count: Int = 1) {
        for _ in 0..<count {
            guard let scalar = self.peek() else { return }
            self.pending.append(scalar, line: self.line)
            if scalar == "\n" { self.line += 1 }
            self.index += 1
        }
    }

    private func scalar(before offset: Int) -> Unicode.Scalar {
        self.index >= offset ? self.scalars[self.index - offset] : " "
    }

    /// Whether the quote at `index` opens an `E'…'` string: an `E` that is a word of its own.
    private func followsEscapeStringPrefix() -> Bool {
        let previous = self.scalar(before: 1)
        return (previous == "E" || previous == "e") && !Self.isIdentifierScalar(self.scalar(before: 2))
    }

    /// Whether `index` continues an identifier (`a$b` holds no dollar quote).
    private func followsIdentifier() -> Bool {
        Self.isIdentifierScalar(self.scalar(before: 1))
    }

    /// `$$` or `$tag$` starting at `index` (a tag is an identifier without `$`, not starting with a digit).
    private func dollarTag() -> [Unicode.Scalar]? {
        var end = self.index + 1
        while end < self.scalars.count, self.scalars[end] != "$" {
            let c = self.scalars[end]
            let valid = c == "_" || c.properties.isAlphabetic || (end > self.index + 1 && ("0"..."9").contains(c))
            guard valid else { return nil }
            end += 1
        }
        guard end < self.scalars.count else { return nil }
        return Array(self.scalars[self.index...end])
    }

    private func matches(_ tag: [Unicode.Scalar]) -> Bool {
        guard self.index + tag.count <= self.scalars.count else { return false }
        return self.scalars[self.index..<(self.index + tag.count)].elementsEqual(tag)
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    private static func isIdentifierScalar(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }
}

/// The statement being scanned: its text and what decides where it ends.
private struct PendingStatement {
    private var text = String.UnicodeScalarView()
    /// The line of the first non-whitespace scalar (a leading comment counts).
    private var startLine = 1
    private var hasText = false
    /// Whether anything but comments and whitespace was seen; statements without are dropped.
    var hasContent = false
    var parenDepth = 0
    /// Open `BEGIN`/`CASE` blocks of a routine body.
    private var beginDepth = 0
    /// The first four words, lowercased.
    private var leadingWords: [String] = []

    var endsAtSemicolon: Bool { self.parenDepth == 0 && self.beginDepth == 0 }

    mutating func append(_ scalar: Unicode.Scalar, line: Int) {
        if !self.hasText, !scalar.properties.isWhitespace {
            self.hasText = true
            self.startLine = line
        }
        self.text.append(scalar)
    }

    /// Tracks `BEGIN … END` (and `CASE … END` inside it) in `CREATE FUNCTION|PROCEDURE` bodies only:
    /// elsewhere `BEGIN;` and `END;` are transaction statements of their own.
    mutating func noteWord(_ word: String) {
        if self.leadingWords.count < 4 { self.leadingWords.append(word) }
        guard self.isRoutineDefinition, self.parenDepth == 0 else { return }
        switch word {
        case "begin":
            self.beginDepth += 1
        case "case" where self.beginDepth >= 1:
            self.beginDepth += 1
        case "end" where self.beginDepth > 0:
            self.beginDepth -= 1
        default:
            break
        }
    }

    /// `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
    private var isRoutineDefinition: Bool {
        let words = self.leadingWords
        guard words.first == "create" else { return false }
        let routine: Set = ["function", "procedure"]
        if words.count > 1, routine.contains(words[1]) { return true }
        return words.count > 3 && words[1] == "or" && words[2] == "replace" && routine.contains(words[3])
    }

    /// The finished statement, or nil when it held nothing to run.
    func statement() -> SQLScript.Statement? {
        let sql = String(self.text).trimmingWhitespace()
        guard self.hasContent, !sql.isEmpty else { return nil }
        return SQLScript.Statement(sql: sql, line: self.startLine)
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
