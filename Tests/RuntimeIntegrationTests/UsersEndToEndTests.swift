import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Mail
import Testing

/// Accounts through the single node's public `/graphql`: the users subgraph behind the gateway,
/// its tokens accepted by every other service.
@Suite(.serialized, .timeLimit(.minutes(3))) struct UsersEndToEndTests {
    static let authFields = "accessToken accessTokenExpiresAt refreshToken user { id displayName email roles language }"

    @Test func registerLoginMeRefreshAndTheftDetection() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "users_e2e")
        let mailDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-e2e-mail-\(UUID())")
        defer { try? FileManager.default.removeItem(at: mailDirectory) }
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_MAIL_DIR": mailDirectory.path])

        let registered = try await node.graphQL("/graphql", """
            mutation($input: RegisterInput!) { register(input: $input) { \(Self.authFields) } }
            """, variables: ["input": ["email": "Olga@Example.com", "password": "long enough secret", "displayName": "Ольга", "language": "EN"]])
        let session = try #require((registered["data"] as? [String: Any])?["register"] as? [String: Any], "\(registered)")
        let user = try #require(session["user"] as? [String: Any])
        #expect(user["email"] as? String == "olga@example.com", "the session's holder sees their own account")
        #expect(user["roles"] as? [String] == ["BUYER"] && user["language"] as? String == "EN")
        let access = try #require(session["accessToken"] as? String)

        // The keys are public: an Ed25519 JWKS that names the token's kid.
        var request = URLRequest(url: URL(string: node.baseURL + "/.well-known/jwks.json")!)
        request.httpMethod = "GET"
        let (jwksData, jwksResponse) = try await URLSession.shared.data(for: request)
        #expect((jwksResponse as? HTTPURLResponse)?.statusCode == 200)
        let jwks = try #require(try JSONSerialization.jsonObject(with: jwksData) as? [String: Any])
        let keys = try #require(jwks["keys"] as? [[String: Any]])
        #expect(keys.count == 1 && keys[0]["kty"] as? String == "OKP" && keys[0]["d"] == nil)
        let headerSegment = String(access.split(separator: ".")[0])
        let headerJSON = Data(base64Encoded: headerSegment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            + String(repeating: "=", count: (4 - headerSegment.count % 4) % 4))!
        let header = try #require(try JSONSerialization.jsonObject(with: headerJSON) as? [String: Any])
        #expect(header["alg"] as? String == "EdDSA" && header["kid"] as? String == keys[0]["kid"] as? String)

        // The token the users service issued is a token every service accepts.
        let me = try await node.graphQL("/graphql", "{ me { id email displayName } }", token: access)
        let meData = try #require((me["data"] as? [String: Any])?["me"] as? [String: Any], "\(me)")
        #expect(meData["id"] as? String == user["id"] as? String && meData["email"] as? String == "olga@example.com")
        let products = try await node.graphQL("/graphql", "{ products(first: 1) { edges { node { id } } } }", token: access)
        #expect(products["errors"] == nil, "\(products)")

        // A wrong password and an unknown email: one answer, with a code.
        for (email, password) in [("olga@example.com", "not the password"), ("nobody@example.com", "long enough secret")] {
            let refused = try await node.graphQL("/graphql", "mutation { login(email: \"\(email)\", password: \"\(password)\") { accessToken } }")
            let error = try #require((refused["errors"] as? [[String: Any]])?.first)
            #expect((error["extensions"] as? [String: Any])?["code"] as? String == "UNAUTHENTICATED")
            #expect(error["message"] as? String == "the email or password is wrong")
        }

        // Refresh rotates; the old token presented again ends the session.
        let first = try #require(session["refreshToken"] as? String)
        let refreshed = try await node.graphQL("/graphql", "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }", variables: ["t": first])
        let second = try #require(((refreshed["data"] as? [String: Any])?["refreshSession"] as? [String: Any])?["refreshToken"] as? String, "\(refreshed)")
        for token in [first, second] {
            let refused = try await node.graphQL("/graphql", "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }", variables: ["t": token])
            #expect(((refused["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "UNAUTHENTICATED", "\(refused)")
        }

        // A buyer opens a shop, gets a seller's token, and sells: the product names its shop.
        let login = try await node.graphQL("/graphql", "mutation { login(email: \"olga@example.com\", password: \"long enough secret\") { accessToken } }")
        let buyerToken = try #require(((login["data"] as? [String: Any])?["login"] as? [String: Any])?["accessToken"] as? String, "\(login)")
        let refusedSale = try await node.graphQL("/graphql", "mutation { createProduct(input: {title: \"Чайник\", price: {amount: 1999, currency: \"RUB\"}}) { id } }", token: buyerToken)
        #expect(((refusedSale["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "FORBIDDEN", "\(refusedSale)")
        let opened = try await node.graphQL("/graphql", """
            mutation { becomeSeller(input: {shopName: "Книжная лавка"}) { seller { id shopName slug } auth { accessToken refreshToken user { roles seller { slug } } } } }
            """, token: buyerToken)
        let payload = try #require((opened["data"] as? [String: Any])?["becomeSeller"] as? [String: Any], "\(opened)")
        #expect((payload["seller"] as? [String: Any])?["slug"] as? String == "knizhnaya-lavka")
        let sellerAuth = try #require(payload["auth"] as? [String: Any])
        #expect((sellerAuth["user"] as? [String: Any])?["roles"] as? [String] == ["BUYER", "SELLER"])
        let sellerToken = try #require(sellerAuth["accessToken"] as? String)
        let productID = try await Marketplace.createProduct(node, title: "Чайник со свистком", token: sellerToken)
        let product = try await node.graphQL("/graphql", "query($id: ID!) { product(id: $id) { sellerId seller { id shopName since } } }", variables: ["id": productID], token: sellerToken)
        let productData = try #require((product["data"] as? [String: Any])?["product"] as? [String: Any], "\(product)")
        #expect(productData["sellerId"] as? String == user["id"] as? String)
        #expect((productData["seller"] as? [String: Any])?["shopName"] as? String == "Книжная лавка", "\(product)")
        // And the other way: the shop (users) lists its products (catalog) in one query.
        let shop = try await node.graphQL("/graphql", "{ me { seller { shopName products(first: 5) { edges { node { id title } } } } } }", token: sellerToken)
        let shopProducts = ((((shop["data"] as? [String: Any])?["me"] as? [String: Any])?["seller"] as? [String: Any])?["products"] as? [String: Any])?["edges"] as? [[String: Any]]
        #expect(shopProducts?.compactMap { ($0["node"] as? [String: Any])?["id"] as? String } == [productID], "\(shop)")

        // A forgotten password, reset through the mail written to disk: every session ends.
        let sellerRefresh = try #require(sellerAuth["refreshToken"] as? String)
        let requested = try await node.graphQL("/graphql", "mutation { requestPasswordReset(email: \"olga@example.com\") }")
        #expect((requested["data"] as? [String: Any])?["requestPasswordReset"] as? Bool == true, "\(requested)")
        let mailbox = FileMailer(directory: mailDirectory, logger: Logger(label: "test"))
        var resetToken: String?
        for _ in 0..<200 where resetToken == nil {
            resetToken = try mailbox.messages().compactMap { message in
                message.text.split(separator: "\n").first { $0.contains("reset-password?token=") }.map { String($0.split(separator: "=").last!) }
            }.first
            if resetToken == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        let token = try #require(resetToken, "no reset mail in \(mailDirectory.path)")
        let reset = try await node.graphQL("/graphql", "mutation($t: String!) { resetPassword(token: $t, newPassword: \"a whole new secret\") }", variables: ["t": token])
        #expect((reset["data"] as? [String: Any])?["resetPassword"] as? Bool == true, "\(reset)")
        let afterReset = try await node.graphQL("/graphql", "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }", variables: ["t": sellerRefresh])
        #expect(((afterReset["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "UNAUTHENTICATED", "\(afterReset)")
        let relogin = try await node.graphQL("/graphql", "mutation { login(email: \"olga@example.com\", password: \"a whole new secret\") { user { roles } } }")
        #expect(((relogin["data"] as? [String: Any])?["login"] as? [String: Any]) != nil, "\(relogin)")

        // Bad input is a clear error on its field.
        let weak = try await node.graphQL("/graphql", """
            mutation { register(input: {email: "x@example.com", password: "short", displayName: "X"}) { accessToken } }
            """)
        let weakError = try #require((weak["errors"] as? [[String: Any]])?.first, "\(weak)")
        #expect((weakError["extensions"] as? [String: Any])?["code"] as? String == "BAD_USER_INPUT")
        #expect((weakError["extensions"] as? [String: Any])?["field"] as? String == "input.password")
    }
}

/// The distributed topology: users as its own process, the catalog in another verifying the
/// users' tokens through `EMPORIUM_JWKS_URL` — no secret shared for them.
@Suite(.serialized, .timeLimit(.minutes(3))) struct DistributedUsersTests {
    @Test func anotherServiceAcceptsTheUsersTokensThroughItsJWKS() async throws {
        let broker = try await TansuBroker.start()
        defer { broker.stop() }
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "users_distributed")
        let environment = ["EMPORIUM_DATABASE_URL": databaseURL, "EMPORIUM_KAFKA_BROKERS": broker.bootstrap, "EMPORIUM_KAFKA_TOPIC_PARTITIONS": "1"]
        let users = try await EmporiumProcess.start(["serve", "users"], environment: environment)
        var catalogEnvironment = environment
        catalogEnvironment["EMPORIUM_JWKS_URL"] = users.baseURL + "/.well-known/jwks.json"
        let catalog = try await EmporiumProcess.start(["serve", "catalog"], environment: catalogEnvironment)

        let registered = try await users.graphQL("/graphql", """
            mutation { register(input: {email: "ivan@example.com", password: "long enough secret", displayName: "Иван"}) { accessToken } }
            """)
        let buyer = try #require(((registered["data"] as? [String: Any])?["register"] as? [String: Any])?["accessToken"] as? String, "\(registered)")
        let opened = try await users.graphQL("/graphql", "mutation { becomeSeller(input: {shopName: \"Лавка\"}) { auth { accessToken } } }", token: buyer)
        let seller = try #require((((opened["data"] as? [String: Any])?["becomeSeller"] as? [String: Any])?["auth"] as? [String: Any])?["accessToken"] as? String, "\(opened)")

        // The catalog process has never seen these keys: it reads them from the users' JWKS.
        let id = try await Marketplace.createProduct(catalog, title: "Товар по JWKS", token: seller)
        #expect(!id.isEmpty)
        let refused = try await catalog.graphQL("/graphql", "mutation { createProduct(input: {title: \"x\", price: {amount: 1, currency: \"RUB\"}}) { id } }", token: buyer)
        #expect(((refused["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "FORBIDDEN", "\(refused)")
        // A token signed by a key the users service never published is refused.
        let forged = try await AccessTokenSigner().sign(userID: UserID("mallory"), roles: [.admin], validFor: .seconds(60), with: try Ed25519SigningKey.generate(at: Date()))
        let forgedAnswer = try await catalog.graphQL("/graphql", "{ products(first: 1) { edges { node { id } } } }", token: forged)
        #expect(((forgedAnswer["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "UNAUTHENTICATED", "\(forgedAnswer)")

        try await catalog.stop()
        try await users.stop()
    }
}
