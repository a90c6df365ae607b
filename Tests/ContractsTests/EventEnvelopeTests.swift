@testable import Contracts
import Foundation
import Testing

@Suite struct EventEnvelopeTests {
    static let snapshot = ProductSnapshot(
        productId: "6f1c2a4e-0b7d-4c55-9a43-1f6de0c2b1aa", sellerId: "seller-1", title: "Смартфон Галактика S24",
        slug: "smartfon-galaktika-s24", price: MoneyValue(amount: 8_999_000, currency: "RUB"), status: "DRAFT",
        categoryId: nil, version: 1)
    static let occurred = Date(timeIntervalSince1970: 1_764_583_200.123)  // 2025-12-01T10:00:00.123Z
    static let eventID = UUID(uuidString: "0e3a7a52-6c1e-4f3e-8d7a-2b9c5d1e4f60")!

    @Test func wrapsAnEventWithItsMetadata() throws {
        let envelope = try EventEnvelope(ProductCreated(product: Self.snapshot), occurredAt: Self.occurred, correlationID: "req-1", eventID: Self.eventID)
        #expect(envelope.type == "ProductCreated")
        #expect(envelope.schemaVersion == 1)
        #expect(envelope.topic == "catalog.product.v1")
        #expect(envelope.aggregateID == Self.snapshot.productId)
        #expect(try envelope.decode(ProductCreated.self) == ProductCreated(product: Self.snapshot))
    }

    /// The wire form is the contract: this fixture is what a consumer in any language reads.
    @Test func wireFormMatchesTheDocumentedFixture() throws {
        let envelope = try EventEnvelope(ProductCreated(product: Self.snapshot), occurredAt: Self.occurred, correlationID: "req-1", eventID: Self.eventID)
        let json = String(decoding: try envelope.encoded(), as: UTF8.self)
        let expected = #"{"aggregateId":"6f1c2a4e-0b7d-4c55-9a43-1f6de0c2b1aa","correlationId":"req-1","eventId":"0e3a7a52-6c1e-4f3e-8d7a-2b9c5d1e4f60","occurredAt":"2025-12-01T10:00:00.123Z","payload":{"product":{"price":{"amount":8999000,"currency":"RUB"},"productId":"6f1c2a4e-0b7d-4c55-9a43-1f6de0c2b1aa","sellerId":"seller-1","slug":"smartfon-galaktika-s24","status":"DRAFT","title":"Смартфон Галактика S24","version":1}},"schemaVersion":1,"topic":"catalog.product.v1","type":"ProductCreated"}"#
        #expect(json == expected)
    }

    @Test func wireRoundTripKeepsEveryField() throws {
        let events: [any IntegrationEvent] = [
            ProductCreated(product: Self.snapshot),
            ProductUpdated(product: Self.snapshot, changedFields: ["title", "slug"]),
            ProductPublished(product: Self.snapshot, publishAt: Self.occurred),
            ProductArchived(product: Self.snapshot),
            PriceChanged(productId: "p", previousPrice: MoneyValue(amount: 1, currency: "EUR"), price: MoneyValue(amount: 2, currency: "EUR"), version: 3),
            StockChanged(productId: "p", warehouseId: "w", reason: "received", onHandDelta: 5, reservedDelta: 0, totals: StockTotals(onHand: 5, reserved: 0, available: 5)),
            StockDepleted(productId: "p", totals: StockTotals(onHand: 2, reserved: 2, available: 0)),
            StockReplenished(productId: "p", totals: StockTotals(onHand: 1, reserved: 0, available: 1)),
        ]
        for event in events {
            let envelope = try EventEnvelope(event, occurredAt: Self.occurred)
            let decoded = try EventEnvelope(encoded: try envelope.encoded())
            #expect(decoded.eventID == envelope.eventID)
            #expect(decoded.type == envelope.type)
            #expect(decoded.occurredAt == envelope.occurredAt)
            #expect(decoded.correlationID == nil)
            // Payload bytes may be re-serialized; compare as objects.
            let a = try JSONSerialization.jsonObject(with: decoded.payload) as? NSDictionary
            let b = try JSONSerialization.jsonObject(with: envelope.payload) as? NSDictionary
            #expect(a == b, "\(envelope.type)")
        }
        let stock = try EventEnvelope(StockDepleted(productId: "p", totals: StockTotals(onHand: 2, reserved: 2, available: 0)))
        #expect(try EventEnvelope(encoded: stock.encoded()).decode(StockDepleted.self).totals.reserved == 2)
    }

    @Test func headersRepeatTheEnvelope() throws {
        let envelope = try EventEnvelope(ProductArchived(product: Self.snapshot), occurredAt: Self.occurred, correlationID: "c-9", eventID: Self.eventID)
        let headers = Dictionary(uniqueKeysWithValues: envelope.headers.map { ($0.name, $0.value) })
        #expect(headers == [
            "event-id": "0e3a7a52-6c1e-4f3e-8d7a-2b9c5d1e4f60", "event-type": "ProductArchived", "schema-version": "1",
            "aggregate-id": Self.snapshot.productId, "occurred-at": "2025-12-01T10:00:00.123Z", "correlation-id": "c-9",
        ])
    }

    @Test func decodingTheWrongTypeOrVersionIsAClearError() throws {
        var envelope = try EventEnvelope(ProductArchived(product: Self.snapshot))
        #expect(throws: EventDecodingError.self) { try envelope.decode(ProductCreated.self) }
        envelope.schemaVersion = 2
        let error = #expect(throws: EventDecodingError.self) { try envelope.decode(ProductArchived.self) }
        #expect(error?.description.contains("schema version 2") == true)
        envelope.schemaVersion = 1
        envelope.payload = Data(#"{"product":{"productId":1}}"#.utf8)
        #expect(throws: EventDecodingError.self) { try envelope.decode(ProductArchived.self) }
    }

    @Test func malformedMessagesAreRejectedWithTheReason() {
        let cases: [(String, String)] = [
            ("not json", "not a JSON object"),
            (#"{"type":"X"}"#, "eventId"),
            (#"{"eventId":"nope","type":"X","schemaVersion":1,"topic":"t","aggregateId":"a","occurredAt":"2025-12-01T10:00:00Z","payload":{}}"#, "not a UUID"),
            (#"{"eventId":"0e3a7a52-6c1e-4f3e-8d7a-2b9c5d1e4f60","type":"X","schemaVersion":1,"topic":"t","aggregateId":"a","occurredAt":"yesterday","payload":{}}"#, "ISO 8601"),
            (#"{"eventId":"0e3a7a52-6c1e-4f3e-8d7a-2b9c5d1e4f60","type":"X","schemaVersion":1,"topic":"t","aggregateId":"a","occurredAt":"2025-12-01T10:00:00Z","payload":[]}"#, "payload"),
        ]
        for (text, reason) in cases {
            let error = #expect(throws: EventDecodingError.self) { try EventEnvelope(encoded: Data(text.utf8)) }
            #expect(error?.description.contains(reason) == true, "\(text): \(String(describing: error))")
        }
    }

    @Test func occurredAtKeepsMilliseconds() throws {
        let envelope = try EventEnvelope(ProductArchived(product: Self.snapshot), occurredAt: Date(timeIntervalSince1970: 1.23456))
        #expect(envelope.occurredAt == Date(timeIntervalSince1970: 1.235))  // nearest millisecond
        #expect(try EventEnvelope(encoded: envelope.encoded()).occurredAt == envelope.occurredAt)
    }
}

@Suite struct EventDateTests {
    /// The hand-written formatter against Foundation's, over dates from 1969 to 2200.
    @Test func datesFormatLikeISO8601() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -86_400_000 * 400...7_258_118_400_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            let envelope = try EventEnvelope(StockDepleted(productId: "p", totals: StockTotals(onHand: 0, reserved: 0, available: 0)), occurredAt: date)
            let text = try #require(envelope.headers.first { $0.name == "occurred-at" }?.value)
            let whole = Date(timeIntervalSince1970: Double(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000))
            let expectedPrefix = whole.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false).timeZone(separator: .omitted)).dropLast()
            #expect(text.hasPrefix(expectedPrefix), "\(milliseconds): \(text)")
            #expect(try EventEnvelope(encoded: envelope.encoded()).occurredAt == envelope.occurredAt, "\(milliseconds)")
        }
    }

    @Test func stringsAreEscaped() throws {
        var envelope = try EventEnvelope(StockDepleted(productId: "p", totals: StockTotals(onHand: 0, reserved: 0, available: 0)))
        envelope.aggregateID = "quote\" backslash\\ newline\n tab\t bell\u{07} юникод"
        let decoded = try EventEnvelope(encoded: envelope.encoded())
        #expect(decoded.aggregateID == envelope.aggregateID)
        envelope.payload = Data("[1]".utf8)
        #expect(throws: EventDecodingError.self) { try envelope.encoded() }
    }
}

@Suite struct EventEnvelopeLimitsTests {
    @Test func schemaVersionsOutsideTheStorableRangeAreRefused() throws {
        let envelope = try EventEnvelope(StockDepleted(productId: "p", totals: StockTotals(onHand: 0, reserved: 0, available: 0)))
        for version in ["0", "-1", "3000000000"] {
            let text = String(decoding: try envelope.encoded(), as: UTF8.self).replacingOccurrences(of: "\"schemaVersion\":1", with: "\"schemaVersion\":\(version)")
            let error = #expect(throws: EventDecodingError.self) { try EventEnvelope(encoded: Data(text.utf8)) }
            #expect(error?.description.contains("schemaVersion \(version)") == true)
        }
    }

    /// A message's payload is taken as the bytes it has there; a message where that is not
    /// plainly one `"payload"` key still decodes, from the parsed object.
    @Test func thePayloadIsReadAsItsBytes() throws {
        let id = UUID().uuidString.lowercased()
        func message(_ members: String) -> Data {
            Data(#"{"eventId":"\#(id)","type":"StockDepleted","schemaVersion":1,"topic":"t","aggregateId":"a","occurredAt":"2025-12-01T10:00:00.123Z",\#(members)}"#.utf8)
        }
        let payload = #"{ "z" : [1, {"}": "]\"{"}], "a":"x,y" }"#
        #expect(EventEnvelope.payloadBytes(in: message(#""payload": \#(payload) "#)) == Data(payload.utf8))
        #expect(try EventEnvelope(encoded: message(#""payload":\#(payload)"#)).payload == Data(payload.utf8))
        // Escaped or repeated keys: read from the parsed object instead.
        for members in [#""p\u0061yload":{"b":2,"a":1}"#, #""payload":{"c":3},"payload":{"b":2,"a":1}"#] {
            #expect(EventEnvelope.payloadBytes(in: message(members)) == nil)
            let decoded = try JSONSerialization.jsonObject(with: try EventEnvelope(encoded: message(members)).payload) as? [String: Int]
            #expect(decoded == ["a": 1, "b": 2], "\(members)")
        }
    }
}
