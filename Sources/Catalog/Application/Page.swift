/// One page of a list, with what a client needs to ask for the next.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    public let hasNextPage: Bool
    /// Makes the cursor of the item at an index; the last one continues the list. Made only when
    /// asked for: most pages are read without the cursor of every item.
    private let makeCursor: @Sendable (Int) -> String

    public init(items: [Item], hasNextPage: Bool, cursor: @escaping @Sendable (Int) -> String) {
        self.items = items
        self.hasNextPage = hasNextPage
        makeCursor = cursor
    }

    public func cursor(at index: Int) -> String { makeCursor(index) }

    public var endCursor: String? { items.isEmpty ? nil : makeCursor(items.count - 1) }
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
