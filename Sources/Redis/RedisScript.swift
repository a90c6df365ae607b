/// A Lua script run with EVALSHA, falling back to EVAL (which also caches it on the server) when
/// the server answers NOSCRIPT — after a restart, a failover or SCRIPT FLUSH.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// The SHA1 of `source`, as the server names the script.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }
}

extension RedisClient {
    /// Runs a script atomically: EVALSHA, then EVAL on NOSCRIPT. Error replies throw.
    @discardableResult
    public func run(_ script: RedisScript, keys: [String], arguments: [RESPArgument] = []) async throws -> RESPValue {
        let tail: [RESPArgument] = [RESPArgument(keys.count)] + keys.map { RESPArgument($0) } + arguments
        let connection = try await self.leaseConnection()
        do {
            return try await connection.send(RESPCommand("EVALSHA", [RESPArgument(script.sha1)] + tail))
        } catch let error as RedisError where error.code == .noScript {
            return try await connection.send(RESPCommand("EVAL", [RESPArgument(script.source)] + tail))
        }
    }

    /// Loads a script into the server's cache; returns its SHA1.
    @discardableResult
    public func scriptLoad(_ script: RedisScript) async throws -> String {
        let reply = try await self.send(RESPCommand("SCRIPT", "LOAD", RESPArgument(script.source)))
        guard let sha = reply.string else { throw RedisError.unexpected(reply, for: "SCRIPT LOAD") }
        return sha
    }

    /// EVALSHA without fallback: throws `.noScript` when the server does not know the script.
    @discardableResult
    public func evalsha(_ sha1: String, keys: [String], arguments: [RESPArgument] = []) async throws -> RESPValue {
        try await self.send(RESPCommand("EVALSHA", [RESPArgument(sha1), RESPArgument(keys.count)] + keys.map { RESPArgument($0) } + arguments))
    }
}

/// SHA1 only to name Lua scripts the way Redis does; not used for anything security-related.
enum SHA1 {
    static func hexDigest(_ message: [UInt8]) -> String {
        var h0: UInt32 = 0x6745_2301, h1: UInt32 = 0xEFCD_AB89, h2: UInt32 = 0x98BA_DCFE
        var h3: UInt32 = 0x1032_5476, h4: UInt32 = 0xC3D2_E1F0
        var data = message
        let bitLength = UInt64(message.count) * 8
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        var w = [UInt32](repeating: 0, count: 80)
        for chunk in stride(from: 0, to: data.count, by: 64) {
            for i in 0..<16 {
                let j = chunk + i * 4
                w[i] = UInt32(data[j]) << 24 | UInt32(data[j + 1]) << 16 | UInt32(data[j + 2]) << 8 | UInt32(data[j + 3])
            }
            for i in 16..<80 {
                let x = w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]
                w[i] = x << 1 | x >> 31
            }
            var a = h0, b = h1, c = h2, d = h3, e = h4
            for i in 0..<80 {
                let f: UInt32, k: UInt32
                switch i {
                case 0..<20: f = (b & c) | (~b & d); k = 0x5A82_7999
                case 20..<40: f = b ^ c ^ d; k = 0x6ED9_EBA1
                case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8F1B_BCDC
                default: f = b ^ c ^ d; k = 0xCA62_C1D6
                }
                let temp = (a << 5 | a >> 27) &+ f &+ e &+ k &+ w[i]
                e = d; d = c; c = b << 30 | b >> 2; b = a; a = temp
            }
            h0 = h0 &+ a; h1 = h1 &+ b; h2 = h2 &+ c; h3 = h3 &+ d; h4 = h4 &+ e
        }
        return [h0, h1, h2, h3, h4].map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }
}
