import Foundation
import Logging

extension PostgresCluster {
    /// Starts the process-exit watchdog once per cluster. Its stdin is a pipe whose write end only
    /// this process holds (close-on-exec, never closed): when the process ends, `cat` sees EOF and
    /// the script stops the server. It ignores SIGINT/SIGHUP so a Ctrl-C reaches us, not it.
    func startWatchdog(binaries: PostgresBinaries, runAs: RunAs) {
        guard !self.watchdogStarted else { return }
        var fds: [Int32] = [0, 0]
        // pipe2 is not visible from Swift's Glibc module; ChildProcess closes every descriptor
        // above 2 in its children anyway, so the brief window before FD_CLOEXEC is harmless.
        guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            self.logger.warning("cannot create the watchdog pipe; the server may outlive this process")
            return
        }
        let (stopProgram, stopArguments) = runAs.command(
            binaries.path("pg_ctl"), ["stop", "-D", self.dataDirectory, "-m", self.forTesting ? "immediate" : "fast", "-w", "-t", "60", "-s"])
        let script = """
            trap '' INT HUP
            remove=$1; data=$2; sock=$3; shift 3
            cat >/dev/null 2>&1
            "$@" >/dev/null 2>&1
            if [ "$remove" = 1 ]; then rm -rf "$data" "$sock"; rmdir "$(dirname "$data")" 2>/dev/null; fi
            """
        do {
            try ChildProcess.spawnDetached(
                "/bin/sh",
                ["-c", script, "emporium-postgres-watchdog", self.removeOnExit ? "1" : "0",
                 self.dataDirectory, self.socketDirectory, stopProgram] + stopArguments,
                stdin: fds[0])
            self.watchdogStarted = true
        } catch {
            close(fds[1])
            self.logger.warning("cannot start the watchdog; the server may outlive this process", metadata: ["error": "\(error)"])
        }
        close(fds[0])
        // fds[1] stays open on purpose until the process exits.
    }
}
