import Foundation
@testable import Orders
import Testing

/// The webhook signature: HMAC-SHA256 over "<t>.<body>", five minutes either way.
@Suite struct WebhookSignatureTests {
    let signature = WebhookSignature(secret: "whsec-test")
    let body = Array(#"{"id":"evt_1"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aFreshSignatureHolds() {
        #expect(signature.refusal(of: signature.sign(body, at: now), body: body, now: now) == nil)
        #expect(signature.refusal(of: signature.sign(body, at: now.addingTimeInterval(-299)), body: body, now: now) == nil)
    }

    @Test func everythingElseIsRefused() {
        let header = signature.sign(body, at: now)
        #expect(signature.refusal(of: nil, body: body, now: now) != nil)
        #expect(signature.refusal(of: header, body: body + [0x20], now: now) != nil, "a changed body")
        #expect(WebhookSignature(secret: "other").refusal(of: header, body: body, now: now) != nil, "another secret")
        #expect(signature.refusal(of: header, body: body, now: now.addingTimeInterval(301)) != nil, "stale")
        #expect(signature.refusal(of: signature.sign(body, at: now.addingTimeInterval(301)), body: body, now: now) != nil, "from the future")
        for malformed in ["", "t=", "v1=abc", "t=1,v1=zz", "t=9223372036854775807,v1=" + String(repeating: "0", count: 64), String(repeating: "t=1,", count: 200)] {
            #expect(signature.refusal(of: malformed, body: body, now: now) != nil, "\(malformed.prefix(40))")
        }
    }

    @Test func oneOfSeveralSignaturesMayMatch() {
        let good = signature.sign(body, at: now)
        let value = good.split(separator: ",")[1]
        let header = "t=\(Int(now.timeIntervalSince1970)),v1=\(String(repeating: "ab", count: 32)),\(value)"
        #expect(signature.refusal(of: header, body: body, now: now) == nil)
    }
}
