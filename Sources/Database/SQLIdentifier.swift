import Foundation
/// Quoting for identifiers that cannot be bind parameters (schema and database names).
enum SQLIdentifier {
    /// `name` as a double-quoted identifier, with embedded quotes doubled.
    static func quote(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
