import Foundation

/// Values numbered in the order first seen (sellers, categories, currencies), so that columns
/// hold small integers.
struct Interned<Value: Hashable & Sendable>: Sendable {
    private(set) var values: [Value] = []
    private var numbers: [Value: Int32] = [:]

    mutating func number(of value: Value) -> Int32 {
        if let known = numbers[value] { return known }
        let number = Int32(values.count)
        values.append(value)
        numbers[value] = number
        return number
    }

    func existingNumber(of value: Value) -> Int32? { numbers[value] }
}

/// An id in the order ranking ties are broken by (PostgreSQL's `uuid` order: its bytes).
struct OrderedID: Comparable, Sendable {
    var high: UInt64
    var low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ id: UUID) {
        (high, low) = withUnsafeBytes(of: id.uuid) { raw in
            (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    static func < (a: OrderedID, b: OrderedID) -> Bool { a.high != b.high ? a.high < b.high : a.low < b.low }
}
