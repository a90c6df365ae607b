import EmporiumCore
import Foundation
import GraphQL
import Logging
import Synchronization

/// Gives every error in a response an `extensions.code`, and hides internals.
///
/// Domain errors the client can act on keep their message and code (and `extensions.field`);
/// argument decoding failures are the client's (`BAD_USER_INPUT`). Anything unexpected —
/// including an `EmporiumError` coded `INTERNAL_SERVER_ERROR`, whose message is written for
/// operators — becomes `INTERNAL_SERVER_ERROR` with a generic message and
/// `extensions.requestId`; the detail goes to a log line that carries the same `request.id`.
public enum GraphQLErrorMapping {
    public static let parseFailed = "GRAPHQL_PARSE_FAILED"
    public static let validationFailed = "GRAPHQL_VALIDATION_FAILED"
    /// What a client reads for every unexpected failure; nothing about the cause.
    public static let internalMessage = "internal error; report the requestId to find the server log entry"

    /// A fresh id for a request: unique in the process, and saying nothing about the server (not
    /// how many requests it answered). A keyed hash of a counter, not the system generator: that
    /// is a `getrandom` call per request, 1 % of a cached read's CPU. Not for secrets.
    public static func newRequestID() -> String {
        let number = requestNumbers.add(1, ordering: .relaxed).oldValue
        var high = Hasher(), low = Hasher()
        high.combine(requestIDKey.high)
        high.combine(number)
        low.combine(requestIDKey.low)
        low.combine(number)
        return UUIDText.lowercase(UUIDText.version4(high: UInt64(UInt(bitPattern: high.finalize())), low: UInt64(UInt(bitPattern: low.finalize()))))
    }

    private static let requestNumbers = Atomic<UInt64>(0)
    /// Random per process, so that ids differ between processes even with deterministic hashing.
    private static let requestIDKey: (high: UInt64, low: UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()

    public static func map(_ error: GraphQLError, logger: Logger, requestID: String = newRequestID()) -> GraphQLError {
        if error.extensions["code"] != nil { return error }
        var extensions = error.extensions
        var message = error.message
        switch error.originalError {
        case let domain as EmporiumError where domain.code == .internalError:
            logger.error("request failed", metadata: metadata(requestID, error, detail: domain.debugDescription))
            extensions["code"] = .string(EmporiumError.Code.internalError.rawValue)
            extensions["requestId"] = .string(requestID)
            message = internalMessage
        case let domain as EmporiumError:
            extensions["code"] = .string(domain.code.rawValue)
            if let field = domain.field { extensions["field"] = .string(field) }
            message = domain.message
            if domain.code == .unavailable {
                logger.error("request failed", metadata: metadata(requestID, error, detail: domain.debugDescription))
                extensions["requestId"] = .string(requestID)
            }
        case is DecodingError:
            extensions["code"] = .string(EmporiumError.Code.badUserInput.rawValue)
            message = "an argument has the wrong shape: \(describe(error.originalError))"
        case nil:
            // Errors the executor raises itself: variable coercion, unknown operation name.
            extensions["code"] = .string(EmporiumError.Code.badUserInput.rawValue)
        case let other?:
            logger.error("unexpected error in resolver", metadata: metadata(requestID, error, detail: String(reflecting: other)))
            extensions["code"] = .string(EmporiumError.Code.internalError.rawValue)
            extensions["requestId"] = .string(requestID)
            message = internalMessage
        }
        return GraphQLError(message: message, locations: error.locations, path: error.path, extensions: extensions)
    }

    public static func withCode(_ error: GraphQLError, _ code: String) -> GraphQLError {
        var extensions = error.extensions
        extensions["code"] = .string(code)
        return GraphQLError(message: error.message, locations: error.locations, path: error.path, extensions: extensions)
    }

    private static func metadata(_ requestID: String, _ error: GraphQLError, detail: String) -> Logger.Metadata {
        ["request.id": .string(requestID), "graphql.path": "\(error.path)", "error": .string(detail)]
    }

    private static func describe(_ error: (any Error)?) -> String {
        guard let error = error as? DecodingError else { return "invalid value" }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "invalid value"
        }
    }
}
