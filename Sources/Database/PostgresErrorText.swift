import PostgresNIO

/// Turns PostgresNIO errors into one readable line. `PSQLError.description` is deliberately vague
/// (it may be shown to users); operators of migrations and clusters need the server's message.
enum PostgresErrorText {
    static func summary(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo {
                var text = info[.message] ?? "server error"
                if let detail = info[.detail] { text += " (\(detail))" }
                if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
                return text
            }
            return "\(error.code)"
        }
        if let error = error as? DatabaseError { return error.message }
        return "\(error)"
    }
}
