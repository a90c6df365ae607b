import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// The real `emporium` binary as a child process: it starts, prints its URL, serves, and on
/// SIGTERM drains and exits cleanly.
@Suite struct ServeProcessTests {
    static var binary: URL {
        let bundle = Bundle.main.bundleURL
        let candidates = [
            bundle.deletingLastPathComponent().appendingPathComponent("emporium"),
            bundle.appendingPathComponent("emporium"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("emporium"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    @Test(.timeLimit(.minutes(2))) func servesAndShutsDownGracefully() async throws {
        let binary = Self.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "emporium binary not found at \(binary.path); build it with: swift build --build-tests")
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "serve")
        let dataDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-serve-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }

        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["EMPORIUM_DATABASE_URL"] = databaseURL
        environment["EMPORIUM_DATA_DIR"] = dataDirectory
        environment["EMPORIUM_JWT_SECRET"] = testJWTSecret
        environment["EMPORIUM_LOG_LEVEL"] = "warning"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let url = try await Self.readURL(from: output.fileHandleForReading, timeout: .seconds(60))
        let ready = try await URLSession.shared.data(from: URL(string: url.replacingOccurrences(of: "/graphql", with: "/health/ready"))!)
        #expect((ready.1 as? HTTPURLResponse)?.statusCode == 200)

        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"query":"{ products(first: 1) { pageInfo { hasNextPage } } }"}"#.utf8)
        let (body, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("hasNextPage"))

        process.terminate() // SIGTERM
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "emporium did not stop within 20 s of SIGTERM")
        #expect(process.terminationStatus == 0)
    }

    /// Reads stdout until the "is running" line and returns its URL.
    static func readURL(from handle: FileHandle, timeout: Duration) async throws -> String {
        let chunks = AsyncStream<Data> { continuation in
            handle.readabilityHandler = { handle in
                let data = handle.availableData
                if data.isEmpty {
                    handle.readabilityHandler = nil
                    continuation.finish()
                } else {
                    continuation.yield(data)
                }
            }
        }
        return try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                var text = ""
                for await chunk in chunks {
                    text += String(decoding: chunk, as: UTF8.self)
                    if let range = text.range(of: "http://") {
                        let url = text[range.lowerBound...].prefix { !$0.isWhitespace }
                        if text[range.lowerBound...].contains(where: \.isNewline) { return String(url) }
                    }
                }
                throw ProcessOutputError(output: text)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ProcessOutputError(output: "timed out waiting for the URL")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    struct ProcessOutputError: Error, CustomStringConvertible {
        let output: String
        var description: String { "emporium did not print its URL: \(output)" }
    }
}
