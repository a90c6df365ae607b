import Foundation

/// Runs one of the Python helpers in `Tests/Fixtures` (third-party readers and writers the tests
/// check Emporium's files with) and answers what it printed.
public enum FixtureScript {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// `Tests/Fixtures/<name>`, found from this file's place in the package.
    public static func path(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures").appendingPathComponent(name).path
    }

    /// Runs `python3 Tests/Fixtures/<name> arguments…`; a failure names `install` as the fix.
    public static func run(_ name: String, _ arguments: [String], install: String) throws -> Data {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-fixture-\(UUID()).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", path(name)] + arguments
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: output)
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(name) failed (\(install); scripts/setup installs it): \(String(decoding: data, as: UTF8.self).prefix(500))")
        }
        return data
    }

    /// ``run(_:_:install:)`` for a helper that prints one JSON object.
    public static func json(_ name: String, _ arguments: [String], install: String) throws -> [String: Any] {
        let data = try run(name, arguments, install: install)
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failed(description: "\(name)'s answer is not a JSON object: \(String(decoding: data, as: UTF8.self).prefix(300))")
        }
        return object
    }
}
