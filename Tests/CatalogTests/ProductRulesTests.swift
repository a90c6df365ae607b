@testable import Catalog
import EmporiumCore
import Testing

@Suite struct ProductRulesTests {
    @Test func statusTransitions() {
        #expect(ProductStatus.draft.canTransition(to: .published))
        #expect(ProductStatus.draft.canTransition(to: .scheduled))
        #expect(ProductStatus.scheduled.canTransition(to: .published))
        #expect(ProductStatus.published.canTransition(to: .archived))
        #expect(ProductStatus.archived.canTransition(to: .draft))
        #expect(!ProductStatus.archived.canTransition(to: .published))
        #expect(!ProductStatus.published.canTransition(to: .scheduled))
    }

    @Test func titlesAreTrimmedAndBounded() throws {
        #expect(try ProductRules.title("  Kettle \n") == "Kettle")
        #expect { try ProductRules.title("   ") } throws: { ($0 as? EmporiumError)?.field == "input.title" }
        #expect(throws: EmporiumError.self) { try ProductRules.title(String(repeating: "x", count: 201)) }
        #expect(try ProductRules.title(String(repeating: "я", count: 200)).count == 200)
    }

    @Test func attributesMustHaveUniqueBoundedKeys() throws {
        let ok = try ProductRules.attributes([ProductAttribute(key: " color ", value: "black")])
        #expect(ok == [ProductAttribute(key: "color", value: "black")])
        #expect { try ProductRules.attributes([ProductAttribute(key: "a", value: "1"), ProductAttribute(key: "a", value: "2")]) }
            throws: { ($0 as? EmporiumError)?.field == "input.attributes[1].key" }
        #expect(throws: EmporiumError.self) { try ProductRules.attributes([ProductAttribute(key: "", value: "1")]) }
    }

    @Test func imageURLsMustBeHTTP() throws {
        #expect(try ProductRules.imageURLs(["https://img.example/1.jpg"]).count == 1)
        #expect { try ProductRules.imageURLs(["https://ok.example/a.jpg", "javascript:alert(1)"]) }
            throws: { ($0 as? EmporiumError)?.field == "input.imageUrls[1]" }
    }

    @Test func compareAtPriceMustExceedThePrice() throws {
        let price = try Money.price(amount: 1000, currency: "EUR", field: "price")
        #expect(try ProductRules.compareAtPrice(1500, price: price)?.amount == 1500)
        #expect(throws: EmporiumError.self) { try ProductRules.compareAtPrice(900, price: price) }
        #expect(try ProductRules.compareAtPrice(nil, price: price) == nil)
    }

    @Test func visibilityFollowsTheViewer() {
        #expect(ProductVisibility(principal: nil) == .publicOnly)
        #expect(ProductVisibility(principal: TestPrincipals.seller) == .publicOrOwnedBy(TestPrincipals.seller.userID))
        #expect(ProductVisibility(principal: TestPrincipals.admin) == .all)
    }
}

import Identity

enum TestPrincipals {
    static let seller = Principal(userID: UserID("seller-1"), roles: [.seller])
    static let admin = Principal(userID: UserID("admin-1"), roles: [.admin])
}
