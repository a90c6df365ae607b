import EmporiumTesting
import Foundation
import Testing

/// The realtime gateway with the real binary and clients written by others (Python's gql and
/// websockets, `Tests/Fixtures/realtime_client.py`): notifications caused by mutations arrive
/// over `/graphql`, a resumed client misses nothing and gets nothing twice, an anonymous reader
/// never sees owner-only fields, a slow reader is closed while the others keep receiving, the
/// protocol's close codes, and two realtime nodes sharing one Redis both deliver.
@Suite(.serialized, .timeLimit(.minutes(6))) struct RealtimeEndToEndTests {
    static var script: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/realtime_client.py")
    }

    /// Runs a scenario and returns the JSON object it printed.
    static func run(_ scenario: String, _ arguments: [String]) async throws -> [String: Any] {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import gql.transport.websockets, websockets.asyncio.client"]
        try check.run()
        check.waitUntilExit()
        try #require(check.terminationStatus == 0, "gql[websockets] is missing: python3 -m pip install 'gql[websockets]' (scripts/setup installs it)")

        // Output to a file, not a pipe: a server another test starts meanwhile would inherit the
        // pipe's write end and keep it open, and reading to its end would never return.
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-realtime-\(UUID()).json")
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, scenario] + arguments
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        process.standardError = FileHandle.standardError
        try process.run()
        let deadline = ContinuousClock.now + .seconds(180)
        while process.isRunning, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { try await Task.sleep(for: .milliseconds(10)) }
        }
        let data = try Data(contentsOf: outputFile)
        try #require(process.terminationStatus == 0, "scenario \(scenario) failed; its output: \(String(decoding: data, as: UTF8.self).suffix(2000))")
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line.prefix(500))")
    }

    static func singleNode(_ extra: [String: String] = [:]) async throws -> EmporiumProcess {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "realtime")
        return try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL].merging(extra) { _, new in new })
    }

    @Test func aThirdPartyClientReceivesTheNotificationAMutationCaused() async throws {
        let node = try await Self.singleNode()
        let token = try await Marketplace.sellerToken("seller-realtime")
        let result = try await Self.run("interop", [node.baseURL, token])
        let received = try #require(result["received"] as? [[String: Any]])
        let notification = try #require(received.first?["notificationAdded"] as? [String: Any])
        #expect(notification["kind"] as? String == "LOW_STOCK")
        #expect(notification["title"] as? String == "Заканчивается товар")
        #expect(notification["productId"] as? String == result["product"] as? String)
        #expect(notification["offset"] as? Int == 1)
        #expect(((result["queryOverSocket"] as? [String: Any])?["notificationsSince"] as? [Any])?.count == 1)
        // Through the gateway, the users' `me` carries the notifications' fields.
        let me = try #require(result["me"] as? [String: Any])
        #expect(me["unreadNotificationCount"] as? Int == 1)
        #expect(((me["notifications"] as? [String: Any])?["notifications"] as? [[String: Any]])?.first?["kind"] as? String == "LOW_STOCK")
        try await node.stop()
    }

    @Test func aResumedClientMissesNothingAndGetsNothingTwice() async throws {
        let node = try await Self.singleNode()
        let token = try await Marketplace.sellerToken("seller-resume")
        let result = try await Self.run("resume", [node.baseURL, token])
        func offsets(_ key: String) -> [Int] { (result[key] as? [[String: Any]] ?? []).compactMap { $0["offset"] as? Int } }
        func kinds(_ key: String) -> [String] { (result[key] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
        #expect(offsets("seen") == [1])
        #expect(offsets("missed") == [2, 3])
        #expect(kinds("missed") == ["LOW_STOCK_CLEARED", "LOW_STOCK"])
        #expect(offsets("live") == [4])
        #expect((result["extra"] as? [Any])?.isEmpty == true)
        try await node.stop()
    }

    @Test func anAnonymousSubscriberNeverReadsOwnerOnlyFields() async throws {
        let node = try await Self.singleNode()
        let token = try await Marketplace.sellerToken("seller-visibility")
        let result = try await Self.run("visibility", [node.baseURL, token])
        let anonymous = try #require(((result["anonymous"] as? [String: Any])?["data"] as? [String: Any])?["stockChanged"] as? [String: Any])
        let owner = try #require(((result["owner"] as? [String: Any])?["data"] as? [String: Any])?["stockChanged"] as? [String: Any])
        #expect(anonymous["available"] as? Int == 7)
        #expect(anonymous["onHand"] is NSNull)
        #expect(anonymous["reserved"] is NSNull)
        #expect(owner["onHand"] as? Int == 7)
        #expect(owner["reserved"] as? Int == 0)
        // Both clients closed their sockets: the server closed its side too (no socket left
        // half-closed in CLOSE_WAIT, which once exhausted a node's file descriptors).
        try await eventually("the server's connections drop to zero") {
            try await node.metrics().contains("emporium_realtime_connections 0.0")
        }
        try await node.stop()
    }

    @Test func aSlowReaderIsClosedWhileTheOthersKeepReceiving() async throws {
        let node = try await Self.singleNode(["EMPORIUM_REALTIME_MAX_PENDING": "16"])
        let token = try await Marketplace.sellerToken("seller-slow")
        let result = try await Self.run("slow", [node.baseURL, token, "12"])
        #expect(result["healthyReceived"] as? Int == 12)
        // The close frame may not get through a full socket: closed is what counts (1006 then).
        let code = result["slowClosedWith"] as? Int
        #expect(code == 4499 || code == nil, "closed with \(String(describing: code))")
        let metrics = try await node.metrics()
        #expect(metrics.contains("emporium_realtime_slow_clients_closed_total 1"), "\(metrics.split(separator: "\n").filter { $0.contains("realtime") })")
        try await node.stop()
    }

    @Test func theProtocolsCloseCodesAndErrors() async throws {
        let node = try await Self.singleNode(["EMPORIUM_REALTIME_INIT_TIMEOUT_SECONDS": "1"])
        let token = try await Marketplace.sellerToken("seller-protocol")
        let result = try await Self.run("protocol", [node.baseURL, token])
        // The supergraph declares what the realtime gateway serves.
        #expect(result["subscriptionFields"] as? [String] == ["notificationAdded", "orderUpdated", "productChanged", "stockChanged"])
        #expect((result["overHTTP"] as? String)?.contains("SUBSCRIPTIONS_NOT_SUPPORTED") == true, "\(result["overHTTP"] ?? "")")
        #expect(result["subscribeBeforeInit"] as? Int == 4401)
        #expect(result["secondInit"] as? Int == 4429)
        #expect(result["badJSON"] as? Int == 4400)
        #expect(result["badToken"] as? Int == 4403)
        #expect(result["duplicateId"] as? Int == 4409)
        #expect(result["initTimeout"] as? Int == 4408)
        #expect(result["webSocketPing"] as? String == "pong")
        #expect(result["tooLarge"] as? Int == 1009)
        // Raw frames: unmasked, a fragmented ping, a one-byte close and a reserved code are
        // protocol errors (1002); a valid code is echoed.
        #expect(result["unmasked"] as? Int == 1002)
        #expect(result["fragmentedControl"] as? Int == 1002)
        #expect(result["oneByteClose"] as? Int == 1002)
        #expect(result["reservedCloseCode"] as? Int == 1002)
        #expect(result["closeCode"] as? Int == 4000)
        #expect(result["chatty"] as? Int == 1008 || result["chatty"] as? String == "closed", "\(result["chatty"] ?? "")")
        #expect((result["unparsable"] as? String)?.hasPrefix("HTTP/1.1 400") == true, "\(result["unparsable"] ?? "")")
        let invalid = try #require(result["invalidSelection"] as? [String: Any])
        #expect(invalid["type"] as? String == "error")
        #expect(String(describing: invalid["payload"] ?? "").contains("noSuchField"))
        #expect((result["ping"] as? [String: Any])?["type"] as? String == "pong")
        #expect(result["withoutSubprotocol"] as? String != "upgraded")
        try await node.stop()
    }

    @Test func twoRealtimeNodesSharingOneRedisBothDeliver() async throws {
        try await withRedisServer { redis in try await Self.twoNodes(redisURL: "redis://127.0.0.1:\(await redis.port)") }
    }

    static func twoNodes(redisURL: String) async throws {
        let node = try await Self.singleNode(["EMPORIUM_REDIS_URL": redisURL])
        let subgraphs = ["catalog", "inventory", "users", "notifications"]
            .map { "\($0)=\(node.baseURL)/subgraphs/\($0)/graphql" }.joined(separator: ",")
        let environment = ["EMPORIUM_REDIS_URL": redisURL, "EMPORIUM_SUBGRAPHS": subgraphs]
        let first = try await EmporiumProcess.start(["serve", "realtime"], environment: environment)
        let second = try await EmporiumProcess.start(["serve", "realtime"], environment: environment)
        let token = try await Marketplace.sellerToken("seller-nodes")
        let result = try await Self.run("multinode", [node.baseURL, token, first.baseURL, second.baseURL])
        #expect(result["titles"] as? [String] == ["Новое имя", "Новое имя"])
        // An owner-only subscription resolved over HTTP carries the owner's credential.
        let notified = try #require(result["notified"] as? [[String: Any]], "\(result)")
        #expect(notified.count == 2)
        for answer in notified {
            let notification = answer["notificationAdded"] as? [String: Any]
            #expect(notification?["kind"] as? String == "LOW_STOCK", "\(answer)")
            #expect(notification?["productId"] as? String == result["product"] as? String)
        }
        try await first.stop()
        try await second.stop()
        try await node.stop()
    }
}
