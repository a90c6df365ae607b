import NIOCore
import Testing
@testable import Redis

/// Byte fixtures for every RESP2 and RESP3 type, fed whole, split at every byte boundary and one
/// byte at a time.
struct RESPDecoderTests {
    static func bulk(_ text: String) -> RESPValue { .bulkString(ByteBuffer(string: text)) }
    static func simple(_ text: String) -> RESPValue { .simpleString(ByteBuffer(string: text)) }

    struct Fixture: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: String
        var value: RESPValue
        var testDescription: String { self.name }
    }

    static let fixtures: [Fixture] = [
        // RESP2
        Fixture(name: "simple string", bytes: "+OK\r\n", value: simple("OK")),
        Fixture(name: "empty simple string", bytes: "+\r\n", value: simple("")),
        Fixture(name: "simple error", bytes: "-ERR unknown command\r\n", value: .simpleError(ByteBuffer(string: "ERR unknown command"))),
        Fixture(name: "integer", bytes: ":1000\r\n", value: .integer(1000)),
        Fixture(name: "negative integer", bytes: ":-42\r\n", value: .integer(-42)),
        Fixture(name: "int64 max", bytes: ":9223372036854775807\r\n", value: .integer(.max)),
        Fixture(name: "bulk string", bytes: "$5\r\nhello\r\n", value: bulk("hello")),
        Fixture(name: "binary bulk string with CRLF inside", bytes: "$4\r\n\r\n\r\n\r\n", value: bulk("\r\n\r\n")),
        Fixture(name: "empty bulk string", bytes: "$0\r\n\r\n", value: bulk("")),
        Fixture(name: "null bulk string", bytes: "$-1\r\n", value: .null),
        Fixture(name: "array", bytes: "*3\r\n:1\r\n$3\r\nfoo\r\n+bar\r\n", value: .array([.integer(1), bulk("foo"), simple("bar")])),
        Fixture(name: "empty array", bytes: "*0\r\n", value: .array([])),
        Fixture(name: "null array", bytes: "*-1\r\n", value: .null),
        Fixture(name: "nested array with null", bytes: "*2\r\n*2\r\n:1\r\n$-1\r\n*0\r\n", value: .array([.array([.integer(1), .null]), .array([])])),
        // RESP3
        Fixture(name: "null", bytes: "_\r\n", value: .null),
        Fixture(name: "boolean true", bytes: "#t\r\n", value: .boolean(true)),
        Fixture(name: "boolean false", bytes: "#f\r\n", value: .boolean(false)),
        Fixture(name: "double", bytes: ",3.25\r\n", value: .double(3.25)),
        Fixture(name: "double exponent", bytes: ",1.5e3\r\n", value: .double(1500)),
        Fixture(name: "double inf", bytes: ",inf\r\n", value: .double(.infinity)),
        Fixture(name: "double -inf", bytes: ",-inf\r\n", value: .double(-.infinity)),
        Fixture(name: "big number", bytes: "(3492890328409238509324850943850943825024385\r\n", value: .bigNumber("3492890328409238509324850943850943825024385")),
        Fixture(name: "bulk error", bytes: "!21\r\nSYNTAX invalid syntax\r\n", value: .bulkError(ByteBuffer(string: "SYNTAX invalid syntax"))),
        Fixture(name: "verbatim string", bytes: "=15\r\ntxt:Some string\r\n", value: .verbatimString(format: "txt", ByteBuffer(string: "Some string"))),
        Fixture(name: "map", bytes: "%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", value: .map([simple("first"): .integer(1), simple("second"): .integer(2)])),
        Fixture(name: "empty map", bytes: "%0\r\n", value: .map([:])),
        Fixture(name: "set", bytes: "~3\r\n+a\r\n+b\r\n:3\r\n", value: .set([simple("a"), simple("b"), .integer(3)])),
        Fixture(name: "push", bytes: ">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n", value: .push([bulk("message"), bulk("ch"), bulk("hello")])),
        Fixture(name: "attribute before value", bytes: "|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.19\r\n*1\r\n:2\r\n", value: .array([.integer(2)])),
        Fixture(name: "HELLO reply", bytes: "%3\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$5\r\n7.0.1\r\n$5\r\nproto\r\n:3\r\n",
                value: .map([bulk("server"): bulk("redis"), bulk("version"): bulk("7.0.1"), bulk("proto"): .integer(3)])),
    ]

    @Test(arguments: fixtures)
    func decodesWhole(_ fixture: Fixture) throws {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(string: fixture.bytes)
        #expect(try decoder.decode(buffer: &buffer) == fixture.value)
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: fixtures)
    func decodesSplitAtEveryBoundary(_ fixture: Fixture) throws {
        let bytes = Array(fixture.bytes.utf8)
        for split in 1..<bytes.count {
            var values: [RESPValue] = []
            let processor = NIOSingleStepByteToMessageProcessor(RESPDecoder())
            try processor.process(buffer: ByteBuffer(bytes: bytes[..<split])) { values.append($0) }
            #expect(values.isEmpty, "a value decoded from \(split) of \(bytes.count) bytes")
            try processor.process(buffer: ByteBuffer(bytes: bytes[split...])) { values.append($0) }
            #expect(values == [fixture.value], "split at \(split)")
        }
    }

    @Test(arguments: fixtures)
    func decodesByteByByteFollowedByAnotherValue(_ fixture: Fixture) throws {
        let bytes = Array((fixture.bytes + ":7\r\n").utf8)
        var values: [RESPValue] = []
        let processor = NIOSingleStepByteToMessageProcessor(RESPDecoder())
        for byte in bytes {
            try processor.process(buffer: ByteBuffer(bytes: [byte])) { values.append($0) }
        }
        #expect(values == [fixture.value, .integer(7)])
    }

    @Test
    func decodesManyValuesFromOneBuffer() throws {
        var buffer = ByteBuffer(string: String(repeating: "+OK\r\n:1\r\n$1\r\nx\r\n", count: 100))
        var decoder = RESPDecoder()
        var count = 0
        while let _ = try decoder.decode(buffer: &buffer) { count += 1 }
        #expect(count == 300)
        #expect(buffer.readableBytes == 0)
    }

    @Test(arguments: [
        "?what\r\n",          // unknown marker
        ":12a\r\n",           // not an integer
        "$3\r\nabcd\r\n",     // bulk longer than announced
        "+OK\rX",             // CR without LF
        "#x\r\n",             // invalid boolean
        "$-2\r\n",            // negative length
        ",abc\r\n",           // invalid double
        "_x\r\n",             // null with payload
    ])
    func rejectsMalformedInput(_ bytes: String) {
        var decoder = RESPDecoder()
        var buffer = ByteBuffer(string: bytes)
        #expect(throws: RedisError.self) { try decoder.decode(buffer: &buffer) }
    }

    @Test
    func enforcesLimits() {
        var decoder = RESPDecoder(maximumBulkLength: 10, maximumAggregateCount: 100, maximumDepth: 3)
        var big = ByteBuffer(string: "$11\r\n")
        #expect(throws: RedisError.self) { try decoder.decode(buffer: &big) }
        var deep = ByteBuffer(string: "*1\r\n*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n")
        #expect(throws: RedisError.self) { try decoder.decode(buffer: &deep) }
        var wide = ByteBuffer(string: "*101\r\n")
        #expect(throws: RedisError.self) { try decoder.decode(buffer: &wide) }
    }

    @Test
    func encodesCommandsAsArraysOfBulkStrings() {
        var buffer = ByteBuffer()
        RESPCommand("SET", "key", RESPArgument(bytes: [0, 13, 10]), "PX", 1500).write(to: &buffer)
        #expect(String(buffer: buffer) == "*5\r\n$3\r\nSET\r\n$3\r\nkey\r\n$3\r\n\u{0}\r\n\r\n$2\r\nPX\r\n$4\r\n1500\r\n")
        var scores = ByteBuffer()
        RESPCommand("ZADD", "z", RESPArgument(Double.infinity), "m", RESPArgument(-Double.infinity), "n").write(to: &scores)
        #expect(String(buffer: scores).contains("$4\r\n+inf\r\n"))
        #expect(String(buffer: scores).contains("$4\r\n-inf\r\n"))
    }

    @Test
    func sha1MatchesKnownDigests() {
        #expect(SHA1.hexDigest(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(SHA1.hexDigest([]) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(SHA1.hexDigest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        #expect(RedisScript("return 1").sha1 == "e0e1f9fabfc9d4800c877a703b823ac0578ff8db")
    }
}
