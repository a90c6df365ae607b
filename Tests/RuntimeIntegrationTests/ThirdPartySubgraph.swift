import EmporiumTesting
import Foundation
import Testing

/// `Tests/Fixtures/reviews_subgraph.py`: a federation v2 subgraph written with strawberry
/// (Python), on a free 127.0.0.1 port.
final class ThirdPartySubgraph: Sendable {
    let process: Process
    let url: String

    private init(process: Process, url: String) {
        self.process = process
        self.url = url
    }

    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reviews_subgraph.py")
    }

    static func start() async throws -> ThirdPartySubgraph {
        try TestServers.admit("a third-party subgraph (strawberry)")
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import strawberry.federation"]
        try check.run()
        check.waitUntilExit()
        try #require(check.terminationStatus == 0, "strawberry-graphql is missing: python3 -m pip install strawberry-graphql (scripts/setup installs it)")

        let port = try LocalPort.free()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, String(port)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let subgraph = ThirdPartySubgraph(process: process, url: "http://127.0.0.1:\(port)/graphql")
        // It prints "listening" once the socket is bound.
        let line = try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask { String(decoding: output.fileHandleForReading.availableData, as: UTF8.self) }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                return "timed out"
            }
            defer { group.cancelAll() }
            return try await group.next() ?? ""
        }
        try #require(line.contains("listening"), "the Python subgraph did not start: \(line)")
        return subgraph
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    deinit { stop() }

    /// What the subgraph answers for `reviewCount`: the hex letters a–f in the id, at most 3.
    static func expectedReviewCount(of id: String) -> Int {
        min(3, id.filter { "abcdef".contains($0) }.count)
    }
}
