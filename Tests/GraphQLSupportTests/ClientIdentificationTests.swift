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

    @Test func rangesOfProxiesAreTrustedAsWholes() {
        let clients = ClientIdentification(trustedProxies: ["10.0.0.0/8", "fd00::/8"])
        #expect(clients.key(principal: nil, headers: forwarded, peer: "10.42.7.1") == "ip:198.51.100.7")
        #expect(clients.key(principal: nil, headers: forwarded, peer: "11.0.0.1") == "ip:11.0.0.1")
        let v6: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "2001:db8::1, fd12::3"]
        #expect(clients.key(principal: nil, headers: v6, peer: "fd00::9") == "ip:2001:db8::1")
        #expect(clients.key(principal: nil, headers: v6, peer: "fe80::1") == "ip:fe80::1")
    }

    @Test func rangesAreParsedStrictly() {
        #expect(AddressRange("10.0.0.0/8")?.contains("10.255.0.1") == true)
        #expect(AddressRange("10.0.0.0/8")?.contains("9.255.0.1") == false)
        #expect(AddressRange("192.168.1.7")?.contains("192.168.1.7") == true)
        #expect(AddressRange("192.168.1.7")?.contains("192.168.1.8") == false)
        #expect(AddressRange("172.16.0.0/12")?.contains("172.31.255.255") == true)
        #expect(AddressRange("172.16.0.0/12")?.contains("172.32.0.0") == false)
        #expect(AddressRange("0.0.0.0/0")?.contains("8.8.8.8") == true)
        #expect(AddressRange("0.0.0.0/0")?.contains("::1") == false, "families do not mix")
        for wrong in ["", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "kong", "10.0.0.0/8/8", "::/129", "1.2.3", "10.0.0.0/0008"] {
            #expect(AddressRange(wrong) == nil, "\(wrong)")
        }
    }
}
