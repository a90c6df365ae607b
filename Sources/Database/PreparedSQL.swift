public import Foundation
public import Logging
public import PostgresNIO

/// A statement hot enough to be prepared: parsed and planned once per connection, then executed
/// by name. Under the order saga's load PostgreSQL spent about half of its CPU parsing, analysing
/// and planning statements it had seen thousands of times (docs/BENCHMARKS.md, #18); the few
/// statements of the hot paths that cost most to plan are declared as conforming types.
///
/// Give every parameter an explicit cast (`$1::uuid`): the types are fixed when the statement is
/// prepared, from the text alone, and must match what the bindings encode on every later call.
public protocol PreparedSQL: Sendable {
    /// Unique among the statements of one database (`"<service>_<what>"`, as the hand-written
    /// statements are named). Declared, not derived from the type: it is read on every execution.
    static var name: String { get }
    static var sql: String { get }
}

/// `Text`'s statement with one call's bindings; rows come back undecoded.
public struct Prepared<Text: PreparedSQL>: PostgresPreparedStatement {
    public typealias Row = PostgresRow

    public static var name: String { Text.name }
    public static var sql: String { Text.sql }

    let bindings: PostgresBindings

    public init(_ bindings: PostgresBindings) {
        self.bindings = bindings
    }

    public func makeBindings() -> PostgresBindings { bindings }

    public func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

extension PostgresConnection {
    /// Runs `Text` with `bindings`, preparing it first on this connection if it is new here.
    public func run<Text: PreparedSQL>(
        _: Text.Type, _ bindings: PostgresBindings, logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow> {
        try await execute(Prepared<Text>(bindings), logger: logger, file: file, line: line)
    }

    /// `One` (whose `$1` is one `uuid`) for a single id, else `Many` (whose `$1` is a `uuid[]`):
    /// a generic plan serves the first, while an array's length is unknown to one, so PostgreSQL
    /// plans the second again on every call. Most reads on the hot paths are of one id.
    public func run<One: PreparedSQL, Many: PreparedSQL>(
        _: One.Type, or _: Many.Type, ids: [UUID], logger: Logger, file: String = #fileID, line: Int = #line
    ) async throws -> AsyncThrowingMapSequence<PostgresRowSequence, PostgresRow> {
        var bindings = PostgresBindings(capacity: 1)
        if ids.count == 1 {
            bindings.append(ids[0])
            return try await run(One.self, bindings, logger: logger, file: file, line: line)
        }
        bindings.append(ids)
        return try await run(Many.self, bindings, logger: logger, file: file, line: line)
    }
}
