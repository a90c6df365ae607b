import EmporiumCore
import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Identity
import Testing

/// The container image (built by `scripts/image` from the Dockerfile's runtime stage) starts
/// with podman against PostgreSQL, answers health, GraphQL and an image upload (libvips inside),
/// runs as its non-root user with the Dockerfile's health check, and stops on SIGTERM.
@Suite(.serialized, .timeLimit(.minutes(4))) struct ContainerImageTests {
    static let image = ProcessInfo.processInfo.environment["EMPORIUM_TEST_IMAGE"] ?? "localhost/emporium:dev"
    static let configuration = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/podman/containers.conf").path

    /// `podman arguments…`; its output, or a failure naming the command.
    @discardableResult
    static func podman(_ arguments: [String]) throws -> String {
        let (status, text) = try ChildCommand.run(URL(fileURLWithPath: "/usr/bin/env"), ["podman"] + arguments, environment: ["CONTAINERS_CONF": configuration])
        guard status == 0 else {
            throw FixtureScript.Failed(description: "podman \(arguments.prefix(3).joined(separator: " ")) failed (\(status)): \(text.prefix(800))")
        }
        return text
    }

    @Test func theImageServesTheSingleNodeAgainstPostgreSQL() async throws {
        try #require((try? Self.podman(["--version"])) != nil, "podman is missing: apt-get install -y podman runc (scripts/setup does)")
        try #require((try? Self.podman(["image", "exists", Self.image])) != nil, "no image \(Self.image): build it with scripts/image")

        // The Dockerfile's promises, as the image records them.
        let config = try Self.podman(["image", "inspect", "--format", "{{.Config.User}}|{{json .Config.Healthcheck}}|{{json .Config.Entrypoint}}|{{json .Config.Env}}", Self.image])
        #expect(config.hasPrefix("10001:10001|"), "\(config)")
        #expect(config.contains("/health/live"), "HEALTHCHECK lost (built without --format docker?): \(config)")
        #expect(config.contains(#"["/app/emporium"]"#) && config.contains("EMPORIUM_HOST=0.0.0.0"), "\(config)")

        let database = try await TestPostgres.shared.freshDatabaseURL(named: "image")
        let port = try LocalPort.free()
        let name = "emporium-image-test-\(UUID().uuidString.prefix(8).lowercased())"
        // Attached, not --detach: Foundation's Process learns that a child ended when every
        // process that inherited its monitoring socket has, and `podman run --detach` leaves
        // conmon (which inherits it) running with the container — waitUntilExit would never return.
        let container = Process()
        container.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        container.arguments = [
            "podman", "run", "--rm", "--network", "host", "--name", name,
            "--env", "EMPORIUM_DATABASE_URL=\(database)", "--env", "EMPORIUM_PORT=\(port)", "--env", "EMPORIUM_JWT_SECRET=\(testJWTSecret)",
            "--env", "EMPORIUM_INTERNAL_TOKEN=\(EmporiumProcess.internalToken)", "--env", "EMPORIUM_LOG_LEVEL=warning",
            Self.image, "serve",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["CONTAINERS_CONF"] = Self.configuration
        container.environment = environment
        container.standardOutput = FileHandle.nullDevice
        container.standardError = FileHandle.standardError
        try container.run()
        defer { if container.isRunning { container.terminate() } }
        let base = "http://127.0.0.1:\(port)"
        do {
            try await eventually("the container answers /health/ready", timeout: .seconds(90), interval: .milliseconds(250)) {
                guard let (_, response) = try? await URLSession.shared.data(from: URL(string: base + "/health/ready")!) else { return false }
                return (response as? HTTPURLResponse)?.statusCode == 200
            }
            let seller = try await TokenService(keys: .hmacSHA256(secret: testJWTSecret)).issue(userID: UserID("seller-image"), roles: [.seller])
            var request = URLRequest(url: URL(string: base + "/graphql")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("Bearer \(seller)", forHTTPHeaderField: "Authorization")
            request.httpBody = try JSONSerialization.data(withJSONObject: ["query": #"mutation { createProduct(input: {title: "Контейнер", price: {amount: 500, currency: "EUR"}}) { id title } }"#])
            let (body, _) = try await URLSession.shared.data(for: request)
            let answer = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            let product = try #require(((answer?["data"] as? [String: Any])?["createProduct"] as? [String: Any]), "\(answer ?? [:])")
            #expect(product["title"] as? String == "Контейнер")
            let id = try #require(product["id"] as? String)

            // libvips inside the image makes the sizes.
            let photo = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-image-photo-\(UUID()).jpg").path
            defer { try? FileManager.default.removeItem(atPath: photo) }
            try ImageFixtures.make(.jpeg, at: photo, width: 400, height: 300)
            let uploaded = try await ImageUploadEndToEndTests.upload(
                baseURL: base, productID: id, file: try Data(contentsOf: URL(fileURLWithPath: photo)), token: seller)
            #expect(uploaded.status == 201, "\(uploaded.body)")
            try await eventually("the image's sizes are made in the container", timeout: .seconds(60), interval: .milliseconds(200)) {
                request.httpBody = try JSONSerialization.data(withJSONObject: ["query": "query($id: ID!) { product(id: $id) { images { state error } } }", "variables": ["id": id]])
                let (body, _) = try await URLSession.shared.data(for: request)
                let images = (((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["data"] as? [String: Any])?["product"] as? [String: Any])?["images"] as? [[String: Any]]
                #expect(images?.first?["state"] as? String != "FAILED", "\(images ?? [])")
                return images?.first?["state"] as? String == "READY"
            }
        } catch {
            Issue.record("container log: \((try? Self.podman(["logs", name])) ?? "")")
            _ = try? Self.podman(["rm", "--force", name])
            throw error
        }
        // SIGTERM: a clean stop within the grace period (podman stop waits 30 s, then kills).
        let stopping = ContinuousClock.now
        try Self.podman(["stop", "--time", "30", name])
        #expect(ContinuousClock.now - stopping < .seconds(25), "the container did not stop on SIGTERM in time")
        while container.isRunning && ContinuousClock.now - stopping < .seconds(40) { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!container.isRunning, "podman run did not end with its container")
    }
}
