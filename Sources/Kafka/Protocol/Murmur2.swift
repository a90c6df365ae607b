/// Kafka's murmur2 hash, bit-compatible with `org.apache.kafka.common.utils.Utils.murmur2`
/// (seed 0x9747b28c), so keyed records land on the same partition as with the Java client.
public enum Murmur2 {
    public static func hash<Bytes: Collection>(_ data: Bytes) -> Int32 where Bytes.Element == UInt8 {
        let bytes = Array(data)
        let length = bytes.count
        let m: UInt32 = 0x5bd1_e995
        let r: UInt32 = 24
        var h: UInt32 = 0x9747_b28c ^ UInt32(truncatingIfNeeded: length)
        let chunks = length / 4
        for i in 0..<chunks {
            let o = i * 4
            var k = UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24
            k &*= m
            k ^= k >> r
            k &*= m
            h &*= m
            h ^= k
        }
        let tail = chunks * 4
        switch length % 4 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h &*= m
        case 1:
            h ^= UInt32(bytes[tail])
            h &*= m
        default:
            break
        }
        h ^= h >> 13
        h &*= m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The Java client's default partition for a key: `toPositive(murmur2(key)) % numPartitions`.
    public static func partition<Bytes: Collection>(forKey key: Bytes, partitionCount: Int) -> Int32
    where Bytes.Element == UInt8 {
        precondition(partitionCount > 0)
        let positive = hash(key) & 0x7FFF_FFFF
        return positive % Int32(partitionCount)
    }
}
