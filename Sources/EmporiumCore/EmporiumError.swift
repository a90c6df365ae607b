/// The one error type that domain code throws for failures a caller can act on.
///
/// `description` is safe to show to a user; `debugDescription` adds the underlying error for logs.
/// The edge (GraphQL, HTTP) maps ``Code`` to `extensions.code` or an HTTP status; domain code
/// never knows about either.
public struct EmporiumError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// An extensible error code; new codes can be added without breaking `switch`-free callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The input is malformed or violates a rule; the message says which field and why.
        public static let badUserInput = Code("BAD_USER_INPUT")
        public static let notFound = Code("NOT_FOUND")
        /// Optimistic concurrency or uniqueness conflict: re-read and retry.
        public static let conflict = Code("CONFLICT")
        public static let unauthenticated = Code("UNAUTHENTICATED")
        public static let forbidden = Code("FORBIDDEN")
        public static let rateLimited = Code("RATE_LIMITED")
        /// A request body larger than the endpoint takes (HTTP 413).
        public static let payloadTooLarge = Code("PAYLOAD_TOO_LARGE")
        /// A body of a kind the endpoint does not take (HTTP 415).
        public static let unsupportedMediaType = Code("UNSUPPORTED_MEDIA_TYPE")
        /// A dependency (database, broker) is unavailable; retrying later may succeed.
        public static let unavailable = Code("SERVICE_UNAVAILABLE")
        public static let internalError = Code("INTERNAL_SERVER_ERROR")
    }

    public let code: Code
    public let message: String
    /// The input field at fault, when there is one (for example `input.price.amount`).
    public let field: String?
    /// Underlying detail for logs only.
    public let detail: String?

    public init(_ code: Code, _ message: String, field: String? = nil, detail: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.detail = detail
    }

    public var description: String { message }

    public var debugDescription: String {
        var text = "\(code): \(message)"
        if let field { text += " [field: \(field)]" }
        if let detail { text += " (\(detail))" }
        return text
    }

    public static func badInput(_ message: String, field: String? = nil) -> EmporiumError {
        EmporiumError(.badUserInput, message, field: field)
    }

    public static func notFound(_ message: String) -> EmporiumError {
        EmporiumError(.notFound, message)
    }
}
