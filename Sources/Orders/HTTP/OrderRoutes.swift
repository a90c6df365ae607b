import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// The orders' HTTP routes: the providers' webhooks, and the sandbox providers' pages and API.
enum OrderRoutes {
    static func webhooks(_ receiver: OrderWebhooks) -> [ServiceRoute] {
        [
            ServiceRoute(.post, "/webhooks/payments", visibility: .public) { request, _ in
                let body = try await self.body(of: request)
                try await receiver.receivePayment(body: body, signature: request.headers[signatureField])
                return ServiceRoute.json(.ok, ["received": true])
            },
            ServiceRoute(.post, "/webhooks/delivery", visibility: .public) { request, _ in
                let body = try await self.body(of: request)
                try await receiver.receiveDelivery(body: body, signature: request.headers[signatureField])
                return ServiceRoute.json(.ok, ["received": true])
            },
        ]
    }

    /// The sandbox: the confirmation page a buyer is sent to, the form it posts, and the JSON
    /// API tests and scripts use (`POST …/confirm` with `{"card": "…"}`, `POST …/advance`).
    static func sandbox(payments: SandboxPaymentProvider, delivery: SandboxDeliveryProvider) -> [ServiceRoute] {
        [
            ServiceRoute(.get, "/sandbox/payments/:id", visibility: .public) { request, _ in
                let id = try lastSegment(request, after: "payments")
                guard let payment = try await payments.payment(id: id) else { throw EmporiumError.notFound("no sandbox payment \(id)") }
                return html(SandboxPage.payment(id: id, amount: payment.amount, status: payment.status))
            },
            ServiceRoute(.post, "/sandbox/payments/:id/confirm", visibility: .public) { request, _ in
                let id = try segment(request, after: "payments")
                let body = try await self.body(of: request)
                let card = try cardNumber(body, contentType: request.headers[.contentType])
                let outcome = try await payments.confirm(paymentID: id, card: card)
                if request.headers[.contentType]?.hasPrefix("application/json") == true {
                    return ServiceRoute.json(.ok, ["paymentId": id, "outcome": outcome.rawValue])
                }
                return html(SandboxPage.confirmed(outcome: outcome))
            },
            ServiceRoute(.post, "/sandbox/shipments/:id/advance", visibility: .public) { request, _ in
                let id = try segment(request, after: "shipments")
                let status = try await delivery.advance(shipmentID: id)
                return ServiceRoute.json(.ok, ["shipmentId": id, "status": status])
            },
        ]
    }

    static let signatureField = HTTPField.Name(WebhookSignature.header)!

    static func body(of request: Request) async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: OrderWebhooks.maximumBody)
            return Array(buffer.readableBytesView)
        } catch {
            throw EmporiumError.badInput("the body must be at most \(OrderWebhooks.maximumBody) bytes")
        }
    }

    /// The card from a form (`card=…`) or JSON (`{"card": "…"}`).
    static func cardNumber(_ body: [UInt8], contentType: String?) throws -> String {
        if contentType?.hasPrefix("application/json") == true {
            guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], let card = object["card"] as? String else {
                throw EmporiumError.badInput("send {\"card\": \"4242424242424242\"}", field: "card")
            }
            return card
        }
        let form = String(decoding: body, as: UTF8.self)
        for pair in form.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "card" {
                return parts[1].replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
        }
        throw EmporiumError.badInput("the form needs a card field", field: "card")
    }

    /// The path segment after `name` (`/sandbox/payments/<id>/confirm`).
    static func segment(_ request: Request, after name: String) throws -> String {
        let parts = request.uri.path.split(separator: "/")
        guard let index = parts.firstIndex(of: Substring(name)), index + 1 < parts.count else { throw EmporiumError.badInput("the path names no id") }
        let id = String(parts[index + 1])
        guard (1...100).contains(id.utf8.count), id.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else {
            throw EmporiumError.notFound("no such sandbox record")
        }
        return id
    }

    static func lastSegment(_ request: Request, after name: String) throws -> String { try segment(request, after: name) }

    static func html(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}

/// The sandbox's pages: plain HTML forms, no script.
enum SandboxPage {
    static func payment(id: String, amount: Money, status: String) -> String {
        let paid = status == "succeeded"
        return """
            <!doctype html><html lang="en"><meta charset="utf-8"><title>Emporium sandbox payment</title>
            <body style="font-family: sans-serif; max-width: 28em; margin: 3em auto">
            <h1>Sandbox payment</h1><p>Amount: <strong>\(amount)</strong></p><p>Status: \(status)</p>
            \(paid ? "<p>This payment is complete.</p>" : """
            <form method="post" action="/sandbox/payments/\(id)/confirm"><input type="hidden" name="card" value="4242424242424242">
            <button type="submit">Pay</button></form>
            <form method="post" action="/sandbox/payments/\(id)/confirm"><input type="hidden" name="card" value="4000000000000002">
            <button type="submit">Decline</button></form>
            """)
            <p><small>No money moves: this is Emporium's sandbox provider.</small></p></body></html>
            """
    }

    static func confirmed(outcome: SandboxPaymentProvider.Outcome) -> String {
        """
        <!doctype html><html lang="en"><meta charset="utf-8"><title>Emporium sandbox payment</title>
        <body style="font-family: sans-serif; max-width: 28em; margin: 3em auto">
        <h1>\(outcome == .succeeded ? "Paid" : "Declined")</h1><p>You can close this page.</p></body></html>
        """
    }
}
