@testable import EmporiumCore
import Foundation
import Testing

@Suite struct CursorAndIdentifierTests {
    @Test func cursorsRoundTripAnyTextAndDecodeTheFoundationEncoding() throws {
        for values in [["s", "20"], ["quote\"back\\slash/", "tab\tnew\nline\u{1}", "смартфон 📱", ""], []] {
            let cursor = Cursor(values)
            #expect(try Cursor(decoding: cursor.encoded) == cursor)
            #expect(!cursor.encoded.contains("=") && !cursor.encoded.contains("+") && !cursor.encoded.contains("/"))
            // Cursors written by the earlier JSONEncoder-based encoder still decode.
            struct Payload: Encodable { let v: Int; let k: [String] }
            let old = try JSONEncoder().encode(Payload(v: 1, k: values)).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(try Cursor(decoding: old) == cursor)
        }
    }

    @Test func base64URLMatchesFoundation() {
        for length in 0..<40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == foundation)
        }
    }

    @Test func cursorsRoundTrip() throws {
        let cursor = Cursor(["p", "1732530000123000", "8c1d0c5e-0c0f-4a3e-9d8e-3d7f5c2b1a00"])
        #expect(try Cursor(decoding: cursor.encoded) == cursor)
        #expect(!cursor.encoded.contains("="))
    }

    @Test(arguments: ["", "not-base64!!", "eyJ2IjoyLCJrIjpbXX0", String(repeating: "a", count: 600)])
    func malformedCursorsAreBadUserInput(text: String) {
        #expect {
            try Cursor(decoding: text)
        } throws: { error in
            (error as? EmporiumError)?.code == .badUserInput
        }
    }

    @Test func idsParseStrictly() throws {
        let id = ProductID()
        #expect(try ProductID(parsing: id.description) == id)
        #expect(id.description == id.description.lowercased())
        #expect {
            try ProductID(parsing: "42", field: "id")
        } throws: { error in
            let error = error as? EmporiumError
            return error?.code == .badUserInput && error?.field == "id" && error?.message.contains("product id") == true
        }
    }

    @Test func errorsKeepDetailOutOfTheUserMessage() {
        let error = EmporiumError(.internalError, "database unavailable", detail: "password=secret host=db")
        #expect(error.description == "database unavailable")
        #expect(error.debugDescription.contains("host=db"))
    }
}
