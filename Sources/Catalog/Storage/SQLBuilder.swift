import PostgresNIO

/// Builds dynamic SQL with numbered binds, so that optional filters never splice values into text.
struct SQLBuilder {
    private(set) var sql = ""
    private(set) var binds = PostgresBindings()

    init(_ sql: String = "") { self.sql = sql }

    mutating func append(_ text: String) { sql += text }

    /// Appends a bind and returns its placeholder (`$3`).
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    mutating func bindJSON(_ value: String) -> String {
        binds.append(value)
        return "$\(binds.count)::jsonb"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}
