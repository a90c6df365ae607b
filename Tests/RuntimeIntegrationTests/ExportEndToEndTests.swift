import EmporiumCore
import EmporiumTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// A seller exports their products through the single node's public `/graphql`, follows the job
/// to COMPLETED and downloads the file over HTTP with the signed link; an altered link is 403.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ExportEndToEndTests {
    @Test func aSellerExportsAndDownloadsTheirProducts() async throws {
        let databaseURL = try await TestPostgres.shared.freshDatabaseURL(named: "export_e2e")
        let node = try await EmporiumProcess.start(["serve"], environment: ["EMPORIUM_DATABASE_URL": databaseURL])
        let seller = try await Marketplace.sellerToken("seller-export")
        for title in ["Самовар", "Чайник, эмалированный", "Kettle \"Deluxe\""] {
            _ = try await Marketplace.createProduct(node, title: title, token: seller)
        }
        let started = try await node.graphQL("/graphql", "mutation { exportProducts(format: CSV) { id state } }", token: seller)
        let id = try #require(((started["data"] as? [String: Any])?["exportProducts"] as? [String: Any])?["id"] as? String, "\(started)")

        var link: String?
        try await eventually("the export completes", timeout: .seconds(60), interval: .milliseconds(100)) {
            let read = try await node.graphQL("/graphql", "query($id: ID!) { exportJob(id: $id) { state rowCount downloadUrl error } }", variables: ["id": id], token: seller)
            let job = (read["data"] as? [String: Any])?["exportJob"] as? [String: Any]
            #expect(job?["state"] as? String != "FAILED", "\(read)")
            link = job?["downloadUrl"] as? String
            return job?["state"] as? String == "COMPLETED" && job?["rowCount"] as? Int == 3
        }
        let path = try #require(link)
        #expect(path.hasPrefix("/exports/\(id)/download?expires="))

        let (body, response) = try await URLSession.shared.data(from: try #require(URL(string: node.baseURL + path)))
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 200)
        #expect(http.value(forHTTPHeaderField: "Content-Type")?.hasPrefix("text/csv") == true)
        #expect(http.value(forHTTPHeaderField: "Content-Disposition")?.contains("attachment; filename=\"products-") == true)
        #expect(Array(body.prefix(3)) == [0xEF, 0xBB, 0xBF], "a UTF-8 byte order mark")
        let text = String(decoding: body.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("id,slug,title,"))
        #expect(text.contains("\"Чайник, эмалированный\""))
        #expect(text.contains("\"Kettle \"\"Deluxe\"\"\""))

        // Altered or without its signature: refused with a coded error, never the file.
        for altered in [path.replacingOccurrences(of: "signature=", with: "signature=f"), String(path.prefix { $0 != "?" }), path.replacingOccurrences(of: id, with: UUIDText.lowercase(UUID()))] {
            let (refusedBody, refused) = try await URLSession.shared.data(from: try #require(URL(string: node.baseURL + altered)))
            #expect((refused as? HTTPURLResponse)?.statusCode == 403, "\(altered): \(String(decoding: refusedBody, as: UTF8.self))")
        }
        // Another seller cannot follow the job.
        let other = try await Marketplace.sellerToken("seller-other")
        let foreign = try await node.graphQL("/graphql", "query($id: ID!) { exportJob(id: $id) { state } }", variables: ["id": id], token: other)
        #expect(((foreign["errors"] as? [[String: Any]])?.first?["extensions"] as? [String: Any])?["code"] as? String == "NOT_FOUND", "\(foreign)")
        try await node.stop()
    }
}
