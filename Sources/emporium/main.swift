import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

// EMPORIUM_EVENT_LOOPS: the threads of the process's event loops, which also run its tasks (one
// per core when unset), for processes that share their cores with others. Read here, before the
// first use of the loops, so it cannot go through the configuration the commands parse later.
if let loops = ProcessInfo.processInfo.environment["EMPORIUM_EVENT_LOOPS"] {
    guard let count = Int(loops), (1...256).contains(count) else {
        FileHandle.standardError.write(Data("EMPORIUM_EVENT_LOOPS must be a whole number from 1 to 256 (got '\(loops.prefix(40))')\n".utf8))
        exit(2)
    }
    NIOSingletons.groupLoopCountSuggestion = count
}

// Swift concurrency runs on NIO's event loops, so a request does not hop between NIO's threads
// and the concurrency pool (measured in docs/BENCHMARKS.md). This must happen before any task
// starts, hence top-level code rather than `@main`.
_ = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()

/// What `AsyncParsableCommand.main()` does. It lives in a function because top-level code
/// resolves `main()` and `run()` to their synchronous overloads.
func runEmporium() async {
    do {
        var command = try Emporium.parseAsRoot()
        if var asyncCommand = command as? any AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        Emporium.exit(withError: error)
    }
}

await runEmporium()
