import NIOCore

struct FindCoordinatorRequest: KafkaRequest {
    static let apiKey = APIKey.findCoordinator
    var key: String
    var keyType: Int8 = 0  // 0 = group

    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var errorCode: Int16
        var errorMessage: String?
        var nodeID: Int32
        var host: String
        var port: Int32
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(key)
        b.writeInteger(keyType)
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        Response(
            throttleTimeMs: try b.readKafkaInt(), errorCode: try b.readKafkaInt(), errorMessage: try b.readKafkaNullableString(),
            nodeID: try b.readKafkaInt(), host: try b.readKafkaString(), port: try b.readKafkaInt()
        )
    }
}

struct JoinGroupRequest: KafkaRequest {
    static let apiKey = APIKey.joinGroup
    var groupID: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    var memberID: String
    var protocolType: String = "consumer"
    var protocols: [(name: String, metadata: ByteBuffer)]

    struct Member: Sendable, Hashable {
        var memberID: String
        var groupInstanceID: String?
        var metadata: ByteBuffer
    }
    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var errorCode: Int16
        var generationID: Int32
        var protocolName: String
        var leader: String
        var memberID: String
        var members: [Member]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(groupID)
        b.writeInteger(sessionTimeoutMs)
        b.writeInteger(rebalanceTimeoutMs)
        b.writeKafkaString(memberID)
        b.writeKafkaNullableString(nil)  // group instance id: dynamic membership
        b.writeKafkaString(protocolType)
        b.writeKafkaArray(protocols) { b, p in
            b.writeKafkaString(p.name)
            b.writeKafkaBytes(p.metadata)
        }
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        let error: Int16 = try b.readKafkaInt()
        let generation: Int32 = try b.readKafkaInt()
        // Nullable in later versions; Tansu may send null on errors.
        let protocolName = try b.readKafkaNullableString() ?? ""
        let leader = try b.readKafkaString()
        let memberID = try b.readKafkaString()
        let members = try b.readKafkaArray { (b) throws(KafkaError) in
            Member(memberID: try b.readKafkaString(), groupInstanceID: try b.readKafkaNullableString(),
                   metadata: try b.readKafkaBytes() ?? ByteBuffer())
        }
        return Response(throttleTimeMs: throttle, errorCode: error, generationID: generation, protocolName: protocolName,
                        leader: leader, memberID: memberID, members: members)
    }
}

struct SyncGroupRequest: KafkaRequest {
    static let apiKey = APIKey.syncGroup
    var groupID: String
    var generationID: Int32
    var memberID: String
    var assignments: [(memberID: String, assignment: ByteBuffer)]

    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var errorCode: Int16
        var assignment: ByteBuffer
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(groupID)
        b.writeInteger(generationID)
        b.writeKafkaString(memberID)
        b.writeKafkaNullableString(nil)
        b.writeKafkaArray(assignments) { b, a in
            b.writeKafkaString(a.memberID)
            b.writeKafkaBytes(a.assignment)
        }
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        Response(throttleTimeMs: try b.readKafkaInt(), errorCode: try b.readKafkaInt(), assignment: try b.readKafkaBytes() ?? ByteBuffer())
    }
}

struct HeartbeatRequest: KafkaRequest {
    static let apiKey = APIKey.heartbeat
    var groupID: String
    var generationID: Int32
    var memberID: String

    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var errorCode: Int16
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(groupID)
        b.writeInteger(generationID)
        b.writeKafkaString(memberID)
        b.writeKafkaNullableString(nil)
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        Response(throttleTimeMs: try b.readKafkaInt(), errorCode: try b.readKafkaInt())
    }
}

struct LeaveGroupRequest: KafkaRequest {
    static let apiKey = APIKey.leaveGroup
    var groupID: String
    var memberID: String

    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var errorCode: Int16
        var memberErrors: [Int16]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(groupID)
        b.writeInteger(Int32(1))
        b.writeKafkaString(memberID)
        b.writeKafkaNullableString(nil)
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        let error: Int16 = try b.readKafkaInt()
        let members = try b.readKafkaArray { (b) throws(KafkaError) -> Int16 in
            _ = try b.readKafkaString()
            _ = try b.readKafkaNullableString()
            return try b.readKafkaInt()
        }
        return Response(throttleTimeMs: throttle, errorCode: error, memberErrors: members)
    }
}

struct OffsetCommitRequest: KafkaRequest {
    static let apiKey = APIKey.offsetCommit
    var groupID: String
    var generationID: Int32
    var memberID: String
    var offsets: [TopicPartition: Int64]

    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var errors: [TopicPartition: Int16]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(groupID)
        b.writeInteger(generationID)
        b.writeKafkaString(memberID)
        b.writeKafkaNullableString(nil)
        let byTopic = Dictionary(grouping: offsets, by: \.key.topic).sorted { $0.key < $1.key }
        b.writeKafkaArray(byTopic) { b, topic in
            b.writeKafkaString(topic.key)
            b.writeKafkaArray(topic.value.sorted { $0.key.partition < $1.key.partition }) { b, p in
                b.writeInteger(p.key.partition)
                b.writeInteger(p.value)
                b.writeInteger(Int32(-1))  // committed leader epoch
                b.writeKafkaNullableString(nil)  // metadata
            }
        }
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        var errors: [TopicPartition: Int16] = [:]
        _ = try b.readKafkaArray { (b) throws(KafkaError) in
            let name = try b.readKafkaString()
            _ = try b.readKafkaArray { (b) throws(KafkaError) in
                let p: Int32 = try b.readKafkaInt()
                errors[TopicPartition(topic: name, partition: p)] = try b.readKafkaInt()
            }
        }
        return Response(throttleTimeMs: throttle, errors: errors)
    }
}

struct OffsetFetchRequest: KafkaRequest {
    static let apiKey = APIKey.offsetFetch
    var groupID: String
    var partitions: [TopicPartition]

    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        /// Committed offset per partition; -1 when the group has none.
        var offsets: [TopicPartition: Int64]
        var partitionErrors: [TopicPartition: Int16]
        var errorCode: Int16
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaString(groupID)
        let byTopic = Dictionary(grouping: partitions, by: \.topic).sorted { $0.key < $1.key }
        b.writeKafkaArray(byTopic) { b, topic in
            b.writeKafkaString(topic.key)
            b.writeKafkaArray(topic.value.map(\.partition).sorted()) { $0.writeInteger($1) }
        }
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        var offsets: [TopicPartition: Int64] = [:]
        var errors: [TopicPartition: Int16] = [:]
        _ = try b.readKafkaArray { (b) throws(KafkaError) in
            let name = try b.readKafkaString()
            _ = try b.readKafkaArray { (b) throws(KafkaError) in
                let tp = TopicPartition(topic: name, partition: try b.readKafkaInt())
                offsets[tp] = try b.readKafkaInt()
                _ = try b.readKafkaInt(Int32.self)  // leader epoch
                _ = try b.readKafkaNullableString()  // metadata
                let error: Int16 = try b.readKafkaInt()
                if error != 0 { errors[tp] = error }
            }
        }
        let error: Int16 = try b.readKafkaInt()
        return Response(throttleTimeMs: throttle, offsets: offsets, partitionErrors: errors, errorCode: error)
    }
}
