import Database

/// Ports for the private servers tests start; every launcher takes its port from here. The
/// implementation is `Database.LoopbackPort`, which the production PostgreSQL launcher uses too.
public enum LocalPort {
    /// A 127.0.0.1 port nobody listens on right now (bind to port 0, read it back, close).
    public static func free() throws -> Int {
        try LoopbackPort.free()
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port` right now.
    public static func isListening(_ port: Int) -> Bool {
        LoopbackPort.isListening(port)
    }
}
