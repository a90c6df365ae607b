import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GraphQLSupport
import Identity
import EmporiumCore
import Testing

/// The real `emporium` binary as a child process, driven over HTTP like a client would.
final class EmporiumProcess: Sendable {
    let process: Process
    /// `http://127.0.0.1:PORT` (no path).
    let baseURL: String
    /// One service's process (`serve catalog`): its `/graphql` is an internal subgraph endpoint.
    let servesOneService: Bool

    /// The gateway's credential at subgraph endpoints, the same for every process of a test.
    static let internalToken = "test-internal-token-0123456789abcdef0123456789"

    private init(process: Process, baseURL: String, servesOneService: Bool) {
        self.process = process
        self.baseURL = baseURL
        self.servesOneService = servesOneService
    }

    /// Starts `emporium <arguments>` with the test JWT secret and `environment`, and waits
    /// until it prints its URL.
    static func start(_ arguments: [String], environment extra: [String: String]) async throws -> EmporiumProcess {
        try TestServers.admit("the emporium binary")
        let binary = ServeProcessTests.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "emporium binary not found at \(binary.path); build it with: swift build --build-tests")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments + ["--port", "0"]
        var environment = ProcessInfo.processInfo.environment
        environment["EMPORIUM_JWT_SECRET"] = testJWTSecret
        environment["EMPORIUM_LOG_LEVEL"] = "warning"
        // The lowest bcrypt cost: tests check behaviour, not the hash's strength (scripts/bench-users does).
        environment["EMPORIUM_BCRYPT_COST"] = "4"
        environment["EMPORIUM_INTERNAL_TOKEN"] = internalToken
        environment["EMPORIUM_DATA_DIR"] = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-e2e-\(UUID())").path
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        do {
            let url = try await ServeProcessTests.readURL(from: output.fileHandleForReading, timeout: .seconds(90))
            let oneService = arguments.count >= 2 && arguments[0] == "serve" && arguments[1] != "gateway"
            return EmporiumProcess(process: process, baseURL: url.replacingOccurrences(of: "/graphql", with: ""), servesOneService: oneService)
        } catch {
            process.terminate()
            throw error
        }
    }

    /// SIGTERM, then waits for a clean exit.
    func stop() async throws {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!process.isRunning, "emporium did not stop within 30 s of SIGTERM")
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// SIGKILL: the process dies between any two instructions, as in a crash.
    func crash() async throws {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// POSTs a GraphQL request to `path` and returns the decoded JSON response.
    func graphQL(_ path: String = "/graphql", _ query: String, variables: [String: Any] = [:], token: String? = nil) async throws -> [String: Any] {
        try await graphQLWithHeaders(path, query, variables: variables, token: token).body
    }

    /// As ``graphQL(_:_:variables:token:)``, with the response headers.
    func graphQLWithHeaders(_ path: String = "/graphql", _ query: String, variables: [String: Any] = [:], token: String? = nil) async throws -> (body: [String: Any], headers: [String: String]) {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        // Subgraph endpoints are internal: the test plays the gateway's part there.
        if path.hasPrefix("/subgraphs/") || servesOneService {
            request.setValue(Self.internalToken, forHTTPHeaderField: "Emporium-Internal-Token")
        }
        request.httpBody = try JSONSerialization.data(withJSONObject: ["query": query, "variables": variables])
        let (body, response) = try await URLSession.shared.data(for: request)
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw ProcessResponseError(body: String(decoding: body, as: UTF8.self))
        }
        var headers: [String: String] = [:]
        for (name, value) in (response as? HTTPURLResponse)?.allHeaderFields ?? [:] {
            headers[String(describing: name).lowercased()] = String(describing: value)
        }
        return (object, headers)
    }

    /// The Prometheus text of `/metrics`.
    func metrics() async throws -> String {
        let (body, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/metrics")!)
        return String(decoding: body, as: UTF8.self)
    }

    struct ProcessResponseError: Error, CustomStringConvertible {
        let body: String
        var description: String { "not a JSON object: \(body.prefix(500))" }
    }
}

/// Catalog and inventory operations the end-to-end tests need.
enum Marketplace {
    static func sellerToken(_ seller: String = "seller-e2e") async throws -> String {
        try await TokenService(keys: .hmacSHA256(secret: testJWTSecret)).issue(userID: UserID(seller), roles: [.seller])
    }

    /// Creates a product through the catalog's GraphQL endpoint and returns its id.
    static func createProduct(_ catalog: EmporiumProcess, title: String, token: String, path: String = "/graphql") async throws -> String {
        let response = try await catalog.graphQL(path, """
            mutation($title: String!) { createProduct(input: { title: $title, price: { amount: 1999, currency: "EUR" } }) { id } }
            """, variables: ["title": title], token: token)
        let data = response["data"] as? [String: Any]
        guard let id = (data?["createProduct"] as? [String: Any])?["id"] as? String else {
            throw EmporiumProcess.ProcessResponseError(body: "\(response)")
        }
        return id
    }

    /// Receives stock for `productId` through inventory's GraphQL endpoint; nil while inventory
    /// does not know the product yet (its `ProductCreated` has not arrived).
    static func receiveStock(_ inventory: EmporiumProcess, productId: String, quantity: Int, token: String, path: String) async throws -> Int? {
        let response = try await inventory.graphQL(path, """
            mutation($id: ID!, $quantity: Int!) { receiveStock(productId: $id, quantity: $quantity) { available } }
            """, variables: ["id": productId, "quantity": quantity], token: token)
        let data = response["data"] as? [String: Any]
        return (data?["receiveStock"] as? [String: Any])?["available"] as? Int
    }

    /// Waits until inventory accepts stock for every product (each has its stock record).
    static func waitForStockRecords(_ inventory: EmporiumProcess, productIds: [String], token: String, path: String, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        var pending = productIds
        while !pending.isEmpty {
            var still: [String] = []
            for id in pending where try await receiveStock(inventory, productId: id, quantity: 3, token: token, path: path) != 3 {
                still.append(id)
            }
            pending = still
            if pending.isEmpty { return }
            guard ContinuousClock.now < deadline else {
                Issue.record("no stock record within \(timeout) for \(pending.count) of \(productIds.count) products: \(pending)")
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}

/// The credential of routers built in tests (`EmporiumApplication.router`).
let testInternalCredential = InternalCredential(token: EmporiumProcess.internalToken)!
