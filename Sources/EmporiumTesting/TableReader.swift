import Foundation

/// Reads an exported table with third-party readers (`Tests/Fixtures/read_table.py`: openpyxl for
/// `.xlsx`, Python's `csv` for `.csv`) and answers its JSON: `rows`, and `sheet` or `bom`.
public enum TableReader {
    public struct Failed: Error, CustomStringConvertible {
        public let description: String
    }

    public static func read(_ path: String) throws -> [String: Any] {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures/read_table.py")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-table-\(UUID()).json")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        let data = try Data(contentsOf: output)
        guard process.terminationStatus == 0 else {
            throw Failed(description: "the reader failed (openpyxl missing? python3 -m pip install openpyxl; scripts/setup installs it): \(String(decoding: data, as: UTF8.self).prefix(500))")
        }
        guard let table = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { throw Failed(description: "the reader's answer is not a JSON object") }
        return table
    }
}
