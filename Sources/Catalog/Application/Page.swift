/// One page of a list, with what a client needs to ask for the next.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let hasNextPage: Bool
    /// Cursor of each item, in order; the last one continues the list.
    public let cursors: [String]

    public init(items: [Item], hasNextPage: Bool, cursors: [String]) {
        self.items = items
        self.hasNextPage = hasNextPage
        self.cursors = cursors
    }

    public var endCursor: String? { cursors.last }
}

/// Page-size rules shared by every list.
public enum PageSize {
    public static let `default` = 20
    public static let maximum = 100

    public static func validate(_ first: Int?, field: String = "first") throws -> Int {
        let size = first ?? PageSize.default
        guard (1...maximum).contains(size) else {
            throw EmporiumError.badInput("'first' must be between 1 and \(maximum) (got \(size))", field: field)
        }
        return size
    }
}

import EmporiumCore
