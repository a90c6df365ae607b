/// Typed reading of `EMPORIUM_*` variables. An empty value counts as unset; a malformed one is a
/// ``ConfigurationError`` that names the variable and what it should be.
public struct EnvironmentSettings: Sendable {
    public let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The non-empty value of `name`.
    public func string(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func boolean(_ name: String) throws -> Bool? {
        guard let text = string(name) else { return nil }
        guard let value = Bool(text.lowercased()) else {
            throw ConfigurationError("\(name) must be true or false (got '\(text)')")
        }
        return value
    }

    /// An integer within `range` (checked before the caller does arithmetic with it).
    public func integer(_ name: String, in range: ClosedRange<Int>) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError("\(name) must be an integer \(range.lowerBound)-\(range.upperBound) (got '\(text)')")
        }
        return value
    }

    /// Whole seconds within `range`.
    public func seconds(_ name: String, in range: ClosedRange<Int>) throws -> Duration? {
        try integer(name, in: range).map { .seconds($0) }
    }
}

/// A configuration mistake: the message names the setting and what it should be.
public struct ConfigurationError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
