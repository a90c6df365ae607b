import EmporiumCore
import GraphQL
import GraphQLSupport
import Logging
import Testing

@Suite struct ErrorMappingTests {
    let logger = Logger(label: "test")

    @Test func domainErrorsKeepTheirCodeAndField() {
        let original = EmporiumError.badInput("title empty", field: "input.title")
        let mapped = GraphQLErrorMapping.map(GraphQLError(message: "x", path: ["createProduct"], originalError: original), logger: logger)
        #expect(mapped.extensions["code"] == .string("BAD_USER_INPUT"))
        #expect(mapped.extensions["field"] == .string("input.title"))
        #expect(mapped.message == "title empty")
        #expect(mapped.path.elements == [.key("createProduct")])
    }

    struct Secret: Error, CustomStringConvertible { var description: String { "password=hunter2" } }

    @Test func unexpectedErrorsAreHidden() {
        let mapped = GraphQLErrorMapping.map(GraphQLError(message: "password=hunter2", originalError: Secret()), logger: logger)
        #expect(mapped.extensions["code"] == .string("INTERNAL_SERVER_ERROR"))
        #expect(!mapped.message.contains("hunter2"))
    }

    /// `INTERNAL_SERVER_ERROR` raised by our own code says what is broken inside; the client
    /// gets the generic message instead.
    @Test func internalDomainErrorsAreHiddenToo() {
        let original = EmporiumError(.internalError, "stored status 'x' is unknown")
        let mapped = GraphQLErrorMapping.map(GraphQLError(message: "x", originalError: original), logger: logger, requestID: "r-1")
        #expect(mapped.extensions["code"] == .string("INTERNAL_SERVER_ERROR"))
        #expect(mapped.extensions["requestId"] == .string("r-1"))
        #expect(!mapped.message.contains("stored status"))
    }

    @Test func executorErrorsAreTheClients() {
        let mapped = GraphQLErrorMapping.map(GraphQLError(message: "Variable \"$id\" of required type \"ID!\" was not provided."), logger: logger)
        #expect(mapped.extensions["code"] == .string("BAD_USER_INPUT"))
    }

    @Test func requestIDsAreDistinctVersion4UUIDs() {
        let ids = (0..<10_000).map { _ in GraphQLErrorMapping.newRequestID() }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let bytes = Array(id.utf8)
            #expect(bytes.count == 36 && id == id.lowercased())
            #expect(UUIDText.parse(id) != nil, "\(id)")
            #expect(bytes[14] == UInt8(ascii: "4"))  // version 4
            #expect("89ab".utf8.contains(bytes[19]))  // RFC 4122 variant
        }
    }
}
