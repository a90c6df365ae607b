import Foundation

/// Finds the PostgreSQL server programs, so Emporium can run a private cluster without configuration.
///
/// Search order: `pg_config --bindir` (what the distribution declares), then the highest
/// `/usr/lib/postgresql/<version>/bin` (Debian and Ubuntu keep server binaries off the PATH), then
/// every PATH entry. A directory counts only if it holds `initdb`, `pg_ctl` and `postgres`.
public struct PostgresBinaries: Sendable {
    /// The directory that holds `initdb`, `pg_ctl`, `postgres` and `pg_isready`.
    public let binDirectory: String

    /// Uses a known directory (e.g. from configuration) after checking that the programs are there.
    public init(binDirectory: String) throws {
        guard Self.isComplete(binDirectory) else {
            throw DatabaseError(
                .binariesNotFound,
                "No PostgreSQL server binaries (initdb, pg_ctl, postgres) in \(binDirectory); \(DatabaseError.installHint).")
        }
        self.binDirectory = binDirectory
    }

    private init(checked binDirectory: String) { self.binDirectory = binDirectory }

    /// Searches the usual places; the error says how to install PostgreSQL when nothing is found.
    public static func locate() throws -> PostgresBinaries {
        var searched: [String] = []
        if let fromPgConfig = Self.pgConfigBinDirectory() {
            searched.append(fromPgConfig)
            if Self.isComplete(fromPgConfig) { return PostgresBinaries(checked: fromPgConfig) }
        }
        for directory in Self.debianBinDirectories() {
            searched.append(directory)
            if Self.isComplete(directory) { return PostgresBinaries(checked: directory) }
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) where !directory.isEmpty {
            searched.append(directory)
            if Self.isComplete(directory) { return PostgresBinaries(checked: directory) }
        }
        throw DatabaseError(
            .binariesNotFound,
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found; \(DatabaseError.installHint).",
            details: "searched: pg_config --bindir, /usr/lib/postgresql/*/bin, PATH: \(searched.joined(separator: ", "))")
    }

    /// The full path of one program in `binDirectory`.
    public func path(_ program: String) -> String {
        (self.binDirectory as NSString).appendingPathComponent(program)
    }

    static func isComplete(_ directory: String) -> Bool {
        ["initdb", "pg_ctl", "postgres"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: (directory as NSString).appendingPathComponent($0))
        }
    }

    /// Runs `pg_config --bindir` synchronously: it is a tiny program that answers at once, and
    /// `locate()` stays synchronous so it can run before any event loop exists.
    private static func pgConfigBinDirectory() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        guard let pgConfig = path.split(separator: ":")
            .map({ ($0 as NSString).appendingPathComponent("pg_config") })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: pgConfig)
        process.arguments = ["--bindir"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// `/usr/lib/postgresql/*/bin`, highest major version first (numeric, so 16 beats 9.6).
    private static func debianBinDirectories() -> [String] {
        let root = "/usr/lib/postgresql"
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        func versionKey(_ name: String) -> [Int] { name.split(separator: ".").map { Int($0) ?? -1 } }
        return entries
            .filter { $0.first?.isNumber == true }
            .sorted { versionKey($0).lexicographicallyPrecedes(versionKey($1)) }
            .reversed()
            .map { "\(root)/\($0)/bin" }
    }
}
