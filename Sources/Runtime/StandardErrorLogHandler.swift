import Foundation
import Logging

/// Log lines on standard error, in swift-log's `StreamLogHandler` layout
/// (`<time> <level> <label>: <key=value …> [<source>] <message>`), with one difference that
/// matters: metadata is formatted when a line is written, not when it is set.
/// `StreamLogHandler` formats all of a logger's metadata again on every set, and Hummingbird
/// sets a request id on every request's logger — measured at 2–3 % of a cached answer's CPU,
/// spent on lines that were then never written.
struct StandardErrorLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String, logLevel: Logger.Level, metadataProvider: Logger.MetadataProvider? = LoggingSystem.metadataProvider) {
        self.label = label
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = self.metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { all.merge(provided) { _, new in new } }
        if let explicit = event.metadata, !explicit.isEmpty { all.merge(explicit) { _, new in new } }
        var line = Self.line(time: Self.timestamp(), level: event.level, label: label, metadata: all, source: event.source, message: event.message)
        // One write(2) per line (looping only on a partial write): lines from different threads
        // do not interleave.
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 { offset += written } else if written < 0, errno == EINTR { continue } else { return }
            }
        }
    }

    /// One line, newline included; metadata sorted by key.
    static func line(time: String, level: Logger.Level, label: String, metadata: Logger.Metadata, source: String, message: Logger.Message) -> String {
        var line = time + " \(level) \(label):"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        return line + " [\(source)] \(message)\n"
    }

    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
