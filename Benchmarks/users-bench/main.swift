// users-bench: the raw costs behind a login and a token check, for scripts/bench-users.
//   users-bench bcrypt --cost N [--seconds S]   bcrypt verifications per second on every core
//   users-bench tokens [--count N]              µs per access-token check: first seen, remembered
import EmporiumCore
import Foundation
import HummingbirdBcrypt
import Identity
import NIOCore
import NIOPosix

let arguments = CommandLine.arguments.dropFirst()
func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), arguments.index(after: index) < arguments.endIndex,
          let parsed = Int(arguments[arguments.index(after: index)]) else { return value }
    return parsed
}

switch arguments.first {
case "bcrypt":
    // The same library, the same pre-hashed input and the same thread pool a login uses.
    let cost = option("--cost", default: 12)
    let seconds = option("--seconds", default: 10)
    guard (4...16).contains(cost), (1...600).contains(seconds) else { print("--cost 4…16, --seconds 1…600"); exit(2) }
    let (total, elapsed) = await measureBcrypt(cost: cost, seconds: seconds)
    let perSecond = Double(total) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    print(String(format: "bcrypt cost %d: %.1f verifications/s on %d cores", cost, perSecond, System.coreCount))
case "tokens":
    let count = option("--count", default: 5000)
    guard (100...1_000_000).contains(count) else { print("--count 100…1000000"); exit(2) }
    struct KeySet: JWKSSource {
        let key: Ed25519SigningKey
        func jwksJSON() async throws -> String { try AccessTokenSigner.jwksJSON([key]) }
    }
    let key = try Ed25519SigningKey.generate(at: Date())
    let tokens = try await TokenService(keys: .hmacSHA256(secret: String(repeating: "b", count: 32)), jwks: KeySet(key: key))
    let signer = AccessTokenSigner()
    var distinct: [String] = []
    for n in 0..<count {
        distinct.append(try await signer.sign(userID: UserID("user-\(n)"), roles: [.buyer], validFor: .seconds(900), with: key))
    }
    _ = try await tokens.verify(distinct[0])  // the JWKS is read once, outside the measurement
    func microseconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12) / Double(count - 1)
    }
    let firstSeen = try await microseconds { for token in distinct.dropFirst() { _ = try await tokens.verify(token) } }
    let remembered = try await microseconds { for _ in 1..<count { _ = try await tokens.verify(distinct[1]) } }
    print(String(format: "token check, first seen (Ed25519 verification): %.1f µs", firstSeen))
    print(String(format: "token check, remembered: %.2f µs", remembered))
default:
    print("usage: users-bench bcrypt --cost N [--seconds S] | users-bench tokens [--count N]")
    exit(2)
}

/// Verifications on every core for `seconds`: how many, and how long it took.
func measureBcrypt(cost: Int, seconds: Int) async -> (Int, Duration) {
    let hash = Bcrypt.hash("bench password", cost: UInt8(cost))
    let deadline = ContinuousClock.now + .seconds(seconds)
    let started = ContinuousClock.now
    let total = await withTaskGroup(of: Int.self) { group in
        for _ in 0..<System.coreCount {
            group.addTask {
                var count = 0
                while ContinuousClock.now < deadline {
                    _ = try? await NIOThreadPool.singleton.runIfActive { Bcrypt.verify("bench password", hash: hash) }
                    count += 1
                }
                return count
            }
        }
        return await group.reduce(0, +)
    }
    return (total, ContinuousClock.now - started)
}
