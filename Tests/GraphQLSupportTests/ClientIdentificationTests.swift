import EmporiumCore
import GraphQLSupport
import HTTPTypes
import Identity
import Testing

@Suite struct ClientIdentificationTests {
    let forwarded: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7, 10.0.0.2"]

    @Test func tokensIdentifyUsers() {
        let principal = Principal(userID: UserID("u1"), roles: [.buyer])
        #expect(ClientIdentification().key(principal: principal, headers: forwarded, peer: "10.0.0.1") == "user:u1")
    }

    @Test func forwardedForIsIgnoredFromUntrustedPeers() {
        #expect(ClientIdentification().key(principal: nil, headers: forwarded, peer: "203.0.113.9") == "ip:203.0.113.9")
    }

    @Test func forwardedForFromTrustedProxiesNamesTheClient() {
        let clients = ClientIdentification(trustedProxies: ["10.0.0.1", "10.0.0.2"])
        #expect(clients.key(principal: nil, headers: forwarded, peer: "10.0.0.1") == "ip:198.51.100.7")
        #expect(clients.key(principal: nil, headers: [:], peer: "10.0.0.1") == "ip:10.0.0.1")
        #expect(clients.key(principal: nil, headers: [:], peer: nil) == "ip:unknown")
    }
}
