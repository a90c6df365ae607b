import GraphQL

/// A scenario's answer differs from the expected one: its numbers would be meaningless.
struct AnswerMismatch: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }

    /// Throws when `actual` is not `expected`, naming `what` and the first place they differ.
    static func expect(_ actual: Map, _ expected: Map, _ what: String) throws {
        guard let (path, got, wanted) = firstDifference(actual, expected, path: "") else { return }
        throw AnswerMismatch("\(what): at \(path.isEmpty ? "the root" : path) expected \(wanted), got \(got)")
    }

    /// The path to the first value that differs (keys in order, then array items), with both values.
    private static func firstDifference(_ actual: Map, _ expected: Map, path: String) -> (String, Map, Map)? {
        switch (actual, expected) {
        case (.dictionary(let got), .dictionary(let wanted)):
            // Arrays of the entries: the dictionaries' own members would need OrderedCollections.
            let (gotEntries, wantedEntries) = (Array(got), Array(wanted))
            guard gotEntries.map(\.key) == wantedEntries.map(\.key) else { return (path, actual, expected) }
            for (entry, wantedEntry) in zip(gotEntries, wantedEntries) {
                if let difference = firstDifference(entry.value, wantedEntry.value, path: path + "." + entry.key) { return difference }
            }
            return nil
        case (.array(let got), .array(let wanted)) where got.count == wanted.count:
            for (index, value) in wanted.enumerated() {
                if let difference = firstDifference(got[index], value, path: path + "[\(index)]") { return difference }
            }
            return nil
        default:
            return actual == expected ? nil : (path, actual, expected)
        }
    }
}
