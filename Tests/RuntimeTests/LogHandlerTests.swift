import Logging
@testable import Runtime
import Testing

@Suite struct LogHandlerTests {
    @Test func linesKeepStreamLogHandlersLayoutWithMetadataSortedByKey() {
        let line = StandardErrorLogHandler.line(
            time: "2026-12-04T09:00:00+0000", level: .warning, label: "emporium.catalog",
            metadata: ["z": "last", "a": "first", "n": .stringConvertible(7)], source: "Catalog", message: "slow query")
        #expect(line == "2026-12-04T09:00:00+0000 warning emporium.catalog: a=first n=7 z=last [Catalog] slow query\n")
        let bare = StandardErrorLogHandler.line(time: "t", level: .info, label: "l", metadata: [:], source: "S", message: "m")
        #expect(bare == "t info l: [S] m\n")
    }

    @Test func metadataSetOnTheLoggerIsKeptForLaterLines() {
        var handler = StandardErrorLogHandler(label: "test", logLevel: .info, metadataProvider: nil)
        handler[metadataKey: "hb.request.id"] = "r1"
        handler[metadataKey: "user"] = "u"
        handler[metadataKey: "user"] = nil
        #expect(handler.metadata == ["hb.request.id": "r1"])
        #expect(handler.logLevel == .info)
    }
}
