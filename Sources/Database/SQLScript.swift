/// Splits SQL text into single statements.
///
/// PostgresNIO 1.33 speaks only the extended query protocol (even `simpleQuery` and queries without
/// binds go through Parse/Bind/Execute), and PostgreSQL rejects more than one statement per Parse
/// ("cannot insert multiple commands into a prepared statement"). Migration files hold many
/// statements, so the migrator sends them one by one.
///
/// The scanner (``SQLStatementScanner``) knows the lexical rules that can hide a `;`: `'…'`
/// strings (with `''`), `E'…'` strings (with backslash escapes), `"…"` identifiers, `$tag$…$tag$`
/// bodies, `--` comments, nested `/* */` comments, and, as psql does, `BEGIN … END` bodies of
/// `CREATE [OR REPLACE] FUNCTION|PROCEDURE … BEGIN ATOMIC`. Statements that hold only comments or
/// whitespace are dropped.
struct SQLScript: Sendable {
    /// One statement and the 1-based line it starts on (for error messages).
    struct Statement: Sendable, Equatable {
        var sql: String
        var line: Int
    }

    let statements: [Statement]

    init(_ text: String) {
        var scanner = SQLStatementScanner(text)
        self.statements = scanner.scan()
    }
}
