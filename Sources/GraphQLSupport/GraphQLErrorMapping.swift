import EmporiumCore
import GraphQL
import Logging

/// Gives every error in a response an `extensions.code`, and hides internals.
///
/// Domain errors keep their message and code; argument decoding failures are the client's
/// (`BAD_USER_INPUT`); anything unexpected becomes `INTERNAL_SERVER_ERROR` with a generic
/// message, and the detail goes to the log only.
public enum GraphQLErrorMapping {
    public static let parseFailed = "GRAPHQL_PARSE_FAILED"
    public static let validationFailed = "GRAPHQL_VALIDATION_FAILED"

    public static func map(_ error: GraphQLError, logger: Logger) -> GraphQLError {
        if error.extensions["code"] != nil { return error }
        var extensions = error.extensions
        var message = error.message
        switch error.originalError {
        case let domain as EmporiumError:
            extensions["code"] = .string(domain.code.rawValue)
            if let field = domain.field { extensions["field"] = .string(field) }
            message = domain.message
            if domain.code == .internalError || domain.code == .unavailable {
                logger.error("request failed", metadata: ["error": "\(domain.debugDescription)"])
            }
        case is DecodingError:
            extensions["code"] = .string(EmporiumError.Code.badUserInput.rawValue)
            message = "an argument has the wrong shape: \(describe(error.originalError))"
        case nil:
            // Errors the executor raises itself: variable coercion, unknown operation name.
            extensions["code"] = .string(EmporiumError.Code.badUserInput.rawValue)
        case let other?:
            logger.error("unexpected error in resolver", metadata: ["error": "\(String(reflecting: other))", "path": "\(error.path)"])
            extensions["code"] = .string(EmporiumError.Code.internalError.rawValue)
            message = "internal error; the server log has details"
        }
        return GraphQLError(message: message, locations: error.locations, path: error.path, extensions: extensions)
    }

    public static func withCode(_ error: GraphQLError, _ code: String) -> GraphQLError {
        var extensions = error.extensions
        extensions["code"] = .string(code)
        return GraphQLError(message: error.message, locations: error.locations, path: error.path, extensions: extensions)
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
