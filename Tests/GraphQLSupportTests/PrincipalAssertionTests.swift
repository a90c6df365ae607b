import EmporiumCore
import HTTPTypes
import Identity
import Testing
@testable import GraphQLSupport

/// The caller the gateway or a realtime node verified, asserted to a subgraph beside the internal
/// credential: it must read back exactly, and anything else must read as nobody.
@Suite struct PrincipalAssertionTests {
    @Test func anAssertionReadsBackAsTheSamePrincipal() throws {
        for principal in [
            Principal(userID: UserID("3f1c2d9e-0000-4000-8000-000000000001"), roles: [.buyer]),
            Principal(userID: UserID("seller 7;admin,buyer%"), roles: [.seller, .admin]),
            Principal(userID: UserID("Иван"), roles: []),
        ] {
            let assertion = try #require(InternalCredential.assertion(of: principal))
            #expect(assertion.utf8.allSatisfy { (0x21...0x7E).contains($0) }, "a header value: visible ASCII only")
            #expect(InternalCredential.principal(fromAssertion: assertion) == principal)
        }
        #expect(InternalCredential.assertion(of: Principal(userID: UserID("u1"), roles: [.seller, .buyer])) == "buyer,seller;u1")
    }

    @Test func aMalformedAssertionIsNobody() {
        for value in ["", "u1", "buyer;", "root;u1", "buyer;u%", "buyer;u%4", "buyer;u%zz", "buyer;%FF", String(repeating: "a", count: 900) + ";u"] {
            #expect(InternalCredential.principal(fromAssertion: value) == nil, "\(value.prefix(20))")
        }
        let tooLong = Principal(userID: UserID(String(repeating: "é", count: 200)), roles: [.buyer])
        #expect(InternalCredential.assertion(of: tooLong) == nil)
    }

    @Test func aRequestWithItsOwnTokenIsNotReadFromTheAssertion() {
        var headers: HTTPFields = [InternalCredential.principalHeader: "admin;u1"]
        #expect(InternalCredential.assertedPrincipal(in: headers) == Principal(userID: UserID("u1"), roles: [.admin]))
        headers[.authorization] = "Bearer x"
        #expect(InternalCredential.assertedPrincipal(in: headers) == nil)
    }

    @Test func theGatewayAssertsTheCallerBesideTheCredential() throws {
        let credential = try #require(InternalCredential(token: String(repeating: "k", count: 32)))
        let principal = Principal(userID: UserID("u1"), roles: [.buyer])
        let fields = credential.headers(clientKey: "user:u1", requestID: "r", principal: principal)
        #expect(fields.contains { $0.0 == InternalCredential.principalHeader && $0.1 == "buyer;u1" })
        #expect(!credential.headers(clientKey: nil).contains { $0.0 == InternalCredential.principalHeader })
    }
}
