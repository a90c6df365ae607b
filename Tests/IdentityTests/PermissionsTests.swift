import EmporiumCore
import Identity
import Testing

@Suite struct PermissionsTests {
    let seller = Principal(userID: UserID("s-1"), roles: [.seller])
    let buyer = Principal(userID: UserID("b-1"), roles: [.buyer])
    let admin = Principal(userID: UserID("a-1"), roles: [.admin])

    @Test func noPrincipalIsUnauthenticated() {
        #expect { try Permissions.require(nil, anyOf: [.seller]) } throws: { ($0 as? EmporiumError)?.code == .unauthenticated }
    }

    @Test func wrongRoleIsForbidden() {
        #expect { try Permissions.require(buyer, anyOf: [.seller]) } throws: { ($0 as? EmporiumError)?.code == .forbidden }
        #expect(throws: Never.self) { try Permissions.require(admin, anyOf: [.seller]) }
    }

    @Test func sellersChangeOnlyWhatTheyOwn() throws {
        #expect(try Permissions.requireOwner(seller, owner: UserID("s-1"), what: "products") == seller)
        #expect { try Permissions.requireOwner(seller, owner: UserID("s-2"), what: "products") } throws: { ($0 as? EmporiumError)?.code == .forbidden }
        #expect(try Permissions.requireOwner(admin, owner: UserID("s-2"), what: "products") == admin)
    }
}
