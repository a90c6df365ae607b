import Foundation

/// Who runs the PostgreSQL programs: this process's user, or `postgres` through `runuser` when we are root.
enum RunAs: Sendable {
    case currentUser
    case postgresUser(uid: UInt32, gid: UInt32, runuser: String)

    static func current() throws -> RunAs {
        guard geteuid() == 0 else { return .currentUser }
        guard let entry = getpwnam("postgres") else {
            throw DatabaseError(
                .binariesNotFound,
                "Running as root needs a `postgres` system user to run PostgreSQL (initdb refuses root); \(DatabaseError.installHint), which creates it.")
        }
        guard let runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw DatabaseError(.commandFailed, "Running as root needs `runuser` (util-linux) to run PostgreSQL as the postgres user.")
        }
        return .postgresUser(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid, runuser: runuser)
    }

    func command(_ program: String, _ arguments: [String]) -> (String, [String]) {
        switch self {
        case .currentUser:
            return (program, arguments)
        case .postgresUser(_, _, let runuser):
            return (runuser, ["-u", "postgres", "--", program] + arguments)
        }
    }

    /// A prefix for commands quoted in error messages.
    var displayPrefix: String {
        switch self {
        case .currentUser: return ""
        case .postgresUser: return "runuser -u postgres -- "
        }
    }
}
