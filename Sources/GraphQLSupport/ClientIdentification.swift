import HTTPTypes
import Identity

/// Who a client is, for per-client limits: the token's subject when there is one, else the
/// client's IP address. `X-Forwarded-For` is believed only when the connection comes from a
/// configured trusted proxy (otherwise any client could pick its own identity); then the
/// right-most address that is not itself a trusted proxy is the client.
public struct ClientIdentification: Sendable {
    public let trustedProxies: Set<String>
    /// The entries that are addresses or CIDR ranges (``AddressRange``); others match exactly.
    let ranges: [AddressRange]

    public init(trustedProxies: Set<String> = []) {
        self.trustedProxies = trustedProxies
        ranges = trustedProxies.compactMap(AddressRange.init)
    }

    func isTrusted(_ address: String) -> Bool {
        trustedProxies.contains(address) || ranges.contains { $0.contains(address) }
    }

    public func key(principal: Principal?, headers: HTTPFields, peer: String?) -> String {
        if let principal { return "user:\(principal.userID.rawValue)" }
        return "ip:\(clientAddress(headers: headers, peer: peer) ?? "unknown")"
    }

    public func clientAddress(headers: HTTPFields, peer: String?) -> String? {
        guard let peer, isTrusted(peer), let forwarded = headers[HTTPField.Name("X-Forwarded-For")!] else {
            return peer
        }
        let hops = forwarded.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.last { !isTrusted($0) } ?? peer
    }
}

import Foundation
import EmporiumCore
