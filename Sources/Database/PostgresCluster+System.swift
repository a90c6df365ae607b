import Foundation

/// Small system helpers of the cluster launcher: ports, files, locales, shell quoting.
extension PostgresCluster {
    /// A port nobody listens on right now (bind 127.0.0.1:0, read it back, close).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DatabaseError(.startFailed, "Cannot open a socket to find a free port.") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw DatabaseError(.startFailed, "Cannot bind 127.0.0.1 to find a free port.") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw DatabaseError(.startFailed, "Cannot read the free port's number.") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func hasCUTF8Locale() -> Bool {
        ["/usr/lib/locale/C.utf8", "/usr/lib/locale/C.UTF-8"].contains { FileManager.default.fileExists(atPath: $0) }
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func fileSize(_ path: String) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    static func readTail(_ path: String, from offset: UInt64, maxBytes: Int = 8192) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data.suffix(maxBytes), as: UTF8.self)
    }
}
