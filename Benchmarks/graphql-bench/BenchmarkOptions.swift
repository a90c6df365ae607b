import Foundation

/// `graphql-bench [--iterations N] [--seconds S] [--scenario NAME[,NAME…]]`. The defaults run
/// all five scenarios in well under 90 seconds (about 40 on an idle 2-core machine).
struct BenchmarkOptions {
    /// Sequential operations measured per scenario (after a warm-up of a fifth as many).
    var iterations = 3_000
    /// How long each scenario's concurrent run lasts.
    var seconds = 5
    var concurrency = 32
    /// Scenarios to run, by name; empty: all.
    var scenarios: [String] = []

    static let usage = "usage: graphql-bench [--iterations N] [--seconds S] [--scenario NAME[,NAME...]]"

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        func positive(_ flag: String) -> Int {
            guard let value = iterator.next().flatMap({ Int($0) }), value > 0 else { Self.fail("\(flag) needs a positive integer") }
            return value
        }
        while let argument = iterator.next() {
            switch argument {
            case "--iterations": iterations = positive(argument)
            case "--seconds": seconds = positive(argument)
            case "--scenario":
                guard let names = iterator.next() else { Self.fail("--scenario needs a name") }
                scenarios += names.split(separator: ",").map(String.init)
            case "--help", "-h":
                print(Self.usage)
                exit(0)
            default:
                Self.fail("unknown argument \(argument)")
            }
        }
    }

    var warmUp: Int { max(iterations / 5, 100) }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("graphql-bench: \(message)\n\(usage)\n".utf8))
        exit(2)
    }
}
