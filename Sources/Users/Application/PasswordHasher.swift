import Crypto
import EmporiumCore
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt, run on NIO's blocking thread pool (a cost-12 hash takes a few hundred milliseconds of
/// CPU; on an event loop it would stall every request sharing the loop).
///
/// The password is pre-hashed with SHA-256 and base64-encoded before bcrypt, because bcrypt
/// reads at most 72 bytes and stops at a NUL byte: a 128-character Cyrillic passphrase is up to
/// 512 bytes, and without the pre-hash only its first 36 letters would count.
public struct PasswordHasher: Sendable {
    public static let costs: ClosedRange<Int> = 4...16
    public static let defaultCost = 12

    public let cost: Int
    /// A hash of a random password, checked when an email is unknown so that the answer takes as
    /// long as for a wrong password (no timing oracle for who has an account).
    private let decoy: String

    public init(cost: Int = PasswordHasher.defaultCost) throws {
        guard Self.costs.contains(cost) else {
            throw EmporiumError.badInput("the bcrypt cost must be \(Self.costs.lowerBound)–\(Self.costs.upperBound) (got \(cost))", field: "EMPORIUM_BCRYPT_COST")
        }
        self.cost = cost
        decoy = Bcrypt.hash(Self.prehash(UUID().uuidString), cost: UInt8(cost))
    }

    public func hash(_ password: String) async throws -> String {
        let (text, cost) = (Self.prehash(password), UInt8(cost))
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(text, cost: cost) }
    }

    /// Whether `password` matches `hash`; `hash` nil checks against the decoy (always false).
    public func verify(_ password: String, against hash: String?) async throws -> Bool {
        let text = Self.prehash(password)
        let stored = hash ?? decoy
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(text, hash: stored) }
        return matches && hash != nil
    }

    static func prehash(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
