import Foundation

/// Whether this test process may start servers (PostgreSQL, Redis, Tansu, the `emporium`
/// binary, an SMTP relay). `EMPORIUM_TEST_SERVERS=none` forbids it: `scripts/test` runs the pure
/// test targets so, and a suite there that starts a server fails, saying where it belongs.
public enum TestServers {
    public struct Forbidden: Error, CustomStringConvertible {
        public let description: String
    }

    /// Throws ``Forbidden`` when servers are forbidden; call before starting `server`.
    public static func admit(_ server: String) throws {
        guard ProcessInfo.processInfo.environment["EMPORIUM_TEST_SERVERS"] == "none" else { return }
        throw Forbidden(description: """
            a test started \(server) with EMPORIUM_TEST_SERVERS=none: pure test targets start no server; \
            move its suite to the module's integration target (docs/testing.md, "Pure and integration test targets")
            """)
    }
}
