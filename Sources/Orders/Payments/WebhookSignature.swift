import Crypto
import EmporiumCore
import Foundation

/// The signature on provider webhooks: `Emporium-Signature: t=<unix seconds>,v1=<hex>` where
/// the hex is HMAC-SHA256 of `"<t>.<body>"` under the shared secret — the scheme Stripe uses, so
/// a real provider's adapter changes only the header's name.
///
/// A webhook is accepted only with a valid signature whose timestamp is within five minutes of
/// now (either way), compared in constant time; the receiver also refuses an event id it has
/// applied before, so a captured request cannot be replayed even inside the window.
public struct WebhookSignature: Sendable {
    public static let header = "Emporium-Signature"
    public static let tolerance: TimeInterval = 300

    let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// A fresh random secret, for a process that both sends (the sandbox) and receives.
    public static func randomSecret() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    public func sign(_ body: [UInt8], at time: Date) -> String {
        let timestamp = Int64(time.timeIntervalSince1970)
        return "t=\(timestamp),v1=\(hex(mac(timestamp: timestamp, body: body)))"
    }

    /// Nil when the signature holds; otherwise why not (for the log; the client gets a plain 401).
    public func refusal(of header: String?, body: [UInt8], now: Date) -> String? {
        guard let header, header.utf8.count <= 512 else { return "no \(Self.header) header" }
        var timestamp: Int64?
        var signatures: [[UInt8]] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int64(pair[1]) }
            if pair[0] == "v1", let bytes = Self.bytes(hex: pair[1]) { signatures.append(bytes) }
        }
        guard let timestamp else { return "the signature has no timestamp" }
        guard !signatures.isEmpty else { return "the signature has no v1 value" }
        // Subtraction on Double: a timestamp near Int64's ends cannot overflow it.
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= Self.tolerance else { return "the signature's timestamp is outside five minutes of now" }
        let expected = mac(timestamp: timestamp, body: body)
        // Constant time: every candidate is compared in full, whatever matched.
        var matched = false
        for candidate in signatures where candidate.count == expected.count {
            var difference: UInt8 = 0
            for index in expected.indices { difference |= expected[index] ^ candidate[index] }
            matched = matched || difference == 0
        }
        return matched ? nil : "the signature does not match"
    }

    private func mac(timestamp: Int64, body: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: key)
        hmac.update(data: Array("\(timestamp).".utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var index = 0
        while index < utf8.count {
            guard let high = Hex.value(of: utf8[index]), let low = Hex.value(of: utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}

/// What a payment webhook says.
public struct PaymentWebhook: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case succeeded = "payment.succeeded"
        case declined = "payment.declined"
        case refunded = "refund.succeeded"
    }

    public var id: String
    public var type: Kind
    public var paymentId: String
    public var orderId: String
    public var amount: Int64
    public var currency: String
}

/// What a delivery webhook says.
public struct DeliveryWebhook: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case shipped = "shipment.shipped"
        case delivered = "shipment.delivered"
    }

    public var id: String
    public var type: Kind
    public var shipmentId: String
    public var sellerOrderId: String
    public var trackingNumber: String
}
