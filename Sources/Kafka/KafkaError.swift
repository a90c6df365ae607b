/// The one error type of the `Kafka` module.
///
/// `code` is extensible: it carries every Kafka protocol error code the client meets (by its
/// numeric value, see ``Code/init(protocolCode:)``) and the client's own conditions. Use
/// ``isRetriable`` to decide whether the same operation may succeed if tried again.
/// `description` is safe to show a user; details go in `debugDescription`.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: Sendable, Hashable {
            case protocolError(Int16)
            case connectionClosed
            case connectionFailed
            case requestTimedOut
            case deliveryTimedOut
            case unsupportedVersion
            case malformedResponse
            case corruptRecord
            case unsupportedCompression
            case producerShutDown
            case consumerShutDown
            case noBrokersAvailable
            case unknownTopic
            case invalidArgument
            case recordTooLarge
        }

        let base: Base

        /// A code from the Kafka protocol's error table.
        public init(protocolCode: Int16) { self.base = .protocolError(protocolCode) }
        init(_ base: Base) { self.base = base }

        /// The numeric Kafka protocol error code, or nil for a client-side condition.
        public var protocolCode: Int16? {
            if case .protocolError(let c) = base { return c }
            return nil
        }

        public static let connectionClosed = Code(.connectionClosed)
        public static let connectionFailed = Code(.connectionFailed)
        /// One request got no answer within `requestTimeout` (retriable).
        public static let requestTimedOut = Code(.requestTimedOut)
        /// The producer gave up on a record: not acknowledged within `deliveryTimeout`, retries
        /// included. Final; `debugDescription` names the attempts and the last attempt's error.
        public static let deliveryTimedOut = Code(.deliveryTimedOut)
        /// The broker does not support the API version this client speaks.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        public static let malformedResponse = Code(.malformedResponse)
        /// A record batch failed its CRC32C check or could not be parsed.
        public static let corruptRecord = Code(.corruptRecord)
        /// A batch uses a compression codec this client does not implement (snappy, lz4, zstd).
        public static let unsupportedCompression = Code(.unsupportedCompression)
        public static let producerShutDown = Code(.producerShutDown)
        public static let consumerShutDown = Code(.consumerShutDown)
        public static let noBrokersAvailable = Code(.noBrokersAvailable)
        public static let unknownTopic = Code(.unknownTopic)
        public static let invalidArgument = Code(.invalidArgument)
        public static let recordTooLarge = Code(.recordTooLarge)

        // Protocol codes the client handles explicitly.
        public static let offsetOutOfRange = Code(protocolCode: 1)
        public static let corruptMessage = Code(protocolCode: 2)
        public static let unknownTopicOrPartition = Code(protocolCode: 3)
        public static let leaderNotAvailable = Code(protocolCode: 5)
        public static let notLeaderOrFollower = Code(protocolCode: 6)
        public static let brokerRequestTimedOut = Code(protocolCode: 7)
        public static let messageTooLarge = Code(protocolCode: 10)
        public static let networkException = Code(protocolCode: 13)
        public static let coordinatorLoadInProgress = Code(protocolCode: 14)
        public static let coordinatorNotAvailable = Code(protocolCode: 15)
        public static let notCoordinator = Code(protocolCode: 16)
        public static let notEnoughReplicas = Code(protocolCode: 19)
        public static let notEnoughReplicasAfterAppend = Code(protocolCode: 20)
        public static let illegalGeneration = Code(protocolCode: 22)
        public static let inconsistentGroupProtocol = Code(protocolCode: 23)
        public static let unknownMemberId = Code(protocolCode: 25)
        public static let invalidSessionTimeout = Code(protocolCode: 26)
        public static let rebalanceInProgress = Code(protocolCode: 27)
        public static let topicAuthorizationFailed = Code(protocolCode: 29)
        public static let groupAuthorizationFailed = Code(protocolCode: 30)
        public static let unsupportedVersionProtocol = Code(protocolCode: 35)
        public static let topicAlreadyExists = Code(protocolCode: 36)
        public static let invalidPartitions = Code(protocolCode: 37)
        public static let invalidReplicationFactor = Code(protocolCode: 38)
        public static let saslAuthenticationFailed = Code(protocolCode: 58)
        public static let fencedLeaderEpoch = Code(protocolCode: 74)
        public static let unknownLeaderEpoch = Code(protocolCode: 75)
        public static let memberIdRequired = Code(protocolCode: 79)
        public static let groupMaxSizeReached = Code(protocolCode: 81)
        public static let fencedInstanceId = Code(protocolCode: 82)

        /// Kafka's own classification (`RetriableException` subclasses) plus connection trouble.
        public var isRetriable: Bool {
            switch base {
            case .connectionClosed, .connectionFailed, .requestTimedOut, .noBrokersAvailable, .unknownTopic:
                return true
            case .protocolError(let c):
                return Self.retriableProtocolCodes.contains(c)
            default:
                return false
            }
        }

        static let retriableProtocolCodes: Set<Int16> = [
            2, 3, 5, 6, 7, 13, 14, 15, 16, 19, 20, 74, 75, 78 /* fetch session id */, 89 /* throttling */,
        ]

        public var description: String {
            switch base {
            case .protocolError(let c): return Self.protocolNames[c].map { "\($0) (\(c))" } ?? "kafka error \(c)"
            case .connectionClosed: return "connection closed"
            case .connectionFailed: return "connection failed"
            case .requestTimedOut: return "request timed out"
            case .deliveryTimedOut: return "delivery timed out"
            case .unsupportedVersion: return "unsupported API version"
            case .malformedResponse: return "malformed response"
            case .corruptRecord: return "corrupt record batch"
            case .unsupportedCompression: return "unsupported compression codec"
            case .producerShutDown: return "producer shut down"
            case .consumerShutDown: return "consumer shut down"
            case .noBrokersAvailable: return "no brokers available"
            case .unknownTopic: return "unknown topic"
            case .invalidArgument: return "invalid argument"
            case .recordTooLarge: return "record too large"
            }
        }

        static let protocolNames: [Int16: String] = [
            -1: "UNKNOWN_SERVER_ERROR", 1: "OFFSET_OUT_OF_RANGE", 2: "CORRUPT_MESSAGE",
            3: "UNKNOWN_TOPIC_OR_PARTITION", 4: "INVALID_FETCH_SIZE", 5: "LEADER_NOT_AVAILABLE",
            6: "NOT_LEADER_OR_FOLLOWER", 7: "REQUEST_TIMED_OUT", 10: "MESSAGE_TOO_LARGE",
            13: "NETWORK_EXCEPTION", 14: "COORDINATOR_LOAD_IN_PROGRESS", 15: "COORDINATOR_NOT_AVAILABLE",
            16: "NOT_COORDINATOR", 17: "INVALID_TOPIC_EXCEPTION", 19: "NOT_ENOUGH_REPLICAS",
            20: "NOT_ENOUGH_REPLICAS_AFTER_APPEND", 22: "ILLEGAL_GENERATION", 23: "INCONSISTENT_GROUP_PROTOCOL",
            24: "INVALID_GROUP_ID", 25: "UNKNOWN_MEMBER_ID", 26: "INVALID_SESSION_TIMEOUT",
            27: "REBALANCE_IN_PROGRESS", 29: "TOPIC_AUTHORIZATION_FAILED", 30: "GROUP_AUTHORIZATION_FAILED",
            35: "UNSUPPORTED_VERSION", 36: "TOPIC_ALREADY_EXISTS", 37: "INVALID_PARTITIONS",
            38: "INVALID_REPLICATION_FACTOR", 42: "INVALID_REQUEST", 58: "SASL_AUTHENTICATION_FAILED",
            74: "FENCED_LEADER_EPOCH", 75: "UNKNOWN_LEADER_EPOCH", 78: "FETCH_SESSION_ID_NOT_FOUND",
            79: "MEMBER_ID_REQUIRED", 81: "GROUP_MAX_SIZE_REACHED", 82: "FENCED_INSTANCE_ID",
            87: "INVALID_RECORD", 89: "THROTTLING_QUOTA_EXCEEDED",
        ]
    }

    public var code: Code
    /// Extra detail for logs (broker messages, topic/partition); not shown in `description`.
    public var detail: String?

    public init(_ code: Code, detail: String? = nil) {
        self.code = code
        self.detail = detail
    }

    public var isRetriable: Bool { code.isRetriable }

    public var description: String { "KafkaError(\(code))" }
    public var debugDescription: String {
        detail.map { "KafkaError(\(code): \($0))" } ?? description
    }

    /// Maps a protocol error code (0 = none) to an error.
    static func check(_ code: Int16, _ detail: @autoclosure () -> String? = nil) throws(KafkaError) {
        if code != 0 { throw KafkaError(Code(protocolCode: code), detail: detail()) }
    }
}
