/// The counts of a differential run and its first differences.
struct DifferentialTally: Sendable {
    var invalid = 0
    var agreements: [String: Int] = [:]
    var planReuses = 0
    var differences: [(index: Int, text: String)] = []

    var compared: Int { agreements.values.reduce(0, +) + differences.count }

    mutating func record(_ operation: GeneratedOperation, _ outcomes: [DifferentialOutcome]?) {
        guard let outcomes else {
            invalid += 1
            return
        }
        for outcome in outcomes {
            if outcome.planReused { planReuses += 1 }
            switch outcome.verdict {
            case .agree(let agreement):
                agreements[agreement.rawValue, default: 0] += 1
            case .differ(let problems):
                differences.append((operation.index, outcome.describe(operation, problems)))
            }
        }
    }

    mutating func merge(_ other: DifferentialTally) {
        invalid += other.invalid
        planReuses += other.planReuses
        agreements.merge(other.agreements, uniquingKeysWith: +)
        differences += other.differences
    }

    func summary(seed: UInt64, elapsed: Duration) -> String {
        var lines = ["differential run, seed \(seed): \(compared) executions compared (\(planReuses) on a reused plan), \(invalid) invalid documents skipped, \(differences.count) differences, \(elapsed)"]
        for (agreement, count) in agreements.sorted(by: { $0.key < $1.key }) {
            lines.append("  agree, \(agreement): \(count)")
        }
        return lines.joined(separator: "\n")
    }

    /// The first differences, in corpus order.
    func report(limit: Int = 5) -> String {
        differences.sorted { $0.index < $1.index }.prefix(limit).map(\.text).joined(separator: "\n\n")
    }
}
