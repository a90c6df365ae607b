@testable import Catalog
import CatalogTesting
import Database
import EmporiumCore
import EmporiumTesting
import Foundation
import Identity
import Jobs
import Logging
import NIOCore
import PostgresNIO
import Testing

/// Exports: a job writes the seller's products to XLSX or CSV, read back by third-party readers;
/// the download link is signed and expires; nobody reads another's export.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ProductExportTests {
    /// `count` products of `seller` in one statement (titles in Cyrillic, one with a formula).
    func insertProducts(_ client: PostgresClient, seller: String, count: Int) async throws {
        try await client.query("""
            INSERT INTO catalog.products (id, seller_id, title, slug, description, price_amount, currency, status, created_at, updated_at, version)
            SELECT gen_random_uuid(), \(seller), CASE WHEN n = 1 THEN '=1+1' ELSE 'Товар №' || n END, \(seller) || '-product-' || n,
                   'Описание, с "кавычками"', 1000 + n, 'RUB', 'published', now() + n * interval '1 millisecond', now(), 1
            FROM generate_series(1, \(count)) AS n
            """, logger: Logger(label: "test"))
    }

    /// Follows a download path as the route does; writes the file and reads it back.
    func download(_ path: String, _ store: PostgresExportStore, suffix: String, now: Date) async throws -> [String: Any] {
        let components = try #require(URLComponents(string: "http://x\(path)"))
        let id = components.path.split(separator: "/")[1]
        let items = components.queryItems ?? []
        let export = try await store.verifiedDownload(
            id: String(id), expires: items.first { $0.name == "expires" }?.value, signature: items.first { $0.name == "signature" }?.value, now: now)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-download-\(UUID()).\(suffix)")
        var data = Data()
        #expect(try await store.readFile(export) { data.append(contentsOf: $0.readableBytesView) })
        try data.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try TableReader.read(file.path)
    }

    @Test func aSellersProductsExportToXLSXAndCSVThatThirdPartyReadersOpen() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let clock = TestClock()
            let service = try CatalogService(client: client, clock: clock, logger: Logger(label: "test"))
            let catalog = service.catalog
            let worker = try #require(service.jobs)
            let store = try #require(service.exportFiles)
            try await insertProducts(client, seller: TestUsers.seller.userID.rawValue, count: 2_345)
            try await insertProducts(client, seller: TestUsers.otherSeller.userID.rawValue, count: 7)

            for format in ProductExport.Format.allCases {
                let started = try await catalog.exportProducts(sellerID: nil, status: nil, format: format, by: TestUsers.seller)
                #expect(started.state == .pending)
                #expect(try await catalog.exportJob(id: started.id, by: TestUsers.seller).downloadPath == nil)
                #expect(try await worker.runDue() == 1)
                let (done, path) = try await catalog.exportJob(id: started.id, by: TestUsers.seller)
                #expect(done.state == .completed && done.progress == 100 && done.rowCount == 2_345, "\(done)")
                let announced = try await client.query(
                    "SELECT count(*)::int FROM catalog.outbox WHERE event_type = 'ProductExportCompleted' AND aggregate_id = \(UUIDText.lowercase(started.id))",
                    logger: Logger(label: "test")).decode(Int.self).collectAll()
                #expect(announced == [1], "the requester is told once")
                let link = try #require(path)
                let table = try await download(link, store, suffix: format.rawValue, now: clock.now())
                let rows = try #require(table["rows"] as? [[Any]])
                #expect(rows.count == 2_346, "a header and every product of the seller, no one else's")
                #expect(rows.first?.first as? String == "id")
                let titles = Set(rows.dropFirst().compactMap { $0.count > 2 ? $0[2] as? String : nil })
                #expect(titles.contains("Товар №2345"))
                #expect(titles.contains(format == .csv ? "'=1+1" : "=1+1"), "a formula stays text")
                if format == .csv { #expect(table["bom"] as? Bool == true) }

                // Someone else's export is not theirs to see; an admin's is.
                await #expect { try await catalog.exportJob(id: started.id, by: TestUsers.otherSeller) } throws: { ($0 as? EmporiumError)?.code == .notFound }
                #expect(try await catalog.exportJob(id: started.id, by: TestUsers.admin).export.rowCount == 2_345)

                // A link altered or expired opens nothing.
                let tampered = link.replacingOccurrences(of: "signature=", with: "signature=0")
                await #expect { try await download(String(tampered.dropLast()), store, suffix: "x", now: clock.now()) } throws: {
                    ($0 as? EmporiumError)?.code == .forbidden
                }
                await #expect { try await download(link, store, suffix: "x", now: clock.now().addingTimeInterval(16 * 60)) } throws: {
                    ($0 as? EmporiumError)?.code == .forbidden
                }
            }
        }
    }

    @Test func onlySellersAndAdminsExportAndSellersOnlyTheirOwn() async throws {
        let fixture = try await CatalogFixture.make()
        try await fixture.run { _, client in
            let service = try CatalogService(client: client, logger: Logger(label: "test"))
            let catalog = service.catalog
            await #expect { try await catalog.exportProducts(sellerID: nil, status: nil, format: .csv, by: TestUsers.buyer) } throws: {
                ($0 as? EmporiumError)?.code == .forbidden
            }
            await #expect { try await catalog.exportProducts(sellerID: nil, status: nil, format: .csv, by: nil) } throws: {
                ($0 as? EmporiumError)?.code == .unauthenticated
            }
            await #expect {
                try await catalog.exportProducts(sellerID: TestUsers.otherSeller.userID.rawValue, status: nil, format: .csv, by: TestUsers.seller)
            } throws: { ($0 as? EmporiumError)?.code == .forbidden }
            await #expect { try await catalog.exportProducts(sellerID: nil, status: "sold", format: .csv, by: TestUsers.seller) } throws: {
                ($0 as? EmporiumError)?.field == "filter.status"
            }
            let everyone = try await catalog.exportProducts(sellerID: nil, status: "published", format: .xlsx, by: TestUsers.admin)
            #expect(everyone.sellerID == nil && everyone.status == .published)
            await #expect { try await catalog.exportJob(id: UUID(), by: TestUsers.seller) } throws: { ($0 as? EmporiumError)?.code == .notFound }
        }
    }
}
