/// A small seeded generator (SplitMix64): the differential corpus must be the same on every
/// machine and every run, so a failure printed by CI can be replayed from its seed alone.
/// `SystemRandomNumberGenerator` cannot be seeded, and Swift's standard library offers no other.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with the given probability.
    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) / Double(1 << 53) < probability
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self)
    }

    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int.random(in: 0..<elements.count, using: &self)]
    }

    /// An element chosen in proportion to its weight (weights > 0).
    mutating func pick<Element>(weighted elements: [(Element, Int)]) -> Element {
        var roll = Int.random(in: 0..<elements.reduce(0) { $0 + $1.1 }, using: &self)
        for (element, weight) in elements {
            if roll < weight { return element }
            roll -= weight
        }
        return elements[elements.count - 1].0
    }
}
