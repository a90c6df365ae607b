import NIOCore

struct MetadataRequest: KafkaRequest {
    static let apiKey = APIKey.metadata
    /// nil asks for every topic.
    var topics: [String]?
    var allowAutoTopicCreation: Bool

    struct Broker: Sendable, Hashable {
        var nodeID: Int32
        var host: String
        var port: Int32
        var rack: String?
    }
    struct Partition: Sendable, Hashable {
        var errorCode: Int16
        var partitionIndex: Int32
        var leaderID: Int32
        var leaderEpoch: Int32
        var replicaNodes: [Int32]
        var isrNodes: [Int32]
        var offlineReplicas: [Int32]
    }
    struct Topic: Sendable, Hashable {
        var errorCode: Int16
        var name: String
        var isInternal: Bool
        var partitions: [Partition]
    }
    struct Response: Sendable, Hashable {
        var throttleTimeMs: Int32
        var brokers: [Broker]
        var clusterID: String?
        var controllerID: Int32
        var topics: [Topic]
    }

    func encode(into b: inout ByteBuffer) {
        b.writeKafkaNullableArray(topics) { $0.writeKafkaString($1) }
        b.writeKafkaBool(allowAutoTopicCreation)
        b.writeKafkaBool(false)  // include cluster authorized operations
        b.writeKafkaBool(false)  // include topic authorized operations
    }

    static func decodeResponse(from b: inout ByteBuffer) throws(KafkaError) -> Response {
        let throttle: Int32 = try b.readKafkaInt()
        let brokers = try b.readKafkaArray { (b) throws(KafkaError) in
            Broker(nodeID: try b.readKafkaInt(), host: try b.readKafkaString(), port: try b.readKafkaInt(), rack: try b.readKafkaNullableString())
        }
        let clusterID = try b.readKafkaNullableString()
        let controller: Int32 = try b.readKafkaInt()
        let topics = try b.readKafkaArray { (b) throws(KafkaError) in
            let error: Int16 = try b.readKafkaInt()
            let name = try b.readKafkaString()
            let isInternal = try b.readKafkaBool()
            let partitions = try b.readKafkaArray { (b) throws(KafkaError) in
                Partition(
                    errorCode: try b.readKafkaInt(), partitionIndex: try b.readKafkaInt(), leaderID: try b.readKafkaInt(),
                    leaderEpoch: try b.readKafkaInt(),
                    replicaNodes: try b.readKafkaArray { (b) throws(KafkaError) in try b.readKafkaInt() },
                    isrNodes: try b.readKafkaArray { (b) throws(KafkaError) in try b.readKafkaInt() },
                    offlineReplicas: try b.readKafkaArray { (b) throws(KafkaError) in try b.readKafkaInt() }
                )
            }
            _ = try b.readKafkaInt(Int32.self)  // topic authorized operations
            return Topic(errorCode: error, name: name, isInternal: isInternal, partitions: partitions)
        }
        _ = try b.readKafkaInt(Int32.self)  // cluster authorized operations
        return Response(throttleTimeMs: throttle, brokers: brokers, clusterID: clusterID, controllerID: controller, topics: topics)
    }
}
