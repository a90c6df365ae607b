import EmporiumTesting
import Foundation
import Testing

/// Product views counted at the single node's public edge, answers from the response cache
/// included, batched into the catalog's counters.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ViewCountEndToEndTests {
    @Test func readsByIdAndBySlugAreCountedCachedOrNot() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "views_e2e")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let token = try await Marketplace.sellerToken("seller-views")
        let id = try await Marketplace.createProduct(node, title: "Смотрибельный чайник", token: token)
        let published = try await node.graphQL("/graphql", "mutation($id: ID!) { publishProduct(id: $id) { slug } }", variables: ["id": id], token: token)
        let slug = try #require(((published["data"] as? [String: Any])?["publishProduct"] as? [String: Any])?["slug"] as? String, "\(published)")
        for _ in 0..<3 {
            let read = try await node.graphQLWithHeaders("/graphql", "query($id: ID!) { product(id: $id) { title } }", variables: ["id": id])
            #expect(read.body["errors"] == nil)
        }
        for _ in 0..<2 {
            _ = try await node.graphQL("/graphql", "{ productBySlug(slug: \"\(slug)\") { title } }")
        }
        // A list is not a view of each product in it.
        _ = try await node.graphQL("/graphql", "{ products(first: 5) { nodes { id } } }")
        try await eventually("five views are counted", timeout: .seconds(15), interval: .milliseconds(200)) {
            // Read with a token (no cache) and through a list (not itself a view).
            let read = try await node.graphQL("/graphql", "{ products(first: 5) { nodes { id viewCount } } }", token: token)
            let nodes = ((read["data"] as? [String: Any])?["products"] as? [String: Any])?["nodes"] as? [[String: Any]]
            return nodes?.first { $0["id"] as? String == id }?["viewCount"] as? Int == 5
        }
        try await node.stop()
    }
}
